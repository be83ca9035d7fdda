//! The meeting as an iCalendar file (RFC 5545) that calendar apps on phones open: the meeting
//! as a VEVENT, each action item as a VTODO with its due date and status, related to the
//! meeting's UID.

use chrono::{DateTime, NaiveDate, Utc};
use icalendar::{Calendar, Component, EventLike, Todo, TodoStatus};

use super::minutes::Minutes;

fn todo_status(key: &str) -> TodoStatus {
    match key {
        "done" => TodoStatus::Completed,
        "in_progress" => TodoStatus::InProcess,
        "dropped" => TodoStatus::Cancelled,
        _ => TodoStatus::NeedsAction,
    }
}

fn utc(ms: Option<i64>) -> Option<DateTime<Utc>> {
    ms.and_then(DateTime::from_timestamp_millis)
}

pub fn render(meetings: &[Minutes]) -> String {
    let mut cal = Calendar::new();
    for m in meetings {
        let meeting_uid = m.global_id();
        let mut event = icalendar::Event::new();
        event.uid(&meeting_uid).summary(&m.title);
        let start = m
            .starts
            .as_deref()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|t| t.with_timezone(&Utc))
            .or_else(|| utc(m.started_at));
        match start {
            Some(t) => {
                event.starts(t);
                if let Some(end) = utc(m.ended_at).filter(|e| *e > t) {
                    event.ends(end);
                }
            }
            None => {
                event.all_day(m.date);
            }
        }
        if let Some(place) = &m.place {
            event.location(place);
        }
        let mut description = Vec::new();
        if let Some(site) = &m.site {
            description.push(format!("{} {}", site.code, site.name));
        }
        description.extend(
            m.items
                .iter()
                .filter(|i| !i.resolution.is_empty())
                .map(|i| format!("{}. {}：{}", i.number, i.title, i.resolution)),
        );
        if !description.is_empty() {
            event.description(&description.join("\n"));
        }
        cal.push(event.done());
        for item in &m.items {
            for (k, a) in item.actions.iter().enumerate() {
                let mut todo = Todo::new();
                todo.uid(&format!("{meeting_uid}-{}-{}", item.number, k + 1))
                    .summary(&a.what)
                    .description(&format!("{}：{} · {}", a.status_label, a.owner, item.title))
                    .status(todo_status(&a.status))
                    .add_property("RELATED-TO", meeting_uid.as_str());
                if let Some(due) = a
                    .due
                    .as_deref()
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                {
                    todo.due(due);
                }
                cal.push(todo.done());
            }
        }
    }
    cal.done().to_string()
}
