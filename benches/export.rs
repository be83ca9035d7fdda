//! Time to export a large meeting (60 items, 300 participants, 2,000 speeches) to every format.
//! Run with `cargo bench --bench export`; prints the time per format and the output size.

mod common;

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use yishi::domain::state::*;
use yishi::domain::tally::Method;
use yishi::export::notice::{self, NoticeFormat};
use yishi::export::{self, Format, Minutes, Table};
use yishi::lang::Lang;

fn meeting() -> (State, i64) {
    let t0 = 1_795_000_000_000i64;
    let mut m = Meeting::open(common::large_meeting(), t0, Origin::Cli);
    let mut at = t0;
    let mut run = |m: &mut Meeting, c: Command, secs: i64| {
        at += secs * 1000;
        m.execute(&c, at, Origin::Cli).expect("a valid command");
        at
    };
    for p in 1..=260 {
        run(
            &mut m,
            Command::SetPresence {
                participant: p,
                presence: if p % 13 == 0 {
                    Presence::Online
                } else {
                    Presence::Present
                },
                holder: None,
                reason: None,
            },
            0,
        );
    }
    let mut spoken = 0u32;
    for item in 1..=60u32 {
        run(&mut m, Command::NextItem, 5);
        let speeches = if item <= 20 { 34 } else { 33 };
        for s in 0..speeches {
            if spoken == 2000 {
                break;
            }
            let participant = (spoken * 7 + s) % 260 + 1;
            run(
                &mut m,
                Command::QueueSpeaker {
                    participant,
                    kind: SpeechKind::Speech,
                },
                1,
            );
            run(&mut m, Command::StartNextSpeaker, 1);
            run(&mut m, Command::EndSpeech, 30 + i64::from(s % 150));
            spoken += 1;
        }
        run(
            &mut m,
            Command::RecordVote {
                item,
                rule: None,
                method: Method::ShowOfHands,
                input: TallyInput::Counts {
                    yes: 130 + item,
                    no: 40,
                    abstain: 20,
                },
                tellers: vec!["李明".into()],
            },
            20,
        );
        for (field, text) in [
            (
                TextField::Minutes,
                format!("张建国0：与会人员就第 {item} 期方案充分讨论，联系电话 13812345678。"),
            ),
            (
                TextField::Resolution,
                format!("同意第 {item} 期改造方案，由物业组织施工。"),
            ),
        ] {
            run(
                &mut m,
                Command::SetText {
                    item,
                    field,
                    text,
                    base: None,
                },
                5,
            );
        }
        run(
            &mut m,
            Command::SetDissent {
                item,
                text: "李秀英1：担心噪音\n部分低层住户希望补偿".into(),
                base: None,
            },
            5,
        );
        run(
            &mut m,
            Command::AddAction {
                item,
                what: format!("落实第 {item} 期施工"),
                owner: "赵敏4".into(),
                due: Some("2026-12-31".into()),
            },
            5,
        );
    }
    let end = run(&mut m, Command::EndMeeting, 10);
    assert_eq!(m.state().speeches.len(), 2000);
    (m.state().clone(), end)
}

fn time<T>(rounds: u32, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut out = f();
    let start = Instant::now();
    for _ in 0..rounds {
        out = f();
    }
    (start.elapsed() / rounds, out)
}

fn main() {
    let started = Instant::now();
    let (state, now) = meeting();
    println!(
        "meeting: {} items, {} participants, {} speeches (built in {:.0?})",
        state.items.len(),
        state.participants.len(),
        state.speeches.len(),
        started.elapsed()
    );
    let rounds = 10;
    let (d, m) = time(rounds, || {
        Minutes::build(&state, Some(1), now, Lang::Zh, None)
    });
    println!("{:<14} {:>10.2?}", "minutes view", d);
    let one = std::slice::from_ref(&m);
    for (name, format, table) in [
        ("md", Format::Md, Table::Resolutions),
        ("html", Format::Html, Table::Resolutions),
        ("docx", Format::Docx, Table::Resolutions),
        ("xlsx", Format::Xlsx, Table::Resolutions),
        ("csv", Format::Csv, Table::Resolutions),
        ("csv actions", Format::Csv, Table::Actions),
        ("json", Format::Json, Table::Resolutions),
    ] {
        let (d, bytes) = time(rounds, || {
            export::render(one, format, table, false).expect("renders")
        });
        println!("{name:<14} {d:>10.2?} {:>10} bytes", bytes.len());
    }
    let posted = NaiveDate::from_ymd_opt(2026, 11, 29).expect("a date");
    for (name, format) in [
        ("notice text", NoticeFormat::Text),
        ("notice html", NoticeFormat::Html),
    ] {
        let (d, s) = time(rounds, || {
            notice::render(&m, posted, format).expect("renders")
        });
        println!("{name:<14} {d:>10.2?} {:>10} bytes", s.len());
    }
}
