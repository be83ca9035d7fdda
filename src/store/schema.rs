//! The database schema, one migration per version. Tables are named as a committee member
//! would look for them; `events` is the append-only log everything else is rebuilt from.

use rusqlite_migration::{M, Migrations};

/// `PRAGMA application_id` of a yishi database ("yish").
pub const APPLICATION_ID: i32 = 0x7969_7368;

/// The first schema, as it was: older files start from it.
pub const V1: &str = r#"
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    starts TEXT,
    place TEXT,
    host TEXT,
    recorder TEXT,
    eligible INTEGER NOT NULL,
    present INTEGER NOT NULL DEFAULT 0,
    quorum TEXT NOT NULL,
    quorum_met INTEGER NOT NULL DEFAULT 0,
    speaker_limit_secs INTEGER NOT NULL,
    status TEXT NOT NULL,
    current_item INTEGER,
    opened_at TEXT NOT NULL,
    started_at TEXT,
    ended_at TEXT,
    agenda_file TEXT
);

-- The append-only log: every action, in order, hash-chained (see `yishi verify`).
CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    n INTEGER NOT NULL,
    at INTEGER NOT NULL,
    at_text TEXT NOT NULL,
    origin TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (meeting_id, n)
);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the events log is append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the events log is append-only'); END;

-- The newest entry of the chain, so a cut-off tail shows too.
CREATE TABLE chain_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);

CREATE TABLE participants (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    id INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    role_label TEXT NOT NULL,
    unit TEXT,
    area_m2 REAL,
    voter INTEGER NOT NULL,
    walk_in INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, id)
);

CREATE TABLE attendance (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    participant_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (meeting_id, participant_id)
);

CREATE TABLE items (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    proposer TEXT,
    status TEXT NOT NULL,
    planned_secs INTEGER NOT NULL,
    elapsed_secs INTEGER NOT NULL,
    added_in_room INTEGER NOT NULL,
    minutes TEXT NOT NULL,
    PRIMARY KEY (meeting_id, id)
);

CREATE TABLE speeches (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    id INTEGER NOT NULL,
    item_id INTEGER NOT NULL,
    participant_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    kind TEXT NOT NULL,
    started_at TEXT NOT NULL,
    seconds INTEGER NOT NULL,
    running INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, id)
);

CREATE TABLE votes (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    id INTEGER NOT NULL,
    item_id INTEGER NOT NULL,
    question TEXT NOT NULL,
    rule TEXT NOT NULL,
    method TEXT NOT NULL,
    yes INTEGER,
    no INTEGER,
    abstain INTEGER,
    option_counts TEXT,
    present INTEGER NOT NULL,
    eligible INTEGER NOT NULL,
    base TEXT NOT NULL,
    base_count INTEGER NOT NULL,
    passed INTEGER NOT NULL,
    superseded INTEGER NOT NULL,
    reason TEXT NOT NULL,
    tellers TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (meeting_id, id)
);

CREATE TABLE resolutions (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    item_id INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (meeting_id, item_id)
);

CREATE TABLE dissent (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    item_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    name TEXT,
    text TEXT NOT NULL,
    PRIMARY KEY (meeting_id, item_id, n)
);

CREATE TABLE actions (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    id INTEGER NOT NULL,
    item_id INTEGER NOT NULL,
    what TEXT NOT NULL,
    owner TEXT NOT NULL,
    due TEXT,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (meeting_id, id)
);

CREATE TABLE action_notes (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    action_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    at TEXT NOT NULL,
    status TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (meeting_id, action_id, n)
);

-- Text typed in an open editor, saved every few seconds until it is committed.
CREATE TABLE drafts (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    item_id INTEGER NOT NULL,
    field TEXT NOT NULL,
    text TEXT NOT NULL,
    saved_at INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, item_id, field)
);
"#;

/// Several consoles on one meeting: which console wrote each entry, every stored column under
/// the hash (entries before this version keep their hash: `legacy_upto`), drafts that belong
/// to the console that typed them, and readable tables that follow from the log alone (a
/// running timer shows the time counted before it last started, and since when it runs).
const V2: &str = r#"
ALTER TABLE events ADD COLUMN console TEXT;
ALTER TABLE chain_head ADD COLUMN legacy_upto INTEGER NOT NULL DEFAULT 0;
UPDATE chain_head SET legacy_upto = seq;

ALTER TABLE meetings ADD COLUMN reopened TEXT;
ALTER TABLE items ADD COLUMN counting_since TEXT;
ALTER TABLE speeches ADD COLUMN counting_since TEXT;

CREATE TABLE drafts_by_console (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    item_id INTEGER NOT NULL,
    field TEXT NOT NULL,
    -- The console slot that typed it (facilitator, secretary-1 …).
    console TEXT NOT NULL,
    text TEXT NOT NULL,
    -- The saved text the typing started from, so that a save merges rather than overwrites.
    base TEXT,
    saved_at INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, item_id, field, console)
);
INSERT INTO drafts_by_console (meeting_id, item_id, field, console, text, base, saved_at)
    SELECT meeting_id, item_id, field, 'facilitator', text, NULL, saved_at FROM drafts;
