//! Before and after the meeting: `yishi agenda new` and `yishi proposals`.

use std::process::ExitCode;

use yishi::cli::{AgendaCommand, ProposalsCommand};
use yishi::domain::model::{ItemKind, MeetingKind, Millis};
use yishi::lang::Lang;
use yishi::proposals::{self, Status};
use yishi::store::{NewProposal, Store, StoreError};

use super::{Failure, all_meetings};

fn store_failure(lang: Lang) -> impl Fn(StoreError) -> Failure {
    move |e| Failure::store(e, lang)
}

/// Every proposal with its status as the meetings give it.
fn load_proposals(store: &Store, lang: Lang) -> Result<Vec<proposals::Proposal>, Failure> {
    let rows = store.proposals().map_err(store_failure(lang))?;
    let meetings = all_meetings(store, lang)?;
    Ok(proposals::all(&rows, &meetings))
}

pub fn agenda(store: &Store, command: AgendaCommand, lang: Lang) -> Result<ExitCode, Failure> {
    let AgendaCommand::New {
        output,
        kind,
        title,
        starts,
        place,
        host,
        recorder,
        roster,
        proposals: wanted,
        item,
        force,
    } = command;
    let kind = MeetingKind::parse(kind.trim())
        .or_else(|| {
            MeetingKind::ALL
                .iter()
                .copied()
                .find(|k| k.label(Lang::Zh) == kind.trim())
        })
        .ok_or_else(|| {
            Failure::input(match lang {
                Lang::Zh => format!("未知的会议类型 \"{kind}\"，可选：{}", MeetingKind::keys()),
                Lang::En => format!(
                    "unknown meeting kind \"{kind}\"; expected one of: {}",
                    MeetingKind::keys()
                ),
            })
        })?;
    if title.trim().is_empty() {
        return Err(Failure::input(
            lang.pick(
                "会议名称不能为空：请用 --title 写上会议名称",
                "the title is empty: give the meeting's title with --title",
            )
            .into(),
        ));
    }
    let starts = match starts {
        None => None,
        Some(s) => Some(yishi::prepare::starts(&s).ok_or_else(|| {
            Failure::input(match lang {
                Lang::Zh => format!(
                    "无法识别的开始时间 \"{s}\"：请写成如 \"2026-12-12 19:00\" 或 \"2026-12-12T19:00:00+08:00\""
                ),
                Lang::En => format!(
                    "cannot read the start time \"{s}\": write it like \"2026-12-12 19:00\" or \"2026-12-12T19:00:00+08:00\""
                ),
            })
        })?),
    };
    if output.exists() && !force {
        return Err(Failure::input(match lang {
            Lang::Zh => format!(
                "{} 已存在：换一个文件名，或加 --force 覆盖",
                output.display()
            ),
            Lang::En => format!(
                "{} already exists: choose another name, or add --force to overwrite it",
                output.display()
            ),
        }));
    }
    let participants = match &roster {
        None => Vec::new(),
        Some(path) => yishi::roster::load(path, lang)
            .map_err(|e| Failure::input(e.render(&path.display().to_string())))?,
    };
    let mut chosen = Vec::new();
    if !wanted.is_empty() {
        let all = load_proposals(store, lang)?;
        for n in &wanted {
            let Some(p) = all.iter().find(|p| p.id == *n) else {
                return Err(Failure::input(match lang {
                    Lang::Zh => format!("议题库中没有 #{n}：yishi proposals list 列出所有议题"),
                    Lang::En => {
                        format!("there is no proposal #{n}: yishi proposals list shows them all")
                    }
                }));
            };
            if !p.status.can_be_scheduled() {
                return Err(Failure::input(match lang {
                    Lang::Zh => format!(
                        "议题 #{n}「{}」现在是「{}」，只有已受理、延期或议而未决的议题能列入议程；先用 yishi proposals screen {n} --accept --reason … 受理",
                        p.title,
                        p.status.label(lang)
                    ),
                    Lang::En => format!(
                        "proposal #{n} \"{}\" is {}: only accepted, deferred or undecided proposals go on an agenda; accept it first with yishi proposals screen {n} --accept --reason …",
                        p.title,
                        p.status.label(lang)
                    ),
                }));
            }
            chosen.push(p.clone());
        }
    }
    let people = participants.len();
    let new = yishi::prepare::NewAgenda {
        title,
        kind,
        starts,
        place,
        host,
        recorder,
        items: item,
        proposals: chosen,
        participants,
    };
    let (text, setup) = yishi::prepare::agenda_text(new, lang).map_err(Failure::input)?;
    std::fs::write(&output, &text).map_err(|e| {
        Failure::other(match lang {
            Lang::Zh => format!(
                "无法写入 {}：{}",
                output.display(),
                yishi::store::Reason::io(&e).text(lang)
            ),
            Lang::En => format!("cannot write {}: {e}", output.display()),
        })
    })?;
    println!(
        "{}",
        match lang {
            Lang::Zh => format!(
                "已写入议程 {}（名单 {people} 人）\n{}\n用 yishi notice --agenda {} 出会议通知，用 yishi run {} 开会",
                output.display(),
                yishi::agenda::summary(&setup, lang),
                output.display(),
                output.display()
            ),
            Lang::En => format!(
                "Agenda written to {} ({people} people on the roster)\n{}\nyishi notice --agenda {} prints the notice, yishi run {} starts the meeting",
                output.display(),
                yishi::agenda::summary(&setup, lang),
                output.display(),
                output.display()
            ),
        }
    );
    Ok(ExitCode::SUCCESS)
}

