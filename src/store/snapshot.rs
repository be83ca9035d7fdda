//! Snapshots of a meeting's state, so that a console opens a long meeting without reading and
//! replaying every entry of its log. A snapshot names the entry it was taken after by its
//! position and hash: it is used only while that entry is still in the chain, and everything
//! after it is read from the log as usual. The log stays the record: `yishi verify` rebuilds
//! every snapshot from it and reports one that differs. A snapshot is sealed by the SHA-256 of
//! its state with the entry it names, so one edited with an SQLite tool is not used. An export
//! reads a meeting as a console opens it, checks the chain from it to the head, and reads the
//! whole log instead when that finds anything.

use rusqlite::{OptionalExtension, params};

use super::{MeetingId, Store, StoreError, log};
use crate::domain::state::{Change, Event, Meeting, State};

/// A new snapshot once this many entries were added since the last one.
pub const SNAPSHOT_EVERY: usize = 500;

impl Store {
    /// The meeting as a console opens it: from its snapshot when one fits the chain, reading
    /// only the entries after it (the older ones are read when an undo reaches them), else
    /// from its whole log as [`Store::load`] does.
    pub fn open_meeting(&self, id: MeetingId) -> Result<Meeting, StoreError> {
        self.resolve(Some(id))?;
        match self.read_snapshot(id)? {
            Some(meeting) => Ok(meeting),
            None => self.load(id),
        }
    }

    fn read_snapshot(&self, id: MeetingId) -> Result<Option<Meeting>, StoreError> {
        let Some(stored) = Stored::of(&self.conn, id)? else {
            return Ok(None);
        };
        let n = stored.n;
        // Changed behind yishi's back (or taken before snapshots were sealed), or taken after
        // an entry the chain no longer holds (a restored copy, say): not used.
        if n < 2 || !stored.sealed() || !stored.in_chain(&self.conn, id)? {
            return Ok(None);
        }
        let Ok(state) = State::from_json(&stored.state) else {
            return Ok(None);
        };
        let mut first = log::read_range(&self.conn, id, 0, Some(1))?;
        let Some(first) = first.pop() else {
            return Ok(None);
        };
        let tail = log::read(&self.conn, id, n)?;
        Ok(Some(Meeting::resume(first, n, state, tail)))
    }

    /// Reads the content of the entries a meeting opened from a snapshot has elided: before an
    /// undo (or a look) that reaches behind the snapshot.
    pub fn hydrate(&self, id: MeetingId, meeting: &mut Meeting) -> Result<(), StoreError> {
        read_back(&self.conn, id, meeting)
    }

    /// Before folding `event` in: the elided entries it needs, read back.
    pub(super) fn hydrate_for(
        conn: &rusqlite::Connection,
        id: MeetingId,
        meeting: &mut Meeting,
        event: &Event,
    ) -> Result<(), StoreError> {
        match event.change {
            Change::Undone { target } if meeting.needs_full_log(target) => {
                read_back(conn, id, meeting)
            }
            _ => Ok(()),
        }
    }

    /// Writes a snapshot of the meeting's state when [`SNAPSHOT_EVERY`] entries were added
    /// since the last one (or `force`, and anything was added). Returns whether it wrote one.
    pub fn snapshot_if_due(
        &mut self,
        id: MeetingId,
        meeting: &Meeting,
        force: bool,
    ) -> Result<bool, StoreError> {
        if self.read_only {
            return Ok(false);
        }
        let n = meeting.log().len();
        let last: Option<i64> = self
            .conn
            .query_row("SELECT n FROM snapshots WHERE meeting_id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        let since = n.saturating_sub(last.unwrap_or(0).max(0) as usize);
        if n < 2 || since == 0 || (!force && since < SNAPSHOT_EVERY) {
            return Ok(false);
        }
        let state = serde_json::to_string(meeting.state())
            .map_err(|e| StoreError::BadLog(id, e.to_string()))?;
        let written = self.with_write(|tx| {
            let hash = log::hash_at(tx, id, n as i64 - 1)?;
            // The file must hold exactly the entries this state was folded from.
            let newer: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM events WHERE meeting_id = ?1 AND n >= ?2)",
                params![id, n as i64],
                |r| r.get(0),
            )?;
            let Some(hash) = hash.filter(|_| !newer) else {
                return Ok(false);
            };
            let sealed = digest(n as i64, &hash, &state);
            tx.prepare_cached(
                "INSERT INTO snapshots (meeting_id, n, hash, state, digest) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (meeting_id) DO UPDATE SET n = excluded.n, hash = excluded.hash,
                 state = excluded.state, digest = excluded.digest",
            )?
            .execute(params![id, n as i64, hash, state, sealed])?;
            Ok(true)
        })?;
        Ok(written)
    }
}

