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
                holder: None,
                reason: None,
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
                presence: Presence::Present,
                holder: None,
                reason: None
            }));
        }
        key(&mut app, KeyCode::Char('n'));
        key(&mut app, KeyCode::Char('v'));
        for c in "yyynyya".chars() {
            key(&mut app, KeyCode::Char(c));
        }
        let screen = render(&app, 160, 48);
        insta::assert_snapshot!(format!("roll_call_{}_160x48", lang_name(lang)), screen);
        // At 80x24 the list scrolls; the rule line and the preview stay.
        let screen = render(&app, 80, 24);
        assert!(screen.contains(lang.pick("规则", "Rule")), "{screen}");
        assert!(
            screen.contains(lang.pick("按此计票", "If recorded now")),
            "{screen}"
        );
        insta::assert_snapshot!(format!("roll_call_{}_80x24", lang_name(lang)), screen);
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
        key(&mut app, KeyCode::Char('y'));
        key(&mut app, KeyCode::Char('P'));
        insta::assert_snapshot!(
            format!("projector_vote_{}_160x48", lang_name(lang)),
            render(&app, 160, 48)
        );
    }
}

#[test]
fn fairness_panel() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = meeting(&dir, lang, agenda::DEMO);
        key(&mut app, KeyCode::Char('w'));
        for (w, h) in SIZES {
            let screen = render(&app, w, h);
            assert!(screen.contains(lang.pick("居民及代表", "residents and representatives")));
            assert!(!screen.contains("1 people"), "{screen}");
            insta::assert_snapshot!(format!("fairness_{}_{w}x{h}", lang_name(lang)), screen);
        }
        // Esc closes it.
        key(&mut app, KeyCode::Esc);
        assert!(!app.fairness);
        // And Esc closes the projector layout opened in place.
        key(&mut app, KeyCode::Char('P'));
        assert!(render(&app, 80, 24).contains(lang.pick("按 P 或 Esc 返回", "P or Esc returns")));
        key(&mut app, KeyCode::Esc);
        assert!(!app.projector);
    }
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
    // One of the nine is still unmarked: Enter asks first, Esc goes back, Enter again records.
    key(&mut app, KeyCode::Enter);
    let screen = render(&app, 100, 30);
    assert!(screen.contains("还有 1 人未表态"), "{screen}");
    key(&mut app, KeyCode::Esc);
    assert!(
        matches!(app.mode, yishi::tui::app::Mode::Vote(_)),
        "Esc goes back to the marks"
    );
    key(&mut app, KeyCode::Enter);
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
    assert!(
        !screen.contains("按 s 添加") && !screen.contains("按 v 计票"),
        "{screen}"
    );
    key(&mut app, KeyCode::Char('?'));
    let help = render(&app, 120, 40);
    assert!(help.contains("编辑会议记录"), "{help}");
    assert!(
        !help.contains("签到：按姓名") && !help.contains("表决（举手计数）"),
        "{help}"
    );
    key(&mut app, KeyCode::Esc);

    // p looks at item 2 and its resolution can be written there; the meeting stays on item 3.
    key(&mut app, KeyCode::Char('p'));
    let screen = render(&app, 120, 30);
    assert!(
        screen.contains("正在查看议题 2（会议在议题 3）"),
        "{screen}"
    );
    assert!(screen.contains("3号楼加装电梯方案"), "{screen}");
    key(&mut app, KeyCode::Char('r'));
    assert!(matches!(app.mode, yishi::tui::app::Mode::Editor(_)));
    typed(&mut app, "（补记）");
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.state().current, before, "the meeting did not move");
    let item2 = app.state().item(2).unwrap();
    assert!(
        item2.resolution.ends_with("（补记）"),
        "{}",
        item2.resolution
    );
    key(&mut app, KeyCode::Char('n'));
    let screen = render(&app, 120, 30);
    assert!(
        !screen.contains("正在查看议题"),
        "back on the meeting's item: {screen}"
    );
    key(&mut app, KeyCode::Char('m'));
    assert!(matches!(app.mode, yishi::tui::app::Mode::Editor(_)));
}

