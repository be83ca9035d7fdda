//! The projector layout: what the room reads from the back. Digits as large as the screen
//! allows (the 8×8 font has no Chinese glyphs, so Chinese stays in bold normal text, centred,
//! and the words that matter most stand on a coloured band).

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::app::{App, Seat};
use super::huge::Huge;
use super::theme;
use super::view::{header_line, pad_to, wrap_columns};
use crate::domain::model::Millis;
use crate::domain::state::Item;
use crate::domain::tally::{Votes, share};
use crate::domain::timer::{self, Phase, clock, countdown_ms};
use crate::lang::Lang;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    // In place on the facilitator's screen, one line says how to get back.
    let hint_rows = u16::from(app.seat != Seat::Projector);
    let [header, body, hint] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(4),
        Constraint::Length(hint_rows),
    ])
    .areas(area);
    frame.render_widget(header_line(app, header.width), header);
    if hint_rows > 0 {
        frame.render_widget(
            Paragraph::new(app.lang.pick(
                "投影布局 · 按 P 或 Esc 返回主持界面",
                "Projector layout · P or Esc returns to the console",
            ))
            .style(theme::dim())
            .alignment(Alignment::Center),
            hint,
        );
    }
    match app.state().current_item() {
        None => draw_sign_in(frame, body, app),
        Some(item) => draw_item(frame, body, app, item),
    }
}

/// Before the first item: the meeting, its place and 实到 / 应到 in large digits.
fn draw_sign_in(frame: &mut Frame, area: Rect, app: &App) {
    let st = app.state();
    let q = st.quorum();
    let mut top = vec![Line::styled(st.meeting.title.clone(), theme::title())];
    let when = st.meeting.starts.as_deref().map(|t| app.lang.datetime(t));
    let place: Vec<String> = [when, st.meeting.place.clone()]
        .into_iter()
        .flatten()
        .collect();
    if !place.is_empty() {
        top.push(Line::raw(place.join("  ·  ")));
    }
    top.push(Line::raw(""));
    top.push(Line::styled(
        app.lang
            .pick("会前签到 · 实到 / 应到", "Signing in · present / eligible"),
        theme::label(),
    ));
    let rows = top.len() as u16 + 1;
    let [head, rest] = Layout::vertical([Constraint::Length(rows), Constraint::Min(4)]).areas(area);
    frame.render_widget(
        Paragraph::new(top)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        Rect {
            y: head.y + 1,
            height: head.height.saturating_sub(1),
            ..head
        },
    );
    let style = if q.met {
        theme::good()
    } else {
        Style::new().fg(Color::White)
    };
    let digits_text = format!("{}/{}", q.present, q.eligible);
    let digits = snug(
        Rect {
            height: rest.height.saturating_sub(4),
            ..rest
        },
        &digits_text,
    );
    frame.render_widget(Huge::new(digits_text, style), digits);
    // The quorum right under the digits.
    let state = Rect {
        y: digits.bottom() + 1,
        height: 2,
        ..rest
    }
    .intersection(area);
    let quorum = if q.required == 0 {
        app.lang
            .pick("不设法定人数", "no quorum required")
            .to_string()
    } else if q.met {
        match app.lang {
            Lang::Zh => format!("已达法定人数（至少 {} 人）", q.required),
            Lang::En => format!("Quorum met ({} needed)", q.required),
        }
    } else {
        match app.lang {
            Lang::Zh => format!("尚未达到法定人数（至少需 {} 人）", q.required),
            Lang::En => format!("Quorum not met yet ({} needed)", q.required),
        }
    };
    let mut lines = vec![band(&quorum, q.met)];
    if q.walk_ins > 0 {
        lines.push(Line::raw(q.present_of_eligible(app.lang)));
    }
    frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center), state);
}

/// The top of `area`, as tall as the digits of `text` are drawn in it: what follows sits right
/// under them instead of at the bottom of the screen.
fn snug(area: Rect, text: &str) -> Rect {
    let k = Huge::new(text, Style::new()).scale(area);
    Rect {
        height: if k == 0 { area.height } else { 4 * k },
        ..area
    }
}

