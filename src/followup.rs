//! Follow-up across meetings: every action item with its owner, due date, status and notes,
//! overdue first, so 决而不行 (decided, never acted on) shows; and an evaluation meeting
//! (评议会) prepared from them, so 行而不果 (acted on, never checked) does not happen.

use std::fmt::Write;

use chrono::NaiveDate;

use crate::domain::model::{
    ItemKind, ItemSpec, MeetingKind, MeetingSpec, Participant, Setup, VoteSpec,
};
use crate::domain::quorum::Quorum;
use crate::domain::state::{ActionItem, ActionStatus, ItemStatus, State};
use crate::domain::tally::Rule;
use crate::lang::Lang;
use crate::store::MeetingId;

/// One action item and where it comes from.
#[derive(Clone, Debug)]
pub struct Row<'a> {
    pub meeting: MeetingId,
    pub meeting_title: &'a str,
    pub item_title: &'a str,
    /// The 议题库 proposal the item took up, if any.
    pub proposal: Option<u32>,
    pub action: &'a ActionItem,
    /// What an evaluation meeting said of it (评议结果), the latest.
    pub verdict: Option<Verdict>,
}

impl Row<'_> {
    pub fn due(&self) -> Option<NaiveDate> {
        self.action.due_date()
    }

    pub fn is_open(&self) -> bool {
        self.action.is_open()
    }

    pub fn overdue(&self, today: NaiveDate) -> Option<i64> {
        self.action.overdue_days(today)
    }

    /// Done, and by its due date (or with none set).
    pub fn done_on_time(&self) -> bool {
        if self.action.status != ActionStatus::Done {
            return false;
        }
        let done = self
            .action
            .notes
            .iter()
            .rev()
            .find(|n| n.status == ActionStatus::Done)
            .map(|n| n.at);
        match (
            self.due(),
            done.and_then(chrono::DateTime::from_timestamp_millis),
        ) {
            (Some(due), Some(at)) => at.with_timezone(&chrono::Local).date_naive() <= due,
            _ => true,
        }
    }
}

/// Every action of these meetings, overdue first (most overdue first), then open by due date,
/// then done and dropped.
/// The states may be owned or borrowed (a console holds its own meeting and borrows it).
pub fn rows<'a, S: std::borrow::Borrow<State>>(
    meetings: &'a [(MeetingId, S)],
    today: NaiveDate,
) -> Vec<Row<'a>> {
    let verdicts = verdicts(meetings);
    let mut rows: Vec<Row> = meetings
        .iter()
        .flat_map(|(id, s)| {
            let s: &State = s.borrow();
            let verdicts = &verdicts;
            s.actions.iter().map(move |a| Row {
                meeting: *id,
                meeting_title: &s.meeting.title,
                item_title: s.item(a.item).map_or("", |i| i.spec.title.as_str()),
                proposal: s.item(a.item).and_then(|i| i.spec.proposal),
                action: a,
                verdict: verdicts.get(&format!("{id}-{}", a.id)).cloned(),
            })
        })
        .collect();
    rows.sort_by_key(|r| {
        let group = if r.overdue(today).is_some() {
            0
        } else if r.is_open() {
            1
        } else if r.action.status == ActionStatus::Done {
            2
        } else {
            3
        };
        (
            group,
            r.due().unwrap_or(NaiveDate::MAX),
            r.meeting,
            r.action.id,
        )
    });
    rows
}

/// Which action items `yishi actions` lists.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub status: Option<ActionStatus>,
    /// Part of the owner's name.
    pub owner: Option<String>,
    pub meeting: Option<MeetingId>,
    /// Due on or after this day.
    pub from: Option<NaiveDate>,
    /// Due on or before this day.
    pub to: Option<NaiveDate>,
    pub overdue: bool,
}

impl Filter {
    pub fn keeps(&self, r: &Row, today: NaiveDate) -> bool {
        let due = r.due();
        self.status.is_none_or(|s| r.action.status == s)
            && self
                .owner
                .as_deref()
                .is_none_or(|o| r.action.owner.contains(o.trim()))
            && self.meeting.is_none_or(|m| r.meeting == m)
            && self.from.is_none_or(|f| due.is_some_and(|d| d >= f))
            && self.to.is_none_or(|t| due.is_some_and(|d| d <= t))
            && (!self.overdue || r.overdue(today).is_some())
    }

