//! `yishi stats` over a period: per meeting and in total, the figures a community reports on
//! (attendance, residents' share of speaking time, 议而不决, 决而不行, proposals raised and
//! decided), as text with bar charts or as plain numbers in JSON.

use std::fmt::Write;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::model::Millis;
use crate::domain::state::{ActionStatus, State};
use crate::followup;
use crate::lang::Lang;
use crate::proposals::{Proposal, Status};
use crate::report::figures;
use crate::store::MeetingId;

/// One meeting's figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MeetingStats {
    pub id: MeetingId,
    pub title: String,
    pub date: Option<NaiveDate>,
    pub attended: u32,
    pub eligible: u32,
    /// Per cent, one decimal.
    pub attendance_rate: f64,
    /// Residents' and representatives' share of speaking time, per cent.
    pub residents_share: Option<u64>,
    /// People who spoke at least once.
    pub speakers: usize,
    pub items_decided: usize,
    pub items_undecided: usize,
    pub items_deferred: usize,
    pub votes_passed: usize,
    pub votes_failed: usize,
    pub actions: usize,
    pub actions_done_on_time: usize,
    pub actions_done_late: usize,
    pub actions_open: usize,
    pub actions_overdue: usize,
}

/// The period's totals.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Totals {
    pub meetings: usize,
    pub attended: u32,
    pub eligible: u32,
    pub attendance_rate: f64,
    pub speakers: usize,
    pub items_decided: usize,
    pub items_undecided: usize,
    pub items_deferred: usize,
    pub votes_passed: usize,
    pub votes_failed: usize,
    pub actions: usize,
    pub actions_done_on_time: usize,
    pub actions_done_late: usize,
    pub actions_open: usize,
    pub actions_overdue: usize,
    pub proposals_raised: usize,
    pub proposals_screened: usize,
    pub proposals_decided: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PeriodStats {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub meetings: Vec<MeetingStats>,
    pub totals: Totals,
}

fn rate(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    (f64::from(part) * 1000.0 / f64::from(whole)).round() / 10.0
}

/// The day a meeting was held: its planned start, or the day it was opened.
pub fn meeting_day(s: &State) -> Option<NaiveDate> {
    s.meeting
        .starts
        .as_deref()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.date_naive())
        .or_else(|| {
            let offset = s.utc_offset.and_then(chrono::FixedOffset::east_opt)?;
            chrono::DateTime::from_timestamp_millis(s.opened_at)
                .map(|t| t.with_timezone(&offset).date_naive())
        })
        .or_else(|| {
            chrono::DateTime::from_timestamp_millis(s.opened_at)
                .map(|t| t.with_timezone(&chrono::Local).date_naive())
        })
}

fn within(day: Option<NaiveDate>, from: Option<NaiveDate>, to: Option<NaiveDate>) -> bool {
    match day {
        Some(d) => from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t),
        None => from.is_none() && to.is_none(),
    }
}

fn local_day(ms: Millis) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(&chrono::Local).date_naive())
}

