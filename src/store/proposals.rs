//! The 议题库's SQL: proposals as residents raised them and the committee's screening, both
//! append-only (see `schema::V3_PROPOSALS`).

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError, log::readable_time};
use crate::domain::model::Millis;

/// A proposal as it was raised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProposalRow {
    pub id: u32,
    pub title: String,
    pub raised_by: String,
    pub channel: String,
    pub kind: String,
    pub note: Option<String>,
    pub raised_at: Millis,
    /// Each screening decision, oldest first.
    pub history: Vec<Screening>,
}

/// One screening decision on the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Screening {
    pub at: Millis,
    /// `accepted` or `rejected`.
    pub status: String,
    pub reason: String,
}

/// What a new proposal says.
pub struct NewProposal<'a> {
    pub title: &'a str,
    pub raised_by: &'a str,
    pub channel: &'a str,
    pub kind: &'a str,
    pub note: Option<&'a str>,
}

impl Store {
    /// Files a proposal; returns its number.
    pub fn add_proposal(&mut self, p: &NewProposal, at: Millis) -> Result<u32, StoreError> {
        self.writable()?;
        self.with_write(|tx| {
            tx.execute(
                "INSERT INTO proposals (title, raised_by, channel, kind, note, raised_at, raised_at_text)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    p.title,
                    p.raised_by,
                    p.channel,
                    p.kind,
                    p.note,
                    at,
                    readable_time(at, None)
                ],
            )?;
            Ok(tx.last_insert_rowid() as u32)
        })
    }

    /// Records a screening decision. `Ok(false)` when there is no such proposal.
    pub fn screen_proposal(
        &mut self,
        id: u32,
        status: &str,
        reason: &str,
        at: Millis,
    ) -> Result<bool, StoreError> {
        self.writable()?;
        self.with_write(|tx| {
            let exists: Option<i64> = tx
                .query_row("SELECT id FROM proposals WHERE id = ?1", [id], |r| r.get(0))
                .optional()?;
            if exists.is_none() {
                return Ok(false);
            }
            let n: i64 = tx.query_row(
                "SELECT count(*) FROM proposal_history WHERE proposal_id = ?1",
                [id],
                |r| r.get(0),
            )?;
            tx.execute(
                "INSERT INTO proposal_history (proposal_id, n, at, at_text, status, reason)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, n + 1, at, readable_time(at, None), status, reason],
            )?;
            Ok(true)
        })
    }

    /// Every proposal, by number, with its screening history.
    pub fn proposals(&self) -> Result<Vec<ProposalRow>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, title, raised_by, channel, kind, note, raised_at FROM proposals ORDER BY id",
        )?;
        let mut rows: Vec<ProposalRow> = stmt
            .query_map([], |r| {
                Ok(ProposalRow {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    raised_by: r.get(2)?,
                    channel: r.get(3)?,
                    kind: r.get(4)?,
                    note: r.get(5)?,
                    raised_at: r.get(6)?,
                    history: Vec::new(),
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut stmt = self.conn.prepare(
            "SELECT proposal_id, at, status, reason FROM proposal_history ORDER BY proposal_id, n",
        )?;
        let history = stmt.query_map([], |r| {
            Ok((
                r.get::<_, u32>(0)?,
                Screening {
                    at: r.get(1)?,
                    status: r.get(2)?,
                    reason: r.get(3)?,
                },
            ))
        })?;
        for h in history {
            let (id, s) = h?;
            if let Some(p) = rows.iter_mut().find(|p| p.id == id) {
                p.history.push(s);
            }
        }
        Ok(rows)
    }
}
