//! 公示: the resolutions and vote totals for the notice board. A notice names no one: every
//! person's name is masked and phone, ID and card numbers are removed, whatever the minutes
//! say.

use std::fmt::Write;

use chrono::{Days, NaiveDate};
use minijinja::context;
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::ExportError;
use super::mask::{Names, mask_with};
use super::minutes::{Label as L, Minutes, date_text};
use crate::lang::Lang;

pub(crate) const TEMPLATE: &str = include_str!("templates/notice.html");

/// How a notice is written out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NoticeFormat {
    #[default]
    Text,
    Md,
    Html,
}

impl NoticeFormat {
    pub fn parse(s: &str) -> Option<NoticeFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "text" | "txt" => Some(NoticeFormat::Text),
            "md" | "markdown" => Some(NoticeFormat::Md),
            "html" | "htm" => Some(NoticeFormat::Html),
            _ => None,
        }
    }
}

/// The notice, already masked.
#[derive(Clone, Debug, Serialize)]
pub struct Notice {
    pub title: String,
    pub intro: String,
    pub items: Vec<NoticeItem>,
    pub period: Option<String>,
    /// "联系方式：…" where residents take objections (never masked: it is meant to be posted).
    pub contact: Option<String>,
    pub closing: String,
    pub issuer: String,
    pub date: String,
    /// The record's check code, so that a posted copy can be checked against the file.
    pub check: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct NoticeItem {
    pub heading: String,
    pub lines: Vec<String>,
}

/// 一, 二, … 九十九 for the headings of a Chinese notice.
fn chinese_number(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[n % 10] }),
        20..=99 => format!(
            "{}十{}",
            D[n / 10],
            if n.is_multiple_of(10) { "" } else { D[n % 10] }
        ),
        _ => n.to_string(),
    }
}

/// 公示期 when the agenda gives no `objection_days`.
pub const DEFAULT_OBJECTION_DAYS: u32 = 7;

/// "The residents' committee" inside a sentence: "the residents' committee".
fn lowercase_article(issuer: &str) -> String {
    match issuer.strip_prefix("The ") {
        Some(rest) => format!("the {rest}"),
        None => issuer.to_string(),
    }
}

/// The notice of `m`, posted on `posted`.
pub fn build(m: &Minutes, posted: NaiveDate) -> Notice {
    let lang = m.lang;
    let removed = lang.pick("[已隐去]", "[removed]");
    let people = Names::new(&m.people);
    let mask = |s: &str| mask_with(s, &people, removed);
    let colon = lang.pick("\u{ff1a}", ": ");
    let title = match lang {
        Lang::Zh => format!("关于{}的决议公示", mask(&m.title)),
        Lang::En => format!("Public notice of the resolutions of {}", mask(&m.title)),
    };
    let place = m.place.as_deref().map(mask);
    let intro = match (lang, &place) {
        (Lang::Zh, Some(p)) => format!(
            "本次{}于{}在{}召开。{}。现将表决事项及结果公示如下：",
            m.kind_label, m.time_text, p, m.attendance_text
        ),
        (Lang::Zh, None) => format!(
            "本次{}于{}召开。{}。现将表决事项及结果公示如下：",
            m.kind_label, m.time_text, m.attendance_text
        ),
        (Lang::En, Some(p)) => format!(
            "The {} met on {} at {}. {}. The questions voted on and the results are as follows.",
            m.kind_label, m.time_text, p, m.attendance_text
        ),
        (Lang::En, None) => format!(
            "The {} met on {}. {}. The questions voted on and the results are as follows.",
            m.kind_label, m.time_text, m.attendance_text
        ),
    };
    let items = m
        .items
        .iter()
        .filter(|i| !i.votes.is_empty() || !i.resolution.trim().is_empty())
        .enumerate()
        .map(|(n, item)| {
            let heading = match lang {
                Lang::Zh => format!("{}、{}", chinese_number(n + 1), mask(&item.title)),
                Lang::En => format!("{}. {}", n + 1, mask(&item.title)),
            };
            let mut lines = Vec::new();
            if let Some(v) = item.votes.iter().rev().find(|v| !v.superseded) {
                lines.push(format!(
                    "{}{colon}{}",
                    L::Question.text(lang),
                    mask(&v.question)
                ));
                lines.push(format!(
                    "{}{colon}{}",
                    L::Result.text(lang),
                    mask(&v.counts_text)
                ));
                lines.push(format!(
                    "{}{colon}{}{}{}{colon}{}",
                    L::Method.text(lang),
                    v.method_label,
                    lang.pick("\u{ff1b}", "; "),
                    L::Rule.text(lang),
                    v.rule_label
                ));
                lines.push(format!("{}{colon}{}", v.result, mask(&v.reason)));
            }
            if !item.resolution.trim().is_empty() {
                lines.push(format!(
                    "{}{colon}{}",
                    L::Resolution.text(lang),
                    mask(item.resolution.trim())
                ));
            }
            NoticeItem { heading, lines }
        })
        .collect();
    // A notice always states its 公示期: the agenda's, or the usual seven days.
    let days = m
        .objection_days
        .filter(|d| *d > 0)
        .unwrap_or(DEFAULT_OBJECTION_DAYS);
    let end = posted
        .checked_add_days(Days::new(u64::from(days) - 1))
        .unwrap_or(posted);
    let period = Some(match lang {
        Lang::Zh => format!(
            "公示期 {days} 天，自 {} 至 {}；如有异议，请于公示期内向{}反映。",
            date_text(posted, lang),
            date_text(end, lang),
            m.issuer
        ),
        Lang::En => format!(
            "Objections may be raised with {} for {days} days, from {} to {}.",
            lowercase_article(&m.issuer),
            date_text(posted, lang),
            date_text(end, lang)
        ),
    });
    let contact = m
        .contact
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| format!("{}{colon}{c}", lang.pick("联系方式", "Contact")));
    Notice {
        title,
        intro,
        items,
        period,
        contact,
        closing: lang.pick("特此公示。", "Posted for public notice.").into(),
        issuer: m.issuer.clone(),
        date: date_text(posted, lang),
        check: m.check.clone(),
    }
}

