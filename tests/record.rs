//! A record that proves itself: `yishi verify` rebuilds every readable table from the log and
//! compares, walks a chain over every stored column, and checks the code printed on paper.

mod common;

use common::yishi;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, params};
use yishi::domain::state::*;
use yishi::domain::tally::Method;
use yishi::store::{Finding, LogEntry, Store, Verification, check_code, schema};

const F: Origin = Origin::Facilitator;

/// A meeting that fills every readable table: attendance, speeches, a vote, a resolution,
/// dissent, an action with a note. Returns the file and the meeting's number.
fn rich(dir: &Path) -> (PathBuf, i64) {
    let path = dir.join("yishi.db");
    let mut store = Store::open(&path).unwrap();
    let id = rich_meeting(&mut store);
    (path, id)
}

fn rich_meeting(store: &mut Store) -> i64 {
    let (id, mut m) = store
        .create_meeting(common::setup(), None, common::T0, F)
        .unwrap();
    let mut at = common::T0;
    let mut run = |c: Command| {
        at += 5_000;
        store.execute(id, &mut m, &c, at, F).unwrap();
    };
    for p in [1, 2, 4, 5] {
        run(Command::SetPresence {
            participant: p,
            presence: Presence::Present,
            holder: None,
            reason: None,
        });
    }
    run(Command::NextItem);
    for p in [1, 2] {
        run(Command::QueueSpeaker {
            participant: p,
            kind: SpeechKind::Speech,
        });
    }
    run(Command::StartNextSpeaker);
    run(Command::StartNextSpeaker);
    run(Command::EndSpeech);
    // A note on an earlier speech, not the one just ended: the row written is the right one.
    run(Command::SetSpeechNote {
        speech: 1,
        note: "希望尽快开工".into(),
    });
    run(Command::RecordVote {
        item: 1,
        rule: None,
        method: Method::ShowOfHands,
        input: TallyInput::Counts {
            yes: 3,
            no: 1,
            abstain: 0,
        },
        tellers: vec!["李明".into()],
    });
    run(Command::SetText {
        item: 1,
        field: TextField::Resolution,
        text: "同意按方案A加装电梯。".into(),
        base: None,
    });
    run(Command::SetText {
        item: 1,
        field: TextField::Minutes,
        text: "低层住户担心采光。".into(),
        base: None,
    });
    run(Command::SetDissent {
        item: 1,
        text: "李秀英：担心噪音".into(),
        base: None,
    });
    run(Command::AddAction {
        item: 1,
        what: "联系施工方".into(),
        owner: "王磊".into(),
        due: Some("2026-12-20".into()),
    });
    run(Command::UpdateAction {
        action: 1,
        status: ActionStatus::InProgress,
        note: Some("已联系".into()),
    });
    run(Command::NextItem);
    id
}

fn audit(path: &Path) -> yishi::store::Audit {
    Store::open(path).unwrap().audit().unwrap()
}

fn sql(path: &Path, batch: &str) {
    let c = Connection::open(path).unwrap();
    c.execute_batch(batch).unwrap();
}

/// Someone with an SQLite tool sets `set` on the newest entry of the log.
fn edit_newest_entry(path: &Path, set: &str) {
    sql(
        path,
        &format!("{UNGUARD} UPDATE events SET {set} WHERE seq = (SELECT max(seq) FROM events);"),
    );
}

const UNGUARD: &str =
    "DROP TRIGGER events_append_only_update; DROP TRIGGER events_append_only_delete;";

#[test]
fn an_honest_record_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = rich(dir.path());
    let a = audit(&path);
    assert!(a.is_intact(), "{a:?}");
    // Every readable table has rows, so the comparisons below mean something.
    let c = Connection::open(&path).unwrap();
    for (table, _) in schema::READABLE {
        let n: i64 = c
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert!(n > 0, "{table} is empty");
    }
    let note: String = c
        .query_row("SELECT note FROM speeches WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(note, "希望尽快开工");
}

