//! The live console: terminal set-up, the event loop, and the panels.

pub mod app;
pub mod huge;
pub mod input;
pub mod keys;
pub mod projector;
mod rescue;
pub mod strings;
pub mod theme;
pub mod view;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::crossterm::event::{
    self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind,
};
use ratatui::crossterm::execute;

use app::App;
#[cfg(unix)]
use signal_hook::{
    consts::{SIGHUP, SIGINT, SIGTERM},
    flag,
};

/// How often other consoles' changes are looked for while nothing else happens.
const WATCH_MS: i64 = 250;

pub fn now() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Runs the console until `q`, `kill -TERM`, `kill -INT` or the terminal closing (SIGHUP).
/// The terminal is restored on return, on error and on panic; what has to be told after it
/// (a copy saved, text that could not be saved) is printed then.
pub fn run(mut app: App) -> std::io::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    for signal in [SIGTERM, SIGINT, SIGHUP] {
        // The first one asks the loop to close properly; a second one, should the console be
        // stuck (a long wait for another program's lock), ends it at once.
        let _ = flag::register_conditional_shutdown(signal, 1, Arc::clone(&stop));
        let _ = flag::register(signal, Arc::clone(&stop));
    }
    #[cfg(unix)]
    watch_hang_up();
    let mut terminal = fixed(ratatui::init());
    let _ = execute!(std::io::stdout(), EnableBracketedPaste);
    let result = event_loop(&mut terminal, &mut app, &stop);
    let farewell = app.finish();
    let _ = execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    if let Some(text) = farewell {
        // The window may be closed already: a failed write must not panic.
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "{text}");
    }
    // With the terminal gone, drawing fails: that is how a closed window looks, not an error.
    if stop.load(Ordering::Relaxed) {
        return Ok(());
    }
    result
}

/// The same terminal with a viewport that is resized when the terminal says so, not after
/// asking for its size before every frame (which reopens the terminal device each time).
fn fixed(terminal: ratatui::DefaultTerminal) -> ratatui::DefaultTerminal {
    let Ok(size) = terminal.size() else {
        return terminal;
    };
    let area = ratatui::layout::Rect::new(0, 0, size.width, size.height);
    let options = ratatui::TerminalOptions {
        viewport: ratatui::Viewport::Fixed(area),
    };
    let backend = ratatui::backend::CrosstermBackend::new(std::io::stdout());
    ratatui::Terminal::with_options(backend, options).unwrap_or(terminal)
}

/// A window closed without SIGHUP reaching the console leaves the terminal reader spinning on
/// endless empty input. A watcher sends the console SIGHUP itself: the loop ends as on `q`,
/// and if it cannot get there (the reader does not return), the second one ends the process.
/// Every action is committed already; the terminal is gone.
#[cfg(unix)]
fn watch_hang_up() {
    std::thread::spawn(|| {
        while !terminal_hung_up() {
            std::thread::sleep(Duration::from_millis(500));
        }
        for _ in 0..2 {
            // SAFETY: sends a signal to this process; its handlers are signal-hook's.
            unsafe { libc::kill(libc::getpid(), libc::SIGHUP) };
            std::thread::sleep(Duration::from_secs(1));
        }
    });
}

/// Whether the terminal on standard input has hung up (its window or multiplexer is gone).
#[cfg(unix)]
fn terminal_hung_up() -> bool {
    let mut fd = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, a zero timeout; nothing is read.
    let n = unsafe { libc::poll(&mut fd, 1, 0) };
    n > 0 && fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}

#[cfg(not(unix))]
fn terminal_hung_up() -> bool {
    false
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    stop: &AtomicBool,
) -> std::io::Result<()> {
    let mut dirty = true;
    let mut next_draw: i64 = 0;
    while !app.quit && !stop.load(Ordering::Relaxed) {
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
                Event::Resize(w, h) => terminal.resize(ratatui::layout::Rect::new(0, 0, w, h))?,
                _ => continue,
            }
            dirty = true;
        }
    }
    Ok(())
}
