//! The readable tables: what a committee member sees opening the file in any SQLite tool.
//! They are rebuilt from the state in the same transaction as the log entry, only the rows
//! an entry touches, or all of them after an undo. Every value follows from the log alone
//! (no clock is read here), so `yishi verify` can rebuild them and compare.

use std::collections::{BTreeSet, HashMap, HashSet};

use rusqlite::{Connection, params};

use super::log::readable_time;
use super::{MeetingId, StoreError};
use crate::domain::model::ItemId;
use crate::domain::shared::{self, SharedVec};
use crate::domain::state::{Change, Event, State, TextField};
use crate::domain::tally::Votes;
use crate::lang::Lang;

type R = Result<(), StoreError>;

/// Brings the readable tables up to date with `state`, the state after `event`: only the
/// rows the event changed. `was_current` is the item under discussion before it; `replaced`
/// is, for an undo, the state before it (the rows that differ from it are written).
pub(super) fn change(
    tx: &Connection,
    id: MeetingId,
    state: &State,
    event: &Event,
    was_current: Option<ItemId>,
    replaced: Option<&State>,
) -> R {
    match &event.change {
        Change::Opened { .. } => all(tx, id, state),
        // Never recorded: an elided entry is one read back without its content.
        Change::Elided => Ok(()),
        Change::Undone { .. } => match replaced {
            Some(before) => differences(tx, id, before, state),
            None => all(tx, id, state),
        },
        Change::WalkInAdded { participant } => {
            participants(tx, id, state, Some(participant.id))?;
            attendance(tx, id, state, Some(participant.id))?;
            meeting(tx, id, state)
        }
        Change::PresenceSet { participant, .. } => {
            attendance(tx, id, state, Some(*participant))?;
            meeting(tx, id, state)
        }
        Change::ItemAdded { position, .. } => {
            // The items after it have moved down one place.
            let from = (*position).min(state.items.len().saturating_sub(1));
            let moved: Vec<ItemId> = state.items.iter_from(from).map(|i| i.id).collect();
            meeting(tx, id, state)?;
            items(tx, id, state, Some(&moved), Texts::NONE)
        }
        Change::ItemMoved { .. }
        | Change::DeferToggled { .. }
        | Change::MeetingEnded
        | Change::Reopened { .. } => {
            let mut touched: Vec<ItemId> = was_current.into_iter().collect();
            touched.extend(state.current_item().map(|i| i.id));
            if let Change::DeferToggled { item, .. } = &event.change {
                touched.push(*item);
            }
            meeting(tx, id, state)?;
            items(tx, id, state, Some(&touched), Texts::NONE)?;
            recent_speeches(tx, id, state)
        }
        Change::SpeakerQueued { .. }
        | Change::SpeakerUnqueued { .. }
        | Change::SpeakerMoved { .. }
        | Change::QueueReordered { .. } => Ok(()),
        Change::SpeechStarted { .. }
        | Change::SpeechPaused
        | Change::SpeechResumed
        | Change::SpeechEnded => recent_speeches(tx, id, state),
        Change::VoteRecorded { vote } => new_vote(tx, id, state, vote.id, vote.item),
        // The minutes are in the item's row; the resolution and the dissent have their own.
        Change::TextSet { item, field, .. } => {
            let texts = match field {
                TextField::Minutes => Texts::NONE,
                TextField::Resolution => Texts::RESOLUTION,
            };
            items(tx, id, state, Some(&[*item]), texts)
        }
        Change::DissentSet { item, .. } => items(tx, id, state, Some(&[*item]), Texts::DISSENT),
        Change::ActionAdded { action } => actions(tx, id, state, Some(action.id)),
        Change::ActionUpdated { action, .. } => actions(tx, id, state, Some(*action)),
        Change::SpeechNoteSet { speech: target, .. } => {
            match state
                .speech
                .iter()
                .chain(state.speeches.iter())
                .find(|s| s.id == *target)
            {
                Some(sp) => speech(tx, id, state, sp),
                None => Ok(()),
            }
        }
    }
}

