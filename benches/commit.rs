//! How long every kind of action takes to be on disk (`Store::execute`: catch-up, decide, log
//! entry, readable tables, commit with a full sync) on the large meeting, generated through the
//! store (300 participants, 60 items, 2,000 speeches, 20,000 entries) and at 3× and 10× it,
//! against the floor: a bare INSERT and COMMIT of a row of the same size in a WAL file with
//! synchronous=FULL, taken in turn with each action, and one writing the four pages every
//! action writes at the least. Both files are measured in their working state: on the disk,
//! their WAL grown to its working size once. Then again with the sync off, which leaves the
//! program's own share. Then an undo from a console whose last action lies 1,500 entries
//! back (the same at every size: it replays what it reaches, not the log). Also: opening the
//! file and rebuilding the meeting, against a plain read of its log.
//!
//! `cargo bench --bench commit`. `YISHI_BENCH_SCALES` (default `1,3,10`) picks the sizes,
//! `YISHI_BENCH_SAMPLES` (default 60) the rounds at 1× (fewer at larger sizes),
//! `YISHI_BENCH_DIR` the folder (default: the temporary folder), since the floor is the disk's.

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use rusqlite::{Connection, params};
use yishi::domain::model::Role;
use yishi::domain::state::*;
use yishi::store::{MeetingId, Store};

const F: Origin = Origin::Facilitator;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

struct Bare(Connection);

impl Bare {
    fn new(path: &std::path::Path) -> Bare {
        let c = Connection::open(path).unwrap();
        c.pragma_update(None, "journal_mode", "WAL").unwrap();
        c.pragma_update(None, "synchronous", "FULL").unwrap();
        c.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL);
             CREATE TABLE t2 (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);
             CREATE INDEX t2_n ON t2 (n);
             CREATE TABLE t3 (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);",
        )
        .unwrap();
        // In its working state, as the meeting's file is: the WAL grown to its size once (a
        // checkpoint then writes it again from the start) and on the disk. A sync of a file
        // that grows also writes its new size, and costs more.
        c.pragma_update(None, "synchronous", "OFF").unwrap();
        for _ in 0..1_200 {
            c.execute("INSERT INTO t (payload) VALUES ('x')", [])
                .unwrap();
        }
        c.pragma_update(None, "synchronous", "FULL").unwrap();
        for file in [path.to_path_buf(), path.with_extension("db-wal")] {
            std::fs::File::open(file).unwrap().sync_all().unwrap();
        }
        Bare(c)
    }

    /// One row of `bytes` in one page; with `four`, also the pages every action writes at
    /// the least beside it: its log entry's index, the chain's head and one readable row.
    fn commit(&self, bytes: usize, four: bool) -> Duration {
        let payload = "x".repeat(bytes);
        let started = Instant::now();
        self.0.execute_batch("BEGIN IMMEDIATE").unwrap();
        self.0
            .execute("INSERT INTO t (payload) VALUES (?1)", params![payload])
            .unwrap();
        if four {
            let n = self.0.last_insert_rowid();
            self.0
                .execute("INSERT INTO t2 (n) VALUES (?1)", params![n])
                .unwrap();
            self.0
                .execute(
                    "INSERT OR REPLACE INTO t3 (id, n) VALUES (1, ?1)",
                    params![n],
                )
                .unwrap();
        }
        self.0.execute_batch("COMMIT").unwrap();
        started.elapsed()
    }
}

