//! Agenda files (TOML) → the domain `Setup`, with every problem located at file:line:column.
//!
//! The file is first read into raw structs that keep the position of every value that is
//! checked afterwards. Syntax errors, unknown keys and wrong types come from the TOML reader
//! (one at a time, as it stops there); every other problem is collected in one pass, so a
//! social worker fixing an agenda the evening before sees all of them at once.

use std::ops::Range;
use std::path::Path;

use chrono::DateTime;
use serde::Deserialize;
use toml::{Spanned, Value};
use unicode_width::UnicodeWidthChar;

use crate::domain::model::{
    Area, ItemKind, ItemSpec, MeetingKind, MeetingSpec, Participant, Role, Setup, UnitArea,
    VoteSpec,
};
use crate::domain::quorum::Quorum;
use crate::domain::tally::Rule;
use crate::lang::Lang;

/// The built-in demo meeting that `yishi` opens with no arguments.
pub const DEMO: &str = include_str!("../agendas/elevator.toml");

/// Time per speech when the agenda gives none.
const DEFAULT_SPEAKER_LIMIT: u32 = 180;
/// Time per item when the agenda gives none.
const DEFAULT_DURATION: u32 = 600;

/// One problem in an agenda, at a 1-based line and display column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Problem {
    /// `FILE:LINE:COL: message`, the way compilers and editors expect it.
    pub fn render(&self, file: &str) -> String {
        format!("{file}:{}:{}: {}", self.line, self.column, self.message)
    }
}

/// Why an agenda could not be loaded.
#[derive(Debug)]
pub enum AgendaError {
    /// A full sentence in the user's language, naming the file.
    Unreadable(String),
    Problems(Vec<Problem>),
}

impl AgendaError {
    /// Every line to print, joined by newlines.
    pub fn render(&self, file: &str) -> String {
        match self {
            AgendaError::Unreadable(message) => message.clone(),
            AgendaError::Problems(problems) => problems
                .iter()
                .map(|p| p.render(file))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

impl std::fmt::Display for AgendaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render("agenda"))
    }
}

impl std::error::Error for AgendaError {}

