//! `yishi agenda new`: an agenda written for the social worker, from a roster spreadsheet and
//! the accepted proposals of the 议题库, that `yishi check` and `yishi run` take unchanged.

use crate::agenda;
use crate::domain::model::{ItemKind, ItemSpec, MeetingKind, MeetingSpec, Participant, Setup};
use crate::domain::quorum::Quorum;
use crate::lang::Lang;
use crate::proposals::Proposal;

/// What the command line gives.
pub struct NewAgenda {
    pub title: String,
    pub kind: MeetingKind,
    pub starts: Option<String>,
    pub place: Option<String>,
    pub host: Option<String>,
    pub recorder: Option<String>,
    /// Items typed on the command line.
    pub items: Vec<String>,
    /// Proposals to put on the agenda, in the order given.
    pub proposals: Vec<Proposal>,
    pub participants: Vec<Participant>,
}

/// A start time as people type it — `2026-12-12 19:00` (in the local time zone) or RFC 3339 —
/// as the agenda keeps it.
pub fn starts(text: &str) -> Option<String> {
    let text = text.trim();
    if chrono::DateTime::parse_from_rfc3339(text).is_ok() {
        return Some(text.to_string());
    }
    let naive = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(text, f).ok())?;
    use chrono::TimeZone;
    let local = chrono::Local.from_local_datetime(&naive).earliest()?;
    Some(local.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
}

fn item_kind(kind: &str) -> ItemKind {
    ItemKind::parse(kind)
        .or_else(|| {
            ItemKind::ALL
                .iter()
                .copied()
                .find(|k| k.label(Lang::Zh) == kind || k.label(Lang::En) == kind)
        })
        .unwrap_or(ItemKind::Other)
}

/// The agenda text, checked as `yishi check` would; or every problem, one a line.
pub fn agenda_text(new: NewAgenda, lang: Lang) -> Result<(String, Setup), String> {
    let mut items: Vec<ItemSpec> = new
        .proposals
        .iter()
        .map(|p| ItemSpec {
            title: p.title.clone(),
            kind: item_kind(&p.kind),
            proposer: Some(p.raised_by.clone()),
            planned_secs: 1200,
            description: p.note.clone(),
            vote: None,
            proposal: Some(p.id),
            reviews: None,
        })
        .collect();
    items.extend(new.items.iter().map(|t| ItemSpec {
        title: t.trim().to_string(),
        kind: ItemKind::Other,
        proposer: None,
        planned_secs: 1200,
        description: None,
        vote: None,
        proposal: None,
        reviews: None,
    }));
    if items.is_empty() {
        return Err(lang
            .pick(
                "议程里还没有议题：请用 --item \"议题\" 写上议题，或用 --proposals 编号 从议题库选取",
                "the agenda has no items yet: add one with --item \"title\", or take proposals with --proposals NUMBERS",
            )
            .to_string());
    }
    let setup = Setup {
        meeting: MeetingSpec {
            notice_posted: None,
            title: new.title.trim().to_string(),
            kind: new.kind,
            starts: new.starts,
            place: new.place,
            host: new.host,
            recorder: new.recorder,
            speaker_limit_secs: 180,
            eligible: None,
            quorum: if new.kind == MeetingKind::OwnersMeeting {
                Quorum::TwoThirds
            } else {
                Quorum::Majority
            },
            objection_days: None,
            total_area: None,
            max_proxies: None,
            issuer: None,
            contact: None,
        },
        participants: new.participants,
        items,
    };
    let text = agenda::to_toml(&setup);
    match agenda::parse(&text, lang) {
        Ok(parsed) => Ok((text, parsed)),
        Err(problems) => Err(problems
            .iter()
            .map(|p| p.message.clone())
            .collect::<Vec<_>>()
            .join("\n")),
    }
}

