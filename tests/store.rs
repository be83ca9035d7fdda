//! The record through the store, with temporary files: what a committee finds in the file.

mod common;

use std::os::unix::fs::PermissionsExt;

use rusqlite::Connection;
use yishi::domain::state::*;
use yishi::store::{ChainProblem, Store, StoreError, Verification};

const F: Origin = Origin::Facilitator;

fn meeting_with_some_history(store: &mut Store) -> (i64, Meeting) {
    let (id, mut m) = store
        .create_meeting(
            common::setup(),
            Some("agendas/elevator.toml"),
            common::T0,
            F,
        )
        .unwrap();
    let mut at = common::T0;
    let mut run = |store: &mut Store, m: &mut Meeting, c: Command| {
        at += 7_000;
        store.execute(id, m, &c, at, F).unwrap();
    };
    for p in [1, 2, 4, 5] {
        run(
            store,
            &mut m,
            Command::SetPresence {
                participant: p,
                presence: Presence::Present,
                holder: None,
                reason: None,
            },
        );
    }
    run(store, &mut m, Command::NextItem);
    run(
        store,
        &mut m,
        Command::QueueSpeaker {
            participant: 1,
            kind: SpeechKind::Speech,
        },
    );
    run(store, &mut m, Command::StartNextSpeaker);
    run(store, &mut m, Command::EndSpeech);
    run(
        store,
        &mut m,
        Command::SetText {
            item: 1,
            field: TextField::Minutes,
            text: "张建国：低层住户担心采光。".into(),
            base: None,
        },
    );
    run(
        store,
        &mut m,
        Command::SetText {
            item: 1,
            field: TextField::Resolution,
            text: "同意按方案A加装电梯。".into(),
            base: None,
        },
    );
    run(
        store,
        &mut m,
        Command::SetDissent {
            item: 1,
            text: "李秀英：担心噪音".into(),
            base: None,
        },
    );
    run(
        store,
        &mut m,
        Command::AddAction {
            item: 1,
            what: "联系施工单位".into(),
            owner: "赵敏".into(),
            due: Some("2026-12-31".into()),
        },
    );
    (id, m)
}

#[test]
fn a_meeting_reopened_in_a_new_connection_is_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("yishi.db");
    let mut store = Store::open(&path).unwrap();
    let (id, m) = meeting_with_some_history(&mut store);
    drop(store);

    let store = Store::open(&path).unwrap();
    let again = store.load(id).unwrap();
    assert_eq!(again.state(), m.state());
    assert_eq!(again.log().len(), m.log().len());
    assert_eq!(store.list().unwrap().len(), 1);
    assert_eq!(store.latest().unwrap(), id);
}

#[test]
fn the_readable_tables_say_what_happened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("yishi.db");
    let mut store = Store::open(&path).unwrap();
    let (id, _) = meeting_with_some_history(&mut store);
    drop(store);

    let c = Connection::open(&path).unwrap();
    let one = |sql: &str| -> String { c.query_row(sql, [], |r| r.get::<_, String>(0)).unwrap() };
    assert_eq!(
        one("SELECT title FROM meetings"),
        "幸福里小区3号楼加装电梯协商议事会"
    );
    assert_eq!(
        one(
            "SELECT group_concat(name, ',') FROM attendance WHERE status = 'present' ORDER BY participant_id"
        ),
        "张建国,李秀英,赵敏,陈红"
    );
    assert_eq!(one("SELECT status FROM items WHERE id = 1"), "current");
    assert_eq!(
        one("SELECT minutes FROM items WHERE id = 1"),
        "张建国：低层住户担心采光。"
    );
    assert_eq!(
        one("SELECT text FROM resolutions WHERE item_id = 1"),
        "同意按方案A加装电梯。"
    );
    assert_eq!(
        one("SELECT name || '|' || text FROM dissent"),
        "李秀英|担心噪音"
    );
    assert_eq!(
        one("SELECT name || '|' || seconds || '|' || running FROM speeches"),
        "张建国|7|0"
    );
    assert_eq!(
        one("SELECT what || '|' || owner || '|' || due || '|' || status FROM actions"),
        "联系施工单位|赵敏|2026-12-31|open"
    );
    let present: i64 = c
        .query_row("SELECT present FROM meetings WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(present, 4);
    let entries: i64 = c
        .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(entries, 13);
}

