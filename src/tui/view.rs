//! Drawing: the main screen and its overlays. Views read the model and draw; they never decide.

use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use tui_big_text::{BigText, PixelSize};
use unicode_width::UnicodeWidthStr;

use super::app::{App, Mode, Seat, Tone, VoteForm};
use super::keys::{self, BINDINGS, Context};
use super::theme;
use crate::domain::model::{Millis, ParticipantId, RoleGroup};
use crate::domain::state::{ItemStatus, SpeechKind};
use crate::domain::tally::{self, Rule, Votes, share};
use crate::domain::timer::{self, Phase, clock, countdown_ms};
use crate::lang::Lang;

pub const MIN_WIDTH: u16 = 64;
pub const MIN_HEIGHT: u16 = 18;

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = Paragraph::new(app.s().too_small)
            .style(theme::bad())
            .wrap(Wrap { trim: true });
        frame.render_widget(msg, area);
        return;
    }
    if app.projector {
        super::projector::draw(frame, area, app);
    } else {
        draw_main(frame, area, app);
    }
    // Panels open over the body only: the header, the message row and the key bar stay visible.
    let bar_height = key_bar(app, context_of(app), area.width).len().min(2) as u16;
    let body = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(2 + bar_height),
        ..area
    };
    draw_overlay(frame, body, app);
    if app.help {
        draw_help(frame, area, app);
    }
}

fn draw_main(frame: &mut Frame, area: Rect, app: &App) {
    let mut bar_lines = key_bar(app, context_of(app), area.width);
    bar_lines.truncate(2);
    let bar_height = bar_lines.len() as u16;
    let [header, body, message, bar] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(5),
        Constraint::Length(1),
        Constraint::Length(bar_height),
    ])
    .areas(area);
    frame.render_widget(header_line(app, header.width), header);
    let agenda_width = if area.width >= 120 {
        area.width / 3
    } else {
        26
    };
    let [left, right] =
        Layout::horizontal([Constraint::Length(agenda_width), Constraint::Min(30)]).areas(body);
    draw_agenda(frame, left, app);
    if app.fairness {
        draw_fairness(frame, right, app);
    } else {
        draw_item(frame, right, app);
    }
    if let Some((text, tone)) = &app.message {
        let style = if *tone == Tone::Error {
            theme::bad()
        } else {
            theme::good()
        };
        frame.render_widget(Paragraph::new(text.as_str()).style(style), message);
    }
    frame.render_widget(Paragraph::new(bar_lines), bar);
}

fn context_of(app: &App) -> Context {
    match &app.mode {
        Mode::Main | Mode::Confirm(_) | Mode::ConfirmUndo { .. } => Context::Main,
        Mode::WalkIn(f) if f.ask.is_some() => Context::Answer,
        Mode::WalkIn(_) => Context::WalkIn,
        Mode::PresenceDetail(_) => Context::Answer,
        Mode::FollowUp(_) => Context::FollowUp,
        Mode::Attendance { .. } => Context::Attendance,
        Mode::Speakers { .. } => Context::Speakers,
        Mode::Vote(f) if f.roll.is_some() => Context::RollCall,
        Mode::Vote(_) => Context::Vote,
        Mode::Editor(_) => Context::Editor,
        Mode::Action(_) | Mode::AddItem(_) | Mode::SpeechNote { .. } => Context::Form,
    }
}

pub fn header_line(app: &App, width: u16) -> Paragraph<'static> {
    let s = app.s();
    let st = app.state();
    let q = st.quorum();
    let local = chrono::DateTime::from_timestamp_millis(app.now)
        .map(|t| t.with_timezone(&chrono::Local).format("%H:%M").to_string())
        .unwrap_or_default();
    let elapsed = match (st.started_at, st.ended_at) {
        (_, Some(_)) => s.ended.to_string(),
        (Some(t), None) => format!("{} {}", s.elapsed, clock(app.now - t)),
        (None, None) => s.before_start.to_string(),
    };
    let seat = match app.seat {
        Seat::Facilitator => String::new(),
        Seat::Secretary => format!(" [{}]", s.secretary),
        Seat::Projector => format!(" [{}]", s.projector),
        Seat::Observer => format!(" [{}]", s.read_only),
    };
    let ro = if app.store.is_read_only() {
        format!(" [{}]", s.read_only)
    } else {
        String::new()
    };
    let quorum = Span::styled(
        format!(
            " {} {} ",
            q.present_of_eligible(app.lang),
            if q.met {
                s.quorum_met
            } else {
                s.quorum_not_met
            }
        ),
        if q.met {
            theme::header()
        } else {
            Style::new()
                .fg(ratatui::style::Color::White)
                .bg(ratatui::style::Color::Red)
                .add_modifier(Modifier::BOLD)
        },
    );
    let time = Span::styled(format!(" {local}  {elapsed} "), theme::header());
    let room = (width as usize)
        .saturating_sub(time.width() + quorum.width() + seat.width() + ro.width() + 2);
    let title = Span::styled(
        format!(" {}{seat}{ro} ", truncate(&st.meeting.title, room)),
        theme::header(),
    );
    Paragraph::new(Line::from(vec![title, time, quorum])).style(theme::header())
}