/// The meeting's row, made when it opens: every column is filled from the state after.
pub(super) fn insert_meeting(
    tx: &Connection,
    id: Option<MeetingId>,
    state: &State,
) -> Result<MeetingId, StoreError> {
    let m = &state.meeting;
    run(tx,
        "INSERT INTO meetings (id, title, kind, eligible, quorum, speaker_limit_secs, status, opened_at)
         VALUES (?1, ?2, ?3, 0, '', ?4, 'open', '')",
        params![id, m.title, m.kind.key(), m.speaker_limit_secs],
    )?;
    Ok(tx.last_insert_rowid())
}

pub(super) fn all(tx: &Connection, id: MeetingId, state: &State) -> R {
    meeting(tx, id, state)?;
    participants(tx, id, state, None)?;
    // A walk-in taken back leaves no attendance behind.
    run(tx, "DELETE FROM attendance WHERE meeting_id = ?1", [id])?;
    attendance(tx, id, state, None)?;
    items(tx, id, state, None, Texts::ALL)?;
    run(tx, "DELETE FROM speeches WHERE meeting_id = ?1", [id])?;
    for s in state.speeches.iter().chain(state.speech.iter()) {
        speech(tx, id, state, s)?;
    }
    votes(tx, id, state, None)?;
    actions(tx, id, state, None)
}

fn meeting(tx: &Connection, id: MeetingId, s: &State) -> R {
    let m = &s.meeting;
    let q = s.quorum();
    run(tx,
        "UPDATE meetings SET title = ?2, kind = ?3, starts = ?4, place = ?5, host = ?6, recorder = ?7,
            eligible = ?8, present = ?9, quorum = ?10, quorum_met = ?11, speaker_limit_secs = ?12,
            status = ?13, current_item = ?14, opened_at = ?15, started_at = ?16, ended_at = ?17,
            agenda_file = ?18, reopened = ?19, uid = ?20
         WHERE id = ?1",
        params![
            id,
            m.title,
            m.kind.key(),
            m.starts,
            m.place,
            m.host,
            m.recorder,
            q.eligible,
            q.present,
            m.quorum.key(),
            q.met,
            m.speaker_limit_secs,
            if s.ended_at.is_some() { "ended" } else { "open" },
            s.current_item().map(|i| i.id),
            time(s, s.opened_at),
            s.started_at.map(|t| time(s, t)),
            s.ended_at.map(|t| time(s, t)),
            s.agenda_file,
            (!s.reopened.is_empty()).then(|| s
                .reopened
                .iter()
                .map(|(at, why)| format!("{} {why}", time(s, *at)))
                .collect::<Vec<_>>()
                .join("\n")),
            s.uid,
        ],
    )?;
    Ok(())
}