/// Plain text for the notice board or a chat group.
pub fn text(n: &Notice) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}\n\n{}\n", n.title, n.intro);
    for item in &n.items {
        let _ = writeln!(o, "{}", item.heading);
        for line in &item.lines {
            let _ = writeln!(o, "    {line}");
        }
        o.push('\n');
    }
    if let Some(p) = &n.period {
        let _ = writeln!(o, "{p}");
    }
    if let Some(c) = &n.contact {
        let _ = writeln!(o, "{c}");
    }
    o.push('\n');
    // Right-aligned by display width: a Chinese character takes two columns.
    let right = |s: &str| format!("{}{s}", " ".repeat(48usize.saturating_sub(s.width())));
    let _ = writeln!(
        o,
        "{}\n\n{}\n{}",
        n.closing,
        right(&n.issuer),
        right(&n.date)
    );
    if let Some(check) = &n.check {
        let _ = writeln!(o, "\n{check}");
    }
    o
}

pub fn markdown(n: &Notice) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# {}\n\n{}\n",
        super::md::esc(&n.title),
        super::md::esc(&n.intro)
    );
    for item in &n.items {
        let _ = writeln!(o, "## {}\n", super::md::esc(&item.heading));
        for line in &item.lines {
            let _ = writeln!(o, "- {}", super::md::esc(line));
        }
        o.push('\n');
    }
    if let Some(p) = &n.period {
        let _ = writeln!(o, "{}\n", super::md::esc(p));
    }
    if let Some(c) = &n.contact {
        let _ = writeln!(o, "{}\n", super::md::esc(c));
    }
    let _ = writeln!(
        o,
        "{}\n\n<p align=\"right\">{}<br>{}</p>",
        super::md::esc(&n.closing),
        super::md::esc(&n.issuer),
        super::md::esc(&n.date)
    );
    if let Some(check) = &n.check {
        let _ = writeln!(o, "\n{}", super::md::esc(check));
    }
    o
}

pub fn html(n: &Notice, lang: Lang) -> Result<String, ExportError> {
    let env = super::html::environment()?;
    Ok(env
        .get_template("notice.html")?
        .render(context! { lang => lang.code(), n => minijinja::value::Serde(n) })?)
}

/// The notice of `m` posted on `posted`, in a format.
pub fn render(m: &Minutes, posted: NaiveDate, format: NoticeFormat) -> Result<String, ExportError> {
    let n = build(m, posted);
    Ok(match format {
        NoticeFormat::Text => text(&n),
        NoticeFormat::Md => markdown(&n),
        NoticeFormat::Html => html(&n, m.lang)?,
    })
}
