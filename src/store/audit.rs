//! `yishi verify`: the hash chain walked end to end, then every readable table rebuilt from the
//! log in a scratch database and compared with the file, row by row and field by field. What
//! somebody changed with an SQLite tool shows either as a broken chain or as a difference.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::Connection;
use rusqlite::types::Value;

use super::log::{self, Verification};
use super::snapshot::Stored;
use super::{MeetingId, StoreError, project, schema};
use crate::domain::state::{Meeting, State};
use crate::lang::Lang;
use rusqlite::OptionalExtension;

/// One thing the file says that its log does not.
#[derive(Clone, Debug, PartialEq)]
pub enum Finding {
    /// A field holds another value than the log gives.
    Differs {
        table: &'static str,
        row: String,
        column: String,
        found: String,
        expected: String,
    },
    /// The log gives a row the table lacks.
    Missing { table: &'static str, row: String },
    /// The table has a row the log does not give.
    Extra { table: &'static str, row: String },
    /// A meeting is listed with no log entry at all.
    MeetingWithoutLog(MeetingId),
    /// Log entries name a meeting that is not listed.
    LogWithoutMeeting(MeetingId),
    /// The log of a meeting cannot be read back into a meeting.
    Unreadable(MeetingId, String),
    /// A meeting's snapshot (what a console opens from) is not the state its log gives at
    /// the entry it names.
    Snapshot(MeetingId),
}

/// What `yishi verify` found: the chain, and every difference between tables and log.
#[derive(Clone, Debug, PartialEq)]
pub struct Audit {
    pub chain: Verification,
    pub findings: Vec<Finding>,
}

impl Audit {
    pub fn is_intact(&self) -> bool {
        matches!(self.chain, Verification::Intact { .. }) && self.findings.is_empty()
    }
}

/// `known`: meetings the caller has already rebuilt from this file's log (an export has):
/// they are not read and replayed a second time.
pub(super) fn audit(
    conn: &Connection,
    known: &[(MeetingId, &Meeting)],
) -> Result<Audit, StoreError> {
    let chain = log::verify(conn)?;
    let mut findings = Vec::new();
    let listed: BTreeSet<MeetingId> = ids(conn, "SELECT id FROM meetings")?;
    let logged: BTreeSet<MeetingId> = ids(conn, "SELECT DISTINCT meeting_id FROM events")?;
    findings.extend(
        listed
            .difference(&logged)
            .map(|&m| Finding::MeetingWithoutLog(m)),
    );
    findings.extend(
        logged
            .difference(&listed)
            .map(|&m| Finding::LogWithoutMeeting(m)),
    );

    // The tables as the log gives them, in a scratch database of the same schema.
    let scratch = scratch()?;
    let snapshots = Stored::all(conn)?;
    for &id in logged.intersection(&listed) {
        // The tables the log gives, and whether the snapshot is what the log gives.
        let mut rebuilt = |meeting: &Meeting, earlier| -> Result<(), StoreError> {
            project::insert_meeting(&scratch, Some(id), meeting.state())?;
            project::all(&scratch, id, meeting.state())?;
            if let Some(snapshot) = snapshots.get(&id) {
                let at_head = (snapshot.n == meeting.log().len()).then(|| meeting.state());
                if !snapshot_holds(conn, id, snapshot, at_head, earlier)? {
                    findings.push(Finding::Snapshot(id));
                }
            }
            Ok(())
        };
        if let Some((_, meeting)) = known.iter().find(|(k, _)| *k == id) {
            rebuilt(meeting, None)?;
            continue;
        }
        let events = match log::read(conn, id, 0) {
            Ok(events) => events,
            Err(e) => {
                findings.push(Finding::Unreadable(id, e.describe(Lang::En)));
                continue;
            }
        };
        // A snapshot taken before the newest entry is checked against the log up to it.
        let earlier = snapshots
            .get(&id)
            .filter(|snapshot| snapshot.n < events.len())
            .map(|snapshot| events[..snapshot.n.max(1)].to_vec());
        let meeting = match Meeting::replay(events) {
            Ok(m) => m,
            Err(e) => {
                findings.push(Finding::Unreadable(id, e.to_string()));
                continue;
            }
        };
        rebuilt(&meeting, earlier)?;
    }
    scratch.execute_batch("COMMIT")?;
    let unreadable: BTreeSet<MeetingId> = findings
        .iter()
        .filter_map(|f| match f {
            Finding::Unreadable(id, _) => Some(*id),
            _ => None,
        })
        .collect();
    // Rows of meetings with no log, or whose log cannot be read, are reported once above.
    let skip: BTreeSet<MeetingId> = listed
        .symmetric_difference(&logged)
        .copied()
        .chain(unreadable)
        .collect();
    for (table, key) in schema::READABLE {
        compare(conn, &scratch, table, key, &skip, &mut findings)?;
    }
    Ok(Audit { chain, findings })
}

/// What an export checks of the meetings it writes, without reading their whole logs (each was
/// opened as a console opens it, from its sealed snapshot): the chain is whole from the oldest
/// entry read to its head, and no meeting read from its log has a snapshot whose seal is broken.
/// The document is written from that alone; the older entries, the readable tables and the
/// other meetings of the file are left to [`audit`] (`yishi verify`).
pub(super) fn check(
    conn: &Connection,
    meetings: &[(MeetingId, &Meeting)],
) -> Result<bool, StoreError> {
    let mut from = i64::MAX;
    for (id, meeting) in meetings {
        if meeting.elided() == 0 && Stored::of(conn, *id)?.is_some_and(|s| s.seal_broken()) {
            return Ok(false);
        }
        let first = meeting.elided().saturating_sub(1) as i64;
        let seq: Option<i64> = conn
            .query_row(
                "SELECT seq FROM events WHERE meeting_id = ?1 AND n = ?2",
                rusqlite::params![id, first],
                |r| r.get(0),
            )
            .optional()?;
        from = from.min(seq.unwrap_or(1));
    }
    let chain = log::verify_from(conn, if from == i64::MAX { 1 } else { from })?;
    Ok(matches!(chain, Verification::Intact { .. }))
}

/// An empty database of the file's schema in memory, in a transaction (the rebuilt rows are
/// written in one go).
fn scratch() -> Result<Connection, StoreError> {
    let mut scratch = Connection::open_in_memory()?;
    schema::migrations()
        .to_latest(&mut scratch)
        .map_err(|e| StoreError::BadLog(0, e.to_string()))?;
    scratch.execute_batch("PRAGMA journal_mode = OFF; BEGIN")?;
    Ok(scratch)
}

/// Whether a snapshot is what the log gives: it names an entry the chain holds, and its state
/// is the log's state there (`at_head` when it was taken at the newest entry, else replayed
/// from `earlier`, the entries up to it, read here when not given).
fn snapshot_holds(
    conn: &Connection,
    id: MeetingId,
    snapshot: &Stored,
    at_head: Option<&State>,
    earlier: Option<Vec<crate::domain::state::Event>>,
) -> Result<bool, StoreError> {
    if !snapshot.sealed() || !snapshot.in_chain(conn, id)? {
        return Ok(false);
    }
    let Ok(state) = State::from_json(&snapshot.state) else {
        return Ok(false);
    };
    if let Some(truth) = at_head {
        return Ok(*truth == state);
    }
    let events = match earlier {
        Some(events) => events,
        None => log::read_range(conn, id, 0, Some(snapshot.n))?,
    };
    Ok(Meeting::replay(events).is_ok_and(|m| *m.state() == state))
}

fn ids(conn: &Connection, sql: &str) -> Result<BTreeSet<MeetingId>, StoreError> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

type Rows = BTreeMap<Vec<String>, Vec<Value>>;

/// Every row of a table by its key, with the column names.
fn rows(
    conn: &Connection,
    table: &str,
    key: &[&str],
    skip: &BTreeSet<MeetingId>,
) -> Result<(Vec<String>, Rows), StoreError> {
    let mut stmt = conn.prepare(&select(table, key, skip))?;
    let columns: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
    let at: Vec<usize> = key
        .iter()
        .filter_map(|k| columns.iter().position(|c| c == k))
        .collect();
    let mut out = Rows::new();
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        let values: Vec<Value> = (0..columns.len())
            .map(|i| r.get::<_, Value>(i))
            .collect::<Result<_, _>>()?;
        let k = at.iter().map(|&i| show(&values[i])).collect();
        out.insert(k, values);
    }
    Ok((columns, out))
}

/// A table's rows but those of the meetings in `skip`, in the order of its key. The first key
/// column is the meeting's id.
fn select(table: &str, key: &[&str], skip: &BTreeSet<MeetingId>) -> String {
    let filter = if skip.is_empty() {
        String::new()
    } else {
        let ids: Vec<String> = skip.iter().map(|id| id.to_string()).collect();
        format!(" WHERE {} NOT IN ({})", key[0], ids.join(","))
    };
    format!("SELECT * FROM {table}{filter} ORDER BY {}", key.join(", "))
}

/// Whether a table holds the same rows in both, read side by side in key order without a
/// copy: the usual case, after which nothing needs comparing field by field.
fn same(
    file: &Connection,
    scratch: &Connection,
    table: &str,
    key: &[&str],
    skip: &BTreeSet<MeetingId>,
) -> Result<bool, StoreError> {
    let sql = select(table, key, skip);
    let mut a = file.prepare(&sql)?;
    let mut b = scratch.prepare(&sql)?;
    if a.column_names() != b.column_names() {
        return Ok(false);
    }
    let columns = a.column_count();
    let (mut ra, mut rb) = (a.query([])?, b.query([])?);
    loop {
        match (ra.next()?, rb.next()?) {
            (None, None) => return Ok(true),
            (Some(x), Some(y)) => {
                for i in 0..columns {
                    if x.get_ref(i)? != y.get_ref(i)? {
                        return Ok(false);
                    }
                }
            }
            _ => return Ok(false),
        }
    }
}

fn compare(
    file: &Connection,
    scratch: &Connection,
    table: &'static str,
    key: &[&str],
    skip: &BTreeSet<MeetingId>,
    findings: &mut Vec<Finding>,
) -> Result<(), StoreError> {
    if same(file, scratch, table, key, skip)? {
        return Ok(());
    }
    let (columns, found) = rows(file, table, key, skip)?;
    let (expected_columns, expected) = rows(scratch, table, key, skip)?;
    let name = |k: &[String]| {
        key.iter()
            .zip(k)
            .map(|(c, v)| format!("{c}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (k, values) in &expected {
        let Some(have) = found.get(k) else {
            findings.push(Finding::Missing {
                table,
                row: name(k),
            });
            continue;
        };
        for (i, column) in expected_columns.iter().enumerate() {
            let mine = columns.iter().position(|c| c == column).map(|j| &have[j]);
            if mine != Some(&values[i]) {
                findings.push(Finding::Differs {
                    table,
                    row: name(k),
                    column: column.clone(),
                    found: mine.map_or_else(|| "-".into(), show),
                    expected: show(&values[i]),
                });
            }
        }
    }
    for k in found.keys() {
        if !expected.contains_key(k) {
            findings.push(Finding::Extra {
                table,
                row: name(k),
            });
        }
    }
    Ok(())
}

fn show(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => f.to_string(),
        Value::Text(t) => t.clone(),
        Value::Blob(b) => format!("<{} bytes>", b.len()),
    }
}