/// The same message in either language, with the same arguments.
macro_rules! say {
    ($lang:expr, $zh:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            Lang::Zh => format!($zh $(, $arg)*),
            Lang::En => format!($en $(, $arg)*),
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Raw file shape

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgenda {
    meeting: Option<Spanned<RawMeeting>>,
    participants: Option<Vec<Spanned<RawParticipant>>>,
    items: Option<Spanned<Vec<Spanned<RawItem>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeeting {
    title: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
    starts: Option<Spanned<Value>>,
    place: Option<String>,
    host: Option<Spanned<String>>,
    recorder: Option<Spanned<String>>,
    speaker_limit: Option<Spanned<Value>>,
    eligible: Option<Spanned<i64>>,
    quorum: Option<Spanned<Value>>,
    objection_days: Option<Spanned<i64>>,
    total_area: Option<Spanned<Value>>,
    max_proxies: Option<Spanned<i64>>,
    issuer: Option<String>,
    contact: Option<String>,
    /// The day the meeting notice was posted.
    notice_posted: Option<Spanned<Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParticipant {
    name: Option<Spanned<String>>,
    role: Option<Spanned<String>>,
    unit: Option<String>,
    area: Option<Spanned<Value>>,
    voter: Option<bool>,
    phone: Option<Spanned<Value>>,
    units: Option<Spanned<Vec<Spanned<RawUnit>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnit {
    unit: Option<Spanned<String>>,
    area: Option<Spanned<Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    title: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
    proposer: Option<String>,
    duration: Option<Spanned<Value>>,
    description: Option<String>,
    vote: Option<Spanned<RawVote>>,
    /// The 议题库 number of the proposal this item takes up.
    proposal: Option<Spanned<i64>>,
    /// In an evaluation meeting, the action item this item reviews (`MEETING-ACTION`).
    reviews: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVote {
    question: Option<Spanned<String>>,
    rule: Option<Spanned<String>>,
    options: Option<Spanned<Vec<Spanned<String>>>>,
    quorum: Option<Spanned<Value>>,
}

// ---------------------------------------------------------------------------------------------
// Public entry points

/// Parses an agenda. Messages are in `lang`.
pub fn parse(source: &str, lang: Lang) -> Result<Setup, Vec<Problem>> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let raw: RawAgenda = match toml::from_str(source) {
        Ok(raw) => raw,
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            let (line, column) = position(source, offset);
            return Err(vec![Problem {
                line,
                column,
                message: toml_message(e.message(), lang),
            }]);
        }
    };
    let mut check = Check {
        lang,
        found: Vec::new(),
        eligible_span: None,
        quorum_span: None,
        eligible_ok: true,
        area_spans: Vec::new(),
        total_area_span: None,
    };
    let setup = check.agenda(raw, source.len());
    if check.found.is_empty() {
        Ok(setup)
    } else {
        check.found.sort_by_key(|(offset, _)| *offset);
        Err(check
            .found
            .into_iter()
            .map(|(offset, message)| {
                let (line, column) = position(source, offset);
                Problem {
                    line,
                    column,
                    message,
                }
            })
            .collect())
    }
}

/// Reads and parses an agenda file.
pub fn load(path: &Path, lang: Lang) -> Result<Setup, AgendaError> {
    let shown = path.display();
    let bytes = std::fs::read(path).map_err(|e| {
        let why = io_reason(&e, lang);
        AgendaError::Unreadable(say!(
            lang,
            "无法读取议程文件 {}：{}",
            "cannot read agenda file {}: {}",
            shown,
            why
        ))
    })?;
    let source = String::from_utf8(bytes).map_err(|_| {
        AgendaError::Unreadable(say!(
            lang,
            "无法读取议程文件 {}：文件不是 UTF-8 编码的文本，请用 UTF-8 另存后再试",
            "cannot read agenda file {}: it is not UTF-8 text; save it as UTF-8 and try again",
            shown
        ))
    })?;
    parse(&source, lang).map_err(AgendaError::Problems)
}

/// The one line `yishi check` prints when an agenda is fine.
pub fn summary(setup: &Setup, lang: Lang) -> String {
    let people = setup.participants.len();
    let voters = setup.voters();
    let items = setup.items.len();
    let planned = format_duration(setup.planned_secs(), lang);
    match lang {
        Lang::Zh => format!(
            "{}：参会 {people} 人（表决 {voters} 人），议题 {items} 项，计划用时 {planned}",
            setup.meeting.title
        ),
        Lang::En => format!(
            "{}: {people} {} ({voters} {}), {items} {}, {planned} planned",
            setup.meeting.title,
            plural(people, "participant", "participants"),
            plural(voters, "voter", "voters"),
            plural(items, "item", "items"),
        ),
    }
}

/// A span of time as people say it: `1小时5分钟` / `1h05m`, `2分30秒` / `2m30s`.
pub fn format_duration(secs: u64, lang: Lang) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut out = String::new();
    match lang {
        Lang::Zh => {
            if h > 0 {
                out.push_str(&format!("{h}小时"));
            }
            if m > 0 {
                // 25分钟, but 2分30秒.
                out.push_str(&format!("{m}{}", if s > 0 { "分" } else { "分钟" }));
            }
            if s > 0 || secs == 0 {
                out.push_str(&format!("{s}秒"));
            }
        }
        Lang::En => {
            if h > 0 {
                out.push_str(&format!("{h}h"));
                if m > 0 || s > 0 {
                    out.push_str(&format!("{m:02}m"));
                }
                if s > 0 {
                    out.push_str(&format!("{s:02}s"));
                }
            } else if m > 0 {
                out.push_str(&format!("{m}m"));
                if s > 0 {
                    out.push_str(&format!("{s:02}s"));
                }
            } else {
                out.push_str(&format!("{s}s"));
            }
        }
    }
    out
}

/// `90s`, `3m`, `1h30m`, `1h`, `2m30s` → seconds. Units h, m, s in that order, each at most
/// once; the total must be positive.
pub fn parse_duration(s: &str) -> Option<u32> {
    let s = s.trim();
    let mut total: u32 = 0;
    let mut digits = String::new();
    let mut last_unit = 0; // 1 = h, 2 = m, 3 = s
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let (rank, factor) = match c {
            'h' => (1, 3600),
            'm' => (2, 60),
            's' => (3, 1),
            _ => return None,
        };
        if digits.is_empty() || rank <= last_unit {
            return None;
        }
        let n: u32 = digits.parse().ok()?;
        total = total.checked_add(n.checked_mul(factor)?)?;
        digits.clear();
        last_unit = rank;
    }
    if !digits.is_empty() || total == 0 {
        return None;
    }
    Some(total)
}

// ---------------------------------------------------------------------------------------------
// Checking

struct Check {
    lang: Lang,
    /// (byte offset, message)
    found: Vec<(usize, String)>,
    /// Where the header's `eligible` and `quorum` are, for checks that need the whole file.
    eligible_span: Option<Range<usize>>,
    quorum_span: Option<Range<usize>>,
    /// False when `eligible` was given but invalid, so it is not compared again.
    eligible_ok: bool,
    /// Where each participant's `area` is, in list order.
    area_spans: Vec<Option<Range<usize>>>,
    /// Where the header's `total_area` is.
    total_area_span: Option<Range<usize>>,
}

impl Check {
    fn at(&mut self, span: Range<usize>, message: String) {
        self.found.push((span.start, message));
    }

    fn agenda(&mut self, raw: RawAgenda, end: usize) -> Setup {
        let lang = self.lang;
        let meeting = match raw.meeting {
            Some(m) => {
                let span = m.span();
                self.meeting(m.into_inner(), span)
            }
            None => {
                self.at(
                    0..0,
                    say!(
                        lang,
                        "缺少 [meeting] 表；请在文件开头写上 [meeting] 和会议标题 title = \"…\"",
                        "missing the [meeting] table; start the file with [meeting] and a title = \"…\""
                    ),
                );
                placeholder_meeting()
            }
        };

        let mut participants = Vec::new();
        let mut names: Vec<(String, Range<usize>)> = Vec::new();
        for (index, p) in raw.participants.unwrap_or_default().into_iter().enumerate() {
            let span = p.span();
            let p = self.participant(p.into_inner(), span, index, &mut names);
            participants.push(p);
        }

        let mut items = Vec::new();
        // The first item decided by an owners' rule, for the area check below.
        let mut owner_rule_item: Option<(String, Rule)> = None;
        match raw.items {
            Some(list) if !list.get_ref().is_empty() => {
                for item in list.into_inner() {
                    let span = item.span();
                    let item = self.item(item.into_inner(), span, meeting.kind);
                    // The rule the item will really be voted by: its own, or the meeting
                    // kind's default for a vote taken in the room.
                    let rule = item
                        .vote
                        .as_ref()
                        .map_or_else(|| meeting.kind.default_rule(), |v| v.rule);
                    if rule.needs_roll_call() && owner_rule_item.is_none() {
                        owner_rule_item = Some((item.title.clone(), rule));
                    }
                    items.push(item);
                }
            }
            Some(list) => {
                let span = list.span();
                self.at(span, self.no_items());
            }
            None => {
                let message = self.no_items();
                self.found.push((end, message));
            }
        }

        if let Some((title, rule)) = &owner_rule_item {
            for (p, (_, span)) in participants.iter().zip(&names) {
                if p.voter && p.area.is_none() {
                    self.at(
                        span.clone(),
                        say!(
                            lang,
                            "表决人 \"{}\" 没有填写面积，但议题 \"{}\" 按业主规则 {} 表决，要计算专有部分面积；请填写 area = 平方米数，或设 voter = false",
                            "voter \"{}\" has no area, but item \"{}\" is decided by the owners' rule {}, which counts floor area; add area = square metres, or set voter = false",
                            p.name,
                            title,
                            rule.key()
                        ),
                    );
                }
            }
        }

        let by_area = owner_rule_item.is_some();
        self.someone_can_vote(&participants, &names, by_area, by_area, end);
        if by_area {
            self.one_register(&meeting, &participants);
        }

        let voters = participants.iter().filter(|p| p.voter).count() as u32;
        if let Some(eligible) = meeting.eligible
            && eligible < voters
        {
            let span = self.eligible_span.clone().unwrap_or(0..0);
            self.at(
                span,
                say!(
                    lang,
                    "应到人数 eligible = {} 少于名单上的表决人数 {}；请改为至少 {}，或删去 eligible 按名单计算",
                    "eligible = {} is smaller than the {} voters listed; make it at least {}, or remove eligible to count the list",
                    eligible,
                    voters,
                    voters
                ),
            );
        }
        if let Quorum::AtLeast(n) = meeting.quorum {
            let eligible = meeting.eligible.unwrap_or(voters);
            if n > eligible && self.eligible_ok {
                let span = self.quorum_span.clone().unwrap_or(0..0);
                self.at(
                    span,
                    say!(
                        lang,
                        "法定人数 quorum = {} 大于应到人数 {}，会议永远不能表决；请改小",
                        "quorum = {} is more than the {} eligible, so no vote could ever be taken; lower it",
                        n,
                        eligible
                    ),
                );
            }
        }

        Setup {
            meeting,
            participants,
            items,
        }
    }
}

impl Check {
    /// Under an owners' rule heads and area come from one register: an `eligible` above the
    /// owners listed needs the registered `total_area` too, and the other way round.
    fn one_register(&mut self, meeting: &MeetingSpec, participants: &[Participant]) {
        let lang = self.lang;
        let owners = participants.iter().filter(|p| p.is_owner()).count() as u32;
        let listed: u64 = participants
            .iter()
            .filter(|p| p.is_owner())
            .filter_map(|p| p.area)
            .map(|a| a.0)
            .sum();
        match (meeting.eligible, meeting.total_area) {
            (Some(e), None) if e > owners && self.eligible_ok => {
                let span = self.eligible_span.clone().unwrap_or(0..0);
                self.at(
                    span,
                    say!(
                        lang,
                        "应到人数 eligible = {} 多于名单上有面积的 {} 位业主，但没有写全体业主的专有部分总面积；业主表决的人数和面积须出自同一份名册：请添加 total_area = 平方米数（名册上的总面积），或列出全部业主",
                        "eligible = {} is more than the {} owners listed with an area, but no total area is given; an owners' vote counts heads and area from one register: add total_area = square metres (the register's total), or list every owner",
                        e,
                        owners
                    ),
                );
            }
            (None, Some(_)) => {
                let span = self.total_area_span.clone().unwrap_or(0..0);
                self.at(
                    span,
                    say!(
                        lang,
                        "写了全体业主的专有部分总面积 total_area，却没有写同一份名册上的业主人数；请添加 eligible = 业主总人数",
                        "total_area is given but not the number of owners in the same register; add eligible = the number of all owners"
                    ),
                );
            }
            (_, Some(total)) if total.0 < listed => {
                let span = self.total_area_span.clone().unwrap_or(0..0);
                self.at(
                    span,
                    say!(
                        lang,
                        "总面积 total_area = {} 小于名单上业主面积之和 {} 平方米；请核对名册",
                        "total_area = {} is less than the {} m² of the owners listed; check the register",
                        total,
                        Area(listed)
                    ),
                );
            }
            _ => {}
        }
    }

    /// A meeting nobody can vote in: a list on which no one is a voter, or items decided by
    /// floor area (`by_area`) where no voter has an area above 0, so no share of it can ever be
    /// reached (walk-ins have no area). A meeting with no list at all signs everyone in as a
    /// walk-in. `each_reported`: every voter without an area was already named.
    fn someone_can_vote(
        &mut self,
        participants: &[Participant],
        names: &[(String, Range<usize>)],
        by_area: bool,
        each_reported: bool,
        end: usize,
    ) {
        let lang = self.lang;
        let Some((_, first)) = names.first() else {
            if by_area {
                self.found.push((
                    end,
                    say!(
                        lang,
                        "业主表决按专有部分面积计算，但议程里没有业主名单，现场签到的人没有面积，永远不能表决；请添加 [[participants]]，写上 name、role 和 area（平方米）",
                        "owners vote by floor area, but the agenda lists no owners and people signed in at the door have no area, so no vote could ever be taken; add [[participants]] with a name, a role and an area in square metres"
                    ),
                ));
            }
            return;
        };
        let voters: Vec<usize> = (0..participants.len())
            .filter(|i| participants[*i].voter)
            .collect();
        if voters.is_empty() {
            self.at(
                first.clone(),
                say!(
                    lang,
                    "名单上的 {} 位参会人都不参加表决，会议永远不能表决；请给有表决权的人写上 voter = true，或添加有表决权的参会人",
                    "none of the {} participants listed is a voter, so no vote could ever be taken; set voter = true for those who vote, or add participants who do",
                    participants.len()
                ),
            );
            return;
        }
        // Voters without an area are reported one by one where an owners' rule is used.
        let with_area: Vec<usize> = voters
            .iter()
            .copied()
            .filter(|i| participants[*i].area.is_some())
            .collect();
        if by_area && !each_reported && with_area.is_empty() {
            let (_, span) = &names[voters[0]];
            self.at(
                span.clone(),
                say!(
                    lang,
                    "业主大会按专有部分面积表决，但名单上没有一位表决人填写了面积；请为每位业主填写 area = 平方米数",
                    "an owners' meeting votes by floor area, but no voter on the list has an area; add area = square metres for each owner"
                ),
            );
            return;
        }
        if by_area
            && let Some(&i) = with_area.first()
            && with_area
                .iter()
                .all(|i| participants[*i].area == Some(Area(0)))
        {
            let span = self.area_spans.get(i).cloned().flatten().unwrap_or(0..0);
            self.at(
                span,
                say!(
                    lang,
                    "表决人的面积 area 都是 0，业主表决按专有部分面积计算，永远达不到通过所需的面积比例；请填写各业主专有部分的建筑面积（平方米）",
                    "every voter's area is 0, but owners vote by floor area, so no share of it could ever be reached; give each owner's floor area in square metres"
                ),
            );
        }
    }

    /// Refuses a name with a character nobody can see (a zero-width space, a line break, a
    /// direction override): two names that look the same would be two people in the record.
    /// `alike` is the earlier participant this name looks like, if any. True when refused.
    fn name_characters(
        &mut self,
        name: &str,
        span: Range<usize>,
        what: (&str, &str),
        alike: Option<(usize, &str)>,
    ) -> bool {
        let lang = self.lang;
        let Some(bad) = name.chars().find(|c| invisible(*c)) else {
            return false;
        };
        let shown: String = name
            .chars()
            .map(|c| {
                if invisible(c) {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect();
        let which = match bad {
            '\n' | '\r' => lang.pick("换行", "a line break").to_string(),
            '\t' => lang.pick("制表符", "a tab").to_string(),
            c => say!(
                lang,
                "看不见的字符 U+{:04X}",
                "an invisible character, U+{:04X}",
                c as u32
            ),
        };
        let looks = alike.map_or_else(String::new, |(i, other)| {
            say!(
                lang,
                "，看起来与第 {} 位参会人 \"{}\" 相同",
                ", and looks the same as participant {} \"{}\"",
                i + 1,
                other
            )
        });
        self.at(
            span,
            say!(
                lang,
                "{} \"{}\" 中含有{}{}；请删去它，只留下看得见的字",
                "the {} \"{}\" holds {}{}; delete it and keep only the visible letters",
                lang.pick(what.0, what.1),
                shown,
                which,
                looks
            ),
        );
        true
    }

    fn no_items(&self) -> String {
        say!(
            self.lang,
            "议程里没有议题；请至少添加一个 [[items]]，并写上 title = \"…\"",
            "the agenda has no items; add at least one [[items]] with a title = \"…\""
        )
    }

    /// A required, non-empty text such as a title or a name.
    fn text(
        &mut self,
        value: Option<Spanned<String>>,
        owner: &Range<usize>,
        what: (&str, &str),
        key: &str,
    ) -> (String, Range<usize>) {
        let lang = self.lang;
        match value {
            Some(v) if !v.get_ref().trim().is_empty() => {
                let span = v.span();
                (v.into_inner().trim().to_string(), span)
            }
            Some(v) => {
                self.at(
                    v.span(),
                    say!(
                        lang,
                        "{}不能为空；请填写 {} = \"…\"",
                        "the {} is empty; fill in {} = \"…\"",
                        lang.pick(what.0, what.1),
                        key
                    ),
                );
                (String::new(), v.span())
            }
            None => {
                self.at(
                    owner.clone(),
                    say!(
                        lang,
                        "缺少{}；请添加 {} = \"…\"",
                        "missing the {}; add {} = \"…\"",
                        lang.pick(what.0, what.1),
                        key
                    ),
                );
                (String::new(), owner.clone())
            }
        }
    }

    /// A duration such as `"3m"`, in seconds, or `None` after reporting why not.
    fn duration(&mut self, value: Spanned<Value>, key: &str) -> Option<u32> {
        let lang = self.lang;
        let span = value.span();
        let message = match value.get_ref() {
            Value::String(s) => match parse_duration(s) {
                Some(secs) => return Some(secs),
                None => say!(
                    lang,
                    "无法识别的时长 {} = \"{}\"；请写成如 \"90s\"、\"3m\"、\"1h30m\"（单位 h、m、s，依次各用一次，总时长大于零）",
                    "cannot read {} = \"{}\"; write a duration like \"90s\", \"3m\" or \"1h30m\" (units h, m, s, in that order, each once, more than zero)",
                    key,
                    s
                ),
            },
            Value::Integer(n) => say!(
                lang,
                "时长 {} = {} 没有单位；请写成带引号和单位的字符串，如 \"{}m\"（{} 分钟）",
                "{} = {} has no unit; write it as a quoted string with a unit, e.g. \"{}m\" for {} minutes",
                key,
                n,
                n,
                n
            ),
            other => say!(
                lang,
                "时长 {} 应当是字符串，如 \"10m\"，这里是{}",
                "{} should be a string like \"10m\", not {}",
                key,
                value_type(other, lang)
            ),
        };
        self.at(span, message);
        None
    }

    fn meeting(&mut self, m: RawMeeting, span: Range<usize>) -> MeetingSpec {
        let lang = self.lang;
        let (title, _) = self.text(m.title, &span, ("会议标题", "meeting title"), "title");
        let kind = match m.kind {
            None => MeetingKind::Consultation,
            Some(k) => match MeetingKind::parse(k.get_ref().trim()) {
                Some(kind) => kind,
                None => {
                    self.at(
                        k.span(),
                        say!(
                            lang,
                            "未知的会议类型 \"{}\"，可选：{}",
                            "unknown meeting kind \"{}\"; expected one of: {}",
                            k.get_ref(),
                            MeetingKind::keys()
                        ),
                    );
                    MeetingKind::Consultation
                }
            },
        };
        let starts = m.starts.and_then(|v| self.starts(v));
        let speaker_limit_secs = m
            .speaker_limit
            .and_then(|v| self.duration(v, "speaker_limit"))
            .unwrap_or(DEFAULT_SPEAKER_LIMIT);
        let eligible = m.eligible.and_then(|e| {
            self.eligible_span = Some(e.span());
            let n = *e.get_ref();
            match u32::try_from(n) {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    self.eligible_ok = false;
                    self.at(
                        e.span(),
                        say!(
                            lang,
                            "应到人数 eligible = {} 不对；请写一个正整数，或删去它按表决人数计算",
                            "eligible = {} is not valid; write a positive whole number, or remove it to count the voters",
                            n
                        ),
                    );
                    None
                }
            }
        });
        let quorum = m.quorum.map_or(Quorum::Majority, |q| {
            self.quorum_span = Some(q.span());
            self.quorum(q)
        });
        let objection_days = m.objection_days.and_then(|d| {
            let n = *d.get_ref();
            match u32::try_from(n) {
                Ok(n) if (1..=365).contains(&n) => Some(n),
                _ => {
                    self.at(
                        d.span(),
                        say!(
                            lang,
                            "公示期 objection_days = {} 不对；请写 1 到 365 之间的天数，如 7",
                            "objection_days = {} is not valid; write a number of days from 1 to 365, e.g. 7",
                            n
                        ),
                    );
                    None
                }
            }
        });
        let total_area = m.total_area.and_then(|a| {
            self.total_area_span = Some(a.span());
            self.area_value(a, "total_area")
        });
        let max_proxies = m.max_proxies.and_then(|n| {
            let span = n.span();
            let value = *n.get_ref();
            if !kind.allows_proxies() {
                self.at(
                    span,
                    say!(
                        lang,
                        "{}不接受委托（委员须本人出席），max_proxies 用不上；请删去它",
                        "an {} takes no proxies (members attend in person), so max_proxies has no use; remove it",
                        kind.label(lang)
                    ),
                );
                return None;
            }
            match u32::try_from(value) {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    self.at(
                        span,
                        say!(
                            lang,
                            "每人最多受托数 max_proxies = {} 不对；请写一个正整数，如 1",
                            "max_proxies = {} is not valid; write a positive whole number, e.g. 1",
                            value
                        ),
                    );
                    None
                }
            }
        });
        let notice_posted = m.notice_posted.and_then(|v| {
            let span = v.span();
            let text = match v.get_ref() {
                Value::String(s) => s.trim().to_string(),
                Value::Datetime(d) => d.to_string(),
                _ => String::new(),
            };
            if chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").is_ok() {
                Some(text)
            } else {
                self.at(
                    span,
                    say!(
                        lang,
                        "通知张贴日期 notice_posted 无法识别；请写成 \"2026-11-28\" 这样的日期",
                        "cannot read notice_posted; write a date like \"2026-11-28\""
                    ),
                );
                None
            }
        });
        let mut person = |value: Option<Spanned<String>>, what: (&str, &str)| {
            let value = value?;
            let span = value.span();
            let name = nonempty(Some(value.into_inner()))?;
            self.name_characters(&name, span, what, None);
            Some(name)
        };
        let host = person(m.host, ("主持人姓名", "host's name"));
        let recorder = person(m.recorder, ("记录人姓名", "recorder's name"));
        MeetingSpec {
            title,
            kind,
            starts,
            place: nonempty(m.place),
            host,
            recorder,
            speaker_limit_secs,
            eligible,
            quorum,
            objection_days,
            total_area,
            max_proxies,
            issuer: nonempty(m.issuer),
            contact: nonempty(m.contact),
            notice_posted,
        }
    }

    /// Square metres as written (`86.5` or `86`) → an area, or `None` after saying why not.
    fn area_value(&mut self, a: Spanned<Value>, key: &str) -> Option<Area> {
        let lang = self.lang;
        let m2 = match a.get_ref() {
            Value::Integer(n) => *n as f64,
            Value::Float(f) => *f,
            other => {
                self.at(
                    a.span(),
                    say!(
                        lang,
                        "面积 {} 应当是平方米数，如 86.5，这里是{}",
                        "{} should be square metres, like 86.5, not {}",
                        key,
                        value_type(other, lang)
                    ),
                );
                return None;
            }
        };
        if m2 < 0.0 {
            self.at(
                a.span(),
                say!(
                    lang,
                    "面积 {} = {} 是负数；请填写专有部分的建筑面积（平方米）",
                    "{} = {} is negative; give the floor area in square metres",
                    key,
                    m2
                ),
            );
            return None;
        }
        let area = Area::from_m2(m2);
        if area.is_none() {
            self.at(
                a.span(),
                say!(
                    lang,
                    "面积 {} = {} 无法使用；请填写专有部分的建筑面积（平方米）",
                    "{} = {} cannot be used; give the floor area in square metres",
                    key,
                    m2
                ),
            );
        }
        area
    }

    fn starts(&mut self, value: Spanned<Value>) -> Option<String> {
        let lang = self.lang;
        let span = value.span();
        let text = match value.get_ref() {
            Value::String(s) => s.trim().to_string(),
            Value::Datetime(d) => d.to_string(),
            other => {
                self.at(
                    span,
                    say!(
                        lang,
                        "开始时间 starts 应当是日期时间，如 \"2026-11-28T19:00:00+08:00\"，这里是{}",
                        "starts should be a date and time like \"2026-11-28T19:00:00+08:00\", not {}",
                        value_type(other, lang)
                    ),
                );
                return None;
            }
        };
        if DateTime::parse_from_rfc3339(&text).is_ok() {
            return Some(text);
        }
        self.at(
            span,
            say!(
                lang,
                "无法识别的开始时间 starts = \"{}\"；请写成带时区的完整时间，如 \"2026-11-28T19:00:00+08:00\"",
                "cannot read starts = \"{}\"; write a full date and time with its time zone, e.g. \"2026-11-28T19:00:00+08:00\"",
                text
            ),
        );
        None
    }

    fn quorum(&mut self, value: Spanned<Value>) -> Quorum {
        let lang = self.lang;
        let span = value.span();
        let found = match value.get_ref() {
            Value::String(s) => match s.trim() {
                "majority" => return Quorum::Majority,
                "two_thirds" => return Quorum::TwoThirds,
                "none" => return Quorum::None,
                t => match t.parse::<u32>() {
                    Ok(n) if n > 0 => return Quorum::AtLeast(n),
                    _ => format!("\"{s}\""),
                },
            },
            Value::Integer(n) => match u32::try_from(*n) {
                Ok(n) if n > 0 => return Quorum::AtLeast(n),
                _ => n.to_string(),
            },
            other => value_type(other, lang),
        };
        self.at(
            span,
            say!(
                lang,
                "未知的法定人数 quorum = {}，可选：majority（过半数） | two_thirds（三分之二） | none（不设） | 一个正整数",
                "unknown quorum = {}; expected one of: majority | two_thirds | none | a positive whole number",
                found
            ),
        );
        Quorum::Majority
    }

    fn participant(
        &mut self,
        p: RawParticipant,
        span: Range<usize>,
        index: usize,
        names: &mut Vec<(String, Range<usize>)>,
    ) -> Participant {
        let lang = self.lang;
        let (name, name_span) =
            self.text(p.name, &span, ("参会人姓名", "participant's name"), "name");
        // Names are compared as they look: 张建国 with a zero-width space in it, or Ｗａｎｇ in
        // full-width letters, is the same person to the people in the room.
        let alike = names
            .iter()
            .position(|(n, _)| !name.is_empty() && look(n) == look(&name));
        let hidden = !name.is_empty()
            && self.name_characters(
                &name,
                name_span.clone(),
                ("参会人姓名", "participant's name"),
                alike.map(|i| (i, names[i].0.as_str())),
            );
        if !hidden && let Some(first) = alike {
            self.at(
                name_span.clone(),
                say!(
                    lang,
                    "参会人 \"{}\" 重名（与第 {} 位参会人相同）；同一个人请只写一项，名下有几处房屋时写在同一项的 units = [{{ unit = \"3-201\", area = 80.5 }}, {{ unit = \"3-202\", area = 60 }}] 里，按一人计；确是同名的两个人，请在姓名上加以区分",
                    "participant \"{}\" appears twice (same as participant {}); list one person once, and an owner of several units once with units = [{{ unit = \"3-201\", area = 80.5 }}, {{ unit = \"3-202\", area = 60 }}], counted as one person; if they are two people of the same name, tell their names apart",
                    name,
                    first + 1
                ),
            );
        }
        names.push((name.clone(), name_span));

        let role = match p.role {
            Some(r) => match Role::parse(r.get_ref().trim()) {
                Some(role) => role,
                None => {
                    self.at(
                        r.span(),
                        say!(
                            lang,
                            "未知的身份 role = \"{}\"，可选：{}",
                            "unknown role \"{}\"; expected one of: {}",
                            r.get_ref(),
                            Role::keys()
                        ),
                    );
                    Role::Other
                }
            },
            None => {
                self.at(
                    span.clone(),
                    say!(
                        lang,
                        "参会人 \"{}\" 缺少身份；请添加 role = \"…\"，可选：{}",
                        "participant \"{}\" has no role; add role = \"…\", one of: {}",
                        name,
                        Role::keys()
                    ),
                );
                Role::Other
            }
        };

        self.area_spans.push(p.area.as_ref().map(|a| a.span()));
        let mut unit = nonempty(p.unit);
        let mut area = p.area.and_then(|a| self.area_value(a, "area"));
        let mut units = Vec::new();
        if let Some(list) = p.units {
            let list_span = list.span();
            if unit.is_some() || area.is_some() {
                self.at(
                    list_span.clone(),
                    say!(
                        lang,
                        "参会人 \"{}\" 既写了 unit/area 又写了 units；一位业主有几处房屋时只写 units = [{{ unit = \"3-201\", area = 80.5 }}, {{ unit = \"3-202\", area = 60 }}]，删去 unit 和 area",
                        "participant \"{}\" has both unit/area and units; for an owner of several units write only units = [{{ unit = \"3-201\", area = 80.5 }}, {{ unit = \"3-202\", area = 60 }}] and remove unit and area",
                        name
                    ),
                );
            }
            for u in list.into_inner() {
                let u_span = u.span();
                let u = u.into_inner();
                let label = match u.unit.map(|t| (t.get_ref().trim().to_string(), t.span())) {
                    Some((t, _)) if !t.is_empty() => Some(t),
                    other => {
                        let span = other.map_or(u_span.clone(), |(_, s)| s);
                        self.at(
                            span,
                            say!(
                                lang,
                                "units 中的一处房屋没有写房号；请写上 unit = \"…\"",
                                "a unit in units has no name; add unit = \"…\""
                            ),
                        );
                        None
                    }
                };
                let a = match u.area {
                    Some(a) => self.area_value(a, "area"),
                    None => {
                        self.at(
                            u_span.clone(),
                            say!(
                                lang,
                                "units 中的房屋 \"{}\" 没有写面积；请写上 area = 平方米数",
                                "the unit \"{}\" in units has no area; add area = square metres",
                                label.as_deref().unwrap_or("?")
                            ),
                        );
                        None
                    }
                };
                if let (Some(unit), Some(area)) = (label, a) {
                    if units.iter().any(|x: &UnitArea| x.unit == unit) {
                        self.at(
                            u_span,
                            say!(
                                lang,
                                "房号 \"{}\" 在 units 中写了两次；请删去重复的一项",
                                "unit \"{}\" appears twice in units; remove the repeat",
                                unit
                            ),
                        );
                    } else {
                        units.push(UnitArea { unit, area });
                    }
                }
            }
            if units.is_empty() {
                self.at(
                    list_span,
                    say!(
                        lang,
                        "units 是空的；请列出这位业主的每一处房屋及面积，或删去 units",
                        "units is empty; list each of the owner's units with its area, or remove units"
                    ),
                );
            } else {
                // One owner, one head: the areas summed, every unit named.
                unit = Some(
                    units
                        .iter()
                        .map(|u| u.unit.as_str())
                        .collect::<Vec<_>>()
                        .join(if units.iter().any(|u| !u.unit.is_ascii()) {
                            "、"
                        } else {
                            ", "
                        }),
                );
                area = Some(Area(units.iter().map(|u| u.area.0).sum()));
            }
        }

        let phone = p.phone.and_then(|ph| match ph.get_ref() {
            Value::String(s) => nonempty(Some(s.clone())),
            Value::Integer(n) => Some(n.to_string()),
            other => {
                self.at(
                    ph.span(),
                    say!(
                        lang,
                        "电话 phone 应当是字符串，如 \"13800000000\"，这里是{}",
                        "phone should be a string like \"13800000000\", not {}",
                        value_type(other, lang)
                    ),
                );
                None
            }
        });

        Participant {
            id: index as u32 + 1,
            name,
            role,
            unit,
            area,
            voter: p.voter.unwrap_or(role.default_voter()),
            phone,
            walk_in: false,
            units,
            not_entitled: None,
        }
    }

    fn item(&mut self, item: RawItem, span: Range<usize>, meeting: MeetingKind) -> ItemSpec {
        let lang = self.lang;
        let (title, _) = self.text(item.title, &span, ("议题标题", "item title"), "title");
        let kind = match item.kind {
            None => ItemKind::Other,
            Some(k) => match ItemKind::parse(k.get_ref().trim()) {
                Some(kind) => kind,
                None => {
                    self.at(
                        k.span(),
                        say!(
                            lang,
                            "未知的议题类型 kind = \"{}\"，可选：{}",
                            "unknown item kind \"{}\"; expected one of: {}",
                            k.get_ref(),
                            ItemKind::keys()
                        ),
                    );
                    ItemKind::Other
                }
            },
        };
        let planned_secs = item
            .duration
            .and_then(|d| self.duration(d, "duration"))
            .unwrap_or(DEFAULT_DURATION);
        let vote = item.vote.map(|v| {
            let span = v.span();
            self.vote(v.into_inner(), span, &title, meeting)
        });
        let proposal = item.proposal.and_then(|p| match u32::try_from(*p.get_ref()) {
            Ok(n) if n > 0 => Some(n),
            _ => {
                self.at(
                    p.span(),
                    say!(
                        lang,
                        "议题库编号 proposal = {} 无效；请填写 yishi proposals list 中的编号，如 proposal = 3",
                        "proposal = {} is not a proposal number; give the number yishi proposals list shows, e.g. proposal = 3",
                        p.get_ref()
                    ),
                );
                None
            }
        });
        ItemSpec {
            title,
            kind,
            proposer: nonempty(item.proposer),
            planned_secs,
            description: nonempty(item.description),
            vote,
            proposal,
            reviews: nonempty(item.reviews),
        }
    }

    fn vote(
        &mut self,
        v: RawVote,
        span: Range<usize>,
        title: &str,
        meeting: MeetingKind,
    ) -> VoteSpec {
        let lang = self.lang;
        let question = v
            .question
            .map(|q| q.into_inner().trim().to_string())
            .filter(|q| !q.is_empty())
            .unwrap_or_else(|| title.to_string());

        let mut options = Vec::new();
        let options_span = v.options.as_ref().map(|o| o.span());
        if let Some(list) = v.options {
            for o in list.into_inner() {
                let text = o.get_ref().trim().to_string();
                if text.is_empty() {
                    self.at(
                        o.span(),
                        say!(
                            lang,
                            "候选项不能为空；请填写内容或删去它",
                            "an option is empty; fill it in or remove it"
                        ),
                    );
                } else if options.contains(&text) {
                    self.at(
                        o.span(),
                        say!(
                            lang,
                            "候选项 \"{}\" 重复；请删去其中一个",
                            "option \"{}\" appears twice; remove one",
                            text
                        ),
                    );
                } else {
                    options.push(text);
                }
            }
        }

        // The rule as written, `None` when absent, `Err` when unknown (already reported).
        let written = v.rule.map(|r| {
            let found = Rule::parse(r.get_ref().trim());
            if found.is_none() {
                self.at(
                    r.span(),
                    say!(
                        lang,
                        "未知的表决规则 \"{}\"，可选：{}",
                        "unknown rule \"{}\"; expected one of: {}",
                        r.get_ref(),
                        Rule::keys()
                    ),
                );
            }
            (found, r.span())
        });
        let rule = match &written {
            Some((Some(rule), _)) => *rule,
            _ if options_span.is_some() => Rule::Plurality,
            _ => meeting.default_rule(),
        };
        let rule_known = !matches!(written, Some((None, _)));
        if rule_known {
            let rule_span = written.as_ref().map_or(span.clone(), |(_, s)| s.clone());
            match (rule, &options_span) {
                (Rule::Plurality, None) => self.at(
                    rule_span,
                    say!(
                        lang,
                        "相对多数 plurality 要在候选项中选出一项；请添加 options = [\"…\", \"…\"]（至少两项），或改用赞成/反对的规则",
                        "plurality picks one of several options; add options = [\"…\", \"…\"] (at least two), or use a yes/no rule"
                    ),
                ),
                (Rule::Plurality, Some(os)) if options.len() < 2 => self.at(
                    os.clone(),
                    say!(
                        lang,
                        "候选项 options 至少要有两项，这里只有 {} 项；请补充，或删去 options 改为赞成/反对表决",
                        "options needs at least two choices, found {}; add more, or remove options for a yes/no vote",
                        options.len()
                    ),
                ),
                (Rule::Plurality, Some(_)) => {}
                (other, Some(_)) => self.at(
                    rule_span,
                    say!(
                        lang,
                        "写了候选项 options，但规则 {} 只表决赞成/反对；请把 rule 改为 \"plurality\"，或删去 options",
                        "options are given, but rule {} is a yes/no vote; change rule to \"plurality\", or remove options",
                        other.key()
                    ),
                ),
                _ => {}
            }
        }

        let quorum = v.quorum.map(|q| self.quorum(q));
        VoteSpec {
            question,
            rule,
            options,
            quorum,
        }
    }
}

/// A character in a name that nobody can see, or that breaks the line it is printed on.
pub(crate) fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{ad}'
                | '\u{34f}'
                | '\u{61c}'
                | '\u{115f}'
                | '\u{1160}'
                | '\u{17b4}'
                | '\u{17b5}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}'
                | '\u{3164}'
                | '\u{fe00}'..='\u{fe0f}'
                | '\u{feff}'
                | '\u{ffa0}'
        )
}

