//! 会议纪要 in Markdown: the same sections as the Word document, for a wiki or a chat group.

use std::fmt::Write;

use super::minutes::{Label as L, Minutes};

/// Characters that would start Markdown markup are escaped, so a resolution is printed as
/// typed.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~') {
            out.push('\\');
        }
        match c {
            // As entities, so a Markdown renderer that passes HTML through shows them as text.
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Multi-line text as Markdown lines (hard breaks kept).
fn block(text: &str) -> String {
    text.lines()
        .map(|l| esc(l.trim_end()))
        .collect::<Vec<_>>()
        .join("  \n")
}

/// One Markdown document per meeting, separated by a page break.
pub fn render(meetings: &[Minutes]) -> String {
    meetings
        .iter()
        .map(one)
        .collect::<Vec<_>>()
        .join("\n<div style=\"page-break-after: always\"></div>\n\n")
}

fn one(m: &Minutes) -> String {
    let lang = m.lang;
    let t = |l: L| l.text(lang);
    let colon = lang.pick("\u{ff1a}", ": ");
    let none = t(L::None);
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", esc(&m.title));
    let _ = writeln!(o, "**{}**\n", t(L::Minutes));
    let field = |o: &mut String, l: L, v: &str| {
        let _ = writeln!(o, "- **{}**{colon}{}", t(l), esc(v));
    };
    field(&mut o, L::Time, &m.time_text);
    field(&mut o, L::Place, m.place.as_deref().unwrap_or(none));
    field(&mut o, L::Host, m.host.as_deref().unwrap_or(none));
    field(&mut o, L::Recorder, m.recorder.as_deref().unwrap_or(none));
    field(&mut o, L::Attendance, &m.attendance_text);
    for line in &m.attendance_lines {
        if line.groups.iter().any(|g| !g.role.is_empty()) {
            let _ = writeln!(o, "- **{}**{colon}{}", line.label, esc(&line.count_text));
            for r in &line.groups {
                let _ = writeln!(o, "  - {}{colon}{}", esc(&r.role), esc(&m.join(&r.names)));
            }
        } else {
            let _ = writeln!(o, "- **{}**{colon}{}", line.label, esc(&line.text(lang)));
        }
    }
    if let Some(closed) = &m.closed_text {
        field(&mut o, L::Closed, closed);
    }

    for item in &m.items {
        let _ = writeln!(
            o,
            "\n## {} {}{colon}{}\n",
            t(L::Item),
            item.number,
            esc(&item.title)
        );
        let _ = writeln!(
            o,
            "**{}**{colon}{}\n",
            t(L::Outcome),
            esc(&item.outcome_text)
        );
        if let Some(d) = &item.description {
            let _ = writeln!(o, "**{}**{colon}{}\n", t(L::Background), block(d));
        }
        if let Some(p) = &item.proposer {
            let _ = writeln!(o, "**{}**{colon}{}\n", t(L::Proposer), esc(p));
        }
        if !item.speeches.is_empty() {
            let _ = writeln!(o, "**{}**\n", t(L::Speeches));
            for (i, s) in item.speeches.iter().enumerate() {
                let _ = writeln!(o, "{}. {}", i + 1, esc(&s.line(lang)));
            }
            o.push('\n');
        }
        if !item.minutes.trim().is_empty() {
            let _ = writeln!(
                o,
                "**{}**{colon}\n\n{}\n",
                t(L::Minutes2),
                block(&item.minutes)
            );
        }
        for v in &item.votes {
            // A void tally is struck through and its result not bold: the valid one stands out.
            if v.superseded {
                let _ = writeln!(
                    o,
                    "**{}** ~~{}{colon}{}~~\n",
                    v.void_mark,
                    t(L::Vote),
                    esc(&v.question)
                );
            } else {
                let _ = writeln!(o, "**{}**{colon}{}\n", t(L::Vote), esc(&v.question));
            }
            let _ = writeln!(o, "- {}{colon}{}", t(L::Method), v.method_label);
            let _ = writeln!(o, "- {}{colon}{}", t(L::Result), esc(&v.counts_text));
            let _ = writeln!(o, "- {}{colon}{}", t(L::Rule), v.rule_label);
            if v.superseded {
                let _ = writeln!(o, "- {}{colon}{}", v.result, esc(&v.reason));
            } else {
                let _ = writeln!(o, "- **{}**{colon}{}", v.result, esc(&v.reason));
            }
            if !v.named.is_empty() {
                let _ = writeln!(o, "- {}{colon}{}", t(L::Named), esc(&v.named));
            }
            if !v.tellers.is_empty() {
                let _ = writeln!(o, "- {}{colon}{}", t(L::Tellers), esc(&m.join(&v.tellers)));
            }
            o.push('\n');
        }
        if !item.resolution.trim().is_empty() {
            let _ = writeln!(
                o,
                "**{}**{colon}{}\n",
                t(L::Resolution),
                block(&item.resolution)
            );
        }
        if !item.dissent.is_empty() {
            let _ = writeln!(o, "**{}**{colon}\n", t(L::Dissent));
            for d in &item.dissent {
                let _ = writeln!(o, "- {}", esc(&d.line(lang)));
            }
            o.push('\n');
        }
        if !item.actions.is_empty() {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |\n|---|---|---|---|",
                t(L::What),
                t(L::Owner),
                t(L::Due),
                t(L::Status)
            );
            for a in &item.actions {
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | {} |",
                    esc(&a.what),
                    esc(&a.owner),
                    a.due.as_deref().unwrap_or("—"),
                    a.status_label
                );
            }
            o.push('\n');
        }
    }
    let _ = writeln!(
        o,
        "\n## {}\n\n{}\n",
        t(L::Participation),
        esc(&m.participation.text)
    );
    let _ = writeln!(
        o,
        "{}{colon}________________    {}{colon}________________",
        t(L::Host),
        t(L::Recorder)
    );
    let _ = writeln!(o, "\n{}{colon}________________", lang.pick("日期", "Date"));
    if let Some(check) = &m.check {
        let _ = writeln!(o, "\n{}", esc(check));
    }
    o
}