/// One round of every kind of action a console sends, each leaving the meeting ready for the
/// next round.
fn round(i: usize, m: &Meeting) -> Vec<(&'static str, Command)> {
    let s = m.state();
    let n = s.participants.len() as u32;
    let p = (i as u32 * 7) % (n * 5 / 6) + 1;
    let current = s.current_item().map_or(1, |it| it.id);
    let other = if current == 1 { 2 } else { 1 };
    let presence = match s.presence(p) {
        Presence::Present => Presence::Online,
        _ => Presence::Present,
    };
    vec![
        (
            "SetPresence",
            Command::SetPresence {
                participant: p,
                presence,
                holder: None,
                reason: None,
            },
        ),
        (
            "QueueSpeaker",
            Command::QueueSpeaker {
                participant: p,
                kind: SpeechKind::Speech,
            },
        ),
        ("StartNextSpeaker", Command::StartNextSpeaker),
        ("TogglePause (Space)", Command::TogglePause),
        ("TogglePause (Space)", Command::TogglePause),
        ("EndSpeech", Command::EndSpeech),
        (
            "SetText, 200 chars",
            Command::SetText {
                item: current,
                field: TextField::Minutes,
                text: common::minutes(i, 200),
                base: None,
            },
        ),
        (
            "SetDissent",
            Command::SetDissent {
                item: current,
                text: format!("李秀英{i}：担心噪音"),
                base: None,
            },
        ),
        ("RecordVote", common::vote(s, current)),
        (
            "AddAction",
            Command::AddAction {
                item: current,
                what: format!("跟进第{i}条意见"),
                owner: "赵敏".into(),
                due: Some("2026-12-31".into()),
            },
        ),
        ("PreviousItem (p)", Command::PreviousItem),
        ("NextItem (n)", Command::NextItem),
        ("ToggleDefer", Command::ToggleDefer { item: other }),
        ("ToggleDefer", Command::ToggleDefer { item: other }),
        (
            "AddItem",
            Command::AddItem {
                title: format!("临时动议{i}"),
            },
        ),
        ("Undo (u) of AddItem", Command::Undo),
        (
            "AddWalkIn",
            Command::AddWalkIn {
                name: format!("来宾{i}"),
                role: Role::Resident,
                unit: None,
                voter: true,
                area: None,
                not_entitled: None,
            },
        ),
        ("Undo (u) of AddWalkIn", Command::Undo),
        (
            "SetPresence",
            Command::SetPresence {
                participant: p,
                presence: Presence::Proxy,
                holder: None,
                reason: None,
            },
        ),
        ("Undo (u) of presence", Command::Undo),
    ]
}

/// An action that needs the round before it (UpdateAction needs an action).
fn update_action(m: &Meeting) -> Command {
    let action = m.state().actions.last().map_or(1, |a| a.id);
    Command::UpdateAction {
        action,
        status: ActionStatus::InProgress,
        note: Some("已联系施工方".into()),
    }
}

/// Per action: its times, the bare commit's, the bare 4-page commit's.
type Samples = BTreeMap<&'static str, (Vec<Duration>, Vec<Duration>, Vec<Duration>)>;

fn measure(
    store: &mut Store,
    bare: &Bare,
    id: MeetingId,
    m: &mut Meeting,
    at: &mut i64,
    rounds: usize,
    sync: &str,
) -> Samples {
    store
        .connection()
        .pragma_update(None, "synchronous", sync)
        .unwrap();
    bare.0.pragma_update(None, "synchronous", sync).unwrap();
    let mut out: Samples = BTreeMap::new();
    for i in 0..rounds {
        let mut commands = round(i, m);
        // UpdateAction needs the action this round adds.
        commands.insert(10, ("UpdateAction", Command::Undo));
        for (name, command) in commands {
            let command = if name == "UpdateAction" {
                update_action(m)
            } else {
                command
            };
            *at += 1_000;
            let started = Instant::now();
            let event = store
                .execute(id, m, &command, *at, F)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let took = started.elapsed();
            let bytes = serde_json::to_string(&event.change).unwrap().len();
            let floor = bare.commit(bytes, false);
            let pages = bare.commit(bytes, true);
            let entry = out.entry(name).or_default();
            entry.0.push(took);
            entry.1.push(floor);
            entry.2.push(pages);
        }
    }
    out
}

/// A console some minutes into its work: SQLite removes the `-wal` when the last connection
/// closes, and a console's first ~250 actions grow it again to its working size (1,000
/// pages), each sync then also writing the file's new size. After that every commit writes
/// the WAL in place. Measured there, as the bare commit is.
fn warm_up(
    store: &mut Store,
    id: MeetingId,
    m: &mut Meeting,
    at: &mut i64,
    path: &std::path::Path,
) {
    store
        .connection()
        .pragma_update(None, "synchronous", "OFF")
        .unwrap();
    sign_in_back_and_forth(store, id, m, at, 1, 300);
    at_rest(store, path);
}