/// The questions asked before a key cuts off the room's work, the walk-in prompt, a roll call
/// with voters unmarked and the help scrolled to its end: at both sizes, in both languages.
#[test]
fn questions_before_the_room_is_cut_off() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = meeting(&dir, lang, agenda::DEMO);
        let name = lang_name(lang);

        // n while 张建国 speaks.
        key(&mut app, KeyCode::Char('n'));
        for (w, h) in SIZES {
            let screen = render(&app, w, h);
            assert!(screen.contains("张建国"), "{screen}");
            assert!(
                screen.contains(lang.pick("y 确认", "y confirms")),
                "{screen}"
            );
            insta::assert_snapshot!(format!("ask_next_{name}_{w}x{h}"), screen);
        }
        key(&mut app, KeyCode::Esc);
        assert!(
            app.state().speech.is_some(),
            "Esc leaves the speech running"
        );
        assert_eq!(app.state().current, Some(2), "and the meeting on item 3");

        // A walk-in from a filter that matched nobody.
        key(&mut app, KeyCode::Char('a'));
        typed(&mut app, "Tom Baker");
        key(&mut app, KeyCode::Enter);
        for (w, h) in SIZES {
            let screen = render(&app, w, h);
            assert!(screen.contains("Tom Baker"), "{screen}");
            insta::assert_snapshot!(format!("walk_in_{name}_{w}x{h}"), screen);
        }
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Esc);

        // A roll call with voters unmarked, Enter pressed once.
        key(&mut app, KeyCode::Char('v'));
        key(&mut app, KeyCode::Char('r'));
        typed(&mut app, "yyn");
        key(&mut app, KeyCode::Enter);
        for (w, h) in SIZES {
            let screen = render(&app, w, h);
            assert!(
                screen.contains(lang.pick("还有 6 人未表态", "6 not marked yet")),
                "{screen}"
            );
            assert!(
                screen.contains(lang.pick("规则", "Rule")),
                "the rule line stays: {screen}"
            );
            insta::assert_snapshot!(format!("roll_call_ask_{name}_{w}x{h}"), screen);
        }
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Esc);

        // The help at its last line.
        key(&mut app, KeyCode::Char('?'));
        render(&app, 80, 24);
        key(&mut app, KeyCode::End);
        let screen = render(&app, 80, 24);
        assert!(
            screen.contains(lang.pick("到底了", "end · Home")),
            "{screen}"
        );
        insta::assert_snapshot!(format!("help_end_{name}_80x24"), screen);
    }
}

/// Walk-ins can take 实到 above 应到: the header and the minutes say so instead of a share
/// above 100%.
#[test]
fn walk_ins_above_the_roll_are_said_apart() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = meeting(&dir, Lang::Zh, agenda::DEMO);
    for p in 10..=12 {
        assert!(app.exec(Command::SetPresence {
            participant: p,
            presence: Presence::Present,
            holder: None,
            reason: None,
        }));
    }
    assert!(app.exec(Command::AddWalkIn {
        name: "钱大爷".into(),
        role: yishi::domain::model::Role::Resident,
        unit: None,
        voter: true,
        area: None,
        not_entitled: None,
    }));
    let screen = render(&app, 120, 30);
    assert!(
        screen.contains("实到 13（含临时到场 1）/ 应到 12"),
        "{screen}"
    );
    let m = yishi::export::Minutes::build(app.state(), Some(app.id), app.now, Lang::Zh, None);
    let md = yishi::export::md::render(std::slice::from_ref(&m));
    assert!(
        md.contains("实到 13 人（含临时到场 1 人），名单内到场 12 人，占应到人数 100.0%"),
        "{md}"
    );
    assert!(!md.contains("108"), "{md}");
}

