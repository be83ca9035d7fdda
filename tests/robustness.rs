//! Nothing lost: several consoles writing at once, a console hold, bad ground (a full disk,
//! a file deleted, replaced or damaged, a read-only medium) and backups.
//!
//! Several tests need real separate processes: they run this test binary again with
//! `YISHI_ROBUST_ROLE` set, and the test function then plays that role instead.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command as Process, Stdio};
use std::time::{Duration, Instant};

use rusqlite::Connection;
use yishi::domain::state::*;
use yishi::lang::Lang;
use yishi::store::{HoldError, Store, StoreError, Verification, automatic_backups};

const F: Origin = Origin::Facilitator;
const ROLE: &str = "YISHI_ROBUST_ROLE";

/// This test binary again, running only `test`, in `role`.
fn child(test: &str, role: &str, db: &Path, meeting: i64) -> Process {
    let mut c = Process::new(std::env::current_exe().unwrap());
    c.args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(ROLE, role)
        .env("YISHI_ROBUST_DB", db)
        .env("YISHI_ROBUST_MEETING", meeting.to_string());
    c
}

fn role() -> Option<String> {
    std::env::var(ROLE).ok()
}

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

fn child_db() -> (PathBuf, i64) {
    (
        PathBuf::from(var("YISHI_ROBUST_DB")),
        var("YISHI_ROBUST_MEETING").parse().unwrap(),
    )
}

