//! Render snapshots of the console on `TestBackend`: the screens a facilitator and the room see,
//! at 80x24 and 160x48, in Chinese and English. A change here is reviewed, never blindly accepted.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use yishi::agenda;
use yishi::domain::state::{Command, Presence, SpeechKind, TallyInput, TextField};
use yishi::domain::tally::Method;
use yishi::lang::Lang;
use yishi::store::Store;
use yishi::tui::app::{App, Seat};
use yishi::tui::view;

/// 2026-11-28 19:00 in Beijing.
const T0: i64 = 1_795_863_600_000;

fn key(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// The demo meeting well under way: nine signed in, item 2 with a vote, texts and an action,
/// now on item 3 with 张建国 speaking for 2:15 and two more waiting.
fn meeting(dir: &tempfile::TempDir, lang: Lang, source: &str) -> App {
    // SAFETY: every test in this file sets the same value before reading the clock.
    unsafe { std::env::set_var("TZ", "Asia/Shanghai") };
    let mut store = Store::open(&dir.path().join("yishi.db")).unwrap();
    let setup = agenda::parse(source, lang).unwrap();
    let (id, meeting) = store
        .create_meeting(setup, None, T0, yishi::domain::state::Origin::Facilitator)
        .unwrap();
    let mut app = App::new(store, id, meeting, lang, Seat::Facilitator, T0);
    let mut at = T0;
    let mut run = |app: &mut App, c: Command, dt: i64| {
        at += dt;
        app.now = at;
        assert!(app.exec(c.clone()), "{c:?}: {:?}", app.message);
    };
    for p in 1..=9 {
        run(
            &mut app,
            Command::SetPresence {
                participant: p,
                presence: Presence::Present,
            },
            1_000,
        );
    }
    if source != agenda::DEMO {
        return app;
    }
    run(&mut app, Command::NextItem, 60_000);
    run(&mut app, Command::NextItem, 300_000);
    run(
        &mut app,
        Command::QueueSpeaker {
            participant: 7,
            kind: SpeechKind::Speech,
        },
        1_000,
    );
    run(&mut app, Command::StartNextSpeaker, 1_000);
    run(&mut app, Command::EndSpeech, 150_000);
    run(
        &mut app,
        Command::RecordVote {
            item: 2,
            rule: None,
            method: Method::ShowOfHands,
            input: TallyInput::Counts {
                yes: 7,
                no: 1,
                abstain: 1,
            },
            tellers: vec![],
        },
        400_000,
    );
    run(
        &mut app,
        Command::SetText {
            item: 2,
            field: TextField::Resolution,
            text: "同意按方案A加装电梯，由居委会牵头组织施工。".into(),
            base: None,
        },
        30_000,
    );
    run(
        &mut app,
        Command::SetText {
            item: 2,
            field: TextField::Minutes,
            text: "低层住户担心采光与噪音；高层住户希望尽快开工。".into(),
            base: None,
        },
        30_000,
    );
    run(
        &mut app,
        Command::SetDissent {
            item: 2,
            text: "郑桂英：担心一楼采光受影响".into(),
            base: None,
        },
        10_000,
    );
    run(
        &mut app,
        Command::AddAction {
            item: 2,
            what: "联系电梯公司出具施工方案".into(),
            owner: "孙伟".into(),
            due: Some("2026-12-31".into()),
        },
        10_000,
    );
    run(&mut app, Command::NextItem, 10_000);
    run(
        &mut app,
        Command::QueueSpeaker {
            participant: 7,
            kind: SpeechKind::Speech,
        },
        1_000,
    );
    run(
        &mut app,
        Command::QueueSpeaker {
            participant: 8,
            kind: SpeechKind::Speech,
        },
        1_000,
    );
    run(
        &mut app,
        Command::QueueSpeaker {
            participant: 9,
            kind: SpeechKind::Speech,
        },
        1_000,
    );
    run(&mut app, Command::StartNextSpeaker, 1_000);
    app.now = at + 135_000;
    app.message = None;
    app
}

fn render(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| view::draw(f, app)).unwrap();
    format!("{}", terminal.backend())
}

fn lang_name(lang: Lang) -> &'static str {
    lang.pick("zh", "en")
}

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];
const LANGS: [Lang; 2] = [Lang::Zh, Lang::En];

#[test]
fn main_screen() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let app = meeting(&dir, lang, agenda::DEMO);
        for (w, h) in SIZES {
            let screen = render(&app, w, h);
            assert!(screen.contains("张建国"), "the speaker is shown");
            assert!(screen.contains("0:45"), "45 seconds are left of 3:00");
            insta::assert_snapshot!(format!("main_{}_{w}x{h}", lang_name(lang)), screen);
        }
    }
}

