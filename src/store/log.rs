//! The append-only log: each entry carries the hash of the one before it, so an entry edited,
//! removed or inserted behind the program's back breaks the chain where it happened.

use rusqlite::{Connection, params};
use sha2::{Digest, Sha256};

use super::{MeetingId, StoreError};
use crate::domain::state::{Event, Origin};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of one entry, over every column that says what happened.
#[allow(clippy::too_many_arguments)]
pub fn hash_entry(
    prev: &str,
    seq: i64,
    meeting: MeetingId,
    n: i64,
    at: i64,
    origin: &str,
    kind: &str,
    payload: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &seq.to_string(),
        &meeting.to_string(),
        &n.to_string(),
        &at.to_string(),
        origin,
        kind,
        payload,
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

pub(super) fn readable_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default()
}

pub(super) fn append(
    conn: &Connection,
    meeting: MeetingId,
    n: usize,
    event: &Event,
) -> Result<(), StoreError> {
    let (prev_seq, prev): (i64, String) = conn
        .query_row("SELECT seq, hash FROM chain_head WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok((0, GENESIS.to_string())),
            e => Err(e),
        })?;
    let seq = prev_seq + 1;
    let payload = serde_json::to_string(&event.change)
        .map_err(|e| StoreError::BadLog(meeting, e.to_string()))?;
    let (origin, kind) = (event.origin.key(), event.change.key());
    let hash = hash_entry(
        &prev, seq, meeting, n as i64, event.at, origin, kind, &payload,
    );
    conn.execute(
        "INSERT INTO events (seq, meeting_id, n, at, at_text, origin, kind, payload, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![seq, meeting, n as i64, event.at, readable_time(event.at), origin, kind, payload, prev, hash],
    )?;
    conn.execute(
        "INSERT INTO chain_head (id, seq, hash) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
        params![seq, hash],
    )?;
    Ok(())
}

/// The meeting's entries from position `from` on.
pub(super) fn read(
    conn: &Connection,
    meeting: MeetingId,
    from: usize,
) -> Result<Vec<Event>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT n, at, origin, payload FROM events WHERE meeting_id = ?1 AND n >= ?2 ORDER BY n",
    )?;
    let rows = stmt.query_map(params![meeting, from as i64], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for (expected, row) in (from as i64..).zip(rows) {
        let (n, at, origin, payload) = row?;
        if n != expected {
            return Err(StoreError::BadLog(
                meeting,
                format!("entry {expected} is missing"),
            ));
        }
        let origin = Origin::parse(&origin)
            .ok_or_else(|| StoreError::BadLog(meeting, format!("unknown origin {origin}")))?;
        let change = serde_json::from_str(&payload)
            .map_err(|e| StoreError::BadLog(meeting, format!("entry {n}: {e}")))?;
        out.push(Event { at, origin, change });
    }
    Ok(out)
}

/// What `yishi verify` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verification {
    /// Every entry is as it was written.
    Intact { entries: i64, head: String },
    /// The first entry that does not fit, and why.
    Broken {
        seq: i64,
        meeting: Option<MeetingId>,
        problem: Problem,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Its contents were changed.
    Edited,
    /// One or more entries before it are gone.
    Missing,
    /// The newest entries are gone (the chain ends before its recorded head).
    Truncated,
}

pub(super) fn verify(conn: &Connection) -> Result<Verification, StoreError> {
    let mut stmt = conn.prepare("SELECT seq, meeting_id, n, at, origin, kind, payload, prev_hash, hash FROM events ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1;
    let mut count = 0;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let meeting: i64 = r.get(1)?;
        let broken = |problem| {
            Ok(Verification::Broken {
                seq,
                meeting: Some(meeting),
                problem,
            })
        };
        if seq != expected_seq {
            return broken(Problem::Missing);
        }
        let (n, at): (i64, i64) = (r.get(2)?, r.get(3)?);
        let (origin, kind, payload): (String, String, String) = (r.get(4)?, r.get(5)?, r.get(6)?);
        let (prev_hash, hash): (String, String) = (r.get(7)?, r.get(8)?);
        if prev_hash != prev {
            return broken(Problem::Missing);
        }
        if hash_entry(&prev, seq, meeting, n, at, &origin, &kind, &payload) != hash {
            return broken(Problem::Edited);
        }
        prev = hash;
        expected_seq += 1;
        count += 1;
    }
    let head: Option<(i64, String)> = conn
        .query_row("SELECT seq, hash FROM chain_head WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?;
    match head {
        Some((seq, hash)) if seq != count || hash != prev => Ok(Verification::Broken {
            seq: count + 1,
            meeting: None,
            problem: Problem::Truncated,
        }),
        None if count > 0 => Ok(Verification::Broken {
            seq: count,
            meeting: None,
            problem: Problem::Truncated,
        }),
        _ => Ok(Verification::Intact {
            entries: count,
            head: prev,
        }),
    }
}