fn draw_agenda(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s();
    let st = app.state();
    let block = Block::new()
        .borders(Borders::RIGHT)
        .title(Span::styled(s.agenda, theme::label()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // Keep the current item in view on a long agenda; only the lines in view are laid out.
    let skip = st
        .current
        .map_or(0, |c| c.saturating_sub(inner.height as usize / 2));
    let mut lines = Vec::new();
    let shown = st
        .items
        .iter()
        .enumerate()
        .skip(skip)
        .take(inner.height as usize);
    for (i, item) in shown {
        let decided = st.is_decided(item);
        let mark = match item.status {
            ItemStatus::Current => "▶",
            ItemStatus::Deferred => s.deferred_mark,
            ItemStatus::Discussed if decided => "✓",
            ItemStatus::Discussed => "·",
            ItemStatus::Pending if decided => "✓",
            ItemStatus::Pending => " ",
        };
        let used = item.timer.elapsed(app.now);
        let planned = item.spec.planned_secs as Millis * 1000;
        let time = if used > 0 {
            format!("{}/{}", clock(used), clock(planned))
        } else {
            clock(planned)
        };
        let room = if item.added_in_room {
            format!("[{}] ", s.in_room_mark)
        } else {
            String::new()
        };
        let title = format!("{mark}{:>2} {room}{}", i + 1, item.spec.title);
        let width = inner.width as usize;
        let time_w = time.width() + 1;
        let title = truncate(&title, width.saturating_sub(time_w));
        let pad = width.saturating_sub(title.width() + time.width());
        let over = used > planned;
        let style = if item.status == ItemStatus::Current {
            theme::current()
        } else if item.status == ItemStatus::Deferred {
            theme::dim()
        } else {
            Style::new()
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{title}{}", " ".repeat(pad)), style),
            Span::styled(time, if over { theme::bad() } else { style }),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_item(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s();
    let st = app.state();
    let area = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(1),
        ..area
    };
    let Some(item) = app.shown_item() else {
        let q = st.quorum();
        let mut lines = vec![
            Line::styled(st.meeting.title.clone(), theme::title()),
            Line::raw(""),
            Line::raw(q.describe(app.lang)),
        ];
        for (label, v) in [
            (app.lang.pick("时间：", "Time: "), &st.meeting.starts),
            (app.lang.pick("地点：", "Place: "), &st.meeting.place),
            (app.lang.pick("主持人：", "Host: "), &st.meeting.host),
            (
                app.lang.pick("记录人：", "Recorder: "),
                &st.meeting.recorder,
            ),
        ] {
            if let Some(v) = v {
                let v = if v.contains('T') {
                    app.lang.datetime(v)
                } else {
                    v.clone()
                };
                lines.push(Line::raw(format!("{label}{v}")));
            }
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            app.lang.pick(
                "按 a 签到，按 n 开始第一个议题，按 ? 查看所有按键",
                "Press a for attendance, n to start the first item, ? for all keys",
            ),
            theme::label(),
        ));
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
        return;
    };
    let index = st.items.iter().position(|i| i.id == item.id).unwrap_or(0);
    let is_current = st.current == Some(index);
    let mut lines: Vec<Line> = Vec::new();
    if !is_current {
        // The secretary looks at another item; the meeting stays where it is.
        let now = st.current.map_or_else(String::new, |c| (c + 1).to_string());
        lines.push(Line::styled(
            match app.lang {
                crate::lang::Lang::Zh => {
                    format!("正在查看议题 {}（会议在议题 {now}）· n / p 翻看", index + 1)
                }
                crate::lang::Lang::En => format!(
                    "Looking at item {} (the meeting is on item {now}) · n / p to browse",
                    index + 1
                ),
            },
            theme::bad(),
        ));
    }
    let room = if item.added_in_room {
        format!("[{}] ", s.in_room_mark)
    } else {
        String::new()
    };
    lines.push(Line::styled(
        format!(
            "{} {}/{}  {room}{}",
            s.item,
            index + 1,
            st.items.len(),
            item.spec.title
        ),
        theme::title(),
    ));
    if let Some(d) = item.description() {
        lines.extend(description_lines(d, area.width as usize, 3));
    }
    let used = item.timer.elapsed(app.now);
    let planned = item.spec.planned_secs as Millis * 1000;
    let mut timing = vec![Span::raw(format!(
        "{} {} / {}",
        s.used,
        clock(used),
        clock(planned)
    ))];
    if used > planned {
        timing.push(Span::styled(
            format!("  {} {}", s.overrun, clock(used - planned)),
            theme::bad(),
        ));
    }
    if let Some(p) = &item.spec.proposer {
        timing.push(Span::styled(
            format!("   {}{}{p}", s.proposer, s.colon),
            theme::dim(),
        ));
    }
    lines.push(Line::from(timing));
    lines.push(Line::raw(""));

    // The speaker and the queue (of the item under discussion only).
    let mut big_countdown = None;
    let speech = st.speech.as_ref().filter(|_| is_current);
    match speech {
        Some(sp) => {
            let p = st.participant(sp.participant);
            let role = p.map_or("", |p| p.role.label(app.lang));
            let (left, phase) =
                timer::remaining(sp.limit_secs as Millis * 1000, sp.elapsed(app.now));
            let count = if phase == Phase::Overrun {
                format!("{} +{}", s.over, clock(countdown_ms(left)))
            } else {
                format!("{} {}", s.left, clock(countdown_ms(left)))
            };
            let mut spans = vec![
                Span::styled(format!("{} ", s.speaking), theme::label()),
                Span::styled(
                    format!("{}{}", st.name(sp.participant), app.lang.paren(role)),
                    theme::title(),
                ),
                Span::raw("  "),
                Span::styled(count, theme::phase(phase)),
                Span::raw(format!("  [{}]", clock(sp.elapsed(app.now)))),
            ];
            if sp.kind != SpeechKind::Speech {
                spans.push(Span::styled(
                    format!(" {}", sp.kind.label(app.lang)),
                    theme::dim(),
                ));
            }
            if !sp.timer.is_running() {
                spans.push(Span::styled(format!("  {}", s.paused), theme::bad()));
            }
            lines.push(Line::from(spans));
            // On a tall screen the countdown also stands in large digits below the name.
            if area.height >= 36 {
                let digits = if phase == Phase::Overrun {
                    format!("+{}", clock(countdown_ms(left)))
                } else {
                    clock(countdown_ms(left))
                };
                big_countdown = Some((lines.len(), digits, theme::phase(phase)));
                lines.extend((0..5).map(|_| Line::raw("")));
            }
        }
        None if !is_current => {}
        None => lines.push(Line::styled(
            format!("{}{}—", s.speaking, s.colon),
            theme::dim(),
        )),
    }
    if is_current && item.queue.is_empty() {
        let text = if app.seat == Seat::Facilitator {
            s.nobody_waiting
        } else {
            s.nobody_waiting_plain
        };
        lines.push(Line::styled(text, theme::dim()));
    } else if is_current {
        lines.push(Line::styled(
            format!(
                "{}{}",
                s.waiting,
                app.lang.pick(
                    &format!("({})", item.queue.len()),
                    &format!(" ({})", item.queue.len())
                )
            ),
            theme::label(),
        ));
        let heard = app.speaking_time.borrow_mut().heard_on(st, item.id);
        for (i, q) in item.queue.iter().enumerate() {
            let kind = if q.kind == SpeechKind::Speech {
                String::new()
            } else {
                format!(" [{}]", q.kind.label(app.lang))
            };
            let first = if heard.contains(&q.participant) {
                ""
            } else {
                " *"
            };
            let text = format!(" {:>2}. {}{kind}{first}", i + 1, st.name(q.participant));
            let style = if i == app.queue_selected && matches!(app.mode, Mode::Main) {
                theme::selected()
            } else {
                Style::new()
            };
            lines.push(Line::styled(text, style));
        }
    }
    lines.push(Line::raw(""));

    // The vote.
    let rule = st.rule_for(item);
    let question = item
        .spec
        .vote
        .as_ref()
        .map_or(item.spec.title.as_str(), |v| v.question.as_str());
    lines.push(Line::from(vec![
        Span::styled(format!("{} ", s.vote), theme::label()),
        Span::raw(question.to_string()),
        Span::styled(
            format!("  {}{}{}", s.rule, s.colon, rule.label(app.lang)),
            theme::dim(),
        ),
    ]));
    match st.vote_of(item.id) {
        Some(v) => {
            lines.push(vote_counts_line(app, &v.votes, &v.options, v.share_base()));
            let verdict = Span::styled(
                format!("{} ", if v.outcome.passed { s.passed } else { s.failed }),
                if v.outcome.passed {
                    theme::good()
                } else {
                    theme::bad()
                },
            );
            lines.push(Line::from(vec![
                verdict,
                Span::raw(v.outcome.reason.describe(app.lang, &v.options)),
            ]));
        }
        None => lines.push(Line::styled(
            if app.seat == Seat::Facilitator {
                s.no_vote_yet
            } else {
                s.no_vote_yet_plain
            },
            theme::dim(),
        )),
    }

    // The texts.
    for (label, text) in [(s.resolution, &item.resolution), (s.minutes, &item.minutes)] {
        if !text.is_empty() {
            lines.push(Line::raw(""));
            lines.push(Line::styled(label, theme::label()));
            for l in text.lines() {
                lines.push(Line::raw(l.to_string()));
            }
        }
    }
    if !item.dissent.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(s.dissent, theme::label()));
        for d in &item.dissent {
            lines.push(Line::raw(match &d.name {
                Some(n) => format!("· {n}{}{}", s.colon, d.text),
                None => format!("· {}", d.text),
            }));
        }
    }
    if !matches!(app.mode, Mode::Editor(_)) && is_current {
        for (field, text) in &app.drafts {
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                format!("{} {}", field.label(s), s.drafting),
                theme::dim(),
            ));
            for l in text.lines() {
                lines.push(Line::styled(l.to_string(), theme::dim()));
            }
        }
    }
    let actions: Vec<_> = st.actions.iter().filter(|a| a.item == item.id).collect();
    if !actions.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(s.actions, theme::label()));
        for a in actions {
            let due = a
                .due
                .as_deref()
                .map(|d| format!(" · {}{}{d}", s.due, s.colon))
                .unwrap_or_default();
            lines.push(Line::raw(format!(
                "· {} · {}{}{}{due}",
                a.what, s.owner, s.colon, a.owner
            )));
        }
    }
    // Wrapped here, so the rows are known: the pane scrolls (PgUp / PgDn) and says there is
    // more instead of losing the bottom.
    let width = area.width.max(1) as usize;
    let mut rows: Vec<Line> = Vec::new();
    let mut big = None;
    for (i, line) in lines.into_iter().enumerate() {
        if let Some((at, digits, style)) = &big_countdown
            && *at == i
        {
            big = Some((rows.len() as u16, digits.clone(), *style));
        }
        rows.extend(wrap_line(line, width));
    }
    let total = rows.len() as u16;
    let (top, view) = if total > area.height {
        let view = area.height.saturating_sub(1).max(1);
        let last = total - view;
        app.item_limit.set((last, view));
        (app.item_scroll_now().min(last), view)
    } else {
        app.item_limit.set((0, area.height));
        (0, area.height)
    };
    let below = total.saturating_sub(top + view);
    let mut shown: Vec<Line> = rows
        .into_iter()
        .skip(top as usize)
        .take(view as usize)
        .collect();
    if total > area.height {
        shown.push(Line::styled(
            match (app.lang, below) {
                (crate::lang::Lang::Zh, 0) => "—— 已到底 · PgUp 向上 ——".to_string(),
                (crate::lang::Lang::En, 0) => "—— end · PgUp scrolls up ——".to_string(),
                (crate::lang::Lang::Zh, n) => format!("↓ 下面还有 {n} 行（PgDn 翻看）"),
                (crate::lang::Lang::En, n) => format!("↓ {n} more lines (PgDn)"),
            },
            theme::label(),
        ));
    }
    frame.render_widget(Paragraph::new(shown), area);
    let big = big.and_then(|(row, d, st)| row.checked_sub(top).map(|r| (r, d, st)));
    if let Some((row, digits, style)) = big
        && row + 4 < view
    {
        let rect = Rect {
            x: area.x + 2,
            y: area.y + row,
            width: area.width.saturating_sub(2),
            height: 4,
        };
        let text = BigText::builder()
            .pixel_size(PixelSize::HalfHeight)
            .style(style)
            .lines(vec![digits.into()])
            .build();
        frame.render_widget(text, rect);
    }
}