#[test]
fn undo_is_an_entry_in_the_log_and_the_tables_follow() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("yishi.db");
    let mut store = Store::open(&path).unwrap();
    let (id, mut m) = meeting_with_some_history(&mut store);
    store
        .execute(id, &mut m, &Command::Undo, common::T0 + 200_000, F)
        .unwrap();
    let c = store.connection();
    let actions: i64 = c
        .query_row("SELECT count(*) FROM actions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(actions, 0, "the action item is taken back");
    let last: String = c
        .query_row(
            "SELECT kind FROM events ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(last, "undone");
    assert_eq!(store.load(id).unwrap().state(), m.state());
}

#[test]
fn verify_catches_an_entry_edited_behind_the_programs_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("yishi.db");
    let mut store = Store::open(&path).unwrap();
    meeting_with_some_history(&mut store);
    assert!(matches!(
        store.verify().unwrap(),
        Verification::Intact { entries: 13, .. }
    ));
    drop(store);

    let c = Connection::open(&path).unwrap();
    // The log refuses plain edits…
    assert!(
        c.execute("UPDATE events SET payload = '{}' WHERE seq = 5", [])
            .is_err()
    );
    // …so whoever edits it must take the guard off first.
    c.execute_batch(
        "DROP TRIGGER events_append_only_update;
         UPDATE events SET payload = replace(payload, '联系施工单位', '不用联系') WHERE kind = 'action_added';",
    )
    .unwrap();
    drop(c);
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.verify().unwrap(),
        Verification::Broken {
            seq: 13,
            meeting: Some(1),
            problem: ChainProblem::Edited
        }
    );
}

#[test]
fn verify_catches_removed_entries_in_the_middle_and_at_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("yishi.db");
    let mut store = Store::open(&path).unwrap();
    meeting_with_some_history(&mut store);
    drop(store);
    let c = Connection::open(&path).unwrap();
    c.execute_batch("DROP TRIGGER events_append_only_delete; DELETE FROM events WHERE seq = 13;")
        .unwrap();
    let store = Store::open(&path).unwrap();
    assert!(matches!(
        store.verify().unwrap(),
        Verification::Broken {
            problem: ChainProblem::Truncated,
            ..
        }
    ));
    c.execute("DELETE FROM events WHERE seq = 4", []).unwrap();
    assert_eq!(
        store.verify().unwrap(),
        Verification::Broken {
            seq: 5,
            meeting: Some(1),
            problem: ChainProblem::Missing
        }
    );
}

#[test]
fn the_file_is_private_to_its_owner() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("yishi.db");
    Store::open(&path).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn bad_ground_gives_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        Store::open(&dir.path().join("nowhere/yishi.db")),
        Err(StoreError::MissingDir(_))
    ));

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "这不是数据库，只是一些会议笔记。").unwrap();
    assert!(matches!(Store::open(&text), Err(StoreError::NotYishi(_))));

    let other = dir.path().join("other.db");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE x (a); INSERT INTO x VALUES (1);")
        .unwrap();
    assert!(matches!(Store::open(&other), Err(StoreError::NotYishi(_))));

    let newer = dir.path().join("newer.db");
    Store::open(&newer).unwrap();
    Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let e = Store::open(&newer).err().unwrap();
    assert!(matches!(e, StoreError::TooNew { found: 99, .. }));
    assert!(e.describe(yishi::lang::Lang::Zh).contains("更新版本"));
}

#[test]
fn a_read_only_file_opens_read_only_and_refuses_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("yishi.db");
    let mut store = Store::open(&path).unwrap();
    let (id, _) = meeting_with_some_history(&mut store);
    drop(store);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
    if Connection::open(&path)
        .unwrap()
        .execute("CREATE TABLE probe (a)", [])
        .is_ok()
    {
        return; // root ignores file modes: nothing to test here
    }
    let mut store = Store::open(&path).unwrap();
    assert!(store.is_read_only());
    let mut m = store.load(id).unwrap();
    let e = store
        .execute(id, &mut m, &Command::NextItem, common::T0, F)
        .unwrap_err();
    assert!(matches!(e, StoreError::ReadOnly(_)));
}

#[test]
fn two_stores_on_one_file_see_each_others_actions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("yishi.db");
    let mut a = Store::open(&path).unwrap();
    let (id, mut ma) = a
        .create_meeting(common::setup(), None, common::T0, F)
        .unwrap();
    let mut b = Store::open(&path).unwrap();
    let mut mb = b.load(id).unwrap();
    let version = b.data_version().unwrap();
    a.execute(
        id,
        &mut ma,
        &Command::SetPresence {
            participant: 1,
            presence: Presence::Present,
            holder: None,
            reason: None,
        },
        common::T0 + 1,
        F,
    )
    .unwrap();
    assert_ne!(
        b.data_version().unwrap(),
        version,
        "the other console notices a change"
    );
    // b has not caught up, yet its next action lands after a's, not over it.
    b.execute(
        id,
        &mut mb,
        &Command::SetPresence {
            participant: 2,
            presence: Presence::Online,
            holder: None,
            reason: None,
        },
        common::T0 + 2,
        Origin::Secretary,
    )
    .unwrap();
    assert_eq!(mb.state().voters_present(), 2);
    assert!(a.catch_up(id, &mut ma).unwrap());
    assert_eq!(ma.state(), mb.state());
}