/// The rows that differ between the state before an undo and the state after it; everything
/// when the meeting itself differs, or the people otherwise than by walk-ins at the end. The
/// two states share every element the undo did not touch, so what did not change is passed
/// over by a pointer's comparison.
fn differences(tx: &Connection, id: MeetingId, before: &State, after: &State) -> R {
    let common = before.participants.len().min(after.participants.len());
    let same_people = after.participants.equal_prefix(&before.participants) >= common;
    if !same_people || before.meeting != after.meeting || before.utc_offset != after.utc_offset {
        return all(tx, id, after);
    }
    // Walk-ins taken back (or back again): their rows, and the speeches that name them.
    let walk_ins: Vec<u32> = before
        .participants
        .iter_from(common)
        .chain(after.participants.iter_from(common))
        .map(|p| p.id)
        .collect();
    for gone in before.participants.iter_from(common) {
        tx.prepare_cached("DELETE FROM participants WHERE meeting_id = ?1 AND id = ?2")?
            .execute(params![id, gone.id])?;
        tx.prepare_cached("DELETE FROM attendance WHERE meeting_id = ?1 AND participant_id = ?2")?
            .execute(params![id, gone.id])?;
    }
    for came in after.participants.iter_from(common) {
        participants(tx, id, after, Some(came.id))?;
        attendance(tx, id, after, Some(came.id))?;
    }
    meeting(tx, id, after)?;
    let mut signed = BTreeSet::new();
    before
        .attendance
        .differences(&after.attendance, &mut signed);
    shared::differing_keys(&before.proxy_holders, &after.proxy_holders, &mut signed);
    shared::differing_keys(&before.leave_reasons, &after.leave_reasons, &mut signed);
    for p in signed {
        if after.participant(p).is_some() && !walk_ins.contains(&p) {
            attendance(tx, id, after, Some(p))?;
        }
    }

    // An item is written where the one at its place differs (changed, or another item).
    let changed: Vec<ItemId> = after
        .items
        .differing(&before.items)
        .into_iter()
        .filter_map(|pos| after.items.get(pos).map(|i| i.id))
        .collect();
    let (texts, rest): (Vec<ItemId>, Vec<ItemId>) = changed.iter().partition(|&&item| {
        let now = after.item(item);
        let was = before.item(item);
        now.map(|i| (&i.resolution, &i.dissent)) != was.map(|i| (&i.resolution, &i.dissent))
    });
    items(tx, id, after, Some(&texts), Texts::ALL)?;
    items(tx, id, after, Some(&rest), Texts::NONE)?;
    if before.items.len() > after.items.len() {
        // The items both still share are the same items: only those after them can be gone.
        let shared = after.items.shared_prefix(&before.items);
        let kept: HashSet<ItemId> = after.items.iter_from(shared).map(|i| i.id).collect();
        for gone in before
            .items
            .iter_from(shared)
            .filter(|i| !kept.contains(&i.id))
        {
            for table in ["items", "resolutions", "dissent"] {
                let key = if table == "items" { "id" } else { "item_id" };
                tx.prepare_cached(&format!(
                    "DELETE FROM {table} WHERE meeting_id = ?1 AND {key} = ?2"
                ))?
                .execute(params![id, gone.id])?;
            }
        }
    }

    // Speeches are kept in the order they ended: an undo changes only the newest ones.
    let same = after.speeches.equal_prefix(&before.speeches);
    let was: HashMap<u32, &crate::domain::state::Speech> = before
        .speeches
        .iter_from(same)
        .chain(before.speech.iter())
        .map(|sp| (sp.id, sp))
        .collect();
    let now: Vec<&crate::domain::state::Speech> = after
        .speeches
        .iter_from(same)
        .chain(after.speech.iter())
        .collect();
    for sp in &now {
        if was.get(&sp.id) != Some(sp) || walk_ins.contains(&sp.participant) {
            speech(tx, id, after, sp)?;
        }
    }
    // Their speeches before the undo's reach, when they have spoken at all (rarely: a walk-in
    // taken back after they spoke); the speeches of 20,000 are not looked through otherwise.
    if walk_ins
        .iter()
        .any(|p| before.spoke_as_walk_in(*p) || after.spoke_as_walk_in(*p))
    {
        for sp in after
            .speeches
            .iter()
            .take(same)
            .filter(|sp| walk_ins.contains(&sp.participant))
        {
            speech(tx, id, after, sp)?;
        }
    }
    for gone in was.keys().filter(|k| !now.iter().any(|sp| sp.id == **k)) {
        tx.prepare_cached("DELETE FROM speeches WHERE meeting_id = ?1 AND id = ?2")?
            .execute(params![id, gone])?;
    }

    // Votes and actions are kept in the order they were taken; a vote superseded, or an
    // action updated, changes in place. Only the places where the two differ are compared.
    for item in differing_about(&before.votes, &after.votes, |v| v.item) {
        votes(tx, id, after, Some(item))?;
    }
    for action in differing_about(&before.actions, &after.actions, |a| a.id) {
        if after.actions.iter().any(|a| a.id == action) {
            actions(tx, id, after, Some(action))?;
        } else {
            tx.prepare_cached("DELETE FROM actions WHERE meeting_id = ?1 AND id = ?2")?
                .execute(params![id, action])?;
            tx.prepare_cached("DELETE FROM action_notes WHERE meeting_id = ?1 AND action_id = ?2")?
                .execute(params![id, action])?;
        }
    }
    Ok(())
}