/// Reads the child's output until a line ending with `want` (the test harness may have
/// begun the line with the test's name).
fn wait_for_line(out: &mut BufReader<ChildStdout>, want: &str) {
    let mut line = String::new();
    loop {
        line.clear();
        let n = out.read_line(&mut line).unwrap();
        assert!(n > 0, "the child ended before saying {want:?}");
        if line.trim_end().ends_with(want) {
            return;
        }
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn new_meeting(dir: &Path) -> (PathBuf, Store, i64, Meeting) {
    let path = dir.join("yishi.db");
    let mut store = Store::open(&path).unwrap();
    let (id, m) = store
        .create_meeting(common::setup(), None, common::T0, F)
        .unwrap();
    (path, store, id, m)
}

fn some_actions(store: &mut Store, id: i64, m: &mut Meeting, n: u32) {
    for i in 0..n {
        let c = Command::SetPresence {
            participant: i % 7 + 1,
            presence: Presence::Present,
            holder: None,
            reason: None,
        };
        store
            .execute(id, m, &c, common::T0 + 1_000 * i64::from(i + 1), F)
            .unwrap();
    }
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

// ---------------------------------------------------------------------------------------
// Several writers at once

const WRITERS: usize = 3;
const PER_WRITER: usize = 300;
const WRITER_ORIGINS: [Origin; WRITERS] = [Origin::Secretary, Origin::Cli, Origin::Facilitator];

fn writer_text(k: usize, i: usize) -> String {
    format!("第{k}号控制台的第{i}条记录")
}

/// One console: toggles its own participant's presence and writes distinct minutes, quickly,
/// starting when the `go` file appears. Any error fails it.
fn writer() {
    let (path, id) = child_db();
    let k: usize = var("YISHI_ROBUST_WRITER").parse().unwrap();
    let go = PathBuf::from(var("YISHI_ROBUST_GO"));
    let mut store = Store::open(&path).unwrap();
    let mut m = store.load(id).unwrap();
    println!("ready");
    while !go.exists() {
        std::thread::sleep(Duration::from_millis(1));
    }
    let origin = WRITER_ORIGINS[k];
    let mut errors = Vec::new();
    for i in 0..PER_WRITER {
        let command = if i % 2 == 0 {
            Command::SetPresence {
                participant: k as u32 + 1,
                presence: if (i / 2) % 2 == 0 {
                    Presence::Present
                } else {
                    Presence::Absent
                },
                holder: None,
                reason: None,
            }
        } else {
            Command::SetText {
                item: (k % 3) as u32 + 1,
                field: TextField::Minutes,
                text: writer_text(k, i),
                base: None,
            }
        };
        if let Err(e) = store.execute(id, &mut m, &command, now_ms(), origin) {
            errors.push(format!("action {i}: {e} / {}", e.describe(Lang::En)));
        }
        // Mostly a short breath between actions, as between key presses but far quicker;
        // without it one writer can keep the lock for a run of actions while the others
        // wait, which is no loss but shows no interleaving.
        if !(i + k).is_multiple_of(4) {
            std::thread::sleep(Duration::from_micros(700));
        }
    }
    assert!(errors.is_empty(), "writer {k} got errors: {errors:#?}");
    println!("done");
}

#[test]
fn three_processes_writing_at_once_lose_nothing() {
    if role().as_deref() == Some("writer") {
        return writer();
    }
    let dir = tempfile::tempdir().unwrap();
    let (path, store, id, _) = new_meeting(dir.path());
    let go = dir.path().join("go");
    let mut children: Vec<(Child, BufReader<ChildStdout>)> = (0..WRITERS)
        .map(|k| {
            let mut c = child(
                "three_processes_writing_at_once_lose_nothing",
                "writer",
                &path,
                id,
            )
            .env("YISHI_ROBUST_WRITER", k.to_string())
            .env("YISHI_ROBUST_GO", &go)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
            let out = BufReader::new(c.stdout.take().unwrap());
            (c, out)
        })
        .collect();
    for (_, out) in &mut children {
        wait_for_line(out, "ready");
    }
    let started = Instant::now();
    std::fs::write(&go, "").unwrap();
    for (k, (mut c, mut out)) in children.into_iter().enumerate() {
        let status = c.wait().unwrap();
        let mut rest = String::new();
        out.read_to_string(&mut rest).unwrap();
        let mut err = String::new();
        c.stderr.take().unwrap().read_to_string(&mut err).unwrap();
        assert!(status.success(), "writer {k} failed:\n{rest}\n{err}");
        assert!(
            rest.lines().any(|l| l.ends_with("done")),
            "writer {k}: {rest}"
        );
        for word in ["locked", "busy"] {
            assert!(
                !err.contains(word) && !rest.contains(word),
                "writer {k}: {err}"
            );
        }
    }
    eprintln!(
        "{} actions from {WRITERS} processes in {:?}",
        WRITERS * PER_WRITER,
        started.elapsed()
    );

    let c = store.connection();
    let total = (1 + WRITERS * PER_WRITER) as i64;
    let mut stmt = c
        .prepare("SELECT n FROM events WHERE meeting_id = ?1 ORDER BY n")
        .unwrap();
    let ns: Vec<i64> = stmt
        .query_map([id], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        ns,
        (0..total).collect::<Vec<_>>(),
        "positions are 0, 1, 2… with no gap"
    );
    // The writers really ran at the same time: their entries interleave.
    let switches = count(
        c,
        "SELECT count(*) FROM events a JOIN events b ON b.seq = a.seq + 1 WHERE a.origin != b.origin",
    );
    eprintln!("the log changes writer {switches} times");
    assert!(switches >= 10, "only {switches} changes of writer");

    for (k, origin) in WRITER_ORIGINS.iter().enumerate() {
        let mine: i64 = c
            .query_row(
                "SELECT count(*) FROM events WHERE origin = ?1 AND kind != 'opened'",
                [origin.key()],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(mine, PER_WRITER as i64, "writer {k}");
        let toggles: i64 = c
            .query_row(
                "SELECT count(*) FROM events WHERE kind = 'presence_set'
                 AND json_extract(payload, '$.participant') = ?1",
                [k as i64 + 1],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(toggles, (PER_WRITER / 2) as i64, "writer {k}");
    }
    let mut stmt = c
        .prepare("SELECT json_extract(payload, '$.text') FROM events WHERE kind = 'text_set'")
        .unwrap();
    let mut texts: HashMap<String, usize> = HashMap::new();
    for t in stmt.query_map([], |r| r.get::<_, String>(0)).unwrap() {
        *texts.entry(t.unwrap()).or_default() += 1;
    }
    assert_eq!(texts.len(), WRITERS * PER_WRITER / 2);
    for k in 0..WRITERS {
        for i in (1..PER_WRITER).step_by(2) {
            assert_eq!(texts.get(&writer_text(k, i)), Some(&1), "writer {k}, {i}");
        }
    }
    assert!(matches!(
        store.verify().unwrap(),
        Verification::Intact { entries, .. } if entries == total
    ));
    // The readable tables agree with the log: each writer's last toggle was to absent.
    let m = store.load(id).unwrap();
    assert_eq!(m.log().len() as i64, total);
    assert_eq!(
        count(
            c,
            "SELECT count(*) FROM attendance WHERE participant_id <= 3 AND status = 'absent'"
        ),
        3
    );
}

#[test]
fn an_action_waits_for_another_programs_long_transaction_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store, id, mut m) = new_meeting(dir.path());
    let (locked, release) = std::sync::mpsc::channel();
    let other = std::thread::spawn(move || {
        // A committee member's SQLite tool keeps a write transaction open for a while.
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            "BEGIN IMMEDIATE; INSERT INTO drafts VALUES (1, 1, 'x', 'facilitator', 'y', NULL, 0);",
        )
        .unwrap();
        locked.send(()).unwrap();
        std::thread::sleep(Duration::from_millis(1500));
        c.execute_batch("COMMIT").unwrap();
    });
    release.recv().unwrap();
    let started = Instant::now();
    let c = Command::SetPresence {
        participant: 1,
        presence: Presence::Present,
        holder: None,
        reason: None,
    };
    store.execute(id, &mut m, &c, common::T0 + 1, F).unwrap();
    assert!(started.elapsed() >= Duration::from_millis(1000));
    other.join().unwrap();
    assert_eq!(count(store.connection(), "SELECT count(*) FROM events"), 2);
}

// ---------------------------------------------------------------------------------------
// The console hold

/// A console holding the meeting as facilitator until its input is closed.
fn holder() {
    let (path, id) = child_db();
    let store = Store::open(&path).unwrap();
    let hold = store.hold(id, "facilitator", "王芳").unwrap();
    println!("holding");
    let mut sink = String::new();
    let _ = std::io::stdin().read_to_string(&mut sink);
    drop(hold);
    println!("let go");
}

fn spawn_holder(test: &str, path: &Path, id: i64) -> (Child, BufReader<ChildStdout>) {
    let mut c = child(test, "holder", path, id)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(c.stdout.take().unwrap());
    wait_for_line(&mut out, "holding");
    (c, out)
}

#[test]
fn a_second_facilitator_is_told_who_holds_the_meeting() {
    if role().as_deref() == Some("holder") {
        return holder();
    }
    let dir = tempfile::tempdir().unwrap();
    let (path, store, id, _) = new_meeting(dir.path());
    let (mut first, mut out) = spawn_holder(
        "a_second_facilitator_is_told_who_holds_the_meeting",
        &path,
        id,
    );

    let e = store.hold(id, "facilitator", "李明").unwrap_err();
    match &e {
        HoldError::HeldBy {
            meeting,
            role,
            who,
            pid,
            since,
            ..
        } => {
            assert_eq!(*meeting, id);
            assert_eq!(role, "facilitator");
            assert_eq!(who, "王芳");
            assert_eq!(*pid, first.id());
            assert!(since.starts_with("20"), "{since}");
        }
        other => panic!("{other:?}"),
    }
    let zh = e.describe(Lang::Zh);
    assert!(
        zh.contains("王芳") && zh.contains("只读") && zh.contains("记录人"),
        "{zh}"
    );
    let en = e.describe(Lang::En);
    assert!(en.contains("read-only") && en.contains("secretary"), "{en}");

    // The secretary's seat is free, and the lock files are private.
    let secretary = store.hold(id, "secretary", "李明").unwrap();
    assert_eq!(mode(secretary.path()), 0o600);
    let facilitator_lock = secretary
        .path()
        .to_string_lossy()
        .replace("secretary", "facilitator");
    assert_eq!(mode(Path::new(&facilitator_lock)), 0o600);

    // When the first console quits, the meeting can be taken.
    drop(first.stdin.take());
    wait_for_line(&mut out, "let go");
    assert!(first.wait().unwrap().success());
    let hold = store.hold(id, "facilitator", "李明").unwrap();
    assert_eq!(hold.holder().who, "李明");
    assert_eq!(hold.holder().pid, std::process::id());
}

#[test]
fn a_hold_left_by_a_killed_console_does_not_block_resume() {
    if role().as_deref() == Some("holder") {
        return holder();
    }
    let dir = tempfile::tempdir().unwrap();
    let (path, store, id, _) = new_meeting(dir.path());
    let (mut first, _out) = spawn_holder(
        "a_hold_left_by_a_killed_console_does_not_block_resume",
        &path,
        id,
    );
    assert!(matches!(
        store.hold(id, "facilitator", "李明"),
        Err(HoldError::HeldBy { .. })
    ));
    first.kill().unwrap(); // SIGKILL: no destructor runs
    first.wait().unwrap();
    let hold = store.hold(id, "facilitator", "李明").unwrap();
    let line = std::fs::read_to_string(hold.path()).unwrap();
    assert!(line.contains("李明") && !line.contains("王芳"), "{line}");
}

// ---------------------------------------------------------------------------------------
// A full disk

fn set_file_size_limit(bytes: u64) {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: plain system calls on a local struct.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_FSIZE, &mut limit), 0);
        limit.rlim_cur = bytes.min(limit.rlim_max);
        assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &limit), 0);
    }
}