/// An item's description under its title: wrapped, at most `max` rows, the last cut with an
/// ellipsis when there is more.
fn description_lines(text: &str, width: usize, max: usize) -> Vec<Line<'static>> {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut rows = wrap_columns(&joined, width.max(4));
    if rows.len() > max {
        rows.truncate(max);
        if let Some(last) = rows.last_mut() {
            *last = truncate(&format!("{last}……"), width);
        }
    }
    rows.into_iter()
        .map(|r| Line::styled(r, theme::dim()))
        .collect()
}

/// One line cut into rows of `width` columns, styles kept. A row breaks at its last space when
/// that space is past the middle (English words stay whole; a leading "· " never stands alone);
/// else at the column.
pub fn wrap_line(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    if line.width() <= width {
        return vec![line];
    }
    let base = line.style;
    let cells: Vec<(char, Style)> = line
        .spans
        .iter()
        .flat_map(|sp| sp.content.chars().map(move |c| (c, sp.style)))
        .collect();
    let mut rows: Vec<Vec<(char, Style)>> = vec![Vec::new()];
    let mut w = 0;
    for cell in cells {
        let cw = unicode_width::UnicodeWidthChar::width(cell.0).unwrap_or(0);
        if w + cw > width {
            let row = rows.last_mut().expect("a row");
            let cut = row
                .iter()
                .rposition(|(c, _)| *c == ' ')
                .filter(|&i| i * 2 > row.len() && cell.0 != ' ');
            let carried = match cut {
                Some(i) => row.split_off(i + 1),
                None => Vec::new(),
            };
            w = carried
                .iter()
                .map(|(c, _)| unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0))
                .sum();
            rows.push(carried);
            if cell.0 == ' ' && rows.last().is_some_and(|r| r.is_empty()) {
                continue;
            }
        }
        rows.last_mut().expect("a row").push(cell);
        w += cw;
    }
    rows.into_iter()
        .map(|row| {
            let mut spans: Vec<Span> = Vec::new();
            for (c, style) in row {
                match spans.last_mut() {
                    Some(sp) if sp.style == style => sp.content.to_mut().push(c),
                    _ => spans.push(Span::styled(c.to_string(), style)),
                }
            }
            Line::from(spans).style(base)
        })
        .collect()
}

/// 赞成 9(75.0%) 反对 2 弃权 1, shares of `base`.
pub fn vote_counts_line(app: &App, votes: &Votes, options: &[String], base: u32) -> Line<'static> {
    let s = app.s();
    let mut spans = Vec::new();
    match votes {
        Votes::YesNo { yes, no, abstain } => {
            for (label, n, style) in [
                (s.yes, yes.heads, theme::good()),
                (s.no, no.heads, theme::bad()),
                (s.abstain, abstain.heads, Style::new()),
            ] {
                spans.push(Span::styled(format!("{label} {n}"), style));
                spans.push(Span::raw(format!("{}  ", app.lang.paren(&share(n, base)))));
            }
        }
        Votes::Options { counts, abstain } => {
            for (o, n) in options.iter().zip(counts) {
                spans.push(Span::styled(format!("{o} {n}"), theme::title()));
                spans.push(Span::raw(format!("{}  ", app.lang.paren(&share(*n, base)))));
            }
            spans.push(Span::raw(format!("{} {abstain}", s.abstain)));
        }
    }
    Line::from(spans)
}

