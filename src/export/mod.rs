//! Minutes and resolutions out of the room: Markdown, printable HTML, Word, Excel, CSV, JSON,
//! iCalendar, Popolo open data and the public notice. `minutes` builds one neutral view of a meeting; every format is a
//! pure function of that view.

pub mod csv;
pub mod docx;
pub mod html;
pub mod ics;
pub mod json;
pub mod mask;
pub mod md;
pub mod minutes;
pub mod notice;
pub mod popolo;
pub mod xlsx;

pub use mask::mask_personal;
pub use minutes::Minutes;

use crate::domain::model::Millis;
use crate::domain::state::State;
use crate::lang::Lang;

/// The formats `yishi export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Md,
    Html,
    Docx,
    Xlsx,
    Csv,
    Json,
    /// iCalendar: the meeting and its action items, for calendar apps.
    Ics,
    /// Popolo JSON: the meeting, its motions, votes and speeches as open data.
    Popolo,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Md),
            "html" | "htm" => Some(Format::Html),
            "docx" | "word" => Some(Format::Docx),
            "xlsx" | "excel" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "ics" | "ical" => Some(Format::Ics),
            "popolo" => Some(Format::Popolo),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Ics => "ics",
            Format::Popolo => "json",
        }
    }

    /// Word and Excel files are never written to a terminal.
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Docx | Format::Xlsx)
    }
}

/// Which table a CSV export holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Table {
    #[default]
    Resolutions,
    Actions,
}

/// A file that could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("Word document: {0}")]
    Docx(String),
    #[error("Excel workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("template: {0}")]
    Template(#[from] minijinja::Error),
    #[error("CSV: {0}")]
    Csv(String),
}

/// The minutes of a meeting's state: the one call every format starts from.
pub fn minutes(state: &State, id: Option<i64>, now: Millis, lang: Lang) -> Minutes {
    Minutes::build(state, id, now, lang, None)
}

/// Renders meetings in a format. One meeting gives one document; several give one document
/// with a page break between meetings (md, html, docx), rows with a meeting column (csv, xlsx)
/// or a JSON array. `all` says the meetings were asked for as a range (`--all`): JSON is then
/// an array even when the range holds one meeting, so a tool reading it needs no special case.
pub fn render(
    meetings: &[Minutes],
    format: Format,
    table: Table,
    all: bool,
) -> Result<Vec<u8>, ExportError> {
    Ok(match format {
        Format::Md => md::render(meetings).into_bytes(),
        Format::Html => html::render(meetings)?.into_bytes(),
        Format::Docx => docx::render(meetings)?,
        Format::Xlsx => xlsx::render(meetings)?,
        Format::Csv => match table {
            Table::Resolutions => csv::resolutions(meetings)?,
            Table::Actions => csv::actions(meetings)?,
        }
        .into_bytes(),
        Format::Json => json::render(meetings, all).into_bytes(),
        Format::Ics => ics::render(meetings).into_bytes(),
        Format::Popolo => popolo::render(meetings).into_bytes(),
    })
}

/// A file name from the meeting's title and date, safe on every file system:
/// `幸福里小区议事会-2026-11-28.docx`.
pub fn file_name(m: &Minutes, format: Format) -> String {
    let title: String = m
        .title
        .chars()
        .map(|c| {
            if c.is_control() || c.is_whitespace() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .take(60)
        .collect();
    let title = if title.trim_matches(['_', '.']).is_empty() {
        "meeting".to_string()
    } else {
        title
    };
    format!(
        "{title}-{}.{}",
        m.date.format("%Y-%m-%d"),
        format.extension()
    )
}

/// A spreadsheet cell that Excel or LibreOffice would read as a formula (`=`, `+`, `-`, `@`,
/// also in their full-width forms `＝` `＋` `－` `＠`, which Excel takes as the same signs, and
/// also after leading spaces, which it skips) or that starts with a tab or carriage return is
/// prefixed with `'`, so a resolution typed as `=HYPERLINK(…)` stays text.
pub fn safe_cell(text: &str) -> String {
    let formula = |c: char| "=+-@\u{ff1d}\u{ff0b}\u{ff0d}\u{ff20}".contains(c);
    let first = text.chars().next();
    let after_spaces = text.trim_start().chars().next();
    if matches!(first, Some('\t' | '\r')) || after_spaces.is_some_and(formula) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        for bad in [
            "=1+1",
            "+1",
            "-1",
            "@SUM(A1)",
            "\tx",
            "\rx",
            " =1+1",
            "\u{3000}=HYPERLINK(\"http://x\")",
            "\n@SUM(A1)",
            "＝1+1",
            "  ＋1",
            "－1",
            "＠SUM(A1)",
        ] {
            assert_eq!(safe_cell(bad), format!("'{bad}"));
        }
        assert_eq!(safe_cell("同意"), "同意");
        assert_eq!(safe_cell(" 同意 = 9 人"), " 同意 = 9 人");
        assert_eq!(safe_cell(""), "");
    }
}
