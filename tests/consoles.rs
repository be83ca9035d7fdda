//! Several consoles on one meeting, through the store with one `Store` handle each, as the
//! facilitator's, the secretaries' and the command line's would be: texts saved at once are
//! merged, never overwritten; drafts and undo belong to the console; a closed meeting is final.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use yishi::domain::state::*;
use yishi::store::{DraftKey, Store};

fn console(slot: &str, run: &str) -> Console {
    Console::new(slot, run)
}

struct Desk {
    store: Store,
    meeting: Meeting,
    console: Console,
    origin: Origin,
}

impl Desk {
    fn open(path: &Path, id: i64, slot: &str, run: &str, origin: Origin) -> Desk {
        let store = Store::open(path).unwrap();
        let meeting = store.load(id).unwrap();
        Desk {
            store,
            meeting,
            console: console(slot, run),
            origin,
        }
    }

    fn run(&mut self, id: i64, c: Command, at: i64) -> Result<Event, yishi::store::StoreError> {
        self.store.execute_by(
            id,
            &mut self.meeting,
            &c,
            at,
            self.origin,
            Some(&self.console),
        )
    }

    /// What an editor of the minutes starts from: the field as this console last saw it.
    fn minutes(&self, item: u32) -> String {
        self.meeting.state().item(item).unwrap().minutes.clone()
    }

    fn catch_up(&mut self, id: i64) {
        self.store.catch_up(id, &mut self.meeting).unwrap();
    }
}

fn meeting(dir: &Path) -> (std::path::PathBuf, i64) {
    let path = dir.join("m.db");
    let mut store = Store::open(&path).unwrap();
    let (id, mut m) = store
        .create_meeting(common::setup(), None, common::T0, Origin::Facilitator)
        .unwrap();
    for p in [1, 2, 4, 5] {
        let c = Command::SetPresence {
            participant: p,
            presence: Presence::Present,
            holder: None,
            reason: None,
        };
        store
            .execute(id, &mut m, &c, common::T0 + 1, Origin::Facilitator)
            .unwrap();
    }
    store
        .execute(
            id,
            &mut m,
            &Command::NextItem,
            common::T0 + 2,
            Origin::Facilitator,
        )
        .unwrap();
    (path, id)
}

fn save(item: u32, text: String, base: String) -> Command {
    Command::SetText {
        item,
        field: TextField::Minutes,
        text,
        base: Some(base),
    }
}

#[test]
fn the_facilitators_line_survives_the_secretarys_later_save() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = meeting(dir.path());
    let mut sec = Desk::open(&path, id, "secretary-1", "a", Origin::Secretary);
    let mut fac = Desk::open(&path, id, "facilitator", "b", Origin::Facilitator);
    // Both open the editor on the same empty field.
    let (sec_base, fac_base) = (sec.minutes(1), fac.minutes(1));
    let e = fac
        .run(
            id,
            save(1, "主持人补充：下周再议".into(), fac_base),
            common::T0 + 10,
        )
        .unwrap();
    assert!(matches!(e.change, Change::TextSet { merged: false, .. }));
    let e = sec
        .run(
            id,
            save(1, "张建国：担心采光\n李秀英：担心噪音".into(), sec_base),
            common::T0 + 20,
        )
        .unwrap();
    assert!(
        matches!(e.change, Change::TextSet { merged: true, .. }),
        "the secretary is told the texts were merged"
    );
    let text = sec.minutes(1);
    assert!(text.starts_with("主持人补充：下周再议\n——以下为另一控制台同时录入的内容（"));
    assert!(text.ends_with("合并）——\n张建国：担心采光\n李秀英：担心噪音"));
    // The facilitator's console reads the merge, marked, from the record.
    fac.catch_up(id);
    assert_eq!(fac.minutes(1), text);
    let file: String = fac
        .store
        .connection()
        .query_row("SELECT minutes FROM items WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(file, text);
}