fn draw_fairness(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s();
    let st = app.state();
    let area = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(1),
        ..area
    };
    let item = st.current_item().map(|i| i.id);
    let mut lines = vec![Line::styled(s.fairness, theme::title()), Line::raw("")];
    // The speeches ended are counted once, not on every frame of a countdown.
    let (on_item, meeting) = app.speaking_time.borrow_mut().count(st, item, app.now);
    for (label, people) in [
        (s.this_item, on_item.as_ref()),
        (s.whole_meeting, Some(&meeting)),
    ] {
        let Some(people) = people else {
            continue;
        };
        let groups = st.groups_of(people);
        let total: Millis = groups.values().sum();
        let n = people.len();
        let spoke = match (app.lang, n) {
            (crate::lang::Lang::Zh, _) => format!("{} {n} 人", s.spoke),
            (crate::lang::Lang::En, 1) => "1 person spoke".to_string(),
            (crate::lang::Lang::En, _) => format!("{n} people spoke"),
        };
        lines.push(Line::styled(
            format!("{label}{}{spoke}", s.colon),
            theme::label(),
        ));
        // Every label padded to the widest in columns, so the times line up in any language.
        let label_w = RoleGroup::ALL
            .iter()
            .map(|g| g.label(app.lang).width())
            .max()
            .unwrap_or(0);
        for g in RoleGroup::ALL {
            let ms = groups.get(g).copied().unwrap_or(0);
            let pct = if total > 0 { ms * 100 / total } else { 0 };
            let row = format!(
                "  {} {:>6} {:>3}% ",
                pad_to(g.label(app.lang), label_w),
                clock(ms),
                pct
            );
            // The bar takes what is left of the row, so it never wraps onto a line of its own.
            let room = (area.width as usize).saturating_sub(row.width());
            let bar = "█".repeat(((pct as usize) / 5).min(room * pct as usize / 100));
            lines.push(Line::raw(format!("{row}{bar}")));
        }
        let top: Vec<String> = people
            .iter()
            .take(8)
            .map(|(p, ms, n)| {
                let times = match (app.lang, *n) {
                    (crate::lang::Lang::Zh, n) => format!("{n}{}", s.times),
                    (crate::lang::Lang::En, 1) => "once".to_string(),
                    (crate::lang::Lang::En, 2) => "twice".to_string(),
                    (crate::lang::Lang::En, n) => format!("{n} times"),
                };
                format!("{} {} ({times})", st.name(*p), clock(*ms))
            })
            .collect();
        if !top.is_empty() {
            lines.push(Line::raw(format!("  {}", top.join(" · "))));
        }
        lines.push(Line::raw(""));
    }
    if let Some(cur) = st.current_item() {
        let heard: BTreeSet<ParticipantId> = on_item.iter().flatten().map(|(p, _, _)| *p).collect();
        let waiting: Vec<&str> = cur
            .queue
            .iter()
            .filter(|q| !heard.contains(&q.participant))
            .map(|q| st.name(q.participant))
            .collect();
        lines.push(Line::styled(s.asked_not_heard, theme::label()));
        lines.push(Line::raw(if waiting.is_empty() {
            "—".to_string()
        } else {
            waiting.join("、")
        }));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

/// The key bar of a context, packed into lines of `width` columns without splitting a key
/// from its label.
pub fn key_bar(app: &App, context: Context, width: u16) -> Vec<Line<'static>> {
    let mut lines: Vec<Line> = vec![Line::default()];
    // Help first and quit second, so a narrow bar never loses them.
    let mut bindings: Vec<_> = keys::bar(context).collect();
    if let Some(q) = bindings
        .iter()
        .position(|b| b.action == Some(keys::Action::Quit))
    {
        let quit = bindings.remove(q);
        bindings.insert(1.min(bindings.len()), quit);
    }
    // The speaking time, undo and the projector come last, so a narrow bar keeps D, i and E;
    // whatever falls off is in the help.
    let (later, mut bindings): (Vec<_>, Vec<_>) = bindings.into_iter().partition(|b| {
        matches!(
            b.action,
            Some(keys::Action::Fairness | keys::Action::Undo | keys::Action::Projector)
        )
    });
    bindings.extend(later);
    let speaking = app.state().speech.is_some();
    for b in bindings {
        if b.action.is_some_and(|a| !app.seat.allows(a)) {
            continue;
        }
        // While someone speaks Enter starts nobody: x is the key that ends the speech.
        if speaking && b.action == Some(keys::Action::StartSpeaker) {
            continue;
        }
        let browsing = app.seat == Seat::Secretary;
        let text = if browsing && b.action == Some(keys::Action::Next) {
            app.lang.pick("看后一项", "look next")
        } else if browsing && b.action == Some(keys::Action::Previous) {
            app.lang.pick("看前一项", "look back")
        } else if b.action == Some(keys::Action::Next) && app.at_last_item() {
            app.lang.pick("末项·E 散会", "last item: E closes")
        } else if b.action == Some(keys::Action::EndSpeech) && speaking {
            app.lang.pick("结束发言", "end speech")
        } else {
            b.bar(app.lang)
        };
        let key = Span::styled(format!(" {} ", b.key_label(app.lang)), theme::key());
        let label = Span::raw(format!("{text} "));
        let need = key.width() + label.width();
        let last = lines.last_mut().expect("one line at least");
        // A label's trailing space may fall off the right edge.
        if last.width() + need - 1 > width as usize && last.width() > 0 {
            lines.push(Line::default());
        }
        let last = lines.last_mut().expect("one line at least");
        last.spans.push(key);
        last.spans.push(label);
    }
    lines
}

/// Clears a popup's area and one column either side, so no wide character of the screen
/// below is cut in half at its border.
fn clear(frame: &mut Frame, rect: Rect) {
    let full = frame.area();
    let x = rect.x.saturating_sub(1).max(full.x);
    let right = (rect.right() + 1).min(full.right());
    frame.render_widget(
        Clear,
        Rect {
            x,
            width: right - x,
            ..rect
        },
    );
}

fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width.saturating_sub(2));
    let h = height.min(area.height.saturating_sub(2));
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn draw_overlay(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s();
    match &app.mode {
        Mode::Main => {}
        Mode::Attendance { filter, selected } => {
            let found = app.matches(filter.text(), false);
            let st = app.state();
            let rect = popup(area, 70, area.height);
            let q = st.quorum();
            let title = format!(
                " {} · {} ",
                Context::Attendance.title(app.lang),
                q.describe(app.lang)
            );
            let lines = people_list(
                app,
                &found,
                *selected,
                rect.height.saturating_sub(4) as usize,
                true,
            );
            let footer = if found.is_empty() && !filter.is_empty() {
                s.no_match_walk_in
            } else {
                ""
            };
            draw_finder(frame, rect, &title, s.find, filter, lines, footer);
        }
        Mode::Speakers {
            filter,
            selected,
            kind,
        } => {
            let found = app.matches(filter.text(), true);
            let rect = popup(area, 64, area.height);
            let title = format!(
                " {} · {}{}{} (Tab) ",
                Context::Speakers.title(app.lang),
                s.kind,
                s.colon,
                kind.label(app.lang)
            );
            let lines = people_list(
                app,
                &found,
                *selected,
                rect.height.saturating_sub(4) as usize,
                false,
            );
            let footer = match app.absent_match(filter.text()) {
                Some(pid) => {
                    let name = app.state().name(pid);
                    match app.lang {
                        crate::lang::Lang::Zh => {
                            format!("{name} 尚未签到：按 Enter 签到并加入发言队列")
                        }
                        crate::lang::Lang::En => {
                            format!("{name} is not signed in: Enter signs them in and queues them")
                        }
                    }
                }
                None => String::new(),
            };
            draw_finder(frame, rect, &title, s.find, filter, lines, &footer);
        }
        Mode::Vote(form) => draw_vote(frame, area, app, form),
        Mode::Editor(editor) => {
            let rect = popup(
                area,
                area.width.saturating_sub(8).max(50),
                area.height.saturating_sub(2),
            );
            clear(frame, rect);
            let item = app
                .state()
                .item(editor.item)
                .map_or("", |i| i.spec.title.as_str());
            let hint = if editor.field == super::app::EditField::Dissent {
                app.lang
                    .pick("每行一条：姓名：意见 · ", "One per line: Name: opinion · ")
            } else {
                ""
            };
            let block = Block::bordered()
                .title(Span::styled(
                    format!(" {} — {item} ", editor.field.label(s)),
                    theme::title(),
                ))
                .title_bottom(format!(" {hint}{} ", s.save_hint));
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            frame.render_widget(&editor.area, inner);
            // The real cursor at the caret, so an input method composes in place.
            let c = editor.area.screen_cursor();
            let (top, left) = editor.area.scroll_offset();
            let x = inner.x + (c.col as u16).saturating_sub(left);
            let y = inner.y + (c.row as u16).saturating_sub(top);
            if x < inner.right() && y < inner.bottom() {
                frame.set_cursor_position(Position { x, y });
            }
        }
        Mode::Action(form) => {
            let rect = popup(area, 66, 9);
            clear(frame, rect);
            let block =
                Block::bordered().title(Span::styled(format!(" {} ", s.actions), theme::title()));
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            let labels = [
                s.what,
                s.owner,
                app.lang.pick("完成时限 YYYY-MM-DD", "Due YYYY-MM-DD"),
            ]
            .map(|l| format!("{l}{}", s.colon));
            // Every field starts in the same column, so the caret can be placed exactly.
            let label_w = labels.iter().map(|l| l.width()).max().unwrap_or(0) as u16 + 1;
            for (i, (label, field)) in labels.iter().zip(&form.fields).enumerate() {
                let y = inner.y + i as u16 * 2;
                let style = if i == form.focus {
                    theme::label()
                } else {
                    Style::new()
                };
                frame.render_widget(
                    Paragraph::new(Line::from(vec![
                        Span::styled(pad_to(label, label_w as usize), style),
                        Span::raw(field.text().to_string()),
                    ])),
                    Rect {
                        x: inner.x,
                        y,
                        width: inner.width,
                        height: 1,
                    },
                );
                if i == form.focus {
                    frame.set_cursor_position(Position {
                        x: inner.x + label_w + field.caret_columns(),
                        y,
                    });
                }
            }
        }
        Mode::AddItem(input) => {
            let rect = popup(area, 60, 3);
            clear(frame, rect);
            let block =
                Block::bordered().title(Span::styled(format!(" {} ", s.new_item), theme::title()));
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            let label = format!("{}{}", s.new_item_title, s.colon);
            frame.render_widget(Paragraph::new(format!("{label}{}", input.text())), inner);
            frame.set_cursor_position(Position {
                x: inner.x + label.width() as u16 + input.caret_columns(),
                y: inner.y,
            });
        }
        Mode::SpeechNote { speech, input } => {
            let st = app.state();
            let who = st
                .speeches
                .iter()
                .chain(st.speech.iter())
                .find(|sp| sp.id == *speech)
                .map_or("", |sp| st.name(sp.participant));
            let rect = popup(area, 70, 3);
            clear(frame, rect);
            let title = format!(" {}{}{who} ", s.speech_note, s.colon);
            let block = Block::bordered().title(Span::styled(title, theme::title()));
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            // One line: a note longer than the box scrolls so the caret stays in view.
            let caret = input.caret_columns();
            let scroll = (caret + 1).saturating_sub(inner.width);
            frame.render_widget(
                Paragraph::new(input.text().to_string()).scroll((0, scroll)),
                inner,
            );
            frame.set_cursor_position(Position {
                x: inner.x + caret - scroll,
                y: inner.y,
            });
        }
        Mode::ConfirmUndo { prompt, .. } => {
            let width = area.width.saturating_sub(4).min(70);
            let lines = (prompt.width() as u16).div_ceil(width.saturating_sub(2).max(1)) + 2;
            let rect = popup(area, width, lines);
            clear(frame, rect);
            frame.render_widget(
                Paragraph::new(prompt.as_str())
                    .wrap(Wrap { trim: false })
                    .style(theme::bad())
                    .block(Block::bordered()),
                rect,
            );
        }
        Mode::Confirm(ask) => {
            let question = app.question(ask);
            let keys = app
                .lang
                .pick("y 确认 · Esc 取消", "y confirms · Esc cancels");
            let width = (question.width().max(keys.width()) as u16 + 4).clamp(30, 76);
            let rows = (question.width() as u16).div_ceil(width - 2).max(1);
            let rect = popup(area, width, rows + 3);
            clear(frame, rect);
            frame.render_widget(
                Paragraph::new(vec![
                    Line::styled(question, theme::bad()),
                    Line::styled(keys, theme::label()),
                ])
                .wrap(Wrap { trim: false })
                .block(Block::bordered()),
                rect,
            );
        }
        Mode::WalkIn(form) => {
            let rect = popup(area, 64, if form.ask.is_some() { 10 } else { 8 });
            clear(frame, rect);
            let block = Block::bordered().title(Span::styled(
                format!(" {} ", Context::WalkIn.title(app.lang)),
                theme::title(),
            ));
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            let question = match app.lang {
                crate::lang::Lang::Zh => format!("添加临时到场人员「{}」？", form.name),
                crate::lang::Lang::En => format!("Add \"{}\" as a walk-in?", form.name),
            };
            let voting = if form.voter {
                app.lang.pick("参加表决", "votes")
            } else {
                app.lang.pick("不参加表决", "does not vote")
            };
            let role_label = app.lang.pick("身份", "Role");
            let voting_label = app.lang.pick("表决权", "Voting");
            let unit_label = app.lang.pick("房号", "Unit");
            let area_label = app.lang.pick("专有面积 m²", "Area m²");
            let shown: &[&str] = match form.ask {
                None => &[role_label, voting_label],
                Some(_) => &[role_label, voting_label, unit_label, area_label],
            };
            let w = shown.iter().map(|l| l.width()).max().unwrap_or(0) + s.colon.width();
            let field = |label: &str, value: String, key: &'static str| {
                Line::from(vec![
                    Span::styled(pad_to(&format!("{label}{}", s.colon), w), theme::label()),
                    Span::raw(value),
                    Span::styled(key, theme::dim()),
                ])
            };
            let mut lines = vec![
                Line::styled(question, theme::title()),
                Line::raw(""),
                field(role_label, form.role.label(app.lang).to_string(), "  (Tab)"),
                field(voting_label, voting.to_string(), "  (v)"),
            ];
            let mut caret = None;
            match &form.ask {
                None => {
                    lines.push(Line::raw(""));
                    lines.push(Line::styled(
                        app.lang.pick(
                            "Enter 添加并记为到场 · Esc 取消",
                            "Enter adds them, present · Esc cancels",
                        ),
                        theme::label(),
                    ));
                }
                Some(ask) => {
                    let (unit, input) = match ask {
                        crate::tui::app::WalkInAsk::Unit(input) => (None, input),
                        crate::tui::app::WalkInAsk::Area { unit, input } => (Some(unit), input),
                    };
                    let typed = input.text().to_string();
                    lines.push(field(
                        unit_label,
                        unit.cloned().unwrap_or(typed.clone()),
                        "",
                    ));
                    if unit.is_some() {
                        lines.push(field(area_label, typed, ""));
                    }
                    caret = Some((
                        inner.x + w as u16 + input.caret_columns(),
                        inner.y + lines.len() as u16 - 1,
                    ));
                    lines.push(Line::raw(""));
                    lines.push(Line::styled(
                        match (unit.is_some(), app.lang) {
                            (false, crate::lang::Lang::Zh) => {
                                "业主请报房号 · Enter 下一步 · 留空：不计入业主表决 · Esc 返回"
                            }
                            (false, crate::lang::Lang::En) => {
                                "The owner's unit · Enter next · empty: not counted · Esc back"
                            }
                            (true, crate::lang::Lang::Zh) => {
                                "专有部分面积 · Enter 添加并记为到场 · 留空：不计入 · Esc 返回"
                            }
                            (true, crate::lang::Lang::En) => {
                                "Exclusive area · Enter adds them · empty: not counted · Esc back"
                            }
                        },
                        theme::label(),
                    ));
                }
            }
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
            if let Some((x, y)) = caret {
                frame.set_cursor_position(Position { x, y });
            }
        }
        Mode::FollowUp(fu) => draw_follow_up(frame, area, app, fu),
        Mode::PresenceDetail(form) => {
            let st = app.state();
            let name = st.name(form.participant);
            let proxy = form.presence == crate::domain::state::Presence::Proxy;
            let rect = popup(area, 64, 5);
            clear(frame, rect);
            let title = match (proxy, app.lang) {
                (true, crate::lang::Lang::Zh) => format!(" 委托出席 · 委托人 {name} "),
                (true, crate::lang::Lang::En) => format!(" Proxy · given by {name} "),
                (false, crate::lang::Lang::Zh) => format!(" 请假 · {name} "),
                (false, crate::lang::Lang::En) => format!(" Leave · {name} "),
            };
            let block = Block::bordered().title(Span::styled(title, theme::title()));
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            let label = match (proxy, app.lang) {
                (true, crate::lang::Lang::Zh) => "受托人：",
                (true, crate::lang::Lang::En) => "Held by: ",
                (false, crate::lang::Lang::Zh) => "请假原因：",
                (false, crate::lang::Lang::En) => "Reason: ",
            };
            let cap = match (proxy, st.meeting.max_proxies) {
                (true, Some(max)) => match app.lang {
                    crate::lang::Lang::Zh => format!("每位受托人至多代 {max} 人"),
                    crate::lang::Lang::En => format!("At most {max} proxies per holder"),
                },
                _ => String::new(),
            };
            let lines = vec![
                Line::from(vec![
                    Span::styled(label, theme::label()),
                    Span::raw(form.input.text().to_string()),
                ]),
                Line::styled(cap, theme::dim()),
                Line::styled(
                    app.lang
                        .pick("Enter 记录 · Esc 取消", "Enter records · Esc cancels"),
                    theme::label(),
                ),
            ];
            frame.render_widget(Paragraph::new(lines), inner);
            frame.set_cursor_position(Position {
                x: inner.x + label.width() as u16 + form.input.caret_columns(),
                y: inner.y,
            });
        }
    }
}

