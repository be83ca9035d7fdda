//! Vote rules and the tally: who must say yes, out of which base, for an item to pass.
//! Exact integer arithmetic only (areas in hundredths of m²); never a float comparison.

use serde::{Deserialize, Serialize};

use super::model::{Area, keyed_enum};
use crate::lang::Lang;

keyed_enum! {
    /// The legal rule a vote is decided by (DESIGN.md, "Vote rules").
    Rule {
        Simple = "simple", "简单多数(赞成多于反对)", "simple majority of votes cast";
        MajorityPresent = "majority_present", "到会人数过半数", "majority of those present";
        MajorityEligible = "majority_eligible", "应到人数过半数", "majority of all eligible";
        TwoThirdsCast = "two_thirds_cast", "投票数三分之二以上", "two thirds of votes cast";
        TwoThirdsPresent = "two_thirds_present", "到会人数三分之二以上", "two thirds of those present";
        TwoThirdsEligible = "two_thirds_eligible", "应到人数三分之二以上", "two thirds of all eligible";
        ThreeQuartersCast = "three_quarters_cast", "投票数四分之三以上", "three quarters of votes cast";
        ThreeQuartersPresent = "three_quarters_present", "到会人数四分之三以上", "three quarters of those present";
        ThreeQuartersEligible = "three_quarters_eligible", "应到人数四分之三以上", "three quarters of all eligible";
        OwnersOrdinary = "owners_ordinary", "业主共同决定一般事项(民法典第278条)", "owners' ordinary matter (Civil Code art. 278)";
        OwnersMajor = "owners_major", "业主共同决定重大事项(民法典第278条)", "owners' major matter (Civil Code art. 278)";
        Plurality = "plurality", "相对多数(得票最多者)", "plurality (most votes wins)";
        Consensus = "consensus", "协商一致(无人反对)", "consensus (nobody objects)";
    }
}

keyed_enum! {
    /// How the votes were taken.
    Method {
        ShowOfHands = "show_of_hands", "举手表决", "show of hands";
        RollCall = "roll_call", "记名表决", "roll call";
        SecretBallot = "secret_ballot", "无记名投票", "secret ballot";
    }
}

keyed_enum! {
    /// One voter's answer in a roll call.
    Choice {
        Yes = "yes", "赞成", "yes";
        No = "no", "反对", "no";
        Abstain = "abstain", "弃权", "abstain";
    }
}

keyed_enum! {
    /// What a rule's fraction is taken of.
    BaseKind {
        Cast = "cast", "投票数", "votes cast";
        Present = "present", "到会人数", "those present";
        Eligible = "eligible", "应到人数", "all eligible";
        Participating = "participating", "参与表决业主", "participating owners";
        Options = "options", "各选项得票", "votes per option";
    }
}

/// Heads and, for owners' rules, the area behind them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weight {
    pub heads: u32,
    pub area: Area,
}

/// What was counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Votes {
    /// Yes / no / abstain. In a show of hands the areas are zero.
    YesNo {
        yes: Weight,
        no: Weight,
        abstain: Weight,
    },
    /// One count per option, in the agenda's order (plurality).
    Options { counts: Vec<u32>, abstain: u32 },
}

/// Who could have voted when the vote was taken.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Electorate {
    /// Voters present (in person, online or by proxy).
    pub present: u32,
    /// 应到: all eligible voters (for owners' rules: all owners, by headcount).
    pub eligible: u32,
    /// For owners' rules: the area of all owners' units.
    pub eligible_area: Area,
}