fn big_minutes() -> String {
    "低层住户担心采光和噪音，高层住户希望尽快开工。".repeat(20_000)
}

/// In its own process, since the limit is per process: the files may not grow past their
/// size plus 64 KiB, as when a disk fills up.
fn disk_full_child() {
    let (path, id) = child_db();
    let mut store = Store::open(&path).unwrap();
    let mut m = store.load(id).unwrap();
    // Writing past the limit fails with EFBIG instead of killing the process.
    // SAFETY: sets the disposition of one signal before any file is written.
    unsafe { libc::signal(libc::SIGXFSZ, libc::SIG_IGN) };
    let size = |suffix: &str| {
        let mut p = path.clone().into_os_string();
        p.push(suffix);
        std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
    };
    set_file_size_limit(size("").max(size("-wal")) + 64 * 1024);

    let before = m.clone();
    let entries = count(store.connection(), "SELECT count(*) FROM events");
    let big = Command::SetText {
        item: 1,
        field: TextField::Minutes,
        text: big_minutes(),
        base: None,
    };
    let e = store.execute(id, &mut m, &big, now_ms(), F).unwrap_err();
    println!("refused: {e:?}");
    assert!(matches!(e, StoreError::DiskFull), "{e:?}");
    assert!(e.describe(Lang::Zh).contains("磁盘已满"));
    // Nothing half-written, in memory or in the file.
    assert_eq!(m.state(), before.state());
    assert_eq!(m.log().len(), before.log().len());
    assert_eq!(
        count(store.connection(), "SELECT count(*) FROM events"),
        entries
    );
    assert_eq!(
        count(
            store.connection(),
            "SELECT length(minutes) FROM items WHERE id = 1"
        ),
        0
    );
    assert!(matches!(
        store.verify().unwrap(),
        Verification::Intact { .. }
    ));
    // A small action may still fit, or be refused the same way; either way nothing breaks.
    let small = Command::SetPresence {
        participant: 6,
        presence: Presence::Online,
        holder: None,
        reason: None,
    };
    let small_fitted = match store.execute(id, &mut m, &small, now_ms(), F) {
        Ok(_) => true,
        Err(StoreError::DiskFull) => false,
        Err(e) => panic!("{e:?}"),
    };

    // Space is back: the meeting carries on.
    set_file_size_limit(u64::MAX);
    if !small_fitted {
        store.execute(id, &mut m, &small, now_ms(), F).unwrap();
    }
    store.execute(id, &mut m, &big, now_ms(), F).unwrap();
    assert!(matches!(
        store.verify().unwrap(),
        Verification::Intact { entries: e, .. } if e == entries + 2
    ));
    println!("carried on");
}

