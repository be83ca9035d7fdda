//! A roll call of 1,000 owners entered from the keyboard in a pseudo-terminal: each owner is
//! found by typing the unit, and `y` / `n` / `a` mark the match, with no scrolling.

mod common;

use std::fmt::Write as _;

use common::pty::Console;
use yishi::agenda;
use yishi::domain::state::{Command as C, Origin, Presence};
use yishi::domain::tally::{Choice, Method, Votes};
use yishi::lang::Lang;
use yishi::store::Store;

const OWNERS: u32 = 1000;

fn unit(i: u32) -> String {
    format!("{}-{i:04}", i % 9 + 1)
}

/// Owner i says 反对 when i is a multiple of 5, 弃权 when a multiple of 7 (and not of 5),
/// otherwise 同意.
fn choice(i: u32) -> Choice {
    if i.is_multiple_of(5) {
        Choice::No
    } else if i.is_multiple_of(7) {
        Choice::Abstain
    } else {
        Choice::Yes
    }
}

fn key(c: Choice) -> char {
    match c {
        Choice::Yes => 'y',
        Choice::No => 'n',
        Choice::Abstain => 'a',
    }
}

#[test]
fn a_thousand_owners_are_marked_through_the_filter() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    let mut toml = String::from(
        "[meeting]\ntitle = \"锦绣园小区业主大会\"\nkind = \"owners_meeting\"\nquorum = \"none\"\n\n",
    );
    for i in 1..=OWNERS {
        let area = 60 + i % 50;
        let _ = write!(
            toml,
            "[[participants]]\nname = \"业主{i:04}\"\nrole = \"resident\"\nunit = \"{}\"\narea = {area}\n\n",
            unit(i)
        );
    }
    toml.push_str("[[items]]\ntitle = \"使用维修资金\"\nvote = { question = \"是否同意使用维修资金？\", rule = \"owners_ordinary\" }\n");
    let setup = agenda::parse(&toml, Lang::Zh).unwrap_or_else(|p| panic!("{p:#?}"));
    {
        let mut store = Store::open(&db).unwrap();
        let (id, mut m) = store
            .create_meeting(setup, None, 1_796_000_000_000, Origin::Facilitator)
            .unwrap();
        let mut at = 1_796_000_000_000;
        for pid in 1..=OWNERS {
            at += 10;
            let c = C::SetPresence {
                participant: pid,
                presence: Presence::Present,
                holder: None,
                reason: None,
            };
            store
                .execute(id, &mut m, &c, at, Origin::Facilitator)
                .unwrap();
        }
        store
            .execute(id, &mut m, &C::NextItem, at + 10, Origin::Facilitator)
            .unwrap();
    }

    let mut c = Console::start(&db, "zh-CN", &["resume"], 100, 30);
    c.wait_for("使用维修资金");
    c.send("v");
    c.wait_for(" 0/1000 (");
    // Typing a unit narrows the list to that owner.
    c.send(&unit(123));
    c.wait_for(&format!(
        "查找（房号或姓名，y/n/a 标记第一个匹配）：{}",
        unit(123)
    ));
    c.wait_for("业主0123");
    c.send(&key(choice(123)).to_string());
    c.wait_for(" 1/1000 (");
    // Then everyone else, a hundred at a time.
    let rest: Vec<u32> = (1..=OWNERS).filter(|i| *i != 123).collect();
    let mut marked = 1;
    for chunk in rest.chunks(100) {
        let mut keys = String::new();
        for i in chunk {
            keys.push_str(&unit(*i));
            keys.push(key(choice(*i)));
        }
        c.send(&keys);
        marked += chunk.len();
        c.wait_for(&format!(" {marked}/1000 ("));
    }
    c.enter();
    c.wait_for("通过");
    c.send("q");
    c.wait_exit();

    // What was recorded is what was typed, owner by owner, and decided by heads and area.
    let store = Store::open(&db).unwrap();
    let m = store.load(store.latest().unwrap()).unwrap();
    let v = m.state().vote_of(1).expect("the roll call was recorded");
    assert_eq!(v.method, Method::RollCall);
    assert_eq!(v.ballots.len(), OWNERS as usize);
    for (pid, ch) in &v.ballots {
        assert_eq!(*ch, choice(*pid), "owner {pid}");
    }
    let (mut yes_heads, mut yes_area, mut all_area) = (0u32, 0u64, 0u64);
    for i in 1..=OWNERS {
        let area = u64::from(60 + i % 50) * 100;
        all_area += area;
        if choice(i) == Choice::Yes {
            yes_heads += 1;
            yes_area += area;
        }
    }
    let Votes::YesNo { yes, .. } = &v.votes else {
        panic!("yes / no");
    };
    assert_eq!((yes.heads, yes.area.0), (yes_heads, yes_area));
    // 686 of 1,000 owners in favour hold well over half of the area: passed.
    assert!(yes_heads * 2 > OWNERS && yes_area * 2 > all_area);
    assert!(v.outcome.passed);
}

