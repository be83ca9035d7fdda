//! 会议纪要 as a web page that prints on A4. The page is a minijinja template named `.html`,
//! so every value is HTML-escaped by the engine, never by hand.

use std::collections::BTreeMap;

use minijinja::{Environment, context};

use super::ExportError;
use super::minutes::{Label as L, Minutes};
use crate::lang::Lang;

const MINUTES: &str = include_str!("templates/minutes.html");

/// An environment with the templates of this module (auto-escape by the `.html` name).
pub(crate) fn environment() -> Result<Environment<'static>, ExportError> {
    let mut env = Environment::new();
    env.add_template("minutes.html", MINUTES)?;
    env.add_template("notice.html", super::notice::TEMPLATE)?;
    Ok(env)
}

/// The fixed words of the page, by the names the template uses.
pub(crate) fn labels(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    let mut l = BTreeMap::new();
    for (k, v) in [
        ("minutes", L::Minutes),
        ("time", L::Time),
        ("place", L::Place),
        ("host", L::Host),
        ("recorder", L::Recorder),
        ("attendance", L::Attendance),
        ("present", L::Present),
        ("absent", L::Absent),
        ("leave", L::Leave),
        ("item", L::Item),
        ("proposer", L::Proposer),
        ("speeches", L::Speeches),
        ("record", L::Minutes2),
        ("vote", L::Vote),
        ("rule", L::Rule),
        ("method", L::Method),
        ("result", L::Result),
        ("resolution", L::Resolution),
        ("dissent", L::Dissent),
        ("owner", L::Owner),
        ("due", L::Due),
        ("status", L::Status),
        ("participation", L::Participation),
        ("superseded", L::Superseded),
        ("tellers", L::Tellers),
        ("named", L::Named),
        ("none", L::None),
        ("question", L::Question),
        ("what", L::What),
        ("outcome", L::Outcome),
        ("background", L::Background),
        ("closed", L::Closed),
    ] {
        l.insert(k, v.text(lang));
    }
    l.insert("colon", lang.pick("\u{ff1a}", ": "));
    l.insert("lp", lang.pick("\u{ff08}", " ("));
    l.insert("semicolon", lang.pick("\u{ff1b}", "; "));
    l.insert("gap", lang.pick("", " "));
    l.insert("rp", lang.pick("\u{ff09}", ")"));
    l.insert("sep", lang.pick("、", ", "));
    l.insert("sign", lang.pick("（签字）", " (signature)"));
    l.insert("date", lang.pick("日期", "Date"));
    l
}

/// One HTML document; several meetings are separated by page breaks.
pub fn render(meetings: &[Minutes]) -> Result<String, ExportError> {
    let lang = meetings.first().map_or(Lang::Zh, |m| m.lang);
    let env = environment()?;
    let page = env.get_template("minutes.html")?.render(context! {
        lang => lang.code(),
        l => labels(lang),
        meetings => minijinja::value::Serde(meetings),
    })?;
    Ok(page)
}
