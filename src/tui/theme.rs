//! Colours and styles: high contrast, readable from the back of a room.

use ratatui::style::{Color, Modifier, Style};

use crate::domain::timer::Phase;

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn header() -> Style {
    Style::new()
        .fg(Color::Black)
        .bg(Color::Cyan)
        .add_modifier(Modifier::BOLD)
}

pub fn current() -> Style {
    Style::new()
        .fg(Color::Black)
        .bg(Color::Yellow)
        .add_modifier(Modifier::BOLD)
}

pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn label() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

pub fn good() -> Style {
    Style::new().fg(Color::Green).add_modifier(Modifier::BOLD)
}

pub fn bad() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}

pub fn key() -> Style {
    Style::new()
        .fg(Color::Black)
        .bg(Color::White)
        .add_modifier(Modifier::BOLD)
}

pub fn phase(phase: Phase) -> Style {
    match phase {
        Phase::Normal => Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
        Phase::Warning => Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        Phase::Overrun => Style::new()
            .fg(Color::Red)
            .add_modifier(Modifier::BOLD | Modifier::SLOW_BLINK),
    }
}