/// A name as it looks: without invisible characters and spaces, full-width letters and
/// digits as their ASCII forms. Two names that look alike give the same key.
fn look(name: &str) -> String {
    name.chars()
        .filter(|c| !invisible(*c) && !c.is_whitespace())
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// A text that is absent when empty.
fn nonempty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// What kind of TOML value this is, in words.
fn value_type(v: &Value, lang: Lang) -> String {
    let (zh, en) = match v {
        Value::String(_) => ("字符串", "a string"),
        Value::Integer(_) => ("整数", "an integer"),
        Value::Float(_) => ("小数", "a decimal number"),
        Value::Boolean(_) => ("布尔值", "true/false"),
        Value::Datetime(_) => ("日期时间", "a date-time"),
        Value::Array(_) => ("数组", "an array"),
        Value::Table(_) => ("表", "a table"),
    };
    lang.pick(zh, en).to_string()
}

fn placeholder_meeting() -> MeetingSpec {
    MeetingSpec {
        title: String::new(),
        kind: MeetingKind::Consultation,
        starts: None,
        place: None,
        host: None,
        recorder: None,
        speaker_limit_secs: DEFAULT_SPEAKER_LIMIT,
        eligible: None,
        quorum: Quorum::Majority,
        objection_days: None,
        total_area: None,
        max_proxies: None,
        issuer: None,
        contact: None,
        notice_posted: None,
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// 1-based line and display column of a byte offset. Wide (Chinese) characters count two
/// columns, as the terminal shows them; a tab counts one.
fn position(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + 1;
    let column: usize = before[line_start..]
        .chars()
        .map(|c| if c == '\t' { 1 } else { c.width().unwrap_or(0) })
        .sum();
    (line, column + 1)
}

/// Why a file could not be read, in words.
fn io_reason(e: &std::io::Error, lang: Lang) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => lang.pick("没有该文件", "no such file").to_string(),
        ErrorKind::PermissionDenied => lang.pick("没有读取权限", "permission denied").to_string(),
        ErrorKind::IsADirectory => lang
            .pick("这是一个目录，不是文件", "it is a directory, not a file")
            .to_string(),
        _ => e.to_string(),
    }
}

/// The TOML reader's message, in the user's language, with what to do about it.
fn toml_message(message: &str, lang: Lang) -> String {
    let message = message.trim();
    let first = message.lines().next().unwrap_or(message).trim();
    if let Some(rest) = first.strip_prefix("unknown field ") {
        let (field, expected) = match rest.split_once(", expected") {
            Some((field, expected)) => (field, expected),
            None => (rest, ""),
        };
        let field = field.trim_matches('`');
        let expected = expected
            .trim()
            .trim_start_matches("one of ")
            .replace('`', "")
            .replace(", ", " | ");
        return if expected.is_empty() || expected.starts_with("there are no fields") {
            say!(
                lang,
                "未知的字段 \"{}\"；请删除它",
                "unknown key \"{}\"; remove it",
                field
            )
        } else {
            say!(
                lang,
                "未知的字段 \"{}\"，可选：{}",
                "unknown key \"{}\"; expected one of: {}",
                field,
                expected
            )
        };
    }
    if let Some(rest) = first.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return say!(
            lang,
            "类型不对：这里写的是{}，应当是{}；请改正该值",
            "wrong type: found {}, expected {}; correct the value",
            toml_type(found, lang),
            toml_type(expected, lang)
        );
    }
    if let Some(rest) = first.strip_prefix("missing field ") {
        let field = rest.trim_matches('`');
        return say!(
            lang,
            "缺少字段 \"{}\"；请补上",
            "missing key \"{}\"; add it",
            field
        );
    }
    if first.starts_with("duplicate key") {
        return say!(
            lang,
            "重复的键：同一个表里同一个键只能写一次；请删去其中一个",
            "duplicate key: a key may appear only once in a table; remove one"
        );
    }
    match (lang, syntax_gloss(first)) {
        (Lang::Zh, Some(gloss)) => format!("TOML 语法错误：{gloss}（{first}）；请改正后再试"),
        _ => say!(
            lang,
            "TOML 语法错误：{}；请检查引号、括号、逗号和等号",
            "TOML syntax error: {}; check quotes, brackets, commas and equals signs",
            first
        ),
    }
}

