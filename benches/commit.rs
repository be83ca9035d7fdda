//! How long one action takes to be on disk: `Store::execute` (catch-up, decide, log entry,
//! readable tables, commit with a full sync) on a large meeting with a long history, against
//! the floor, a bare INSERT and COMMIT of a row of the same size in a WAL file with
//! synchronous=FULL.
//!
//! `cargo bench --bench commit`; `YISHI_BENCH_DIR` picks the folder (default: the temporary
//! folder), since the figures are mostly the disk's.

mod common;
use common::{ITEMS, PARTICIPANTS};

use std::time::{Duration, Instant};

use rusqlite::{Connection, params};
use yishi::domain::state::*;
use yishi::store::Store;

const HISTORY: usize = 2_000;
const SAMPLES: usize = 500;
const F: Origin = Origin::Facilitator;

/// About 200 Chinese characters of minutes.
fn minutes(n: usize) -> String {
    let line = "居民代表发言：建议在三号楼东侧加装电梯，低层住户担心采光与噪音，物业表示可以调整施工时间。";
    let mut text = format!("第{n}条：");
    while text.chars().count() < 200 {
        text.push_str(line);
    }
    text.chars().take(200).collect()
}

struct Figures {
    median: Duration,
    p99: Duration,
}

fn figures(mut samples: Vec<Duration>) -> Figures {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    Figures {
        median: at(0.5),
        p99: at(0.99),
    }
}

fn presence(i: usize) -> Command {
    Command::SetPresence {
        participant: (i % PARTICIPANTS as usize) as u32 + 1,
        presence: if (i / PARTICIPANTS as usize).is_multiple_of(2) {
            Presence::Present
        } else {
            Presence::Online
        },
        holder: None,
        reason: None,
    }
}

fn text(i: usize) -> Command {
    Command::SetText {
        item: (i % ITEMS as usize) as u32 + 1,
        field: TextField::Minutes,
        text: minutes(i),
        base: None,
    }
}

fn main() {
    let base = std::env::var_os("YISHI_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let dir = tempfile::tempdir_in(base).unwrap();
    let path = dir.path().join("bench.db");
    let mut store = Store::open(&path).unwrap();
    let mut at = 1_795_000_000_000;
    let (id, mut m) = store
        .create_meeting(common::large_meeting(), None, at, F)
        .unwrap();

    // The history, written quickly: how it got there does not matter here.
    store
        .connection()
        .pragma_update(None, "synchronous", "OFF")
        .unwrap();
    for i in 0..HISTORY {
        at += 1_000;
        let c = match i % 40 {
            0 if m.state().current.is_none_or(|c| c + 1 < ITEMS as usize) => Command::NextItem,
            7 => Command::AddAction {
                item: (i % ITEMS as usize) as u32 + 1,
                what: format!("跟进第{i}条意见"),
                owner: "赵敏".into(),
                due: Some("2026-12-31".into()),
            },
            n if n % 2 == 0 => presence(i),
            _ => text(i),
        };
        store.execute(id, &mut m, &c, at, F).unwrap();
    }
    store
        .connection()
        .pragma_update(None, "synchronous", "FULL")
        .unwrap();
    assert_eq!(m.log().len(), HISTORY + 1);

    // The floor: one row of the same size, inserted and committed with a full sync.
    let bare = Connection::open(dir.path().join("bare.db")).unwrap();
    bare.pragma_update(None, "journal_mode", "WAL").unwrap();
    bare.pragma_update(None, "synchronous", "FULL").unwrap();
    bare.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
        .unwrap();
    let insert = |payload: &str| {
        let started = Instant::now();
        bare.execute_batch("BEGIN IMMEDIATE").unwrap();
        bare.execute("INSERT INTO t (payload) VALUES (?1)", params![payload])
            .unwrap();
        bare.execute_batch("COMMIT").unwrap();
        started.elapsed()
    };
    let size = |c: &Command, m: &Meeting| {
        let event = m.decide(c, 0, F).unwrap();
        serde_json::to_string(&event.change).unwrap().len()
    };
    let (presence_size, text_size) = (size(&presence(0), &m), size(&text(0), &m));
    let (bare_presence_row, bare_text_row) =
        ("议".repeat(presence_size / 3), "议".repeat(text_size / 3));

    // Taken in turn, so that the disk's good and bad moments fall on all four alike. Then
    // again without syncing, which leaves the program's own share.
    let mut results = Vec::new();
    for sync in ["FULL", "OFF"] {
        store
            .connection()
            .pragma_update(None, "synchronous", sync)
            .unwrap();
        bare.pragma_update(None, "synchronous", sync).unwrap();
        let mut samples: [Vec<Duration>; 4] = Default::default();
        for i in 0..SAMPLES {
            for (k, c) in [presence(HISTORY + i), text(HISTORY + i)]
                .iter()
                .enumerate()
            {
                at += 1_000;
                let started = Instant::now();
                store.execute(id, &mut m, c, at, F).unwrap();
                samples[2 * k].push(started.elapsed());
            }
            samples[1].push(insert(&bare_presence_row));
            samples[3].push(insert(&bare_text_row));
        }
        results.push((sync, samples.map(figures)));
    }

    println!(
        "Store::execute on a meeting of {PARTICIPANTS} participants, {ITEMS} items, {HISTORY} prior events; {SAMPLES} samples each, in {}",
        dir.path().display()
    );
    println!("{:<52} {:>10} {:>10}", "", "median", "99th pct");
    for (sync, [set_presence, bare_presence, set_text, bare_text]) in &results {
        let row = |name: String, f: &Figures| {
            println!(
                "{name:<52} {:>8.3}ms {:>8.3}ms",
                f.median.as_secs_f64() * 1e3,
                f.p99.as_secs_f64() * 1e3
            );
        };
        println!("synchronous={sync}");
        row(
            format!("  execute SetPresence ({presence_size} B entry)"),
            set_presence,
        );
        row(
            format!("  bare INSERT+COMMIT, {presence_size} B row"),
            bare_presence,
        );
        row(
            format!("  execute SetText, 200 chars ({text_size} B entry)"),
            set_text,
        );
        row(
            format!("  bare INSERT+COMMIT, {text_size} B row"),
            bare_text,
        );
    }
}