/// The projector during sign-in, a speech and a result at 200x60, as the room reads it.
#[test]
fn projector_at_200x60() {
    // SAFETY: every test in this file sets the same value before reading the clock.
    unsafe { std::env::set_var("TZ", "Asia/Shanghai") };
    for lang in LANGS {
        let name = lang_name(lang);
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("yishi.db")).unwrap();
        let setup = agenda::parse(agenda::DEMO, lang).unwrap();
        let (id, opened) = store
            .create_meeting(setup, None, T0, yishi::domain::state::Origin::Facilitator)
            .unwrap();
        let mut app = App::new(store, id, opened, lang, Seat::Projector, T0);
        for p in 1..=8 {
            assert!(app.exec(Command::SetPresence {
                participant: p,
                presence: Presence::Present,
                holder: None,
                reason: None,
            }));
        }
        let screen = render(&app, 200, 60);
        assert!(screen.contains("幸福里居委会议事厅"), "the place: {screen}");
        assert!(
            screen.contains(lang.pick("已达法定人数（至少 7 人）", "Quorum met")),
            "{screen}"
        );
        insta::assert_snapshot!(format!("projector_sign_in_{name}_200x60"), screen);

        let dir = tempfile::tempdir().unwrap();
        let mut app = meeting(&dir, lang, agenda::DEMO);
        app.seat = Seat::Projector;
        app.projector = true;
        let screen = render(&app, 200, 60);
        assert!(screen.contains("张建国"));
        assert!(screen.contains(lang.pick("本次发言剩余", "Time left for this speech")));
        assert!(screen.contains(lang.pick("本议题已用 2:19", "This item: 2:19 used")));
        insta::assert_snapshot!(format!("projector_speech_{name}_200x60"), screen);

        app.seat = Seat::Facilitator;
        key(&mut app, KeyCode::Char('x'));
        key(&mut app, KeyCode::Char('p'));
        app.seat = Seat::Projector;
        let screen = render(&app, 200, 60);
        assert!(screen.contains(lang.pick("通 过", "PASSED")), "{screen}");
        insta::assert_snapshot!(format!("projector_result_{name}_200x60"), screen);
    }
}

/// A speaker not signed in is offered to be signed in; a saved draft leaves the screen at once;
/// a long dissent wraps without leaving a lone "·" at 80x24.
#[test]
fn small_screens_and_a_speaker_not_signed_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = meeting(&dir, Lang::Zh, agenda::DEMO);
    // 何晓燕 (hxy) has not signed in.
    key(&mut app, KeyCode::Char('s'));
    typed(&mut app, "hxy");
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("何晓燕 尚未签到：按 Enter 签到并加入发言队列"),
        "{screen}"
    );
    insta::assert_snapshot!("speaker_not_signed_in_zh_80x24", screen);
    key(&mut app, KeyCode::Enter);
    let item = app.state().current_item().unwrap();
    let last = item.queue.last().unwrap().participant;
    assert_eq!(app.state().name(last), "何晓燕");
    assert!(app.state().presence(last).attends());

    // A draft kept while typing is gone from the screen as soon as the text is saved.
    key(&mut app, KeyCode::Char('m'));
    typed(&mut app, "补充");
    app.now += 2_000;
    app.tick();
    key(&mut app, KeyCode::Esc);
    let screen = render(&app, 160, 48);
    assert!(!screen.contains("正在记录，尚未保存"), "{screen}");

    // Dissent at 80x24: long lines wrap, and no row is a lone "·".
    assert!(app.exec(Command::SetDissent {
        item: 3,
        text: "郑桂英：施工期间噪音影响老人休息，希望每天中午十二点到两点停工，并由施工方公示联系电话".into(),
        base: None,
    }));
    let before = render(&app, 80, 24);
    assert!(before.contains("↓ 下面还有"), "{before}");
    key(&mut app, KeyCode::PageDown);
    key(&mut app, KeyCode::PageDown);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("已到底"), "{screen}");
    assert!(screen.contains("郑桂英"), "{screen}");
    for line in screen.lines() {
        let pane = line
            .split('│')
            .nth(1)
            .unwrap_or("")
            .trim()
            .trim_matches('"')
            .trim();
        assert_ne!(pane, "·", "a lone dot: {screen}");
    }
    insta::assert_snapshot!("dissent_scrolled_zh_80x24", screen);
}