/// The figures of every meeting held in `[from, to]`, and of the proposals raised, screened
/// and decided in it. `now` and `today` are passed in, never read from the clock.
pub fn period(
    meetings: &[(MeetingId, State)],
    proposals: &[Proposal],
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    now: Millis,
    today: NaiveDate,
) -> PeriodStats {
    let chosen: Vec<&(MeetingId, State)> = meetings
        .iter()
        .filter(|(_, s)| within(meeting_day(s), from, to))
        .collect();
    let mut list = Vec::new();
    let mut t = Totals::default();
    for (id, s) in &chosen {
        let f = figures(s, now, today);
        let own = [(*id, s)];
        let rows = followup::rows(&own, today);
        let on_time = rows.iter().filter(|r| r.done_on_time()).count();
        let done = rows
            .iter()
            .filter(|r| r.action.status == ActionStatus::Done)
            .count();
        let counted: Vec<_> = s.votes.iter().filter(|v| !v.superseded).collect();
        let m = MeetingStats {
            id: *id,
            title: s.meeting.title.clone(),
            date: meeting_day(s),
            attended: f.attended,
            eligible: f.eligible,
            attendance_rate: rate(f.attended, f.eligible),
            residents_share: f.residents_share,
            speakers: f.speakers,
            items_decided: f.decided,
            items_undecided: f.undecided,
            items_deferred: f.deferred,
            votes_passed: counted.iter().filter(|v| v.outcome.passed).count(),
            votes_failed: counted.iter().filter(|v| !v.outcome.passed).count(),
            actions: f.actions,
            actions_done_on_time: on_time,
            actions_done_late: done - on_time,
            actions_open: rows.iter().filter(|r| r.is_open()).count(),
            actions_overdue: f.actions_overdue,
        };
        t.add(&Totals::of_meeting(&m));
        list.push(m);
    }
    t.attendance_rate = rate(t.attended, t.eligible);
    let held: Vec<MeetingId> = chosen.iter().map(|(id, _)| *id).collect();
    t.proposals_raised = proposals
        .iter()
        .filter(|p| within(local_day(p.raised_at), from, to))
        .count();
    t.proposals_screened = proposals
        .iter()
        .filter(|p| {
            p.history.iter().any(|s| {
                matches!(s.status, Status::Accepted | Status::Rejected)
                    && s.at.is_some_and(|at| within(local_day(at), from, to))
            })
        })
        .count();
    t.proposals_decided = proposals
        .iter()
        .filter(|p| {
            p.history.iter().any(|s| {
                s.status == Status::Decided && s.meeting.is_some_and(|m| held.contains(&m))
            })
        })
        .count();
    PeriodStats {
        from,
        to,
        meetings: list,
        totals: t,
    }
}