/// `times` sign-in changes of one person (online, then in the room, and so on) at the
/// facilitator's console, each its own action.
fn sign_in_back_and_forth(
    store: &mut Store,
    id: MeetingId,
    m: &mut Meeting,
    at: &mut i64,
    participant: u32,
    times: usize,
) {
    for i in 0..times {
        *at += 1_000;
        let presence = if i % 2 == 0 {
            Presence::Online
        } else {
            Presence::Present
        };
        let command = Command::SetPresence {
            participant,
            presence,
            holder: None,
            reason: None,
        };
        store.execute(id, m, &command, *at, F).unwrap();
    }
}

/// Undo from a console whose last action lies `reach` entries back (another console took
/// every action since, as a sign-in desk does): the undo replays the entries after it, from
/// the checkpoint nearest before it. Taken with a full sync; the entries in between with none.
fn far_undo(
    store: &mut Store,
    id: MeetingId,
    m: &mut Meeting,
    at: &mut i64,
    reach: usize,
    rounds: usize,
) -> Vec<Duration> {
    let mut out = Vec::new();
    for r in 0..rounds {
        store
            .connection()
            .pragma_update(None, "synchronous", "OFF")
            .unwrap();
        *at += 1_000;
        let item = m.state().current_item().map_or(1, |it| it.id);
        let text = common::minutes(r, 120);
        let saved = Command::SetText {
            item,
            field: TextField::Minutes,
            text,
            base: None,
        };
        store
            .execute(id, m, &saved, *at, Origin::Secretary)
            .unwrap();
        sign_in_back_and_forth(store, id, m, at, 2, reach);
        store
            .connection()
            .pragma_update(None, "synchronous", "FULL")
            .unwrap();
        *at += 1_000;
        let started = Instant::now();
        let undone = store
            .execute(id, m, &Command::Undo, *at, Origin::Secretary)
            .unwrap();
        out.push(started.elapsed());
        assert!(
            matches!(undone.change, Change::Undone { target } if m.log().len() - target > reach),
            "the undo reached the secretary's text"
        );
    }
    out
}