/// With a Chinese input method on: the full-width ？ opens the help, a Chinese character asks to
/// switch; at the last item the key bar says how to close, and n says it too.
#[test]
fn full_width_keys_and_the_last_item() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = meeting(&dir, Lang::Zh, agenda::DEMO);
    key(&mut app, KeyCode::Char('张'));
    assert!(
        app.message
            .as_ref()
            .is_some_and(|(m, _)| m.contains("请切换到英文输入法")),
        "{:?}",
        app.message
    );
    key(&mut app, KeyCode::Char('？'));
    assert!(app.help, "？ opens the help");
    key(&mut app, KeyCode::Esc);
    let bar = render(&app, 80, 24);
    assert!(
        bar.contains("E 散会"),
        "E is in the key bar at 80x24: {bar}"
    );
    key(&mut app, KeyCode::Char('x'));
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(app.state().current, Some(3), "on the last item");
    let screen = render(&app, 80, 24);
    assert!(screen.contains("n 末项·E 散会"), "{screen}");
    key(&mut app, KeyCode::Char('n'));
    assert!(
        app.message
            .as_ref()
            .is_some_and(|(m, _)| m.contains("按 E 宣布散会")),
        "{:?}",
        app.message
    );
}

/// A plurality vote on the projector: the option with most votes on its own band, and a tie
/// said as a tie, never as one option winning.
#[test]
fn projector_plurality_winner_and_tie() {
    for lang in LANGS {
        let dir = tempfile::tempdir().unwrap();
        let mut app = meeting(&dir, lang, agenda::DEMO);
        key(&mut app, KeyCode::Char('x'));
        key(&mut app, KeyCode::Char('n'));
        let record = |app: &mut App, counts: Vec<u32>| {
            assert!(app.exec(Command::RecordVote {
                item: 4,
                rule: None,
                method: Method::ShowOfHands,
                input: TallyInput::Options { counts, abstain: 1 },
                tellers: vec![],
            }));
        };
        record(&mut app, vec![5, 3]);
        app.projector = true;
        let screen = render(&app, 160, 48);
        assert!(
            screen.contains(lang.pick("得票最多：12月5日", "Most votes: 12月5日")),
            "{screen}"
        );
        insta::assert_snapshot!(
            format!("projector_plurality_{}_160x48", lang_name(lang)),
            screen
        );
        record(&mut app, vec![4, 4]);
        let screen = render(&app, 160, 48);
        assert!(screen.contains(lang.pick("票 数 相 同", "TIE")), "{screen}");
        assert!(screen.contains("12月5日 = 12月12日"), "{screen}");
        assert!(
            !screen.contains(lang.pick("得票最多", "Most votes")),
            "{screen}"
        );
        insta::assert_snapshot!(
            format!("projector_tie_{}_80x24", lang_name(lang)),
            render(&app, 80, 24)
        );
    }
}

/// A large estate's roll call: typing a unit narrows the list to its owner and `y` marks
/// them; a walk-in without an area is shown apart, with the reason, and cannot be marked.
#[test]
fn roll_call_filter_by_unit_and_walk_ins_shown_apart() {
    let dir = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string("agendas/owners-maintenance-fund.toml").unwrap();
    let mut app = meeting(&dir, Lang::Zh, &source);
    for p in 10..=16 {
        assert!(app.exec(Command::SetPresence {
            participant: p,
            presence: Presence::Present,
            holder: None,
            reason: None
        }));
    }
    assert!(app.exec(Command::AddWalkIn {
        name: "王临时".into(),
        role: yishi::domain::model::Role::Resident,
        unit: None,
        voter: true,
        area: None,
        not_entitled: None,
    }));
    key(&mut app, KeyCode::Char('n'));
    key(&mut app, KeyCode::Char('v'));
    let screen = render(&app, 160, 48);
    assert!(
        screen.contains("不参加表决：王临时（现场签到，未登记房号及专有部分面积）"),
        "{screen}"
    );
    assert!(screen.contains("参与表决 人数 0/20 (0.00%)"), "{screen}");
    // 谢文斌 owns 2号楼2单元302 and 3号楼1单元502: either unit finds him.
    typed(&mut app, "1单元502");
    let screen = render(&app, 160, 48);
    assert!(
        screen.contains("查找（房号或姓名，y/n/a 标记第一个匹配）：1单元502"),
        "{screen}"
    );
    assert!(
        screen.contains("谢文斌") && !screen.contains("陈国华 "),
        "{screen}"
    );
    key(&mut app, KeyCode::Char('y'));
    let yishi::tui::app::Mode::Vote(form) = &app.mode else {
        panic!("still in the roll call");
    };
    let roll = form.roll.as_ref().unwrap();
    assert!(
        roll.filter.is_empty(),
        "the filter clears for the next owner"
    );
    let marked: Vec<String> = roll
        .marks
        .keys()
        .map(|p| app.state().name(*p).to_string())
        .collect();
    assert_eq!(marked, vec!["谢文斌"]);
    // One owner, two units, one head: 201.60 m² in favour.
    let screen = render(&app, 160, 48);
    assert!(
        screen.contains("赞成 人数 1/1 (100.00%) · 面积 201.6 m² (100.00%)"),
        "{screen}"
    );
    // Esc clears a filter before it closes the roll call.
    typed(&mut app, "302");
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.mode, yishi::tui::app::Mode::Vote(_)));
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.mode, yishi::tui::app::Mode::Main));
}