/// What the elements at the places where two vectors hold different values are about: the
/// item of a vote, the id of an action; of the element before and after alike.
fn differing_about<T: PartialEq, K: Ord>(
    before: &SharedVec<T>,
    after: &SharedVec<T>,
    key: impl Fn(&T) -> K,
) -> BTreeSet<K> {
    let mut out = BTreeSet::new();
    for i in after.differing(before) {
        out.extend(before.get(i).map(&key));
        out.extend(after.get(i).map(&key));
    }
    out
}

fn participants(tx: &Connection, id: MeetingId, s: &State, only: Option<u32>) -> R {
    if only.is_none() {
        run(tx, "DELETE FROM participants WHERE meeting_id = ?1", [id])?;
    }
    let mut stmt = tx.prepare_cached(
        "INSERT INTO participants (meeting_id, id, name, role, role_label, unit, area_m2, voter, walk_in, not_entitled)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for p in people(s, only) {
        stmt.execute(params![
            id,
            p.id,
            p.name,
            p.role.key(),
            p.role.label(Lang::Zh),
            p.unit,
            p.area.map(|a| a.m2()),
            p.voter,
            p.walk_in,
            p.not_entitled
        ])?;
    }
    Ok(())
}

fn attendance(tx: &Connection, id: MeetingId, s: &State, only: Option<u32>) -> R {
    if only.is_none() {
        // After an undo, a walk-in taken back has no row left.
        run(tx, "DELETE FROM attendance WHERE meeting_id = ?1", [id])?;
    }
    let mut stmt = tx.prepare_cached(
        "INSERT INTO attendance (meeting_id, participant_id, name, status, holder, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (meeting_id, participant_id) DO UPDATE SET name = excluded.name,
             status = excluded.status, holder = excluded.holder, reason = excluded.reason",
    )?;
    for p in people(s, only) {
        stmt.execute(params![
            id,
            p.id,
            p.name,
            s.presence(p.id).key(),
            s.proxy_holders.get(&p.id),
            s.leave_reasons.get(&p.id)
        ])?;
    }
    Ok(())
}

/// Everyone, or the one person asked for (found by id, not by a search).
fn people(s: &State, only: Option<u32>) -> Vec<&crate::domain::model::Participant> {
    match only {
        Some(p) => s.participant(p).into_iter().collect(),
        None => s.participants.iter().collect(),
    }
}

/// A moment in the meeting's own offset from UTC.
fn time(s: &State, ms: i64) -> String {
    readable_time(ms, s.utc_offset)
}

/// Which of an item's texts kept in tables of their own are written with its row.
#[derive(Clone, Copy)]
struct Texts {
    resolution: bool,
    dissent: bool,
}

impl Texts {
    const NONE: Texts = Texts {
        resolution: false,
        dissent: false,
    };
    const RESOLUTION: Texts = Texts {
        resolution: true,
        dissent: false,
    };
    const DISSENT: Texts = Texts {
        resolution: false,
        dissent: true,
    };
    const ALL: Texts = Texts {
        resolution: true,
        dissent: true,
    };
}

