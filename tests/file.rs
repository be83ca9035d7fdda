//! The file on a real laptop: a plain copy of the `.db` taken mid-meeting holds the meeting,
//! copies are made during the meeting, a deleted file can be saved from the open console, a
//! `-wal` left alone is never thrown away, the file's odd states each get their own sentence,
//! signals leave the terminal usable, and an editor whose save fails can be left.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output, Stdio};
use std::time::{Duration, Instant};

use common::pty::Console;
use rusqlite::Connection;
use yishi::domain::state::*;
use yishi::lang::Lang;
use yishi::store::{
    DURING_EVERY, KEEP_DURING, QUIET_AFTER, Reason, Store, StoreError, automatic_backups,
};

const F: Origin = Origin::Facilitator;

fn new_meeting(dir: &Path) -> (PathBuf, Store, i64, Meeting) {
    let path = dir.join("yishi.db");
    let mut store = Store::open(&path).unwrap();
    let (id, m) = store
        .create_meeting(common::setup(), None, common::T0, F)
        .unwrap();
    (path, store, id, m)
}

fn present(store: &mut Store, id: i64, m: &mut Meeting, who: std::ops::RangeInclusive<u32>) {
    for participant in who {
        let c = Command::SetPresence {
            participant,
            presence: Presence::Present,
            holder: None,
            reason: None,
        };
        store.execute(id, m, &c, common::T0 + 1_000, F).unwrap();
    }
}

/// Copies only the `.db` file, as a file manager would, and counts the log in the copy.
fn events_in_plain_copy(db: &Path, to: &Path) -> i64 {
    std::fs::copy(db, to).unwrap();
    let c = Connection::open(to).unwrap();
    c.query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .unwrap_or(0)
}

/// `yishi --db DB --lang LANG ARGS…`, given at most ten seconds.
fn yishi(db: &Path, lang: &str, args: &[&str], setup: impl FnOnce(&mut Process)) -> Output {
    let mut cmd = Process::new(env!("CARGO_BIN_EXE_yishi"));
    cmd.arg("--db")
        .arg(db)
        .args(["--lang", lang])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    setup(&mut cmd);
    let mut child = cmd.spawn().unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("yishi {args:?} on {} hangs", db.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// One sentence in each language: exit code 1, the words expected, and in Chinese no words
/// of SQLite's or the system's English.
fn refused_in_both(db: &Path, args: &[&str], zh: &str, en: &str) {
    let out = yishi(db, "zh-CN", args, |_| {});
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains(zh), "{text}");
    let without_path = text.replace(&db.display().to_string(), "");
    assert!(
        !without_path.contains("os error") && !without_path.contains("database"),
        "{text}"
    );
    assert_eq!(text.trim().lines().count(), 1, "{text}");
    let out = yishi(db, "en", args, |_| {});
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains(en), "{text}");
}

fn set_file_size_limit(bytes: u64) -> std::io::Result<()> {
    let limit = libc::rlimit {
        rlim_cur: bytes,
        rlim_max: libc::RLIM_INFINITY,
    };
    // SAFETY: a plain system call on a local struct.
    match unsafe { libc::setrlimit(libc::RLIMIT_FSIZE, &limit) } {
        0 => Ok(()),
        _ => Err(std::io::Error::last_os_error()),
    }
}

// ---------------------------------------------------------------------------------------
// A plain copy of the file, and copies during the meeting

#[test]
fn a_plain_copy_of_the_file_holds_the_meeting_after_an_item_change_and_a_quiet_moment() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store, id, mut m) = new_meeting(dir.path());
    present(&mut store, id, &mut m, 1..=4);
    store
        .execute(id, &mut m, &Command::NextItem, common::T0 + 60_000, F)
        .unwrap();
    // The console still has the file open: no quit has moved the log into it. The item
    // change is moved there at the first quiet moment after it.
    std::thread::sleep(QUIET_AFTER);
    assert!(store.checkpoint_if_quiet().unwrap());
    assert_eq!(
        events_in_plain_copy(&path, &dir.path().join("copy1.db")),
        6,
        "the item change is in the file itself"
    );

    present(&mut store, id, &mut m, 5..=6);
    assert!(!store.checkpoint_if_quiet().unwrap(), "not quiet yet");
    std::thread::sleep(QUIET_AFTER);
    assert!(store.checkpoint_if_quiet().unwrap());
    assert_eq!(
        events_in_plain_copy(&path, &dir.path().join("copy2.db")),
        8,
        "a quiet moment puts the last actions in the file"
    );
    assert!(!store.checkpoint_if_quiet().unwrap(), "nothing new to move");
}

