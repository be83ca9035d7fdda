//! The append-only log: each entry carries the hash of the one before it, so an entry edited,
//! removed or inserted behind the program's back breaks the chain where it happened.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::{MeetingId, StoreError};
use crate::domain::state::{Change, Console, Event, Origin};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry as stored: every column of the `events` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub seq: i64,
    pub meeting: MeetingId,
    pub n: i64,
    pub at: i64,
    pub at_text: String,
    pub origin: String,
    pub console: Option<String>,
    pub kind: String,
    pub payload: String,
}

impl Entry {
    /// The columns [`Entry::from_row`] reads, in its order.
    pub const COLUMNS: &'static str =
        "seq, meeting_id, n, at, at_text, origin, console, kind, payload";

    /// An entry from a row that starts with [`Entry::COLUMNS`].
    pub fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Entry> {
        Ok(Entry {
            seq: r.get(0)?,
            meeting: r.get(1)?,
            n: r.get(2)?,
            at: r.get(3)?,
            at_text: r.get(4)?,
            origin: r.get(5)?,
            console: r.get(6)?,
            kind: r.get(7)?,
            payload: r.get(8)?,
        })
    }

    /// The hash over every stored column and the hash before it.
    pub fn hash(&self, prev: &str) -> String {
        let mut h = Sha256::new();
        for part in [
            "v2",
            prev,
            &self.seq.to_string(),
            &self.meeting.to_string(),
            &self.n.to_string(),
            &self.at.to_string(),
            &self.at_text,
            &self.origin,
            // A missing console and an empty one must not hash alike.
            self.console.as_deref().map_or("\u{0}", |c| c),
            &self.kind,
            &self.payload,
        ] {
            h.update(part.as_bytes());
            h.update([0x1f]);
        }
        hex(&h.finalize())
    }

    /// The hash entries had before the console and the readable time were kept under it.
    fn legacy_hash(&self, prev: &str) -> String {
        hash_entry(
            prev,
            self.seq,
            self.meeting,
            self.n,
            self.at,
            &self.origin,
            &self.kind,
            &self.payload,
        )
    }

    /// A legacy entry's readable time, written in the machine's local time, must still be
    /// its `at` seen from some time zone.
    fn legacy_time_fits(&self) -> bool {
        let Ok(local) = chrono::NaiveDateTime::parse_from_str(&self.at_text, "%Y-%m-%d %H:%M:%S")
        else {
            return false;
        };
        let shift = local.and_utc().timestamp() - self.at.div_euclid(1000);
        shift.abs() <= 14 * 3600 && shift % 900 == 0
    }
}

pub(super) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// A chain head as people copy it from paper: the first 16 hex digits, in groups of four.
pub fn check_code(hash: &str) -> String {
    hash.get(..16)
        .unwrap_or(hash)
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// The hex digits of a code as typed (spaces, dashes, capitals allowed).
pub fn normalize_code(code: &str) -> Option<String> {
    let hex: String = code
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\u{2014}' | '\u{2013}' | '\u{2026}' | '.'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (hex.len() >= 16 && hex.len() <= 64 && hex.chars().all(|c| c.is_ascii_hexdigit()))
        .then_some(hex)
}

/// The hash entries were written with before schema 2, over the columns they had.
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
    hex(&h.finalize())
}

/// A moment as the readable tables show it, in the meeting's own offset from UTC (a record
/// from before the offset was kept: the machine's local time).
pub(super) fn readable_time(ms: i64, offset: Option<i32>) -> String {
    let Some(t) = chrono::DateTime::from_timestamp_millis(ms) else {
        return String::new();
    };
    let local = match offset.and_then(chrono::FixedOffset::east_opt) {
        Some(o) => t.with_timezone(&o).naive_local(),
        None => t.with_timezone(&chrono::Local).naive_local(),
    };
    // Written out directly: a `format` string is parsed again on every call, and this runs
    // for every log entry and every time in the readable rows.
    use chrono::{Datelike, Timelike};
    match local.year() {
        0..=9999 => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            local.year(),
            local.month(),
            local.day(),
            local.hour(),
            local.minute(),
            local.second()
        ),
        _ => local.format("%Y-%m-%d %H:%M:%S").to_string(),
    }
}

pub(super) fn append(
    conn: &Connection,
    meeting: MeetingId,
    n: usize,
    event: &Event,
    offset: Option<i32>,
) -> Result<(), StoreError> {
    let (prev_seq, prev): (i64, String) = conn
        .prepare_cached("SELECT seq, hash FROM chain_head WHERE id = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok((0, GENESIS.to_string())),
            e => Err(e),
        })?;
    let entry = Entry {
        seq: prev_seq + 1,
        meeting,
        n: n as i64,
        at: event.at,
        at_text: readable_time(event.at, offset),
        origin: event.origin.key().to_string(),
        console: event.console.as_ref().map(|c| c.key()),
        kind: event.change.key().to_string(),
        payload: serde_json::to_string(&event.change)
            .map_err(|e| StoreError::BadLog(meeting, e.to_string()))?,
    };
    let hash = entry.hash(&prev);
    conn.prepare_cached(
        "INSERT INTO events (seq, meeting_id, n, at, at_text, origin, console, kind, payload, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        entry.seq,
        meeting,
        entry.n,
        entry.at,
        entry.at_text,
        entry.origin,
        entry.console,
        entry.kind,
        entry.payload,
        prev,
        hash
    ])?;
    conn.prepare_cached(
        "INSERT INTO chain_head (id, seq, hash) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
    )?
    .execute(params![entry.seq, hash])?;
    Ok(())
}

