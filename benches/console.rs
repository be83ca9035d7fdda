//! How long one frame of a large meeting takes to draw, and what an idle console with a running
//! countdown costs. Then, on the meeting generated through the store at 1× and 10×
//! (`YISHI_BENCH_SCALES`, default `1,10`): a frame of each screen, the minutes (built by a
//! fresh process from the file, as an export builds them, and in this process) and the notice,
//! each with its 10× / 1× growth. Run with `cargo bench --bench console`.

mod common;

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use yishi::domain::state::{Command, Origin, Presence, SpeechKind};
use yishi::lang::Lang;
use yishi::store::Store;
use yishi::tui::app::{App, Seat};
use yishi::tui::view;

const T0: i64 = 1_795_863_600_000;

fn frame_bench() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("bench.db")).unwrap();
    let (id, mut m) = store
        .create_meeting(common::large_meeting(), None, T0, Origin::Facilitator)
        .unwrap();
    let mut at = T0;
    let mut run = |store: &mut Store, m: &mut yishi::domain::state::Meeting, c: Command| {
        at += 1_000;
        let _ = store.execute(id, m, &c, at, Origin::Facilitator);
    };
    for p in 1..=300 {
        run(
            &mut store,
            &mut m,
            Command::SetPresence {
                participant: p,
                presence: Presence::Present,
                holder: None,
                reason: None,
            },
        );
    }
    for item in 0..30 {
        run(&mut store, &mut m, Command::NextItem);
        for k in 0..12u32 {
            let p = (item * 12 + k) % 300 + 1;
            run(
                &mut store,
                &mut m,
                Command::QueueSpeaker {
                    participant: p,
                    kind: SpeechKind::Speech,
                },
            );
        }
        if item < 29 {
            for _ in 0..12 {
                run(&mut store, &mut m, Command::StartNextSpeaker);
            }
            run(&mut store, &mut m, Command::EndSpeech);
        }
    }
    run(&mut store, &mut m, Command::StartNextSpeaker);
    let speeches = m.state().speeches.len();
    let mut app = App::new(store, id, m, Lang::Zh, Seat::Facilitator, at + 30_000);
    for (w, h, label) in [
        (80, 24, "main"),
        (200, 60, "main"),
        (200, 60, "projector"),
        (200, 60, "fairness"),
    ] {
        app.projector = label == "projector";
        app.fairness = label == "fairness";
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        let n = 300;
        let mut times = Vec::with_capacity(n);
        for i in 0..n {
            app.now = at + 30_000 + i as i64 * 1000;
            let t = Instant::now();
            terminal.draw(|f| view::draw(f, &app)).unwrap();
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "frame {label:<9} {w}x{h}: median {:>7.1} µs, p99 {:>7.1} µs  (300 participants, 60 items, {speeches} speeches)",
            times[n / 2].as_secs_f64() * 1e6,
            times[n * 99 / 100].as_secs_f64() * 1e6
        );
    }
}

fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

#[path = "../tests/common/pty.rs"]
mod pty;

