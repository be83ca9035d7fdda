//! The neutral minutes view: everything a format prints, computed once from the meeting's
//! state. Shares, reasons, clocks and labels are worked out here so that Markdown, HTML, Word,
//! spreadsheets and JSON can never disagree about a number.

use std::collections::BTreeSet;

use chrono::{DateTime, Local, NaiveDate, TimeZone};
use serde::Serialize;

use crate::domain::model::{ItemId, Millis, Role, RoleGroup};
use crate::domain::state::{Presence, State, VoteRecord};
use crate::domain::tally::{Votes, share};
use crate::domain::timer::clock;
use crate::lang::Lang;
use crate::safe_text::clean_file_text;

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
    /// The day the meeting is filed under.
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
    /// Those attending, grouped by role in the order of the 7+X parties.
    pub present_by_role: Vec<RoleList>,
    pub absent: Vec<String>,
    pub items: Vec<ItemMinutes>,
    pub participation: Participation,
    pub objection_days: Option<u32>,
    /// `记录校验码 3f9a-…（第 214 条）`: the record's chain head when exported, printed beside
    /// the signatures so that a signed paper copy anchors the file (`yishi verify --expect`).
    pub check: Option<String>,
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
    pub name: String,
    pub role: String,
    pub role_label: String,
    pub status: String,
    pub status_label: String,
    pub voter: bool,
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
    pub status: String,
    pub status_label: String,
    pub added_in_room: bool,
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
    pub name: String,
    pub role: String,
    pub role_label: String,
    pub kind_label: String,
    pub seconds: u64,
    pub clock: String,
}

/// One count and its share of those present.
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
    /// The result in words, with the numbers.
    pub reason: String,
    pub superseded: bool,
    pub tellers: Vec<String>,
    /// A roll call's choices by name; empty for a show of hands or a secret ballot.
    pub named: String,
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
        let date = agenda_start
            .map(|d| d.date_naive())
            .or(start.map(|s| s.date_naive()))
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

        let attendance = state
            .participants
            .iter()
            .map(|p| {
                let status = state.presence(p.id);
                Attendee {
                    name: p.name.clone(),
                    role: p.role.key().into(),
                    role_label: p.role.label(lang).into(),
                    status: status.key().into(),
                    status_label: status.label(lang).into(),
                    voter: p.voter,
                }
            })
            .collect();
        let present_by_role = Role::ALL
            .iter()
            .filter_map(|role| {
                let names: Vec<String> = state
                    .participants
                    .iter()
                    .filter(|p| p.role == *role && state.presence(p.id).attends())
                    .map(|p| format!("{}{}", p.name, presence_note(state.presence(p.id), lang)))
                    .collect();
                (!names.is_empty()).then(|| RoleList {
                    role: role.label(lang).into(),
                    names,
                })
            })
            .collect();
        let absent = state
            .participants
            .iter()
            .filter(|p| !state.presence(p.id).attends())
            .map(|p| p.name.clone())
            .collect();

        let chosen: Vec<(usize, &crate::domain::state::Item)> = state
            .items
            .iter()
            .enumerate()
            .filter(|(i, _)| item.is_none_or(|n| n == i + 1))
            .collect();
        let items = chosen
            .iter()
            .map(|(i, it)| item_minutes(state, *i + 1, it, now, lang))
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
            items,
            participation,
            objection_days: m.objection_days,
            check: None,
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
        let c = clean_file_text;
        let all = |v: &mut Vec<String>| v.iter_mut().for_each(clean_file_text);
        c(&mut self.title);
        self.starts.iter_mut().for_each(c);
        for t in [&mut self.place, &mut self.host, &mut self.recorder] {
            t.iter_mut().for_each(c);
        }
        c(&mut self.attendance_text);
        for a in &mut self.attendance {
            c(&mut a.name);
        }
        for r in &mut self.present_by_role {
            all(&mut r.names);
        }
        all(&mut self.absent);
        all(&mut self.people);
        for item in &mut self.items {
            c(&mut item.title);
            item.proposer.iter_mut().for_each(c);
            c(&mut item.minutes);
            c(&mut item.resolution);
            for d in &mut item.dissent {
                d.name.iter_mut().for_each(c);
                c(&mut d.text);
            }
            for s in &mut item.speeches {
                c(&mut s.name);
            }
            for v in &mut item.votes {
                c(&mut v.question);
                for n in v.counts.iter_mut().chain(v.options.iter_mut()) {
                    c(&mut n.label);
                }
                c(&mut v.counts_text);
                c(&mut v.reason);
                all(&mut v.tellers);
                c(&mut v.named);
            }
            for a in &mut item.actions {
                c(&mut a.what);
                c(&mut a.owner);
                a.due.iter_mut().for_each(c);
            }
        }
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
            Superseded => ("已重新表决", "superseded by a new vote"),
            Tellers => ("计票人", "Tellers"),
            Named => ("记名表决", "Roll call"),
            None => ("无", "none"),
            Question => ("表决事项", "Question"),
            Meeting => ("会议", "Meeting"),
            What => ("事项", "What"),
            Yes => ("同意", "Yes"),
            No => ("反对", "No"),
            Abstain => ("弃权", "Abstain"),
        };
        lang.pick(zh, en)
    }
}