/// A word that must be read from the back: bold on a coloured band, spaced out.
fn band(text: &str, good: bool) -> Line<'static> {
    let bg = if good { Color::Green } else { Color::Red };
    // A short Chinese word (通过, 票数相同) is spaced out to read from afar; a sentence is not.
    let spaced: String = if text.is_ascii() || text.chars().count() > 6 {
        text.to_string()
    } else {
        text.chars()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    Line::from(Span::styled(
        format!("   {spaced}   "),
        Style::new()
            .fg(Color::White)
            .bg(bg)
            .add_modifier(Modifier::BOLD),
    ))
}

fn draw_item(frame: &mut Frame, area: Rect, app: &App, item: &Item) {
    let s = app.s();
    let st = app.state();
    // The title and, under it, the description (a few lines).
    let room = if item.added_in_room {
        format!("[{}] ", s.in_room_mark)
    } else {
        String::new()
    };
    let mut title = vec![Line::styled(
        format!(
            "{} {}/{}{}{room}{}",
            s.item,
            st.current.unwrap_or(0) + 1,
            st.items.len(),
            s.colon,
            item.spec.title
        ),
        theme::title(),
    )];
    if let Some(d) = item.description() {
        let joined = d.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut rows = wrap_columns(&joined, area.width.saturating_sub(8).max(10) as usize);
        let max = if area.height >= 40 { 3 } else { 2 };
        if rows.len() > max {
            rows.truncate(max);
            if let Some(last) = rows.last_mut() {
                last.push('…');
            }
        }
        title.extend(rows.into_iter().map(|r| Line::styled(r, theme::dim())));
    }
    let title_rows = title.len() as u16 + 1;
    let vote = st.vote_of(item.id);
    let vote_rows = match vote {
        None => 0,
        Some(_) if st.speech.is_none() => area.height.saturating_sub(title_rows) * 2 / 3,
        Some(_) => area.height.saturating_sub(title_rows) / 2,
    };
    let [title_area, timing, vote_area] = Layout::vertical([
        Constraint::Length(title_rows),
        Constraint::Min(4),
        Constraint::Length(vote_rows),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(title)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true })
            .block(Block::new().borders(Borders::BOTTOM)),
        title_area,
    );
    draw_timing(frame, timing, app, item);
    if let Some(v) = vote {
        draw_vote(frame, vote_area, app, v);
    }
}

