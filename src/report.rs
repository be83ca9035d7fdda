//! Plain-text answers of the command line: `list`, `show`, `verify`.

use std::fmt::Write;

use crate::domain::model::Millis;
use crate::domain::state::{ActionStatus, State};
use crate::domain::tally::Votes;
use crate::domain::timer::clock;
use crate::lang::Lang;
use crate::store::{ChainProblem, MeetingId, MeetingRow, Verification};

pub fn list(rows: &[MeetingRow], lang: Lang) -> String {
    if rows.is_empty() {
        return format!(
            "{}\n",
            lang.pick("数据库中还没有会议。", "No meetings yet.")
        );
    }
    let mut out = String::new();
    for r in rows {
        let status = match (r.status.as_str(), lang) {
            ("ended", Lang::Zh) => "已结束",
            ("ended", Lang::En) => "ended",
            (_, Lang::Zh) => "进行中",
            (_, Lang::En) => "open",
        };
        let when = r.starts.as_deref().unwrap_or(&r.opened_at);
        let _ = match lang {
            Lang::Zh => writeln!(
                out,
                "{:>3}  {}  {}  [{status}] 议题 {} 项，实到 {}/{}",
                r.id, when, r.title, r.items, r.present, r.eligible
            ),
            Lang::En => writeln!(
                out,
                "{:>3}  {}  {}  [{status}] {} items, {}/{} present",
                r.id, when, r.title, r.items, r.present, r.eligible
            ),
        };
    }
    out
}

pub fn summary(id: MeetingId, s: &State, now: Millis, lang: Lang) -> String {
    let mut out = String::new();
    let m = &s.meeting;
    let zh = lang == Lang::Zh;
    let _ = writeln!(out, "#{id} {} ({})", m.title, m.kind.label(lang));
    let field = |zh_label: &str, en_label: &str, v: &Option<String>| {
        v.as_ref()
            .map(|v| format!("{}{v}", if zh { zh_label } else { en_label }))
    };
    let header: Vec<String> = [
        field("时间：", "Time: ", &m.starts),
        field("地点：", "Place: ", &m.place),
        field("主持人：", "Host: ", &m.host),
        field("记录人：", "Recorder: ", &m.recorder),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !header.is_empty() {
        let _ = writeln!(out, "{}", header.join("  "));
    }
    let _ = writeln!(out, "{}", s.quorum().describe(lang));
    for (i, item) in s.items.iter().enumerate() {
        let used = clock(item.timer.elapsed(now));
        let planned = clock(item.spec.planned_secs as i64 * 1000);
        let _ = writeln!(
            out,
            "{:>2}. [{}] {}  {used}/{planned}",
            i + 1,
            item.status.label(lang),
            item.spec.title
        );
        if let Some(v) = s.vote_of(item.id) {
            let counts = match &v.votes {
                Votes::YesNo { yes, no, abstain } => match lang {
                    Lang::Zh => format!(
                        "赞成 {}，反对 {}，弃权 {}",
                        yes.heads, no.heads, abstain.heads
                    ),
                    Lang::En => format!(
                        "{} yes, {} no, {} abstain",
                        yes.heads, no.heads, abstain.heads
                    ),
                },
                Votes::Options { counts, abstain } => {
                    let mut parts: Vec<String> = v
                        .options
                        .iter()
                        .zip(counts)
                        .map(|(o, c)| format!("{o} {c}"))
                        .collect();
                    parts.push(format!("{} {abstain}", lang.pick("弃权", "abstain")));
                    parts.join(", ")
                }
            };
            let _ = writeln!(
                out,
                "    {}{counts}。{}",
                lang.pick("表决：", "Vote: "),
                v.outcome.reason.describe(lang, &v.options)
            );
        }
        if !item.resolution.is_empty() {
            let _ = writeln!(
                out,
                "    {}{}",
                lang.pick("决议：", "Resolution: "),
                item.resolution.replace('\n', " ")
            );
        }
        for d in &item.dissent {
            let who = d.name.as_deref().unwrap_or("");
            let _ = writeln!(
                out,
                "    {}{who}{}{}",
                lang.pick("保留意见：", "Dissent: "),
                if who.is_empty() {
                    ""
                } else {
                    lang.pick("\u{ff1a}", ": ")
                },
                d.text
            );
        }
    }
    let open = s
        .actions
        .iter()
        .filter(|a| matches!(a.status, ActionStatus::Open | ActionStatus::InProgress))
        .count();
    if !s.actions.is_empty() {
        let _ = match lang {
            Lang::Zh => writeln!(out, "待办事项 {} 项，未完成 {open} 项", s.actions.len()),
            Lang::En => writeln!(out, "{} action items, {open} not done", s.actions.len()),
        };
    }
    out
}

pub fn verification(v: &Verification, lang: Lang) -> String {
    match (v, lang) {
        (Verification::Intact { entries, head }, Lang::Zh) => {
            format!(
                "记录完好：共 {entries} 条操作，哈希链未被改动（末条哈希 {}）",
                &head[..16.min(head.len())]
            )
        }
        (Verification::Intact { entries, head }, Lang::En) => {
            format!(
                "The record is intact: {entries} entries, hash chain unbroken (head {})",
                &head[..16.min(head.len())]
            )
        }
        (
            Verification::Broken {
                seq,
                meeting,
                problem,
            },
            _,
        ) => {
            let m = meeting
                .map(|m| format!("{}{m}", lang.pick("，会议 #", ", meeting #")))
                .unwrap_or_default();
            match (problem, lang) {
                (ChainProblem::Edited, Lang::Zh) => {
                    format!("记录被改动：第 {seq} 条操作{m}的内容与写入时不符")
                }
                (ChainProblem::Edited, Lang::En) => {
                    format!("The record was edited: entry {seq}{m} differs from what was written")
                }
                (ChainProblem::Missing, Lang::Zh) => {
                    format!("记录不完整：第 {seq} 条操作{m}之前有条目被删除或插入")
                }
                (ChainProblem::Missing, Lang::En) => format!(
                    "The record is incomplete: entries before entry {seq}{m} were removed or inserted"
                ),
                (ChainProblem::Truncated, Lang::Zh) => {
                    format!("记录被截断：从第 {seq} 条起的最新操作不见了")
                }
                (ChainProblem::Truncated, Lang::En) => format!(
                    "The record was cut short: the newest entries from entry {seq} on are gone"
                ),
            }
        }
    }
}
