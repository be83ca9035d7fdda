//! Before and after the meeting, as a social worker types it: a roster spreadsheet becomes an
//! agenda that `check` and `run` take unchanged, and proposals follow the record by themselves
//! through the meetings that take them up.

mod common;

use std::path::Path;
use std::process::Output;

use rust_xlsxwriter::Workbook;
use yishi::domain::state::{Command as C, Origin, Presence, TallyInput};
use yishi::domain::tally::Method;
use yishi::store::Store;

use common::{output_text as text, run_in_repo as yishi};

/// A roster as the property company keeps it: header, then one row a flat.
fn write_xlsx(path: &Path, rows: &[[&str; 7]]) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("业主名册").unwrap();
    let header = [
        "姓名",
        "身份",
        "楼栋",
        "房号",
        "建筑面积（㎡）",
        "联系电话",
        "是否表决",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            // Areas and flat numbers as numbers, the way spreadsheets hold them.
            match v.parse::<f64>() {
                Ok(n) if c == 3 || c == 4 => sheet.write_number(r as u32 + 1, c as u16, n),
                _ => sheet.write_string(r as u32 + 1, c as u16, *v),
            }
            .unwrap();
        }
    }
    book.save(path).unwrap();
}

fn new_agenda(db: &Path, out: &Path, roster: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "--lang",
        "zh-CN",
        "agenda",
        "new",
        "-o",
        out.to_str().unwrap(),
        "--kind",
        "owners_meeting",
        "--title",
        "锦绣园业主大会",
        "--starts",
        "2026-12-20T14:30:00+08:00",
        "--place",
        "小区会所",
        "--roster",
        roster.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    yishi(db, &args)
}

#[test]
fn an_excel_roster_with_bad_rows_is_refused_row_by_row_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    let roster = dir.path().join("roster.xlsx");
    write_xlsx(
        &roster,
        &[
            [
                "陈国华",
                "业委会",
                "1号楼",
                "302",
                "98.36",
                "13800000001",
                "",
            ],
            ["李秀英", "业主", "2号楼", "101", "八十", "", ""],
            ["", "业主", "2号楼", "102", "75", "", ""],
            ["王磊", "掌柜", "3号楼", "201", "80", "", "是"],
            ["赵敏", "业主", "3号楼", "202", "66", "", "也许"],
        ],
    );
    let out = dir.path().join("a.toml");
    let o = new_agenda(&db, &out, &roster, &["--item", "维修资金使用"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    let file = roster.display().to_string();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 4, "{err}");
    assert!(
        lines[0].starts_with(&format!("{file}:业主名册:3:E: ")),
        "{err}"
    );
    assert!(lines[0].contains("八十"), "{err}");
    assert!(
        lines[1].starts_with(&format!("{file}:业主名册:4:A: ")),
        "{err}"
    );
    assert!(
        lines[2].starts_with(&format!("{file}:业主名册:5:B: ")),
        "{err}"
    );
    assert!(lines[2].contains("掌柜"), "{err}");
    assert!(
        lines[3].starts_with(&format!("{file}:业主名册:6:G: ")),
        "{err}"
    );
    assert!(
        !out.exists(),
        "nothing is written while the roster has problems"
    );
}

