//! The meeting as Popolo JSON (popoloproject.com/specs), the open data format parliaments and
//! councils publish their votes in: the meeting and each of its items as Events, participants
//! as Persons, the committee as an Organization, each question put to the vote as a Motion,
//! each tally as a VoteEvent on its Motion (a vote taken again is a second one, the first
//! kept and marked superseded) with its counts and a roll call's votes weighted by area, each
//! speech as a Speech. What Popolo has no property for (quorum, base, method, tellers, the
//! reason in words, dissent, the check code) is in a `yishi` object on the entity it belongs
//! to. Built from the minutes view only; `mask::public` masks that view for publishing.

use chrono::{DateTime, FixedOffset, Local, Offset, SecondsFormat, TimeZone, Utc};
use serde_json::{Map, Value, json};

use super::minutes::{Attendee, ItemMinutes, Minutes, VoteLine};

/// Objects without the properties whose value is unknown: Popolo leaves out what it does
/// not know rather than writing null.
fn object(pairs: Vec<(&str, Value)>) -> Value {
    Value::Object(
        pairs
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k.to_string(), v))
            .collect::<Map<_, _>>(),
    )
}

fn text(s: &str) -> Value {
    if s.trim().is_empty() {
        Value::Null
    } else {
        Value::String(s.to_string())
    }
}

/// The offset every time of a meeting is written in: the agenda's own (`+08:00`) where it
/// gives one, else the local offset when the meeting was held (UTC if the record has no time
/// at all). Never the clock's: the same record always gives the same document.
fn offset(m: &Minutes) -> FixedOffset {
    m.starts
        .as_deref()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| *t.offset())
        .or_else(|| {
            let at = m.started_at.or(m.ended_at)?;
            Local
                .timestamp_millis_opt(at)
                .single()
                .map(|t| t.offset().fix())
        })
        .unwrap_or_else(|| Utc.fix())
}

/// ISO 8601 with its offset, to the second: `2026-11-28T19:00:00+08:00`.
fn time(ms: Option<i64>, tz: FixedOffset) -> Value {
    ms.and_then(|ms| tz.timestamp_millis_opt(ms).single())
        .map_or(Value::Null, |t| {
            Value::String(t.to_rfc3339_opts(SecondsFormat::Secs, false))
        })
}

fn m2(area: Option<crate::domain::model::Area>) -> Value {
    area.map_or(Value::Null, |a| json!(a.m2()))
}

fn result(passed: bool) -> &'static str {
    if passed { "pass" } else { "fail" }
}

/// The ids of one meeting's entities, all under its global id so that documents of several
/// committees can be merged.
struct Ids {
    event: String,
}

impl Ids {
    fn person(&self, participant: u32) -> String {
        format!("{}/person/{participant}", self.event)
    }
    fn item(&self, number: usize) -> String {
        format!("{}/item/{number}", self.event)
    }
    fn motion(&self, number: usize, k: usize) -> String {
        match k {
            0 => format!("{}/motion/{number}", self.event),
            k => format!("{}/motion/{number}.{}", self.event, k + 1),
        }
    }
    fn vote_event(&self, number: usize, k: usize) -> String {
        format!("{}/vote/{number}/{}", self.event, k + 1)
    }
    fn speech(&self, number: usize, k: usize) -> String {
        format!("{}/speech/{number}/{}", self.event, k + 1)
    }
}

fn organization_id(m: &Minutes) -> Value {
    m.site
        .as_ref()
        .map_or(Value::Null, |s| json!(format!("organization/{}", s.code)))
}

/// The whole record as one Popolo document.
#[derive(Default)]
struct Document {
    organizations: Vec<Value>,
    events: Vec<Value>,
    persons: Vec<Value>,
    motions: Vec<Value>,
    vote_events: Vec<Value>,
    speeches: Vec<Value>,
}