/// A walk-in who spoke, taken back by a later run of the seat: their speech stays in the
/// record, its row no longer names them, and the file verifies.
#[test]
fn a_walk_in_who_spoke_taken_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("y.db");
    let mut store = Store::open(&path).unwrap();
    let (id, mut m) = store
        .create_meeting(common::setup(), None, common::T0, F)
        .unwrap();
    let first = Console::new("facilitator", "run-1");
    let second = Console::new("facilitator", "run-2");
    let mut at = common::T0;
    let mut run = |store: &mut Store, m: &mut Meeting, c: Command, by: &Console| {
        at += 5_000;
        store.execute_by(id, m, &c, at, F, Some(by)).unwrap();
    };
    run(&mut store, &mut m, Command::NextItem, &first);
    run(
        &mut store,
        &mut m,
        Command::AddWalkIn {
            name: "临时来宾".into(),
            role: yishi::domain::model::Role::Resident,
            unit: None,
            voter: false,
            area: None,
            not_entitled: None,
        },
        &first,
    );
    let walk_in = m.state().participants.iter().next_back().unwrap().id;
    let added = m.log().len() - 1;
    for c in [
        Command::QueueSpeaker {
            participant: walk_in,
            kind: SpeechKind::Speech,
        },
        Command::StartNextSpeaker,
        Command::EndSpeech,
    ] {
        run(&mut store, &mut m, c, &second);
    }
    let conn = Connection::open(&path).unwrap();
    let spoken_by = || -> String {
        conn.query_row(
            "SELECT name FROM speeches WHERE meeting_id = ?1 AND participant_id = ?2",
            rusqlite::params![id, walk_in],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(spoken_by(), "临时来宾");
    assert_eq!(m.earlier_undoable(F, Some(&second)), Some(added));
    run(
        &mut store,
        &mut m,
        Command::UndoEarlier { target: added },
        &second,
    );
    assert!(m.state().participant(walk_in).is_none());
    assert_eq!(m.state().speeches.len(), 1, "the speech is in the record");
    assert_ne!(spoken_by(), "临时来宾");
    assert!(store.audit().unwrap().is_intact());
    // Read again from a snapshot, the state (and what it knows of who spoke) is the same.
    store.snapshot_if_due(id, &m, true).unwrap();
    let opened = store.open_meeting(id).unwrap();
    assert!(opened.elided() > 0);
    assert_eq!(opened.state(), m.state());
}

/// The readable texts follow every save in place: the dissent's rows shrink with it, the
/// resolution's row goes when it is emptied, and the file verifies after each.
#[test]
fn dissent_and_resolution_rows_follow_each_save() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("y.db");
    let mut store = Store::open(&path).unwrap();
    let (id, mut m) = meeting_with_some_history(&mut store);
    let conn = Connection::open(&path).unwrap();
    let rows = |table: &str| -> i64 {
        conn.query_row(
            &format!("SELECT count(*) FROM {table} WHERE meeting_id = ?1 AND item_id = 1"),
            [id],
            |r| r.get(0),
        )
        .unwrap()
    };
    let mut at = common::T0 + 3_600_000;
    let mut save = |store: &mut Store, m: &mut Meeting, c: Command| {
        at += 1_000;
        store.execute(id, m, &c, at, F).unwrap();
        assert!(store.audit().unwrap().is_intact(), "after {c:?}");
    };
    let dissent = |text: &str| Command::SetDissent {
        item: 1,
        text: text.into(),
        base: None,
    };
    let resolution = |text: &str| Command::SetText {
        item: 1,
        field: TextField::Resolution,
        text: text.into(),
        base: None,
    };
    save(
        &mut store,
        &mut m,
        dissent("张建国：担心噪音\n李秀英：担心采光\n王磊：费用太高"),
    );
    assert_eq!(rows("dissent"), 3);
    save(&mut store, &mut m, dissent("李秀英：担心采光"));
    assert_eq!(rows("dissent"), 1);
    let kept: String = conn
        .query_row(
            "SELECT text FROM dissent WHERE meeting_id = ?1 AND item_id = 1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert!(kept.contains("采光"), "{kept}");
    save(&mut store, &mut m, dissent(""));
    assert_eq!(rows("dissent"), 0);
    save(&mut store, &mut m, resolution("同意加装电梯"));
    assert_eq!(rows("resolutions"), 1);
    save(
        &mut store,
        &mut m,
        resolution("同意加装电梯，费用按楼层分摊"),
    );
    assert_eq!(rows("resolutions"), 1);
    save(&mut store, &mut m, resolution(""));
    assert_eq!(rows("resolutions"), 0);
}