/// The WAL moved into the file (a console does it at a quiet moment) and both on the disk.
fn at_rest(store: &Store, path: &std::path::Path) {
    store
        .connection()
        .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
        .unwrap();
    for file in [path.to_path_buf(), path.with_extension("db-wal")] {
        std::fs::File::open(file).unwrap().sync_all().unwrap();
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let scales: Vec<u32> = std::env::var("YISHI_BENCH_SCALES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1, 3, 10]);
    let samples: usize = std::env::var("YISHI_BENCH_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let base = std::env::var_os("YISHI_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    for scale in scales {
        let dir = tempfile::tempdir_in(&base).unwrap();
        let path = dir.path().join("bench.db");
        let mut store = Store::open(&path).unwrap();
        let started = Instant::now();
        let (id, mut m, mut at) = common::generate(&mut store, scale);
        let built = started.elapsed();
        // The generator wrote the file with the sync off: its pages are still going to the
        // disk, and every full sync would wait for them (ext4 orders a journal commit after
        // the data it covers). A meeting's file is at rest when a console works on it.
        at_rest(&store, &path);
        // YISHI_BENCH_REOPEN=1: the actions are taken by a console that opened the meeting
        // (as after a restart), not by the connection that generated it with the sync off.
        if std::env::var("YISHI_BENCH_REOPEN").is_ok_and(|v| v == "1") {
            store.snapshot_if_due(id, &m, true).unwrap();
            drop(store);
            store = Store::open(&path).unwrap();
            m = store.open_meeting(id).unwrap();
        }
        let size = std::fs::metadata(&path).map_or(0, |md| md.len());
        println!(
            "\n== {scale}×: {} participants, {} items, {} speeches, {} entries, {:.1} MB (generated in {:.1} s), in {}",
            m.state().participants.len(),
            m.state().items.len(),
            m.state().speeches.len(),
            m.log().len(),
            size as f64 / 1e6,
            built.as_secs_f64(),
            dir.path().display()
        );

        // Opening: the file and the meeting rebuilt, against reading every entry plainly.
        drop(store);
        let mut open = Vec::new();
        let mut file_only = Vec::new();
        let mut fold_only = Vec::new();
        let mut plain = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            let s = Store::open(&path).unwrap();
            file_only.push(t.elapsed());
            let loaded = s.load(id).unwrap();
            open.push(t.elapsed());
            assert_eq!(loaded.log().len(), m.log().len());
            let t = Instant::now();
            let events = loaded.log().to_vec();
            let replayed = Meeting::replay(events).unwrap();
            fold_only.push(t.elapsed());
            assert_eq!(replayed.state(), m.state());
            let t = Instant::now();
            let c = Connection::open(&path).unwrap();
            let mut stmt = c
                .prepare("SELECT n, at, origin, console, kind, payload FROM events ORDER BY seq")
                .unwrap();
            let mut bytes = 0usize;
            let mut rows = stmt.query([]).unwrap();
            while let Some(r) = rows.next().unwrap() {
                bytes += r.get_ref(5).unwrap().as_str().unwrap().len();
            }
            assert!(bytes > 0);
            plain.push(t.elapsed());
        }
        let (open, plain) = (median(open), median(plain));
        println!(
            "open + load the meeting: {:.1} ms (of which opening the file {:.1} ms, folding the log {:.1} ms); plain read of the log: {:.1} ms; ratio {:.2}",
            ms(open),
            ms(median(file_only)),
            ms(median(fold_only)),
            ms(plain),
            ms(open) / ms(plain)
        );

        // Opening from the snapshot a console leaves when it closes.
        {
            let mut store = Store::open(&path).unwrap();
            store.snapshot_if_due(id, &m, true).unwrap();
        }
        let mut snap = Vec::new();
        for _ in 0..5 {
            // As a console opens it: the whole-file check runs beside it.
            let t = Instant::now();
            let s = Store::open_for_console(&path).unwrap();
            let opened = s.open_meeting(id).unwrap();
            snap.push(t.elapsed());
            assert_eq!(opened.elided(), m.log().len());
            assert_eq!(opened.state(), m.state());
        }
        println!(
            "open + load from the snapshot: {:.1} ms; plain read of the log: {:.1} ms; ratio {:.2}",
            ms(median(snap.clone())),
            ms(plain),
            ms(median(snap)) / ms(plain)
        );

        let mut store = Store::open(&path).unwrap();
        let bare = Bare::new(&dir.path().join("bare.db"));
        let rounds = (samples / scale as usize).max(10);
        warm_up(&mut store, id, &mut m, &mut at, &path);
        let full = measure(&mut store, &bare, id, &mut m, &mut at, rounds, "FULL");
        let off = measure(&mut store, &bare, id, &mut m, &mut at, rounds, "OFF");
        println!(
            "{rounds} rounds; medians. ratio = the action / the bare commit of a row of its entry's size"
        );
        println!(
            "{:<24} {:>11} {:>11} {:>7} {:>11} {:>7} {:>13} {:>11}",
            "action", "FULL", "bare FULL", "ratio", "bare 4 pg", "ratio", "sync OFF", "bare OFF"
        );
        for (name, (took, floor, pages)) in full {
            let (off_took, off_floor, _) = &off[name];
            let (t, f, p) = (median(took), median(floor), median(pages));
            println!(
                "{name:<24} {:>9.3}ms {:>9.3}ms {:>6.2}× {:>9.3}ms {:>6.2}× {:>11.3}ms {:>9.3}ms",
                ms(t),
                ms(f),
                ms(t) / ms(f),
                ms(p),
                ms(t) / ms(p),
                ms(median(off_took.clone())),
                ms(median(off_floor.clone()))
            );
        }
        let reach = 1_500;
        let far = far_undo(&mut store, id, &mut m, &mut at, reach, 5);
        println!(
            "Undo (u) reaching {reach} entries back (FULL): {:.3} ms",
            ms(median(far))
        );
        let audit = store.audit().unwrap();
        assert!(
            audit.is_intact(),
            "the record no longer verifies: {:?}",
            &audit.findings[..audit.findings.len().min(5)]
        );
    }
}