/// 业委会会议: members attend in person; Tab in attendance skips the proxy, says why, and asks
/// the reason of a leave; Tab once more marks them absent.
#[test]
fn a_committee_meeting_takes_no_proxy_at_sign_in_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string("agendas/owners-committee.toml").unwrap();
    let mut app = meeting(&dir, Lang::Zh, &source);
    key(&mut app, KeyCode::Char('a'));
    typed(&mut app, "韩雪");
    // 韩雪 (no. 6) is signed in: Tab goes to online, then would be a proxy.
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.state().presence(6), Presence::Online);
    key(&mut app, KeyCode::Tab);
    assert!(matches!(app.mode, yishi::tui::app::Mode::PresenceDetail(_)));
    assert_eq!(app.state().presence(6), Presence::Online, "asked first");
    let (message, _) = app.message.clone().unwrap();
    assert!(
        message.contains("业委会会议不接受委托：委员须本人出席"),
        "{message}"
    );
    let screen = render(&app, 160, 48);
    assert!(screen.contains("业委会会议不接受委托"), "{screen}");
    assert!(screen.contains("请假 · 韩雪"), "{screen}");
    assert!(!screen.contains("委托出席"), "{screen}");
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.state().presence(6), Presence::Absent);
    assert!(matches!(app.mode, yishi::tui::app::Mode::Attendance { .. }));
}

/// A proxy's holder and a leave's reason are asked in the attendance list and shown there.
#[test]
fn attendance_asks_a_proxys_holder_and_a_leaves_reason() {
    let dir = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string("agendas/owners-maintenance-fund.toml").unwrap();
    let mut app = meeting(&dir, Lang::Zh, &source);
    key(&mut app, KeyCode::Char('a'));
    typed(&mut app, "郭玉兰");
    // Signed in already: Tab to online, then to a proxy.
    assert_eq!(app.state().presence(4), Presence::Present);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    let screen = render(&app, 80, 24);
    insta::assert_snapshot!("proxy_holder_zh_80x24", screen);
    typed(&mut app, "陈国华");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.state().presence(4), Presence::Proxy);
    assert_eq!(
        app.state().proxy_holders.get(&4).map(String::as_str),
        Some("陈国华")
    );
    assert!(render(&app, 80, 24).contains("[委托→陈国华] 郭玉兰"));
    // Tab again: the reason of a leave is asked, and Esc changes nothing.
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.state().presence(4), Presence::Proxy);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "出差");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.state().presence(4), Presence::Leave);
    assert_eq!(
        app.state().leave_reasons.get(&4).map(String::as_str),
        Some("出差")
    );
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