/// Why a vote passed or failed, with the numbers, so it can be said in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A yes count measured against a base: `simple` and every majority, two-thirds and
    /// three-quarters rule. `needed` is the smallest yes count that would have passed
    /// (for `simple`: one more than `no`).
    Threshold {
        rule: Rule,
        yes: u32,
        no: u32,
        base: BaseKind,
        base_count: u32,
        needed: u32,
        met: bool,
    },
    /// Nobody in the base (no votes cast, nobody present or nobody eligible): nothing can pass.
    EmptyBase { rule: Rule, base: BaseKind },
    /// Owners' rules: fewer than two thirds of the owners took part, by area, heads or both.
    OwnersParticipation {
        heads: u32,
        eligible: u32,
        area: Area,
        eligible_area: Area,
        heads_met: bool,
        area_met: bool,
    },
    /// Owners' rules: enough owners took part; the double majority among those who did.
    OwnersDecision {
        rule: Rule,
        yes_heads: u32,
        heads: u32,
        yes_area: Area,
        area: Area,
        eligible: u32,
        eligible_area: Area,
        heads_met: bool,
        area_met: bool,
    },
    /// Plurality: the counts per option, the winner, or the options tied for first place.
    Plurality {
        counts: Vec<u32>,
        abstain: u32,
        winner: Option<usize>,
        tied: Vec<usize>,
    },
    /// Consensus: passes when nobody objects and somebody took part.
    Consensus {
        objections: u32,
        yes: u32,
        abstain: u32,
    },
}

/// The result of a tally.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub passed: bool,
    /// For plurality: the winning option, `None` on a tie or when nothing was cast.
    pub winner: Option<usize>,
    /// For plurality: the options tied for first place (empty unless there is a tie).
    pub tied: Vec<usize>,
    pub base: BaseKind,
    /// The size of the base (for owners' rules: participating owners by headcount).
    pub base_count: u32,
    pub reason: Reason,
}

/// A tally that cannot be decided as entered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TallyError {
    /// More heads counted than are present.
    #[error("{counted} counted, but only {present} present")]
    MoreThanPresent { counted: u64, present: u32 },
    /// More heads counted than are eligible (rules on all eligible, owners' rules).
    #[error("{counted} counted, but only {eligible} eligible")]
    MoreThanEligible { counted: u64, eligible: u32 },
    /// Owners' rules: more area counted than all owners' units together.
    #[error("{} m² counted, but all owners' units total only {} m²", m2(.counted), m2(.eligible))]
    AreaMoreThanEligible { counted: Area, eligible: Area },
    /// Owners' rules need the area of every owner's unit (a roll call with areas).
    #[error("rule {} needs the owners' areas: take a roll call with areas", .rule.key())]
    NeedsAreas { rule: Rule },
    /// Owners' rules need the number of all owners.
    #[error("rule {} needs the number of all owners", .rule.key())]
    NoOwners { rule: Rule },
    /// Plurality needs one count per option, not yes / no / abstain.
    #[error("rule plurality needs a count per option, not yes / no / abstain")]
    NeedsOptions,
    /// Counts per option can only be decided by plurality.
    #[error("counts per option can only be decided by plurality, not by rule {}", .rule.key())]
    OptionsNeedPlurality { rule: Rule },
    /// A plurality vote without any option.
    #[error("a plurality vote needs at least one option")]
    NoOptions,
}