/// The rows of the items in `only` (every item when `None`), and of the texts `texts` names.
fn items(tx: &Connection, id: MeetingId, s: &State, only: Option<&[ItemId]>, texts: Texts) -> R {
    if only.is_none() {
        for table in ["items", "resolutions", "dissent"] {
            tx.execute(&format!("DELETE FROM {table} WHERE meeting_id = ?1"), [id])?;
        }
    }
    let mut item_stmt = tx.prepare_cached(
        "INSERT INTO items (meeting_id, id, position, title, kind, proposer, status, planned_secs, elapsed_secs, added_in_room, minutes, counting_since)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (meeting_id, id) DO UPDATE SET position = excluded.position, title = excluded.title,
            kind = excluded.kind, proposer = excluded.proposer, status = excluded.status,
            planned_secs = excluded.planned_secs, elapsed_secs = excluded.elapsed_secs,
            added_in_room = excluded.added_in_room, minutes = excluded.minutes,
            counting_since = excluded.counting_since",
    )?;
    for (pos, item) in s
        .items
        .iter()
        .enumerate()
        .filter(|(_, i)| only.is_none_or(|o| o.contains(&i.id)))
    {
        item_stmt.execute(params![
            id,
            item.id,
            pos as i64 + 1,
            item.spec.title,
            item.spec.kind.key(),
            item.spec.proposer,
            item.status.key(),
            item.spec.planned_secs,
            item.timer.accumulated / 1000,
            item.added_in_room,
            item.minutes,
            item.timer.running_since.map(|t| time(s, t)),
        ])?;
        // Rows changed in place where they are there (a row deleted and made again also
        // rewrites its key's index).
        if texts.resolution {
            if item.resolution.is_empty() {
                run(
                    tx,
                    "DELETE FROM resolutions WHERE meeting_id = ?1 AND item_id = ?2",
                    params![id, item.id],
                )?;
            } else {
                run(
                    tx,
                    "INSERT INTO resolutions (meeting_id, item_id, text) VALUES (?1, ?2, ?3)
                     ON CONFLICT (meeting_id, item_id) DO UPDATE SET text = excluded.text",
                    params![id, item.id, item.resolution],
                )?;
            }
        }
        if texts.dissent {
            run(
                tx,
                "DELETE FROM dissent WHERE meeting_id = ?1 AND item_id = ?2 AND n > ?3",
                params![id, item.id, item.dissent.len() as i64],
            )?;
            for (n, d) in item.dissent.iter().enumerate() {
                run(
                    tx,
                    "INSERT INTO dissent (meeting_id, item_id, n, name, text) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (meeting_id, item_id, n) DO UPDATE SET name = excluded.name,
                        text = excluded.text",
                    params![id, item.id, n as i64 + 1, d.name, d.text],
                )?;
            }
        }
    }
    Ok(())
}

/// The speech under way and the one that just ended: the only ones a change can touch.
fn recent_speeches(tx: &Connection, id: MeetingId, s: &State) -> R {
    for sp in s.speeches.last().into_iter().chain(s.speech.iter()) {
        speech(tx, id, s, sp)?;
    }
    Ok(())
}

fn speech(tx: &Connection, id: MeetingId, s: &State, sp: &crate::domain::state::Speech) -> R {
    let role = s
        .participant(sp.participant)
        .map_or("other", |p| p.role.key());
    tx.prepare_cached(
        "INSERT INTO speeches (meeting_id, id, item_id, participant_id, name, role, kind, started_at, seconds, running, counting_since, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (meeting_id, id) DO UPDATE SET item_id = excluded.item_id,
            participant_id = excluded.participant_id, name = excluded.name, role = excluded.role,
            kind = excluded.kind, started_at = excluded.started_at, seconds = excluded.seconds,
            running = excluded.running, counting_since = excluded.counting_since, note = excluded.note",
    )?
    .execute(params![
        id,
        sp.id,
        sp.item,
        sp.participant,
        s.name(sp.participant),
        role,
        sp.kind.key(),
        time(s, sp.started_at),
        sp.timer.accumulated / 1000,
        sp.ended_at.is_none(),
        sp.timer.running_since.map(|t| time(s, t)),
        sp.note,
    ])?;
    Ok(())
}

/// A vote just taken: its row, and the earlier votes on its item marked superseded (as the
/// state marks them), without rewriting them.
fn new_vote(tx: &Connection, id: MeetingId, s: &State, vote: u32, item: ItemId) -> R {
    tx.prepare_cached("DELETE FROM votes WHERE meeting_id = ?1 AND id = ?2")?
        .execute(params![id, vote])?;
    insert_votes(tx, id, s, |v| v.id == vote)?;
    // A vote supersedes the one that counted until then, the item's latest before it (every
    // earlier one was superseded by that one): found by its key, as the table has no index
    // by item.
    let counted = s
        .votes
        .iter()
        .rev()
        .find(|v| v.item == item && v.id != vote);
    if let Some(earlier) = counted {
        tx.prepare_cached(
            "UPDATE votes SET superseded = 1 WHERE meeting_id = ?1 AND id = ?2 AND superseded = 0",
        )?
        .execute(params![id, earlier.id])?;
    }
    Ok(())
}