#[test]
fn attendance() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = meeting(&dir, lang, agenda::DEMO);
        key(&mut app, KeyCode::Char('a'));
        typed(&mut app, "zjg");
        for (w, h) in SIZES {
            let screen = render(&app, w, h);
            assert!(screen.contains("张建国"));
            assert!(!screen.contains("周丽娟"), "the filter leaves only matches");
            insta::assert_snapshot!(format!("attendance_{}_{w}x{h}", lang_name(lang)), screen);
        }
    }
}

#[test]
fn vote_panel() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = meeting(&dir, lang, agenda::DEMO);
        key(&mut app, KeyCode::Char('v'));
        typed(&mut app, "5");
        key(&mut app, KeyCode::Tab);
        typed(&mut app, "3");
        key(&mut app, KeyCode::Tab);
        typed(&mut app, "1");
        for (w, h) in SIZES {
            let screen = render(&app, w, h);
            insta::assert_snapshot!(format!("vote_{}_{w}x{h}", lang_name(lang)), screen);
        }
    }
}

#[test]
fn roll_call_for_an_owners_rule() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let source = std::fs::read_to_string("agendas/owners-maintenance-fund.toml").unwrap();
        let mut app = meeting(&dir, lang, &source);
        for p in 10..=16 {
            assert!(app.exec(Command::SetPresence {
                participant: p,
                presence: Presence::Present
            }));
        }
        key(&mut app, KeyCode::Char('n'));
        key(&mut app, KeyCode::Char('v'));
        for c in "yyynyya".chars() {
            key(&mut app, KeyCode::Char(c));
        }
        let screen = render(&app, 160, 48);
        insta::assert_snapshot!(format!("roll_call_{}_160x48", lang_name(lang)), screen);
    }
}

#[test]
fn help_overlay() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = meeting(&dir, lang, agenda::DEMO);
        key(&mut app, KeyCode::Char('?'));
        for (w, h) in SIZES {
            let screen = render(&app, w, h);
            insta::assert_snapshot!(format!("help_{}_{w}x{h}", lang_name(lang)), screen);
        }
    }
}

#[test]
fn projector_layout() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = meeting(&dir, lang, agenda::DEMO);
        key(&mut app, KeyCode::Char('P'));
        for (w, h) in SIZES {
            let screen = render(&app, w, h);
            insta::assert_snapshot!(format!("projector_{}_{w}x{h}", lang_name(lang)), screen);
        }
        // The vote of item 2 as large bars.
        key(&mut app, KeyCode::Char('P'));
        key(&mut app, KeyCode::Char('p'));
        key(&mut app, KeyCode::Char('P'));
        insta::assert_snapshot!(
            format!("projector_vote_{}_160x48", lang_name(lang)),
            render(&app, 160, 48)
        );
    }
}

#[test]
fn fairness_panel() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = meeting(&dir, Lang::Zh, agenda::DEMO);
    key(&mut app, KeyCode::Char('w'));
    let screen = render(&app, 160, 48);
    assert!(screen.contains("居民及代表"));
    insta::assert_snapshot!("fairness_zh_160x48", screen);
}

#[test]
fn a_terminal_too_small_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let app = meeting(&dir, Lang::Zh, agenda::DEMO);
    let screen = render(&app, 40, 10);
    assert!(screen.contains("窗口太小"));
}

/// The terminal cursor sits right after the last character typed, so an input method composes
/// in place: in the finder, the editor and the action form.
#[test]
fn the_cursor_is_at_the_caret_for_an_input_method() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = meeting(&dir, Lang::Zh, agenda::DEMO);
    let cases: [(&str, &[KeyCode], &str); 4] = [
        ("a", &[], "张建"),
        ("m", &[], "采光与噪音"),
        ("t", &[], "联系电梯"),
        ("t", &[KeyCode::Tab], "孙伟"),
    ];
    for (open, moves, text) in cases {
        app.mode = yishi::tui::app::Mode::Main;
        key(&mut app, KeyCode::Char(open.chars().next().unwrap()));
        for m in moves {
            key(&mut app, *m);
        }
        app.on_paste(text);
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
        terminal.draw(|f| view::draw(f, &app)).unwrap();
        let pos = terminal.get_cursor_position().unwrap();
        let buffer = terminal.backend().buffer();
        let last = text.chars().last().unwrap().to_string();
        assert_eq!(
            buffer[(pos.x - 2, pos.y)].symbol(),
            last,
            "after {open}: cursor at {pos:?}"
        );
    }
}