/// The speaker and the time left of the speech, or the time left of the item; the item's time
/// used stands apart, in small text, so no label can be read as the other.
fn draw_timing(frame: &mut Frame, area: Rect, app: &App, item: &Item) {
    let s = app.s();
    let st = app.state();
    let used = item.timer.elapsed(app.now);
    let planned = item.spec.planned_secs as Millis * 1000;
    let item_line = match app.lang {
        Lang::Zh => format!("本议题已用 {} / 计划 {}", clock(used), clock(planned)),
        Lang::En => format!("This item: {} used of {}", clock(used), clock(planned)),
    };
    let next: Vec<&str> = item
        .queue
        .iter()
        .take(3)
        .map(|q| st.name(q.participant))
        .collect();
    let next_line =
        (!next.is_empty()).then(|| format!("{}{}{}", s.next_up, s.colon, next.join("、")));
    let mut top: Vec<Line> = Vec::new();
    let (left, phase, label) = match &st.speech {
        Some(sp) => {
            let role = st
                .participant(sp.participant)
                .map_or("", |p| p.role.label(app.lang));
            top.push(Line::styled(s.speaking, theme::label()));
            let name = format!("  {}{}  ", st.name(sp.participant), app.lang.paren(role));
            top.push(Line::from(Span::styled(
                name,
                Style::new()
                    .fg(Color::Black)
                    .bg(Color::Yellow)
                    .add_modifier(Modifier::BOLD),
            )));
            let (left, phase) =
                timer::remaining(sp.limit_secs as Millis * 1000, sp.elapsed(app.now));
            let paused = if sp.timer.is_running() {
                String::new()
            } else {
                format!("（{}）", s.paused)
            };
            let label = match (phase, app.lang) {
                (Phase::Overrun, Lang::Zh) => format!("本次发言已超时{paused}"),
                (Phase::Overrun, Lang::En) => format!("This speech is over time {paused}"),
                (_, Lang::Zh) => format!("本次发言剩余{paused}"),
                (_, Lang::En) => format!("Time left for this speech {paused}"),
            };
            (left, phase, label)
        }
        None => {
            let (left, phase) = timer::remaining(planned, used);
            let label = match (phase, app.lang) {
                (Phase::Overrun, Lang::Zh) => "本议题已超时".to_string(),
                (Phase::Overrun, Lang::En) => "This item is over time".to_string(),
                (_, Lang::Zh) => "本议题剩余".to_string(),
                (_, Lang::En) => "Time left for this item".to_string(),
            };
            (left, phase, label)
        }
    };
    top.push(Line::raw(""));
    top.push(Line::styled(label, theme::label()));
    let digits = if phase == Phase::Overrun {
        format!("+{}", clock(countdown_ms(left)))
    } else {
        clock(countdown_ms(left))
    };
    let style = if st.speech.is_some() || phase == Phase::Overrun {
        theme::phase(phase)
    } else {
        Style::new().fg(Color::White)
    };
    let mut bottom = vec![Line::styled(item_line, theme::dim())];
    if let Some(n) = next_line {
        bottom.push(Line::styled(n, theme::title()));
    }
    let [t, rest] =
        Layout::vertical([Constraint::Length(top.len() as u16), Constraint::Min(1)]).areas(area);
    let room = Rect {
        height: rest.height.saturating_sub(bottom.len() as u16 + 1),
        ..rest
    };
    let big = snug(room, &digits);
    let b = Rect {
        y: big.bottom() + 1,
        height: bottom.len() as u16,
        ..rest
    }
    .intersection(area);
    frame.render_widget(Paragraph::new(top).alignment(Alignment::Center), t);
    frame.render_widget(Huge::new(digits, style), big);
    frame.render_widget(Paragraph::new(bottom).alignment(Alignment::Center), b);
}

/// One row per count: label, count, share (and for owners' rules the area share), bar.
struct Row {
    label: String,
    count: u32,
    shares: String,
    fraction: (u64, u64),
    style: Style,
}

