//! The whole program on the large meeting (generated through the store, see benches/common)
//! and at 10× it: the first frame of `yishi resume` in a pseudo-terminal, `yishi export`, and
//! the peak memory (RSS) of each, against a plain rusqlite read of every log entry of the same
//! file; then the CPU an idle console takes with a speaker's countdown running.
//!
//! `cargo bench --bench process`. `YISHI_BENCH_SCALES` (default `1,10`) picks the sizes,
//! `BENCH_IDLE_SECS` (default 10) how long the idle console is watched, `YISHI_BENCH_KEEP` a
//! folder to keep a copy of each generated file in.

mod common;

#[path = "../tests/common/pty.rs"]
mod pty;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use rusqlite::Connection;
use yishi::domain::state::{Command as Action, Origin, Presence, SpeechKind};
use yishi::store::Store;

const TITLE: &str = "幸福里社区年度居民会议";

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn plain_read(path: &Path) -> Duration {
    let t = Instant::now();
    let c = Connection::open(path).unwrap();
    let mut stmt = c
        .prepare("SELECT n, at, origin, console, kind, payload FROM events ORDER BY seq")
        .unwrap();
    let mut rows = stmt.query([]).unwrap();
    let mut bytes = 0usize;
    while let Some(r) = rows.next().unwrap() {
        bytes += r.get_ref(5).unwrap().as_str().unwrap().len();
    }
    assert!(bytes > 0);
    t.elapsed()
}

/// Runs the program to its end; returns the wall time and its peak RSS in MB.
// The child is waited for with wait4, which also gives its peak memory.
#[allow(clippy::zombie_processes)]
fn run(args: &[&str]) -> (Duration, f64) {
    let t = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_yishi"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: waits for the child just spawned and fills a plain struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let took = t.elapsed();
    assert_eq!(waited, pid);
    assert_eq!(status, 0, "yishi {args:?} failed");
    (took, usage.ru_maxrss as f64 / 1024.0)
}

fn vm_hwm_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn cpu_ticks(pid: u32) -> u64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0;
    };
    let Some((_, after)) = stat.rsplit_once(')') else {
        return 0;
    };
    let fields: Vec<&str> = after.split_whitespace().collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    field(11) + field(12)
}

fn main() {
    let scales: Vec<u32> = std::env::var("YISHI_BENCH_SCALES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1, 10]);
    let idle_secs: u64 = std::env::var("BENCH_IDLE_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    for scale in scales {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("meeting.db");
        let mut store = Store::open(&db).unwrap();
        let (id, mut m, mut at) = common::generate(&mut store, scale);
        // A speaker talking, so that the idle console has a countdown to draw.
        let p = (1..)
            .find(|&p| m.state().presence(p) == Presence::Present)
            .unwrap();
        for c in [
            Action::QueueSpeaker {
                participant: p,
                kind: SpeechKind::Speech,
            },
            Action::StartNextSpeaker,
        ] {
            at += 1_000;
            store
                .execute(id, &mut m, &c, at, Origin::Facilitator)
                .unwrap();
        }
        // As a console leaves it when it closes (and every 500 entries at a quiet moment).
        store.snapshot_if_due(id, &m, true).unwrap();
        drop(store);
        if let Some(keep) = std::env::var_os("YISHI_BENCH_KEEP") {
            // A copy to look into afterwards (a profiler, yishi itself).
            let _ = std::fs::copy(&db, Path::new(&keep).join(format!("meeting-{scale}x.db")));
        }
        let size = std::fs::metadata(&db).map_or(0, |md| md.len()) as f64 / 1e6;
        let db_arg = db.to_str().unwrap();
        println!(
            "\n== {scale}×: {} participants, {} items, {} speeches, {} entries, {size:.1} MB",
            m.state().participants.len(),
            m.state().items.len(),
            m.state().speeches.len(),
            m.log().len()
        );
        let plain = median((0..5).map(|_| plain_read(&db)).collect());
        println!("plain read of the log:            {:>8.1} ms", ms(plain));

        let out = dir.path().join("minutes.md");
        let out_arg = out.to_str().unwrap();
        let mut export = Vec::new();
        let mut export_rss: f64 = 0.0;
        for _ in 0..3 {
            let (t, rss) = run(&[
                "--db", db_arg, "--lang", "zh-CN", "export", "-f", "md", "-o", out_arg, "--force",
            ]);
            export.push(t);
            export_rss = export_rss.max(rss);
        }
        let export = median(export);
        println!(
            "yishi export -f md:               {:>8.1} ms  ({:.2}× the plain read), peak RSS {export_rss:.0} MB",
            ms(export),
            ms(export) / ms(plain)
        );
        let notice = dir.path().join("notice.txt");
        let (t, rss) = run(&[
            "--db",
            db_arg,
            "--lang",
            "zh-CN",
            "notice",
            "-o",
            notice.to_str().unwrap(),
            "--force",
        ]);
        println!(
            "yishi notice:                     {:>8.1} ms, peak RSS {rss:.0} MB",
            ms(t)
        );

        let mut frames = Vec::new();
        let mut console_rss: f64 = 0.0;
        for round in 0..3 {
            let started = Instant::now();
            let mut c = pty::Console::start(&db, "zh-CN", &["resume"], 120, 40);
            while !c.screen().contains(TITLE) {
                assert!(
                    started.elapsed() < Duration::from_secs(30),
                    "no first frame"
                );
                std::thread::sleep(Duration::from_millis(1));
            }
            frames.push(started.elapsed());
            let pid = c.pid().expect("a pid");
            if round == 2 {
                // The whole-file check runs once beside a console after its first frame:
                // not idle time.
                std::thread::sleep(Duration::from_secs(3));
                let before = cpu_ticks(pid);
                let watched = Instant::now();
                std::thread::sleep(Duration::from_secs(idle_secs));
                let cpu = (cpu_ticks(pid) - before) as f64 / 100.0;
                println!(
                    "idle console, countdown running:  {:>8.2} % of one core over {:.0} s",
                    cpu / watched.elapsed().as_secs_f64() * 100.0,
                    watched.elapsed().as_secs_f64()
                );
            }
            console_rss = console_rss.max(vm_hwm_mb(pid));
            c.send("q");
            let _ = c.wait_exit();
        }
        let frame = median(frames);
        println!(
            "first frame of yishi resume:      {:>8.1} ms  ({:.2}× the plain read), peak RSS {console_rss:.0} MB",
            ms(frame),
            ms(frame) / ms(plain)
        );
    }
}
