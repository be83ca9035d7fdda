//! The neutral minutes view: everything a format prints, computed once from the meeting's
//! state. Shares, reasons, clocks and labels are worked out here so that Markdown, HTML, Word,
//! spreadsheets and JSON can never disagree about a number.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Local, NaiveDate, TimeZone};
use serde::Serialize;

use crate::domain::model::{Area, ItemId, Millis, ParticipantId, Role, RoleGroup};
use crate::domain::quorum::Quorum;
use crate::domain::state::{Presence, State, VoteRecord};
use crate::domain::tally::{BaseKind, Votes, share};
use crate::domain::timer::{Clock, clock};
use crate::lang::Lang;
use crate::safe_text::clean_file_text;

/// What a text of the minutes is, for [`Minutes::each_text`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TextKind {
    /// Written in the room or the agenda: may name people anywhere in it.
    Text,
    /// A person's name.
    Name,
    /// A name in a list that may carry a note after it (张建国（线上）).
    Listed,
    /// Dates, the issuer, a contact, a phone, the list of names itself: not masked as text.
    Plain,
}

/// One meeting as its minutes say it.
#[derive(Clone, Debug, Serialize)]
pub struct Minutes {
    #[serde(skip)]
    pub lang: Lang,
    /// The meeting's number in the database, when known.
    pub id: Option<i64>,
    pub title: String,
    /// `MeetingKind` key and label.
    pub kind: String,
    pub kind_label: String,
    /// As the agenda gives it (RFC 3339).
    pub starts: Option<String>,
    /// The day the meeting is filed under: the day it was held (the agenda's day before).
    #[serde(skip)]
    pub date: NaiveDate,
    /// When the first item was taken up (or the agenda's time, or the opening), and the end.
    pub started_at: Option<Millis>,
    pub ended_at: Option<Millis>,
    /// "2026年11月28日 19:00—20:35" / "28 Nov 2026 19:00–20:35".
    pub time_text: String,
    pub place: Option<String>,
    pub host: Option<String>,
    pub recorder: Option<String>,
    /// 应到 voters.
    pub eligible: u32,
    /// 实到 voters.
    pub present: u32,
    pub present_share: String,
    /// Everyone attending, voters or not.
    pub attending: u32,
    /// "应到 6 人,实到 4 人,占应到人数 66.7%".
    pub attendance_text: String,
    pub attendance: Vec<Attendee>,
    /// Voters attending, grouped by role in the order of the 7+X parties.
    pub present_by_role: Vec<RoleList>,
    /// Voters not attending.
    pub absent: Vec<String>,
    /// Non-voters attending (列席).
    pub guests: Vec<String>,
    /// Attendance as Chinese minutes list it: 出席, 缺席, 列席, each on its own line.
    pub attendance_lines: Vec<AttendanceLine>,
    /// "2026年11月28日 20:35" when the meeting was closed (休会).
    pub closed_text: Option<String>,
    pub items: Vec<ItemMinutes>,
    pub participation: Participation,
    pub objection_days: Option<u32>,
    /// 落款 of the notice: the agenda's `issuer`, or the meeting kind's default.
    pub issuer: String,
    /// 联系方式 for objections, as the agenda gives it.
    pub contact: Option<String>,
    /// `记录校验码 3f9a-…（第 214 条）`: the record's chain head when exported, printed beside
    /// the signatures so that a signed paper copy anchors the file (`yishi verify --expect`).
    pub check: Option<String>,
    /// The same chain head as `verify --expect` takes it, for formats that keep it as data.
    pub check_code: Option<CheckCode>,
    /// The meeting's quorum (法定人数), and whether those present at the end of the record
    /// meet it.
    pub quorum: QuorumLine,
    pub quorum_met: bool,
    /// The meeting's globally unique id (a UUIDv7).
    pub uid: Option<String>,
    /// The committee whose record it is, when the database has one set.
    pub site: Option<crate::store::Site>,
    /// Every person's name the record holds, for masking in a public notice.
    #[serde(skip)]
    pub people: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Attendee {
    /// The participant's number in this meeting.
    pub id: ParticipantId,
    pub name: String,
    pub role: String,
    pub role_label: String,
    pub status: String,
    pub status_label: String,
    pub voter: bool,
    /// A proxy's holder (受托人), where it was named.
    pub holder: Option<String>,
    /// Why someone is excused (请假).
    pub reason: Option<String>,
    /// Building, unit or flat(s), as the agenda lists them.
    pub unit: Option<String>,
    /// An owner's exclusive area (专有部分面积), the weight under owners' rules.
    pub area: Option<Area>,
    /// The committee's own contact list: kept out of every template; a format that may be
    /// published must leave it out.
    #[serde(skip)]
    pub phone: Option<String>,
    pub walk_in: bool,
}

/// The record's chain head: `3f9a-1b2c-4d5e-6f70` and the entry it is the hash of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckCode {
    pub code: String,
    pub entry: i64,
}

/// A quorum rule (法定人数) in words, and how many it asks for out of those eligible.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuorumLine {
    /// `Quorum` key: `majority`, `two_thirds`, a number or `none`.
    pub rule: String,
    /// "过半数" / "more than half".
    pub text: String,
    pub eligible: u32,
    pub required: u32,
}

impl QuorumLine {
    fn of(q: Quorum, eligible: u32, lang: Lang) -> QuorumLine {
        QuorumLine {
            rule: q.key(),
            text: q.describe(lang),
            eligible,
            required: q.required(eligible),
        }
    }
}

/// Where a person stands in the attendance lines of the minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttendanceKind {
    /// 出席: a voter in the room, online or by proxy.
    Present,
    /// 请假: excused, with the reason, kept apart from 缺席.
    Leave,
    /// 缺席: a voter who did not come.
    Absent,
    /// 列席: attends without a vote (guests, and anyone who is not a voter).
    Guest,
}