#[test]
fn item_changes_leave_backups_at_most_every_few_minutes_and_only_the_newest_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store, id, mut m) = new_meeting(dir.path());
    present(&mut store, id, &mut m, 1..=4);
    store
        .execute(id, &mut m, &Command::NextItem, common::T0 + 60_000, F)
        .unwrap();
    // The copy waits for a quiet moment: the key that moved the meeting costs no more.
    assert!(store.last_auto_backup().is_none());
    assert!(automatic_backups(&path).is_empty());
    std::thread::sleep(QUIET_AFTER);
    assert!(store.checkpoint_if_quiet().unwrap());
    assert!(!store.take_copy_failure());
    let made = store.last_auto_backup().unwrap().as_ref().unwrap().clone();
    assert_eq!(automatic_backups(&path), vec![made.clone()]);
    let name = made.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.ends_with(&format!("-meeting-{id}-item-1.db")),
        "{name}"
    );
    let copy = Store::open(&made).unwrap();
    assert_eq!(copy.load(id).unwrap().state(), m.state());
    drop(copy);

    // A quick second change makes no second copy.
    store
        .execute(id, &mut m, &Command::NextItem, common::T0 + 120_000, F)
        .unwrap();
    store.settle().unwrap();
    assert_eq!(automatic_backups(&path).len(), 1);
    assert!(DURING_EVERY >= Duration::from_secs(60));

    // Copies made during meetings make room for each other, not for a closed meeting's.
    store
        .execute(id, &mut m, &Command::EndMeeting, common::T0 + 180_000, F)
        .unwrap();
    let closed = store.last_auto_backup().unwrap().as_ref().unwrap().clone();
    for _ in 0..KEEP_DURING + 3 {
        store.auto_backup(&format!("meeting-{id}-item-2")).unwrap();
    }
    let kept = automatic_backups(&path);
    let during = kept
        .iter()
        .filter(|p| p.to_string_lossy().contains("-item-"))
        .count();
    assert_eq!(during, KEEP_DURING);
    assert!(kept.contains(&closed), "{kept:?}");
    assert!(
        !made.exists(),
        "the oldest copy during the meeting went first"
    );
}

#[test]
fn an_item_change_whose_copy_fails_still_stands_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store, id, mut m) = new_meeting(dir.path());
    // Something else took the name of the backups folder.
    std::fs::write(dir.path().join("backups"), "").unwrap();
    store
        .execute(id, &mut m, &Command::NextItem, common::T0 + 60_000, F)
        .unwrap();
    assert_eq!(m.state().current_item().map(|i| i.id), Some(1));
    // The copy is tried at the next quiet moment (or when the console closes), and its
    // failure is told once.
    store.settle().unwrap();
    assert!(store.take_copy_failure());
    assert!(!store.take_copy_failure());
    let e = store.last_auto_backup().unwrap().as_ref().unwrap_err();
    assert!(matches!(e, StoreError::BackupFailed { .. }), "{e:?}");
    let zh = e.describe(Lang::Zh);
    let words = zh.replace(&dir.path().join("backups").display().to_string(), "");
    assert!(words.contains("未能写入"), "{zh}");
    assert!(!words.chars().any(|c| c.is_ascii_alphabetic()), "{zh}");
}

// ---------------------------------------------------------------------------------------
// A -wal without its database; a FIFO, a folder, a read-only folder, a full disk

