//! 会议纪要 as a Word document in the form a community office files: a header table (时间,
//! 地点, 主持人, 记录人, 应到 / 实到, 参会人员, 缺席人员), then each item with its speakers,
//! vote, resolution, dissent and actions, the participation figures and signature lines.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, Docx, Footer, NumPages, PageMargin, PageNum, Paragraph, Run, RunFonts, Table,
    TableCell, TableRow, WidthType,
};

use super::ExportError;
use super::minutes::{Label as L, Minutes};
use crate::lang::Lang;

/// A4 in twentieths of a point, and 20 mm margins.
const A4: (u32, u32) = (11_906, 16_838);
const MARGIN: i32 = 1_134;
/// Text width of an A4 page inside the margins, in twips.
const TEXT_WIDTH: usize = 11_906 - 2 * 1_134;
/// Two Chinese characters at 12 pt.
const INDENT: i32 = 480;

fn fonts() -> RunFonts {
    RunFonts::new()
        .east_asia("宋体")
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
}

fn run(text: &str) -> Run {
    // Line breaks inside a field become breaks in the run.
    let mut r = Run::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            r = r.add_break(docx_rs::BreakType::TextWrapping);
        }
        r = r.add_text(line);
    }
    r
}

fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text))
}

/// "label:value" with the label in bold.
fn field(label: &str, colon: &str, value: &str) -> Paragraph {
    Paragraph::new()
        .add_run(Run::new().add_text(format!("{label}{colon}")).bold())
        .add_run(run(value))
}

fn heading(text: &str, size: usize) -> Paragraph {
    Paragraph::new()
        .add_run(Run::new().add_text(text).bold().size(size))
        .keep_next(true)
}

fn cell(text: &str, bold: bool, width: usize) -> TableCell {
    cell_kept(text, bold, width, false)
}

/// A cell whose paragraph keeps with the next row, so a table's header row is never left
/// alone at the foot of a page.
fn cell_kept(text: &str, bold: bool, width: usize, keep: bool) -> TableCell {
    let r = if bold { run(text).bold() } else { run(text) };
    TableCell::new()
        .add_paragraph(Paragraph::new().add_run(r).keep_next(keep))
        .width(width, WidthType::Dxa)
}

/// Indented detail under a label (speakers, vote lines, dissent).
fn detail(text: &str) -> Paragraph {
    para(text).indent(Some(INDENT), None, None, None)
}

/// A vote's lines. A void tally (a later vote replaced it) is grey and struck through, led by
/// a bold 已作废（已重新表决）; the valid one is in black with its result in bold.
fn vote(doc: Docx, m: &Minutes, v: &super::minutes::VoteLine) -> Docx {
    let lang = m.lang;
    let t = |l: L| l.text(lang);
    let colon = lang.pick("\u{ff1a}", ": ");
    let void = v.superseded;
    let plain = |text: &str| {
        let r = run(text);
        if void { r.color("666666").strike() } else { r }
    };
    let line = |label: &str, value: &str, bold_label: bool| {
        let l = plain(&format!("{label}{colon}"));
        Paragraph::new()
            .add_run(if bold_label && !void { l.bold() } else { l })
            .add_run(plain(value))
            .indent(Some(INDENT), None, None, None)
            .keep_next(true)
    };
    let mut head = Paragraph::new();
    if void {
        head = head
            .add_run(Run::new().add_text(&v.void_mark).bold())
            .add_run(Run::new().add_text(" "));
    }
    let label = plain(&format!("{}{colon}", t(L::Vote)));
    head = head
        .add_run(if void { label } else { label.bold() })
        .add_run(plain(&v.question))
        .keep_next(true);
    let mut doc = doc
        .add_paragraph(head)
        .add_paragraph(line(
            t(L::Method),
            &format!(
                "{}{}{}{colon}{}",
                v.method_label,
                lang.pick("\u{ff1b}", "; "),
                t(L::Rule),
                v.rule_label
            ),
            false,
        ))
        .add_paragraph(line(t(L::Result), &v.counts_text, false))
        .add_paragraph(line(&v.result, &v.reason, true).keep_next(false));
    if !v.named.is_empty() {
        doc = doc.add_paragraph(line(t(L::Named), &v.named, false).keep_next(false));
    }
    if !v.tellers.is_empty() {
        doc = doc.add_paragraph(line(t(L::Tellers), &m.join(&v.tellers), false).keep_next(false));
    }
    doc
}

/// "第 1 页 共 3 页" / "Page 1 of 3", centred in the footer of every page.
fn footer(lang: Lang) -> Footer {
    let (before, middle, after) = match lang {
        Lang::Zh => ("第 ", " 页 共 ", " 页"),
        Lang::En => ("Page ", " of ", ""),
    };
    let mut p = Paragraph::new()
        .align(AlignmentType::Center)
        .add_run(Run::new().add_text(before).size(18))
        .add_page_num(PageNum::new())
        .add_run(Run::new().add_text(middle).size(18))
        .add_num_pages(NumPages::new());
    if !after.is_empty() {
        p = p.add_run(Run::new().add_text(after).size(18));
    }
    Footer::new().add_paragraph(p)
}