impl TallyError {
    /// One sentence saying what is wrong and what to do, in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            (TallyError::MoreThanPresent { counted, present }, Lang::Zh) => {
                format!("计票共 {counted} 人,多于到会人数 {present} 人,请核对票数。")
            }
            (TallyError::MoreThanPresent { counted, present }, Lang::En) => format!(
                "{counted} votes were counted but only {present} are present; please check the count."
            ),
            (TallyError::MoreThanEligible { counted, eligible }, Lang::Zh) => {
                format!("计票共 {counted} 人,多于应到人数 {eligible} 人,请核对票数。")
            }
            (TallyError::MoreThanEligible { counted, eligible }, Lang::En) => format!(
                "{counted} votes were counted but only {eligible} are eligible; please check the count."
            ),
            (TallyError::AreaMoreThanEligible { counted, eligible }, Lang::Zh) => format!(
                "计入的专有部分面积 {} m² 超过全体业主专有部分总面积 {} m²,请核对面积。",
                m2(counted),
                m2(eligible)
            ),
            (TallyError::AreaMoreThanEligible { counted, eligible }, Lang::En) => format!(
                "{} m² were counted but all owners' units total only {} m²; please check the areas.",
                m2(counted),
                m2(eligible)
            ),
            (TallyError::NeedsAreas { rule }, Lang::Zh) => format!(
                "「{}」须按专有部分面积计票,请先录入各业主的专有部分面积并采用记名表决。",
                rule.label(lang)
            ),
            (TallyError::NeedsAreas { rule }, Lang::En) => format!(
                "The rule \"{}\" counts the owners' areas; enter each owner's area and take a roll call.",
                rule.label(lang)
            ),
            (TallyError::NoOwners { rule }, Lang::Zh) => format!(
                "「{}」须知道全体业主人数,请先录入业主名单。",
                rule.label(lang)
            ),
            (TallyError::NoOwners { rule }, Lang::En) => format!(
                "The rule \"{}\" needs the number of all owners; enter the list of owners first.",
                rule.label(lang)
            ),
            (TallyError::NeedsOptions, Lang::Zh) => {
                "相对多数表决须按各选项分别计票,不能只记赞成、反对、弃权。".to_string()
            }
            (TallyError::NeedsOptions, Lang::En) => {
                "A plurality vote is counted per option, not as yes, no and abstain.".to_string()
            }
            (TallyError::OptionsNeedPlurality { rule }, Lang::Zh) => format!(
                "按选项计票只能采用相对多数;「{}」须记录赞成、反对、弃权票数。",
                rule.label(lang)
            ),
            (TallyError::OptionsNeedPlurality { rule }, Lang::En) => format!(
                "Only a plurality vote is counted per option; the rule \"{}\" needs yes, no and abstain counts.",
                rule.label(lang)
            ),
            (TallyError::NoOptions, Lang::Zh) => "相对多数表决至少需要一个选项。".to_string(),
            (TallyError::NoOptions, Lang::En) => {
                "A plurality vote needs at least one option.".to_string()
            }
        }
    }
}

impl Rule {
    /// What the rule's fraction is taken of.
    pub fn base(self) -> BaseKind {
        match self {
            Rule::Simple | Rule::TwoThirdsCast | Rule::ThreeQuartersCast => BaseKind::Cast,
            Rule::MajorityPresent
            | Rule::TwoThirdsPresent
            | Rule::ThreeQuartersPresent
            | Rule::Consensus => BaseKind::Present,
            Rule::MajorityEligible | Rule::TwoThirdsEligible | Rule::ThreeQuartersEligible => {
                BaseKind::Eligible
            }
            Rule::OwnersOrdinary | Rule::OwnersMajor => BaseKind::Participating,
            Rule::Plurality => BaseKind::Options,
        }
    }

    /// Owners' rules count area as well as heads, so each owner's vote must be recorded.
    pub fn needs_roll_call(self) -> bool {
        matches!(self, Rule::OwnersOrdinary | Rule::OwnersMajor)
    }

    /// Plurality is counted per option rather than yes / no / abstain.
    pub fn needs_options(self) -> bool {
        matches!(self, Rule::Plurality)
    }

    fn fraction(self) -> Option<Fraction> {
        match self {
            Rule::MajorityPresent | Rule::MajorityEligible => Some(Fraction::Half),
            Rule::TwoThirdsCast | Rule::TwoThirdsPresent | Rule::TwoThirdsEligible => {
                Some(Fraction::TwoThirds)
            }
            Rule::ThreeQuartersCast | Rule::ThreeQuartersPresent | Rule::ThreeQuartersEligible => {
                Some(Fraction::ThreeQuarters)
            }
            _ => None,
        }
    }
}

/// 过半数 is strictly more than half; 三分之二以上 and 四分之三以上 include the exact fraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fraction {
    Half,
    TwoThirds,
    ThreeQuarters,
}