#[test]
fn a_wal_left_without_its_database_is_refused_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store, id, mut m) = new_meeting(dir.path());
    present(&mut store, id, &mut m, 1..=3);
    // The database was moved away (USB stick), its log stayed.
    let lonely = tempfile::tempdir().unwrap();
    let db = lonely.path().join("yishi.db");
    std::fs::copy(yishi::store::wal_path(&path), yishi::store::wal_path(&db)).unwrap();
    drop(store);

    let e = Store::open(&db).err().expect("refused");
    assert!(
        matches!(&e, StoreError::OrphanWal { path, .. } if path == &db),
        "{e:?}"
    );
    assert!(!db.exists(), "no new empty database beside the log");
    refused_in_both(&db, &["resume"], "但它的日志文件", "its write-ahead log");
    let zh = e.describe(Lang::Zh);
    assert!(zh.contains("放回原处") && zh.contains("请勿删除"), "{zh}");
    assert!(!db.exists());
    assert!(yishi::store::wal_path(&db).exists(), "the log is kept");
}

#[test]
fn a_fifo_or_a_folder_as_the_database_each_say_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.db");
    let status = Process::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    refused_in_both(&fifo, &["list"], "不是普通文件", "not a regular file");
    let folder = dir.path().join("会议");
    std::fs::create_dir(&folder).unwrap();
    refused_in_both(&folder, &["list"], "是一个文件夹", "is a folder");
    let out = yishi(&folder, "zh-CN", &["list"], |_| {});
    assert!(stderr(&out).contains("yishi.db"), "names a file to use");
}

#[test]
fn a_read_only_folder_is_told_apart_from_a_damaged_file() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store, id, mut m) = new_meeting(dir.path());
    present(&mut store, id, &mut m, 1..=2);
    drop(store);
    let folder = dir.path().join("只读");
    std::fs::create_dir(&folder).unwrap();
    let db = folder.join("yishi.db");
    std::fs::copy(&path, &db).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o666)).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    // Root may write anywhere: run as nobody then.
    let as_user = |cmd: &mut Process| {
        // SAFETY: getuid has no preconditions.
        if unsafe { libc::getuid() } == 0 {
            cmd.uid(65534).gid(65534);
        }
    };

    // Reading works, and says it is read-only because of the folder.
    let out = yishi(&db, "zh-CN", &["list"], as_user);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("加装电梯"));
    // Recording is refused with that sentence, not "damaged".
    let agenda = Path::new(env!("CARGO_MANIFEST_DIR")).join("agendas/evaluation-q3.toml");
    let agenda = agenda.to_str().unwrap();
    for (lang, want) in [
        ("zh-CN", "所在的文件夹不可写"),
        ("en", "folder of the database"),
    ] {
        let out = yishi(&db, lang, &["run", agenda], as_user);
        let text = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert!(text.contains(want) && !text.contains("损坏"), "{text}");
        assert!(
            !text.contains("damaged") && !text.contains("readonly"),
            "{text}"
        );
    }
    // A new file there cannot be made, and says why in Chinese words.
    let new = folder.join("new.db");
    let out = yishi(&new, "zh-CN", &["list"], as_user);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("无法新建数据库") && text.contains("没有权限"),
        "{text}"
    );
    assert!(!text.contains("os error"), "{text}");
    let _ = std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755));
}