impl AttendanceKind {
    /// The order the lines are printed in.
    pub const ALL: [AttendanceKind; 4] = [
        AttendanceKind::Present,
        AttendanceKind::Leave,
        AttendanceKind::Absent,
        AttendanceKind::Guest,
    ];

    /// The line a participant belongs on, or none (a guest who did not come is not listed).
    pub fn of(presence: Presence, voter: bool) -> Option<AttendanceKind> {
        match (voter, presence.attends()) {
            _ if voter && presence == Presence::Leave => Some(AttendanceKind::Leave),
            (true, true) => Some(AttendanceKind::Present),
            (true, false) => Some(AttendanceKind::Absent),
            (false, true) => Some(AttendanceKind::Guest),
            (false, false) => None,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            AttendanceKind::Present => ("出席", "Present"),
            AttendanceKind::Leave => ("请假", "On leave"),
            AttendanceKind::Absent => ("缺席", "Absent"),
            AttendanceKind::Guest => ("列席", "Attending without a vote"),
        };
        lang.pick(zh, en)
    }
}

/// One attendance line: "出席：6 人（其中线上 1 人，委托 0 人）", then the names by role.
#[derive(Clone, Debug, Serialize)]
pub struct AttendanceLine {
    pub kind: AttendanceKind,
    pub label: String,
    pub count: u32,
    /// The count in words, with 线上 and 委托 counted for those present.
    pub count_text: String,
    /// Names grouped by role (one group without a role label for absent voters and guests).
    pub groups: Vec<RoleList>,
}

impl AttendanceLine {
    /// The names as one text: "居民代表：张建国；居民：李秀英" or "张建国、李秀英".
    pub fn names_text(&self, lang: Lang) -> String {
        let colon = lang.pick("\u{ff1a}", ": ");
        let sep = lang.pick("、", ", ");
        self.groups
            .iter()
            .map(|g| {
                if g.role.is_empty() {
                    g.names.join(sep)
                } else {
                    format!("{}{colon}{}", g.role, g.names.join(sep))
                }
            })
            .collect::<Vec<_>>()
            .join(lang.pick("\u{ff1b}", "; "))
    }