/// A serde type description in words.
fn toml_type(desc: &str, lang: Lang) -> String {
    let d = desc.trim();
    let starts = |words: &[&str]| words.iter().any(|w| d.starts_with(w));
    let (zh, en) = if starts(&["string", "a string"]) {
        ("字符串", "a string")
    } else if starts(&["integer", "i64", "i32", "u32", "u64", "an integer"]) {
        ("整数", "an integer")
    } else if starts(&["float", "f64", "a float"]) {
        ("小数", "a decimal number")
    } else if starts(&["boolean", "a boolean", "bool"]) {
        ("布尔值（true 或 false）", "true or false")
    } else if starts(&["sequence", "a sequence", "array", "an array"]) {
        ("数组 [ … ]", "an array [ … ]")
    } else if starts(&["map", "a map", "struct", "table", "a table"]) {
        ("表 { … }", "a table { … }")
    } else if d.contains("date") {
        ("日期时间", "a date-time")
    } else {
        return d.to_string();
    };
    // Keep the value that was found, e.g. `string "十二"`, so the user sees which one.
    let shown = d
        .split_once(' ')
        .map(|(_, rest)| rest.trim())
        .filter(|rest| rest.starts_with('"') || rest.starts_with('`'))
        .map(|rest| format!(" {}", rest.replace('`', "")))
        .unwrap_or_default();
    format!("{}{shown}", lang.pick(zh, en))
}