impl Document {
    fn add(&mut self, m: &Minutes) {
        let ids = Ids {
            event: m.global_id(),
        };
        let tz = offset(m);
        let org = organization_id(m);
        if let Some(site) = &m.site {
            let id = format!("organization/{}", site.code);
            if !self.organizations.iter().any(|o| o["id"] == id.as_str()) {
                self.organizations.push(object(vec![
                    ("id", json!(id)),
                    ("name", json!(site.name)),
                    ("classification", json!("committee")),
                    (
                        "identifiers",
                        json!([{"identifier": site.code, "scheme": "yishi-site"}]),
                    ),
                    ("yishi", object(vec![("district", json!(site.district))])),
                ]));
            }
        }
        self.events.push(meeting_event(m, &ids, tz, &org));
        for a in &m.attendance {
            self.persons.push(person(m, a, &ids));
        }
        for item in &m.items {
            self.events.push(item_event(m, item, &ids));
            for (k, s) in item.speeches.iter().enumerate() {
                self.speeches.push(object(vec![
                    ("id", json!(ids.speech(item.number, k))),
                    ("creator_id", json!(ids.person(s.participant))),
                    // Popolo's role is the speaker's role while speaking; the kind of speech
                    // (speech, reply, point of order) is its type.
                    ("role", text(s.role_label)),
                    ("type", json!(s.kind)),
                    ("text", text(&s.note)),
                    ("date", time(Some(s.started_at), tz)),
                    ("position", json!(k + 1)),
                    ("event_id", json!(ids.event)),
                    (
                        "yishi",
                        object(vec![
                            ("item_id", json!(ids.item(item.number))),
                            // Popolo's Speech has a time, not an end: the end is ours.
                            ("end_date", time(s.ended_at, tz)),
                            ("seconds", json!(s.seconds)),
                            ("speaker_role", json!(s.role)),
                            ("kind_label", json!(s.kind_label)),
                        ]),
                    ),
                ]));
            }
            self.add_motions(item, &ids, tz, &org);
        }
    }

    /// One Motion per question put on an item, each tally of it a VoteEvent.
    fn add_motions(&mut self, item: &ItemMinutes, ids: &Ids, tz: FixedOffset, org: &Value) {
        let mut questions: Vec<&str> = Vec::new();
        for v in &item.votes {
            if !questions.contains(&v.question.as_str()) {
                questions.push(&v.question);
            }
        }
        for (k, question) in questions.into_iter().enumerate() {
            let motion_id = ids.motion(item.number, k);
            let taken: Vec<(usize, &VoteLine)> = item
                .votes
                .iter()
                .enumerate()
                .filter(|(_, v)| v.question == question)
                .collect();
            // The tally that counts: the latest one not superseded.
            let Some(&(valid_at, valid)) = taken
                .iter()
                .rev()
                .find(|(_, v)| !v.superseded)
                .or(taken.last())
            else {
                continue;
            };
            let first = taken.first().map(|(_, v)| v.at);
            self.motions.push(object(vec![
                ("id", json!(motion_id)),
                ("organization_id", org.clone()),
                ("legislative_session_id", json!(ids.event)),
                ("text", json!(question)),
                ("date", time(first, tz)),
                ("requirement", json!(valid.rule_label)),
                ("result", json!(result(valid.passed))),
                (
                    "yishi",
                    object(vec![
                        ("item_id", json!(ids.item(item.number))),
                        ("item", json!(item.number)),
                        ("rule", json!(valid.rule)),
                        ("proposer", json!(item.proposer)),
                        (
                            "vote_event_id",
                            json!(ids.vote_event(item.number, valid_at)),
                        ),
                        ("result_text", json!(valid.result)),
                        ("reason", json!(valid.reason)),
                        ("winner", json!(valid.winner)),
                        (
                            "options",
                            if valid.options.is_empty() {
                                Value::Null
                            } else {
                                json!(valid.options.iter().map(|c| &c.label).collect::<Vec<_>>())
                            },
                        ),
                    ]),
                ),
            ]));
            for (n, v) in taken {
                self.vote_events.push(vote_event(
                    v,
                    ids.vote_event(item.number, n),
                    &motion_id,
                    ids,
                    tz,
                    org,
                ));
            }
        }
    }
}

