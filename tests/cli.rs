//! The command line as a user types it: exit codes, one-sentence errors, check, list, show,
//! verify, and the follow-up of actions across meetings.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use yishi::domain::state::{ActionStatus, Command as C, Origin, Presence};
use yishi::store::Store;

fn yishi(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yishi"))
        .arg("--db")
        .arg(db)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

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