fn meeting(mut doc: Docx, m: &Minutes, first: bool) -> Docx {
    let lang = m.lang;
    let t = |l: L| l.text(lang);
    let colon = lang.pick("\u{ff1a}", ": ");
    let none = t(L::None);
    doc = doc
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text(&m.title).bold().size(36))
                .align(AlignmentType::Center)
                .page_break_before(!first),
        )
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text(t(L::Minutes)).bold().size(30))
                .align(AlignmentType::Center),
        );
    let mut head = vec![
        (t(L::Time).to_string(), m.time_text.clone()),
        (
            t(L::Place).to_string(),
            m.place.clone().unwrap_or_else(|| none.into()),
        ),
        (
            t(L::Host).to_string(),
            m.host.clone().unwrap_or_else(|| none.into()),
        ),
        (
            t(L::Recorder).to_string(),
            m.recorder.clone().unwrap_or_else(|| none.into()),
        ),
        (t(L::Attendance).to_string(), m.attendance_text.clone()),
    ];
    // 出席, 缺席, 列席 each on its own row: the count, then the names (by role for those present).
    for line in &m.attendance_lines {
        let names = line
            .groups
            .iter()
            .map(|g| {
                if g.role.is_empty() {
                    m.join(&g.names)
                } else {
                    format!("{}{colon}{}", g.role, m.join(&g.names))
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let value = if names.is_empty() {
            line.count_text.clone()
        } else {
            format!("{}\n{names}", line.count_text)
        };
        head.push((line.label.clone(), value));
    }
    if let Some(closed) = &m.closed_text {
        head.push((t(L::Closed).to_string(), closed.clone()));
    }
    let label_w = 2_000;
    let rows = head
        .iter()
        .map(|(k, v)| {
            TableRow::new(vec![
                cell(k, true, label_w),
                cell(v, false, TEXT_WIDTH - label_w),
            ])
        })
        .collect();
    doc = doc.add_table(
        Table::new(rows)
            .set_grid(vec![label_w, TEXT_WIDTH - label_w])
            .width(TEXT_WIDTH, WidthType::Dxa),
    );

    for item in &m.items {
        doc = doc.add_paragraph(para("")).add_paragraph(heading(
            &format!("{} {}{colon}{}", t(L::Item), item.number, item.title),
            28,
        ));
        doc = doc.add_paragraph(field(t(L::Outcome), colon, &item.outcome_text));
        if let Some(d) = &item.description {
            doc = doc.add_paragraph(field(t(L::Background), colon, d));
        }
        if let Some(p) = &item.proposer {
            doc = doc.add_paragraph(field(t(L::Proposer), colon, p));
        }
        if !item.speeches.is_empty() {
            doc = doc.add_paragraph(field(t(L::Speeches), colon, "").keep_next(true));
            for (i, s) in item.speeches.iter().enumerate() {
                doc = doc.add_paragraph(detail(&format!("{}. {}", i + 1, s.line(lang))));
            }
        }
        if !item.minutes.trim().is_empty() {
            doc = doc.add_paragraph(field(t(L::Minutes2), colon, &item.minutes));
        }
        for v in &item.votes {
            doc = vote(doc, m, v);
        }
        if !item.resolution.trim().is_empty() {
            doc = doc.add_paragraph(field(t(L::Resolution), colon, &item.resolution));
        }
        if !item.dissent.is_empty() {
            doc = doc.add_paragraph(field(t(L::Dissent), colon, "").keep_next(true));
            for d in &item.dissent {
                doc = doc.add_paragraph(detail(&d.line(lang)));
            }
        }
        if !item.actions.is_empty() {
            let w = [TEXT_WIDTH - 5_600, 2_000, 2_000, 1_600];
            let mut rows = vec![
                TableRow::new(vec![
                    cell_kept(t(L::What), true, w[0], true),
                    cell_kept(t(L::Owner), true, w[1], true),
                    cell_kept(t(L::Due), true, w[2], true),
                    cell_kept(t(L::Status), true, w[3], true),
                ])
                .cant_split(),
            ];
            for a in &item.actions {
                rows.push(
                    TableRow::new(vec![
                        cell(&a.what, false, w[0]),
                        cell(&a.owner, false, w[1]),
                        cell(a.due.as_deref().unwrap_or("—"), false, w[2]),
                        cell(&a.status_label, false, w[3]),
                    ])
                    .cant_split(),
                );
            }
            doc = doc.add_table(
                Table::new(rows)
                    .set_grid(w.to_vec())
                    .width(TEXT_WIDTH, WidthType::Dxa),
            );
        }
    }
    doc = doc
        .add_paragraph(para(""))
        .add_paragraph(heading(t(L::Participation), 28))
        .add_paragraph(para(&m.participation.text))
        .add_paragraph(para(""))
        .add_paragraph(para(""))
        .add_paragraph(para(&format!(
            "{}{}{colon}________________    {}{colon}____________",
            t(L::Host),
            lang.pick("（签字）", " (signature)"),
            lang.pick("日期", "Date"),
        )))
        .add_paragraph(para(""))
        .add_paragraph(para(&format!(
            "{}{}{colon}________________    {}{colon}____________",
            t(L::Recorder),
            lang.pick("（签字）", " (signature)"),
            lang.pick("日期", "Date"),
        )));
    if let Some(check) = &m.check {
        doc = doc.add_paragraph(para("")).add_paragraph(para(check));
    }
    doc
}

/// One Word document; several meetings are separated by page breaks.
pub fn render(meetings: &[Minutes]) -> Result<Vec<u8>, ExportError> {
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new()
                .top(MARGIN)
                .bottom(MARGIN)
                .left(MARGIN)
                .right(MARGIN),
        )
        .default_fonts(fonts())
        .default_size(24)
        .footer(footer(meetings.first().map_or(Lang::Zh, |m| m.lang)));
    for (i, m) in meetings.iter().enumerate() {
        doc = meeting(doc, m, i == 0);
    }
    let mut out = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| ExportError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}