#[test]
fn an_edited_row_of_every_readable_table_is_caught_with_table_row_and_field() {
    let edits = [
        (
            "meetings",
            "UPDATE meetings SET title = '伪造的会议'",
            "title",
        ),
        (
            "participants",
            "UPDATE participants SET name = '冒名' WHERE id = 2",
            "name",
        ),
        (
            "attendance",
            "UPDATE attendance SET status = 'present' WHERE participant_id = 3",
            "status",
        ),
        (
            "items",
            "UPDATE items SET title = '改过的议题' WHERE id = 1",
            "title",
        ),
        (
            "speeches",
            "UPDATE speeches SET seconds = seconds + 100 WHERE id = 1",
            "seconds",
        ),
        (
            "speeches",
            "UPDATE speeches SET note = '没说过的话' WHERE id = 1",
            "note",
        ),
        ("votes", "UPDATE votes SET yes = 4, no = 0", "yes"),
        (
            "resolutions",
            "UPDATE resolutions SET text = '不同意'",
            "text",
        ),
        ("dissent", "UPDATE dissent SET text = '没有意见'", "text"),
        ("actions", "UPDATE actions SET owner = '别人'", "owner"),
        (
            "action_notes",
            "UPDATE action_notes SET text = '已完成'",
            "text",
        ),
    ];
    for (table, edit, column) in edits {
        let dir = tempfile::tempdir().unwrap();
        let (path, _) = rich(dir.path());
        sql(&path, edit);
        let a = audit(&path);
        assert!(!a.is_intact(), "{table}: not caught");
        assert!(
            matches!(a.chain, Verification::Intact { .. }),
            "the chain itself is untouched"
        );
        assert!(
            a.findings.iter().any(|f| matches!(f,
                Finding::Differs { table: t, column: c, .. } if *t == table && c == column)),
            "{table}.{column} not named: {:?}",
            a.findings
        );
    }
}

#[test]
fn deleted_and_forged_rows_are_caught() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = rich(dir.path());
    sql(&path, "DELETE FROM dissent");
    // A vote typed in, as a forger would write it.
    let c = Connection::open(&path).unwrap();
    c.execute(
        "INSERT INTO votes (meeting_id, id, item_id, question, rule, method, yes, no, abstain, present, eligible, base, base_count, passed, superseded, reason, tellers, at)
         VALUES (?1, 99, 2, '伪造的表决', 'simple', 'show_of_hands', 9, 0, 0, 4, 6, 'cast', 9, 1, 0, '通过', '', '2026-11-28 19:30:00')",
        [id],
    )
    .unwrap();
    let a = audit(&path);
    assert!(a.findings.iter().any(|f| matches!(
        f,
        Finding::Missing {
            table: "dissent",
            ..
        }
    )));
    assert!(
        a.findings
            .iter()
            .any(|f| matches!(f, Finding::Extra { table: "votes", row } if row.contains("id=99")))
    );
}

