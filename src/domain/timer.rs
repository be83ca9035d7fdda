//! Timers hold an accumulated duration and the moment they were last started; what is left is
//! computed when asked, so a countdown is right after a pause, a restart or a crash.

use serde::{Deserialize, Serialize};

use super::model::Millis;

/// A stopwatch that survives pause, resume and replay.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stopwatch {
    /// Time counted before the last start.
    pub accumulated: Millis,
    /// When it was last started, while it runs.
    pub running_since: Option<Millis>,
}

impl Stopwatch {
    pub fn started(at: Millis) -> Stopwatch {
        Stopwatch {
            accumulated: 0,
            running_since: Some(at),
        }
    }

    pub fn is_running(&self) -> bool {
        self.running_since.is_some()
    }

    pub fn start(&mut self, at: Millis) {
        if self.running_since.is_none() {
            self.running_since = Some(at);
        }
    }

    pub fn pause(&mut self, at: Millis) {
        if let Some(since) = self.running_since.take() {
            self.accumulated += (at - since).max(0);
        }
    }

    /// Time counted up to `now` (a clock that went backwards counts as no time).
    pub fn elapsed(&self, now: Millis) -> Millis {
        self.accumulated + self.running_since.map_or(0, |since| (now - since).max(0))
    }
}

/// How a countdown looks at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Normal,
    /// The last `WARNING_MS` of the allowed time.
    Warning,
    /// Past the allowed time: shown, never hidden.
    Overrun,
}

/// The warning comes this long before the end of a speech.
pub const WARNING_MS: Millis = 30_000;

/// What is left of `limit` after `elapsed`: negative when overrun.
pub fn remaining(limit: Millis, elapsed: Millis) -> (Millis, Phase) {
    let left = limit - elapsed;
    let phase = if left < 0 {
        Phase::Overrun
    } else if left <= WARNING_MS {
        Phase::Warning
    } else {
        Phase::Normal
    };
    (left, phase)
}

/// `m:ss` or `h:mm:ss`, with a leading `-` or `+` where asked, rounding partial seconds so a
/// countdown shows 3:00 at its start and reaches 0:00 at its end.
pub fn clock(ms: Millis) -> String {
    Clock::of(ms).to_string()
}

/// [`clock`] held in place of a `String`: the minutes of a large meeting keep one for each of
/// 20,000 speeches, and neither allocating nor freeing them should cost more than the
/// speech's other fields.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    len: u8,
    text: [u8; 23],
}

impl Clock {
    pub fn of(ms: Millis) -> Clock {
        use std::fmt::Write;
        let secs = ms.unsigned_abs() / 1000;
        let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        let mut c = Clock {
            len: 0,
            text: [0; 23],
        };
        // Hours are rare and go through the formatter. Minutes and seconds are written digit
        // by digit: through the formatter, the 10× minutes took about 15 % longer to build.
        // The longest clock (u64::MAX ms) is 19 characters: writing never fails.
        if h > 0 {
            let _ = write!(c, "{h}:{m:02}");
        } else {
            c.digits(m, m >= 10);
        }
        let _ = c.write_str(":");
        c.digits(s, true);
        c
    }

    /// A number below 100: its tens (where asked) and its units.
    fn digits(&mut self, n: u64, tens: bool) {
        use std::fmt::Write;
        if tens {
            let _ = self.write_char(char::from(b'0' + (n / 10 % 10) as u8));
        }
        let _ = self.write_char(char::from(b'0' + (n % 10) as u8));
    }

    pub fn as_str(&self) -> &str {
        // Only what `write_str` took, whole strings, is ever kept.
        std::str::from_utf8(&self.text[..self.len as usize]).unwrap_or_default()
    }
}

impl std::fmt::Write for Clock {
    fn write_str(&mut self, part: &str) -> std::fmt::Result {
        let at = self.len as usize;
        let to = self
            .text
            .get_mut(at..at + part.len())
            .ok_or(std::fmt::Error)?;
        to.copy_from_slice(part.as_bytes());
        self.len += part.len() as u8;
        Ok(())
    }
}

impl std::fmt::Display for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl serde::Serialize for Clock {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Seconds left for a countdown display: partial seconds round up while time remains.
pub fn countdown_ms(left: Millis) -> Millis {
    if left > 0 {
        (left + 999) / 1000 * 1000
    } else {
        left / 1000 * 1000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pause_and_resume_accumulate() {
        let mut w = Stopwatch::started(1_000);
        assert_eq!(w.elapsed(4_000), 3_000);
        w.pause(4_000);
        assert_eq!(w.elapsed(60_000), 3_000, "a paused watch does not run");
        w.start(10_000);
        assert_eq!(w.elapsed(12_500), 5_500);
        w.start(11_000);
        assert_eq!(
            w.elapsed(12_500),
            5_500,
            "starting a running watch changes nothing"
        );
    }

    #[test]
    fn clock_going_backwards_counts_nothing() {
        let w = Stopwatch::started(10_000);
        assert_eq!(w.elapsed(9_000), 0);
        let mut w = Stopwatch::started(10_000);
        w.pause(5_000);
        assert_eq!(w.elapsed(20_000), 0);
    }

    #[test]
    fn countdown_phases_at_their_boundaries() {
        assert_eq!(remaining(180_000, 149_999).1, Phase::Normal);
        assert_eq!(remaining(180_000, 150_000).1, Phase::Warning);
        assert_eq!(remaining(180_000, 180_000), (0, Phase::Warning));
        assert_eq!(remaining(180_000, 180_001), (-1, Phase::Overrun));
    }

    #[test]
    fn clock_formats() {
        assert_eq!(clock(countdown_ms(180_000)), "3:00");
        assert_eq!(clock(countdown_ms(179_001)), "3:00");
        assert_eq!(clock(countdown_ms(500)), "0:01");
        assert_eq!(clock(countdown_ms(-1_500)), "0:01");
        assert_eq!(clock(3_725_000), "1:02:05");
    }

    #[test]
    fn a_clock_held_in_place_reads_as_the_formatted_one() {
        let formatted = |ms: Millis| {
            let secs = ms.unsigned_abs() / 1000;
            let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
            if h > 0 {
                format!("{h}:{m:02}:{s:02}")
            } else {
                format!("{m}:{s:02}")
            }
        };
        let mut samples: Vec<Millis> = (0..200_000).step_by(997).collect();
        samples.extend([
            0,
            999,
            59_999,
            60_000,
            599_000,
            3_599_999,
            3_600_000,
            36_000_000,
            -61_000,
            Millis::MAX,
            Millis::MIN,
        ]);
        for ms in samples {
            let c = Clock::of(ms);
            assert_eq!(c.as_str(), formatted(ms), "{ms} ms");
            assert_eq!(c.to_string(), formatted(ms));
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", formatted(ms))
            );
        }
        assert_eq!(format!("[{:>6}]", Clock::of(95_000)), "[  1:35]");
    }
}