/// The hash of a meeting's entry `n`, if the chain holds it.
pub(super) fn hash_at(
    conn: &Connection,
    meeting: MeetingId,
    n: i64,
) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT hash FROM events WHERE meeting_id = ?1 AND n = ?2")?
        .query_row(params![meeting, n], |r| r.get(0))
        .optional()?)
}

/// The meeting's entries from position `from` on.
pub(super) fn read(
    conn: &Connection,
    meeting: MeetingId,
    from: usize,
) -> Result<Vec<Event>, StoreError> {
    read_range(conn, meeting, from, None)
}

/// The meeting's entries from position `from` up to (not including) `to`, all of them there,
/// or from `from` on with `to` None.
pub(super) fn read_range(
    conn: &Connection,
    meeting: MeetingId,
    from: usize,
    to: Option<usize>,
) -> Result<Vec<Event>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT n, at, origin, console, payload, hash FROM events WHERE meeting_id = ?1 AND n >= ?2 AND n < ?3 ORDER BY n",
    )?;
    let upto = to.map_or(i64::MAX, |t| t as i64);
    let rows = stmt.query_map(params![meeting, from as i64, upto], stored_row)?;
    let mut out = Vec::new();
    for (expected, row) in (from as i64..).zip(rows) {
        out.push(parse_row(meeting, expected, row?)?);
    }
    if let Some(to) = to
        && out.len() != to.saturating_sub(from)
    {
        return Err(StoreError::BadLog(
            meeting,
            format!("entry {} is missing", from + out.len()),
        ));
    }
    Ok(out)
}

/// The columns of a stored entry an event is read from: n, at, origin, console, payload, hash.
pub(super) type StoredRow = (i64, i64, String, Option<String>, String, String);

pub(super) fn stored_row(r: &rusqlite::Row) -> rusqlite::Result<StoredRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

/// One stored entry as an event. A meeting opened before meetings had a global id gets one
/// derived from the hash of its first entry, the same on every read, so the old file keeps
/// its chain and needs no rewrite.
pub(super) fn parse_row(
    meeting: MeetingId,
    expected: i64,
    (n, at, origin, console, payload, hash): StoredRow,
) -> Result<Event, StoreError> {
    if n != expected {
        return Err(StoreError::BadLog(
            meeting,
            format!("entry {expected} is missing"),
        ));
    }
    let origin = Origin::parse(&origin)
        .ok_or_else(|| StoreError::BadLog(meeting, format!("unknown origin {origin}")))?;
    let mut change = serde_json::from_str(&payload)
        .map_err(|e| StoreError::BadLog(meeting, format!("entry {n}: {e}")))?;
    if n == 0
        && let Change::Opened {
            uid: uid @ None, ..
        } = &mut change
    {
        *uid = Some(super::identity::derived_uid(&hash, at));
    }
    Ok(Event {
        at,
        origin,
        console: console.as_deref().and_then(Console::parse),
        change,
    })
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
    verify_from(conn, 1)
}

/// Walks the chain from entry `seq` (taking the hash it names before it as given) to the head:
/// what an export checks of the entries it reads.
pub(super) fn verify_from(conn: &Connection, seq: i64) -> Result<Verification, StoreError> {
    let seq = seq.max(1);
    let start: Option<String> = if seq == 1 {
        Some(GENESIS.to_string())
    } else {
        conn.query_row("SELECT prev_hash FROM events WHERE seq = ?1", [seq], |r| {
            r.get(0)
        })
        .optional()?
    };
    let Some(mut prev) = start else {
        return Ok(Verification::Broken {
            seq,
            meeting: None,
            problem: Problem::Missing,
        });
    };
    let legacy_upto: i64 = conn
        .query_row("SELECT legacy_upto FROM chain_head WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or(0);
    let mut stmt = conn.prepare(&format!(
        "SELECT {}, prev_hash, hash FROM events WHERE seq >= ?1 ORDER BY seq",
        Entry::COLUMNS
    ))?;
    let mut rows = stmt.query([seq])?;
    let mut expected_seq = seq;
    let mut count = seq - 1;
    while let Some(r) = rows.next()? {
        let entry = Entry::from_row(r)?;
        let (prev_hash, hash): (String, String) = (r.get(9)?, r.get(10)?);
        let broken = |problem| {
            Ok(Verification::Broken {
                seq: entry.seq,
                meeting: Some(entry.meeting),
                problem,
            })
        };
        if entry.seq != expected_seq || prev_hash != prev {
            return broken(Problem::Missing);
        }
        let fits = if entry.seq <= legacy_upto {
            entry.console.is_none() && entry.legacy_time_fits() && entry.legacy_hash(&prev) == hash
        } else {
            entry.hash(&prev) == hash
        };
        if !fits {
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
        .optional()?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_written_in_lower_case_hex_two_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
        let digest = Sha256::digest(b"abc");
        assert_eq!(
            hex(&digest),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_readable_time_is_written_as_the_format_string_writes_it() {
        let written = |ms: i64, offset: i32| {
            let o = chrono::FixedOffset::east_opt(offset).unwrap();
            chrono::DateTime::from_timestamp_millis(ms)
                .unwrap()
                .with_timezone(&o)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        };
        assert_eq!(
            readable_time(1_795_000_000_999, Some(8 * 3600)),
            "2026-11-18 19:06:40"
        );
        for ms in [
            0,
            1,
            951_782_399_999,
            1_795_000_000_000,
            4_102_444_799_000,
            -86_400_000,
        ] {
            for offset in [8 * 3600, 0, -5 * 3600 - 1800, 14 * 3600] {
                assert_eq!(
                    readable_time(ms, Some(offset)),
                    written(ms, offset),
                    "{ms} {offset}"
                );
            }
        }
        assert_eq!(
            readable_time(i64::MAX, Some(0)),
            "",
            "out of range: nothing"
        );
    }
}
