//! CSV of resolutions or of action items, UTF-8 with a byte-order mark so Excel on Windows
//! reads Chinese correctly, every text cell neutralised against formula injection.

use super::minutes::{Label as L, Minutes};
use super::{ExportError, safe_cell};

const BOM: &str = "\u{feff}";

fn write(header: Vec<&str>, rows: Vec<Vec<String>>) -> Result<String, ExportError> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let err = |e: ::csv::Error| ExportError::Csv(e.to_string());
    w.write_record(&header).map_err(err)?;
    for row in rows {
        w.write_record(row.iter().map(|c| safe_cell(c)))
            .map_err(err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ExportError::Csv(e.to_string()))?;
    Ok(format!("{BOM}{}", String::from_utf8_lossy(&bytes)))
}

/// meeting, item, question, rule, yes, no, abstain, votes per option, result, resolution,
/// dissent: one row per vote that
/// counts (or per item with a resolution and no vote).
pub fn resolutions(meetings: &[Minutes]) -> Result<String, ExportError> {
    let Some(lang) = meetings.first().map(|m| m.lang) else {
        return write(resolution_header(crate::lang::Lang::Zh), Vec::new());
    };
    let mut rows = Vec::new();
    for m in meetings {
        for row in super::xlsx::resolution_rows(m) {
            rows.push(vec![
                row.meeting.clone(),
                row.item.to_string(),
                row.title.clone(),
                row.question.clone(),
                row.rule.clone(),
                row.yes.map(|n| n.to_string()).unwrap_or_default(),
                row.no.map(|n| n.to_string()).unwrap_or_default(),
                row.abstain.map(|n| n.to_string()).unwrap_or_default(),
                row.options.clone(),
                row.result.clone(),
                row.resolution.clone(),
                row.dissent.clone(),
            ]);
        }
    }
    write(resolution_header(lang), rows)
}

pub(crate) fn resolution_header(lang: crate::lang::Lang) -> Vec<&'static str> {
    vec![
        L::Meeting.text(lang),
        lang.pick("序号", "No."),
        L::Item.text(lang),
        L::Question.text(lang),
        L::Rule.text(lang),
        L::Yes.text(lang),
        L::No.text(lang),
        L::Abstain.text(lang),
        lang.pick("各选项得票", "Votes per option"),
        L::Result.text(lang),
        L::Resolution.text(lang),
        L::Dissent.text(lang),
    ]
}

pub(crate) fn action_header(lang: crate::lang::Lang) -> Vec<&'static str> {
    vec![
        L::Meeting.text(lang),
        lang.pick("序号", "No."),
        L::Item.text(lang),
        L::What.text(lang),
        L::Owner.text(lang),
        L::Due.text(lang),
        L::Status.text(lang),
    ]
}

/// meeting, item, what, owner, due, status.
pub fn actions(meetings: &[Minutes]) -> Result<String, ExportError> {
    let lang = meetings.first().map_or(crate::lang::Lang::Zh, |m| m.lang);
    let mut rows = Vec::new();
    for m in meetings {
        for item in &m.items {
            for a in &item.actions {
                rows.push(vec![
                    m.title.clone(),
                    item.number.to_string(),
                    item.title.clone(),
                    a.what.clone(),
                    a.owner.clone(),
                    a.due.clone().unwrap_or_default(),
                    a.status_label.clone(),
                ]);
            }
        }
    }
    write(action_header(lang), rows)
}
