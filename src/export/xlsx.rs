//! Excel workbook of resolutions (sheet 决议) and action items (sheet 待办): numbers as number
//! cells, due dates as date cells, a bold frozen header, columns wide enough for Chinese.

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet};
use unicode_width::UnicodeWidthStr;

use super::minutes::Minutes;
use super::{ExportError, safe_cell};
use crate::lang::Lang;

/// One row of the resolutions table, shared with the CSV export.
#[derive(Clone, Debug)]
pub(crate) struct ResolutionRow {
    pub meeting: String,
    pub item: usize,
    pub title: String,
    pub question: String,
    pub rule: String,
    pub yes: Option<u32>,
    pub no: Option<u32>,
    pub abstain: Option<u32>,
    pub result: String,
    /// A plurality vote's count per option: "12月5日 4 票；12月12日 1 票".
    pub options: String,
    pub resolution: String,
    /// 保留意见, one per line.
    pub dissent: String,
}

/// The vote that counts on each item (or the resolution alone where nothing was voted).
pub(crate) fn resolution_rows(m: &Minutes) -> Vec<ResolutionRow> {
    let lang = m.lang;
    m.items
        .iter()
        .filter_map(|item| {
            let vote = item.votes.iter().rev().find(|v| !v.superseded);
            if vote.is_none() && item.resolution.trim().is_empty() {
                return None;
            }
            Some(ResolutionRow {
                meeting: m.title.clone(),
                item: item.number,
                title: item.title.clone(),
                question: vote.map(|v| v.question.clone()).unwrap_or_default(),
                rule: vote.map(|v| v.rule_label.clone()).unwrap_or_default(),
                yes: vote.and_then(|v| v.yes),
                no: vote.and_then(|v| v.no),
                abstain: vote.map(|v| v.abstain),
                result: vote
                    .map(|v| {
                        if v.options.is_empty() {
                            v.result.clone()
                        } else {
                            format!("{}{}{}", v.result, lang.pick("\u{ff1a}", ": "), v.reason)
                        }
                    })
                    .unwrap_or_default(),
                options: vote
                    .map(|v| {
                        v.options
                            .iter()
                            .map(|o| match lang {
                                Lang::Zh => format!("{} {} 票", o.label, o.count),
                                Lang::En => format!("{} {}", o.label, o.count),
                            })
                            .collect::<Vec<_>>()
                            .join(lang.pick("\u{ff1b}", "; "))
                    })
                    .unwrap_or_default(),
                resolution: item.resolution.clone(),
                dissent: item
                    .dissent
                    .iter()
                    .map(|d| d.line(lang))
                    .collect::<Vec<_>>()
                    .join("\n"),
            })
        })
        .collect()
}

/// The widest a column grows: longer text wraps (its row grows instead), so that a sheet of
/// twelve columns printed one page wide stays readable on A4 landscape.
const MAX_WIDTH: f64 = 24.0;

/// Column widths in Excel's units (about one Latin character); CJK characters count double.
struct Widths(Vec<f64>);

impl Widths {
    fn see(&mut self, col: usize, text: &str) {
        let w = text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0) as f64 + 2.0;
        if self.0.len() <= col {
            self.0.resize(col + 1, 6.0);
        }
        self.0[col] = self.0[col].max(w.min(MAX_WIDTH));
    }

    /// How many lines a wrapped text takes in a column, so its row is made tall enough.
    fn lines(&self, col: usize, text: &str) -> u32 {
        let room = self.0.get(col).copied().unwrap_or(6.0) - 1.0;
        text.split('\n')
            .map(|l| ((l.width() as f64 / room.max(1.0)).ceil() as u32).max(1))
            .sum()
    }

    fn apply(&self, ws: &mut Worksheet) -> Result<(), ExportError> {
        for (c, w) in self.0.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        Ok(())
    }
}

/// Points per line of 11 pt SimSun, Excel's own default row height.
const LINE_HEIGHT: f64 = 15.0;

enum Cell {
    Text(String),
    Number(Option<u32>),
    Date(Option<String>),
}