#[test]
fn a_full_disk_refuses_the_action_whole_and_the_meeting_carries_on() {
    if role().as_deref() == Some("disk-full") {
        return disk_full_child();
    }
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store, id, mut m) = new_meeting(dir.path());
    some_actions(&mut store, id, &mut m, 20);
    drop(store);
    let out = child(
        "a_full_disk_refuses_the_action_whole_and_the_meeting_carries_on",
        "disk-full",
        &path,
        id,
    )
    .output()
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        out.status.success() && stdout.contains("carried on"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = Store::open(&path).unwrap();
    assert!(matches!(
        store.verify().unwrap(),
        Verification::Intact { entries: 23, .. }
    ));
    let m = store.load(id).unwrap();
    assert_eq!(m.state().items[0].minutes, big_minutes());
    assert_eq!(
        count(
            store.connection(),
            "SELECT count(*) FROM events WHERE kind = 'text_set'"
        ),
        1
    );
}

// ---------------------------------------------------------------------------------------
// The file deleted, replaced or damaged; a read-only medium

#[test]
fn a_database_deleted_while_open_is_noticed_and_can_still_be_saved_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store, id, mut m) = new_meeting(dir.path());
    some_actions(&mut store, id, &mut m, 3);
    store.check_file().unwrap();
    std::fs::remove_file(&path).unwrap();

    let e = store.check_file().unwrap_err();
    assert!(matches!(&e, StoreError::FileGone(p) if p == &path), "{e:?}");
    assert!(e.describe(Lang::Zh).contains("被删除或移走"));
    assert!(e.describe(Lang::En).contains("deleted or moved"));
    // No action goes into the deleted file, where it would be lost on exit…
    let next = Command::NextItem;
    assert!(matches!(
        store.execute(id, &mut m, &next, common::T0 + 60_000, F),
        Err(StoreError::FileGone(_))
    ));
    assert_eq!(m.log().len(), 4);
    // …but everything so far can be saved from the open console.
    let rescue = dir.path().join("rescued.db");
    store.backup_to(&rescue).unwrap();
    let saved = Store::open(&rescue).unwrap();
    assert_eq!(saved.load(id).unwrap().state(), m.state());
}