#[test]
fn a_full_disk_at_open_says_the_disk_is_full() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store, id, mut m) = new_meeting(dir.path());
    present(&mut store, id, &mut m, 1..=2);
    drop(store);
    assert!(!yishi::store::wal_path(&path).exists(), "closed cleanly");
    let full = |cmd: &mut Process| {
        // SAFETY: only setrlimit runs between fork and exec.
        unsafe { cmd.pre_exec(|| set_file_size_limit(0)) };
    };
    for (lang, want) in [
        ("zh-CN", "磁盘已满，无法打开数据库"),
        ("en", "The disk is full"),
    ] {
        for db in [path.clone(), dir.path().join(format!("new-{lang}.db"))] {
            let out = yishi(&db, lang, &["list"], full);
            let text = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{}: {text}", db.display());
            assert!(text.contains(want), "{}: {text}", db.display());
            assert!(
                !text.contains("损坏") && !text.contains("damaged"),
                "{text}"
            );
        }
    }
    // Space is back: the record is whole.
    let out = yishi(&path, "en", &["verify"], |_| {});
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn sqlite_errors_in_chinese_carry_no_english() {
    let e = rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
        Some("database disk image is malformed".into()),
    );
    let zh = StoreError::Sqlite(e).describe(Lang::Zh);
    assert!(!zh.chars().any(|c| c.is_ascii_alphabetic()), "{zh}");
    let damaged = StoreError::Corrupt {
        path: PathBuf::from("/会议/yishi.db"),
        detail: Reason::new(
            "*** in database main *** Page 7: btreeInitPage() returns error code 11",
            "完整性检查未通过",
        ),
        backup: None,
        code: None,
    };
    let zh = damaged.describe(Lang::Zh).replace("/会议/yishi.db", "");
    assert!(!zh.chars().any(|c| c.is_ascii_alphabetic()), "{zh}");
    assert!(damaged.describe(Lang::En).contains("btreeInitPage"));
}

// ---------------------------------------------------------------------------------------
// The real console in a terminal

fn sign_in(c: &mut Console, who: &str, count: usize) {
    c.send("a");
    c.send(who);
    c.send(" ");
    c.wait_for(&format!("实到 {count}/12"));
    c.esc();
    c.esc();
}

fn count(db: &Path, sql: &str) -> i64 {
    let c = Connection::open(db).unwrap();
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_copy_of_the_db_alone_three_seconds_after_an_item_change_holds_the_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("yishi.db");
    let mut c = Console::start(&db, "zh-CN", &["run", "agendas/elevator.toml"], 120, 40);
    c.wait_for("会前签到");
    sign_in(&mut c, "zjg", 1);
    c.send("n");
    c.wait_for("议题 1/4");
    std::thread::sleep(Duration::from_secs(3));
    let usb = tempfile::tempdir().unwrap();
    let copy = usb.path().join("yishi.db");
    std::fs::copy(&db, &copy).unwrap();
    assert_eq!(
        count(&copy, "SELECT count(*) FROM items WHERE status = 'current'"),
        1
    );
    assert_eq!(
        count(
            &copy,
            "SELECT count(*) FROM attendance WHERE status = 'present'"
        ),
        1
    );
    assert!(count(&copy, "SELECT count(*) FROM events") >= 3);
    // And a copy was left in backups/ at the item change.
    assert_eq!(automatic_backups(&db).len(), 1);
    c.send("q");
    assert_eq!(c.wait_exit(), 0);
}

/// Signs somebody in, opens the minutes and types, then sends the signal: the terminal is
/// given back, the action and the typed text are in the file.
fn signal_leaves_the_terminal_usable(signal: &str) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("yishi.db");
    let mut c = Console::start(&db, "zh-CN", &["run", "agendas/elevator.toml"], 120, 40);
    c.wait_for("会前签到");
    assert!(c.alternate_screen() && !c.cooked(), "a full-screen console");
    sign_in(&mut c, "lzq", 1);
    c.send("n");
    c.wait_for("议题 1/4");
    c.send("m");
    c.wait_for("会议记录 —");
    c.send("刚打的字");
    c.signal(signal);
    assert_eq!(c.wait_exit(), 0, "kill -{signal} ends it as q does");
    assert!(
        !c.alternate_screen(),
        "kill -{signal}: the main screen is back"
    );
    assert!(c.cooked(), "kill -{signal}: raw mode is off");
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM attendance WHERE status = 'present'"
        ),
        1
    );
    let c2 = Connection::open(&db).unwrap();
    let draft: String = c2
        .query_row("SELECT text FROM drafts WHERE field = 'minutes'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(
        draft, "刚打的字",
        "kill -{signal}: the typed text is a draft"
    );
}

#[test]
fn kill_term_leaves_the_terminal_usable_and_the_record_whole() {
    signal_leaves_the_terminal_usable("TERM");
}

#[test]
fn a_closed_terminal_window_leaves_the_record_whole() {
    signal_leaves_the_terminal_usable("HUP");
}

