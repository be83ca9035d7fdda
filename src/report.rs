//! Plain-text answers of the command line: `list`, `show`, `verify`.

use std::fmt::Write;

use crate::domain::model::Millis;
use crate::domain::state::{ActionStatus, State};
use crate::domain::tally::Votes;
use crate::domain::timer::clock;
use crate::lang::Lang;
use crate::store::{Anchor, Audit, ChainProblem, Finding, MeetingId, MeetingRow, Verification};

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
        let when = lang.datetime(r.starts.as_deref().unwrap_or(&r.opened_at));
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
    let _ = writeln!(out, "#{id} {}{}", m.title, lang.paren(m.kind.label(lang)));
    let field = |zh_label: &str, en_label: &str, v: &Option<String>| {
        v.as_ref()
            .map(|v| format!("{}{v}", if zh { zh_label } else { en_label }))
    };
    let header: Vec<String> = [
        field(
            "时间：",
            "Time: ",
            &m.starts.as_deref().map(|t| lang.datetime(t)),
        ),
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
        // Once the meeting is closed, the item it ended on was discussed, not under way.
        let status = match item.status {
            crate::domain::state::ItemStatus::Current if s.ended_at.is_some() => {
                crate::domain::state::ItemStatus::Discussed
            }
            other => other,
        };
        let _ = writeln!(
            out,
            "{:>2}. [{}] {}  {used}/{planned}",
            i + 1,
            status.label(lang),
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
                    parts.join(lang.pick("\u{ff0c}", ", "))
                }
            };
            let _ = writeln!(
                out,
                "    {}{counts}{}{}",
                lang.pick("表决：", "Vote: "),
                lang.pick("。", ". "),
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
    let open = s.actions.iter().filter(|a| a.is_open()).count();
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
                "操作日志完好：共 {entries} 条操作，哈希链未被改动（末条哈希 {}）",
                &head[..16.min(head.len())]
            )
        }
        (Verification::Intact { entries, head }, Lang::En) => {
            format!(
                "The log is intact: {entries} entries, hash chain unbroken (head {})",
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

/// What `yishi verify` prints: the chain, then each difference between the tables and the log
/// (the first 50, and how many more).
pub fn audit(a: &Audit, lang: Lang) -> String {
    let mut out = verification(&a.chain, lang);
    out.push('\n');
    if a.findings.is_empty() {
        out.push_str(lang.pick(
            "各数据表与操作日志一致：会议、人员、签到、议题、发言、表决、决议、保留意见、待办均可由日志重建",
            "Every table agrees with the log: meetings, people, attendance, items, speeches, votes, resolutions, dissent and actions all rebuild from it",
        ));
        out.push('\n');
        return out;
    }
    let _ = writeln!(
        out,
        "{}",
        match lang {
            Lang::Zh => format!(
                "数据表与操作日志不一致，共 {} 处（数据表被直接改动过，以日志为准）：",
                a.findings.len()
            ),
            Lang::En => format!(
                "The tables disagree with the log in {} {} (they were edited directly; the log is the record):",
                a.findings.len(),
                if a.findings.len() == 1 {
                    "place"
                } else {
                    "places"
                }
            ),
        }
    );
    for f in a.findings.iter().take(50) {
        let _ = writeln!(out, "  {}", finding(f, lang));
    }
    if a.findings.len() > 50 {
        let _ = writeln!(
            out,
            "  {}",
            match lang {
                Lang::Zh => format!("……另有 {} 处", a.findings.len() - 50),
                Lang::En => format!("… and {} more", a.findings.len() - 50),
            }
        );
    }
    out
}

fn finding(f: &Finding, lang: Lang) -> String {
    // A value on one line, cut where it is long: enough to find it with an SQLite tool.
    let short = |v: &str| {
        let one: String = v.replace("\r\n", "↵").replace(['\n', '\r'], "↵");
        match one.char_indices().nth(60) {
            Some((i, _)) => format!("{}…", &one[..i]),
            None => one,
        }
    };
    let f = &match f {
        Finding::Differs {
            table,
            row,
            column,
            found,
            expected,
        } => Finding::Differs {
            table,
            row: row.clone(),
            column: column.clone(),
            found: short(found),
            expected: short(expected),
        },
        other => other.clone(),
    };
    match (f, lang) {
        (
            Finding::Differs {
                table,
                row,
                column,
                found,
                expected,
            },
            Lang::Zh,
        ) => format!("{table}（{row}）的 {column} 为「{found}」，日志记载为「{expected}」"),
        (
            Finding::Differs {
                table,
                row,
                column,
                found,
                expected,
            },
            Lang::En,
        ) => format!("{table} ({row}): {column} is \"{found}\", the log says \"{expected}\""),
        (Finding::Missing { table, row }, Lang::Zh) => {
            format!("{table}（{row}）：日志中有这一行，数据表中被删去了")
        }
        (Finding::Missing { table, row }, Lang::En) => {
            format!("{table} ({row}): in the log, deleted from the table")
        }
        (Finding::Extra { table, row }, Lang::Zh) => {
            format!("{table}（{row}）：数据表中多出这一行，日志中没有")
        }
        (Finding::Extra { table, row }, Lang::En) => {
            format!("{table} ({row}): in the table, not in the log")
        }
        (Finding::MeetingWithoutLog(m), Lang::Zh) => {
            format!("会议 #{m} 列在会议表中，却没有任何操作日志（日志被删除，或会议是伪造的）")
        }
        (Finding::MeetingWithoutLog(m), Lang::En) => format!(
            "Meeting #{m} is listed but has no log at all (its log was deleted, or the meeting is forged)"
        ),
        (Finding::LogWithoutMeeting(m), Lang::Zh) => {
            format!("操作日志中有会议 #{m}，会议表中却没有（会议行被删除）")
        }
        (Finding::LogWithoutMeeting(m), Lang::En) => {
            format!("The log holds meeting #{m}, the meetings table does not (its row was deleted)")
        }
        (Finding::Unreadable(m, why), Lang::Zh) => format!("会议 #{m} 的日志无法读取：{why}"),
        (Finding::Unreadable(m, why), Lang::En) => {
            format!("The log of meeting #{m} cannot be read: {why}")
        }
        (Finding::Snapshot(m), Lang::Zh) => format!(
            "会议 #{m} 的快照（控制台打开会议时的起点）与日志不符：快照被改动过；导出仍按日志写出，删去 snapshots 表中这一行即可恢复"
        ),
        (Finding::Snapshot(m), Lang::En) => format!(
            "The snapshot of meeting #{m} (where a console opens it from) differs from its log: it was changed; exports are still written from the log, and deleting its row in the snapshots table mends it"
        ),
    }
}

/// `verify --expect CODE`: whether the entry a printed check code names is still there.
pub fn expectation(code: &str, found: Option<&Anchor>, intact: bool, lang: Lang) -> String {
    match (found, intact, lang) {
        (Some(a), true, Lang::Zh) => format!(
            "校验码 {code} 与记录相符：第 {} 条操作（会议 #{}，{}）仍在，此前的记录未被改动",
            a.seq, a.meeting, a.at_text
        ),
        (Some(a), true, Lang::En) => format!(
            "Check code {code} matches: entry {} (meeting #{}, {}) is still in the record, and nothing before it was changed",
            a.seq, a.meeting, a.at_text
        ),
        (Some(a), false, Lang::Zh) => format!(
            "校验码 {code} 对应第 {} 条操作，但记录已被改动（见上），不能据此证明",
            a.seq
        ),
        (Some(a), false, Lang::En) => format!(
            "Check code {code} names entry {}, but the record was changed (see above): it proves nothing",
            a.seq
        ),
        (None, _, Lang::Zh) => {
            format!("校验码 {code} 在这份记录中找不到：这不是签字时的那份记录，或记录已被改写")
        }
        (None, _, Lang::En) => format!(
            "Check code {code} is not in this record: it is not the record that was signed, or it was rewritten"
        ),
    }
}

/// The figures of one meeting a community reports on, and the three failures the policies name:
/// 议而不决 (discussed, never decided), 决而不行 (decided, never acted on) and 行而不果 (acted
/// on, never checked: done actions nobody has reviewed yet).
#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    pub attended: u32,
    pub eligible: u32,
    /// Residents' and their representatives' share of speaking time, in per cent.
    pub residents_share: Option<u64>,
    pub speakers: usize,
    pub decided: usize,
    /// Discussed, but no vote and no resolution.
    pub undecided: usize,
    pub deferred: usize,
    pub actions: usize,
    pub actions_done: usize,
    pub actions_overdue: usize,
}

pub fn figures(s: &State, now: Millis, today: chrono::NaiveDate) -> Figures {
    use crate::domain::model::RoleGroup;
    use crate::domain::state::ItemStatus;
    let groups = s.time_by_group(None, now);
    let total: Millis = groups.values().sum();
    let residents = groups.get(&RoleGroup::Residents).copied().unwrap_or(0);
    let decided = |i: &crate::domain::state::Item| s.is_decided(i);
    let overdue = s
        .actions
        .iter()
        .filter(|a| a.overdue_days(today).is_some())
        .count();
    Figures {
        attended: s.voters_present(),
        eligible: s.eligible(),
        residents_share: (total > 0).then(|| (residents * 100 / total) as u64),
        speakers: s.time_by_person(None, now).len(),
        decided: s.items.iter().filter(|i| decided(i)).count(),
        undecided: s
            .items
            .iter()
            .filter(|i| {
                let left = i.status == ItemStatus::Discussed
                    || (i.status == ItemStatus::Current && s.ended_at.is_some());
                left && !decided(i)
            })
            .count(),
        deferred: s
            .items
            .iter()
            .filter(|i| i.status == ItemStatus::Deferred)
            .count(),
        actions: s.actions.len(),
        actions_done: s
            .actions
            .iter()
            .filter(|a| a.status == ActionStatus::Done)
            .count(),
        actions_overdue: overdue,
    }
}