#[test]
fn a_database_replaced_while_open_is_noticed() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store, id, mut m) = new_meeting(dir.path());
    let other = dir.path().join("other.db");
    Store::open(&other).unwrap();
    std::fs::rename(&other, &path).unwrap();

    let e = store.check_file().unwrap_err();
    assert!(
        matches!(&e, StoreError::FileReplaced(p) if p == &path),
        "{e:?}"
    );
    assert!(e.describe(Lang::Zh).contains("被另一个文件替换"));
    assert!(e.describe(Lang::En).contains("replaced by another file"));
    assert!(matches!(
        store.execute(id, &mut m, &Command::NextItem, common::T0 + 1, F),
        Err(StoreError::FileReplaced(_))
    ));
}

#[test]
fn a_damaged_file_is_refused_naming_the_newest_backup() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store, id, mut m) = new_meeting(dir.path());
    some_actions(&mut store, id, &mut m, 300);
    store
        .execute(id, &mut m, &Command::EndMeeting, common::T0 + 400_000, F)
        .unwrap();
    let backup = store.last_auto_backup().unwrap().as_ref().unwrap().clone();
    store
        .connection()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    drop(store);

    // Scribble over pages in the middle of the file.
    let mut bytes = std::fs::read(&path).unwrap();
    let page = 4096;
    let pages = bytes.len() / page;
    assert!(pages > 8, "{pages} pages");
    let start = pages / 2 * page;
    for b in &mut bytes[start..start + 2 * page] {
        *b = 0xa5;
    }
    std::fs::write(&path, bytes).unwrap();

    let e = Store::open(&path).err().expect("a damaged file is refused");
    match &e {
        StoreError::Corrupt {
            path: p, backup: b, ..
        } => {
            assert_eq!(p, &path);
            assert_eq!(b.as_ref(), Some(&backup));
        }
        other => panic!("{other:?}"),
    }
    let zh = e.describe(Lang::Zh);
    assert!(
        zh.contains("已损坏") && zh.contains(&backup.display().to_string()),
        "{zh}"
    );
    let en = e.describe(Lang::En);
    assert!(
        en.contains("damaged") && en.contains(&backup.display().to_string()),
        "{en}"
    );
    // And the backup it names is whole.
    let restored = Store::open(&backup).unwrap();
    assert!(restored.load(id).unwrap().state().ended_at.is_some());

    // An export opens the file without reading every page first; damage in what it reads
    // fails it, told as damage with the backup, and nothing is written.
    let mut bytes = std::fs::read(&path).unwrap();
    for start in (3 * page..bytes.len()).step_by(3 * page) {
        for b in &mut bytes[start..start + page] {
            *b = 0xa5;
        }
    }
    std::fs::write(&path, bytes).unwrap();
    let out = dir.path().join("纪要.md");
    let (code, _, err) = common::yishi(&path, &["export", "-f", "md", "-o", out.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("已损坏") && err.contains(&backup.display().to_string()),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn a_read_only_medium_opens_read_only_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store, id, mut m) = new_meeting(dir.path());
    some_actions(&mut store, id, &mut m, 3);
    drop(store);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o500)).unwrap();
    let restore = || {
        let _ = std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700));
    };
    if std::fs::write(dir.path().join("probe"), "").is_ok() {
        restore();
        eprintln!("file modes are not enforced for this user (root?): skipped");
        return;
    }
    let opened = Store::open(&path);
    restore();
    let mut store = opened.unwrap();
    assert!(store.is_read_only());
    assert_eq!(store.load(id).unwrap().state(), m.state());
    let notice = store.open_notice(Lang::Zh).unwrap();
    assert!(notice.contains("只读方式打开"), "{notice}");
    let notice = store.open_notice(Lang::En).unwrap();
    assert!(notice.contains("opened read-only"), "{notice}");
    let e = store
        .execute(id, &mut m, &Command::NextItem, common::T0 + 60_000, F)
        .unwrap_err();
    assert!(matches!(e, StoreError::ReadOnly(_)));
    assert!(e.describe(Lang::En).contains("opened read-only"));
}