    /// Asked for done or dropped items by name: they are listed without `--all`.
    pub fn asks_for_closed(&self) -> bool {
        self.status
            .is_some_and(|s| matches!(s, ActionStatus::Done | ActionStatus::Dropped))
    }
}

/// The rows as JSON, for a spreadsheet or a report: plain values, dates as `YYYY-MM-DD`.
pub fn json(rows: &[Row], today: NaiveDate) -> serde_json::Value {
    serde_json::Value::Array(
        rows.iter()
            .map(|r| {
                let a = r.action;
                serde_json::json!({
                    "meeting": r.meeting,
                    "meeting_title": r.meeting_title,
                    "item": r.item_title,
                    "proposal": r.proposal,
                    "id": format!("{}-{}", r.meeting, a.id),
                    "what": a.what,
                    "owner": a.owner,
                    "due": a.due,
                    "status": a.status.key(),
                    "overdue_days": r.overdue(today),
                    "done_on_time": r.done_on_time(),
                    "evaluation": r.verdict.as_ref().map(|v| serde_json::json!({
                        "meeting": v.meeting,
                        "answer": v.answer,
                    })),
                    "notes": a.notes.iter().map(|n| serde_json::json!({
                        "date": date_of(n.at),
                        "status": n.status.key(),
                        "text": n.text,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

fn date_of(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d")
                .to_string()
        })
        .unwrap_or_default()
}

/// The text of `yishi actions`.
pub fn render(rows: &[Row], today: NaiveDate, include_closed: bool, lang: Lang) -> String {
    let mut out = String::new();
    let zh = lang == Lang::Zh;
    let total = rows.len();
    let done = rows
        .iter()
        .filter(|r| r.action.status == ActionStatus::Done)
        .count();
    let on_time = rows.iter().filter(|r| r.done_on_time()).count();
    let open = rows.iter().filter(|r| r.is_open()).count();
    let overdue = rows.iter().filter(|r| r.overdue(today).is_some()).count();
    let _ = if zh {
        writeln!(
            out,
            "待办事项共 {total} 项：已完成 {done} 项（按时 {on_time} 项），未完成 {open} 项，其中逾期 {overdue} 项"
        )
    } else {
        writeln!(
            out,
            "{total} action items: {done} done ({on_time} on time), {open} not done, {overdue} of them overdue"
        )
    };
    let mut section = "";
    for r in rows {
        let title = if r.overdue(today).is_some() {
            lang.pick("逾期", "Overdue")
        } else if r.is_open() {
            lang.pick("未完成", "Open")
        } else if !include_closed {
            continue;
        } else if r.action.status == ActionStatus::Done {
            lang.pick("已完成", "Done")
        } else {
            lang.pick("已撤销", "Dropped")
        };
        if title != section {
            section = title;
            let _ = writeln!(out, "\n{title}");
        }
        let a = r.action;
        let due = match (a.due.as_deref(), r.overdue(today)) {
            (Some(d), Some(days)) if zh => format!("时限 {d}（逾期 {days} 天）"),
            (Some(d), Some(days)) => format!("due {d} ({days} days overdue)"),
            (Some(d), None) if zh => format!("时限 {d}"),
            (Some(d), None) => format!("due {d}"),
            (None, _) => lang.pick("未定时限", "no due date").to_string(),
        };
        let _ = if zh {
            writeln!(
                out,
                "  {}-{}  {}  领办人：{}  {due}  [{}]",
                r.meeting,
                a.id,
                a.what,
                a.owner,
                a.status.label(lang)
            )
        } else {
            writeln!(
                out,
                "  {}-{}  {}  owner: {}  {due}  [{}]",
                r.meeting,
                a.id,
                a.what,
                a.owner,
                a.status.label(lang)
            )
        };
        let _ = writeln!(
            out,
            "        {} #{} {} · {}",
            lang.pick("会议", "meeting"),
            r.meeting,
            r.meeting_title,
            r.item_title
        );
        if let Some(v) = &r.verdict {
            let answer = v
                .answer
                .as_deref()
                .unwrap_or(lang.pick("意见不一", "no clear answer"));
            let _ = match lang {
                Lang::Zh => writeln!(out, "        评议（会议 #{}）：{answer}", v.meeting),
                Lang::En => writeln!(out, "        evaluated at meeting #{}: {answer}", v.meeting),
            };
        }
        for note in &a.notes {
            let text = if note.text.is_empty() {
                String::new()
            } else {
                format!(" {}", note.text)
            };
            let _ = writeln!(
                out,
                "        {} [{}]{text}",
                date_of(note.at),
                note.status.label(lang)
            );
        }
    }
    out
}

/// The answers of an evaluation vote, best first (满意 / 基本满意 / 不满意).
pub const SATISFACTION: &[(&str, &str)] = &[
    ("满意", "Satisfied"),
    ("基本满意", "Mostly satisfied"),
    ("不满意", "Not satisfied"),
];

/// What the residents said of an action at an evaluation meeting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub meeting: MeetingId,
    /// The winning answer as the vote wrote it; `None` on a tie.
    pub answer: Option<String>,
}

/// The latest evaluation vote on each action (`MEETING-ACTION`).
pub fn verdicts<S: std::borrow::Borrow<State>>(
    meetings: &[(MeetingId, S)],
) -> std::collections::BTreeMap<String, Verdict> {
    let mut out = std::collections::BTreeMap::new();
    for (id, s) in meetings {
        let s: &State = s.borrow();
        for item in &s.items {
            let (Some(key), Some(vote)) = (&item.spec.reviews, s.vote_of(item.id)) else {
                continue;
            };
            let answer = vote
                .outcome
                .winner
                .and_then(|w| vote.options.get(w).cloned())
                .or_else(|| {
                    vote.options.is_empty().then(|| {
                        let (zh, en) = if vote.outcome.passed {
                            SATISFACTION[0]
                        } else {
                            SATISFACTION[2]
                        };
                        s.meeting.lang().pick(zh, en).to_string()
                    })
                });
            out.insert(
                key.clone(),
                Verdict {
                    meeting: *id,
                    answer,
                },
            );
        }
    }
    out
}

/// Items deferred or discussed but left undecided in a closed meeting, and not taken up again
/// in a later one (by their proposal number, or else by their title).
fn carried_items(meetings: &[(MeetingId, State)]) -> Vec<(MeetingId, &crate::domain::state::Item)> {
    let mut out = Vec::new();
    for (id, s) in meetings {
        if s.ended_at.is_none() || s.meeting.kind == MeetingKind::Evaluation {
            continue;
        }
        for item in &s.items {
            let left = item.status == ItemStatus::Deferred
                || (matches!(item.status, ItemStatus::Discussed | ItemStatus::Current)
                    && !s.is_decided(item));
            if !left {
                continue;
            }
            let again = meetings.iter().any(|(later, t)| {
                later > id
                    && t.items.iter().any(|i| match item.spec.proposal {
                        Some(p) => i.spec.proposal == Some(p),
                        None => i.spec.title == item.spec.title,
                    })
            });
            if !again {
                out.push((*id, item));
            }
        }
    }
    out
}

/// An evaluation meeting's agenda (评议会): one item per action still open or finished since
/// `since`, each with a satisfaction vote, for the residents to review what was done.
pub fn evaluation(
    rows: &[Row],
    meetings: &[(MeetingId, State)],
    since: NaiveDate,
    lang: Lang,
) -> Option<Setup> {
    let chosen: Vec<&Row> = rows
        .iter()
        .filter(|r| {
            r.is_open()
                || (r.action.status == ActionStatus::Done
                    && r.action.notes.last().is_some_and(|n| {
                        chrono::DateTime::from_timestamp_millis(n.at)
                            .is_some_and(|t| t.with_timezone(&chrono::Local).date_naive() >= since)
                    }))
        })
        .collect();
    let carried = carried_items(meetings);
    if chosen.is_empty() && carried.is_empty() {
        return None;
    }
    // The people of the newest meeting the actions or items come from, each once.
    let newest = chosen
        .iter()
        .map(|r| r.meeting)
        .chain(carried.iter().map(|(m, _)| *m))
        .max()?;
    let (_, source) = meetings.iter().find(|(id, _)| *id == newest)?;
    let mut participants: Vec<Participant> = Vec::new();
    for p in &source.participants {
        if !participants.iter().any(|q| q.name == p.name) {
            let mut p = p.clone();
            p.id = participants.len() as u32 + 1;
            p.walk_in = false;
            participants.push(p);
        }
    }
    let mut items: Vec<ItemSpec> = chosen
        .iter()
        .map(|r| {
            let a = r.action;
            let status = a.status.label(lang);
            let notes: Vec<String> = a
                .notes
                .iter()
                .filter(|n| !n.text.is_empty())
                .map(|n| format!("{} {}", date_of(n.at), n.text))
                .collect();
            let description = match lang {
                Lang::Zh => format!(
                    "来自会议 #{}「{}」议题「{}」；领办人 {}；时限 {}；现状：{}{}",
                    r.meeting,
                    r.meeting_title,
                    r.item_title,
                    a.owner,
                    a.due.as_deref().unwrap_or("未定"),
                    status,
                    if notes.is_empty() {
                        String::new()
                    } else {
                        format!("；进展：{}", notes.join(";"))
                    }
                ),
                Lang::En => format!(
                    "From meeting #{} \"{}\", item \"{}\"; owner {}; due {}; now {}{}",
                    r.meeting,
                    r.meeting_title,
                    r.item_title,
                    a.owner,
                    a.due.as_deref().unwrap_or("not set"),
                    status,
                    if notes.is_empty() {
                        String::new()
                    } else {
                        format!("; progress: {}", notes.join("; "))
                    }
                ),
            };
            ItemSpec {
                proposal: r.proposal,
                reviews: Some(format!("{}-{}", r.meeting, a.id)),
                title: match lang {
                    Lang::Zh => format!("评议：{}（{}领办）", a.what, a.owner),
                    Lang::En => format!("Review: {} (taken by {})", a.what, a.owner),
                },
                kind: ItemKind::PublicAffairs,
                proposer: Some(r.meeting_title.to_string()),
                planned_secs: 600,
                description: Some(description),
                vote: Some(VoteSpec {
                    question: lang
                        .pick(
                            "对该事项的落实情况是否满意？",
                            "Are you satisfied with how this was carried out?",
                        )
                        .into(),
                    rule: Rule::Plurality,
                    options: SATISFACTION
                        .iter()
                        .map(|(zh, en)| lang.pick(zh, en).to_string())
                        .collect(),
                    quorum: None,
                }),
            }
        })
        .collect();
    // 议而不决 made visible: what was deferred or left undecided comes back to the residents.
    for (id, item) in carried {
        let Some((_, s)) = meetings.iter().find(|(m, _)| *m == id) else {
            continue;
        };
        let why = if item.status == ItemStatus::Deferred {
            lang.pick("延期", "deferred")
        } else {
            lang.pick("议而未决", "left undecided")
        };
        items.push(ItemSpec {
            title: match lang {
                Lang::Zh => format!("再议：{}", item.spec.title),
                Lang::En => format!("Back on the table: {}", item.spec.title),
            },
            kind: item.spec.kind,
            proposer: item.spec.proposer.clone(),
            planned_secs: 600,
            description: Some(match lang {
                Lang::Zh => format!("会议 #{id}「{}」上{why}", s.meeting.title),
                Lang::En => format!("{why} at meeting #{id} \"{}\"", s.meeting.title),
            }),
            vote: None,
            proposal: item.spec.proposal,
            reviews: None,
        });
    }
    Some(Setup {
        meeting: MeetingSpec {
            notice_posted: None,
            title: match lang {
                Lang::Zh => format!(
                    "{}成效评议会",
                    source
                        .meeting
                        .title
                        .trim_end_matches("协商议事会")
                        .trim_end_matches("议事会")
                ),
                Lang::En => format!("Review of results: {}", source.meeting.title),
            },
            kind: MeetingKind::Evaluation,
            starts: None,
            place: source.meeting.place.clone(),
            host: source.meeting.host.clone(),
            recorder: source.meeting.recorder.clone(),
            speaker_limit_secs: source.meeting.speaker_limit_secs,
            eligible: None,
            quorum: Quorum::Majority,
            objection_days: source.meeting.objection_days,
            total_area: None,
            max_proxies: None,
            issuer: source.meeting.issuer.clone(),
            contact: source.meeting.contact.clone(),
        },
        participants,
        items,
    })
}