fn idle_bench() {
    let secs: u64 = std::env::var("BENCH_IDLE_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("idle.db");
    let mut c = pty::Console::start(&db, "zh-CN", &["run", "agendas/elevator.toml"], 120, 40);
    c.wait_for("会前签到");
    c.send("a");
    c.send("zjg");
    c.send(" ");
    c.esc();
    c.esc();
    c.send("n");
    c.send("s");
    c.send("zjg");
    c.enter();
    c.enter();
    c.wait_for("正在发言 张建国");
    let pid = c.pid().expect("a pid");
    let before = cpu_ticks(pid).unwrap_or(0);
    let start = Instant::now();
    std::thread::sleep(Duration::from_secs(secs));
    let ticks = cpu_ticks(pid).unwrap_or(0) - before;
    let wall = start.elapsed().as_secs_f64();
    let cpu_s = ticks as f64 / 100.0;
    println!(
        "idle console, countdown running, {wall:.0} s: {cpu_s:.2} s of CPU ({:.2}% of one core)",
        cpu_s / wall * 100.0
    );
    c.send("q");
}

fn median_of(mut f: impl FnMut(), n: usize) -> Duration {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[n / 2]
}

/// Every screen, the minutes and the notice of the generated meeting at each scale.
fn scaled_bench() {
    let scales: Vec<u32> = std::env::var("YISHI_BENCH_SCALES")
        .unwrap_or_else(|_| "1,10".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let mut first: Vec<(String, Duration)> = Vec::new();
    for scale in scales {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("scaled.db")).unwrap();
        let (id, m, at) = common::generate(&mut store, scale);
        let s = m.state();
        println!(
            "== {scale}×: {} participants, {} items, {} speeches",
            s.participants.len(),
            s.items.len(),
            s.speeches.len()
        );
        // An export builds the minutes of the meeting as it reads it from the file (from its
        // snapshot); the state the generator leaves in memory is another matter: its elements
        // were allocated one by one among 200,000 log entries, and reading them misses the
        // cache far more often. Both are timed.
        store.snapshot_if_due(id, &m, true).unwrap();
        let read = store.open_meeting(id).unwrap();
        assert_eq!(read.state(), s);
        let minutes_state = read.state().clone();
        let generated = s.clone();
        let mut rows: Vec<(String, Duration)> = Vec::new();
        let n = if scale >= 10 { 30 } else { 100 };
        rows.push((
            "minutes, read by a fresh process".into(),
            minutes_in_a_fresh_process(&dir.path().join("scaled.db"), id, at, n),
        ));
        for (what, state) in [
            ("minutes of the meeting as read", &minutes_state),
            ("minutes, state as generated", &generated),
        ] {
            rows.push((
                what.into(),
                median_of(
                    || {
                        let _ = yishi::export::Minutes::build(state, Some(id), at, Lang::Zh, None);
                    },
                    n,
                ),
            ));
        }
        let minutes = yishi::export::Minutes::build(&minutes_state, Some(id), at, Lang::Zh, None);
        let posted = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        rows.push((
            "notice (text)".into(),
            median_of(
                || {
                    let _ = yishi::export::notice::render(
                        &minutes,
                        posted,
                        yishi::export::notice::NoticeFormat::Text,
                    );
                },
                n,
            ),
        ));
        let mut app = App::new(store, id, m, Lang::Zh, Seat::Facilitator, at);
        for (w, h, label) in [
            (80, 24, "main"),
            (200, 60, "main"),
            (200, 60, "projector"),
            (200, 60, "w (speaking time)"),
        ] {
            app.projector = label == "projector";
            app.fairness = label.starts_with('w');
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            let mut i = 0;
            let took = median_of(
                || {
                    i += 1;
                    app.now = at + i * 1000;
                    terminal.draw(|f| view::draw(f, &app)).unwrap();
                },
                n,
            );
            rows.push((format!("frame {label} {w}x{h}"), took));
        }
        for (what, took) in &rows {
            let growth = first
                .iter()
                .find(|(w, _)| w == what)
                .map(|(_, base)| {
                    format!(
                        "  ({:.1}× its 1× time)",
                        took.as_secs_f64() / base.as_secs_f64()
                    )
                })
                .unwrap_or_default();
            println!("{what:<32} {:>9.1} µs{growth}", took.as_secs_f64() * 1e6);
        }
        if first.is_empty() {
            first = rows;
        }
    }
}

/// The minutes built as `yishi export` builds them: by a process that has just opened the
/// file and read the meeting from its snapshot, its memory holding nothing else. (This bench
/// run again, told to do only that.)
fn minutes_in_a_fresh_process(path: &std::path::Path, id: i64, at: i64, n: usize) -> Duration {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .arg(MINUTES_ONLY)
        .args([path.to_str().unwrap(), &id.to_string(), &at.to_string()])
        .arg(n.to_string())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let nanos = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    Duration::from_nanos(nanos)
}

const MINUTES_ONLY: &str = "--minutes-only";

/// [`minutes_in_a_fresh_process`]'s other half: prints the median in nanoseconds.
fn minutes_only(args: &[String]) {
    let store = Store::open(std::path::Path::new(&args[0])).unwrap();
    let id = args[1].parse().unwrap();
    let read = store.open_meeting(id).unwrap();
    let at: i64 = args[2].parse().unwrap();
    let took = median_of(
        || {
            let _ = yishi::export::Minutes::build(read.state(), Some(id), at, Lang::Zh, None);
        },
        args[3].parse().unwrap(),
    );
    println!("{}", took.as_nanos());
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == MINUTES_ONLY) {
        return minutes_only(&args[at + 1..]);
    }
    frame_bench();
    idle_bench();
    scaled_bench();
}