// ---------------------------------------------------------------------------------------
// Backups

#[test]
fn a_backup_is_a_yishi_database_with_the_same_meetings() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store, id, mut m) = new_meeting(dir.path());
    some_actions(&mut store, id, &mut m, 5);
    store
        .create_meeting(common::setup(), None, common::T0 + 10, Origin::Cli)
        .unwrap();
    let copy = dir.path().join("copy.db");
    store.backup_to(&copy).unwrap();
    assert_eq!(mode(&copy), 0o600);
    let wal = dir.path().join("copy.db-wal");
    assert!(!wal.exists(), "the copy is one self-contained file");
    let back = Store::open(&copy).unwrap();
    assert_eq!(back.list().unwrap(), store.list().unwrap());
    assert_eq!(back.load(id).unwrap().state(), m.state());
    assert!(matches!(
        back.verify().unwrap(),
        Verification::Intact { entries: 7, .. }
    ));
    // A second copy over the first replaces it whole.
    some_actions(&mut store, id, &mut m, 1);
    drop(back);
    store.backup_to(&copy).unwrap();
    assert_eq!(Store::open(&copy).unwrap().load(id).unwrap().log().len(), 7);
    assert_eq!(path, store.path());
}

#[test]
fn closing_a_meeting_leaves_a_private_backup_and_only_twenty_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store, id, mut m) = new_meeting(dir.path());
    some_actions(&mut store, id, &mut m, 3);
    assert!(automatic_backups(&path).is_empty());
    store
        .execute(id, &mut m, &Command::EndMeeting, common::T0 + 60_000, F)
        .unwrap();
    let made = store.last_auto_backup().unwrap().as_ref().unwrap().clone();
    assert_eq!(automatic_backups(&path), vec![made.clone()]);
    let name = made.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("yishi-20") && name.ends_with(&format!("-meeting-{id}-closed.db")),
        "{name}"
    );
    assert_eq!(made.parent().unwrap(), dir.path().join("backups"));
    assert_eq!(mode(&made), 0o600);
    assert_eq!(mode(made.parent().unwrap()), 0o700);
    let copy = Store::open(&made).unwrap();
    assert!(copy.load(id).unwrap().state().ended_at.is_some());
    drop(copy);

    // Other files in the folder are left alone; automatic copies beyond twenty go.
    std::fs::write(dir.path().join("backups/keep-me.db"), "").unwrap();
    for _ in 0..24 {
        store.auto_backup("test").unwrap();
    }
    let kept = automatic_backups(&path);
    assert_eq!(kept.len(), 20);
    assert!(dir.path().join("backups/keep-me.db").exists());
    assert!(!made.exists(), "the oldest went first");
}