fn sheet(
    ws: &mut Worksheet,
    name: &str,
    header: &[&str],
    rows: Vec<Vec<Cell>>,
) -> Result<(), ExportError> {
    let font = "SimSun";
    let head = Format::new()
        .set_bold()
        .set_font_name(font)
        .set_background_color(0xE8E8E8)
        .set_align(FormatAlign::Center);
    // Cells of a tall row read from the top, as on a paper form.
    let text = Format::new()
        .set_font_name(font)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let num = Format::new()
        .set_font_name(font)
        .set_align(FormatAlign::Top);
    let date = Format::new()
        .set_font_name(font)
        .set_num_format("yyyy-mm-dd")
        .set_align(FormatAlign::Top);
    // Text that looks like a formula is a string cell (never evaluated) with a quote prefix,
    // so it stays text when edited and shows no apostrophe.
    let quoted = text.clone().set_quote_prefix();
    ws.set_name(name)?;
    let mut widths = Widths(Vec::new());
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
        widths.see(c, h);
    }
    for row in &rows {
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(s) => widths.see(c, s),
                Cell::Date(Some(d)) if ExcelDateTime::parse_from_str(d).is_ok() => {
                    widths.see(c, "2026-12-31")
                }
                Cell::Date(Some(d)) => widths.see(c, d),
                _ => {}
            }
        }
    }
    for (r, row) in rows.into_iter().enumerate() {
        let r = r as u32 + 1;
        let mut lines = 1;
        for (c, cell) in row.into_iter().enumerate() {
            let col = c as u16;
            match cell {
                Cell::Text(s) => {
                    lines = lines.max(widths.lines(c, &s));
                    let format = if safe_cell(&s) != s { &quoted } else { &text };
                    ws.write_string_with_format(r, col, &s, format)?;
                }
                Cell::Number(Some(n)) => {
                    ws.write_number_with_format(r, col, f64::from(n), &num)?;
                }
                Cell::Number(None) | Cell::Date(None) => {}
                Cell::Date(Some(d)) => match ExcelDateTime::parse_from_str(&d) {
                    Ok(dt) => {
                        ws.write_datetime_with_format(r, col, &dt, &date)?;
                    }
                    Err(_) => {
                        ws.write_string_with_format(r, col, &d, &quoted)?;
                    }
                },
            }
        }
        // Rows of wrapped text are made tall enough to show it whole (on screen and on paper).
        if lines > 1 {
            ws.set_row_height(r, f64::from(lines) * LINE_HEIGHT)?;
        }
    }
    widths.apply(ws)?;
    ws.set_freeze_panes(1, 0)?;
    // On paper: A4 landscape, one page wide, the header row on every page.
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_repeat_rows(0, 0)?;
    Ok(())
}

/// The workbook as bytes.
pub fn render(meetings: &[Minutes]) -> Result<Vec<u8>, ExportError> {
    let lang = meetings.first().map_or(Lang::Zh, |m| m.lang);
    let mut wb = Workbook::new();

    let rows = meetings
        .iter()
        .flat_map(resolution_rows)
        .map(|r| {
            vec![
                Cell::Text(r.meeting),
                Cell::Number(Some(r.item as u32)),
                Cell::Text(r.title),
                Cell::Text(r.question),
                Cell::Text(r.rule),
                Cell::Number(r.yes),
                Cell::Number(r.no),
                Cell::Number(r.abstain),
                Cell::Text(r.options),
                Cell::Text(r.result),
                Cell::Text(r.resolution),
                Cell::Text(r.dissent),
            ]
        })
        .collect();
    sheet(
        wb.add_worksheet(),
        lang.pick("决议", "Resolutions"),
        &super::csv::resolution_header(lang),
        rows,
    )?;

    let mut rows = Vec::new();
    for m in meetings {
        for item in &m.items {
            for a in &item.actions {
                rows.push(vec![
                    Cell::Text(m.title.clone()),
                    Cell::Number(Some(item.number as u32)),
                    Cell::Text(item.title.clone()),
                    Cell::Text(a.what.clone()),
                    Cell::Text(a.owner.clone()),
                    Cell::Date(a.due.clone()),
                    Cell::Text(a.status_label.clone()),
                ]);
            }
        }
    }
    sheet(
        wb.add_worksheet(),
        lang.pick("待办", "Actions"),
        &super::csv::action_header(lang),
        rows,
    )?;
    Ok(wb.save_to_buffer()?)
}