#[test]
fn interleaved_saves_in_every_order_drop_no_typed_line() {
    // Three consoles each open the editor, type their own lines and save; every order of the
    // six steps in which each console opens before it saves.
    let steps: Vec<(usize, bool)> = (0..3).flat_map(|c| [(c, false), (c, true)]).collect();
    let mut orders = Vec::new();
    permute(&mut steps.clone(), 0, &mut orders);
    let orders: Vec<_> = orders
        .into_iter()
        .filter(|o| {
            (0..3).all(|c| {
                o.iter().position(|&s| s == (c, false)) < o.iter().position(|&s| s == (c, true))
            })
        })
        .collect();
    assert_eq!(orders.len(), 90);
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = meeting(dir.path());
    let slots = [
        ("facilitator", Origin::Facilitator),
        ("secretary-1", Origin::Secretary),
        ("secretary-2", Origin::Secretary),
    ];
    let mut desks: Vec<Desk> = slots
        .iter()
        .map(|(slot, o)| Desk::open(&path, id, slot, "r", *o))
        .collect();
    let mut at = common::T0 + 100;
    let mut typed: Vec<String> = Vec::new();
    for (round, order) in orders.iter().enumerate() {
        let mut bases = [String::new(), String::new(), String::new()];
        for &(c, is_save) in order {
            at += 10;
            if !is_save {
                desks[c].catch_up(id);
                bases[c] = desks[c].minutes(1);
            } else {
                let line = format!("第{round}轮 控制台{c} 的发言要点");
                let mine = if bases[c].is_empty() {
                    line.clone()
                } else {
                    format!("{}\n{line}", bases[c])
                };
                desks[c]
                    .run(id, save(1, mine, bases[c].clone()), at)
                    .unwrap();
                typed.push(line);
            }
        }
    }
    desks[0].catch_up(id);
    let text = desks[0].minutes(1);
    let missing: Vec<_> = typed
        .iter()
        .filter(|l| !text.contains(l.as_str()))
        .collect();
    assert!(missing.is_empty(), "lost: {missing:?}");
    assert_eq!(typed.len(), 270);
    assert!(desks[0].store.audit().unwrap().is_intact());
}

fn permute(v: &mut Vec<(usize, bool)>, k: usize, out: &mut Vec<Vec<(usize, bool)>>) {
    if k == v.len() {
        out.push(v.clone());
        return;
    }
    for i in k..v.len() {
        v.swap(k, i);
        permute(v, k + 1, out);
        v.swap(k, i);
    }
}

#[test]
fn dissent_and_resolution_merge_too() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = meeting(dir.path());
    let mut a = Desk::open(&path, id, "facilitator", "a", Origin::Facilitator);
    let mut b = Desk::open(&path, id, "secretary-1", "b", Origin::Secretary);
    for (field, first, second) in [
        (
            TextField::Resolution,
            "同意按方案A加装电梯。",
            "由居委会牵头组织施工。",
        ),
        (TextField::Minutes, "甲", "乙"),
    ] {
        let cmd = |text: &str| Command::SetText {
            item: 1,
            field,
            text: text.into(),
            base: Some(String::new()),
        };
        a.run(id, cmd(first), common::T0 + 10).unwrap();
        b.run(id, cmd(second), common::T0 + 11).unwrap();
        let text = b.meeting.state().items[0].text(field).to_string();
        assert!(text.contains(first) && text.contains(second), "{text}");
    }
    let dissent = |text: &str| Command::SetDissent {
        item: 1,
        text: text.into(),
        base: Some(String::new()),
    };
    a.run(id, dissent("张建国：担心采光"), common::T0 + 20)
        .unwrap();
    b.run(id, dissent("李秀英：担心噪音"), common::T0 + 21)
        .unwrap();
    let names: Vec<_> = b.meeting.state().items[0]
        .dissent
        .iter()
        .filter_map(|d| d.name.clone())
        .collect();
    assert_eq!(names, ["张建国", "李秀英"], "both dissents kept, named");
}

#[test]
fn drafts_belong_to_the_console_that_typed_them() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = meeting(dir.path());
    let mut a = Store::open(&path).unwrap();
    let mut b = Store::open(&path).unwrap();
    let key = |console: &str| DraftKey {
        meeting: id,
        item: 1,
        field: "minutes",
        console: console.into(),
    };
    a.save_draft(&key("facilitator"), "主持人正在打字", "", common::T0)
        .unwrap();
    b.save_draft(&key("secretary-1"), "记录人正在打字", "", common::T0 + 1)
        .unwrap();
    a.save_draft(
        &key("facilitator"),
        "主持人正在打字，继续",
        "",
        common::T0 + 2,
    )
    .unwrap();
    // Each gets its own back (as after a crash), never the other's.
    assert_eq!(
        a.draft(&key("facilitator")).unwrap().unwrap().text,
        "主持人正在打字，继续"
    );
    assert_eq!(
        b.draft(&key("secretary-1")).unwrap().unwrap().text,
        "记录人正在打字"
    );
    // The facilitator still sees what the secretary is typing.
    let others = a.others_drafts(id, 1, "facilitator").unwrap();
    assert_eq!(others.len(), 1);
    assert_eq!(others[0].1.text, "记录人正在打字");
    // A save clears only the saving console's draft, in the same transaction.
    let mut m = b.load(id).unwrap();
    b.execute_by(
        id,
        &mut m,
        &save(1, "记录人正在打字".into(), String::new()),
        common::T0 + 3,
        Origin::Secretary,
        Some(&console("secretary-1", "x")),
    )
    .unwrap();
    assert!(b.draft(&key("secretary-1")).unwrap().is_none());
    assert!(a.draft(&key("facilitator")).unwrap().is_some());
}