/// The Chinese for the TOML reader's syntax error descriptions that people meet most.
fn syntax_gloss(description: &str) -> Option<&'static str> {
    const GLOSSES: &[(&str, &str)] = &[
        (
            "string values must be quoted",
            "文字要加英文双引号，如 title = \"议题\"",
        ),
        (
            "unexpected key or value",
            "一行只能写一个 键 = 值，多余的内容要换行或删去",
        ),
        ("invalid boolean", "布尔值只能写 true 或 false"),
        (
            "missing comma between array elements",
            "数组元素之间缺少逗号",
        ),
        (
            "missing comma between key-value pairs",
            "花括号里的各项之间缺少逗号",
        ),
        ("missing assignment", "键和值之间缺少等号 ="),
        ("key with no value", "键后面没有值"),
        ("missing value", "等号后面缺少值"),
        ("unclosed inline table", "花括号 { 没有闭合"),
        ("unclosed array table", "[[ … ]] 没有闭合"),
        ("unclosed table", "[ … ] 表头没有闭合"),
        ("unclosed array", "方括号 [ 没有闭合"),
        ("invalid basic string", "字符串没有闭合，或引号用了中文引号"),
        ("invalid unquoted key", "键名只能用英文字母、数字、_ 和 -"),
        ("extra comma", "多了一个逗号"),
        ("duplicate key", "同一个键写了两次"),
        ("invalid key", "键名写法不对"),
        ("invalid value", "值的写法不对"),
    ];
    GLOSSES
        .iter()
        .find(|(en, _)| description.starts_with(en))
        .map(|(_, zh)| *zh)
}