DROP TABLE drafts;
ALTER TABLE drafts_by_console RENAME TO drafts;
"#;

/// Attendance as owners' and committee meetings keep it: who holds each proxy (委托人 →
/// 受托人), why someone is excused (请假, its own status beside 缺席), and why a person signed
/// in does not take part in an owners' vote.
const V3_ATTENDANCE: &str = r#"
ALTER TABLE attendance ADD COLUMN holder TEXT;
ALTER TABLE attendance ADD COLUMN reason TEXT;
ALTER TABLE participants ADD COLUMN not_entitled TEXT;
"#;

/// 发言要点: the note the secretary typed on a speech, written from the log like every other
/// column of the readable tables.
const V4_SPEECH_NOTES: &str = r#"
ALTER TABLE speeches ADD COLUMN note TEXT NOT NULL DEFAULT '';
"#;

/// The 议题库: topics residents raise before any meeting, and the committee's screening of
/// them. Not part of any meeting's log (so not in [`READABLE`]); both tables are append-only,
/// so every screening stays on record with its date and reason. What became of a proposal
/// afterwards is read from the meetings whose items name it, not stored here.
const V5_PROPOSALS: &str = r#"
CREATE TABLE proposals (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    raised_by TEXT NOT NULL,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    note TEXT,
    raised_at INTEGER NOT NULL,
    raised_at_text TEXT NOT NULL
);
CREATE TRIGGER proposals_append_only_update BEFORE UPDATE ON proposals
BEGIN SELECT RAISE(ABORT, 'proposals are append-only'); END;
CREATE TRIGGER proposals_append_only_delete BEFORE DELETE ON proposals
BEGIN SELECT RAISE(ABORT, 'proposals are append-only'); END;

-- Each screening decision: accepted or rejected, when, and why.
CREATE TABLE proposal_history (
    proposal_id INTEGER NOT NULL REFERENCES proposals(id),
    n INTEGER NOT NULL,
    at INTEGER NOT NULL,
    at_text TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (proposal_id, n)
);
CREATE TRIGGER proposal_history_append_only_update BEFORE UPDATE ON proposal_history
BEGIN SELECT RAISE(ABORT, 'the proposal history is append-only'); END;
CREATE TRIGGER proposal_history_append_only_delete BEFORE DELETE ON proposal_history
BEGIN SELECT RAISE(ABORT, 'the proposal history is append-only'); END;
"#;

/// Identity, so that a district can combine its committees' files: the site (the committee
/// whose laptop keeps the file, written once, outside any meeting's log) and every meeting's
/// global id (a UUIDv7 in its opening entry, or derived from that entry's hash for meetings
/// opened before; the store fills the column in after this migration).
const V6_SITE: &str = r#"
CREATE TABLE site (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    -- E.g. the committee's statistical area code: the district keys its meetings by it.
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    district TEXT,
    set_at TEXT NOT NULL
);
ALTER TABLE meetings ADD COLUMN uid TEXT;
"#;

const V7_SNAPSHOTS: &str = r#"
-- The state of a meeting after its first n log entries, with the hash of entry n - 1: a
-- console opens from it and reads only the entries after it. Derived from the log, never
-- trusted over it: `yishi verify` rebuilds it and compares.
CREATE TABLE snapshots (
    meeting_id INTEGER PRIMARY KEY REFERENCES meetings(id),
    n INTEGER NOT NULL,
    hash TEXT NOT NULL,
    state TEXT NOT NULL
);
"#;

const V8_SNAPSHOT_DIGEST: &str = r#"
-- The SHA-256 of a snapshot's state with the entry it names: a snapshot changed behind
-- yishi's back (its state or its entry) no longer fits it and is not used.
ALTER TABLE snapshots ADD COLUMN digest TEXT;
"#;

/// The version that gave meetings their `uid`: files older than it get the column filled in.
pub const SITE_SINCE: i64 = 6;

pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(V1),
        M::up(V2),
        M::up(V3_ATTENDANCE),
        M::up(V4_SPEECH_NOTES),
        M::up(V5_PROPOSALS),
        M::up(V6_SITE),
        M::up(V7_SNAPSHOTS),
        M::up(V8_SNAPSHOT_DIGEST),
    ])
}

/// The newest schema version this build knows.
pub const LATEST: i64 = 8;

/// The tables rebuilt from the log, with the columns that name a row.
pub const READABLE: &[(&str, &[&str])] = &[
    ("meetings", &["id"]),
    ("participants", &["meeting_id", "id"]),
    ("attendance", &["meeting_id", "participant_id"]),
    ("items", &["meeting_id", "id"]),
    ("speeches", &["meeting_id", "id"]),
    ("votes", &["meeting_id", "id"]),
    ("resolutions", &["meeting_id", "item_id"]),
    ("dissent", &["meeting_id", "item_id", "n"]),
    ("actions", &["meeting_id", "id"]),
    ("action_notes", &["meeting_id", "action_id", "n"]),
];

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
        assert_eq!(super::LATEST as usize, 8);
    }
}