/// At the door of an owners' meeting, from the keyboard: a proxy names its holder and the cap
/// per holder is said on screen, a leave gives its reason, a walk-in owner gives unit and area
/// and takes part, and one who gives no unit is signed in but not counted, with the reason.
#[test]
fn proxies_leave_and_walk_in_owners_are_taken_at_the_door() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    let agenda = dir.path().join("owners.toml");
    let source = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("agendas/owners-maintenance-fund.toml"),
    )
    .unwrap()
    .replace(
        "quorum = \"two_thirds\"",
        "quorum = \"two_thirds\"\nmax_proxies = 1",
    );
    std::fs::write(&agenda, source).unwrap();
    let mut c = Console::start(&db, "zh-CN", &["run", agenda.to_str().unwrap()], 100, 30);
    c.wait_for("会前签到");
    c.send("a");
    c.wait_for("查找");

    // 郭玉兰 gives a proxy to 陈国华: Tab three times asks who holds it.
    c.send("郭玉兰");
    c.wait_for("[缺席] 郭玉兰");
    c.tab();
    c.tab();
    c.wait_for("[线上] 郭玉兰");
    c.tab();
    c.wait_for("委托出席 · 委托人 郭玉兰");
    c.wait_for("每位受托人至多代 1 人");
    // Nothing typed: asked again, nothing recorded.
    c.enter();
    c.wait_for("请写受托人（代为出席者）的姓名");
    c.send("陈国华");
    c.enter();
    c.wait_for("郭玉兰：委托 陈国华 代为出席");
    c.wait_for("[委托→陈国华] 郭玉兰");
    c.esc();
    // A second proxy for the same holder is refused with the cap; Esc leaves it as it was.
    c.send("罗志刚");
    c.wait_for("[缺席] 罗志刚");
    c.tab();
    c.tab();
    c.tab();
    c.wait_for("委托出席 · 委托人 罗志刚");
    c.send("陈国华");
    c.enter();
    c.wait_for("陈国华 已接受 1 份委托");
    c.esc();
    c.wait_for("已取消，什么也没有改变");
    c.wait_for("[线上] 罗志刚");
    c.esc();

    // 宋桂芳 is excused: Tab past proxy to leave asks the reason.
    c.send("宋桂芳");
    c.wait_for("[缺席] 宋桂芳");
    for _ in 0..4 {
        c.tab();
    }
    c.wait_for("请假 · 宋桂芳");
    c.send("住院");
    c.enter();
    c.wait_for("宋桂芳：请假（住院）");
    c.esc();

    // A walk-in owner gives the unit, then the area (a typo in it is asked again).
    c.send("王小五");
    c.enter();
    c.wait_for("添加临时到场人员「王小五」？");
    c.enter();
    c.wait_for("业主请报房号");
    c.send("7号楼1单元302");
    c.enter();
    c.wait_for("专有部分面积");
    c.send("九十");
    c.enter();
    c.wait_for("面积请写平方米数");
    for _ in 0..2 {
        c.send("\x7f");
    }
    c.send("92.35");
    c.enter();
    c.wait_for("已添加临时到场人员 王小五（居民，7号楼1单元302，92.35 m²，到场）");
    // One who gives no unit is signed in, not counted in owners' votes, and told why.
    c.send("赵六六");
    c.enter();
    c.wait_for("添加临时到场人员「赵六六」？");
    c.enter();
    c.wait_for("业主请报房号");
    c.enter();
    c.wait_for("不计入业主表决：现场签到，未登记房号及专有部分面积");
    c.esc();
    c.send("q");
    assert_eq!(c.wait_exit(), 0);

    let db = rusqlite::Connection::open(&db).unwrap();
    let rows: Vec<(String, String, Option<String>, Option<String>)> = db
        .prepare(
            "SELECT name, status, holder, reason FROM attendance \
             WHERE status != 'absent' ORDER BY participant_id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let s = |t: &str| t.to_string();
    assert_eq!(
        rows,
        vec![
            (s("郭玉兰"), s("proxy"), Some(s("陈国华")), None),
            (s("罗志刚"), s("online"), None, None),
            (s("宋桂芳"), s("leave"), None, Some(s("住院"))),
            (s("王小五"), s("present"), None, None),
            (s("赵六六"), s("present"), None, None),
        ]
    );
    type WalkIn = (String, Option<String>, Option<f64>, i64, Option<String>);
    let walk_ins: Vec<WalkIn> = db
        .prepare("SELECT name, unit, area_m2, voter, not_entitled FROM participants WHERE walk_in = 1 ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        walk_ins,
        vec![
            (s("王小五"), Some(s("7号楼1单元302")), Some(92.35), 1, None),
            (
                s("赵六六"),
                None,
                None,
                0,
                Some(s("现场签到，未登记房号及专有部分面积"))
            ),
        ]
    );
}