/// `T`: every action of the file, overdue first; the selected one's notes below; the update
/// form on top when Enter was pressed.
fn draw_follow_up(frame: &mut Frame, area: Rect, app: &App, fu: &crate::tui::app::FollowUp) {
    use crate::domain::state::ActionStatus;
    let lang = app.lang;
    let today = app.today();
    let states = app.follow_up_states(fu);
    let rows = app.follow_up_rows(&states);
    let rect = popup(area, 110, area.height);
    clear(frame, rect);
    let open = rows.iter().filter(|r| r.is_open()).count();
    let late = rows.iter().filter(|r| r.overdue(today).is_some()).count();
    let title = match lang {
        crate::lang::Lang::Zh => format!(
            " {} · 共 {} 项，未完成 {open} 项，逾期 {late} 项 ",
            Context::FollowUp.title(lang),
            rows.len()
        ),
        crate::lang::Lang::En => format!(
            " {} · {} in all, {open} open, {late} overdue ",
            Context::FollowUp.title(lang),
            rows.len()
        ),
    };
    let block = Block::bordered().title(Span::styled(title, theme::title()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let notes_h = 5u16.min(inner.height / 3);
    let [list, notes] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(notes_h)]).areas(inner);
    if rows.is_empty() {
        frame.render_widget(
            Paragraph::new(lang.pick(
                "还没有任何待办事项；会上按 t 添加",
                "No action items yet; t adds one during a meeting",
            ))
            .style(theme::dim()),
            list,
        );
        return;
    }
    let height = list.height as usize;
    let selected = fu.selected.min(rows.len() - 1);
    let skip = selected.saturating_sub(height.saturating_sub(1));
    let width = list.width as usize;
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .skip(skip)
        .take(height)
        .map(|(i, r)| {
            let a = r.action;
            let when = match (r.overdue(today), a.due.as_deref()) {
                (Some(days), _) => match lang {
                    crate::lang::Lang::Zh => format!("逾期 {days} 天"),
                    crate::lang::Lang::En => format!("{days} d late"),
                },
                (None, Some(due)) => due.to_string(),
                (None, None) => lang.pick("无时限", "no due date").to_string(),
            };
            let text = format!(
                "{} {} {} {} · {} · {}",
                pad_to(&format!("{}-{}", r.meeting, a.id), 6),
                pad_to(a.status.label(lang), 10),
                pad_to(&when, 12),
                a.what,
                a.owner,
                r.meeting_title
            );
            let style = if i == selected {
                theme::selected()
            } else if r.overdue(today).is_some() {
                theme::bad()
            } else if matches!(a.status, ActionStatus::Done | ActionStatus::Dropped) {
                theme::dim()
            } else {
                Style::new()
            };
            Line::styled(truncate(&text, width), style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
    // The selected action's notes, newest last, each with its date.
    let r = &rows[selected];
    let offset = app.state().utc_offset;
    let mut note_lines = vec![Line::styled(
        format!("{} · {}", r.item_title, r.action.what),
        theme::label(),
    )];
    let shown = r
        .action
        .notes
        .len()
        .saturating_sub(notes_h.saturating_sub(1) as usize);
    for n in &r.action.notes[shown..] {
        let date = crate::tui::app::in_meeting_zone(n.at, offset)
            .map_or_else(String::new, |t| t.format("%Y-%m-%d").to_string());
        let text = format!(
            "  {date} {}{}{}",
            n.status.label(lang),
            app.s().colon,
            n.text
        );
        note_lines.push(Line::raw(truncate(&text, width)));
    }
    if r.action.notes.is_empty() {
        note_lines.push(Line::styled(
            lang.pick(
                "  尚无进展记录；按 Enter 更新",
                "  No notes yet; Enter updates it",
            ),
            theme::dim(),
        ));
    }
    frame.render_widget(Paragraph::new(note_lines), notes);

    let Some(form) = &fu.form else {
        return;
    };
    let rect = popup(area, 72, 7);
    clear(frame, rect);
    let title = match lang {
        crate::lang::Lang::Zh => format!(" 更新待办 {}-{} ", form.meeting, form.action),
        crate::lang::Lang::En => format!(" Update action {}-{} ", form.meeting, form.action),
    };
    let block = Block::bordered().title(Span::styled(title, theme::title()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let s = app.s();
    let status_label = format!("{}{}", lang.pick("状态", "Status"), s.colon);
    let note_label = format!("{}{}", lang.pick("进展说明", "Note"), s.colon);
    let w = status_label.width().max(note_label.width());
    let lines = vec![
        Line::styled(
            truncate(&r.action.what, inner.width as usize),
            theme::title(),
        ),
        Line::from(vec![
            Span::styled(pad_to(&status_label, w), theme::label()),
            Span::raw(form.status.label(lang)),
            Span::styled("  (Tab)", theme::dim()),
        ]),
        Line::from(vec![
            Span::styled(pad_to(&note_label, w), theme::label()),
            Span::raw(form.note.text().to_string()),
        ]),
        Line::raw(""),
        Line::styled(
            match lang {
                crate::lang::Lang::Zh => format!("记为 {today} · Enter 记录 · Esc 返回"),
                crate::lang::Lang::En => format!("Dated {today} · Enter records · Esc back"),
            },
            theme::label(),
        ),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
    frame.set_cursor_position(Position {
        x: inner.x + w as u16 + form.note.caret_columns(),
        y: inner.y + 2,
    });
}

fn people_list(
    app: &App,
    found: &[u32],
    selected: usize,
    height: usize,
    with_status: bool,
) -> Vec<Line<'static>> {
    let st = app.state();
    let skip = selected.saturating_sub(height.saturating_sub(1));
    found
        .iter()
        .enumerate()
        .skip(skip)
        .take(height)
        .map(|(i, &pid)| {
            let p = st.participant(pid);
            let role = p.map_or("", |p| p.role.label(app.lang));
            let unit = p.and_then(|p| p.unit.clone()).unwrap_or_default();
            let presence = st.presence(pid);
            let status = if with_status {
                match st.proxy_holders.get(&pid) {
                    Some(h) if presence == crate::domain::state::Presence::Proxy => {
                        format!("[{}→{h}] ", presence.label(app.lang))
                    }
                    _ => format!("[{}] ", presence.label(app.lang)),
                }
            } else {
                String::new()
            };
            let voter = if p.is_some_and(|p| p.voter) {
                ""
            } else {
                app.lang.pick(" （不表决）", " (non-voting)")
            };
            let text = format!("{status}{} {role}{voter} {unit}", pad_to(st.name(pid), 8));
            let style = if i == selected {
                theme::selected()
            } else if with_status && presence.attends() {
                theme::good()
            } else {
                Style::new()
            };
            Line::styled(text, style)
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn draw_finder(
    frame: &mut Frame,
    rect: Rect,
    title: &str,
    label: &str,
    filter: &super::input::LineInput,
    lines: Vec<Line<'static>>,
    footer: &str,
) {
    clear(frame, rect);
    let block = Block::bordered().title(Span::styled(title.to_string(), theme::title()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [input, list, foot] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    let prefix = format!(
        "{label}{}",
        if label.is_ascii() { ": " } else { "\u{ff1a}" }
    );
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(prefix.clone(), theme::label()),
            Span::raw(filter.text().to_string()),
        ])),
        input,
    );
    frame.set_cursor_position(Position {
        x: input.x + prefix.width() as u16 + filter.caret_columns(),
        y: input.y,
    });
    frame.render_widget(Paragraph::new(lines), list);
    frame.render_widget(
        Paragraph::new(footer.to_string()).style(theme::label()),
        foot,
    );
}

fn draw_vote(frame: &mut Frame, area: Rect, app: &App, form: &VoteForm) {
    let s = app.s();
    let st = app.state();
    let height = if form.roll.is_some() { area.height } else { 12 };
    let rect = popup(area, area.width.saturating_sub(6).clamp(60, 100), height);
    clear(frame, rect);
    let title = if form.roll.is_some() {
        Context::RollCall
    } else {
        Context::Vote
    }
    .title(app.lang);
    let block = Block::bordered().title(Span::styled(format!(" {title} "), theme::title()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    // The question wraps in its own rows; everything below it keeps exact rows for the cursor.
    let q_rows = (form.question.width() as u16)
        .div_ceil(inner.width.max(1))
        .max(1);
    let [question, inner] =
        Layout::vertical([Constraint::Length(q_rows), Constraint::Min(0)]).areas(inner);
    frame.render_widget(
        Paragraph::new(Line::styled(form.question.clone(), theme::title()))
            .wrap(Wrap { trim: false }),
        question,
    );
    let mut lines = vec![Line::raw(format!(
        "{}{}{} · {}",
        s.rule,
        s.colon,
        form.rule.label(app.lang),
        st.item(form.item)
            .map_or_else(|| st.quorum(), |it| st.quorum_for(it))
            .describe(app.lang)
    ))];
    let method = if form.roll.is_some() {
        crate::domain::tally::Method::RollCall
    } else {
        form.method
    };
    let hint = match (
        form.roll.is_some(),
        form.rule.needs_roll_call(),
        form.rule == Rule::Plurality,
    ) {
        (_, true, _) => "",
        (true, false, _) => app.lang.pick("  （r 改为计数）", "  (r: back to counts)"),
        (false, _, true) => app
            .lang
            .pick("  （m 举手/无记名）", "  (m: hands / secret)"),
        (false, _, false) => app.lang.pick(
            "  （m 举手/无记名 · r 记名表决）",
            "  (m: hands / secret · r: roll call)",
        ),
    };
    lines.push(Line::from(vec![
        Span::raw(format!("{}{}{}", s.method, s.colon, method.label(app.lang))),
        Span::styled(hint, theme::dim()),
    ]));
    if form.retake {
        lines.push(Line::styled(s.retake, theme::bad()));
    }
    let votes = app.form_votes(form);
    let mut cursor = None;
    let mut count_row = 0;
    // The preview (and on a roll call with voters unmarked, the question) stays at the bottom.
    let mut preview = Vec::new();
    if form.asking {
        let n = form.unmarked();
        preview.push(Line::styled(
            match app.lang {
                crate::lang::Lang::Zh => {
                    format!("还有 {n} 人未表态：按 Enter 仍记录（视为未参与表决），Esc 返回")
                }
                crate::lang::Lang::En => format!(
                    "{n} not marked yet: Enter records anyway (they count as not taking part), Esc goes back"
                ),
            },
            theme::bad(),
        ));
    }
    match app.vote_preview(form) {
        Ok(outcome) => preview.push(Line::from(vec![
            Span::styled(format!("{}{}", s.preview, s.colon), theme::label()),
            Span::styled(
                format!("{} ", if outcome.passed { s.passed } else { s.failed }),
                if outcome.passed {
                    theme::good()
                } else {
                    theme::bad()
                },
            ),
            Span::raw(outcome.reason.describe(app.lang, &form.options)),
        ])),
        Err(e) => preview.push(Line::styled(e.describe(app.lang), theme::bad())),
    }
    let preview_rows: u16 = preview
        .iter()
        .map(|l| (l.width() as u16).div_ceil(inner.width.max(1)).max(1))
        .sum();
    if let Some(roll) = &form.roll {
        if let Votes::YesNo { yes, no, abstain } = &votes {
            let e = st.electorate_for(form.rule);
            let part_heads = yes.heads + no.heads + abstain.heads;
            let part_area = yes.area.0 + no.area.0 + abstain.area.0;
            let part = tally::participation_share;
            let approve = |a: u64, b: u64| tally::decision_share(form.rule, a, b);
            // Area beside heads only where the rule weighs area (owners' rules).
            let by_area = form.rule.needs_roll_call();
            let part_line = if by_area {
                format!(
                    "{} {} {}/{} ({}) · {} {}/{} m² ({})",
                    s.participating,
                    s.heads,
                    part_heads,
                    e.eligible,
                    part(part_heads as u64, e.eligible as u64),
                    s.area,
                    crate::domain::model::Area(part_area),
                    e.eligible_area,
                    part(part_area, e.eligible_area.0),
                )
            } else {
                format!(
                    "{} {} {}/{}",
                    s.participating, s.heads, part_heads, e.present
                )
            };
            lines.push(Line::raw(part_line));
            let yes_line = if by_area {
                format!(
                    "{} {}/{} ({}) · {} {} m² ({})",
                    s.heads,
                    yes.heads,
                    part_heads,
                    approve(yes.heads as u64, part_heads as u64),
                    s.area,
                    yes.area,
                    approve(yes.area.0, part_area),
                )
            } else {
                format!(
                    "{} · {} {} · {} {}",
                    yes.heads, s.no, no.heads, s.abstain, abstain.heads
                )
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{} ", s.yes), theme::good()),
                Span::raw(yes_line),
                Span::styled(
                    match app.lang {
                        crate::lang::Lang::Zh => format!("  · 未表态 {}", form.unmarked()),
                        crate::lang::Lang::En => format!("  · not marked {}", form.unmarked()),
                    },
                    if form.unmarked() > 0 {
                        theme::bad()
                    } else {
                        theme::dim()
                    },
                ),
            ]));
        }
        // Signed in but not taking part (a walk-in without an area under an owners' rule).
        let apart: Vec<String> = st
            .roll_not_entitled(form.rule)
            .iter()
            .map(|(p, why)| match app.lang {
                Lang::Zh => format!("{}（{why}）", p.name),
                Lang::En => format!("{} ({why})", p.name),
            })
            .collect();
        if !apart.is_empty() {
            let sep = app.lang.pick("；", "; ");
            lines.push(Line::styled(
                format!("{}{}{}", s.not_entitled, s.colon, apart.join(sep)),
                theme::dim(),
            ));
        }
        let shown = roll.shown(st);
        if roll.filter.is_empty() {
            lines.push(Line::raw(""));
        } else {
            lines.push(Line::raw(format!(
                "{}{}{}",
                s.roll_filter, s.colon, roll.filter
            )));
        }
        // The list takes what is left once the lines above, the tellers and the preview have
        // their rows, and scrolls with the selection.
        let list_height = inner
            .height
            .saturating_sub(lines.len() as u16 + 3 + preview_rows)
            .max(1) as usize;
        let skip = roll.selected.saturating_sub(list_height.saturating_sub(1));
        for (i, pid) in shown.iter().enumerate().skip(skip).take(list_height) {
            let p = st.participant(*pid);
            let area = p
                .and_then(|p| p.area)
                .map(|a| format!("{a} m²"))
                .unwrap_or_default();
            let mark = roll.marks.get(pid);
            let (dot, mark_text) = match mark {
                Some(c) => ("●", format!("[{}]", c.label(app.lang))),
                None => ("○", format!("— {} —", s.unmarked)),
            };
            let text = format!(
                " {dot} {} {:>10}  {mark_text}",
                pad_to(st.name(*pid), 10),
                area
            );
            let style = if i == roll.selected {
                theme::selected()
            } else if mark.is_none() {
                theme::dim()
            } else {
                Style::new()
            };
            lines.push(Line::styled(text, style));
        }
    } else {
        let labels: Vec<String> = if form.rule == Rule::Plurality {
            form.options
                .iter()
                .cloned()
                .chain([s.abstain.to_string()])
                .collect()
        } else {
            vec![s.yes.into(), s.no.into(), s.abstain.into()]
        };
        let mut spans = Vec::new();
        let mut x = inner.x;
        for (i, (label, value)) in labels.iter().zip(&form.fields).enumerate() {
            let text = format!("{label} [{value:>3}] ");
            let style = if i == form.focus && !form.on_tellers {
                theme::current()
            } else {
                Style::new()
            };
            if i == form.focus && !form.on_tellers {
                cursor = Some(x + label.width() as u16 + 5);
            }
            x += text.width() as u16;
            spans.push(Span::styled(text, style));
        }
        lines.push(Line::raw(""));
        count_row = lines.len();
        lines.push(Line::from(spans));
    }
    lines.push(Line::raw(""));
    let tellers_row = lines.len();
    let tellers_label = format!("{}{}", s.tellers, s.colon);
    lines.push(Line::from(vec![
        Span::styled(
            tellers_label.clone(),
            if form.on_tellers {
                theme::label()
            } else {
                Style::new()
            },
        ),
        Span::raw(form.tellers.text().to_string()),
    ]));
    if form.on_tellers {
        cursor = Some(inner.x + tellers_label.width() as u16 + form.tellers.caret_columns());
    }
    // The lines above the preview never wrap, so the cursor rows are exact.
    let head_height = (lines.len() as u16 + 1)
        .min(inner.height.saturating_sub(preview_rows))
        .max(1);
    let [head, rest] =
        Layout::vertical([Constraint::Length(head_height), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(lines), head);
    frame.render_widget(Paragraph::new(preview).wrap(Wrap { trim: false }), rest);
    if let Some(x) = cursor {
        let row = if form.on_tellers {
            tellers_row
        } else {
            count_row
        };
        frame.set_cursor_position(Position {
            x,
            y: inner.y + row as u16,
        });
    }
}

fn draw_help(frame: &mut Frame, area: Rect, app: &App) {
    let rect = popup(
        area,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    );
    clear(frame, rect);
    let block = Block::bordered().title(Span::styled(
        format!(" {} ", app.s().help_title),
        theme::title(),
    ));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    // Two columns when the screen is wide enough, else one that scrolls.
    let two = inner.width >= 120;
    let column = if two { inner.width / 2 } else { inner.width } as usize;
    let lines = help_lines(app, column);
    let height = inner.height.max(1);
    let per_page = if two {
        height as usize * 2
    } else {
        height as usize
    };
    let (lines, more) = if lines.len() > per_page || !two {
        // One column: a scrolling list, with a last row saying what is left.
        let view = height.saturating_sub(1).max(1);
        let last = (lines.len() as u16).saturating_sub(view);
        app.help_limit.set((last, view));
        let top = app.help_scroll.min(last) as usize;
        let shown: Vec<Line> = lines
            .iter()
            .skip(top)
            .take(view as usize)
            .cloned()
            .collect();
        let below = lines.len().saturating_sub(top + view as usize);
        let more = match (top, below) {
            (0, 0) => String::new(),
            (_, 0) => app
                .lang
                .pick(
                    " —— 到底了 · Home 回到开头 ——",
                    " —— end · Home: back to the top ——",
                )
                .to_string(),
            (_, n) => match app.lang {
                crate::lang::Lang::Zh => format!(" ↓ 还有 {n} 行（↓ PgDn End）"),
                crate::lang::Lang::En => format!(" ↓ {n} more lines (↓ PgDn End)"),
            },
        };
        (shown, more)
    } else {
        app.help_limit.set((0, height));
        (lines, String::new())
    };
    if two && more.is_empty() {
        let half = lines.len().div_ceil(2);
        let (a, b) = lines.split_at(half);
        let [l, r] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(inner);
        frame.render_widget(Paragraph::new(Text::from(a.to_vec())), l);
        frame.render_widget(Paragraph::new(Text::from(b.to_vec())), r);
    } else {
        let [body, foot] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
        frame.render_widget(Paragraph::new(Text::from(lines)), body);
        frame.render_widget(Paragraph::new(more).style(theme::dim()), foot);
    }
}

/// The help as lines of at most `width` columns: a context title, then each key and what it
/// does, continued under itself when it is longer than a line. Only this console's keys.
fn help_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let mut lines: Vec<Line> = Vec::new();
    let mut context = None;
    let key_w = 11;
    let text_w = width.saturating_sub(key_w + 1).max(10);
    for b in BINDINGS.iter().filter(|b| !b.help_zh.is_empty()) {
        if b.action.is_some_and(|a| !app.seat.allows(a)) || !app.seat.uses(b.context) {
            continue;
        }
        if context != Some(b.context) {
            context = Some(b.context);
            lines.push(Line::styled(b.context.title(app.lang), theme::label()));
        }
        let help = match (app.seat, b.action) {
            (Seat::Secretary, Some(keys::Action::Next)) => app.lang.pick(
                "查看后一个议题，可补写其记录（会议不动）",
                "look at the next item and write its texts (the meeting does not move)",
            ),
            (Seat::Secretary, Some(keys::Action::Previous)) => app.lang.pick(
                "查看前一个议题，可补写其记录（会议不动）",
                "look at the previous item and write its texts (the meeting does not move)",
            ),
            _ => b.help(app.lang),
        };
        for (i, part) in wrap_columns(help, text_w).into_iter().enumerate() {
            let key = if i == 0 { b.key_label(app.lang) } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!(" {}", pad_to(key, key_w)), theme::title()),
                Span::raw(part),
            ]));
        }
    }
    lines
}

/// Splits a text into pieces of at most `width` columns, at a space where there is one.
pub fn wrap_columns(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    let mut w = 0;
    for c in text.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > width && !line.is_empty() {
            let cut = line.rfind(' ').filter(|&i| i > 0).unwrap_or(line.len());
            let rest = line[cut..].trim_start().to_string();
            out.push(line[..cut].trim_end().to_string());
            w = rest.width();
            line = rest;
        }
        line.push(c);
        w += cw;
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

/// Cuts a text to `width` columns, with an ellipsis when cut.
pub fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in text.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Pads a text with spaces to `width` columns.
pub fn pad_to(text: &str, width: usize) -> String {
    let w = text.width();
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}