/// Days a meeting of this kind must be announced before it is held, where a rule says so:
/// an owners' meeting 15 days before, an owners' committee meeting 7 days before
/// (《业主大会和业主委员会指导规则》).
pub fn notice_days_needed(kind: MeetingKind) -> Option<i64> {
    match kind {
        MeetingKind::OwnersMeeting => Some(15),
        MeetingKind::OwnersCommitteeMeeting => Some(7),
        _ => None,
    }
}

/// The day a meeting is held, in its own time zone.
fn meeting_day(setup: &Setup) -> Option<chrono::NaiveDate> {
    let starts = setup.meeting.starts.as_deref()?;
    chrono::DateTime::parse_from_rfc3339(starts)
        .ok()
        .map(|t| t.date_naive())
}

/// A warning when a notice posted on `posted` leaves fewer days than the meeting's kind needs.
pub fn notice_warning(setup: &Setup, posted: chrono::NaiveDate, lang: Lang) -> Option<String> {
    let needed = notice_days_needed(setup.meeting.kind)?;
    let day = meeting_day(setup)?;
    let left = (day - posted).num_days();
    (left < needed).then(|| match lang {
        Lang::Zh => format!(
            "提醒：{}应当至少提前 {needed} 天通知，{posted} 张贴的通知离开会（{day}）只有 {left} 天；请改期，或尽早张贴",
            setup.meeting.kind.label(lang)
        ),
        Lang::En => format!(
            "warning: an {} must be announced at least {needed} days before, but a notice posted on {posted} leaves only {left} days before the meeting ({day}); move the meeting or post the notice sooner",
            setup.meeting.kind.label(lang)
        ),
    })
}

/// What `yishi check` adds for an agenda that loads: the notice the agenda records as posted,
/// if it was posted too late.
pub fn check_warnings(setup: &Setup, lang: Lang) -> Vec<String> {
    setup
        .meeting
        .notice_posted
        .as_deref()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .and_then(|posted| notice_warning(setup, posted, lang))
        .into_iter()
        .collect()
}