fn votes(tx: &Connection, id: MeetingId, s: &State, item: Option<ItemId>) -> R {
    match item {
        Some(item) => run(
            tx,
            "DELETE FROM votes WHERE meeting_id = ?1 AND item_id = ?2",
            params![id, item],
        )?,
        None => run(tx, "DELETE FROM votes WHERE meeting_id = ?1", [id])?,
    };
    insert_votes(tx, id, s, |v| item.is_none_or(|i| i == v.item))
}

/// The rows of the votes `which` holds for.
fn insert_votes(
    tx: &Connection,
    id: MeetingId,
    s: &State,
    which: impl Fn(&crate::domain::state::VoteRecord) -> bool,
) -> R {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO votes (meeting_id, id, item_id, question, rule, method, yes, no, abstain, option_counts,
            present, eligible, base, base_count, passed, superseded, reason, tellers, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
    )?;
    for v in s.votes.iter().filter(|v| which(v)) {
        let (yes, no, abstain, options) = match &v.votes {
            Votes::YesNo { yes, no, abstain } => {
                (Some(yes.heads), Some(no.heads), Some(abstain.heads), None)
            }
            Votes::Options { counts, abstain } => {
                let named: Vec<_> = v
                    .options
                    .iter()
                    .zip(counts)
                    .map(|(o, c)| serde_json::json!({ "option": o, "votes": c }))
                    .collect();
                (
                    None,
                    None,
                    Some(*abstain),
                    Some(serde_json::Value::from(named).to_string()),
                )
            }
        };
        stmt.execute(params![
            id,
            v.id,
            v.item,
            v.question,
            v.rule.key(),
            v.method.key(),
            yes,
            no,
            abstain,
            options,
            v.electorate.present,
            v.electorate.eligible,
            v.outcome.base.key(),
            v.outcome.base_count,
            v.outcome.passed,
            v.superseded,
            v.outcome.reason.describe(Lang::Zh, &v.options),
            v.tellers.join("、"),
            time(s, v.at),
        ])?;
    }
    Ok(())
}

fn actions(tx: &Connection, id: MeetingId, s: &State, only: Option<u32>) -> R {
    if only.is_none() {
        run(tx, "DELETE FROM actions WHERE meeting_id = ?1", [id])?;
        run(tx, "DELETE FROM action_notes WHERE meeting_id = ?1", [id])?;
    }
    for a in s.actions.iter().filter(|a| only.is_none_or(|o| o == a.id)) {
        run(
            tx,
            "INSERT INTO actions (meeting_id, id, item_id, what, owner, due, status, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (meeting_id, id) DO UPDATE SET item_id = excluded.item_id,
                what = excluded.what, owner = excluded.owner, due = excluded.due,
                status = excluded.status, created_at = excluded.created_at",
            params![
                id,
                a.id,
                a.item,
                a.what,
                a.owner,
                a.due,
                a.status.key(),
                time(s, a.created_at)
            ],
        )?;
        run(
            tx,
            "DELETE FROM action_notes WHERE meeting_id = ?1 AND action_id = ?2",
            params![id, a.id],
        )?;
        for (n, note) in a.notes.iter().enumerate() {
            run(
                tx,
                "INSERT INTO action_notes (meeting_id, action_id, n, at, status, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    id,
                    a.id,
                    n as i64 + 1,
                    time(s, note.at),
                    note.status.key(),
                    note.text
                ],
            )?;
        }
    }
    Ok(())
}

/// A statement of the readable tables, prepared once per connection: an action runs a few
/// of them, and preparing the meeting's UPDATE costs more than running it.
fn run(tx: &Connection, sql: &str, params: impl rusqlite::Params) -> rusqlite::Result<usize> {
    tx.prepare_cached(sql)?.execute(params)
}