    /// The whole line after its label: count, then names.
    pub fn text(&self, lang: Lang) -> String {
        let names = self.names_text(lang);
        if names.is_empty() {
            self.count_text.clone()
        } else {
            format!("{}{}{names}", self.count_text, lang.pick("\u{ff1a}", ": "))
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct RoleList {
    pub role: String,
    /// Names, with "(线上)" / "(委托)" where not in the room.
    pub names: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ItemMinutes {
    /// 1-based position on the agenda as held.
    pub number: usize,
    pub id: ItemId,
    pub title: String,
    pub proposer: Option<String>,
    /// 背景: the agenda's description of the item.
    pub description: Option<String>,
    pub status: String,
    pub status_label: String,
    pub added_in_room: bool,
    /// What became of the item (`Outcome` key) and in words, e.g. "表决通过",
    /// "延期至下次会议", "临时动议；仅讨论、未作决定".
    pub outcome: String,
    pub outcome_text: String,
    /// Time spent on the item, m:ss.
    pub duration: String,
    pub minutes: String,
    pub resolution: String,
    pub dissent: Vec<DissentLine>,
    pub speeches: Vec<SpeechLine>,
    pub votes: Vec<VoteLine>,
    pub actions: Vec<ActionLine>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DissentLine {
    /// The participant who holds it, when the name is one on the list.
    pub participant: Option<ParticipantId>,
    pub name: Option<String>,
    pub text: String,
}

impl DissentLine {
    /// "李秀英:担心噪音" or the text alone.
    pub fn line(&self, lang: Lang) -> String {
        match &self.name {
            Some(n) => format!("{n}{}{}", lang.pick("\u{ff1a}", ": "), self.text),
            None => self.text.clone(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct SpeechLine {
    pub participant: ParticipantId,
    pub name: String,
    pub role: &'static str,
    pub role_label: &'static str,
    /// `SpeechKind` key: speech, reply, point_of_order.
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub started_at: Millis,
    /// When it ended; none while it runs.
    pub ended_at: Option<Millis>,
    pub seconds: u64,
    pub clock: Clock,
    /// 发言要点 the secretary noted, empty when none.
    pub note: String,
}

impl SpeechLine {
    /// "张建国（居民代表）1:35：希望尽快开工" — the speaker's line of the minutes.
    pub fn line(&self, lang: Lang) -> String {
        let head = format!(
            "{}{}{}{}",
            self.name,
            lang.paren(self.role_label),
            lang.pick("", " "),
            self.clock
        );
        if self.note.trim().is_empty() {
            head
        } else {
            format!("{head}{}{}", lang.pick("\u{ff1a}", ": "), self.note.trim())
        }
    }
}

/// One count and its share of the rule's base.
#[derive(Clone, Debug, Serialize)]
pub struct Count {
    pub label: String,
    pub count: u32,
    pub share: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct VoteLine {
    pub question: String,
    pub rule: String,
    pub rule_label: String,
    pub method: String,
    pub method_label: String,
    pub yes: Option<u32>,
    pub no: Option<u32>,
    pub abstain: u32,
    /// Yes / no / abstain, or one count per option then abstain, each with its share.
    pub counts: Vec<Count>,
    /// "同意 9 人,占到会人数 75.0%;反对 …".
    pub counts_text: String,
    /// Options of a plurality vote, with their counts.
    pub options: Vec<Count>,
    /// Voters present when the vote was taken: the base of every share.
    pub present: u32,
    pub eligible: u32,
    /// What the rule's fraction is taken of (`BaseKind` key) and its size.
    pub base: String,
    pub base_count: u32,
    pub passed: bool,
    /// "通过" / "未通过".
    pub result: String,
    /// "已作废（已重新表决）" on a tally a later vote replaced; empty on a valid one.
    pub void_mark: String,
    /// The result in words, with the numbers.
    pub reason: String,
    pub superseded: bool,
    pub tellers: Vec<String>,
    /// A roll call's choices by name; empty for a show of hands or a secret ballot.
    pub named: String,
    /// The same roll call (or written ballots) as data, in the order recorded.
    pub ballots: Vec<Ballot>,
    /// Under owners' rules: the area behind yes, no and abstain, and all owners' area.
    pub areas: Option<AreaCounts>,
    /// A plurality vote's winning option, or the options tied for first place.
    pub winner: Option<String>,
    pub tied: Vec<String>,
    /// The quorum the vote had to meet (the item's own or the meeting's), of those eligible
    /// when it was taken.
    pub quorum: QuorumLine,
    /// When the tally was recorded.
    pub at: Millis,
}

/// One voter's answer in a roll call or on a written ballot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ballot {
    pub participant: ParticipantId,
    pub name: String,
    /// `Choice` key: yes, no, abstain.
    pub choice: String,
    /// The voter's exclusive area, which an owners' rule weighs the answer by.
    pub area: Option<Area>,
}

/// Areas counted under an owners' rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct AreaCounts {
    pub yes: Area,
    pub no: Area,
    pub abstain: Area,
    pub eligible: Area,
}

#[derive(Clone, Debug, Serialize)]
pub struct ActionLine {
    pub what: String,
    pub owner: String,
    /// YYYY-MM-DD.
    pub due: Option<String>,
    pub status: String,
    pub status_label: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct GroupTime {
    pub group: String,
    pub label: String,
    pub seconds: u64,
    pub clock: String,
    pub share: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Participation {
    pub by_group: Vec<GroupTime>,
    pub speakers: u32,
    pub speeches: u32,
    pub total: String,
    /// Residents' and representatives' share of speaking time.
    pub residents_share: String,
    /// The summary as one sentence.
    pub text: String,
}

/// A moment in the meeting's record, in local time.
pub fn local(ms: Millis) -> Option<DateTime<Local>> {
    Local.timestamp_millis_opt(ms).single()
}

fn long_date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => d.format("%Y年%-m月%-d日").to_string(),
        Lang::En => d.format("%-d %b %Y").to_string(),
    }
}

/// A date as the minutes print it: "2026年12月31日" / "31 Dec 2026".
pub fn date_text(d: NaiveDate, lang: Lang) -> String {
    long_date(d, lang)
}

fn time_range(start: DateTime<Local>, end: Option<DateTime<Local>>, lang: Lang) -> String {
    let dash = lang.pick("—", "–");
    let head = format!(
        "{} {}",
        long_date(start.date_naive(), lang),
        start.format("%H:%M")
    );
    match end {
        Some(e) if e.date_naive() == start.date_naive() => {
            format!("{head}{dash}{}", e.format("%H:%M"))
        }
        Some(e) => format!(
            "{head}{dash}{} {}",
            long_date(e.date_naive(), lang),
            e.format("%H:%M")
        ),
        None => format!("{head}{}", lang.pick("（会议未结束）", " (not ended)")),
    }
}

fn seconds(ms: Millis) -> u64 {
    (ms.max(0) / 1000) as u64
}

fn presence_note(p: Presence, lang: Lang) -> &'static str {
    match (p, lang) {
        (Presence::Online, Lang::Zh) => "（线上）",
        (Presence::Online, Lang::En) => " (online)",
        (Presence::Proxy, Lang::Zh) => "（委托）",
        (Presence::Proxy, Lang::En) => " (by proxy)",
        _ => "",
    }
}

impl Minutes {
    /// The minutes of `state` at `now`, in `lang`. `item` keeps only the item at that 1-based
    /// position (and the participation figures for it).
    pub fn build(
        state: &State,
        id: Option<i64>,
        now: Millis,
        lang: Lang,
        item: Option<usize>,
    ) -> Minutes {
        let m = &state.meeting;
        let agenda_start = m
            .starts
            .as_deref()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok());
        let start_ms = state
            .started_at
            .or(agenda_start.map(|d| d.timestamp_millis()))
            .unwrap_or(state.opened_at);
        let start = local(start_ms);
        let end = state.ended_at.and_then(local);
        // The day the meeting was held, as its minutes say it (the agenda's day until then):
        // a file name and a date range filter agree with the text.
        let date = start
            .map(|s| s.date_naive())
            .or(agenda_start.map(|d| d.date_naive()))
            .unwrap_or_default();
        let mut time_text = start.map(|s| time_range(s, end, lang)).unwrap_or_default();
        // A closed meeting opened again says so, with the reason given.
        for (at, reason) in &state.reopened {
            let when = local(*at)
                .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default();
            time_text.push_str(&match lang {
                Lang::Zh => format!("（散会后于 {when} 重新开启，理由：{reason}）"),
                Lang::En => format!(" (reopened after closing on {when}: {reason})"),
            });
        }

        let eligible = state.eligible();
        let present = state.voters_present();
        let attending = state.attending();
        // Walk-ins can take 实到 above 应到: the share of 应到 is then of those on the roll.
        let walk_ins = state.walk_ins_present();
        let on_roll = present - walk_ins.min(present);
        let present_share = share(on_roll, eligible);
        let mut attendance_text = match (lang, walk_ins) {
            (Lang::Zh, 0) => {
                format!("应到 {eligible} 人，实到 {present} 人，占应到人数 {present_share}")
            }
            (Lang::Zh, w) => format!(
                "应到 {eligible} 人，实到 {present} 人（含临时到场 {w} 人），名单内到场 {on_roll} 人，占应到人数 {present_share}"
            ),
            (Lang::En, 0) => format!(
                "Eligible {eligible}, present {present} ({present_share} of those eligible)"
            ),
            (Lang::En, w) => format!(
                "Eligible {eligible}, present {present} (incl. {w} walk-in), {on_roll} of the roll ({present_share} of those eligible)"
            ),
        };
        if attending > present {
            let others = attending - present;
            attendance_text.push_str(&match lang {
                Lang::Zh => format!("；另有列席 {others} 人"),
                Lang::En => format!("; {others} more attending without a vote"),
            });
        }

        // Each person's presence and what it makes them in the minutes, looked up once: the
        // lists below pass through this table.
        let people_in: Vec<(
            &crate::domain::model::Participant,
            Presence,
            Option<AttendanceKind>,
        )> = state
            .participants
            .iter()
            .map(|p| {
                let status = state.presence(p.id);
                (p, status, AttendanceKind::of(status, p.voter))
            })
            .collect();
        let attendance = people_in
            .iter()
            .map(|&(p, status, _)| Attendee {
                id: p.id,
                name: p.name.clone(),
                role: p.role.key().into(),
                role_label: p.role.label(lang).into(),
                status: status.key().into(),
                status_label: status.label(lang).into(),
                voter: p.voter,
                holder: state.proxy_holders.get(&p.id).cloned(),
                reason: state.leave_reasons.get(&p.id).cloned(),
                unit: p.unit.clone(),
                area: p.area,
                phone: p.phone.clone(),
                walk_in: p.walk_in,
            })
            .collect();
        let by_role = |kind: AttendanceKind, labelled: bool| -> Vec<RoleList> {
            Role::ALL
                .iter()
                .filter_map(|role| {
                    let names: Vec<String> = people_in
                        .iter()
                        .filter(|(p, _, k)| *k == Some(kind) && p.role == *role)
                        .map(
                            |&(p, status, _)| match (state.leave_reasons.get(&p.id), lang) {
                                (Some(r), Lang::Zh) if kind == AttendanceKind::Leave => {
                                    format!("{}（{r}）", p.name)
                                }
                                (Some(r), Lang::En) if kind == AttendanceKind::Leave => {
                                    format!("{} ({r})", p.name)
                                }
                                _ => format!("{}{}", p.name, presence_note(status, lang)),
                            },
                        )
                        .collect();
                    (!names.is_empty()).then(|| RoleList {
                        role: if labelled {
                            role.label(lang).into()
                        } else {
                            String::new()
                        },
                        names,
                    })
                })
                .collect()
        };
        let present_by_role = by_role(AttendanceKind::Present, true);
        let names_of = |kind: AttendanceKind| -> Vec<String> {
            people_in
                .iter()
                .filter(|(_, _, k)| *k == Some(kind))
                .map(|(p, _, _)| p.name.clone())
                .collect()
        };
        let absent = names_of(AttendanceKind::Absent);
        let guests = names_of(AttendanceKind::Guest);
        let attendance_lines = AttendanceKind::ALL
            .iter()
            .filter_map(|&kind| {
                let people: Vec<Presence> = people_in
                    .iter()
                    .filter(|(_, _, k)| *k == Some(kind))
                    .map(|(_, status, _)| *status)
                    .collect();
                let n = people.len() as u32;
                let with = |presence: Presence| people.iter().filter(|p| **p == presence).count();
                let count_text = match (kind, lang) {
                    (AttendanceKind::Present, Lang::Zh) => format!(
                        "{n} 人（其中线上 {} 人，委托 {} 人）",
                        with(Presence::Online),
                        with(Presence::Proxy)
                    ),
                    (AttendanceKind::Present, Lang::En) => format!(
                        "{n} ({} online, {} by proxy)",
                        with(Presence::Online),
                        with(Presence::Proxy)
                    ),
                    (_, Lang::Zh) => format!("{n} 人"),
                    (_, Lang::En) => n.to_string(),
                };
                // Guests and leave show only when there are some; absence always shows.
                (matches!(kind, AttendanceKind::Present | AttendanceKind::Absent) || n > 0).then(
                    || AttendanceLine {
                        kind,
                        label: kind.label(lang).into(),
                        count: n,
                        count_text,
                        groups: match kind {
                            AttendanceKind::Present => present_by_role.clone(),
                            _ => {
                                let names: Vec<String> = by_role(kind, false)
                                    .into_iter()
                                    .flat_map(|g| g.names)
                                    .collect();
                                if names.is_empty() {
                                    Vec::new()
                                } else {
                                    vec![RoleList {
                                        role: String::new(),
                                        names,
                                    }]
                                }
                            }
                        },
                    },
                )
            })
            .collect();
        let closed_text =
            end.map(|e| format!("{} {}", long_date(e.date_naive(), lang), e.format("%H:%M")));

        let chosen: Vec<(usize, &crate::domain::state::Item)> = state
            .items
            .iter()
            .enumerate()
            .filter(|(i, _)| item.is_none_or(|n| n == i + 1))
            .collect();
        let by_item = ByItem::of(state, eligible);
        let items = chosen
            .iter()
            .map(|(i, it)| item_minutes(state, &by_item, *i + 1, it, now, lang))
            .collect();
        let only = if item.is_some() {
            Some(chosen.first().map_or(ItemId::MAX, |(_, it)| it.id))
        } else {
            None
        };
        let participation = participation(state, only, now, lang);

        let mut people: BTreeSet<String> =
            state.participants.iter().map(|p| p.name.clone()).collect();
        people.extend(m.host.iter().cloned());
        people.extend(m.recorder.iter().cloned());
        for v in &state.votes {
            people.extend(v.tellers.iter().cloned());
        }
        for it in &state.items {
            people.extend(it.dissent.iter().filter_map(|d| d.name.clone()));
        }

        let mut minutes = Minutes {
            lang,
            id,
            title: m.title.clone(),
            kind: m.kind.key().into(),
            kind_label: m.kind.label(lang).into(),
            starts: m.starts.clone(),
            date,
            started_at: state.started_at,
            ended_at: state.ended_at,
            time_text,
            place: m.place.clone(),
            host: m.host.clone(),
            recorder: m.recorder.clone(),
            eligible,
            present,
            present_share,
            attending,
            attendance_text,
            attendance,
            present_by_role,
            absent,
            guests,
            attendance_lines,
            closed_text,
            items,
            participation,
            objection_days: m.objection_days,
            issuer: m
                .issuer
                .clone()
                .unwrap_or_else(|| m.kind.default_issuer(lang).to_string()),
            contact: m.contact.clone(),
            check: None,
            check_code: None,
            quorum: QuorumLine::of(m.quorum, eligible, lang),
            quorum_met: state.quorum().met,
            uid: state.uid.clone(),
            site: None,
            people: people
                .into_iter()
                .filter(|p| !p.trim().is_empty())
                .collect(),
        };
        minutes.scrub();
        minutes
    }

    /// Every text that came from the agenda or the room, cleaned for a file once here, so
    /// that no format (Word and Excel are XML) ever receives a control character.
    fn scrub(&mut self) {
        self.each_text(&mut |_, t| clean_file_text(t));
    }

    /// Every text of the minutes that came from the agenda or the room, with what it is: one
    /// walk for cleaning them all and for masking them for the public.
    pub(crate) fn each_text(&mut self, f: &mut dyn FnMut(TextKind, &mut String)) {
        use TextKind::{Listed, Name, Plain, Text};
        f(Text, &mut self.title);
        f(Text, &mut self.time_text);
        opt_text(Plain, &mut self.starts, f);
        f(Plain, &mut self.issuer);
        opt_text(Text, &mut self.place, f);
        opt_text(Name, &mut self.host, f);
        opt_text(Name, &mut self.recorder, f);
        opt_text(Plain, &mut self.contact, f);
        f(Text, &mut self.attendance_text);
        for a in &mut self.attendance {
            f(Name, &mut a.name);
            opt_text(Name, &mut a.holder, f);
            opt_text(Text, &mut a.reason, f);
            opt_text(Text, &mut a.unit, f);
            opt_text(Plain, &mut a.phone, f);
        }
        for r in &mut self.present_by_role {
            r.names.iter_mut().for_each(|n| f(Listed, n));
        }
        for line in &mut self.attendance_lines {
            for r in &mut line.groups {
                r.names.iter_mut().for_each(|n| f(Listed, n));
            }
        }
        self.absent.iter_mut().for_each(|n| f(Name, n));
        self.guests.iter_mut().for_each(|n| f(Name, n));
        self.people.iter_mut().for_each(|n| f(Plain, n));
        for item in &mut self.items {
            item.each_text(f);
        }
    }

    /// The meeting's id in every copy of the record: its global id, or (for a meeting the
    /// record has none for) its day and number.
    pub fn global_id(&self) -> String {
        self.uid.clone().unwrap_or_else(|| {
            format!(
                "{}-{}@yishi",
                self.date.format("%Y%m%d"),
                self.id.unwrap_or(0)
            )
        })
    }

    /// "张建国、李秀英" / "Zhang, Li".
    pub fn join(&self, names: &[String]) -> String {
        names.join(self.lang.pick("、", ", "))
    }

    /// The label of a header field in the minutes' language.
    pub fn label(&self, key: Label) -> &'static str {
        key.text(self.lang)
    }
}

/// The fixed words of the minutes, shared by every format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Label {
    Minutes,
    Time,
    Place,
    Host,
    Recorder,
    Attendance,
    Present,
    Absent,
    Leave,
    Item,
    Proposer,
    Speeches,
    Minutes2,
    Vote,
    Rule,
    Method,
    Result,
    Resolution,
    Dissent,
    Actions,
    Owner,
    Due,
    Status,
    Participation,
    Signature,
    Superseded,
    Tellers,
    Named,
    None,
    Question,
    Meeting,
    What,
    Yes,
    No,
    Abstain,
    Outcome,
    Background,
    Closed,
    Guests,
}

impl Label {
    pub fn text(self, lang: Lang) -> &'static str {
        use Label::*;
        let (zh, en) = match self {
            Minutes => ("会议纪要", "Minutes"),
            Time => ("时间", "Time"),
            Place => ("地点", "Place"),
            Host => ("主持人", "Chair"),
            Recorder => ("记录人", "Recorder"),
            Attendance => ("应到 / 实到", "Eligible / present"),
            Present => ("参会人员", "Present"),
            Absent => ("缺席人员", "Absent"),
            Leave => ("请假人员", "Excused"),
            Item => ("议题", "Item"),
            Proposer => ("提出人", "Proposed by"),
            Speeches => ("发言要点", "Speakers"),
            Minutes2 => ("会议记录", "Record"),
            Vote => ("表决", "Vote"),
            Rule => ("表决规则", "Rule"),
            Method => ("表决方式", "Method"),
            Result => ("表决结果", "Result"),
            Resolution => ("决议", "Resolution"),
            Dissent => ("保留意见", "Dissent"),
            Actions => ("责任分工", "Actions"),
            Owner => ("责任人", "Owner"),
            Due => ("完成时限", "Due"),
            Status => ("状态", "Status"),
            Participation => ("参与情况", "Participation"),
            Signature => ("签字", "Signature"),
            Superseded => ("已作废（已重新表决）", "void (the vote was taken again)"),
            Tellers => ("计票人", "Tellers"),
            Named => ("记名表决", "Roll call"),
            None => ("无", "none"),
            Question => ("表决事项", "Question"),
            Meeting => ("会议", "Meeting"),
            What => ("事项", "What"),
            Yes => ("同意", "Yes"),
            No => ("反对", "No"),
            Abstain => ("弃权", "Abstain"),
            Outcome => ("处理结果", "Outcome"),
            Background => ("背景", "Background"),
            Closed => ("休会时间", "Closed"),
            Guests => ("列席人员", "Attending without a vote"),
        };
        lang.pick(zh, en)
    }
}

/// What became of an item, as the minutes say it in words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// 表决通过: the valid vote passed.
    Passed,
    /// 未通过: the valid vote did not pass (a plurality tie too).
    NotPassed,
    /// 延期至下次会议.
    Deferred,
    /// A resolution was written without a vote (by consensus in the room).
    Resolved,
    /// 仅讨论、未作决定: taken up, nothing decided.
    Discussed,
    /// 未议: the meeting never reached it.
    NotTakenUp,
}

impl Outcome {
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::NotPassed => "not_passed",
            Outcome::Deferred => "deferred",
            Outcome::Resolved => "resolved",
            Outcome::Discussed => "discussed",
            Outcome::NotTakenUp => "not_taken_up",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Outcome::Passed => ("表决通过", "passed by vote"),
            Outcome::NotPassed => ("表决未通过", "not passed"),
            Outcome::Deferred => ("延期至下次会议", "deferred to the next meeting"),
            Outcome::Resolved => ("形成决议（未经表决）", "resolved without a vote"),
            Outcome::Discussed => ("仅讨论、未作决定", "discussed, nothing decided"),
            Outcome::NotTakenUp => ("未议", "not taken up"),
        };
        lang.pick(zh, en)
    }