/// The vote panel records the method and the tellers, and takes a roll call on request; a
/// roll call's names reach the minutes.
#[test]
fn vote_method_tellers_and_a_roll_call_on_request() {
    use yishi::domain::tally::{Choice, Method};
    let dir = tempfile::tempdir().unwrap();
    let mut app = meeting(&dir, Lang::Zh, agenda::DEMO);
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('m'));
    typed(&mut app, "6");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "2");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "1");
    key(&mut app, KeyCode::Tab);
    app.on_paste("李明、赵秀兰");
    let screen = render(&app, 100, 30);
    assert!(screen.contains("无记名投票"), "{screen}");
    key(&mut app, KeyCode::Enter);
    let v = app.state().vote_of(3).expect("recorded");
    assert_eq!(v.method, Method::SecretBallot);
    assert_eq!(v.tellers, vec!["李明".to_string(), "赵秀兰".to_string()]);

    // Re-taken as a roll call: y n a per person, in agenda order.
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('r'));
    for c in "yyyyynya".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    let v = app.state().vote_of(3).expect("recorded");
    assert_eq!(v.method, Method::RollCall);
    assert_eq!(v.ballots.len(), 8);
    assert_eq!(
        v.ballots.iter().filter(|(_, c)| *c == Choice::No).count(),
        1
    );
    let no = v.ballots.iter().find(|(_, c)| *c == Choice::No).unwrap().0;
    let name = app.state().name(no).to_string();
    let m = yishi::export::Minutes::build(app.state(), Some(app.id), app.now, Lang::Zh, None);
    let md = yishi::export::md::render(std::slice::from_ref(&m));
    assert!(md.contains(&format!("反对\u{ff1a}{name}")), "{md}");
}

/// The secretary's console writes the texts but cannot move the meeting, and its key bar shows
/// only what it can do.
#[test]
fn the_secretary_console_keeps_to_the_texts() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = meeting(&dir, Lang::Zh, agenda::DEMO);
    app.seat = Seat::Secretary;
    let before = app.state().current;
    for c in ['n', 'p', 'x', 'v', 'a', 's'] {
        key(&mut app, KeyCode::Char(c));
    }
    assert_eq!(app.state().current, before, "n and p do nothing here");
    assert!(app.state().speech.is_some(), "x does not end the speech");
    assert!(
        matches!(app.mode, yishi::tui::app::Mode::Main),
        "v, a and s open nothing"
    );
    let screen = render(&app, 120, 30);
    let bar = screen
        .lines()
        .rev()
        .find(|l| l.contains("帮助"))
        .unwrap_or("");
    assert!(
        bar.contains("记录") && bar.contains("决议") && bar.contains("待办"),
        "{bar}"
    );
    assert!(!bar.contains("下一项") && !bar.contains("签到"), "{bar}");
    key(&mut app, KeyCode::Char('m'));
    assert!(matches!(app.mode, yishi::tui::app::Mode::Editor(_)));
}

/// `k` at the secretary's console notes the speech running now; after it ends, `k` reopens
/// the note of the one just ended with its text; Enter and Esc both save, and the note is on
/// the speaker's line of the minutes.
#[test]
fn k_notes_what_the_speaker_said() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = meeting(&dir, Lang::Zh, agenda::DEMO);
    app.seat = Seat::Secretary;
    let running = app.state().speech.as_ref().map(|s| s.id).unwrap();
    key(&mut app, KeyCode::Char('k'));
    typed(&mut app, "支持加装，费用按楼层分摊");
    let screen = render(&app, 80, 24);
    assert!(screen.contains("发言要点"), "{screen}");
    assert!(screen.contains("张建国"), "the popup names the speaker");
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.mode, yishi::tui::app::Mode::Main));
    let note = |app: &App| {
        let st = app.state();
        st.speeches
            .iter()
            .chain(st.speech.iter())
            .find(|s| s.id == running)
            .map(|s| s.note.clone())
            .unwrap()
    };
    assert_eq!(note(&app), "支持加装，费用按楼层分摊");
    // The facilitator ends the speech; the secretary's `k` now opens the one just ended.
    app.seat = Seat::Facilitator;
    key(&mut app, KeyCode::Char('x'));
    app.seat = Seat::Secretary;
    assert!(app.state().speech.is_none());
    key(&mut app, KeyCode::Char('k'));
    typed(&mut app, "。");
    key(&mut app, KeyCode::Esc);
    assert_eq!(note(&app), "支持加装，费用按楼层分摊。");
    let m = yishi::export::minutes(app.state(), Some(app.id), app.now, Lang::Zh);
    let line = m
        .items
        .iter()
        .flat_map(|i| &i.speeches)
        .find(|s| s.note.contains("分摊"))
        .map(|s| s.line(Lang::Zh))
        .unwrap();
    assert!(
        line.starts_with("张建国") && line.ends_with("：支持加装，费用按楼层分摊。"),
        "{line}"
    );
}