impl Fraction {
    /// Whether `part` out of `whole` meets the fraction (cross-multiplied, exact).
    fn met(self, part: u128, whole: u128) -> bool {
        match self {
            Fraction::Half => part * 2 > whole,
            Fraction::TwoThirds => part * 3 >= whole * 2,
            Fraction::ThreeQuarters => part * 4 >= whole * 3,
        }
    }

    /// The smallest part of `whole` that meets the fraction.
    fn needed(self, whole: u32) -> u32 {
        let w = u64::from(whole);
        let n = match self {
            Fraction::Half => w / 2 + 1,
            Fraction::TwoThirds => (2 * w).div_ceil(3),
            Fraction::ThreeQuarters => (3 * w).div_ceil(4),
        };
        u32::try_from(n).unwrap_or(u32::MAX)
    }
}

/// An area in m² with exactly two decimals (`1200.50`).
fn m2(area: &Area) -> String {
    format!("{}.{:02}", area.0 / 100, area.0 % 100)
}

/// `part / whole` as a percentage with two decimals ("66.67%"), integers only.
/// `up` rounds up, otherwise down, so the figure printed never contradicts the verdict
/// beside it (exactly two thirds shows 66.67%, just below shows 66.66%).
fn percent2(part: u128, whole: u128, up: bool) -> String {
    if whole == 0 {
        return "0.00%".to_string();
    }
    let scaled = part * 10_000;
    let mut hundredths = scaled / whole;
    if up && scaled % whole != 0 {
        hundredths += 1;
    }
    format!("{}.{:02}%", hundredths / 100, hundredths % 100)
}

/// `part / whole` as a percentage with one decimal, rounded half up ("66.7%"), for the minutes
/// (赞成 N 人, 占到会人数 x%). `"0%"` when `whole` is 0.
pub fn share(part: u32, whole: u32) -> String {
    if whole == 0 {
        return "0%".to_string();
    }
    let (p, w) = (u128::from(part), u128::from(whole));
    let tenths = (p * 2_000 + w) / (2 * w);
    format!("{}.{}%", tenths / 10, tenths % 10)
}

fn passed_word(lang: Lang, passed: bool) -> &'static str {
    match (lang, passed) {
        (Lang::Zh, true) => "通过",
        (Lang::Zh, false) => "未通过",
        (Lang::En, true) => "passed",
        (Lang::En, false) => "not passed",
    }
}

fn option_name(lang: Lang, options: &[String], i: usize) -> String {
    match (options.get(i), lang) {
        (Some(name), Lang::Zh) => format!("「{name}」"),
        (Some(name), Lang::En) => format!("“{name}”"),
        (None, Lang::Zh) => format!("「第 {} 项」", i + 1),
        (None, Lang::En) => format!("“no. {}”", i + 1),
    }
}

/// "A、B与C" / "A, B and C".
fn join_names(lang: Lang, names: &[String]) -> String {
    let (sep, last) = lang
        .pick("、|与", ", | and ")
        .split_once('|')
        .unwrap_or(("", ""));
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., tail] => format!("{}{last}{tail}", init.join(sep)),
    }
}

