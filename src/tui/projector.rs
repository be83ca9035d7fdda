//! The projector layout: what the room reads from the back. Big digits for the countdown and
//! the vote (the big-text font has no Chinese glyphs, so Chinese stays in bold normal text).

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use tui_big_text::{BigText, PixelSize};

use super::app::App;
use super::theme;
use super::view::header_line;
use crate::domain::model::Millis;
use crate::domain::tally::Votes;
use crate::domain::timer::{self, Phase, clock, countdown_ms};

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s();
    let st = app.state();
    let [header, title, speaker, big, next, vote] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(3),
        Constraint::Length(2),
        Constraint::Min(4),
        Constraint::Length(2),
        Constraint::Length(if area.height >= 34 { 15 } else { 5 }),
    ])
    .areas(area);
    frame.render_widget(header_line(app, header.width), header);
    let item_title = match st.current_item() {
        Some(item) => format!(
            "{} {}/{}{}{}",
            s.item,
            st.current.unwrap_or(0) + 1,
            st.items.len(),
            s.colon,
            item.spec.title
        ),
        None => st.meeting.title.clone(),
    };
    frame.render_widget(
        Paragraph::new(item_title)
            .style(theme::title())
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true })
            .block(Block::new().borders(Borders::BOTTOM)),
        title,
    );
    let size = if big.height >= 8 && big.width >= 48 {
        PixelSize::Full
    } else if big.height >= 4 {
        PixelSize::HalfHeight
    } else {
        PixelSize::Quadrant
    };
    match &st.speech {
        Some(sp) => {
            let role = st
                .participant(sp.participant)
                .map_or("", |p| p.role.label(app.lang));
            let paused = if sp.timer.is_running() {
                String::new()
            } else {
                format!("  ({})", s.paused)
            };
            frame.render_widget(
                Paragraph::new(format!(
                    "{}{}{}{}{paused}",
                    s.speaking,
                    s.colon,
                    st.name(sp.participant),
                    app.lang.paren(role)
                ))
                .style(theme::title())
                .alignment(Alignment::Center),
                speaker,
            );
            let (left, phase) =
                timer::remaining(sp.limit_secs as Millis * 1000, sp.elapsed(app.now));
            let digits = if phase == Phase::Overrun {
                format!("+{}", clock(countdown_ms(left)))
            } else {
                clock(countdown_ms(left))
            };
            let big_text = BigText::builder()
                .pixel_size(size)
                .style(theme::phase(phase))
                .lines(vec![digits.into()])
                .centered()
                .build();
            frame.render_widget(big_text, big);
        }
        None => {
            if let Some(item) = st.current_item() {
                let used = item.timer.elapsed(app.now);
                let planned = item.spec.planned_secs as Millis * 1000;
                let (left, phase) = timer::remaining(planned, used);
                frame.render_widget(
                    Paragraph::new(format!("{} {}", s.used, clock(planned)))
                        .alignment(Alignment::Center)
                        .style(theme::dim()),
                    speaker,
                );
                let digits = if phase == Phase::Overrun {
                    format!("+{}", clock(countdown_ms(left)))
                } else {
                    clock(countdown_ms(left))
                };
                let style = if phase == Phase::Overrun {
                    theme::bad()
                } else {
                    Style::new().fg(Color::White)
                };
                frame.render_widget(
                    BigText::builder()
                        .pixel_size(size)
                        .style(style)
                        .lines(vec![digits.into()])
                        .centered()
                        .build(),
                    big,
                );
            }
        }
    }
    if let Some(item) = st.current_item() {
        let names: Vec<&str> = item
            .queue
            .iter()
            .take(2)
            .map(|q| st.name(q.participant))
            .collect();
        if !names.is_empty() {
            frame.render_widget(
                Paragraph::new(format!("{}{}{}", s.next_up, s.colon, names.join("、")))
                    .style(theme::title())
                    .alignment(Alignment::Center),
                next,
            );
        }
        if let Some(v) = st.vote_of(item.id) {
            draw_vote(
                frame,
                vote,
                app,
                &v.votes,
                &v.options,
                v.electorate.present,
                v.outcome.passed,
            );
        }
    }
}

fn draw_vote(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    votes: &Votes,
    options: &[String],
    present: u32,
    passed: bool,
) {
    let s = app.s();
    let rows: Vec<(String, u32, Style)> = match votes {
        Votes::YesNo { yes, no, abstain } => vec![
            (s.yes.to_string(), yes.heads, theme::good()),
            (s.no.to_string(), no.heads, theme::bad()),
            (
                s.abstain.to_string(),
                abstain.heads,
                Style::new().fg(Color::White),
            ),
        ],
        Votes::Options { counts, abstain } => options
            .iter()
            .zip(counts)
            .map(|(o, c)| (o.clone(), *c, theme::title()))
            .chain([(
                s.abstain.to_string(),
                *abstain,
                Style::new().fg(Color::White),
            )])
            .collect(),
    };
    let verdict = if passed { s.passed } else { s.failed };
    let verdict_style = if passed { theme::good() } else { theme::bad() };
    // Large numbers when there is room: one column per count, the label above it.
    if area.height >= 12 && rows.len() <= 4 {
        let [head, labels, digits, bars] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(4),
            Constraint::Length(rows.len() as u16),
        ])
        .areas(area);
        frame.render_widget(
            Paragraph::new(Line::styled(verdict, verdict_style)).alignment(Alignment::Center),
            head,
        );
        let columns = Layout::horizontal(vec![Constraint::Ratio(1, rows.len() as u32); rows.len()])
            .split(labels);
        let digit_columns =
            Layout::horizontal(vec![Constraint::Ratio(1, rows.len() as u32); rows.len()])
                .split(digits);
        for (i, (label, n, style)) in rows.iter().enumerate() {
            let share = crate::domain::tally::share(*n, present);
            frame.render_widget(
                Paragraph::new(format!("{label} {share}"))
                    .style(*style)
                    .alignment(Alignment::Center),
                columns[i],
            );
            let size = if digit_columns[i].height >= 8
                && digit_columns[i].width >= 8 * n.to_string().len() as u16
            {
                PixelSize::Full
            } else {
                PixelSize::HalfHeight
            };
            let big = BigText::builder()
                .pixel_size(size)
                .style(*style)
                .lines(vec![n.to_string().into()])
                .centered()
                .build();
            frame.render_widget(big, digit_columns[i]);
        }
        frame.render_widget(Paragraph::new(bar_lines(&rows, present, area.width)), bars);
        return;
    }
    let mut lines = vec![Line::styled(verdict, verdict_style).alignment(Alignment::Center)];
    lines.extend(bar_lines(&rows, present, area.width));
    let height = lines.len() as u16;
    let [_, body] = Layout::vertical([Constraint::Min(0), Constraint::Length(height)]).areas(area);
    frame.render_widget(Paragraph::new(lines), body);
}

/// One bar per count, as long as its share of those present.
fn bar_lines(rows: &[(String, u32, Style)], present: u32, width: u16) -> Vec<Line<'static>> {
    let bar_width = width.saturating_sub(30) as u32;
    rows.iter()
        .map(|(label, n, style)| {
            let filled = (n * bar_width).checked_div(present).unwrap_or(0) as usize;
            Line::from(vec![
                Span::styled(format!("{:>8} {:>4}  ", label, n), *style),
                Span::styled("█".repeat(filled), *style),
                Span::raw(format!(" {}", crate::domain::tally::share(*n, present))),
            ])
        })
        .collect()
}