#[test]
fn a_forged_meeting_and_a_meeting_whose_log_was_deleted_are_caught() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("yishi.db");
    let mut store = Store::open(&path).unwrap();
    let first = rich_meeting(&mut store);
    let second = rich_meeting(&mut store);
    drop(store);
    // A meeting row typed in with an SQLite tool: `yishi list` would show it.
    sql(
        &path,
        "INSERT INTO meetings (id, title, kind, eligible, quorum, speaker_limit_secs, status, opened_at)
         VALUES (77, '从未召开的会议', 'consultation', 10, 'majority', 180, 'ended', '2026-11-01 19:00:00')",
    );
    // The whole log of the newest meeting deleted, and the chain's head set back to fit.
    sql(
        &path,
        &format!(
            "{UNGUARD}
             DELETE FROM events WHERE meeting_id = {second};
             UPDATE chain_head SET seq = (SELECT max(seq) FROM events),
                                   hash = (SELECT hash FROM events ORDER BY seq DESC LIMIT 1);"
        ),
    );
    let a = audit(&path);
    assert!(
        matches!(a.chain, Verification::Intact { .. }),
        "the chain fits"
    );
    assert!(a.findings.contains(&Finding::MeetingWithoutLog(77)));
    assert!(a.findings.contains(&Finding::MeetingWithoutLog(second)));
    assert!(!a.findings.contains(&Finding::MeetingWithoutLog(first)));
    // Events left without their meeting row are caught too.
    sql(
        &path,
        &format!(
            "DELETE FROM items WHERE meeting_id = {first}; DELETE FROM participants WHERE meeting_id = {first}; DELETE FROM attendance WHERE meeting_id = {first}; DELETE FROM speeches WHERE meeting_id = {first}; DELETE FROM votes WHERE meeting_id = {first}; DELETE FROM resolutions WHERE meeting_id = {first}; DELETE FROM dissent WHERE meeting_id = {first}; DELETE FROM actions WHERE meeting_id = {first}; DELETE FROM action_notes WHERE meeting_id = {first}; PRAGMA foreign_keys = OFF; DELETE FROM meetings WHERE id = {first};"
        ),
    );
    let a = audit(&path);
    assert!(
        a.findings.contains(&Finding::LogWithoutMeeting(first)),
        "{:?}",
        a.findings
    );
}

#[test]
fn a_tail_cut_with_the_chain_head_set_back_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = rich(dir.path());
    sql(
        &path,
        &format!(
            "{UNGUARD}
             DELETE FROM events WHERE seq > (SELECT max(seq) - 4 FROM events);
             UPDATE chain_head SET seq = (SELECT max(seq) FROM events),
                                   hash = (SELECT hash FROM events ORDER BY seq DESC LIMIT 1);"
        ),
    );
    let a = audit(&path);
    assert!(matches!(a.chain, Verification::Intact { .. }));
    assert!(
        !a.is_intact(),
        "the tables still hold what the cut entries did"
    );
    assert!(
        a.findings.iter().any(|f| matches!(
            f,
            Finding::Missing {
                table: "action_notes",
                ..
            } | Finding::Extra {
                table: "action_notes",
                ..
            }
        )),
        "{:?}",
        a.findings
    );
}

#[test]
fn every_stored_column_of_an_entry_is_under_the_hash() {
    for edit in [
        "UPDATE events SET at_text = '2026-11-28 08:00:00' WHERE seq = 3",
        "UPDATE events SET console = 'secretary-1/x' WHERE seq = 3",
        "UPDATE events SET origin = 'secretary' WHERE seq = 3",
        "UPDATE events SET at = at + 1000 WHERE seq = 3",
        "UPDATE events SET kind = 'speech_ended' WHERE seq = 3",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (path, _) = rich(dir.path());
        sql(&path, &format!("{UNGUARD} {edit};"));
        let a = audit(&path);
        assert!(
            matches!(a.chain, Verification::Broken { seq: 3, .. }),
            "{edit}: {:?}",
            a.chain
        );
    }
}

/// The check code a document prints, as a reader copies it from paper.
fn printed_code(text: &str) -> String {
    let at = text.find("记录校验码 ").expect("a check code is printed") + "记录校验码 ".len();
    text[at..].chars().take(19).collect()
}

