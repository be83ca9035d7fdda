//! Owners' meetings at the size of a real estate: written ballots of 1,000 owners imported from
//! a sheet and decided by area and heads, bad sheets refused row by row, and attendance with
//! proxies and 请假 in the readable tables, the JSON and the minutes.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Output};

use yishi::agenda;
use yishi::domain::state::{Command as C, Origin, Presence};
use yishi::domain::tally::{Method, Rule};
use yishi::export::{self, Format, Table};
use yishi::lang::Lang;
use yishi::store::Store;

const T0: i64 = 1_796_000_000_000;

fn yishi(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yishi"))
        .arg("--db")
        .arg(db)
        .args(args)
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

/// 1,000 owners: odd numbers hold 80 m², even numbers 120 m² (100,000 m² in all). Owner 1000
/// holds two units of 60 m² each, so one head has two units.
fn estate() -> String {
    let mut s = String::from(
        "[meeting]\ntitle = \"锦绣园小区业主大会\"\nkind = \"owners_meeting\"\nquorum = \"none\"\n\n",
    );
    for i in 1..=1000 {
        let _ = write!(
            s,
            "[[participants]]\nname = \"业主{i:04}\"\nrole = \"resident\"\n"
        );
        if i == 1000 {
            s.push_str(
                "units = [{ unit = \"9-1000A\", area = 60 }, { unit = \"9-1000B\", area = 60 }]\n\n",
            );
        } else {
            let area = if i % 2 == 1 { 80 } else { 120 };
            let _ = write!(s, "unit = \"{}-{i:04}\"\narea = {area}\n\n", i % 9 + 1);
        }
    }
    s.push_str(
        "[[items]]\ntitle = \"使用维修资金更换电梯主机\"\nvote = { question = \"是否同意？\", rule = \"owners_ordinary\" }\n",
    );
    s
}

fn unit(i: u32) -> String {
    if i == 1000 {
        "9-1000B".into()
    } else {
        format!("{}-{i:04}", i % 9 + 1)
    }
}

fn open_estate(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("y.db");
    let setup = agenda::parse(&estate(), Lang::Zh).unwrap_or_else(|p| panic!("{p:#?}"));
    let mut store = Store::open(&db).unwrap();
    let (id, mut m) = store.create_meeting(setup, None, T0, Origin::Cli).unwrap();
    store
        .execute(id, &mut m, &C::NextItem, T0 + 1_000, Origin::Cli)
        .unwrap();
    db
}

#[test]
fn written_ballots_of_a_thousand_owners_are_decided_by_area_and_heads() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_estate(dir.path());

    // Owners 1–800 return ballots; 201–1000 do not. Those returned: 400 odd owners of 80 m²
    // (32,000 m²) and 400 even owners of 120 m² (48,000 m²): 800 of 1,000 owners and 80,000 of
    // 100,000 m² take part, more than two thirds of both.
    // The even owners say 同意, the odd ones 反对: 48,000 of 80,000 m² (60%) is more than half
    // the area, but 400 of 800 heads is exactly half, not more: not passed.
    let mut csv = String::from("房号,业主,表决意见\n");
    for i in 1..=800 {
        let choice = if i % 2 == 0 { "同意" } else { "反对" };
        let _ = writeln!(csv, "{},业主{i:04},{choice}", unit(i));
    }
    let sheet = dir.path().join("ballots.csv");
    std::fs::write(&sheet, &csv).unwrap();
    let o = yishi(
        &db,
        &[
            "--lang",
            "zh-CN",
            "ballots",
            "import",
            "--item",
            "1",
            sheet.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    assert!(
        out.contains("收回选票 800 张，同意 400，反对 400，弃权 0"),
        "{out}"
    );
    assert!(
        out.contains("800/1000 人、专有部分面积 80000.00/100000.00 m²"),
        "{out}"
    );
    assert!(out.contains("60.00%（48000.00/80000.00 m²）"), "{out}");
    assert!(out.contains("50.00%（400/800 人）"), "{out}");
    assert!(out.contains("赞成的人数不足，未通过"), "{out}");

    // A sheet as committees keep it (.xlsx, the name only, no header): owner 1 changes to 同意
    // and owner 1000, with two units (120 m²), returns a ballot too: 801 take part with
    // 80,120 m²; 402 heads and 48,200 m² in favour: more than half of both, passed.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (row, i) in (0u32..).zip((1..=800).chain([1000])) {
        let choice = if i % 2 == 0 || i == 1 {
            "同意"
        } else {
            "反对"
        };
        ws.write_string(row, 0, format!("业主{i:04}")).unwrap();
        ws.write_string(row, 1, choice).unwrap();
    }
    let xlsx = dir.path().join("ballots.xlsx");
    wb.save(&xlsx).unwrap();
    let o = yishi(
        &db,
        &[
            "--lang",
            "zh-CN",
            "ballots",
            "import",
            "--item",
            "1",
            xlsx.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("收回选票 801 张，同意 402，反对 399"), "{out}");
    assert!(
        out.contains("801/1000 人、专有部分面积 80120.00/100000.00 m²"),
        "{out}"
    );
    assert!(out.contains("（48200.00/80120.00 m²）"), "{out}");
    assert!(out.contains("（402/801 人）"), "{out}");
    assert!(out.ends_with("通过。\n"), "{out}");

    // Recorded as 书面表决, the earlier tally kept as superseded.
    let store = Store::open(&db).unwrap();
    let m = store.load(store.latest().unwrap()).unwrap();
    let votes = &m.state().votes;
    assert_eq!(votes.len(), 2);
    assert!(votes[0].superseded && !votes[0].outcome.passed);
    let v = &votes[1];
    assert_eq!(
        (v.method, v.rule),
        (Method::WrittenBallot, Rule::OwnersOrdinary)
    );
    assert!(v.outcome.passed);
    assert_eq!(v.ballots.len(), 801);
    assert!(store.audit().unwrap().is_intact());
}

#[test]
fn a_sheet_with_unknown_or_repeated_owners_is_refused_with_file_and_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = open_estate(dir.path());
    let sheet = dir.path().join("bad.csv");
    std::fs::write(
        &sheet,
        "房号,表决意见\n1-0009,同意\n5-9999,同意\n\n业主0009,反对\n2-0010,同意?\n,同意\n业主0011,弃权\n",
    )
    .unwrap();
    let o = yishi(
        &db,
        &[
            "--lang",
            "zh-CN",
            "ballots",
            "import",
            "--item",
            "1",
            sheet.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    let name = sheet.display().to_string();
    assert!(
        err.contains(&format!("{name}:3: 名单上没有 \"5-9999\"")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{name}:5: 业主0009 的选票重复（第 2 行已有）")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{name}:6: 无法识别的表决意见 \"同意?\"")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{name}:7: 这一行没有写房号或姓名")),
        "{err}"
    );
    assert!(!err.contains(":8:"), "{err}");
    // Nothing was recorded.
    let store = Store::open(&db).unwrap();
    let m = store.load(store.latest().unwrap()).unwrap();
    assert!(m.state().votes.is_empty());
    // An item that is not there, in English.
    let o = yishi(
        &db,
        &[
            "--lang",
            "en",
            "ballots",
            "import",
            "--item",
            "4",
            sheet.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("has no item 4 (it has 1)"),
        "{}",
        text(&o)
    );
}

#[test]
fn proxies_and_leave_are_kept_in_the_record_the_json_and_the_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    // The owners' sample agenda, capping proxies at two per holder.
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("agendas/owners-maintenance-fund.toml"),
    )
    .unwrap()
    .replace(
        "quorum = \"two_thirds\"",
        "quorum = \"two_thirds\"\nmax_proxies = 2",
    );
    let setup = agenda::parse(&source, Lang::Zh).unwrap();
    assert_eq!(setup.meeting.max_proxies, Some(2));
    let mut store = Store::open(&db).unwrap();
    let (id, mut m) = store.create_meeting(setup, None, T0, Origin::Cli).unwrap();
    let mut at = T0;
    let mut run = |c: C| {
        at += 1_000;
        store.execute(id, &mut m, &c, at, Origin::Facilitator)
    };
    let set = |participant, presence, holder: Option<&str>, reason: Option<&str>| C::SetPresence {
        participant,
        presence,
        holder: holder.map(String::from),
        reason: reason.map(String::from),
    };
    run(set(1, Presence::Present, None, None)).unwrap();
    run(set(4, Presence::Proxy, Some("陈国华"), None)).unwrap();
    run(set(5, Presence::Proxy, Some("陈国华"), None)).unwrap();
    // The agenda allows two proxies per holder.
    let third = run(set(6, Presence::Proxy, Some("陈国华"), None)).unwrap_err();
    assert!(
        third.describe(Lang::Zh).contains("陈国华 已接受 2 份委托"),
        "{third:?}"
    );
    run(set(7, Presence::Leave, None, Some("住院"))).unwrap();

    let c = rusqlite::Connection::open(&db).unwrap();
    let row = |pid: u32| -> (String, Option<String>, Option<String>) {
        c.query_row(
            "SELECT status, holder, reason FROM attendance WHERE participant_id = ?1",
            [pid],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
    };
    assert_eq!(row(4), ("proxy".into(), Some("陈国华".into()), None));
    assert_eq!(row(7), ("leave".into(), None, Some("住院".into())));
    assert_eq!(row(8).0, "absent");
    // The readable tables follow from the log alone.
    let store = Store::open(&db).unwrap();
    assert!(store.audit().unwrap().is_intact(), "{:?}", store.audit());

    let m = store.load(id).unwrap();
    let minutes = export::minutes(m.state(), Some(id), at + 1_000, Lang::Zh);
    let json = String::from_utf8(
        export::render(
            std::slice::from_ref(&minutes),
            Format::Json,
            Table::Resolutions,
            false,
        )
        .unwrap(),
    )
    .unwrap();
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let by_name = |n: &str| {
        json["attendance"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(by_name("宋桂芳")["status"], "leave");
    assert_eq!(by_name("宋桂芳")["reason"], "住院");
    assert_eq!(by_name("郭玉兰")["holder"], "陈国华");
    assert_eq!(by_name("谢文斌")["status"], "absent");

    let md = String::from_utf8(
        export::render(&[minutes], Format::Md, Table::Resolutions, false).unwrap(),
    )
    .unwrap();
    let absent = md.lines().find(|l| l.contains("**缺席**")).unwrap();
    let leave = md
        .lines()
        .find(|l| l.contains("**请假**"))
        .unwrap_or_else(|| panic!("{md}"));
    assert!(leave.contains("宋桂芳（住院）"), "{leave}");
    assert!(
        !absent.contains("宋桂芳") && absent.contains("谢文斌"),
        "{absent}"
    );
}