    fn of(state: &State, item: &crate::domain::state::Item) -> Outcome {
        use crate::domain::state::ItemStatus;
        let valid = state
            .votes
            .iter()
            .rev()
            .find(|v| v.item == item.id && !v.superseded);
        match (item.status, valid) {
            (ItemStatus::Deferred, _) => Outcome::Deferred,
            (_, Some(v)) if v.outcome.passed => Outcome::Passed,
            (_, Some(_)) => Outcome::NotPassed,
            _ if !item.resolution.trim().is_empty() => Outcome::Resolved,
            (ItemStatus::Pending, None) => Outcome::NotTakenUp,
            _ => Outcome::Discussed,
        }
    }
}

/// "临时动议；仅讨论、未作决定" / "raised in the room; discussed, nothing decided".
fn outcome_text(outcome: Outcome, added_in_room: bool, lang: Lang) -> String {
    if added_in_room {
        format!(
            "{}{}{}",
            lang.pick("临时动议", "raised in the room"),
            lang.pick("\u{ff1b}", "; "),
            outcome.label(lang)
        )
    } else {
        outcome.label(lang).to_string()
    }
}

/// The speeches, votes and actions of every item, sorted out in one pass over each (not one
/// per item), with the meeting's eligible voters as the minutes counted them.
struct ByItem<'a> {
    speeches: HashMap<ItemId, Vec<&'a crate::domain::state::Speech>>,
    votes: HashMap<ItemId, Vec<&'a VoteRecord>>,
    actions: HashMap<ItemId, Vec<&'a crate::domain::state::ActionItem>>,
    eligible: u32,
}

