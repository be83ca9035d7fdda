//! The live console: terminal set-up, the event loop, and the panels.

pub mod app;
pub mod huge;
pub mod input;
pub mod keys;
pub mod projector;
pub mod strings;
pub mod theme;
pub mod view;

use std::time::Duration;

use ratatui::crossterm::event::{
    self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind,
};
use ratatui::crossterm::execute;

use app::App;

/// How often other consoles' changes are looked for while nothing else happens.
const WATCH_MS: i64 = 250;

pub fn now() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Runs the console until `q`. The terminal is restored on return, on error and on panic.
pub fn run(mut app: App) -> std::io::Result<()> {
    let mut terminal = ratatui::init();
    let _ = execute!(std::io::stdout(), EnableBracketedPaste);
    let result = event_loop(&mut terminal, &mut app);
    let _ = execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    result
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> std::io::Result<()> {
    let mut dirty = true;
    let mut next_draw: i64 = 0;
    while !app.quit {
        app.now = now();
        if app.tick() || app.now >= next_draw {
            dirty = true;
        }
        if dirty {
            terminal.draw(|f| view::draw(f, app))?;
            dirty = false;
            // A hair past the boundary, so the new second is the one drawn.
            next_draw = app.now + app.next_tick() + 2;
        }
        // Sleep until input, the next second a visible timer shows, or the next look at the file.
        let wait = (next_draw - now()).clamp(0, WATCH_MS);
        if event::poll(Duration::from_millis(wait as u64))? {
            app.now = now();
            match event::read()? {
                Event::Key(key) if key.kind == KeyEventKind::Press => app.on_key(key),
                Event::Paste(text) => app.on_paste(&text),
                Event::Resize(..) => {}
                _ => continue,
            }
            dirty = true;
        }
    }
    Ok(())
}