#[test]
fn an_excel_roster_becomes_an_agenda_that_check_and_run_take() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    let roster = dir.path().join("roster.xlsx");
    write_xlsx(
        &roster,
        &[
            [
                "陈国华",
                "业委会",
                "1号楼",
                "302",
                "98.36",
                "13800000001",
                "",
            ],
            ["李秀英", "", "2号楼", "101", "80", "", ""],
            // One owner, two flats: one participant, the areas added.
            ["李秀英", "业主", "2号楼", "102", "75.5", "13800000002", ""],
            ["孙伟", "物业", "", "", "", "", "否"],
            ["周社工", "社工", "", "", "", "", ""],
        ],
    );
    let out = dir.path().join("a.toml");
    let o = new_agenda(&db, &out, &roster, &["--item", "维修资金使用"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("参会 4 人（表决 2 人）"), "{}", text(&o));

    let o = yishi(&db, &["--lang", "zh-CN", "check", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let setup = yishi::agenda::load(&out, yishi::lang::Lang::Zh).unwrap();
    let li = setup
        .participants
        .iter()
        .find(|p| p.name == "李秀英")
        .unwrap();
    assert_eq!(li.unit.as_deref(), Some("2号楼101、2号楼102"));
    assert_eq!(li.area.map(|a| a.to_string()).as_deref(), Some("155.5"));
    // Each flat keeps its own area in the agenda's `units` list.
    let units: Vec<(String, String)> = li
        .units
        .iter()
        .map(|u| (u.unit.clone(), u.area.to_string()))
        .collect();
    assert_eq!(
        units,
        vec![
            ("2号楼101".to_string(), "80".to_string()),
            ("2号楼102".to_string(), "75.5".to_string())
        ]
    );
    let toml = std::fs::read_to_string(&out).unwrap();
    assert!(toml.contains("[[participants.units]]"), "{toml}");
    assert_eq!(li.phone.as_deref(), Some("13800000002"));
    assert!(li.voter);
    let sun = setup
        .participants
        .iter()
        .find(|p| p.name == "孙伟")
        .unwrap();
    assert_eq!(sun.role, yishi::domain::model::Role::Property);
    assert!(!sun.voter);

    // `run` without a terminal starts the meeting and prints its summary.
    let o = yishi(&db, &["--lang", "zh-CN", "run", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let store = Store::open(&db).unwrap();
    let id = store.latest().unwrap();
    let m = store.load(id).unwrap();
    assert_eq!(m.state().meeting.title, "锦绣园业主大会");
    assert_eq!(m.state().participants.len(), 4);
    assert_eq!(m.state().items[0].spec.title, "维修资金使用");

    // An existing file is not overwritten unless asked.
    let o = new_agenda(&db, &out, &roster, &["--item", "维修资金使用"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("--force"), "{}", text(&o));
}

#[test]
fn a_csv_roster_in_english_is_read_and_its_problems_located() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    let roster = dir.path().join("roster.csv");
    std::fs::write(
        &roster,
        "\u{feff}Name,Role,Unit,Area (m2),Phone,Voter\nAnn Lee,owner,1-101,86.5,,\nBo Chen,resident_rep,1-102,-3,,\nCy Wu,guest,,,,maybe\n",
    )
    .unwrap();
    let out = dir.path().join("a.toml");
    let args = |o: &Path| {
        vec![
            "--lang".to_string(),
            "en".into(),
            "agenda".into(),
            "new".into(),
            "-o".into(),
            o.display().to_string(),
            "--title".into(),
            "Street meeting".into(),
            "--roster".into(),
            roster.display().to_string(),
            "--item".into(),
            "Bike shed".into(),
        ]
    };
    let a = args(&out);
    let o = yishi(&db, &a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    let file = roster.display().to_string();
    assert_eq!(
        err.lines()
            .map(|l| l.split(": ").next().unwrap_or_default().to_string())
            .collect::<Vec<_>>(),
        vec![format!("{file}:3:D"), format!("{file}:4:F")],
        "{err}"
    );
    assert!(err.contains("negative"), "{err}");
    assert!(!out.exists());

    std::fs::write(
        &roster,
        "Name,Role,Unit,Area (m2),Phone,Voter\nAnn Lee,owner,1-101,86.5,,\nBo Chen,resident_rep,1-102,70,,\nCy Wu,guest,,,,no\n",
    )
    .unwrap();
    let o = yishi(&db, &a.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(o.status.success(), "{}", text(&o));
    let setup = yishi::agenda::load(&out, yishi::lang::Lang::En).unwrap();
    assert_eq!(setup.participants.len(), 3);
    assert_eq!(setup.voters(), 2);
}

fn statuses(db: &Path, id: u32) -> Vec<String> {
    let o = yishi(db, &["proposals", "list", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let p = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap();
    p["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap().to_string())
        .collect()
}

fn run_meeting(db: &Path, agenda: &Path) -> (Store, i64, yishi::domain::state::Meeting) {
    let o = yishi(db, &["--lang", "zh-CN", "run", agenda.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let store = Store::open(db).unwrap();
    let id = store.latest().unwrap();
    let m = store.load(id).unwrap();
    (store, id, m)
}

#[test]
fn proposals_follow_the_record_through_two_meetings_and_an_evaluation() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    let roster = dir.path().join("roster.csv");
    std::fs::write(
        &roster,
        "姓名,身份,房号\n张建国,居民,1-101\n李秀英,居民代表,1-102\n王磊,物业,\n",
    )
    .unwrap();
    for (title, by) in [
        ("楼道堆物清理", "张建国"),
        ("加装非机动车棚", "李秀英"),
        ("要求物业退费", "王磊"),
    ] {
        let o = yishi(
            &db,
            &[
                "--lang",
                "zh-CN",
                "proposals",
                "add",
                title,
                "--by",
                by,
                "--channel",
                "信箱",
            ],
        );
        assert!(o.status.success(), "{}", text(&o));
    }
    assert_eq!(statuses(&db, 1), ["raised"]);
    for (id, flag, reason) in [
        ("1", "--accept", "涉及公共利益"),
        ("2", "--accept", "居民普遍关心"),
        ("3", "--reject", "属于合同纠纷，不在议事范围"),
    ] {
        let o = yishi(
            &db,
            &[
                "--lang",
                "zh-CN",
                "proposals",
                "screen",
                id,
                flag,
                "--reason",
                reason,
            ],
        );
        assert!(o.status.success(), "{}", text(&o));
    }
    assert_eq!(statuses(&db, 3), ["raised", "rejected"]);
    let o = yishi(&db, &["proposals", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        list[2]["history"][1]["reason"],
        "属于合同纠纷，不在议事范围"
    );

    // A rejected proposal does not go on an agenda.
    let refused = dir.path().join("refused.toml");
    let o = yishi(
        &db,
        &[
            "--lang",
            "zh-CN",
            "agenda",
            "new",
            "-o",
            refused.to_str().unwrap(),
            "--title",
            "议事会",
            "--roster",
            roster.to_str().unwrap(),
            "--proposals",
            "3",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("不予受理"), "{}", text(&o));
    assert!(!refused.exists());

    // Meeting 1: proposal 1 deferred, proposal 2 decided with an action.
    let first = dir.path().join("m1.toml");
    let o = yishi(
        &db,
        &[
            "--lang",
            "zh-CN",
            "agenda",
            "new",
            "-o",
            first.to_str().unwrap(),
            "--title",
            "十二月议事会",
            "--starts",
            "2026-12-01T19:00:00+08:00",
            "--roster",
            roster.to_str().unwrap(),
            "--proposals",
            "1,2",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let setup = yishi::agenda::load(&first, yishi::lang::Lang::Zh).unwrap();
    assert_eq!(setup.items[0].proposer.as_deref(), Some("张建国"));
    assert_eq!(setup.items[1].proposal, Some(2));
    let (mut store, id, mut m) = run_meeting(&db, &first);
    assert_eq!(statuses(&db, 1), ["raised", "accepted", "scheduled"]);
    // The meetings were opened by `run`, just now.
    let mut at = chrono::Utc::now().timestamp_millis();
    let mut run = |store: &mut Store, m: &mut yishi::domain::state::Meeting, c: C| {
        at += 10_000;
        store.execute(id, m, &c, at, Origin::Facilitator).unwrap();
    };
    for p in 1..=2 {
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
    run(&mut store, &mut m, C::ToggleDefer { item: 1 });
    run(&mut store, &mut m, C::NextItem);
    assert_eq!(
        statuses(&db, 2),
        ["raised", "accepted", "scheduled", "discussed"]
    );
    let vote = |item| C::RecordVote {
        item,
        rule: None,
        method: Method::ShowOfHands,
        input: TallyInput::Counts {
            yes: 2,
            no: 0,
            abstain: 0,
        },
        tellers: vec![],
    };
    run(&mut store, &mut m, vote(2));
    run(
        &mut store,
        &mut m,
        C::AddAction {
            item: 2,
            what: "选址并报价".into(),
            owner: "王磊".into(),
            due: Some("2026-12-31".into()),
        },
    );
    run(&mut store, &mut m, C::EndMeeting);
    drop(store);
    assert_eq!(
        statuses(&db, 1),
        ["raised", "accepted", "scheduled", "deferred"]
    );
    assert_eq!(
        statuses(&db, 2),
        ["raised", "accepted", "scheduled", "decided", "action"]
    );
    // The deferred proposal is on the list by itself, waiting for the next meeting.
    let o = yishi(
        &db,
        &[
            "--lang",
            "zh-CN",
            "proposals",
            "list",
            "--status",
            "deferred",
        ],
    );
    assert!(text(&o).contains("楼道堆物清理"), "{}", text(&o));
    assert!(!text(&o).contains("加装非机动车棚"), "{}", text(&o));

    // Meeting 2 takes the deferred one up again and decides it.
    let second = dir.path().join("m2.toml");
    let o = yishi(
        &db,
        &[
            "--lang",
            "zh-CN",
            "agenda",
            "new",
            "-o",
            second.to_str().unwrap(),
            "--title",
            "一月议事会",
            "--starts",
            "2027-01-05T19:00:00+08:00",
            "--roster",
            roster.to_str().unwrap(),
            "--proposals",
            "1",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let (mut store, id, mut m) = run_meeting(&db, &second);
    let mut at = chrono::Utc::now().timestamp_millis() + 86_400_000;
    let mut run = |store: &mut Store, m: &mut yishi::domain::state::Meeting, c: C| {
        at += 10_000;
        store.execute(id, m, &c, at, Origin::Facilitator).unwrap();
    };
    for p in 1..=2 {
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
    run(&mut store, &mut m, vote(1));
    run(&mut store, &mut m, C::EndMeeting);
    drop(store);
    assert_eq!(
        statuses(&db, 1),
        [
            "raised",
            "accepted",
            "scheduled",
            "deferred",
            "scheduled",
            "decided"
        ]
    );

    // A third meeting reviews the action; its vote marks the proposal evaluated.
    let eval = dir.path().join("eval.toml");
    let o = yishi(
        &db,
        &[
            "--lang",
            "zh-CN",
            "actions",
            "evaluation",
            "--since",
            "2000-01-01",
            "-o",
            eval.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let setup = yishi::agenda::load(&eval, yishi::lang::Lang::Zh).unwrap();
    assert_eq!(setup.items.len(), 1);
    assert_eq!(setup.items[0].proposal, Some(2));
    let (mut store, id, mut m) = run_meeting(&db, &eval);
    let mut at = chrono::Utc::now().timestamp_millis() + 2 * 86_400_000;
    let mut run = |store: &mut Store, m: &mut yishi::domain::state::Meeting, c: C| {
        at += 10_000;
        store.execute(id, m, &c, at, Origin::Facilitator).unwrap();
    };
    for p in 1..=2 {
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
    assert_eq!(
        statuses(&db, 2),
        ["raised", "accepted", "scheduled", "decided", "action"],
        "not evaluated before the vote"
    );
    run(
        &mut store,
        &mut m,
        C::RecordVote {
            item: 1,
            rule: None,
            method: Method::ShowOfHands,
            input: TallyInput::Options {
                counts: vec![0, 2, 0],
                abstain: 0,
            },
            tellers: vec![],
        },
    );
    drop(store);
    assert_eq!(
        statuses(&db, 2),
        [
            "raised",
            "accepted",
            "scheduled",
            "decided",
            "action",
            "evaluated"
        ]
    );
    // The satisfaction vote goes back to the action it reviewed.
    let o = yishi(&db, &["actions", "--json"]);
    let actions: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(actions[0]["id"], "1-1");
    assert_eq!(actions[0]["evaluation"]["answer"], "基本满意");
    assert_eq!(actions[0]["evaluation"]["meeting"], 3);
    let o = yishi(&db, &["--lang", "zh-CN", "actions"]);
    assert!(
        text(&o).contains("评议（会议 #3）：基本满意"),
        "{}",
        text(&o)
    );
    // The record of the screening stays: the history table cannot be rewritten.
    let store = Store::open(&db).unwrap();
    assert!(
        store
            .connection()
            .execute("DELETE FROM proposal_history", [])
            .is_err()
    );
    assert!(
        store
            .connection()
            .execute("UPDATE proposals SET title = 'x'", [])
            .is_err()
    );
}

/// Two meetings with actions done on time, done late and overdue, as `actions` and `stats`
/// see them on a given day.
fn two_meetings(dir: &Path) -> Vec<(i64, yishi::domain::state::State)> {
    use yishi::domain::state::ActionStatus;
    let db = dir.join("y.db");
    let mut store = Store::open(&db).unwrap();
    let day = 86_400_000;
    let (id, mut m) = store
        .create_meeting(common::setup(), None, common::T0, Origin::Facilitator)
        .unwrap();
    let mut at = common::T0;
    let mut run = |store: &mut Store, m: &mut yishi::domain::state::Meeting, c: C, when: i64| {
        at = at.max(when) + 1_000;
        store.execute(id, m, &c, at, Origin::Facilitator).unwrap();
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
            0,
        );
    }
    run(&mut store, &mut m, C::NextItem, 0);
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
        0,
    );
    for (what, owner, due) in [
        ("联系电梯公司", "孙伟", "2026-12-10"),
        ("公示施工方案", "赵敏", "2026-12-15"),
        ("清理楼道", "孙伟", "2026-12-05"),
    ] {
        run(
            &mut store,
            &mut m,
            C::AddAction {
                item: 1,
                what: what.into(),
                owner: owner.into(),
                due: Some(due.into()),
            },
            0,
        );
    }
    run(&mut store, &mut m, C::NextItem, 0);
    run(&mut store, &mut m, C::ToggleDefer { item: 3 }, 0);
    run(&mut store, &mut m, C::EndMeeting, 0);
    // Done the next day (on time), and one a month late.
    run(
        &mut store,
        &mut m,
        C::UpdateAction {
            action: 1,
            status: ActionStatus::Done,
            note: Some("已签合同".into()),
        },
        common::T0 + day,
    );
    run(
        &mut store,
        &mut m,
        C::UpdateAction {
            action: 3,
            status: ActionStatus::Done,
            note: None,
        },
        common::T0 + 40 * day,
    );
    let mut second = common::setup();
    second.meeting.title = "二月议事会".into();
    second.meeting.starts = Some("2027-02-01T19:00:00+08:00".into());
    let (id2, mut m2) = store
        .create_meeting(second, None, common::T0 + 60 * day, Origin::Facilitator)
        .unwrap();
    let mut at = common::T0 + 60 * day;
    let mut run2 = |store: &mut Store, m: &mut yishi::domain::state::Meeting, c: C| {
        at += 1_000;
        store.execute(id2, m, &c, at, Origin::Facilitator).unwrap();
    };
    for p in 1..=4 {
        run2(
            &mut store,
            &mut m2,
            C::SetPresence {
                participant: p,
                presence: Presence::Present,
                holder: None,
                reason: None,
            },
        );
    }
    run2(&mut store, &mut m2, C::NextItem);
    run2(
        &mut store,
        &mut m2,
        C::RecordVote {
            item: 1,
            rule: None,
            method: Method::ShowOfHands,
            input: TallyInput::Counts {
                yes: 1,
                no: 3,
                abstain: 0,
            },
            tellers: vec![],
        },
    );
    run2(&mut store, &mut m2, C::EndMeeting);
    vec![
        (id, store.load(id).unwrap().state().clone()),
        (id2, store.load(id2).unwrap().state().clone()),
    ]
}

#[test]
fn actions_filters_keep_what_was_asked_for() {
    use yishi::domain::state::ActionStatus;
    use yishi::followup::{Filter, rows};
    let dir = tempfile::tempdir().unwrap();
    let meetings = two_meetings(dir.path());
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 20).unwrap();
    let kept = |f: Filter| -> Vec<String> {
        rows(&meetings, today)
            .iter()
            .filter(|r| f.keeps(r, today))
            .map(|r| r.action.what.clone())
            .collect()
    };
    assert_eq!(
        kept(Filter {
            overdue: true,
            ..Filter::default()
        }),
        ["公示施工方案"]
    );
    assert_eq!(
        kept(Filter {
            owner: Some("孙".into()),
            ..Filter::default()
        }),
        ["清理楼道", "联系电梯公司"]
    );
    assert_eq!(
        kept(Filter {
            status: Some(ActionStatus::Done),
            ..Filter::default()
        }),
        ["清理楼道", "联系电梯公司"]
    );
    let day = |d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    assert_eq!(
        kept(Filter {
            from: day("2026-12-06"),
            to: day("2026-12-31"),
            ..Filter::default()
        }),
        ["公示施工方案", "联系电梯公司"]
    );
    assert!(
        kept(Filter {
            meeting: Some(meetings[1].0),
            ..Filter::default()
        })
        .is_empty()
    );
    let all = rows(&meetings, today);
    let json = yishi::followup::json(&all, today);
    assert_eq!(json[0]["what"], "公示施工方案");
    assert_eq!(json[0]["overdue_days"], 5);
    assert_eq!(json[1]["what"], "清理楼道");
    assert_eq!(json[1]["done_on_time"], false);
    assert_eq!(json[2]["done_on_time"], true);
}

#[test]
fn stats_over_a_period_equal_the_figures_counted_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let meetings = two_meetings(dir.path());
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 20).unwrap();
    let now = common::T0 + 100 * 86_400_000;
    let day = |d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    let p = yishi::stats::period(
        &meetings,
        &[],
        day("2026-11-01"),
        day("2026-12-31"),
        now,
        today,
    );
    assert_eq!(p.meetings.len(), 1);
    let m = &p.meetings[0];
    assert_eq!((m.attended, m.eligible), (5, 6));
    assert_eq!(m.attendance_rate, 83.3);
    assert_eq!(
        (m.items_decided, m.items_undecided, m.items_deferred),
        (1, 1, 1)
    );
    assert_eq!((m.votes_passed, m.votes_failed), (1, 0));
    assert_eq!(
        (
            m.actions,
            m.actions_done_on_time,
            m.actions_done_late,
            m.actions_open,
            m.actions_overdue
        ),
        (3, 1, 1, 1, 1)
    );

    let p = yishi::stats::period(&meetings, &[], None, None, now, today);
    let t = &p.totals;
    assert_eq!(t.meetings, 2);
    assert_eq!((t.attended, t.eligible), (9, 12));
    assert_eq!(t.attendance_rate, 75.0);
    assert_eq!((t.votes_passed, t.votes_failed), (1, 1));
    assert_eq!(t.items_decided, 2);
    let text = yishi::stats::render(&p, yishi::lang::Lang::Zh);
    assert!(text.contains("会议 2 场，到会 9/12（75.0%）"), "{text}");
    assert!(text.contains("到会率（%）"), "{text}");
    // The attendance bar of the first meeting is longer than the second's.
    let bar = |label: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(label) && l.contains('█'))
            .map(|l| l.chars().filter(|c| *c == '█').count())
            .unwrap_or(0)
    };
    assert!(bar("#1") > bar("#2"), "{text}");
}

#[test]
fn the_notice_before_the_meeting_lists_items_and_warns_when_posted_late() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    let roster = dir.path().join("roster.csv");
    std::fs::write(
        &roster,
        "姓名,身份,房号,面积,是否表决\n张建国,业主,1-101,86.5,\n李秀英,业主,1-102,90,\n王磊,物业,,,否\n",
    )
    .unwrap();
    let agenda = dir.path().join("a.toml");
    let o = yishi(
        &db,
        &[
            "--lang",
            "zh-CN",
            "proposals",
            "add",
            "更换小区监控",
            "--by",
            "张建国",
            "--channel",
            "议事厅",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = yishi(
        &db,
        &[
            "proposals",
            "screen",
            "1",
            "--accept",
            "--reason",
            "涉及共有部分",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = new_agenda(&db, &agenda, &roster, &["--proposals", "1"]);
    assert!(o.status.success(), "{}", text(&o));

    // Posted 10 days before an owners' meeting: the notice, and a warning on stderr.
    let o = yishi(
        &db,
        &[
            "--lang",
            "zh-CN",
            "notice",
            "--agenda",
            agenda.to_str().unwrap(),
            "--date",
            "2026-12-10",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("时间：2026年12月20日 14:30"), "{out}");
    assert!(out.contains("地点：小区会所"), "{out}");
    assert!(out.contains("1. 更换小区监控（张**提出）"), "{out}");
    assert!(!out.contains("张建国"), "names are masked: {out}");
    assert!(out.contains("共 3 人，其中有表决权的 2 人"), "{out}");
    assert!(out.contains("距开会 10 天"), "{out}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("至少提前 15 天"), "{err}");
    assert!(err.contains("只有 10 天"), "{err}");

    // Posted in time: no warning.
    let o = yishi(
        &db,
        &[
            "--lang",
            "zh-CN",
            "notice",
            "--agenda",
            agenda.to_str().unwrap(),
            "--date",
            "2026-12-01",
            "-f",
            "md",
        ],
    );
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("# 会议通知"));
    assert!(o.stderr.is_empty(), "{}", text(&o));

    // `check` warns, exit 0, when the agenda records a late posting.
    let source = std::fs::read_to_string(&agenda).unwrap();
    let late = source.replace("[meeting]\n", "[meeting]\nnotice_posted = \"2026-12-12\"\n");
    assert_ne!(late, source);
    std::fs::write(&agenda, late).unwrap();
    let o = yishi(&db, &["--lang", "zh-CN", "check", agenda.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("只有 8 天"), "{}", text(&o));
}

/// 业委会会议 are announced 7 days before: `check` warns (exit 0) on a notice posted 5 days
/// before, and says nothing of one posted 7 days before.
#[test]
fn a_committee_meeting_notice_needs_seven_days() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    let agenda = dir.path().join("committee.toml");
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("agendas/owners-committee.toml"),
    )
    .unwrap();
    let posted = |day: &str| {
        source.replace(
            "[meeting]\n",
            &format!("[meeting]\nnotice_posted = \"{day}\"\n"),
        )
    };
    std::fs::write(&agenda, posted("2026-12-11")).unwrap();
    let o = yishi(&db, &["--lang", "zh-CN", "check", agenda.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("业委会会议应当至少提前 7 天通知"),
        "{}",
        text(&o)
    );
    assert!(text(&o).contains("只有 5 天"), "{}", text(&o));
    std::fs::write(&agenda, posted("2026-12-09")).unwrap();
    let o = yishi(&db, &["--lang", "zh-CN", "check", agenda.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!text(&o).contains("提前"), "{}", text(&o));
}