/// A meeting's snapshot as the file holds it: the entries it was taken after, the hash of the
/// last of them, its state (as stored) and its seal (none when taken before snapshots were
/// sealed).
pub(super) struct Stored {
    pub n: usize,
    pub hash: String,
    pub state: String,
    pub seal: Option<String>,
}

impl Stored {
    const COLUMNS: &str = "meeting_id, n, hash, state, digest";

    fn from_row(r: &rusqlite::Row) -> rusqlite::Result<(MeetingId, Stored)> {
        Ok((
            r.get(0)?,
            Stored {
                n: r.get::<_, i64>(1)?.max(0) as usize,
                hash: r.get(2)?,
                state: r.get(3)?,
                seal: r.get(4)?,
            },
        ))
    }

    pub(super) fn of(
        conn: &rusqlite::Connection,
        id: MeetingId,
    ) -> Result<Option<Stored>, StoreError> {
        let sql = format!(
            "SELECT {} FROM snapshots WHERE meeting_id = ?1",
            Stored::COLUMNS
        );
        Ok(conn
            .query_row(&sql, [id], Stored::from_row)
            .optional()?
            .map(|(_, s)| s))
    }

    /// Every meeting's snapshot.
    pub(super) fn all(
        conn: &rusqlite::Connection,
    ) -> Result<std::collections::BTreeMap<MeetingId, Stored>, StoreError> {
        let mut stmt = conn.prepare(&format!("SELECT {} FROM snapshots", Stored::COLUMNS))?;
        let rows = stmt.query_map([], Stored::from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Whether its seal fits what it holds.
    pub(super) fn sealed(&self) -> bool {
        self.seal.as_deref() == Some(digest(self.n as i64, &self.hash, &self.state).as_str())
    }

    /// Whether it was sealed and the seal no longer fits: changed behind yishi's back.
    pub(super) fn seal_broken(&self) -> bool {
        self.seal.is_some() && !self.sealed()
    }

    /// Whether the entry it was taken after is still in the chain.
    pub(super) fn in_chain(
        &self,
        conn: &rusqlite::Connection,
        id: MeetingId,
    ) -> Result<bool, StoreError> {
        let Some(last) = self.n.checked_sub(1) else {
            return Ok(false);
        };
        Ok(log::hash_at(conn, id, last as i64)?.as_deref() == Some(self.hash.as_str()))
    }
}

/// What seals a snapshot: the SHA-256 of the entry it was taken after (its position and hash)
/// and its state, as stored.
pub(super) fn digest(n: i64, hash: &str, state: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(format!("yishi snapshot\u{1f}{n}\u{1f}{hash}\u{1f}").as_bytes());
    h.update(state.as_bytes());
    log::hex(&h.finalize())
}

/// Puts back the content of the entries `meeting` has elided.
pub(super) fn read_back(
    conn: &rusqlite::Connection,
    id: MeetingId,
    meeting: &mut Meeting,
) -> Result<(), StoreError> {
    if meeting.elided() > 1 {
        let early = log::read_range(conn, id, 1, Some(meeting.elided()))?;
        meeting.hydrate(early);
    }
    Ok(())
}
