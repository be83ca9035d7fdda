//! The 议题库: topics residents raise (议题由群众提出), the committee's screening of them, and
//! what became of each afterwards, read from the record of the meetings whose agenda items
//! name it (`proposal = N`) rather than stored a second time: scheduled → discussed →
//! decided (or undecided, or deferred: back on the list) → action → evaluated.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

use crate::domain::model::{Millis, keyed_enum};
use crate::domain::state::{ItemStatus, State};
use crate::lang::Lang;
use crate::store::{MeetingId, ProposalRow};

keyed_enum! {
    /// Where a proposal stands.
    Status {
        Raised = "raised", "待筛选", "raised";
        Accepted = "accepted", "已受理", "accepted";
        Rejected = "rejected", "不予受理", "rejected";
        Scheduled = "scheduled", "已列入议程", "scheduled";
        Discussed = "discussed", "协商中", "under discussion";
        Decided = "decided", "已决", "decided";
        Undecided = "undecided", "议而未决", "undecided";
        Deferred = "deferred", "延期", "deferred";
        Action = "action", "领办落实中", "being carried out";
        Evaluated = "evaluated", "已评议", "evaluated";
    }
}

impl Status {
    /// May be put on a new agenda: accepted, or back on the list from a meeting.
    pub fn can_be_scheduled(self) -> bool {
        matches!(
            self,
            Status::Accepted | Status::Deferred | Status::Undecided
        )
    }
}

/// The channels residents raise topics through.
pub const CHANNELS: &[&str] = &["接待走访", "议事厅", "信箱", "线上", "其他"];

/// One change of status, with where it comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    pub status: Status,
    /// The meeting that changed it; `None` for raising and screening.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting: Option<MeetingId>,
    /// When, for raising and screening (a meeting's own record dates its steps).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Millis>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A proposal with its whole history.
#[derive(Clone, Debug, Serialize)]
pub struct Proposal {
    pub id: u32,
    pub title: String,
    pub raised_by: String,
    pub channel: String,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub raised_at: Millis,
    pub status: Status,
    pub history: Vec<Step>,
}

/// Every status the proposal went through, oldest first: raising, screening, then each
/// meeting (by number) whose items name it.
pub fn history(p: &ProposalRow, meetings: &[(MeetingId, State)]) -> Vec<Step> {
    let mut steps = vec![Step {
        status: Status::Raised,
        meeting: None,
        at: Some(p.raised_at),
        reason: None,
    }];
    for s in &p.history {
        let status = if s.status == "rejected" {
            Status::Rejected
        } else {
            Status::Accepted
        };
        steps.push(Step {
            status,
            meeting: None,
            at: Some(s.at),
            reason: Some(s.reason.clone()),
        });
    }
    let mut push = |status: Status, meeting: MeetingId| {
        if steps.last().is_none_or(|l| l.status != status) {
            steps.push(Step {
                status,
                meeting: Some(meeting),
                at: None,
                reason: None,
            });
        }
    };
    for (id, s) in meetings {
        let evaluation = s.meeting.kind == crate::domain::model::MeetingKind::Evaluation;
        for item in s.items.iter().filter(|i| i.spec.proposal == Some(p.id)) {
            if evaluation && item.spec.reviews.is_some() {
                // A review of what was done: evaluated once its vote is taken.
                if s.vote_of(item.id).is_some() {
                    push(Status::Evaluated, *id);
                }
                continue;
            }
            push(Status::Scheduled, *id);
            let ended = s.ended_at.is_some();
            match item.status {
                ItemStatus::Deferred => push(Status::Deferred, *id),
                ItemStatus::Pending if ended => push(Status::Deferred, *id),
                ItemStatus::Pending => {}
                ItemStatus::Current | ItemStatus::Discussed => {
                    if s.is_decided(item) {
                        push(Status::Decided, *id);
                        if s.actions.iter().any(|a| a.item == item.id) {
                            push(Status::Action, *id);
                        }
                    } else if ended {
                        push(Status::Undecided, *id);
                    } else {
                        push(Status::Discussed, *id);
                    }
                }
            }
        }
    }
    steps
}

/// Every proposal with its derived status.
pub fn all(rows: &[ProposalRow], meetings: &[(MeetingId, State)]) -> Vec<Proposal> {
    rows.iter()
        .map(|p| {
            let history = history(p, meetings);
            Proposal {
                id: p.id,
                title: p.title.clone(),
                raised_by: p.raised_by.clone(),
                channel: p.channel.clone(),
                kind: p.kind.clone(),
                note: p.note.clone(),
                raised_at: p.raised_at,
                status: history.last().map_or(Status::Raised, |s| s.status),
                history,
            }
        })
        .collect()
}

fn date_of(ms: Millis) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d")
                .to_string()
        })
        .unwrap_or_default()
}

/// The text of `yishi proposals list`.
pub fn render(list: &[Proposal], lang: Lang) -> String {
    let mut out = String::new();
    if list.is_empty() {
        out.push_str(lang.pick("议题库中没有符合条件的议题。\n", "No proposals match.\n"));
        return out;
    }
    let back = list
        .iter()
        .filter(|p| matches!(p.status, Status::Deferred | Status::Undecided))
        .count();
    let _ = match lang {
        Lang::Zh => writeln!(
            out,
            "议题 {} 项，其中延期或议而未决、待再次上会的 {back} 项",
            list.len()
        ),
        Lang::En => writeln!(
            out,
            "{} proposals, {back} of them deferred or undecided and waiting for another meeting",
            list.len()
        ),
    };
    for p in list {
        let _ = match lang {
            Lang::Zh => writeln!(
                out,
                "\n  #{}  {}  [{}]\n        提出人：{}（{}）· {}",
                p.id,
                p.title,
                p.status.label(lang),
                p.raised_by,
                p.channel,
                date_of(p.raised_at)
            ),
            Lang::En => writeln!(
                out,
                "\n  #{}  {}  [{}]\n        raised by {} ({}) · {}",
                p.id,
                p.title,
                p.status.label(lang),
                p.raised_by,
                p.channel,
                date_of(p.raised_at)
            ),
        };
        if let Some(note) = &p.note {
            let _ = writeln!(out, "        {note}");
        }
        for step in p.history.iter().skip(1) {
            let when = match (step.meeting, step.at) {
                (Some(m), _) => format!("{} #{m}", lang.pick("会议", "meeting")),
                (None, Some(at)) => date_of(at),
                (None, None) => String::new(),
            };
            let reason = step
                .reason
                .as_deref()
                .map(|r| match lang {
                    Lang::Zh => format!("：{r}"),
                    Lang::En => format!(": {r}"),
                })
                .unwrap_or_default();
            let _ = writeln!(out, "        {when} {}{reason}", step.status.label(lang));
        }
    }
    out
}