/// Horizontal bars drawn with ratatui's `BarChart` into a buffer, as plain lines.
fn bars(title: &str, data: &[(String, u64)], max: Option<u64>, width: u16) -> String {
    use ratatui::buffer::Buffer;
    use ratatui::layout::{Direction, Rect};
    use ratatui::widgets::{Bar, BarChart, BarGroup, Widget};
    if data.is_empty() {
        return String::new();
    }
    let height = data.len() as u16;
    let label_width = data
        .iter()
        .map(|(l, _)| unicode_width::UnicodeWidthStr::width(l.as_str()))
        .max()
        .unwrap_or(0) as u16;
    let bar_list: Vec<Bar> = data
        .iter()
        .map(|(l, v)| Bar::default().label(l.clone()).value(*v))
        .collect();
    let mut chart = BarChart::default()
        .direction(Direction::Horizontal)
        .bar_width(1)
        .bar_gap(0)
        .data(BarGroup::default().bars(&bar_list));
    if let Some(m) = max {
        chart = chart.max(m);
    }
    let area = Rect::new(0, 0, width.max(label_width + 10), height);
    let mut buf = Buffer::empty(area);
    chart.render(area, &mut buf);
    let mut out = format!("{title}\n");
    for y in 0..area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            line.push_str(sym);
        }
        out.push_str("  ");
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The text of `yishi stats`: the period's totals, then each meeting, then bar charts.
pub fn render(p: &PeriodStats, lang: Lang) -> String {
    let mut out = String::new();
    if p.meetings.is_empty() {
        out.push_str(lang.pick("这段时间里没有会议。\n", "No meetings in this period.\n"));
    }
    let t = &p.totals;
    let span = match (p.from, p.to, lang) {
        (None, None, Lang::Zh) => "全部会议".to_string(),
        (None, None, Lang::En) => "All meetings".to_string(),
        (f, to, Lang::Zh) => format!(
            "{} 至 {}",
            f.map_or("—".into(), |d| d.to_string()),
            to.map_or("—".into(), |d| d.to_string())
        ),
        (f, to, Lang::En) => format!(
            "{} to {}",
            f.map_or("—".into(), |d| d.to_string()),
            to.map_or("—".into(), |d| d.to_string())
        ),
    };
    let _ = match lang {
        Lang::Zh => writeln!(
            out,
            "{span}：会议 {} 场，到会 {}/{}（{:.1}%）\n  议题：已决 {} 项，议而未决 {} 项，延期 {} 项 · 表决：通过 {} 次，未通过 {} 次\n  待办 {} 项：按时完成 {}，逾期完成 {}，未完成 {}，逾期未完成 {}\n  议题库：提出 {} 项，筛选 {} 项，议决 {} 项",
            t.meetings,
            t.attended,
            t.eligible,
            t.attendance_rate,
            t.items_decided,
            t.items_undecided,
            t.items_deferred,
            t.votes_passed,
            t.votes_failed,
            t.actions,
            t.actions_done_on_time,
            t.actions_done_late,
            t.actions_open,
            t.actions_overdue,
            t.proposals_raised,
            t.proposals_screened,
            t.proposals_decided
        ),
        Lang::En => writeln!(
            out,
            "{span}: {} meetings, attended {}/{} ({:.1}%)\n  items: {} decided, {} undecided, {} deferred · votes: {} passed, {} failed\n  {} actions: {} done on time, {} done late, {} open ({} overdue)\n  proposals: {} raised, {} screened, {} decided",
            t.meetings,
            t.attended,
            t.eligible,
            t.attendance_rate,
            t.items_decided,
            t.items_undecided,
            t.items_deferred,
            t.votes_passed,
            t.votes_failed,
            t.actions,
            t.actions_done_on_time,
            t.actions_done_late,
            t.actions_open,
            t.actions_overdue,
            t.proposals_raised,
            t.proposals_screened,
            t.proposals_decided
        ),
    };
    for m in &p.meetings {
        let share = m
            .residents_share
            .map_or_else(|| "—".to_string(), |p| format!("{p}%"));
        let date = m.date.map(|d| d.to_string()).unwrap_or_default();
        let _ = match lang {
            Lang::Zh => writeln!(
                out,
                "\n#{} {} {date}\n    到会 {}/{}（{:.1}%）· 发言 {} 人，居民及代表发言时长占 {share}\n    议题：已决 {} 项，议而未决 {} 项，延期 {} 项 · 表决：通过 {} 次，未通过 {} 次\n    待办 {} 项：按时完成 {}，逾期完成 {}，未完成 {}，逾期未完成 {}",
                m.id,
                m.title,
                m.attended,
                m.eligible,
                m.attendance_rate,
                m.speakers,
                m.items_decided,
                m.items_undecided,
                m.items_deferred,
                m.votes_passed,
                m.votes_failed,
                m.actions,
                m.actions_done_on_time,
                m.actions_done_late,
                m.actions_open,
                m.actions_overdue
            ),
            Lang::En => writeln!(
                out,
                "\n#{} {} {date}\n    attended {}/{} ({:.1}%) · {} people spoke, residents' share of speaking time {share}\n    items: {} decided, {} undecided, {} deferred · votes: {} passed, {} failed\n    {} actions: {} done on time, {} done late, {} open ({} overdue)",
                m.id,
                m.title,
                m.attended,
                m.eligible,
                m.attendance_rate,
                m.speakers,
                m.items_decided,
                m.items_undecided,
                m.items_deferred,
                m.votes_passed,
                m.votes_failed,
                m.actions,
                m.actions_done_on_time,
                m.actions_done_late,
                m.actions_open,
                m.actions_overdue
            ),
        };
    }
    if !p.meetings.is_empty() {
        out.push('\n');
        let rates: Vec<(String, u64)> = p
            .meetings
            .iter()
            .map(|m| (format!("#{}", m.id), m.attendance_rate.round() as u64))
            .collect();
        out.push_str(&bars(
            lang.pick("到会率（%）", "Attendance (%)"),
            &rates,
            Some(100),
            60,
        ));
        let shares: Vec<(String, u64)> = p
            .meetings
            .iter()
            .map(|m| (format!("#{}", m.id), m.residents_share.unwrap_or(0)))
            .collect();
        out.push_str(&bars(
            lang.pick(
                "居民及代表发言时长占比（%）",
                "Residents' share of speaking time (%)",
            ),
            &shares,
            Some(100),
            60,
        ));
        let items = [
            (lang.pick("已决", "decided"), t.items_decided),
            (lang.pick("议而未决", "undecided"), t.items_undecided),
            (lang.pick("延期", "deferred"), t.items_deferred),
            (
                lang.pick("按时完成", "done on time"),
                t.actions_done_on_time,
            ),
            (lang.pick("逾期完成", "done late"), t.actions_done_late),
            (lang.pick("未完成", "open"), t.actions_open),
        ]
        .iter()
        .map(|(l, v)| (l.to_string(), *v as u64))
        .collect::<Vec<_>>();
        out.push_str(&bars(
            lang.pick("议题与待办", "Items and actions"),
            &items,
            None,
            60,
        ));
    }
    out
}

