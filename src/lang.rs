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

    pub fn code(self) -> &'static str {
        self.pick("zh-CN", "en")
    }
}
