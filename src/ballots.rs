//! 书面表决: a sheet of collected written ballots (CSV or .xlsx) read into a roll call. Each
//! row names an owner by unit or by name (or both) and says 同意 / 反对 / 弃权; unknown and
//! repeated owners are refused with the file and row, all of them at once.

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, Reader};

use crate::domain::model::ParticipantId;
use crate::domain::state::State;
use crate::domain::tally::{Choice, Rule};
use crate::lang::Lang;

/// The same sentence in either language.
macro_rules! say {
    ($lang:expr, $zh:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            Lang::Zh => format!($zh $(, $arg)*),
            Lang::En => format!($en $(, $arg)*),
        }
    };
}

/// Why a sheet of ballots cannot be recorded.
#[derive(Debug, PartialEq, Eq)]
pub enum SheetError {
    /// The file cannot be read at all: one sentence naming it.
    Unreadable(String),
    /// Rows that cannot be counted, each `FILE:ROW: why`.
    Rows(Vec<String>),
}

impl SheetError {
    pub fn render(&self) -> String {
        match self {
            SheetError::Unreadable(s) => s.clone(),
            SheetError::Rows(rows) => rows.join("\n"),
        }
    }
}

/// The rows of the sheet's first worksheet (or the CSV), as text, empty rows kept so that
/// row numbers are the ones a spreadsheet shows.
pub fn read_rows(path: &Path, lang: Lang) -> Result<Vec<Vec<String>>, SheetError> {
    let shown = path.display();
    let unreadable = |why: String| {
        SheetError::Unreadable(say!(
            lang,
            "无法读取选票汇总表 {}：{}",
            "cannot read the sheet of ballots {}: {}",
            shown,
            why
        ))
    };
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("xlsx" | "xlsm" | "xls" | "ods") => {
            let mut book =
                calamine::open_workbook_auto(path).map_err(|e| unreadable(e.to_string()))?;
            let range = book
                .worksheet_range_at(0)
                .ok_or_else(|| {
                    unreadable(
                        lang.pick("表格里没有工作表", "it holds no sheet")
                            .to_string(),
                    )
                })?
                .map_err(|e| unreadable(e.to_string()))?;
            // Row numbers as the spreadsheet shows them, even when the sheet starts lower.
            let first = range.start().map_or(0, |(r, _)| r as usize);
            let mut rows = vec![Vec::new(); first];
            rows.extend(range.rows().map(|r| r.iter().map(cell_text).collect()));
            Ok(rows)
        }
        Some("csv" | "txt") => {
            let bytes = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
            let text = String::from_utf8(bytes).map_err(|_| {
                unreadable(
                    lang.pick(
                        "文件不是 UTF-8 编码的文本，请用 UTF-8 另存为 CSV 后再试",
                        "it is not UTF-8 text; save it as UTF-8 CSV and try again",
                    )
                    .to_string(),
                )
            })?;
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            let mut rows = Vec::new();
            for record in reader.records() {
                let record = record.map_err(|e| unreadable(e.to_string()))?;
                // Rows are numbered by the line they start on (a quoted line break may make
                // one span two); a record's position counts from the blank lines before it.
                let line = record.position().map_or(rows.len() + 1, |p| {
                    let at = (p.byte() as usize).min(text.len());
                    let before = text.as_bytes()[..at]
                        .iter()
                        .filter(|b| **b == b'\n')
                        .count();
                    let blank = text.as_bytes()[at..]
                        .iter()
                        .take_while(|b| matches!(b, b'\n' | b'\r'))
                        .filter(|b| **b == b'\n')
                        .count();
                    before + blank + 1
                });
                while rows.len() + 1 < line {
                    rows.push(Vec::new());
                }
                rows.push(record.iter().map(|c| c.trim().to_string()).collect());
            }
            Ok(rows)
        }
        _ => Err(unreadable(
            lang.pick(
                "只能读取 .csv 或 .xlsx 文件",
                "only .csv and .xlsx files can be read",
            )
            .to_string(),
        )),
    }
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string().trim().to_string(),
    }
}

/// 同意 / 赞成 / 反对 / 不同意 / 弃权, and their English and ticked forms.
pub fn parse_choice(s: &str) -> Option<Choice> {
    let s = s.trim();
    let lower = s.to_lowercase();
    match lower.as_str() {
        "同意" | "赞成" | "yes" | "y" | "agree" | "√" | "✓" | "✔" => Some(Choice::Yes),
        "反对" | "不同意" | "no" | "n" | "against" | "×" | "✗" | "x" => Some(Choice::No),
        "弃权" | "abstain" | "a" | "abstention" => Some(Choice::Abstain),
        _ => None,
    }
}