#[test]
fn a_file_size_limit_is_a_full_disk_and_the_editor_can_still_be_left() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("yishi.db");
    let mut c = Console::start(&db, "zh-CN", &["run", "agendas/elevator.toml"], 200, 40);
    c.wait_for("会前签到");
    c.send("n");
    c.wait_for("议题 1/4");
    std::thread::sleep(QUIET_AFTER + Duration::from_millis(500));
    // `ulimit -f` reached mid-meeting: files may grow by 16 KiB at most.
    let size = |suffix: &str| {
        let mut p = db.clone().into_os_string();
        p.push(suffix);
        std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
    };
    let limit = libc::rlimit {
        rlim_cur: size("").max(size("-wal")) + 16 * 1024,
        rlim_max: libc::RLIM_INFINITY,
    };
    let pid = c.pid().unwrap() as libc::pid_t;
    // SAFETY: a plain system call on a local struct.
    let set = unsafe { libc::prlimit(pid, libc::RLIMIT_FSIZE, &limit, std::ptr::null_mut()) };
    assert_eq!(set, 0, "{}", std::io::Error::last_os_error());

    c.send("m");
    c.wait_for("会议记录 —");
    let long = "低层住户担心采光。\n".repeat(12_000);
    c.send(&format!("\x1b[200~{long}\x1b[201~"));
    c.send("结尾");
    c.esc();
    c.wait_for("磁盘已满");
    c.wait_for("文字仍在编辑器中");
    c.wait_for("结尾");
    // The second Esc leaves; the text is kept.
    c.esc();
    c.wait_for("暂存在本控制台");
    assert!(!c.screen().contains("会议记录 —"), "the editor is closed");
    c.send("m");
    c.wait_for("已恢复未保存的草稿");
    c.wait_for("结尾");
    c.esc();
    c.wait_for("文字仍在编辑器中");
    c.esc();
    c.send("q");
    assert_eq!(c.wait_exit(), 0, "still alive after the refused write");
    assert!(!c.alternate_screen() && c.cooked());
    // The text that could not be saved anywhere is printed on the terminal at the end.
    assert!(c.screen().contains("结尾"), "{}", c.screen());
}

#[test]
fn a_database_deleted_mid_meeting_is_saved_with_b_and_on_quit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("yishi.db");
    let mut c = Console::start(&db, "zh-CN", &["run", "agendas/elevator.toml"], 200, 40);
    c.wait_for("会前签到");
    sign_in(&mut c, "wf", 1);
    c.send("n");
    c.wait_for("议题 1/4");
    std::fs::remove_file(&db).unwrap();
    c.wait_for("按 b 另存一份副本");
    c.send("b");
    c.wait_for("已另存副本到");
    let saved = |dir: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                let n = p.file_name().unwrap().to_string_lossy().into_owned();
                n.starts_with("yishi-saved-") && n.ends_with(".db")
            })
            .collect();
        v.sort();
        v
    };
    let first = saved(dir.path());
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(
        count(
            &first[0],
            "SELECT count(*) FROM attendance WHERE status = 'present'"
        ),
        1
    );

    // The editor cannot save into the deleted file: Esc says so, a second Esc leaves.
    c.send("m");
    c.wait_for("会议记录 —");
    c.send("居民要求公开报价");
    c.esc();
    c.wait_for("文字仍在编辑器中");
    c.esc();
    c.wait_for("暂存在本控制台");
    c.send("m");
    c.wait_for("居民要求公开报价");
    c.esc();
    c.esc();
    c.send("q");
    assert_eq!(c.wait_exit(), 0);
    assert!(!c.alternate_screen() && c.cooked());
    c.wait_for("已另存到");
    // Quitting saved a copy again, with the text as a draft: resume on it shows it.
    let all = saved(dir.path());
    assert_eq!(all.len(), 2, "{all:?}");
    let last = all.iter().find(|p| !first.contains(p)).unwrap();
    let conn = Connection::open(last).unwrap();
    let draft: String = conn
        .query_row("SELECT text FROM drafts WHERE field = 'minutes'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(draft, "居民要求公开报价");
}