#[test]
fn an_older_file_is_backed_up_before_it_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        // A yishi file from before the first schema, with something in it.
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "application_id", yishi::store::schema::APPLICATION_ID)
            .unwrap();
        c.execute_batch("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('旧记录');")
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert!(store.list().unwrap().is_empty(), "migrated");
    let backups = automatic_backups(&path);
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert!(backups[0].to_string_lossy().contains("-before-v"));
    let old = Connection::open(&backups[0]).unwrap();
    assert_eq!(count(&old, "PRAGMA user_version"), 0);
    let text: String = old
        .query_row("SELECT text FROM notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(text, "旧记录");
    // A new, empty file is not worth a copy.
    Store::open(&dir.path().join("new.db")).unwrap();
    assert!(automatic_backups(&dir.path().join("new.db")).is_empty());
}

#[test]
fn yishi_backup_writes_the_file_and_will_not_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store, id, mut m) = new_meeting(dir.path());
    some_actions(&mut store, id, &mut m, 4);
    drop(store);
    let target = dir.path().join("周五备份.db");
    let yishi = |args: &[&str]| {
        Process::new(env!("CARGO_BIN_EXE_yishi"))
            .arg("--db")
            .arg(&path)
            .args(args)
            .arg(&target)
            .output()
            .unwrap()
    };

    let out = yishi(&["--lang", "zh-CN", "backup"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("已备份到") && stdout.contains("周五备份.db"),
        "{stdout}"
    );
    assert_eq!(mode(&target), 0o600);
    assert_eq!(
        Store::open(&target).unwrap().load(id).unwrap().state(),
        m.state()
    );

    let out = yishi(&["--lang", "en", "backup"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("already exists") && stderr.contains("--force"),
        "{stderr}"
    );

    let out = yishi(&["--lang", "en", "backup", "--force"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Backed up to"));
}