/// Matches every row to one owner of `state` and reads its choice. A first row whose choice
/// is not a choice is a header and skipped. Rows with nothing in them are skipped.
pub fn match_rows(
    state: &State,
    rule: Rule,
    file: &str,
    rows: &[Vec<String>],
    lang: Lang,
) -> Result<Vec<(ParticipantId, Choice)>, SheetError> {
    // Everyone who can be named: by name, by unit, by each of several units.
    let mut by_key: BTreeMap<&str, Vec<ParticipantId>> = BTreeMap::new();
    for p in &state.participants {
        by_key.entry(p.name.as_str()).or_default().push(p.id);
        if p.units.is_empty() {
            if let Some(u) = p.unit.as_deref() {
                by_key.entry(u).or_default().push(p.id);
            }
        } else {
            for u in &p.units {
                by_key.entry(u.unit.as_str()).or_default().push(p.id);
            }
        }
    }
    let mut problems = Vec::new();
    let mut ballots = Vec::new();
    let mut seen: BTreeMap<ParticipantId, usize> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        let n = i + 1;
        let cells: Vec<&str> = row.iter().map(|c| c.trim()).collect();
        let Some(last) = cells.iter().rposition(|c| !c.is_empty()) else {
            continue;
        };
        let at = |why: String| format!("{file}:{n}: {why}");
        let Some(choice) = parse_choice(cells[last]) else {
            if n == first_filled(rows) {
                continue; // the header
            }
            problems.push(at(say!(
                lang,
                "无法识别的表决意见 \"{}\"；请写 同意、反对 或 弃权",
                "cannot read the choice \"{}\"; write 同意 (yes), 反对 (no) or 弃权 (abstain)",
                cells[last]
            )));
            continue;
        };
        let who: Vec<&str> = cells[..last]
            .iter()
            .copied()
            .filter(|c| !c.is_empty())
            .collect();
        if who.is_empty() {
            problems.push(at(lang
                .pick(
                    "这一行没有写房号或姓名",
                    "this row names no unit and no owner",
                )
                .to_string()));
            continue;
        }
        let mut found: Option<ParticipantId> = None;
        let mut bad = false;
        for key in &who {
            match by_key.get(key).map(Vec::as_slice) {
                None | Some([]) => {
                    problems.push(at(say!(
                        lang,
                        "名单上没有 \"{}\"（既不是业主姓名，也不是房号）",
                        "\"{}\" is not on the list (neither an owner's name nor a unit)",
                        key
                    )));
                    bad = true;
                }
                Some([one]) => match found {
                    Some(f) if f != *one => {
                        problems.push(at(say!(
                            lang,
                            "\"{}\" 与同一行的 \"{}\" 不是同一位业主",
                            "\"{}\" and \"{}\" on the same row are not the same owner",
                            key,
                            state.name(f)
                        )));
                        bad = true;
                    }
                    _ => found = Some(*one),
                },
                Some(_) => {
                    problems.push(at(say!(
                        lang,
                        "\"{}\" 对应不止一位业主；请写房号",
                        "\"{}\" names more than one owner; give the unit",
                        key
                    )));
                    bad = true;
                }
            }
        }
        let (Some(pid), false) = (found, bad) else {
            continue;
        };
        let Some(p) = state.participant(pid) else {
            continue;
        };
        if let Some(reason) = state.not_entitled(p, rule) {
            problems.push(at(say!(
                lang,
                "{} 不参加业主表决：{}",
                "{} does not take part in the owners' vote: {}",
                p.name,
                reason
            )));
            continue;
        }
        if !p.voter {
            problems.push(at(say!(
                lang,
                "{} 不是表决人（{}）",
                "{} is not a voter ({})",
                p.name,
                p.role.label(lang)
            )));
            continue;
        }
        if let Some(first) = seen.get(&pid) {
            problems.push(at(say!(
                lang,
                "{} 的选票重复（第 {} 行已有）",
                "a second ballot of {} (row {} has one)",
                p.name,
                first
            )));
            continue;
        }
        seen.insert(pid, n);
        ballots.push((pid, choice));
    }
    if problems.is_empty() {
        Ok(ballots)
    } else {
        Err(SheetError::Rows(problems))
    }
}

/// The 1-based number of the first row with anything in it.
fn first_filled(rows: &[Vec<String>]) -> usize {
    rows.iter()
        .position(|r| r.iter().any(|c| !c.trim().is_empty()))
        .map_or(0, |i| i + 1)
}
