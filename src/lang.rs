//! The two languages yishi speaks, and how the default is chosen.

use serde::{Deserialize, Serialize};

/// The language of every label, message and export.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// `zh-CN`, `zh`, `en`, `en-US`… (case-insensitive, `_` or `-`).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// From `LC_ALL`, `LC_MESSAGES`, `LANG` in that order; Chinese when none says otherwise,
    /// because the people in the room read Chinese.
    pub fn from_env() -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var)
                && !v.is_empty()
            {
                if let Some(lang) = Lang::parse(&v) {
                    return lang;
                }
                if v != "C" && v != "POSIX" && !v.starts_with("C.") {
                    return Lang::Zh;
                }
            }
        }
        Lang::Zh
    }

    /// The Chinese or the English of a pair.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// A parenthesis after a word: full-width in Chinese, spaced in English.
    pub fn paren(self, text: &str) -> String {
        if text.is_empty() {
            return String::new();
        }
        match self {
            Lang::Zh => format!("\u{ff08}{text}\u{ff09}"),
            Lang::En => format!(" ({text})"),
        }
    }

    /// An agenda's RFC 3339 time as people write it: 2026年11月28日 19:00 / 2026-11-28 19:00.
    /// Anything that does not parse is shown as written.
    /// A time as every answer of the command line and the minutes print it, one style per
    /// language: "2026年11月28日 19:00" / "28 Nov 2026 19:00". Takes an agenda's RFC 3339 or
    /// the record's "2026-11-28 19:00:00"; anything else is returned as written.
    pub fn datetime(self, text: &str) -> String {
        let format = self.pick("%Y年%-m月%-d日 %H:%M", "%-d %b %Y %H:%M");
        if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
            return t.format(format).to_string();
        }
        match chrono::NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M:%S") {
            Ok(t) => t.format(format).to_string(),
            Err(_) => text.to_string(),
        }
    }

    pub fn code(self) -> &'static str {
        self.pick("zh-CN", "en")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agenda_times_read_as_people_write_them() {
        assert_eq!(
            Lang::Zh.datetime("2026-11-28T19:00:00+08:00"),
            "2026年11月28日 19:00"
        );
        assert_eq!(
            Lang::En.datetime("2026-11-28T09:05:00+08:00"),
            "28 Nov 2026 09:05"
        );
        // The record's own times read the same way.
        assert_eq!(
            Lang::Zh.datetime("2026-12-01 23:20:05"),
            "2026年12月1日 23:20"
        );
        assert_eq!(Lang::En.datetime("2026-12-01 23:20:05"), "1 Dec 2026 23:20");
        assert_eq!(Lang::Zh.datetime("下周三晚上"), "下周三晚上");
        assert_eq!(Lang::En.paren("guest"), " (guest)");
        assert_eq!(Lang::Zh.paren("列席"), "\u{ff08}列席\u{ff09}");
    }
}