pub fn proposals(
    store: &mut Store,
    command: ProposalsCommand,
    now: Millis,
    lang: Lang,
) -> Result<ExitCode, Failure> {
    match command {
        ProposalsCommand::Add {
            title,
            by,
            channel,
            kind,
            note,
        } => {
            let empty = |what: &str, flag: &str| {
                Failure::input(match lang {
                    Lang::Zh => format!("{what}不能为空：请填写 {flag}"),
                    Lang::En => format!("the {what} is empty: fill in {flag}"),
                })
            };
            if title.trim().is_empty() {
                return Err(empty(lang.pick("议题", "title"), "TITLE"));
            }
            if by.trim().is_empty() {
                return Err(empty(lang.pick("提出人", "proposer"), "--by"));
            }
            if !proposals::CHANNELS.contains(&channel.trim()) {
                return Err(Failure::input(match lang {
                    Lang::Zh => format!(
                        "未知的渠道 \"{channel}\"，可选：{}",
                        proposals::CHANNELS.join(" | ")
                    ),
                    Lang::En => format!(
                        "unknown channel \"{channel}\"; expected one of: {}",
                        proposals::CHANNELS.join(" | ")
                    ),
                }));
            }
            let Some(kind) = ItemKind::parse(kind.trim()).or_else(|| {
                ItemKind::ALL
                    .iter()
                    .copied()
                    .find(|k| k.label(Lang::Zh) == kind.trim())
            }) else {
                return Err(Failure::input(match lang {
                    Lang::Zh => format!("未知的议题类型 \"{kind}\"，可选：{}", ItemKind::keys()),
                    Lang::En => format!(
                        "unknown item kind \"{kind}\"; expected one of: {}",
                        ItemKind::keys()
                    ),
                }));
            };
            let id = store
                .add_proposal(
                    &NewProposal {
                        title: title.trim(),
                        raised_by: by.trim(),
                        channel: channel.trim(),
                        kind: kind.key(),
                        note: note.as_deref().map(str::trim).filter(|n| !n.is_empty()),
                    },
                    now,
                )
                .map_err(store_failure(lang))?;
            println!(
                "{}",
                match lang {
                    Lang::Zh => format!(
                        "已登记议题 #{id}「{}」；议事会筛选后用 yishi proposals screen {id} --accept --reason … 受理",
                        title.trim()
                    ),
                    Lang::En => format!(
                        "Proposal #{id} \"{}\" filed; after screening, yishi proposals screen {id} --accept --reason … accepts it",
                        title.trim()
                    ),
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        ProposalsCommand::List { status, json } => {
            let wanted = match status {
                None => None,
                Some(s) => Some(Status::parse(s.trim()).ok_or_else(|| {
                    Failure::input(match lang {
                        Lang::Zh => format!("未知的状态 \"{s}\"，可选：{}", Status::keys()),
                        Lang::En => {
                            format!(
                                "unknown status \"{s}\"; expected one of: {}",
                                Status::keys()
                            )
                        }
                    })
                })?),
            };
            let mut list = load_proposals(store, lang)?;
            list.retain(|p| wanted.is_none_or(|w| p.status == w));
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".into())
                );
            } else {
                print!("{}", proposals::render(&list, lang));
            }
            Ok(ExitCode::SUCCESS)
        }
        ProposalsCommand::Screen {
            id,
            accept,
            reject: _,
            reason,
        } => {
            if reason.trim().is_empty() {
                return Err(Failure::input(
                    lang.pick(
                        "理由不能为空：请用 --reason 写明受理或不予受理的理由",
                        "the reason is empty: say with --reason why it is accepted or rejected",
                    )
                    .into(),
                ));
            }
            let status = if accept { "accepted" } else { "rejected" };
            let found = store
                .screen_proposal(id, status, reason.trim(), now)
                .map_err(store_failure(lang))?;
            if !found {
                return Err(Failure::input(match lang {
                    Lang::Zh => format!("议题库中没有 #{id}：yishi proposals list 列出所有议题"),
                    Lang::En => {
                        format!("there is no proposal #{id}: yishi proposals list shows them all")
                    }
                }));
            }
            println!(
                "{}",
                match (lang, accept) {
                    (Lang::Zh, true) => format!(
                        "议题 #{id} 已受理，理由已记入记录；用 yishi agenda new --proposals {id} … 列入议程"
                    ),
                    (Lang::Zh, false) => format!("议题 #{id} 不予受理，理由已记入记录"),
                    (Lang::En, true) => format!(
                        "Proposal #{id} accepted, the reason is on record: yishi agenda new --proposals {id} … puts it on an agenda"
                    ),
                    (Lang::En, false) => {
                        format!("Proposal #{id} rejected, the reason is on record")
                    }
                }
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `yishi notice --agenda FILE`: the notice posted before the meeting, with a warning on
/// standard error when it is posted too late for the meeting's kind.
pub fn pre_notice(
    path: &std::path::Path,
    format: &str,
    output: Option<&std::path::Path>,
    date: Option<&str>,
    lang: Lang,
) -> Result<ExitCode, Failure> {
    let setup = yishi::agenda::load(path, lang)
        .map_err(|e| Failure::input(e.render(&path.display().to_string())))?;
    let posted = match date {
        Some(s) => chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
            Failure::input(match lang {
                Lang::Zh => format!("日期 \"{s}\" 无效，请按 YYYY-MM-DD 填写"),
                Lang::En => format!("\"{s}\" is not a date: write YYYY-MM-DD"),
            })
        })?,
        None => chrono::Local::now().date_naive(),
    };
    let text = yishi::prepare::notice(&setup, posted, format, lang);
    match output {
        Some(out) => {
            std::fs::write(out, &text).map_err(|e| {
                Failure::other(match lang {
                    Lang::Zh => format!(
                        "无法写入 {}：{}",
                        out.display(),
                        yishi::store::Reason::io(&e).text(lang)
                    ),
                    Lang::En => format!("cannot write {}: {e}", out.display()),
                })
            })?;
            println!(
                "{}",
                match lang {
                    Lang::Zh => format!("已写入会议通知 {}", out.display()),
                    Lang::En => format!("Meeting notice written to {}", out.display()),
                }
            );
        }
        None => print!("{text}"),
    }
    if let Some(w) = yishi::prepare::notice_warning(&setup, posted, lang) {
        eprintln!("{w}");
    }
    Ok(ExitCode::SUCCESS)
}

/// A date typed on the command line.
pub fn date_arg(s: Option<&str>, lang: Lang) -> Result<Option<chrono::NaiveDate>, Failure> {
    s.map(|s| {
        chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
            Failure::input(match lang {
                Lang::Zh => format!("日期 \"{s}\" 无效，请按 YYYY-MM-DD 填写"),
                Lang::En => format!("\"{s}\" is not a date: write YYYY-MM-DD"),
            })
        })
    })
    .transpose()
}

/// What `yishi actions` was asked to list.
pub struct ActionsList {
    pub all: bool,
    pub status: Option<String>,
    pub owner: Option<String>,
    pub meeting: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub overdue: bool,
    pub json: bool,
}

pub fn list_actions(
    store: &Store,
    request: ActionsList,
    today: chrono::NaiveDate,
    lang: Lang,
) -> Result<ExitCode, Failure> {
    use yishi::domain::state::ActionStatus;
    let status = match &request.status {
        None => None,
        Some(s) => Some(ActionStatus::parse(s.trim()).ok_or_else(|| {
            Failure::input(match lang {
                Lang::Zh => format!("未知的状态 \"{s}\"，可选：{}", ActionStatus::keys()),
                Lang::En => format!(
                    "unknown status \"{s}\"; expected one of: {}",
                    ActionStatus::keys()
                ),
            })
        })?),
    };
    if let Some(id) = request.meeting {
        store.resolve(Some(id)).map_err(store_failure(lang))?;
    }
    let filter = yishi::followup::Filter {
        status,
        owner: request.owner.clone(),
        meeting: request.meeting,
        from: date_arg(request.from.as_deref(), lang)?,
        to: date_arg(request.to.as_deref(), lang)?,
        overdue: request.overdue,
    };
    let meetings = all_meetings(store, lang)?;
    let mut rows = yishi::followup::rows(&meetings, today);
    rows.retain(|r| filter.keeps(r, today));
    if request.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&yishi::followup::json(&rows, today))
                .unwrap_or_else(|_| "[]".into())
        );
    } else {
        let closed = request.all || filter.asks_for_closed();
        print!("{}", yishi::followup::render(&rows, today, closed, lang));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn stats(
    store: &Store,
    from: Option<String>,
    to: Option<String>,
    json: bool,
    now: Millis,
    today: chrono::NaiveDate,
    lang: Lang,
) -> Result<ExitCode, Failure> {
    let from = date_arg(from.as_deref(), lang)?;
    let to = date_arg(to.as_deref(), lang)?;
    let meetings = all_meetings(store, lang)?;
    let rows = store.proposals().map_err(store_failure(lang))?;
    let list = proposals::all(&rows, &meetings);
    let period = yishi::stats::period(&meetings, &list, from, to, now, today);
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&period).unwrap_or_else(|_| "{}".into())
        );
    } else {
        print!("{}", yishi::stats::render(&period, lang));
    }
    Ok(ExitCode::SUCCESS)
}