#[test]
fn the_code_on_the_minutes_and_the_notice_proves_the_record_and_a_rewritten_chain_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = rich(dir.path());
    let (code, md, _) = yishi(&path, &["export", "-f", "md"]);
    assert_eq!(code, 0);
    let printed = printed_code(&md);
    assert!(md.contains(&format!("记录校验码 {printed}（第 ")));
    let (_, notice, _) = yishi(&path, &["notice"]);
    assert_eq!(
        printed_code(&notice),
        printed,
        "the notice prints the same code"
    );
    let (code, out, _) = yishi(&path, &["verify", "--expect", &printed]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("与记录相符"), "{out}");
    // Typed with spaces or capitals, it is the same code.
    let typed = printed.replace('-', " ").to_uppercase();
    assert_eq!(yishi(&path, &["verify", "--expect", &typed]).0, 0);
    // A wrong code is refused, and so is something that is not a code.
    let (code, _, err) = yishi(&path, &["verify", "--expect", "0123-4567-89ab-cdef"]);
    assert_eq!(code, 1);
    assert!(err.contains("找不到"), "{err}");
    assert_eq!(yishi(&path, &["verify", "--expect", "abc"]).0, 2);

    // A forger edits the vote in the log, recomputes every hash after it, and fixes the
    // tables to match: the file verifies on its own, but no longer holds the signed code.
    let c = Connection::open(&path).unwrap();
    c.execute_batch(UNGUARD).unwrap();
    let seq: i64 = c
        .query_row(
            "SELECT seq FROM events WHERE kind = 'vote_recorded'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let payload: String = c
        .query_row("SELECT payload FROM events WHERE seq = ?1", [seq], |r| {
            r.get(0)
        })
        .unwrap();
    let forged = payload.replacen("\"heads\":1", "\"heads\":0", 1);
    assert_ne!(forged, payload);
    c.execute(
        "UPDATE events SET payload = ?1 WHERE seq = ?2",
        params![forged, seq],
    )
    .unwrap();
    rehash(&c);
    drop(c);
    {
        // The tables rebuilt to match the forged log, as a careful forger would.
        let store = Store::open(&path).unwrap();
        let a = store.audit().unwrap();
        assert!(matches!(a.chain, Verification::Intact { .. }));
    }
    let (code, _, err) = yishi(&path, &["verify", "--expect", &printed]);
    assert_eq!(code, 1);
    assert!(err.contains("找不到"), "{err}");
}