/// The pre-meeting notice (会议通知 / 会前公示): when and where, the items with who raised
/// them, who attends and who votes, and how to send an opinion before the day. Names are
/// masked as in the public notice of results; the participant list is given by role.
pub fn notice(setup: &Setup, posted: chrono::NaiveDate, format: &str, lang: Lang) -> String {
    use crate::export::mask::mask_name;
    let m = &setup.meeting;
    let zh = lang == Lang::Zh;
    let colon = if zh { "：" } else { ": " };
    let heading = lang.pick("会议通知", "Meeting notice").to_string();
    let mut facts: Vec<(String, String)> = Vec::new();
    if let Some(s) = &m.starts {
        facts.push((lang.pick("时间", "When").into(), lang.datetime(s)));
    }
    if let Some(p) = &m.place {
        facts.push((lang.pick("地点", "Where").into(), p.clone()));
    }
    facts.push((
        lang.pick("会议类型", "Kind").into(),
        m.kind.label(lang).to_string(),
    ));
    if let Some(h) = &m.host {
        facts.push((lang.pick("主持人", "Host").into(), h.clone()));
    }
    let items: Vec<String> = setup
        .items
        .iter()
        .map(|i| match &i.proposer {
            Some(p) if zh => format!("{}（{}提出）", i.title, mask_name(p)),
            Some(p) => format!("{} (raised by {})", i.title, mask_name(p)),
            None => i.title.clone(),
        })
        .collect();
    let owners = m.kind == MeetingKind::OwnersMeeting;
    let people = if owners {
        lang.pick("业主", "Owners")
    } else {
        lang.pick("居民", "Residents")
    };
    // Who attends, by role, in the order roles are listed.
    let mut by_role: Vec<String> = Vec::new();
    for role in crate::domain::model::Role::ALL {
        let n = setup
            .participants
            .iter()
            .filter(|p| p.role == *role)
            .count();
        if n > 0 {
            // At an owners' meeting the residents on the roster are its owners.
            let label = match (role, owners) {
                (crate::domain::model::Role::Resident, true) => lang.pick("业主", "owners"),
                _ => role.label(lang),
            };
            by_role.push(match lang {
                Lang::Zh => format!("{label} {n} 人"),
                Lang::En => format!("{label} {n}"),
            });
        }
    }
    let attend = match lang {
        Lang::Zh => format!(
            "{}；共 {} 人，其中有表决权的 {} 人",
            by_role.join("、"),
            setup.participants.len(),
            setup.voters()
        ),
        Lang::En => format!(
            "{}; {} in all, {} of them voting",
            by_role.join(", "),
            setup.participants.len(),
            setup.voters()
        ),
    };
    if !setup.participants.is_empty() {
        facts.push((lang.pick("参会人员", "Attending").into(), attend));
    }
    let opinions = match (lang, &m.host) {
        (Lang::Zh, Some(h)) => format!(
            "对以上议题有意见或建议的{people}，请在会前向{h}或居委会反映，也可在会上登记发言。"
        ),
        (Lang::Zh, None) => {
            format!("对以上议题有意见或建议的{people}，请在会前向居委会反映，也可在会上登记发言。")
        }
        (Lang::En, Some(h)) => format!(
            "{people} with a view on these items can tell {h} or the residents' committee before the meeting, or ask to speak on the day."
        ),
        (Lang::En, None) => format!(
            "{people} with a view on these items can tell the residents' committee before the meeting, or ask to speak on the day."
        ),
    };
    let posted_line = match (lang, meeting_day(setup)) {
        (Lang::Zh, Some(day)) => format!(
            "张贴日期：{posted}（距开会 {} 天）",
            (day - posted).num_days()
        ),
        (Lang::Zh, None) => format!("张贴日期：{posted}"),
        (Lang::En, Some(day)) => format!(
            "Posted {posted} ({} days before the meeting)",
            (day - posted).num_days()
        ),
        (Lang::En, None) => format!("Posted {posted}"),
    };
    let items_label = lang.pick("议题", "Items");
    let mut out = String::new();
    match format {
        "md" => {
            out.push_str(&format!("# {heading}\n\n## {}\n\n", m.title));
            for (k, v) in &facts {
                out.push_str(&format!("- **{k}**{colon}{v}\n"));
            }
            out.push_str(&format!("\n## {items_label}\n\n"));
            for (n, i) in items.iter().enumerate() {
                out.push_str(&format!("{}. {i}\n", n + 1));
            }
            out.push_str(&format!("\n{opinions}\n\n{posted_line}\n"));
        }
        "html" => {
            let e = |s: &str| {
                s.replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
                    .replace('"', "&quot;")
            };
            out.push_str(&format!(
                "<!DOCTYPE html>\n<html lang=\"{}\">\n<head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n<h1>{}</h1>\n<h2>{}</h2>\n<ul>\n",
                lang.code(),
                e(&m.title),
                e(&heading),
                e(&m.title)
            ));
            for (k, v) in &facts {
                out.push_str(&format!(
                    "<li><strong>{}</strong>{colon}{}</li>\n",
                    e(k),
                    e(v)
                ));
            }
            out.push_str(&format!("</ul>\n<h2>{}</h2>\n<ol>\n", e(items_label)));
            for i in &items {
                out.push_str(&format!("<li>{}</li>\n", e(i)));
            }
            out.push_str(&format!(
                "</ol>\n<p>{}</p>\n<p>{}</p>\n</body>\n</html>\n",
                e(&opinions),
                e(&posted_line)
            ));
        }
        _ => {
            out.push_str(&format!("{heading}\n{}\n\n", m.title));
            for (k, v) in &facts {
                out.push_str(&format!("{k}{colon}{v}\n"));
            }
            out.push_str(&format!("\n{items_label}{colon}\n"));
            for (n, i) in items.iter().enumerate() {
                out.push_str(&format!("  {}. {i}\n", n + 1));
            }
            out.push_str(&format!("\n{opinions}\n\n{posted_line}\n"));
        }
    }
    out
}