impl Reason {
    /// The result in words, as the minutes record it. `options` names the plurality options
    /// in the agenda's order (ignored by other rules).
    pub fn describe(&self, lang: Lang, options: &[String]) -> String {
        match self {
            Reason::Threshold {
                rule,
                yes,
                no,
                base,
                base_count,
                needed,
                met,
            } => describe_threshold(lang, *rule, *yes, *no, *base, *base_count, *needed, *met),
            Reason::EmptyBase { base, .. } => {
                let (zh, en) = match base {
                    BaseKind::Cast => (
                        "没有赞成票或反对票(弃权不计入投票数)",
                        "No votes were cast for or against (abstentions are not votes cast)",
                    ),
                    BaseKind::Present => ("到会人数为 0", "Nobody is present"),
                    BaseKind::Eligible => ("应到人数为 0", "Nobody is eligible"),
                    BaseKind::Participating => ("没有业主参与表决", "No owner took part"),
                    BaseKind::Options => ("没有人投票给任何选项", "No votes were cast"),
                };
                match lang {
                    Lang::Zh => format!("{zh},未通过。"),
                    Lang::En => format!("{en}: not passed."),
                }
            }
            Reason::OwnersParticipation {
                heads,
                eligible,
                area,
                eligible_area,
                heads_met,
                area_met,
            } => describe_participation(
                lang,
                *heads,
                *eligible,
                *area,
                *eligible_area,
                *heads_met,
                *area_met,
            ),
            Reason::OwnersDecision {
                rule,
                yes_heads,
                heads,
                yes_area,
                area,
                eligible,
                eligible_area,
                heads_met,
                area_met,
            } => {
                let major = *rule == Rule::OwnersMajor;
                let word = |met: bool| -> &'static str {
                    match (lang, major, met) {
                        (Lang::Zh, false, true) => "超过半数",
                        (Lang::Zh, false, false) => "未超过半数",
                        (Lang::Zh, true, true) => "达到四分之三",
                        (Lang::Zh, true, false) => "不足四分之三",
                        (Lang::En, false, true) => "more than half",
                        (Lang::En, false, false) => "not more than half",
                        (Lang::En, true, true) => "at least three quarters",
                        (Lang::En, true, false) => "less than three quarters",
                    }
                };
                let pa = percent2(u128::from(yes_area.0), u128::from(area.0), *area_met);
                let ph = percent2(u128::from(*yes_heads), u128::from(*heads), *heads_met);
                let (aw, hw) = (word(*area_met), word(*heads_met));
                match lang {
                    Lang::Zh => {
                        let end = match (*area_met, *heads_met) {
                            (true, true) => "通过。",
                            (false, true) => "赞成的面积不足,未通过。",
                            (true, false) => "赞成的人数不足,未通过。",
                            (false, false) => "赞成的面积和人数均不足,未通过。",
                        };
                        format!(
                            "参与表决的业主 {heads}/{eligible} 人、专有部分面积 {}/{} m²,达到三分之二;\
                             赞成的业主专有部分面积占参与表决面积的 {pa}({}/{} m²),{aw};\
                             人数占参与表决人数的 {ph}({yes_heads}/{heads} 人),{hw}。{end}",
                            m2(area),
                            m2(eligible_area),
                            m2(yes_area),
                            m2(area),
                        )
                    }
                    Lang::En => {
                        let end = match (*area_met, *heads_met) {
                            (true, true) => "passed.",
                            (false, true) => "not passed, too little area in favour.",
                            (true, false) => "not passed, too few owners in favour.",
                            (false, false) => {
                                "not passed, too little area and too few owners in favour."
                            }
                        };
                        format!(
                            "Enough owners took part ({heads} of {eligible}, {} of {} m²). \
                             Owners in favour hold {pa} of the participating area ({} of {} m²), {aw}, \
                             and are {ph} of the participating owners ({yes_heads} of {heads}), {hw}: {end}",
                            m2(area),
                            m2(eligible_area),
                            m2(yes_area),
                            m2(area),
                        )
                    }
                }
            }
            Reason::Plurality {
                counts,
                winner,
                tied,
                ..
            } => {
                let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
                if let Some(w) = winner {
                    let votes = counts.get(*w).copied().unwrap_or(0);
                    let name = option_name(lang, options, *w);
                    match lang {
                        Lang::Zh => {
                            format!("选项{name}得 {votes} 票(共 {total} 票),得票最多,通过。")
                        }
                        Lang::En => {
                            format!("Option {name} has the most votes, {votes} of {total}: passed.")
                        }
                    }
                } else if !tied.is_empty() {
                    let votes = counts.get(tied[0]).copied().unwrap_or(0);
                    let names: Vec<String> = tied
                        .iter()
                        .map(|&i| option_name(lang, options, i))
                        .collect();
                    let names = join_names(lang, &names);
                    match lang {
                        Lang::Zh => format!("选项{names}各得 {votes} 票,票数相同,未产生结果。"),
                        Lang::En => {
                            format!("Options {names} have {votes} votes each, a tie: no result.")
                        }
                    }
                } else {
                    lang.pick(
                        "没有人投票给任何选项,未产生结果。",
                        "No votes were cast for any option: no result.",
                    )
                    .to_string()
                }
            }
            Reason::Consensus {
                objections,
                yes,
                abstain,
            } => match lang {
                Lang::Zh if *objections > 0 => {
                    format!("有 {objections} 人反对,未能协商一致,未通过。")
                }
                Lang::Zh if yes + abstain == 0 => "无人参与表决,未通过。".to_string(),
                Lang::Zh => {
                    format!("无人反对(赞成 {yes} 人,弃权 {abstain} 人),协商一致,通过。")
                }
                Lang::En if *objections > 0 => {
                    format!("{objections} objected, no consensus: not passed.")
                }
                Lang::En if yes + abstain == 0 => "Nobody took part: not passed.".to_string(),
                Lang::En => format!(
                    "Nobody objected ({yes} in favour, {abstain} abstaining), consensus: passed."
                ),
            },
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn describe_threshold(
    lang: Lang,
    rule: Rule,
    yes: u32,
    no: u32,
    base: BaseKind,
    b: u32,
    needed: u32,
    met: bool,
) -> String {
    let verdict = passed_word(lang, met);
    if rule == Rule::Simple {
        return match lang {
            Lang::Zh => format!(
                "赞成 {yes} 票,反对 {no} 票,赞成票{}反对票(至少需 {needed} 票),{verdict}。",
                if met { "多于" } else { "未多于" }
            ),
            Lang::En => format!(
                "{yes} in favour, {no} against, {} in favour than against (at least {needed} needed): {verdict}.",
                if met { "more" } else { "not more" }
            ),
        };
    }
    let fraction = rule.fraction().unwrap_or(Fraction::Half);
    match lang {
        Lang::Zh => {
            let short = fraction == Fraction::Half;
            let of = match (base, short) {
                (BaseKind::Present, true) => format!("到会 {b} 人"),
                (BaseKind::Present, false) => format!("到会人数 {b} 人"),
                (BaseKind::Eligible, true) => format!("应到 {b} 人"),
                (BaseKind::Eligible, false) => format!("应到人数 {b} 人"),
                (BaseKind::Cast, _) => format!("投票数 {b} 票"),
                (other, _) => format!("{}{b}", other.label(lang)),
            };
            let (reach, part) = match (fraction, met) {
                (Fraction::Half, true) => ("超过", "半数"),
                (Fraction::Half, false) => ("未超过", "半数"),
                (Fraction::TwoThirds, true) => ("达到", "三分之二"),
                (Fraction::TwoThirds, false) => ("未达到", "三分之二"),
                (Fraction::ThreeQuarters, true) => ("达到", "四分之三"),
                (Fraction::ThreeQuarters, false) => ("未达到", "四分之三"),
            };
            format!("赞成 {yes} 票,{reach}{of}的{part}(至少需 {needed} 票),{verdict}。")
        }
        Lang::En => {
            let of = match base {
                BaseKind::Present => format!("the {b} present"),
                BaseKind::Eligible => format!("the {b} eligible"),
                BaseKind::Cast => format!("the {b} votes cast"),
                other => format!("{} ({b})", other.label(lang)),
            };
            let reach = match (fraction, met) {
                (Fraction::Half, true) => "more than half",
                (Fraction::Half, false) => "not more than half",
                (Fraction::TwoThirds, true) => "at least two thirds",
                (Fraction::TwoThirds, false) => "less than two thirds",
                (Fraction::ThreeQuarters, true) => "at least three quarters",
                (Fraction::ThreeQuarters, false) => "less than three quarters",
            };
            format!("{yes} in favour, {reach} of {of} (at least {needed} needed): {verdict}.")
        }
    }
}

fn describe_participation(
    lang: Lang,
    heads: u32,
    eligible: u32,
    area: Area,
    eligible_area: Area,
    heads_met: bool,
    area_met: bool,
) -> String {
    let pa = percent2(u128::from(area.0), u128::from(eligible_area.0), area_met);
    let ph = percent2(u128::from(heads), u128::from(eligible), heads_met);
    match lang {
        Lang::Zh => {
            let w = |met: bool| {
                if met {
                    "达到三分之二"
                } else {
                    "不足三分之二"
                }
            };
            let end = match (area_met, heads_met) {
                (true, true) => "参与表决的面积和人数均达到要求。",
                (false, true) => "参与表决的面积不足,未通过。",
                (true, false) => "参与表决的人数不足,未通过。",
                (false, false) => "参与表决的面积和人数均不足,未通过。",
            };
            format!(
                "参与表决的业主专有部分面积占 {pa}({}/{} m²),{};人数占 {ph}({heads}/{eligible} 人),{}。{end}",
                m2(&area),
                m2(&eligible_area),
                w(area_met),
                w(heads_met),
            )
        }
        Lang::En => {
            let w = |met: bool| {
                if met {
                    "at least two thirds"
                } else {
                    "less than two thirds"
                }
            };
            let end = match (area_met, heads_met) {
                (true, true) => "enough owners took part.",
                (false, true) => "not passed, too little area took part.",
                (true, false) => "not passed, too few owners took part.",
                (false, false) => "not passed, too little area and too few owners took part.",
            };
            format!(
                "Owners taking part hold {pa} of the total area ({} of {} m²), {}, \
                 and are {ph} of all owners ({heads} of {eligible}), {}: {end}",
                m2(&area),
                m2(&eligible_area),
                w(area_met),
                w(heads_met),
            )
        }
    }
}

/// Decides a vote under `rule`.
pub fn decide(rule: Rule, votes: &Votes, electorate: &Electorate) -> Result<Outcome, TallyError> {
    match (rule, votes) {
        (Rule::Plurality, Votes::Options { counts, abstain }) => {
            decide_plurality(counts, *abstain, electorate)
        }
        (Rule::Plurality, Votes::YesNo { .. }) => Err(TallyError::NeedsOptions),
        (rule, Votes::Options { .. }) => Err(TallyError::OptionsNeedPlurality { rule }),
        (Rule::OwnersOrdinary | Rule::OwnersMajor, Votes::YesNo { yes, no, abstain }) => {
            decide_owners(rule, yes, no, abstain, electorate)
        }
        (rule, Votes::YesNo { yes, no, abstain }) => {
            decide_heads(rule, yes.heads, no.heads, abstain.heads, electorate)
        }
    }
}

fn outcome(passed: bool, base: BaseKind, base_count: u32, reason: Reason) -> Outcome {
    Outcome {
        passed,
        winner: None,
        tied: Vec::new(),
        base,
        base_count,
        reason,
    }
}

fn decide_heads(
    rule: Rule,
    yes: u32,
    no: u32,
    abstain: u32,
    e: &Electorate,
) -> Result<Outcome, TallyError> {
    let counted = u64::from(yes) + u64::from(no) + u64::from(abstain);
    if counted > u64::from(e.present) {
        return Err(TallyError::MoreThanPresent {
            counted,
            present: e.present,
        });
    }
    let base = rule.base();
    if base == BaseKind::Eligible && counted > u64::from(e.eligible) {
        return Err(TallyError::MoreThanEligible {
            counted,
            eligible: e.eligible,
        });
    }
    if rule == Rule::Consensus {
        let passed = no == 0 && yes + abstain > 0;
        let reason = Reason::Consensus {
            objections: no,
            yes,
            abstain,
        };
        return Ok(outcome(passed, base, e.present, reason));
    }
    // Counted heads fit in u32 now: they are at most `present`.
    let base_count = match base {
        BaseKind::Present => e.present,
        BaseKind::Eligible => e.eligible,
        _ => yes + no,
    };
    if base_count == 0 {
        return Ok(outcome(false, base, 0, Reason::EmptyBase { rule, base }));
    }
    let (needed, met) = match rule.fraction() {
        Some(f) => (
            f.needed(base_count),
            f.met(u128::from(yes), u128::from(base_count)),
        ),
        None => (no.saturating_add(1), yes > no),
    };
    let reason = Reason::Threshold {
        rule,
        yes,
        no,
        base,
        base_count,
        needed,
        met,
    };
    Ok(outcome(met, base, base_count, reason))
}

fn decide_owners(
    rule: Rule,
    yes: &Weight,
    no: &Weight,
    abstain: &Weight,
    e: &Electorate,
) -> Result<Outcome, TallyError> {
    if e.eligible_area.0 == 0 {
        return Err(TallyError::NeedsAreas { rule });
    }
    if e.eligible == 0 {
        return Err(TallyError::NoOwners { rule });
    }
    let counted = u64::from(yes.heads) + u64::from(no.heads) + u64::from(abstain.heads);
    if counted > u64::from(e.eligible) {
        return Err(TallyError::MoreThanEligible {
            counted,
            eligible: e.eligible,
        });
    }
    let area = yes
        .area
        .0
        .checked_add(no.area.0)
        .and_then(|a| a.checked_add(abstain.area.0))
        .unwrap_or(u64::MAX);
    if area > e.eligible_area.0 {
        return Err(TallyError::AreaMoreThanEligible {
            counted: Area(area),
            eligible: e.eligible_area,
        });
    }
    let heads = yes.heads + no.heads + abstain.heads;
    let base = BaseKind::Participating;
    let two_thirds = Fraction::TwoThirds;
    let area_met = two_thirds.met(u128::from(area), u128::from(e.eligible_area.0));
    let heads_met = two_thirds.met(u128::from(heads), u128::from(e.eligible));
    if !(area_met && heads_met) {
        let reason = Reason::OwnersParticipation {
            heads,
            eligible: e.eligible,
            area: Area(area),
            eligible_area: e.eligible_area,
            heads_met,
            area_met,
        };
        return Ok(outcome(false, base, heads, reason));
    }
    let fraction = if rule == Rule::OwnersMajor {
        Fraction::ThreeQuarters
    } else {
        Fraction::Half
    };
    let area_met = fraction.met(u128::from(yes.area.0), u128::from(area));
    let heads_met = fraction.met(u128::from(yes.heads), u128::from(heads));
    let reason = Reason::OwnersDecision {
        rule,
        yes_heads: yes.heads,
        heads,
        yes_area: yes.area,
        area: Area(area),
        eligible: e.eligible,
        eligible_area: e.eligible_area,
        heads_met,
        area_met,
    };
    Ok(outcome(area_met && heads_met, base, heads, reason))
}

fn decide_plurality(counts: &[u32], abstain: u32, e: &Electorate) -> Result<Outcome, TallyError> {
    if counts.is_empty() {
        return Err(TallyError::NoOptions);
    }
    let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    let counted = total + u64::from(abstain);
    if counted > u64::from(e.present) {
        return Err(TallyError::MoreThanPresent {
            counted,
            present: e.present,
        });
    }
    // At most `present`, so it fits.
    let total = total as u32;
    let top = counts.iter().copied().max().unwrap_or(0);
    let leaders: Vec<usize> = if total == 0 {
        Vec::new()
    } else {
        (0..counts.len()).filter(|&i| counts[i] == top).collect()
    };
    let (winner, tied) = match leaders.as_slice() {
        [one] => (Some(*one), Vec::new()),
        _ => (None, leaders),
    };
    Ok(Outcome {
        passed: winner.is_some(),
        winner,
        tied: tied.clone(),
        base: BaseKind::Options,
        base_count: total,
        reason: Reason::Plurality {
            counts: counts.to_vec(),
            abstain,
            winner,
            tied,
        },
    })
}