fn item_minutes(
    state: &State,
    number: usize,
    item: &crate::domain::state::Item,
    now: Millis,
    lang: Lang,
) -> ItemMinutes {
    let mut speeches: Vec<_> = state
        .speeches
        .iter()
        .chain(state.speech.iter())
        .filter(|s| s.item == item.id)
        .collect();
    speeches.sort_by_key(|s| (s.started_at, s.id));
    let speeches = speeches
        .into_iter()
        .map(|s| {
            let role = state.participant(s.participant).map(|p| p.role);
            let secs = seconds(s.elapsed(now));
            SpeechLine {
                name: state.name(s.participant).to_string(),
                role: role.map_or("other", |r| r.key()).into(),
                role_label: role.map_or("", |r| r.label(lang)).into(),
                kind_label: s.kind.label(lang).into(),
                seconds: secs,
                clock: clock(secs as i64 * 1000),
            }
        })
        .collect();
    let votes = state
        .votes
        .iter()
        .filter(|v| v.item == item.id)
        .map(|v| vote_line(state, v, lang))
        .collect();
    let actions = state
        .actions
        .iter()
        .filter(|a| a.item == item.id)
        .map(|a| ActionLine {
            what: a.what.clone(),
            owner: a.owner.clone(),
            due: a.due.clone(),
            status: a.status.key().into(),
            status_label: a.status.label(lang).into(),
        })
        .collect();
    ItemMinutes {
        number,
        id: item.id,
        title: item.spec.title.clone(),
        proposer: item.spec.proposer.clone(),
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
                name: d.name.clone(),
                text: d.text.clone(),
            })
            .collect(),
        speeches,
        votes,
        actions,
    }
}

fn count(label: String, n: u32, present: u32, lang: Lang) -> Count {
    let _ = lang;
    Count {
        label,
        count: n,
        share: share(n, present),
    }
}

fn count_text(c: &Count, lang: Lang, unit_votes: bool) -> String {
    match (lang, unit_votes) {
        (Lang::Zh, false) => format!("{} {} 人，占到会人数 {}", c.label, c.count, c.share),
        (Lang::Zh, true) => format!("{} {} 票，占到会人数 {}", c.label, c.count, c.share),
        (Lang::En, _) => format!("{} {} ({} of those present)", c.label, c.count, c.share),
    }
}

fn vote_line(state: &State, v: &VoteRecord, lang: Lang) -> VoteLine {
    let present = v.electorate.present;
    let abstain_label = Label::Abstain.text(lang).to_string();
    let (yes, no, abstain, counts, options) = match &v.votes {
        Votes::YesNo { yes, no, abstain } => {
            let counts = vec![
                count(Label::Yes.text(lang).into(), yes.heads, present, lang),
                count(Label::No.text(lang).into(), no.heads, present, lang),
                count(abstain_label, abstain.heads, present, lang),
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
                    let name = v.options.get(i).cloned().unwrap_or_else(|| match lang {
                        Lang::Zh => format!("第 {} 项", i + 1),
                        Lang::En => format!("option {}", i + 1),
                    });
                    let label = match lang {
                        Lang::Zh => format!("「{name}」"),
                        Lang::En => format!("“{name}”"),
                    };
                    Count {
                        label,
                        count: *n,
                        share: share(*n, present),
                    }
                })
                .collect();
            let mut all = options.clone();
            all.push(count(abstain_label, *abstain, present, lang));
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
    let counts_text = counts
        .iter()
        .map(|c| count_text(c, lang, unit_votes))
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
        tellers: v.tellers.clone(),
        named: named_votes(state, v, lang),
    }
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
    let by = state.time_by_group(item, now);
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
    let people = state.time_by_person(item, now);
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