fn meeting_event(m: &Minutes, ids: &Ids, tz: FixedOffset, org: &Value) -> Value {
    let scheduled = m
        .starts
        .as_deref()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.timestamp_millis());
    let check = m.check_code.as_ref().map_or(
        Value::Null,
        |c| json!({"code": c.code, "entry": c.entry, "text": m.check}),
    );
    object(vec![
        ("id", json!(ids.event)),
        ("name", json!(m.title)),
        ("classification", json!(m.kind)),
        ("start_date", time(m.started_at.or(scheduled), tz)),
        ("end_date", time(m.ended_at, tz)),
        ("location", json!(m.place)),
        ("organization_id", org.clone()),
        (
            "yishi",
            object(vec![
                ("kind_label", json!(m.kind_label)),
                ("number", json!(m.id)),
                ("scheduled_start", time(scheduled, tz)),
                ("host", json!(m.host)),
                ("recorder", json!(m.recorder)),
                ("eligible", json!(m.eligible)),
                ("present", json!(m.present)),
                ("attending", json!(m.attending)),
                ("attendance_text", json!(m.attendance_text)),
                ("quorum", quorum(&m.quorum, Some(m.quorum_met))),
                ("issuer", json!(m.issuer)),
                ("check", check),
                (
                    "participation",
                    json!({
                        "speakers": m.participation.speakers,
                        "speeches": m.participation.speeches,
                        "residents_share": m.participation.residents_share,
                        "seconds_by_group": m.participation.by_group.iter()
                            .map(|g| (g.group.clone(), Value::from(g.seconds)))
                            .collect::<Map<_, _>>(),
                    }),
                ),
            ]),
        ),
    ])
}

fn person(m: &Minutes, a: &Attendee, ids: &Ids) -> Value {
    let contact = a.phone.as_ref().filter(|p| !p.trim().is_empty()).map_or(
        Value::Null,
        |p| json!([{"type": "voice", "value": p, "label": m.lang.pick("电话", "phone")}]),
    );
    object(vec![
        ("id", json!(ids.person(a.id))),
        ("name", json!(a.name)),
        ("contact_details", contact),
        (
            "yishi",
            object(vec![
                ("event_id", json!(ids.event)),
                ("role", json!(a.role)),
                ("role_label", json!(a.role_label)),
                ("attendance", json!(a.status)),
                ("attendance_label", json!(a.status_label)),
                ("voter", json!(a.voter)),
                ("walk_in", json!(a.walk_in)),
                ("proxy_holder", json!(a.holder)),
                ("leave_reason", json!(a.reason)),
                ("unit", json!(a.unit)),
                ("area_m2", m2(a.area)),
            ]),
        ),
    ])
}

fn item_event(m: &Minutes, item: &ItemMinutes, ids: &Ids) -> Value {
    let dissent: Vec<Value> = item
        .dissent
        .iter()
        .map(|d| {
            object(vec![
                (
                    "person_id",
                    d.participant.map_or(Value::Null, |p| json!(ids.person(p))),
                ),
                ("name", json!(d.name)),
                ("text", json!(d.text)),
            ])
        })
        .collect();
    let actions: Vec<Value> = item
        .actions
        .iter()
        .map(|a| json!({"what": a.what, "owner": a.owner, "due": a.due, "status": a.status}))
        .collect();
    object(vec![
        ("id", json!(ids.item(item.number))),
        ("name", json!(item.title)),
        ("description", json!(item.description)),
        ("classification", json!("agenda_item")),
        ("parent_id", json!(ids.event)),
        ("organization_id", organization_id(m)),
        (
            "yishi",
            object(vec![
                ("number", json!(item.number)),
                ("proposer", json!(item.proposer)),
                ("status", json!(item.status)),
                ("added_in_room", json!(item.added_in_room)),
                ("outcome", json!(item.outcome)),
                ("outcome_text", json!(item.outcome_text)),
                ("duration", json!(item.duration)),
                ("minutes", text(&item.minutes)),
                ("resolution", text(&item.resolution)),
                ("dissent", json!(dissent)),
                ("actions", json!(actions)),
            ]),
        ),
    ])
}