/// `T` lists the action items of every meeting of the file, overdue first; Enter, Tab and a
/// note record a new status, dated today, in the log of the meeting the action belongs to,
/// even a closed one.
#[test]
fn t_follows_up_the_actions_of_every_meeting() {
    use yishi::domain::state::ActionStatus;
    // SAFETY: every test in this file sets the same value before reading the clock.
    unsafe { std::env::set_var("TZ", "Asia/Shanghai") };
    let dir = tempfile::tempdir().unwrap();
    // An earlier meeting, closed, with an action overdue since 2026-11-01.
    let earlier = earlier_meeting(
        &dir.path().join("yishi.db"),
        T0 - 86_400_000 * 40,
        "2026-11-01",
        true,
    );
    let mut app = meeting(&dir, Lang::Zh, agenda::DEMO);
    key(&mut app, KeyCode::Char('T'));
    let screen = render(&app, 80, 24);
    insta::assert_snapshot!("follow_up_zh_80x24", screen);
    assert!(
        screen.contains("待办跟进 · 共 2 项，未完成 2 项，逾期 1 项"),
        "{screen}"
    );
    // Overdue first: the earlier meeting's action is on top, selected.
    let first = screen
        .lines()
        .find(|l| l.contains("修复3号楼门禁"))
        .unwrap();
    let second = screen
        .lines()
        .position(|l| l.contains("联系电梯公司"))
        .unwrap();
    assert!(
        screen.lines().position(|l| l == first).unwrap() < second,
        "{screen}"
    );
    assert!(
        first.contains(&format!("{earlier}-1")) && first.contains("逾期"),
        "{first}"
    );

    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "门禁已更换");
    let screen = render(&app, 160, 48);
    assert!(screen.contains("更新待办 1-1"), "{screen}");
    assert!(screen.contains("已完成  (Tab)"), "{screen}");
    assert!(screen.contains("记为 2026-11-28"), "{screen}");
    key(&mut app, KeyCode::Enter);
    let (message, _) = app.message.clone().unwrap();
    assert_eq!(message, "待办 1-1 已记为「已完成」（2026-11-28）");
    // Recorded in the earlier meeting's own log, and the file still proves itself.
    let store = Store::open(&dir.path().join("yishi.db")).unwrap();
    let m = store.load(earlier).unwrap();
    let a = &m.state().actions[0];
    assert_eq!(a.status, ActionStatus::Done);
    assert_eq!(a.notes.last().unwrap().text, "门禁已更换");
    assert!(store.audit().unwrap().is_intact());
    // Esc without Enter records nothing.
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "不记");
    key(&mut app, KeyCode::Esc);
    assert!(app.state().actions[0].notes.is_empty());
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.mode, yishi::tui::app::Mode::Main));
    // In English, at 160x48.
    app.lang = Lang::En;
    key(&mut app, KeyCode::Char('T'));
    insta::assert_snapshot!("follow_up_en_160x48", render(&app, 160, 48));
}

/// Written ballots count owners who are not in the room: the vote panel gives each count's
/// share of the owners who took part, never of the few signed in (4700%).
#[test]
fn written_ballots_show_shares_of_those_who_took_part() {
    use yishi::domain::tally::Choice;
    let dir = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string("agendas/owners-maintenance-fund.toml").unwrap();
    let mut app = meeting(&dir, Lang::Zh, &source);
    key(&mut app, KeyCode::Char('n'));
    let item = app.state().current_item().unwrap().id;
    // Fifteen owners' ballots (the two thirds the quorum needs): twelve in favour, two
    // against, one abstaining, with nine owners signed in.
    let ballots: Vec<_> = (4..=18)
        .map(|p| {
            let choice = match p {
                4 | 5 => Choice::No,
                6 => Choice::Abstain,
                _ => Choice::Yes,
            };
            (p, choice)
        })
        .collect();
    assert!(app.exec(Command::RecordVote {
        item,
        rule: None,
        method: Method::WrittenBallot,
        input: TallyInput::RollCall { ballots },
        tellers: vec![],
    }));
    let v = app.state().vote_of(item).unwrap();
    assert_eq!(v.outcome.base_count, 15, "{:?}", v.outcome);
    let screen = render(&app, 160, 48);
    assert!(screen.contains("赞成 12（80.0%）"), "{screen}");
    assert!(screen.contains("反对 2（13.3%）"), "{screen}");
}

