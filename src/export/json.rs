//! The whole meeting as JSON: a stable contract for other tools (schema/meeting.schema.json).
//! Field names are written out here rather than derived, so renaming a Rust field can never
//! change the contract.

use serde_json::{Value, json};

use super::minutes::{Minutes, local};

fn time(ms: Option<i64>) -> Value {
    ms.and_then(local)
        .map_or(Value::Null, |t| Value::String(t.to_rfc3339()))
}

/// One meeting as a JSON object.
pub fn meeting(m: &Minutes) -> Value {
    let items: Vec<Value> = m
        .items
        .iter()
        .map(|item| {
            json!({
                "number": item.number,
                "title": item.title,
                "proposer": item.proposer,
                "description": item.description,
                "status": item.status,
                "outcome": item.outcome,
                "added_in_room": item.added_in_room,
                "minutes": item.minutes,
                "resolution": item.resolution,
                "dissent": item.dissent.iter().map(|d| json!({"name": d.name, "text": d.text})).collect::<Vec<_>>(),
                "speeches": item.speeches.iter().map(|s| json!({
                    "name": s.name, "role": s.role, "seconds": s.seconds, "note": s.note,
                })).collect::<Vec<_>>(),
                "votes": item.votes.iter().map(|v| {
                    let mut o = json!({
                        "question": v.question,
                        "rule": v.rule,
                        "method": v.method,
                        "yes": v.yes,
                        "no": v.no,
                        "abstain": v.abstain,
                        "present": v.present,
                        "eligible": v.eligible,
                        "base": v.base,
                        "base_count": v.base_count,
                        "passed": v.passed,
                        "superseded": v.superseded,
                        "reason": v.reason,
                        "tellers": v.tellers,
                        "named": v.named,
                    });
                    if !v.options.is_empty() {
                        o["options"] = v.options.iter().map(|c| json!({"name": c.label, "count": c.count})).collect();
                    }
                    o
                }).collect::<Vec<_>>(),
                "actions": item.actions.iter().map(|a| json!({
                    "what": a.what, "owner": a.owner, "due": a.due, "status": a.status,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "meeting": {
            "id": m.id,
            "uid": m.uid,
            "site": m.site.as_ref().map(|s| json!({"code": s.code, "name": s.name, "district": s.district})),
            "title": m.title,
            "kind": m.kind,
            "starts": m.starts,
            "started_at": time(m.started_at),
            "ended_at": time(m.ended_at),
            "place": m.place,
            "host": m.host,
            "recorder": m.recorder,
            "eligible": m.eligible,
            "present": m.present,
            "attending": m.attending,
        },
        "attendance": m.attendance.iter().map(|a| json!({
            "name": a.name, "role": a.role, "status": a.status, "voter": a.voter,
            "holder": a.holder, "reason": a.reason,
        })).collect::<Vec<_>>(),
        "items": items,
        "participation": {
            "speakers": m.participation.speakers,
            "speeches": m.participation.speeches,
            "seconds_by_group": m.participation.by_group.iter().map(|g| (g.group.clone(), Value::from(g.seconds))).collect::<serde_json::Map<_, _>>(),
        },
    })
}

/// One meeting as an object, several (or any number when `array`) as an array;
/// pretty-printed with a final newline.
pub fn render(meetings: &[Minutes], array: bool) -> String {
    let value = match meetings {
        [one] if !array => meeting(one),
        many => Value::Array(many.iter().map(meeting).collect()),
    };
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_else(|_| "null".into());
    s.push('\n');
    s
}