fn draw_vote(frame: &mut Frame, area: Rect, app: &App, v: &crate::domain::state::VoteRecord) {
    let s = app.s();
    // Non-owners' rules: shares of the base the rule counted, as the panel and minutes give.
    let base = v.share_base();
    let owners = v.rule.needs_roll_call();
    let rows: Vec<Row> = match &v.votes {
        Votes::YesNo { yes, no, abstain } => {
            let heads = yes.heads + no.heads + abstain.heads;
            let area_total = yes.area.0 + no.area.0 + abstain.area.0;
            [
                (s.yes, yes, theme::good()),
                (s.no, no, theme::bad()),
                (s.abstain, abstain, Style::new().fg(Color::White)),
            ]
            .into_iter()
            .map(|(label, w, style)| {
                let shares = if owners {
                    // Owners' rules weigh heads and area among those taking part.
                    match app.lang {
                        Lang::Zh => format!(
                            "人数 {} · 面积 {}",
                            share(w.heads, heads),
                            area_share(w.area.0, area_total)
                        ),
                        Lang::En => format!(
                            "heads {} · area {}",
                            share(w.heads, heads),
                            area_share(w.area.0, area_total)
                        ),
                    }
                } else {
                    share(w.heads, base)
                };
                Row {
                    label: label.to_string(),
                    count: w.heads,
                    shares,
                    fraction: if owners {
                        (u64::from(w.heads), u64::from(heads))
                    } else {
                        (u64::from(w.heads), u64::from(base))
                    },
                    style,
                }
            })
            .collect()
        }
        Votes::Options { counts, abstain } => v
            .options
            .iter()
            .zip(counts)
            .enumerate()
            .map(|(i, (o, c))| Row {
                label: o.clone(),
                count: *c,
                shares: share(*c, base),
                fraction: (u64::from(*c), u64::from(base)),
                style: if v.outcome.winner == Some(i) {
                    theme::good()
                } else {
                    theme::title()
                },
            })
            .chain([Row {
                label: s.abstain.to_string(),
                count: *abstain,
                shares: share(*abstain, base),
                fraction: (u64::from(*abstain), u64::from(base)),
                style: Style::new().fg(Color::White),
            }])
            .collect(),
    };
    // The result first, on its own band, so it cannot be read as one bar's label.
    let tie = !v.outcome.tied.is_empty();
    let verdict = if tie {
        match app.lang {
            Lang::Zh => "票数相同".to_string(),
            Lang::En => "TIE".to_string(),
        }
    } else if let Some(w) = v.outcome.winner.and_then(|w| v.options.get(w)) {
        match app.lang {
            Lang::Zh => format!("得票最多：{w}"),
            Lang::En => format!("Most votes: {w}"),
        }
    } else if v.outcome.passed {
        s.passed.to_string()
    } else {
        s.failed.to_string()
    };
    let good = v.outcome.passed || v.outcome.winner.is_some();
    let mut head = vec![Line::raw(""), band(&verdict, good && !tie)];
    if tie {
        let names: Vec<&str> = v
            .outcome
            .tied
            .iter()
            .filter_map(|&i| v.options.get(i).map(String::as_str))
            .collect();
        head.push(Line::raw(names.join(" = ")));
    }
    head.push(Line::raw(""));
    let head_rows = head.len() as u16;
    let bar_rows = rows.len() as u16;
    let digits_rows = area.height.saturating_sub(head_rows + bar_rows + 1);
    let [h, digits, _, bars] = Layout::vertical([
        Constraint::Length(head_rows),
        Constraint::Length(if digits_rows >= 6 && rows.len() <= 4 {
            digits_rows
        } else {
            0
        }),
        Constraint::Length(1),
        Constraint::Length(bar_rows),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(head).alignment(Alignment::Center), h);
    if digits.height > 0 {
        let n = rows.len() as u32;
        let columns = Layout::horizontal(vec![Constraint::Ratio(1, n); rows.len()]).split(digits);
        for (row, col) in rows.iter().zip(columns.iter()) {
            let [label, number] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(*col);
            frame.render_widget(
                Paragraph::new(format!("{} {}", row.label, row.shares))
                    .style(row.style)
                    .alignment(Alignment::Center),
                label,
            );
            frame.render_widget(Huge::new(row.count.to_string(), row.style), number);
        }
    }
    frame.render_widget(Paragraph::new(bar_lines(&rows, bars.width)), bars);
}

/// An area share with one decimal, from hundredths of m².
fn area_share(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0%".to_string();
    }
    let (p, w) = (u128::from(part), u128::from(whole));
    let tenths = (p * 2_000 + w) / (2 * w);
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// One bar per count. Every label is padded to the widest in columns, so all bars start in
/// one column in every language.
fn bar_lines(rows: &[Row], width: u16) -> Vec<Line<'static>> {
    let label_w = rows.iter().map(|r| r.label.width()).max().unwrap_or(0);
    let count_w = rows
        .iter()
        .map(|r| r.count.to_string().len())
        .max()
        .unwrap_or(1);
    let share_w = rows.iter().map(|r| r.shares.width()).max().unwrap_or(0);
    let bar_width = (width as usize).saturating_sub(label_w + count_w + share_w + 10) as u64;
    rows.iter()
        .map(|r| {
            let (part, whole) = r.fraction;
            let filled = (part * bar_width).checked_div(whole).unwrap_or(0) as usize;
            Line::from(vec![
                Span::styled(
                    format!("  {}  {:>count_w$}  ", pad_to(&r.label, label_w), r.count),
                    r.style,
                ),
                Span::styled("█".repeat(filled), r.style),
                Span::raw(format!(" {}", r.shares)),
            ])
        })
        .collect()
}