/// An earlier meeting of the demo agenda, opened at `opened`, with one action (门禁, due on
/// `due`) on its first item, closed when `closed`.
fn earlier_meeting(
    path: &std::path::Path,
    opened: i64,
    due: &str,
    closed: bool,
) -> yishi::store::MeetingId {
    use yishi::domain::state::Origin;
    let mut store = Store::open(path).unwrap();
    let setup = agenda::parse(agenda::DEMO, Lang::Zh).unwrap();
    let (id, mut m) = store
        .create_meeting(setup, None, opened, Origin::Facilitator)
        .unwrap();
    let mut commands = vec![
        Command::NextItem,
        Command::AddAction {
            item: 1,
            what: "修复3号楼门禁".into(),
            owner: "物业李经理".into(),
            due: Some(due.into()),
        },
    ];
    if closed {
        commands.push(Command::EndMeeting);
    }
    let mut at = opened;
    for c in commands {
        at += 60_000;
        store
            .execute(id, &mut m, &c, at, Origin::Facilitator)
            .unwrap();
    }
    id
}

/// Another console updating an earlier meeting's action while `T` is open: the list follows.
#[test]
fn t_follows_another_consoles_update_of_an_earlier_meeting() {
    use yishi::domain::state::{ActionStatus, Origin};
    // SAFETY: every test in this file sets the same value before reading the clock.
    unsafe { std::env::set_var("TZ", "Asia/Shanghai") };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("yishi.db");
    let earlier = earlier_meeting(&path, T0 - 86_400_000, "2026-12-20", false);
    let mut app = meeting(&dir, Lang::Zh, agenda::DEMO);
    key(&mut app, KeyCode::Char('T'));
    assert!(!render(&app, 160, 48).contains("门禁已更换"));
    // The secretary, at another console, records the action done.
    let mut other = Store::open(&path).unwrap();
    let mut m = other.load(earlier).unwrap();
    other
        .execute(
            earlier,
            &mut m,
            &Command::UpdateAction {
                action: 1,
                status: ActionStatus::Done,
                note: Some("门禁已更换".into()),
            },
            T0,
            Origin::Secretary,
        )
        .unwrap();
    app.tick();
    let screen = render(&app, 160, 48);
    let line = screen
        .lines()
        .find(|l| l.contains("修复3号楼门禁 ·"))
        .unwrap();
    assert!(line.contains("已完成"), "{screen}");
    // Done now, it is listed after the open one; its note is there.
    key(&mut app, KeyCode::Down);
    let screen = render(&app, 160, 48);
    assert!(screen.contains("已完成：门禁已更换"), "{screen}");
}

/// A long agenda at 80x24: the agenda column shows the item under discussion and the items
/// around it, not the first ones, in order and each once.
#[test]
fn a_long_agenda_keeps_the_current_item_in_view() {
    let mut source = agenda::DEMO.to_string();
    for n in 5..=40 {
        source.push_str(&format!(
            "\n[[items]]\ntitle = \"楼栋议题{n}\"\nkind = \"other\"\nduration = \"5m\"\n"
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let mut app = meeting(&dir, Lang::Zh, &source);
    // On to item 30 with `n` (answering the questions it asks on the way).
    for _ in 0..80 {
        if app.state().current == Some(29) {
            break;
        }
        key(&mut app, KeyCode::Char('n'));
        if let yishi::tui::app::Mode::Confirm(_) = app.mode {
            key(&mut app, KeyCode::Char('y'));
        }
    }
    assert_eq!(app.state().current, Some(29), "{:?}", app.message);
    let screen = render(&app, 80, 24);
    let numbers: Vec<u32> = screen
        .lines()
        .filter_map(|l| l.split('│').next())
        .filter_map(|l| {
            let l = l.trim_start_matches(['"', '✓', '·', '▶', ' ']);
            l.split_whitespace().next()?.parse().ok()
        })
        .collect();
    assert!(screen.contains("▶30 楼栋议题30"), "{screen}");
    assert!(
        !numbers.contains(&1),
        "the first items scrolled out: {numbers:?}\n{screen}"
    );
    assert!(
        numbers.windows(2).all(|w| w[1] == w[0] + 1),
        "in order, each once: {numbers:?}"
    );
    assert!(numbers.len() >= 15, "the column is filled: {numbers:?}");
}