#[test]
fn undo_takes_back_this_consoles_own_action_only() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = meeting(dir.path());
    let mut s1 = Desk::open(&path, id, "secretary-1", "run1", Origin::Secretary);
    let mut s2 = Desk::open(&path, id, "secretary-2", "run1", Origin::Secretary);
    s1.run(
        id,
        save(1, "一号记录".into(), String::new()),
        common::T0 + 10,
    )
    .unwrap();
    let add = Command::AddAction {
        item: 1,
        what: "联系施工方".into(),
        owner: "王磊".into(),
        due: None,
    };
    s2.run(id, add, common::T0 + 11).unwrap();
    // The first secretary's undo takes back its minutes, not the other's action.
    let e = s1.run(id, Command::Undo, common::T0 + 12).unwrap();
    assert!(matches!(e.change, Change::Undone { .. }));
    assert_eq!(s1.minutes(1), "");
    assert_eq!(s1.meeting.state().actions.len(), 1);
    assert!(matches!(
        s1.run(id, Command::Undo, common::T0 + 13),
        Err(yishi::store::StoreError::Domain(DomainError::NothingToUndo))
    ));

    // A new run of the first secretary (after a crash) undoes nothing of the earlier run
    // unasked; the earlier action is offered, then taken back when asked for explicitly.
    s1.run(
        id,
        save(1, "崩溃前的记录".into(), String::new()),
        common::T0 + 14,
    )
    .unwrap();
    let mut again = Desk::open(&path, id, "secretary-1", "run2", Origin::Secretary);
    assert!(matches!(
        again.run(id, Command::Undo, common::T0 + 15),
        Err(yishi::store::StoreError::Domain(DomainError::NothingToUndo))
    ));
    let target = again
        .meeting
        .earlier_undoable(Origin::Secretary, Some(&again.console))
        .expect("the earlier run's save is offered");
    assert!(matches!(
        again.meeting.log()[target].change,
        Change::TextSet { .. }
    ));
    // Another console cannot take it back this way.
    assert!(
        s2.run(id, Command::UndoEarlier { target }, common::T0 + 16)
            .is_err()
    );
    again
        .run(id, Command::UndoEarlier { target }, common::T0 + 17)
        .unwrap();
    assert_eq!(again.minutes(1), "");
    assert_eq!(
        again.meeting.state().actions.len(),
        1,
        "the other's action stays"
    );
}