fn vote_event(
    v: &VoteLine,
    id: String,
    motion_id: &str,
    ids: &Ids,
    tz: FixedOffset,
    org: &Value,
) -> Value {
    // Yes / no / abstain, or each option by its name then abstain: heads.
    let counts: Vec<Value> = match (v.yes, v.no) {
        (Some(yes), Some(no)) => vec![
            json!({"option": "yes", "value": yes}),
            json!({"option": "no", "value": no}),
            json!({"option": "abstain", "value": v.abstain}),
        ],
        _ => v
            .options
            .iter()
            .map(|c| json!({"option": c.label, "value": c.count}))
            .chain(std::iter::once(
                json!({"option": "abstain", "value": v.abstain}),
            ))
            .collect(),
    };
    // Under an owners' rule each owner's answer weighs their exclusive area (m²).
    let weighed = v.areas.is_some();
    let votes: Vec<Value> = v
        .ballots
        .iter()
        .map(|b| {
            object(vec![
                ("voter_id", json!(ids.person(b.participant))),
                ("option", json!(b.choice)),
                ("weight", if weighed { m2(b.area) } else { Value::Null }),
            ])
        })
        .collect();
    let areas = v.areas.map_or(Value::Null, |a| {
        json!({
            "yes": a.yes.m2(), "no": a.no.m2(), "abstain": a.abstain.m2(), "eligible": a.eligible.m2(),
        })
    });
    object(vec![
        ("id", json!(id)),
        ("motion_id", json!(motion_id)),
        ("legislative_session_id", json!(ids.event)),
        ("organization_id", org.clone()),
        ("start_date", time(Some(v.at), tz)),
        ("result", json!(result(v.passed))),
        ("counts", json!(counts)),
        (
            "votes",
            if votes.is_empty() {
                Value::Null
            } else {
                json!(votes)
            },
        ),
        (
            "yishi",
            object(vec![
                ("superseded", json!(v.superseded)),
                ("void_mark", text(&v.void_mark)),
                ("method", json!(v.method)),
                ("method_label", json!(v.method_label)),
                ("tellers", json!(v.tellers)),
                ("rule", json!(v.rule)),
                ("rule_label", json!(v.rule_label)),
                ("base", json!(v.base)),
                ("base_count", json!(v.base_count)),
                ("present", json!(v.present)),
                ("eligible", json!(v.eligible)),
                ("quorum", quorum(&v.quorum, None)),
                ("result_text", json!(v.result)),
                ("reason", json!(v.reason)),
                ("counts_text", json!(v.counts_text)),
                ("area_m2", areas),
                ("winner", json!(v.winner)),
                (
                    "tied",
                    if v.tied.is_empty() {
                        Value::Null
                    } else {
                        json!(v.tied)
                    },
                ),
            ]),
        ),
    ])
}

/// The meetings as one Popolo document: an object of arrays of organizations, events,
/// persons, motions, vote events and speeches.
pub fn document(meetings: &[Minutes]) -> Value {
    let mut doc = Document::default();
    for m in meetings {
        doc.add(m);
    }
    json!({
        "organizations": doc.organizations,
        "events": doc.events,
        "persons": doc.persons,
        "motions": doc.motions,
        "vote_events": doc.vote_events,
        "speeches": doc.speeches,
    })
}

/// The document pretty-printed, with a final newline.
pub fn render(meetings: &[Minutes]) -> String {
    let mut s = serde_json::to_string_pretty(&document(meetings)).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// A quorum as the extension fields give it; `met` where the record says whether it was.
fn quorum(q: &super::minutes::QuorumLine, met: Option<bool>) -> Value {
    let mut out = json!({
        "rule": q.rule,
        "text": q.text,
        "eligible": q.eligible,
        "required": q.required,
    });
    if let Some(met) = met {
        out["met"] = json!(met);
    }
    out
}