/// A quorum as an agenda writes it: a key, or a number.
fn quorum_value(q: Quorum) -> toml::Value {
    match q {
        Quorum::AtLeast(n) => toml::Value::from(n as i64),
        q => toml::Value::from(q.key()),
    }
}

/// Writes a setup as an agenda file that `parse` reads back (used to prepare an evaluation
/// meeting from the actions of earlier ones).
pub fn to_toml(setup: &Setup) -> String {
    use serde::Serialize;
    use toml::Value;

    #[derive(Serialize)]
    struct Out<'a> {
        meeting: toml::Table,
        participants: Vec<toml::Table>,
        items: Vec<toml::Table>,
        #[serde(skip)]
        _s: std::marker::PhantomData<&'a ()>,
    }
    let secs = |s: u32| {
        let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
        let mut out = String::new();
        if h > 0 {
            out.push_str(&format!("{h}h"));
        }
        if m > 0 {
            out.push_str(&format!("{m}m"));
        }
        if sec > 0 || out.is_empty() {
            out.push_str(&format!("{sec}s"));
        }
        out
    };
    let m = &setup.meeting;
    let mut meeting = toml::Table::new();
    meeting.insert("title".into(), Value::from(m.title.clone()));
    meeting.insert("kind".into(), Value::from(m.kind.key()));
    for (k, v) in [
        ("starts", &m.starts),
        ("place", &m.place),
        ("host", &m.host),
        ("recorder", &m.recorder),
    ] {
        if let Some(v) = v {
            meeting.insert(k.into(), Value::from(v.clone()));
        }
    }
    meeting.insert(
        "speaker_limit".into(),
        Value::from(secs(m.speaker_limit_secs)),
    );
    if let Some(e) = m.eligible {
        meeting.insert("eligible".into(), Value::from(e as i64));
    }
    meeting.insert("quorum".into(), quorum_value(m.quorum));
    if let Some(d) = m.objection_days {
        meeting.insert("objection_days".into(), Value::from(d as i64));
    }
    if let Some(a) = m.total_area {
        meeting.insert("total_area".into(), Value::from(a.m2()));
    }
    if let Some(n) = m.max_proxies {
        meeting.insert("max_proxies".into(), Value::from(n as i64));
    }
    for (k, v) in [("issuer", &m.issuer), ("contact", &m.contact)] {
        if let Some(v) = v {
            meeting.insert(k.into(), Value::from(v.clone()));
        }
    }
    if let Some(d) = &m.notice_posted {
        meeting.insert("notice_posted".into(), Value::from(d.clone()));
    }
    let participants = setup
        .participants
        .iter()
        .map(|p| {
            let mut t = toml::Table::new();
            t.insert("name".into(), Value::from(p.name.clone()));
            t.insert("role".into(), Value::from(p.role.key()));
            if let Some(u) = &p.unit {
                t.insert("unit".into(), Value::from(u.clone()));
            }
            if !p.units.is_empty() {
                t.remove("unit");
                let units = p
                    .units
                    .iter()
                    .map(|u| {
                        let mut ut = toml::Table::new();
                        ut.insert("unit".into(), Value::from(u.unit.clone()));
                        ut.insert("area".into(), Value::from(u.area.m2()));
                        Value::Table(ut)
                    })
                    .collect::<Vec<_>>();
                t.insert("units".into(), Value::Array(units));
            } else if let Some(a) = p.area {
                t.insert("area".into(), Value::from(a.m2()));
            }
            if let Some(phone) = &p.phone {
                t.insert("phone".into(), Value::from(phone.clone()));
            }
            if p.voter != p.role.default_voter() {
                t.insert("voter".into(), Value::from(p.voter));
            }
            t
        })
        .collect();
    let items = setup
        .items
        .iter()
        .map(|i| {
            let mut t = toml::Table::new();
            t.insert("title".into(), Value::from(i.title.clone()));
            t.insert("kind".into(), Value::from(i.kind.key()));
            if let Some(p) = &i.proposer {
                t.insert("proposer".into(), Value::from(p.clone()));
            }
            t.insert("duration".into(), Value::from(secs(i.planned_secs)));
            if let Some(d) = &i.description {
                t.insert("description".into(), Value::from(d.clone()));
            }
            if let Some(n) = i.proposal {
                t.insert("proposal".into(), Value::from(n as i64));
            }
            if let Some(r) = &i.reviews {
                t.insert("reviews".into(), Value::from(r.clone()));
            }
            if let Some(v) = &i.vote {
                let mut vt = toml::Table::new();
                vt.insert("question".into(), Value::from(v.question.clone()));
                vt.insert("rule".into(), Value::from(v.rule.key()));
                if !v.options.is_empty() {
                    vt.insert("options".into(), Value::from(v.options.clone()));
                }
                if let Some(q) = v.quorum {
                    vt.insert("quorum".into(), quorum_value(q));
                }
                t.insert("vote".into(), Value::Table(vt));
            }
            t
        })
        .collect();
    toml::to_string(&Out {
        meeting,
        participants,
        items,
        _s: std::marker::PhantomData,
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_in_h_m_s_order() {
        assert_eq!(parse_duration("90s"), Some(90));
        assert_eq!(parse_duration("3m"), Some(180));
        assert_eq!(parse_duration("1h30m"), Some(5400));
        assert_eq!(parse_duration("1h"), Some(3600));
        assert_eq!(parse_duration("2m30s"), Some(150));
        assert_eq!(parse_duration("1h0m5s"), Some(3605));
        assert_eq!(parse_duration(" 10m "), Some(600));
    }

    #[test]
    fn bad_durations_are_refused() {
        for bad in [
            "",
            "0m",
            "0h0m0s",
            "10",
            "m",
            "1h30",
            "30m1h",
            "1m1m",
            "25min",
            "1.5h",
            "-3m",
            "3 m",
            "3M",
            "三分钟",
            "99999999999s",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn durations_format_in_both_languages() {
        assert_eq!(format_duration(3900, Lang::Zh), "1小时5分钟");
        assert_eq!(format_duration(3900, Lang::En), "1h05m");
        assert_eq!(format_duration(3600, Lang::Zh), "1小时");
        assert_eq!(format_duration(3600, Lang::En), "1h");
        assert_eq!(format_duration(1500, Lang::Zh), "25分钟");
        assert_eq!(format_duration(1500, Lang::En), "25m");
        assert_eq!(format_duration(150, Lang::Zh), "2分30秒");
        assert_eq!(format_duration(150, Lang::En), "2m30s");
        assert_eq!(format_duration(45, Lang::Zh), "45秒");
        assert_eq!(format_duration(45, Lang::En), "45s");
        assert_eq!(format_duration(0, Lang::Zh), "0秒");
        assert_eq!(format_duration(0, Lang::En), "0s");
        assert_eq!(format_duration(3605, Lang::En), "1h00m05s");
        assert_eq!(format_duration(3605, Lang::Zh), "1小时5秒");
    }

    #[test]
    fn parse_and_format_round_trip() {
        for secs in [1, 59, 60, 61, 599, 3600, 3661, 7200, 86_399] {
            let text = format_duration(secs, Lang::En);
            assert_eq!(parse_duration(&text), Some(secs as u32), "{text}");
        }
    }

    #[test]
    fn columns_count_display_width() {
        let source = "[meeting]\ntitle = \"议事会\" x\n";
        let x = source.find('x').unwrap();
        assert_eq!(position(source, x), (2, 18));
        assert_eq!(position(source, 0), (1, 1));
        // Right after the newline: the start of line 2.
        assert_eq!(position(source, 10), (2, 1));
        // The end of the text is the start of the (empty) last line.
        assert_eq!(position(source, source.len()), (3, 1));
    }

    #[test]
    fn columns_inside_a_wide_character_fall_back_to_its_start() {
        let source = "a = \"电\"";
        let wide = source.find('电').unwrap();
        assert_eq!(position(source, wide), (1, 6));
        assert_eq!(position(source, wide + 1), (1, 6));
        assert_eq!(position(source, wide + 3), (1, 8));
        // Past the end is clamped.
        assert_eq!(position(source, 1000), (1, 9));
    }

    #[test]
    fn tabs_and_fullwidth_punctuation() {
        let source = "\tk = \"甲\u{ff0c}乙\" !";
        let bang = source.find('!').unwrap();
        // tab 1, `k = ` 4, quotes 2, 甲 2, a full-width comma 2, 乙 2, space 1 → column 15.
        assert_eq!(position(source, bang), (1, 15));
    }

    #[test]
    fn a_byte_order_mark_does_not_move_columns() {
        let source = "\u{feff}[meeting]\ntitle = 1\n[[items]]\ntitle = \"a\"\n";
        let problems = parse(source, Lang::En).unwrap_err();
        assert_eq!((problems[0].line, problems[0].column), (2, 9));
    }

    #[test]
    fn problem_renders_with_the_file_name() {
        let p = Problem {
            line: 3,
            column: 7,
            message: "坏了".into(),
        };
        assert_eq!(p.render("a.toml"), "a.toml:3:7: 坏了");
    }
}