impl<'a> ByItem<'a> {
    fn of(state: &'a State, eligible: u32) -> ByItem<'a> {
        let mut by = ByItem {
            speeches: HashMap::new(),
            votes: HashMap::new(),
            actions: HashMap::new(),
            eligible,
        };
        for s in state.speeches.iter().chain(state.speech.iter()) {
            by.speeches.entry(s.item).or_default().push(s);
        }
        for v in &state.votes {
            by.votes.entry(v.item).or_default().push(v);
        }
        for a in &state.actions {
            by.actions.entry(a.item).or_default().push(a);
        }
        by
    }
}

/// An optional text, if there is one, to `f`.
fn opt_text(k: TextKind, t: &mut Option<String>, f: &mut dyn FnMut(TextKind, &mut String)) {
    if let Some(t) = t {
        f(k, t);
    }
}

impl ItemMinutes {
    /// [`Minutes::each_text`] of one item.
    fn each_text(&mut self, f: &mut dyn FnMut(TextKind, &mut String)) {
        use TextKind::{Name, Plain, Text};
        f(Text, &mut self.title);
        opt_text(Text, &mut self.proposer, f);
        opt_text(Text, &mut self.description, f);
        f(Text, &mut self.minutes);
        f(Text, &mut self.resolution);
        for d in &mut self.dissent {
            opt_text(Name, &mut d.name, f);
            f(Text, &mut d.text);
        }
        for s in &mut self.speeches {
            f(Name, &mut s.name);
            f(Text, &mut s.note);
        }
        for v in &mut self.votes {
            f(Text, &mut v.question);
            for n in v.counts.iter_mut().chain(v.options.iter_mut()) {
                f(Text, &mut n.label);
            }
            f(Text, &mut v.counts_text);
            f(Text, &mut v.reason);
            v.tellers.iter_mut().for_each(|n| f(Name, n));
            f(Text, &mut v.named);
            for b in &mut v.ballots {
                f(Name, &mut b.name);
            }
            opt_text(Text, &mut v.winner, f);
            v.tied.iter_mut().for_each(|n| f(Text, n));
        }
        for a in &mut self.actions {
            f(Text, &mut a.what);
            // Whoever takes an action is a person, listed or not.
            f(Name, &mut a.owner);
            opt_text(Plain, &mut a.due, f);
        }
    }
}

fn item_minutes(
    state: &State,
    by_item: &ByItem,
    number: usize,
    item: &crate::domain::state::Item,
    now: Millis,
    lang: Lang,
) -> ItemMinutes {
    let mut speeches: Vec<_> = by_item
        .speeches
        .get(&item.id)
        .map_or(&[][..], |s| s.as_slice())
        .to_vec();
    speeches.sort_by_key(|s| (s.started_at, s.id));
    let speeches = speeches
        .into_iter()
        .map(|s| {
            let who = state.participant(s.participant);
            let role = who.map(|p| p.role);
            let secs = seconds(s.elapsed(now));
            SpeechLine {
                participant: s.participant,
                name: who.map_or("?", |p| p.name.as_str()).to_string(),
                role: role.map_or("other", |r| r.key()),
                role_label: role.map_or("", |r| r.label(lang)),
                kind: s.kind.key(),
                kind_label: s.kind.label(lang),
                started_at: s.started_at,
                ended_at: s.ended_at,
                seconds: secs,
                clock: Clock::of(secs as i64 * 1000),
                note: s.note.clone(),
            }
        })
        .collect();
    let votes = by_item
        .votes
        .get(&item.id)
        .map_or(&[][..], |v| v.as_slice())
        .iter()
        .map(|v| vote_line(state, by_item.eligible, item, v, lang))
        .collect();
    let actions = by_item
        .actions
        .get(&item.id)
        .map_or(&[][..], |a| a.as_slice())
        .iter()
        .map(|a| ActionLine {
            what: a.what.clone(),
            owner: a.owner.clone(),
            due: a.due.clone(),
            status: a.status.key().into(),
            status_label: a.status.label(lang).into(),
        })
        .collect();
    let outcome = Outcome::of(state, item);
    ItemMinutes {
        number,
        id: item.id,
        title: item.spec.title.clone(),
        proposer: item.spec.proposer.clone(),
        description: item
            .spec
            .description
            .clone()
            .filter(|d| !d.trim().is_empty()),
        outcome: outcome.key().into(),
        outcome_text: outcome_text(outcome, item.added_in_room, lang),
        status: item.status.key().into(),
        status_label: item.status.label(lang).into(),
        added_in_room: item.added_in_room,
        duration: clock(seconds(item.timer.elapsed(now)) as i64 * 1000),
        minutes: item.minutes.clone(),
        resolution: item.resolution.clone(),
        dissent: item
            .dissent
            .iter()
            .map(|d| DissentLine {
                participant: d.participant,
                name: d.name.clone(),
                text: d.text.clone(),
            })
            .collect(),
        speeches,
        votes,
        actions,
    }
}

fn count(label: String, n: u32, base: u32) -> Count {
    Count {
        label,
        count: n,
        share: share(n, base),
    }
}

/// "占到会人数" / "of those present": what a count's share is a share of.
fn base_words(base: BaseKind, lang: Lang) -> &'static str {
    let (zh, en) = match base {
        BaseKind::Cast => (
            "占投票数（不含弃权票）",
            "of votes cast, abstentions not counted",
        ),
        BaseKind::Present | BaseKind::Options => ("占到会人数", "of those present"),
        BaseKind::Eligible => ("占应到人数", "of all eligible"),
        BaseKind::Participating => ("占参与表决业主人数", "of participating owners"),
    };
    lang.pick(zh, en)
}

