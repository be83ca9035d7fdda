//! The command line as a user types it: exit codes, one-sentence errors, check, list, show,
//! verify, and the follow-up of actions across meetings.

mod common;

use std::path::Path;
use std::process::Command;

use yishi::domain::state::{ActionStatus, Command as C, Origin, Presence};
use yishi::store::Store;

use common::{output_text as text, run_in_repo as yishi};

#[test]
fn check_passes_every_shipped_agenda_and_locates_problems() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    let mut args = vec!["--lang", "zh-CN", "check"];
    let files: Vec<String> = std::fs::read_dir("agendas")
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    args.extend(files.iter().map(String::as_str));
    let o = yishi(&db, &args);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("议题 4 项"));

    let o = yishi(
        &db,
        &[
            "--lang",
            "en",
            "check",
            "tests/agendas/broken-unknown-rule.toml",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("tests/agendas/broken-unknown-rule.toml:6:"),
        "{err}"
    );
    assert!(err.contains("unknown rule"));
    assert!(!err.contains("panicked"));
}

#[test]
fn bad_input_gets_one_clear_sentence_and_the_right_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    let o = yishi(&db, &["--lang", "zh-CN", "show", "7"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("没有编号为 7 的会议"), "{}", text(&o));

    let o = yishi(&db, &["--lang", "klingon", "list"]);
    assert_eq!(o.status.code(), Some(2));

    let notes = dir.path().join("notes.db");
    std::fs::write(&notes, "会议笔记，不是数据库").unwrap();
    let o = yishi(&notes, &["--lang", "en", "list"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("is not a yishi database"), "{}", text(&o));

    let o = yishi(&dir.path().join("missing/y.db"), &["--lang", "en", "list"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("does not exist"));

    let o = yishi(
        &db,
        &[
            "--lang",
            "en",
            "run",
            "tests/agendas/broken-duplicate-name.toml",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("broken-duplicate-name.toml:"));
}

#[test]
fn run_without_a_terminal_prints_the_summary_and_list_shows_the_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    let o = yishi(&db, &["--lang", "zh-CN", "run", "agendas/elevator.toml"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("幸福里小区3号楼加装电梯协商议事会"));
    // The same agenda again resumes the same meeting.
    let o = yishi(&db, &["--lang", "zh-CN", "run", "agendas/elevator.toml"]);
    assert!(o.status.success());
    let o = yishi(&db, &["--lang", "zh-CN", "list"]);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).lines().count(),
        1,
        "{}",
        text(&o)
    );
    let o = yishi(&db, &["--lang", "en", "verify"]);
    assert!(o.status.success());
    assert!(text(&o).contains("intact"));
}

#[test]
fn actions_are_followed_across_meetings_and_feed_an_evaluation_agenda() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    let mut store = Store::open(&db).unwrap();
    let (id, mut m) = store
        .create_meeting(common::setup(), None, common::T0, Origin::Facilitator)
        .unwrap();
    let f = Origin::Facilitator;
    store
        .execute(
            id,
            &mut m,
            &C::SetPresence {
                participant: 1,
                presence: Presence::Present,
                holder: None,
                reason: None,
            },
            common::T0,
            f,
        )
        .unwrap();
    store
        .execute(
            id,
            &mut m,
            &C::AddAction {
                item: 1,
                what: "联系电梯公司".into(),
                owner: "孙伟".into(),
                due: Some("2020-01-31".into()),
            },
            common::T0,
            f,
        )
        .unwrap();
    store
        .execute(
            id,
            &mut m,
            &C::AddAction {
                item: 1,
                what: "公示施工方案".into(),
                owner: "赵敏".into(),
                due: Some("2999-12-31".into()),
            },
            common::T0,
            f,
        )
        .unwrap();
    drop(store);

    let o = yishi(&db, &["--lang", "zh-CN", "actions"]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    let overdue = out.find("逾期").unwrap();
    assert!(
        out.find("联系电梯公司").unwrap() < out.find("公示施工方案").unwrap(),
        "overdue first:\n{out}"
    );
    assert!(overdue < out.find("联系电梯公司").unwrap());

    let o = yishi(
        &db,
        &[
            "--lang",
            "zh-CN",
            "actions",
            "update",
            "1",
            "1",
            "--status",
            "done",
            "--note",
            "已签合同",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let store = Store::open(&db).unwrap();
    let loaded = store.load(id).unwrap();
    let a = &loaded.state().actions[0];
    assert_eq!(a.status, ActionStatus::Done);
    assert_eq!(a.notes[0].text, "已签合同");
    let status: String = store
        .connection()
        .query_row("SELECT status FROM actions WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(status, "done");
    drop(store);

    let o = yishi(
        &db,
        &[
            "--lang", "zh-CN", "actions", "update", "1", "9", "--status", "done",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let o = yishi(
        &db,
        &[
            "--lang", "zh-CN", "actions", "update", "1", "1", "--status", "finished",
        ],
    );
    assert_eq!(o.status.code(), Some(2));

    let agenda = dir.path().join("eval.toml");
    let o = yishi(
        &db,
        &[
            "--lang",
            "zh-CN",
            "actions",
            "evaluation",
            "-o",
            agenda.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let setup =
        yishi::agenda::load(&agenda, yishi::lang::Lang::Zh).expect("the evaluation agenda loads");
    assert_eq!(
        setup.meeting.kind,
        yishi::domain::model::MeetingKind::Evaluation
    );
    assert_eq!(setup.items.len(), 2, "one open, one done just now");
    assert!(setup.items.iter().any(|i| i.title.contains("联系电梯公司")));
}

#[test]
fn stats_show_what_was_decided_and_what_was_only_discussed() {
    use yishi::domain::state::{SpeechKind, TallyInput};
    use yishi::domain::tally::Method;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    let mut store = Store::open(&db).unwrap();
    let (id, mut m) = store
        .create_meeting(common::setup(), None, common::T0, Origin::Facilitator)
        .unwrap();
    let f = Origin::Facilitator;
    let mut at = common::T0;
    let mut run = |store: &mut Store, m: &mut yishi::domain::state::Meeting, c: C| {
        at += 10_000;
        store.execute(id, m, &c, at, f).unwrap();
    };
    for p in 1..=5 {
        run(
            &mut store,
            &mut m,
            C::SetPresence {
                participant: p,
                presence: Presence::Present,
                holder: None,
                reason: None,
            },
        );
    }
    run(&mut store, &mut m, C::NextItem);
    run(
        &mut store,
        &mut m,
        C::QueueSpeaker {
            participant: 1,
            kind: SpeechKind::Speech,
        },
    );
    run(&mut store, &mut m, C::StartNextSpeaker);
    run(&mut store, &mut m, C::EndSpeech);
    run(
        &mut store,
        &mut m,
        C::RecordVote {
            item: 1,
            rule: None,
            method: Method::ShowOfHands,
            input: TallyInput::Counts {
                yes: 5,
                no: 0,
                abstain: 0,
            },
            tellers: vec![],
        },
    );
    run(
        &mut store,
        &mut m,
        C::AddAction {
            item: 1,
            what: "联系电梯公司".into(),
            owner: "孙伟".into(),
            due: Some("2020-01-31".into()),
        },
    );
    run(&mut store, &mut m, C::NextItem);
    run(&mut store, &mut m, C::NextItem);
    drop(store);
    let o = yishi(&db, &["--lang", "zh-CN", "stats"]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("到会 5/6（83.3%）"), "{out}");
    assert!(out.contains("居民及代表发言时长占 100%"), "{out}");
    assert!(out.contains("已决 1 项，议而未决 1 项"), "{out}");
    assert!(out.contains("逾期未完成 1"), "{out}");
}

#[test]
fn a_changed_agenda_does_not_change_a_meeting_already_started() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    let agenda = dir.path().join("a.toml");
    let source = std::fs::read_to_string("agendas/elevator.toml").unwrap();
    std::fs::write(&agenda, &source).unwrap();
    let o = yishi(&db, &["--lang", "zh-CN", "run", agenda.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!text(&o).contains("有改动"));
    std::fs::write(
        &agenda,
        source.replace("楼道堆物清理时间", "楼道堆物清理日期"),
    )
    .unwrap();
    let o = yishi(&db, &["--lang", "zh-CN", "run", agenda.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("议程文件在会议开始后有改动"),
        "{}",
        text(&o)
    );
    assert!(
        text(&o).contains("楼道堆物清理时间"),
        "the meeting keeps its agenda: {}",
        text(&o)
    );
    let o = yishi(&db, &["--lang", "zh-CN", "list"]);
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 1);
}

/// A meeting held from the English agenda: signed in, one vote, an action, closed.
fn english_meeting(db: &Path) -> i64 {
    let mut store = Store::open(db).unwrap();
    let setup = yishi::agenda::load(
        Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/agendas/street-meeting-en.toml"
        )),
        yishi::lang::Lang::En,
    )
    .unwrap();
    let voters: Vec<u32> = setup
        .participants
        .iter()
        .filter(|p| p.voter)
        .map(|p| p.id)
        .collect();
    let (id, mut m) = store
        .create_meeting(setup, None, common::T0, Origin::Facilitator)
        .unwrap();
    let mut at = common::T0;
    let mut run = |store: &mut Store, m: &mut yishi::domain::state::Meeting, c: C| {
        at += 10_000;
        store.execute(id, m, &c, at, Origin::Facilitator).unwrap();
    };
    for p in voters {
        let c = C::SetPresence {
            participant: p,
            presence: Presence::Present,
            holder: None,
            reason: None,
        };
        run(&mut store, &mut m, c);
    }
    run(&mut store, &mut m, C::NextItem);
    let c = C::AddAction {
        item: 1,
        what: "Ask the council for a crossing".into(),
        owner: "Ward office".into(),
        due: Some("2026-12-31".into()),
    };
    run(&mut store, &mut m, c);
    run(&mut store, &mut m, C::EndMeeting);
    id
}

const CHINESE_PUNCTUATION: &[char] = &[
    '，', '。', '：', '；', '（', '）', '「', '」', '、', '！', '？',
];

#[test]
fn english_answers_carry_no_chinese_punctuation_and_dates_have_one_style() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    english_meeting(&db);
    let posted = dir.path().join("notice.txt");
    for args in [
        vec!["list"],
        vec!["show"],
        vec!["actions"],
        vec!["stats"],
        vec!["verify"],
        vec!["export"],
        vec!["notice", "-o", posted.to_str().unwrap()],
    ] {
        let mut all = vec!["--lang", "en"];
        all.extend(&args);
        let o = yishi(&db, &all);
        let out = text(&o);
        assert!(o.status.success(), "{args:?}: {out}");
        let found: Vec<char> = out
            .chars()
            .filter(|c| CHINESE_PUNCTUATION.contains(c))
            .collect();
        assert!(found.is_empty(), "{args:?} prints {found:?}:\n{out}");
    }
    let notice = std::fs::read_to_string(&posted).unwrap();
    assert!(
        !notice.chars().any(|c| CHINESE_PUNCTUATION.contains(&c)),
        "{notice}"
    );
    // list and show write a time the same way, in each language.
    let en = text(&yishi(&db, &["--lang", "en", "list"]));
    assert!(!en.contains("T1") && !en.contains("+08:00"), "{en}");
    let date = regex::Regex::new(r"\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}").unwrap();
    assert!(date.is_match(&en), "{en}");
    let zh = text(&yishi(&db, &["--lang", "zh-CN", "list"]));
    let date = regex::Regex::new(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}").unwrap();
    assert!(date.is_match(&zh), "{zh}");
    // The meeting is closed: no item is shown as under way.
    let show = text(&yishi(&db, &["--lang", "zh-CN", "show"]));
    assert!(!show.contains("[进行中]"), "{show}");
    assert!(show.contains("[已议]"), "{show}");
}

#[test]
fn export_and_notice_never_overwrite_a_file_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    english_meeting(&db);
    let out = dir.path().join("minutes.md");
    std::fs::write(&out, "signed copy").unwrap();
    for (lang, words) in [("zh-CN", "已存在，未覆盖"), ("en", "already exists")] {
        for args in [
            vec!["export", "-o", out.to_str().unwrap()],
            vec!["notice", "-o", out.to_str().unwrap()],
        ] {
            let mut all = vec!["--lang", lang];
            all.extend(&args);
            let o = yishi(&db, &all);
            assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(err.contains(words) && err.contains("--force"), "{err}");
            assert_eq!(err.trim().lines().count(), 1, "one sentence: {err}");
        }
    }
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "signed copy");
    let o = yishi(&db, &["export", "-o", out.to_str().unwrap(), "--force"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_ne!(std::fs::read_to_string(&out).unwrap(), "signed copy");
    let o = yishi(&db, &["notice", "-o", out.to_str().unwrap(), "--force"]);
    assert!(o.status.success(), "{}", text(&o));
    // The Word file's own name is taken once; a second export says so instead of replacing it.
    let cwd = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_yishi"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .current_dir(cwd.path())
            .output()
            .unwrap()
    };
    assert!(run(&["export", "-f", "docx"]).status.success());
    assert_eq!(run(&["export", "-f", "docx"]).status.code(), Some(2));
    assert!(run(&["export", "-f", "docx", "--force"]).status.success());
}

#[test]
fn actions_update_takes_the_id_as_listed_and_chinese_status_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    let id = english_meeting(&db);
    let listed = text(&yishi(&db, &["--lang", "zh-CN", "actions"]));
    let code = format!("{id}-1");
    assert!(listed.contains(&code), "{listed}");
    for (args, status) in [
        (
            vec![code.as_str(), "--status", "进行中"],
            ActionStatus::InProgress,
        ),
        (
            vec![&*format!("#{code}"), "--status", "已完成"],
            ActionStatus::Done,
        ),
        (vec!["1", "1", "--status", "已撤销"], ActionStatus::Dropped),
        (
            vec![code.as_str(), "--status", "in progress"],
            ActionStatus::InProgress,
        ),
    ] {
        let mut all = vec!["--lang", "zh-CN", "actions", "update"];
        all.extend(&args);
        let o = yishi(&db, &all);
        assert!(o.status.success(), "{args:?}: {}", text(&o));
        let store = Store::open(&db).unwrap();
        assert_eq!(store.load(id).unwrap().state().actions[0].status, status);
    }
    let o = yishi(
        &db,
        &[
            "--lang", "zh-CN", "actions", "update", "1-x", "--status", "done",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("如 1-2"),
        "{}",
        text(&o)
    );
    let o = yishi(
        &db,
        &[
            "--lang", "zh-CN", "actions", "update", "1-1", "--status", "好了",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("已完成"));
}

#[test]
fn argument_errors_are_in_the_users_language() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    let o = yishi(&db, &["--lang", "zh-CN", "export", "-f", "pdf"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("不接受 \"pdf\"") && err.contains("可选：md、html"),
        "{err}"
    );
    assert!(!err.contains("invalid value"), "{err}");
    let o = yishi(&db, &["--lang", "zh-CN", "shwo"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("是不是想用 show"));
    let o = yishi(&db, &["--lang", "en", "export", "-f", "pdf"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("invalid value 'pdf'"));
}

#[test]
fn completions_and_the_man_page_come_from_the_real_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = yishi(&db, &["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", text(&o));
        let script = String::from_utf8_lossy(&o.stdout);
        for word in ["export", "notice", "force", "completions", "manpage"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    let o = yishi(&db, &["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    let o = yishi(&db, &["manpage"]);
    assert!(o.status.success(), "{}", text(&o));
    let man = String::from_utf8_lossy(&o.stdout);
    assert!(man.starts_with(".ie") || man.contains(".TH yishi"), "{man}");
    assert!(man.contains("export") && man.contains("verify"));
}