/// Recomputes every entry's hash in order, as someone rewriting the chain from scratch would.
fn rehash(c: &Connection) {
    let rows: Vec<LogEntry> = {
        let mut st = c
            .prepare(&format!(
                "SELECT {} FROM events ORDER BY seq",
                LogEntry::COLUMNS
            ))
            .unwrap();
        st.query_map([], LogEntry::from_row)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let mut prev = "0".repeat(64);
    for e in rows {
        let h = e.hash(&prev);
        c.execute(
            "UPDATE events SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
            params![prev, h, e.seq],
        )
        .unwrap();
        prev = h;
    }
    c.execute("UPDATE chain_head SET hash = ?1", [prev])
        .unwrap();
}

/// A table edited with an SQLite tool: `verify` names the row and field; an export, which is
/// written from the log and checks what it reads (not the readable tables), writes the truth.
#[test]
fn verify_names_the_table_and_exit_1_and_export_writes_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = rich(dir.path());
    let (code, out, _) = yishi(&path, &["verify"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("各数据表与操作日志一致"), "{out}");
    let (_, md, err) = yishi(&path, &["export", "-f", "md"]);
    assert!(!err.contains("警告"));
    sql(&path, "UPDATE votes SET yes = 4, no = 0");
    let (code, _, err) = yishi(&path, &["verify"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("votes（meeting_id=1, id=1）的 yes 为「4」，日志记载为「3」"),
        "{err}"
    );
    let (code, tampered, err) = yishi(&path, &["export", "-f", "md"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        tampered, md,
        "the document is written from the log, not the edited table"
    );
    let (code, notice, err) = yishi(&path, &["notice"]);
    assert_eq!(code, 0, "{err}");
    assert!(notice.contains("赞成 3"), "{notice}");
    // An edited log entry is what the export itself notices: it warns, and still writes
    // what the log says.
    edit_newest_entry(&path, "at_text = at_text || ' '");
    let (code, _, err) = yishi(&path, &["export", "-f", "md"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("警告：这份数据库没有通过核验"), "{err}");
    let (_, _, err) = yishi(&path, &["notice"]);
    assert!(err.contains("警告"), "{err}");
}

#[test]
fn a_file_of_the_first_schema_migrates_with_its_chain_and_tables_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    // A meeting as the first schema wrote it: entries hashed over the columns it had.
    let mut m = Meeting::open(common::setup(), common::T0, F);
    for (i, c) in [
        Command::SetPresence {
            participant: 1,
            presence: Presence::Present,
            holder: None,
            reason: None,
        },
        Command::NextItem,
        Command::SetText {
            item: 1,
            field: TextField::Minutes,
            text: "旧版本的记录".into(),
            base: None,
        },
    ]
    .iter()
    .enumerate()
    {
        m.execute(c, common::T0 + 1000 * (i as i64 + 1), F).unwrap();
    }
    common::write_first_schema(&path, &m);
    let old_code = {
        let c = Connection::open(&path).unwrap();
        let h: String = c
            .query_row("SELECT hash FROM chain_head", [], |r| r.get(0))
            .unwrap();
        check_code(&h)
    };
    let mut store = Store::open(&path).unwrap();
    let a = store.audit().unwrap();
    assert!(a.is_intact(), "migrated: {a:?}");
    let minutes: String = store
        .connection()
        .query_row("SELECT minutes FROM items WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        minutes, "旧版本的记录",
        "the tables were written anew from the log"
    );
    // The chain goes on with entries of the new form, and still verifies.
    let mut m = store.load(1).unwrap();
    store
        .execute(1, &mut m, &Command::NextItem, common::T0 + 9_000, F)
        .unwrap();
    assert!(store.audit().unwrap().is_intact());
    drop(store);
    // A code printed before the upgrade still proves the record.
    assert_eq!(yishi(&path, &["verify", "--expect", &old_code]).0, 0);
    // An edit of an old entry is still caught.
    sql(
        &path,
        &format!(
            "{UNGUARD} UPDATE events SET payload = replace(payload, '旧版本', '新版本') WHERE seq = 4;"
        ),
    );
    assert!(matches!(
        audit(&path).chain,
        Verification::Broken { seq: 4, .. }
    ));
}

/// A long meeting opened from its snapshot: the same meeting as its log gives, with only the
/// entries after the snapshot read in full; an undo of the earlier run's last action reaches
/// behind it; a changed snapshot is a finding of `verify`, and one that no longer fits the
/// chain is not used.
#[test]
fn a_snapshot_opens_the_meeting_and_never_outweighs_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("y.db");
    let mut store = Store::open(&path).unwrap();
    let (id, mut m) = store
        .create_meeting(common::setup(), None, common::T0, Origin::Facilitator)
        .unwrap();
    let first = Console::new("facilitator", "run-1");
    let mut at = common::T0;
    for i in 0..700u32 {
        at += 1_000;
        let presence = if i % 2 == 0 {
            Presence::Present
        } else {
            Presence::Absent
        };
        let c = Command::SetPresence {
            participant: 1 + i % 6,
            presence,
            holder: None,
            reason: None,
        };
        store
            .execute_by(id, &mut m, &c, at, Origin::Facilitator, Some(&first))
            .unwrap();
    }
    let (_, whole_log, _) = yishi(&path, &["export", "-f", "md"]);
    // 701 entries, none snapshotted yet: one is due; right after it, nothing is.
    assert!(store.snapshot_if_due(id, &m, false).unwrap());
    // An export reads the meeting from its snapshot and writes what the whole log gives.
    let (code, from_snapshot, err) = yishi(&path, &["export", "-f", "md"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("警告"), "{err}");
    assert_eq!(from_snapshot, whole_log);
    assert!(!store.snapshot_if_due(id, &m, true).unwrap());
    let c = Connection::open(&path).unwrap();
    let n: i64 = c
        .query_row("SELECT n FROM snapshots WHERE meeting_id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(n as usize, m.log().len());

    // Opened again: the same state, the older entries elided.
    let mut opened = store.open_meeting(id).unwrap();
    assert_eq!(opened.state(), m.state());
    assert_eq!(opened.elided(), m.log().len());
    // A second run of the same seat undoes the first run's last action, behind the
    // snapshot: the older entries are not read until then.
    let second = Console::new("facilitator", "run-2");
    assert_eq!(
        opened.earlier_undoable(Origin::Facilitator, Some(&second)),
        None
    );
    // Its log is as long as the record's; the entries behind the snapshot stand elided, and
    // once read back they are the record's own, in order.
    assert_eq!(opened.log().len(), m.log().len());
    assert_eq!(opened.log().iter().count(), m.log().len());
    assert!(opened.is_elided(1) && opened.is_elided(m.log().len() - 1));
    assert!(matches!(
        opened.log().last().map(|e| &e.change),
        Some(yishi::domain::state::Change::Elided)
    ));
    let mut looked = opened.clone();
    store.hydrate(id, &mut looked).unwrap();
    assert_eq!(looked.elided(), 0);
    assert_eq!(looked.log().to_vec(), m.log().to_vec());
    let target = looked
        .earlier_undoable(Origin::Facilitator, Some(&second))
        .unwrap();
    assert_eq!(target, m.log().len() - 1);
    store
        .execute_by(
            id,
            &mut opened,
            &Command::UndoEarlier { target },
            at + 1_000,
            Origin::Facilitator,
            Some(&second),
        )
        .unwrap();
    assert_eq!(
        opened.elided(),
        0,
        "the older entries were read back for it"
    );
    let replayed = store.load(id).unwrap();
    assert_eq!(opened.state(), replayed.state());
    assert!(store.audit().unwrap().is_intact());

    // Someone edits the snapshot with an SQLite tool: its seal no longer fits, so it is not
    // used; verify says so; the export writes from the log and warns.
    store.snapshot_if_due(id, &opened, true).unwrap();
    c.execute(
        "UPDATE snapshots SET state = replace(state, '\"title\":\"', '\"title\":\"伪造') WHERE meeting_id = ?1",
        [id],
    )
    .unwrap();
    let audit = store.audit().unwrap();
    assert_eq!(audit.findings, vec![Finding::Snapshot(id)], "{audit:?}");
    let unsealed = store.open_meeting(id).unwrap();
    assert_eq!(
        unsealed.elided(),
        0,
        "a snapshot that fails its seal is not opened from"
    );
    assert_eq!(unsealed.state(), replayed.state());
    let (code, out, err) = yishi(&path, &["verify"]);
    assert_eq!(code, 1);
    assert!(out.contains("快照") || err.contains("快照"), "{out}{err}");
    let (code, md, err) = yishi(&path, &["export", "-f", "md"]);
    assert_eq!(code, 0, "{err}");
    assert!(md.contains("幸福里") && !md.contains("伪造"), "{md}");
    assert!(err.contains("没有通过核验"), "{err}");

    // An entry after a sound snapshot edited: the export's own check of what it reads
    // (the chain from the snapshot on) says so.
    c.execute("DELETE FROM snapshots", []).unwrap();
    assert!(store.snapshot_if_due(id, &opened, true).unwrap());
    let text = Command::SetText {
        item: 1,
        field: TextField::Minutes,
        text: "会后补记甲".into(),
        base: None,
    };
    store
        .execute_by(
            id,
            &mut opened,
            &text,
            at + 2_000,
            Origin::Facilitator,
            Some(&second),
        )
        .unwrap();
    let (_, _, err) = yishi(&path, &["export", "-f", "md"]);
    assert!(!err.contains("警告"), "{err}");
    edit_newest_entry(&path, "payload = replace(payload, '补记甲', '补记乙')");
    let (code, md, err) = yishi(&path, &["export", "-f", "md"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("没有通过核验"), "{err}");
    assert!(
        md.contains("会后补记乙"),
        "written from the log as it stands: {md}"
    );

    // A snapshot naming an entry the chain does not hold is not used.
    c.execute(
        "UPDATE snapshots SET hash = 'ffff' WHERE meeting_id = ?1",
        [id],
    )
    .unwrap();
    let reopened = store.open_meeting(id).unwrap();
    assert_eq!(reopened.elided(), 0);
    assert_eq!(reopened.state(), store.load(id).unwrap().state());
}