fn count_text(c: &Count, base: BaseKind, abstain: bool, lang: Lang, unit_votes: bool) -> String {
    let unit = if unit_votes { "票" } else { "人" };
    // Abstentions are outside a cast-based rule's base: they are counted, never given a share.
    if abstain && base == BaseKind::Cast {
        return match lang {
            Lang::Zh => format!("{} {} {unit}（不计入投票数）", c.label, c.count),
            Lang::En => format!("{} {} (not counted as votes cast)", c.label, c.count),
        };
    }
    let of = base_words(base, lang);
    match lang {
        Lang::Zh => format!("{} {} {unit}，{of} {}", c.label, c.count, c.share),
        Lang::En => format!("{} {} ({} {of})", c.label, c.count, c.share),
    }
}

fn vote_line(
    state: &State,
    eligible: u32,
    item: &crate::domain::state::Item,
    v: &VoteRecord,
    lang: Lang,
) -> VoteLine {
    let present = v.electorate.present;
    let base_kind = v.outcome.base;
    let base = v.share_base();
    let abstain_label = Label::Abstain.text(lang).to_string();
    let (yes, no, abstain, counts, options) = match &v.votes {
        Votes::YesNo { yes, no, abstain } => {
            let counts = vec![
                count(Label::Yes.text(lang).into(), yes.heads, base),
                count(Label::No.text(lang).into(), no.heads, base),
                count(abstain_label, abstain.heads, base),
            ];
            (
                Some(yes.heads),
                Some(no.heads),
                abstain.heads,
                counts,
                Vec::new(),
            )
        }
        Votes::Options { counts, abstain } => {
            let options: Vec<Count> = counts
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let name = option_name(v, i, lang);
                    let label = match lang {
                        Lang::Zh => format!("「{name}」"),
                        Lang::En => format!("“{name}”"),
                    };
                    count(label, *n, base)
                })
                .collect();
            let mut all = options.clone();
            all.push(count(abstain_label, *abstain, base));
            let named = options
                .into_iter()
                .enumerate()
                .map(|(i, c)| Count {
                    label: v.options.get(i).cloned().unwrap_or(c.label),
                    ..c
                })
                .collect();
            (None, None, *abstain, all, named)
        }
    };
    let unit_votes = matches!(v.votes, Votes::Options { .. });
    let last = counts.len().saturating_sub(1);
    let counts_text = counts
        .iter()
        .enumerate()
        .map(|(i, c)| count_text(c, base_kind, i == last, lang, unit_votes))
        .collect::<Vec<_>>()
        .join(lang.pick("\u{ff1b}", "; "));
    let result = match (v.outcome.passed, lang) {
        (true, Lang::Zh) => "通过",
        (false, Lang::Zh) => "未通过",
        (true, Lang::En) => "passed",
        (false, Lang::En) => "not passed",
    };
    VoteLine {
        question: v.question.clone(),
        rule: v.rule.key().into(),
        rule_label: v.rule.label(lang).into(),
        method: v.method.key().into(),
        method_label: v.method.label(lang).into(),
        yes,
        no,
        abstain,
        counts,
        counts_text,
        options,
        present,
        eligible: v.electorate.eligible,
        base: v.outcome.base.key().into(),
        base_count: v.outcome.base_count,
        passed: v.outcome.passed,
        result: result.into(),
        reason: v.outcome.reason.describe(lang, &v.options),
        superseded: v.superseded,
        void_mark: if v.superseded {
            Label::Superseded.text(lang).into()
        } else {
            String::new()
        },
        tellers: v.tellers.clone(),
        named: named_votes(state, v, lang),
        ballots: v
            .ballots
            .iter()
            .map(|(p, choice)| Ballot {
                participant: *p,
                name: state.name(*p).to_string(),
                choice: choice.key().into(),
                area: state.participant(*p).and_then(|p| p.area),
            })
            .collect(),
        areas: match &v.votes {
            Votes::YesNo { yes, no, abstain } if v.rule.needs_roll_call() => Some(AreaCounts {
                yes: yes.area,
                no: no.area,
                abstain: abstain.area,
                eligible: v.electorate.eligible_area,
            }),
            _ => None,
        },
        winner: v.outcome.winner.map(|i| option_name(v, i, lang)),
        tied: v
            .outcome
            .tied
            .iter()
            .map(|i| option_name(v, *i, lang))
            .collect(),
        // The quorum is counted of the meeting's eligible voters, as the tally checked it.
        quorum: QuorumLine::of(
            item.spec
                .vote
                .as_ref()
                .and_then(|s| s.quorum)
                .unwrap_or(state.meeting.quorum),
            eligible,
            lang,
        ),
        at: v.at,
    }
}

