//! Snapshots of a meeting's state, so that a console opens a long meeting without reading and
//! replaying every entry of its log. A snapshot names the entry it was taken after by its
//! position and hash: it is used only while that entry is still in the chain, and everything
//! after it is read from the log as usual. The log stays the record: `yishi verify` rebuilds
//! every snapshot from it and reports one that differs, and exports never read them.

use rusqlite::{OptionalExtension, params};

use super::{MeetingId, Store, StoreError, log};
use crate::domain::state::{Change, Console, Event, Meeting, Origin, State};

/// A new snapshot once this many entries were added since the last one.
pub const SNAPSHOT_EVERY: usize = 500;

impl Store {
    /// The meeting as a console opens it: from its snapshot when one fits the chain, reading
    /// only the entries after it in full (the older ones by their kind, origin and console,
    /// for undo), else from its whole log as [`Store::load`] does.
    pub fn open_meeting(&self, id: MeetingId) -> Result<Meeting, StoreError> {
        self.resolve(Some(id))?;
        match self.read_snapshot(id)? {
            Some(meeting) => Ok(meeting),
            None => self.load(id),
        }
    }

    fn read_snapshot(&self, id: MeetingId) -> Result<Option<Meeting>, StoreError> {
        let Some((n, hash, state)) = self
            .conn
            .query_row(
                "SELECT n, hash, state FROM snapshots WHERE meeting_id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                },
            )
            .optional()?
        else {
            return Ok(None);
        };
        if n < 2 {
            return Ok(None);
        }
        let at_n: Option<String> = self
            .conn
            .query_row(
                "SELECT hash FROM events WHERE meeting_id = ?1 AND n = ?2",
                params![id, n - 1],
                |r| r.get(0),
            )
            .optional()?;
        // Taken after an entry the chain no longer holds (a restored copy, say): not used.
        if at_n.as_deref() != Some(hash.as_str()) {
            return Ok(None);
        }
        let Ok(state) = serde_json::from_str::<State>(&state) else {
            return Ok(None);
        };
        let mut first = log::read_range(&self.conn, id, 0, Some(1))?;
        let Some(first) = first.pop() else {
            return Ok(None);
        };
        let early = elided(&self.conn, id, n as usize)?;
        let tail = log::read(&self.conn, id, n as usize)?;
        Ok(Some(Meeting::resume(first, early, state, tail)))
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
            let hash: Option<String> = tx
                .query_row(
                    "SELECT hash FROM events WHERE meeting_id = ?1 AND n = ?2",
                    params![id, n as i64 - 1],
                    |r| r.get(0),
                )
                .optional()?;
            // The file must hold exactly the entries this state was folded from.
            let newer: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM events WHERE meeting_id = ?1 AND n >= ?2)",
                params![id, n as i64],
                |r| r.get(0),
            )?;
            let Some(hash) = hash.filter(|_| !newer) else {
                return Ok(false);
            };
            tx.prepare_cached(
                "INSERT INTO snapshots (meeting_id, n, hash, state) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (meeting_id) DO UPDATE SET n = excluded.n, hash = excluded.hash,
                 state = excluded.state",
            )?
            .execute(params![id, n as i64, hash, state])?;
            Ok(true)
        })?;
        Ok(written)
    }
}

/// Puts back the content of the entries `meeting` has elided.
fn read_back(
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

/// Entries 1 up to `upto` of a meeting, with only what undo looks at: their time, origin and
/// console, and, for an undo, its target; the rest is [`Change::Elided`].
fn elided(
    conn: &rusqlite::Connection,
    id: MeetingId,
    upto: usize,
) -> Result<Vec<Event>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT n, at, origin, console, CASE WHEN kind IN ('undone', 'opened') THEN payload END
         FROM events WHERE meeting_id = ?1 AND n >= 1 AND n < ?2 ORDER BY n",
    )?;
    let mut rows = stmt.query(params![id, upto as i64])?;
    let mut out = Vec::with_capacity(upto.saturating_sub(1));
    let mut expected = 1i64;
    while let Some(r) = rows.next()? {
        let n: i64 = r.get(0)?;
        if n != expected {
            return Err(StoreError::BadLog(
                id,
                format!("entry {expected} is missing"),
            ));
        }
        expected += 1;
        let origin: String = r.get(2)?;
        let origin = Origin::parse(&origin)
            .ok_or_else(|| StoreError::BadLog(id, format!("unknown origin {origin}")))?;
        let console: Option<String> = r.get(3)?;
        let change = match r.get::<_, Option<String>>(4)? {
            Some(payload) => serde_json::from_str(&payload)
                .map_err(|e| StoreError::BadLog(id, format!("entry {n}: {e}")))?,
            None => Change::Elided,
        };
        out.push(Event {
            at: r.get(1)?,
            origin,
            console: console.as_deref().and_then(Console::parse),
            change,
        });
    }
    if expected != upto as i64 {
        return Err(StoreError::BadLog(
            id,
            format!("entry {expected} is missing"),
        ));
    }
    Ok(out)
}