#[test]
fn a_closed_meeting_is_final_until_reopened_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = meeting(dir.path());
    let mut f = Desk::open(&path, id, "facilitator", "a", Origin::Facilitator);
    let add = Command::AddAction {
        item: 1,
        what: "联系施工方".into(),
        owner: "王磊".into(),
        due: None,
    };
    f.run(id, add, common::T0 + 5).unwrap();
    f.run(id, Command::EndMeeting, common::T0 + 10).unwrap();
    for c in [
        Command::NextItem,
        save(1, "补记".into(), String::new()),
        Command::Undo,
        Command::EndMeeting,
    ] {
        assert!(
            matches!(
                f.run(id, c.clone(), common::T0 + 11),
                Err(yishi::store::StoreError::Domain(DomainError::MeetingClosed))
            ),
            "{c:?} changed a closed meeting"
        );
    }
    // Follow-up of its actions goes on after the meeting.
    let update = Command::UpdateAction {
        action: 1,
        status: ActionStatus::InProgress,
        note: Some("已联系".into()),
    };
    f.run(id, update, common::T0 + 12).unwrap();
    assert!(
        f.run(id, Command::Reopen { reason: " ".into() }, common::T0 + 13)
            .is_err()
    );
    f.run(
        id,
        Command::Reopen {
            reason: "补记遗漏的决议".into(),
        },
        common::T0 + 14,
    )
    .unwrap();
    f.run(id, save(1, "补记".into(), String::new()), common::T0 + 15)
        .unwrap();
    let (status, reopened): (String, String) = f
        .store
        .connection()
        .query_row("SELECT status, reopened FROM meetings", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(status, "open");
    assert!(reopened.ends_with(" 补记遗漏的决议"), "{reopened}");
    let kinds: Vec<String> = {
        let c = f.store.connection();
        let mut st = c.prepare("SELECT kind FROM events ORDER BY seq").unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert!(kinds.ends_with(&[
        "meeting_ended".into(),
        "action_updated".into(),
        "reopened".into(),
        "text_set".into()
    ]));
}

/// The campaign: a facilitator and two secretaries save texts and act at random on one file
/// at once; every save a console was told succeeded is in the final record. Runs 6 s here;
/// `YISHI_CAMPAIGN_SECS=120` runs it for two minutes.
#[test]
fn three_consoles_at_random_lose_no_confirmed_save() {
    let secs: u64 = std::env::var("YISHI_CAMPAIGN_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(6);
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = meeting(dir.path());
    let slots = [
        ("facilitator", Origin::Facilitator),
        ("secretary-1", Origin::Secretary),
        ("secretary-2", Origin::Secretary),
    ];
    let handles: Vec<_> = slots
        .iter()
        .enumerate()
        .map(|(k, (slot, origin))| {
            let (path, slot, origin) = (path.clone(), slot.to_string(), *origin);
            std::thread::spawn(move || {
                let mut d = Desk::open(&path, id, &slot, "campaign", origin);
                let mut rng = 0x9e37_79b9_7f4a_7c15u64 ^ (k as u64 + 1);
                let mut next = || {
                    rng ^= rng << 13;
                    rng ^= rng >> 7;
                    rng ^= rng << 17;
                    rng
                };
                let (mut confirmed, mut saves) = (Vec::new(), 0);
                let end = Instant::now() + Duration::from_secs(secs);
                let mut i = 0;
                while Instant::now() < end {
                    i += 1;
                    let at = common::T0 + 1_000 + i;
                    d.catch_up(id);
                    let item = (next() % 2) as u32 + 1;
                    if next() % 4 == 0 {
                        let p = (next() % 6) as u32 + 1;
                        let _ = d.run(
                            id,
                            Command::SetPresence {
                                participant: p,
                                presence: Presence::Present,
                                holder: None,
                                reason: None,
                            },
                            at,
                        );
                        continue;
                    }
                    // Open the editor, type for a moment while others save, then save.
                    let base = d.meeting.state().item(item).unwrap().minutes.clone();
                    std::thread::sleep(Duration::from_millis(next() % 5));
                    let line = format!("{slot} 第{i}条");
                    let mine = if base.is_empty() {
                        line.clone()
                    } else {
                        format!("{base}\n{line}")
                    };
                    saves += 1;
                    let c = Command::SetText {
                        item,
                        field: TextField::Minutes,
                        text: mine,
                        base: Some(base),
                    };
                    if d.run(id, c, at).is_ok() {
                        confirmed.push((item, line));
                    }
                }
                (confirmed, saves)
            })
        })
        .collect();
    let mut confirmed = Vec::new();
    let mut saves = 0;
    for h in handles {
        let (c, s) = h.join().unwrap();
        confirmed.extend(c);
        saves += s;
    }
    let store = Store::open(&path).unwrap();
    let m = store.load(id).unwrap();
    let lost: Vec<_> = confirmed
        .iter()
        .filter(|(item, line)| {
            !m.state()
                .item(*item)
                .unwrap()
                .minutes
                .contains(line.as_str())
        })
        .collect();
    println!(
        "campaign: {saves} saves, {} confirmed, {} lost, {} log entries",
        confirmed.len(),
        lost.len(),
        m.log().len()
    );
    assert!(confirmed.len() > 30, "too few saves to mean anything");
    assert!(lost.is_empty(), "confirmed saves lost: {lost:?}");
    assert!(store.audit().unwrap().is_intact());
}

#[test]
fn the_minutes_say_when_and_why_a_closed_meeting_was_reopened() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = meeting(dir.path());
    let mut f = Desk::open(&path, id, "facilitator", "a", Origin::Facilitator);
    f.run(id, Command::EndMeeting, common::T0 + 10).unwrap();
    f.run(
        id,
        Command::Reopen {
            reason: "补记遗漏的决议".into(),
        },
        common::T0 + 20,
    )
    .unwrap();
    let m = yishi::export::Minutes::build(
        f.meeting.state(),
        Some(id),
        common::T0 + 30,
        yishi::lang::Lang::Zh,
        None,
    );
    let md = yishi::export::md::render(std::slice::from_ref(&m));
    assert!(md.contains("重新开启，理由：补记遗漏的决议"), "{md}");
}
