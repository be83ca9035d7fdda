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