impl Totals {
    /// One meeting's figures as totals of one meeting.
    fn of_meeting(m: &MeetingStats) -> Totals {
        Totals {
            meetings: 1,
            attended: m.attended,
            eligible: m.eligible,
            attendance_rate: m.attendance_rate,
            speakers: m.speakers,
            items_decided: m.items_decided,
            items_undecided: m.items_undecided,
            items_deferred: m.items_deferred,
            votes_passed: m.votes_passed,
            votes_failed: m.votes_failed,
            actions: m.actions,
            actions_done_on_time: m.actions_done_on_time,
            actions_done_late: m.actions_done_late,
            actions_open: m.actions_open,
            actions_overdue: m.actions_overdue,
            ..Totals::default()
        }
    }

    /// Adds other totals to these (a meeting's to a period's, a committee's to a district's).
    fn add(&mut self, o: &Totals) {
        self.meetings += o.meetings;
        self.attended += o.attended;
        self.eligible += o.eligible;
        self.speakers += o.speakers;
        self.items_decided += o.items_decided;
        self.items_undecided += o.items_undecided;
        self.items_deferred += o.items_deferred;
        self.votes_passed += o.votes_passed;
        self.votes_failed += o.votes_failed;
        self.actions += o.actions;
        self.actions_done_on_time += o.actions_done_on_time;
        self.actions_done_late += o.actions_done_late;
        self.actions_open += o.actions_open;
        self.actions_overdue += o.actions_overdue;
        self.proposals_raised += o.proposals_raised;
        self.proposals_screened += o.proposals_screened;
        self.proposals_decided += o.proposals_decided;
        self.attendance_rate = rate(self.attended, self.eligible);
    }

    /// The two lines a committee gets in `stats --by-site`.
    fn site_lines(&self, lang: Lang) -> String {
        let rate = (u64::from(self.attended) * 100)
            .checked_div(u64::from(self.eligible))
            .map_or_else(|| "—".to_string(), |p| format!("{p}%"));
        let done = self.actions_done_on_time + self.actions_done_late;
        match lang {
            Lang::Zh => format!(
                "    会议 {} 场 · 到会 {}/{}（{rate}）\n    议题：已决 {} 项，议而未决 {} 项，延期 {} 项 · 待办 {} 项：已完成 {done}，逾期未完成 {}",
                self.meetings,
                self.attended,
                self.eligible,
                self.items_decided,
                self.items_undecided,
                self.items_deferred,
                self.actions,
                self.actions_overdue
            ),
            Lang::En => format!(
                "    {} meetings · attended {}/{} ({rate})\n    items: {} decided, {} discussed but undecided, {} deferred · {} actions: {done} done, {} overdue",
                self.meetings,
                self.attended,
                self.eligible,
                self.items_decided,
                self.items_undecided,
                self.items_deferred,
                self.actions,
                self.actions_overdue
            ),
        }
    }
}

/// `yishi stats --by-site`: one block per committee, then the district's total, counted as
/// `yishi stats` counts one file.
pub fn by_site(
    sites: &[(crate::store::Site, Vec<(MeetingId, State)>)],
    now: Millis,
    today: NaiveDate,
    lang: Lang,
) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if sites.is_empty() {
        return format!(
            "{}\n",
            lang.pick("还没有导入任何社区的会议。", "No committee's meetings yet.")
        );
    }
    let mut all = Totals::default();
    for (site, meetings) in sites {
        let t = period(meetings, &[], None, None, now, today).totals;
        let district = site
            .district
            .as_deref()
            .map(|d| format!(" · {d}"))
            .unwrap_or_default();
        let _ = writeln!(out, "{} {}{district}", site.code, site.name);
        let _ = writeln!(out, "{}", t.site_lines(lang));
        all.add(&t);
    }
    let _ = match lang {
        Lang::Zh => writeln!(out, "合计（{} 个社区）", sites.len()),
        Lang::En => writeln!(out, "Total ({} committees)", sites.len()),
    };
    let _ = writeln!(out, "{}", all.site_lines(lang));
    out
}