/// A plurality option by its name, or by its place where the record has no name for it.
fn option_name(v: &VoteRecord, i: usize, lang: Lang) -> String {
    v.options.get(i).cloned().unwrap_or_else(|| match lang {
        Lang::Zh => format!("第 {} 项", i + 1),
        Lang::En => format!("option {}", i + 1),
    })
}

/// A roll call, named: "赞成：张建国、李秀英；反对：王磊". Empty for other methods.
fn named_votes(state: &State, v: &VoteRecord, lang: Lang) -> String {
    use crate::domain::tally::Choice;
    [Choice::Yes, Choice::No, Choice::Abstain]
        .iter()
        .filter_map(|choice| {
            let names: Vec<&str> = v
                .ballots
                .iter()
                .filter(|(_, c)| c == choice)
                .map(|(p, _)| state.name(*p))
                .collect();
            (!names.is_empty()).then(|| {
                format!(
                    "{}{}{}",
                    choice.label(lang),
                    lang.pick("\u{ff1a}", ": "),
                    names.join(lang.pick("、", ", "))
                )
            })
        })
        .collect::<Vec<_>>()
        .join(lang.pick("\u{ff1b}", "; "))
}

fn participation(state: &State, item: Option<ItemId>, now: Millis, lang: Lang) -> Participation {
    let people = state.time_by_person(item, now);
    let by = state.groups_of(&people);
    let secs_of = |g: RoleGroup| seconds(by.get(&g).copied().unwrap_or(0));
    let total: u64 = RoleGroup::ALL.iter().map(|g| secs_of(*g)).sum();
    let pct = |s: u64| {
        share(
            u32::try_from(s).unwrap_or(u32::MAX),
            u32::try_from(total).unwrap_or(u32::MAX),
        )
    };
    let by_group: Vec<GroupTime> = RoleGroup::ALL
        .iter()
        .map(|g| GroupTime {
            group: g.key().into(),
            label: g.label(lang).into(),
            seconds: secs_of(*g),
            clock: clock(secs_of(*g) as i64 * 1000),
            share: pct(secs_of(*g)),
        })
        .collect();
    let speakers = people.len() as u32;
    let speeches: u32 = people.iter().map(|p| p.2).sum();
    let residents_share = pct(secs_of(RoleGroup::Residents));
    let total_clock = clock(total as i64 * 1000);
    let groups = by_group
        .iter()
        .filter(|g| g.seconds > 0)
        .map(|g| match lang {
            Lang::Zh => format!("{} {}\u{ff08}{}\u{ff09}", g.label, g.clock, g.share),
            Lang::En => format!("{} {} ({})", g.label, g.clock, g.share),
        })
        .collect::<Vec<_>>()
        .join(lang.pick("\u{ff0c}", ", "));
    let text = match lang {
        Lang::Zh => format!(
            "共 {speakers} 人发言 {speeches} 次，发言总时长 {total_clock}；居民及代表发言时长占 {residents_share}。{}",
            if groups.is_empty() {
                String::new()
            } else {
                format!("按身份：{groups}。")
            }
        ),
        Lang::En => format!(
            "{} spoke {} for {total_clock} in all; residents and representatives had {residents_share} of the speaking time.{}",
            if speakers == 1 {
                "1 person".to_string()
            } else {
                format!("{speakers} people")
            },
            match speeches {
                1 => "once".to_string(),
                2 => "twice".to_string(),
                n => format!("{n} times"),
            },
            if groups.is_empty() {
                String::new()
            } else {
                format!(" By group: {groups}.")
            }
        ),
    };
    Participation {
        by_group,
        speakers,
        speeches,
        total: total_clock,
        residents_share,
        text,
    }
}
