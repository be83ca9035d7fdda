//! Runs the real binary in a pseudo-terminal and reads its screen, as a person at the keyboard
//! would.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

pub struct Console {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Console {
    /// `yishi --db DB --lang LANG ARGS…` in a `cols`x`rows` terminal, from the crate's folder.
    pub fn start(db: &Path, lang: &str, args: &[&str], cols: u16, rows: u16) -> Console {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_yishi"));
        cmd.arg("--db");
        cmd.arg(db);
        cmd.arg("--lang");
        cmd.arg(lang);
        for a in args {
            cmd.arg(a);
        }
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        cmd.env("TERM", "xterm-256color");
        let child = pair.slave.spawn_command(cmd).expect("yishi starts");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("a reader");
        let writer = pair.master.take_writer().expect("a writer");
        let rows_nz = NonZeroU16::new(rows).expect("rows");
        let cols_nz = NonZeroU16::new(cols).expect("cols");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(rows_nz, cols_nz, 0)));
        let feed = Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().unwrap().process(&buf[..n]);
            }
        });
        Console {
            child,
            writer,
            screen,
            _master: pair.master,
        }
    }

    /// Types text or keys; pauses briefly so a lone Esc is not read as Alt+key.
    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(120));
    }

    pub fn esc(&mut self) {
        self.send("\x1b");
        std::thread::sleep(Duration::from_millis(80));
    }

    pub fn enter(&mut self) {
        self.send("\r");
    }

    pub fn tab(&mut self) {
        self.send("\t");
    }

    pub fn screen(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text`; panics with the screen when it does not.
    pub fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(15) {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "the screen never showed {text:?}; it shows:\n{}",
            self.screen()
        );
    }

    /// Waits for the program to end and returns its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(15) {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("yishi did not quit; the screen shows:\n{}", self.screen());
    }

    /// SIGKILL: no chance to save anything more.
    pub fn kill(&mut self) {
        if let Some(pid) = self.child.process_id() {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
        let _ = self.child.wait();
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    /// Sends a signal by name (`TERM`, `HUP`…) to the program.
    pub fn signal(&self, name: &str) {
        let pid = self.pid().expect("a running program");
        let status = std::process::Command::new("kill")
            .arg(format!("-{name}"))
            .arg(pid.to_string())
            .status()
            .unwrap();
        assert!(status.success(), "kill -{name}");
    }

    /// Whether the screen shown is the alternate one, where a full-screen program draws.
    pub fn alternate_screen(&self) -> bool {
        self.screen.lock().unwrap().screen().alternate_screen()
    }

    /// Whether the terminal is back to line editing with echo, as a shell needs it (raw mode
    /// off).
    pub fn cooked(&self) -> bool {
        let fd = self._master.as_raw_fd().expect("the terminal's descriptor");
        // SAFETY: tcgetattr fills a plain struct from an open descriptor.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0, "tcgetattr");
        t.c_lflag & libc::ICANON != 0 && t.c_lflag & libc::ECHO != 0
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
