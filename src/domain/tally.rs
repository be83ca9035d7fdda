//! Vote rules and the tally: who must say yes, out of which base, for an item to pass.
//! Exact integer arithmetic only (areas in hundredths of m²); never a float comparison.

use serde::{Deserialize, Serialize};

use super::model::{Area, keyed_enum};
use crate::lang::Lang;

keyed_enum! {
    /// The legal rule a vote is decided by (DESIGN.md, "Vote rules").
    Rule {
        Simple = "simple", "简单多数（赞成多于反对）", "simple majority of votes cast";
        MajorityPresent = "majority_present", "到会人数过半数", "majority of those present";
        MajorityEligible = "majority_eligible", "应到人数过半数", "majority of all eligible";
        TwoThirdsCast = "two_thirds_cast", "投票数（不含弃权票）三分之二以上", "two thirds of votes cast (abstentions not counted)";
        TwoThirdsPresent = "two_thirds_present", "到会人数三分之二以上", "two thirds of those present";
        TwoThirdsEligible = "two_thirds_eligible", "应到人数三分之二以上", "two thirds of all eligible";
        ThreeQuartersCast = "three_quarters_cast", "投票数（不含弃权票）四分之三以上", "three quarters of votes cast (abstentions not counted)";
        ThreeQuartersPresent = "three_quarters_present", "到会人数四分之三以上", "three quarters of those present";
        ThreeQuartersEligible = "three_quarters_eligible", "应到人数四分之三以上", "three quarters of all eligible";
        AtLeastHalfEligible = "at_least_half_eligible", "应到人数半数以上（含半数）", "at least half of all eligible (exactly half passes)";
        OwnersOrdinary = "owners_ordinary", "业主共同决定一般事项（民法典第278条）", "owners' ordinary matter (Civil Code art. 278)";
        OwnersMajor = "owners_major", "业主共同决定重大事项（民法典第278条）", "owners' major matter (Civil Code art. 278)";
        Plurality = "plurality", "相对多数（得票最多者）", "plurality (most votes wins)";
        Consensus = "consensus", "协商一致（无人反对）", "consensus (nobody objects)";
    }
}

keyed_enum! {
    /// How the votes were taken.
    Method {
        ShowOfHands = "show_of_hands", "举手表决", "show of hands";
        RollCall = "roll_call", "记名表决", "roll call";
        SecretBallot = "secret_ballot", "无记名投票", "secret ballot";
        WrittenBallot = "written_ballot", "书面表决", "written ballot";
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
        Cast = "cast", "投票数（不含弃权票）", "votes cast (abstentions not counted)";
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
                format!("计票共 {counted} 人，多于到会人数 {present} 人，请核对票数。")
            }
            (TallyError::MoreThanPresent { counted, present }, Lang::En) => format!(
                "{counted} votes were counted but only {present} are present; please check the count."
            ),
            (TallyError::MoreThanEligible { counted, eligible }, Lang::Zh) => {
                format!("计票共 {counted} 人，多于应到人数 {eligible} 人，请核对票数。")
            }
            (TallyError::MoreThanEligible { counted, eligible }, Lang::En) => format!(
                "{counted} votes were counted but only {eligible} are eligible; please check the count."
            ),
            (TallyError::AreaMoreThanEligible { counted, eligible }, Lang::Zh) => format!(
                "计入的专有部分面积 {} m² 超过全体业主专有部分总面积 {} m²，请核对面积。",
                m2(counted),
                m2(eligible)
            ),
            (TallyError::AreaMoreThanEligible { counted, eligible }, Lang::En) => format!(
                "{} m² were counted but all owners' units total only {} m²; please check the areas.",
                m2(counted),
                m2(eligible)
            ),
            (TallyError::NeedsAreas { rule }, Lang::Zh) => format!(
                "「{}」须按专有部分面积计票，请先录入各业主的专有部分面积并采用记名表决。",
                rule.label(lang)
            ),
            (TallyError::NeedsAreas { rule }, Lang::En) => format!(
                "The rule \"{}\" counts the owners' areas; enter each owner's area and take a roll call.",
                rule.label(lang)
            ),
            (TallyError::NoOwners { rule }, Lang::Zh) => format!(
                "「{}」须知道全体业主人数，请先录入业主名单。",
                rule.label(lang)
            ),
            (TallyError::NoOwners { rule }, Lang::En) => format!(
                "The rule \"{}\" needs the number of all owners; enter the list of owners first.",
                rule.label(lang)
            ),
            (TallyError::NeedsOptions, Lang::Zh) => {
                "相对多数表决须按各选项分别计票，不能只记赞成、反对、弃权。".to_string()
            }
            (TallyError::NeedsOptions, Lang::En) => {
                "A plurality vote is counted per option, not as yes, no and abstain.".to_string()
            }
            (TallyError::OptionsNeedPlurality { rule }, Lang::Zh) => format!(
                "按选项计票只能采用相对多数；「{}」须记录赞成、反对、弃权票数。",
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
            Rule::MajorityEligible
            | Rule::TwoThirdsEligible
            | Rule::ThreeQuartersEligible
            | Rule::AtLeastHalfEligible => BaseKind::Eligible,
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
            Rule::AtLeastHalfEligible => Some(Fraction::AtLeastHalf),
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
    /// 半数以上: exactly half is enough.
    AtLeastHalf,
    TwoThirds,
    ThreeQuarters,
}

impl Fraction {
    /// Whether `part` out of `whole` meets the fraction (cross-multiplied, exact).
    fn met(self, part: u128, whole: u128) -> bool {
        match self {
            Fraction::Half => part * 2 > whole,
            Fraction::AtLeastHalf => part * 2 >= whole,
            Fraction::TwoThirds => part * 3 >= whole * 2,
            Fraction::ThreeQuarters => part * 4 >= whole * 3,
        }
    }

    /// The smallest part of `whole` that meets the fraction.
    fn needed(self, whole: u32) -> u32 {
        let w = u64::from(whole);
        let n = match self {
            Fraction::Half => w / 2 + 1,
            Fraction::AtLeastHalf => w.div_ceil(2),
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

/// `part / whole` as a percentage with two decimals ("66.67%"), integers only, rounded to
/// the nearest unless that would contradict whether `part` meets `fraction` of `whole`: then
/// rounded towards the verdict, so just below two thirds shows 66.66%, never 66.67%.
fn percent2(part: u128, whole: u128, fraction: Fraction) -> String {
    if whole == 0 {
        return "0.00%".to_string();
    }
    let scaled = part * 10_000;
    let floor = scaled / whole;
    let ceil = floor + u128::from(!scaled.is_multiple_of(whole));
    let nearest = (scaled * 2 + whole) / (2 * whole);
    let met = fraction.met(part, whole);
    let shown = if fraction.met(nearest, 10_000) == met {
        nearest
    } else if met {
        ceil
    } else {
        floor
    };
    format!("{}.{:02}%", shown / 100, shown % 100)
}

/// An owners' rule's participation share (`part` of `whole`, against two thirds) as the
/// recorded reason will say it: exact, two decimals, never rounded across the line.
pub fn participation_share(part: u64, whole: u64) -> String {
    percent2(u128::from(part), u128::from(whole), Fraction::TwoThirds)
}

/// The share in favour under `rule` (`part` of `whole`), as the recorded reason will say it:
/// exact, two decimals, never rounded across the rule's line (half, or three quarters for
/// `owners_major`).
pub fn decision_share(rule: Rule, part: u64, whole: u64) -> String {
    let fraction = match rule {
        Rule::OwnersMajor => Fraction::ThreeQuarters,
        other => other.fraction().unwrap_or(Fraction::Half),
    };
    percent2(u128::from(part), u128::from(whole), fraction)
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
                        "没有赞成票或反对票（弃权不计入投票数）",
                        "No votes were cast for or against (abstentions are not votes cast)",
                    ),
                    BaseKind::Present => ("到会人数为 0", "Nobody is present"),
                    BaseKind::Eligible => ("应到人数为 0", "Nobody is eligible"),
                    BaseKind::Participating => ("没有业主参与表决", "No owner took part"),
                    BaseKind::Options => ("没有人投票给任何选项", "No votes were cast"),
                };
                match lang {
                    Lang::Zh => format!("{zh}，未通过。"),
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
                let fraction = if major {
                    Fraction::ThreeQuarters
                } else {
                    Fraction::Half
                };
                let pa = percent2(u128::from(yes_area.0), u128::from(area.0), fraction);
                let ph = percent2(u128::from(*yes_heads), u128::from(*heads), fraction);
                let (aw, hw) = (word(*area_met), word(*heads_met));
                match lang {
                    Lang::Zh => {
                        let end = match (*area_met, *heads_met) {
                            (true, true) => "通过。",
                            (false, true) => "赞成的面积不足，未通过。",
                            (true, false) => "赞成的人数不足，未通过。",
                            (false, false) => "赞成的面积和人数均不足，未通过。",
                        };
                        format!(
                            "参与表决的业主 {heads}/{eligible} 人、专有部分面积 {}/{} m²，达到三分之二；\
                             赞成的业主专有部分面积占参与表决面积的 {pa}（{}/{} m²），{aw}\u{ff1b}\
                             人数占参与表决人数的 {ph}（{yes_heads}/{heads} 人），{hw}。{end}",
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
                            format!("选项{name}得 {votes} 票（共 {total} 票），得票最多，通过。")
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
                        Lang::Zh => format!("选项{names}各得 {votes} 票，票数相同，未产生结果。"),
                        Lang::En => {
                            format!("Options {names} have {votes} votes each, a tie: no result.")
                        }
                    }
                } else {
                    lang.pick(
                        "没有人投票给任何选项，未产生结果。",
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
                    format!("有 {objections} 人反对，未能协商一致，未通过。")
                }
                Lang::Zh if yes + abstain == 0 => "无人参与表决，未通过。".to_string(),
                Lang::Zh => {
                    format!("无人反对（赞成 {yes} 人，弃权 {abstain} 人），协商一致，通过。")
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
                "赞成 {yes} 票，反对 {no} 票，赞成票{}反对票（至少需 {needed} 票），{verdict}。",
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
            let short = matches!(fraction, Fraction::Half | Fraction::AtLeastHalf);
            let of = match (base, short) {
                (BaseKind::Present, true) => format!("到会 {b} 人"),
                (BaseKind::Present, false) => format!("到会人数 {b} 人"),
                (BaseKind::Eligible, true) => format!("应到 {b} 人"),
                (BaseKind::Eligible, false) => format!("应到人数 {b} 人"),
                (BaseKind::Cast, _) => format!("投票数（不含弃权票）{b} 票"),
                (other, _) => format!("{}{b}", other.label(lang)),
            };
            let (reach, part) = match (fraction, met) {
                (Fraction::Half, true) => ("超过", "半数"),
                (Fraction::Half, false) => ("未超过", "半数"),
                (Fraction::AtLeastHalf, true) => ("达到", "半数"),
                (Fraction::AtLeastHalf, false) => ("未达到", "半数"),
                (Fraction::TwoThirds, true) => ("达到", "三分之二"),
                (Fraction::TwoThirds, false) => ("未达到", "三分之二"),
                (Fraction::ThreeQuarters, true) => ("达到", "四分之三"),
                (Fraction::ThreeQuarters, false) => ("未达到", "四分之三"),
            };
            format!("赞成 {yes} 票，{reach}{of}的{part}（至少需 {needed} 票），{verdict}。")
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
                (Fraction::AtLeastHalf, true) => "at least half",
                (Fraction::AtLeastHalf, false) => "less than half",
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
    let pa = percent2(
        u128::from(area.0),
        u128::from(eligible_area.0),
        Fraction::TwoThirds,
    );
    let ph = percent2(u128::from(heads), u128::from(eligible), Fraction::TwoThirds);
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
                (false, true) => "参与表决的面积不足，未通过。",
                (true, false) => "参与表决的人数不足，未通过。",
                (false, false) => "参与表决的面积和人数均不足，未通过。",
            };
            format!(
                "参与表决的业主专有部分面积占 {pa}（{}/{} m²），{}；人数占 {ph}（{heads}/{eligible} 人），{}。{end}",
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

#[cfg(test)]
mod tests {
    use super::*;

    fn heads(n: u32) -> Weight {
        Weight {
            heads: n,
            area: Area(0),
        }
    }

    fn yn(yes: u32, no: u32, abstain: u32) -> Votes {
        Votes::YesNo {
            yes: heads(yes),
            no: heads(no),
            abstain: heads(abstain),
        }
    }

    fn el(present: u32, eligible: u32) -> Electorate {
        Electorate {
            present,
            eligible,
            eligible_area: Area(0),
        }
    }

    /// `decide` on heads only; panics on an error.
    fn run(rule: Rule, yes: u32, no: u32, abstain: u32, present: u32, eligible: u32) -> Outcome {
        decide(rule, &yn(yes, no, abstain), &el(present, eligible)).unwrap()
    }

    fn passes(rule: Rule, yes: u32, no: u32, abstain: u32, present: u32) -> bool {
        run(rule, yes, no, abstain, present, present).passed
    }

    /// An owner weight: heads and area in hundredths of m².
    fn w(heads: u32, hundredths: u64) -> Weight {
        Weight {
            heads,
            area: Area(hundredths),
        }
    }

    /// 30 owners holding 3000.00 m² between them.
    const OWNERS: u32 = 30;
    const OWNERS_AREA: Area = Area(300_000);

    fn owners(rule: Rule, yes: Weight, no: Weight, abstain: Weight) -> Result<Outcome, TallyError> {
        let votes = Votes::YesNo { yes, no, abstain };
        let e = Electorate {
            present: 0,
            eligible: OWNERS,
            eligible_area: OWNERS_AREA,
        };
        decide(rule, &votes, &e)
    }

    fn options(counts: &[u32], abstain: u32) -> Votes {
        Votes::Options {
            counts: counts.to_vec(),
            abstain,
        }
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    // ---- simple ----

    #[test]
    fn simple_more_yes_than_no_passes() {
        let o = run(Rule::Simple, 7, 5, 0, 12, 12);
        assert!(o.passed);
        assert_eq!(o.base, BaseKind::Cast);
        assert_eq!(o.base_count, 12);
        assert_eq!(
            o.reason,
            Reason::Threshold {
                rule: Rule::Simple,
                yes: 7,
                no: 5,
                base: BaseKind::Cast,
                base_count: 12,
                needed: 6,
                met: true
            }
        );
    }

    #[test]
    fn simple_tie_fails() {
        let o = run(Rule::Simple, 5, 5, 0, 10, 10);
        assert!(!o.passed);
        assert!(matches!(
            o.reason,
            Reason::Threshold {
                needed: 6,
                met: false,
                ..
            }
        ));
    }

    #[test]
    fn simple_one_more_yes_passes_one_less_fails() {
        assert!(passes(Rule::Simple, 6, 5, 0, 11));
        assert!(!passes(Rule::Simple, 4, 5, 0, 9));
        assert!(passes(Rule::Simple, 1, 0, 0, 1));
        assert!(!passes(Rule::Simple, 0, 1, 0, 1));
    }

    #[test]
    fn simple_abstentions_are_not_votes_cast() {
        let o = run(Rule::Simple, 3, 2, 10, 15, 15);
        assert!(o.passed);
        assert_eq!(o.base_count, 5);
    }

    #[test]
    fn simple_zero_cast_fails_with_empty_base() {
        for abstain in [0, 4] {
            let o = run(Rule::Simple, 0, 0, abstain, 10, 10);
            assert!(!o.passed);
            assert_eq!(o.base_count, 0);
            assert_eq!(
                o.reason,
                Reason::EmptyBase {
                    rule: Rule::Simple,
                    base: BaseKind::Cast
                }
            );
        }
    }

    // ---- majority (过半数: strictly more than half) ----

    #[test]
    fn majority_present_even_base_needs_more_than_half() {
        assert!(!passes(Rule::MajorityPresent, 6, 6, 0, 12));
        assert!(!passes(Rule::MajorityPresent, 6, 0, 0, 12));
        assert!(passes(Rule::MajorityPresent, 7, 5, 0, 12));
        let o = run(Rule::MajorityPresent, 7, 0, 0, 12, 20);
        assert_eq!(o.base, BaseKind::Present);
        assert_eq!(o.base_count, 12);
        assert!(matches!(o.reason, Reason::Threshold { needed: 7, .. }));
    }

    #[test]
    fn majority_present_odd_base() {
        assert!(!passes(Rule::MajorityPresent, 6, 0, 0, 13));
        assert!(passes(Rule::MajorityPresent, 7, 0, 0, 13));
        assert!(!passes(Rule::MajorityPresent, 0, 0, 0, 1));
        assert!(passes(Rule::MajorityPresent, 1, 0, 0, 1));
        assert!(!passes(Rule::MajorityPresent, 1, 0, 0, 3));
        assert!(passes(Rule::MajorityPresent, 2, 0, 0, 3));
    }

    #[test]
    fn majority_present_abstentions_and_silence_count_against() {
        // 7 yes out of 14 present: not more than half, though nobody said no.
        assert!(!passes(Rule::MajorityPresent, 7, 0, 6, 14));
        assert!(!passes(Rule::MajorityPresent, 7, 0, 0, 14));
        assert!(passes(Rule::MajorityPresent, 7, 0, 6, 13));
    }

    #[test]
    fn majority_eligible_counts_the_absent_against() {
        let o = run(Rule::MajorityEligible, 6, 0, 0, 8, 12);
        assert!(!o.passed);
        assert_eq!(o.base, BaseKind::Eligible);
        assert_eq!(o.base_count, 12);
        assert!(run(Rule::MajorityEligible, 7, 1, 0, 8, 12).passed);
    }

    #[test]
    fn majority_eligible_odd_base() {
        assert!(!run(Rule::MajorityEligible, 5, 0, 0, 11, 11).passed);
        assert!(run(Rule::MajorityEligible, 6, 0, 0, 11, 11).passed);
    }

    // ---- two thirds (三分之二以上: includes the exact fraction) ----

    #[test]
    fn two_thirds_present_includes_exact_fraction() {
        assert!(passes(Rule::TwoThirdsPresent, 8, 4, 0, 12));
        assert!(!passes(Rule::TwoThirdsPresent, 7, 5, 0, 12));
    }

    #[test]
    fn two_thirds_present_rounds_up_when_not_divisible() {
        // 2/3 of 10 is 6.67: 7 are needed.
        assert!(!passes(Rule::TwoThirdsPresent, 6, 0, 0, 10));
        assert!(passes(Rule::TwoThirdsPresent, 7, 0, 0, 10));
        assert!(!passes(Rule::TwoThirdsPresent, 8, 0, 0, 13));
        assert!(passes(Rule::TwoThirdsPresent, 9, 0, 0, 13));
        let o = run(Rule::TwoThirdsPresent, 6, 0, 0, 10, 10);
        assert!(matches!(o.reason, Reason::Threshold { needed: 7, .. }));
    }

    #[test]
    fn two_thirds_present_abstentions_count_against() {
        assert!(passes(Rule::TwoThirdsPresent, 8, 0, 4, 12));
        assert!(!passes(Rule::TwoThirdsPresent, 8, 0, 5, 13));
    }

    #[test]
    fn two_thirds_cast_ignores_abstentions() {
        assert!(passes(Rule::TwoThirdsCast, 8, 4, 0, 12));
        assert!(passes(Rule::TwoThirdsCast, 8, 4, 20, 32));
        let o = run(Rule::TwoThirdsCast, 8, 4, 20, 32, 32);
        assert_eq!(o.base_count, 12);
        // 7 of 11 cast: 2/3 of 11 is 7.33, 8 needed.
        let o = run(Rule::TwoThirdsCast, 7, 4, 3, 14, 14);
        assert!(!o.passed);
        assert!(matches!(o.reason, Reason::Threshold { needed: 8, .. }));
    }

    #[test]
    fn two_thirds_cast_with_nothing_cast_fails() {
        // 0 >= 0 would pass a naive comparison; an empty base never passes.
        for abstain in [0, 5] {
            let o = run(Rule::TwoThirdsCast, 0, 0, abstain, 10, 10);
            assert!(!o.passed);
            assert_eq!(
                o.reason,
                Reason::EmptyBase {
                    rule: Rule::TwoThirdsCast,
                    base: BaseKind::Cast
                }
            );
        }
    }

    #[test]
    fn two_thirds_eligible_boundary() {
        assert!(run(Rule::TwoThirdsEligible, 8, 0, 0, 9, 12).passed);
        assert!(!run(Rule::TwoThirdsEligible, 7, 0, 0, 9, 12).passed);
        assert!(run(Rule::TwoThirdsEligible, 7, 0, 0, 7, 10).passed);
        assert!(!run(Rule::TwoThirdsEligible, 6, 0, 0, 7, 10).passed);
    }

    // ---- three quarters (四分之三以上: includes the exact fraction) ----

    #[test]
    fn three_quarters_present_includes_exact_fraction() {
        assert!(passes(Rule::ThreeQuartersPresent, 9, 3, 0, 12));
        assert!(!passes(Rule::ThreeQuartersPresent, 8, 4, 0, 12));
    }

    #[test]
    fn three_quarters_present_abstentions_count_against() {
        assert!(passes(Rule::ThreeQuartersPresent, 9, 0, 3, 12));
        let o = run(Rule::ThreeQuartersPresent, 9, 0, 4, 13, 13);
        assert!(!o.passed);
        assert!(matches!(o.reason, Reason::Threshold { needed: 10, .. }));
    }

    #[test]
    fn three_quarters_cast_boundary() {
        assert!(passes(Rule::ThreeQuartersCast, 3, 1, 0, 4));
        assert!(passes(Rule::ThreeQuartersCast, 3, 1, 9, 13));
        // 2 of 3 cast: 3/4 of 3 is 2.25, 3 needed.
        assert!(!passes(Rule::ThreeQuartersCast, 2, 1, 0, 3));
        assert!(!passes(Rule::ThreeQuartersCast, 0, 0, 3, 3));
    }

    #[test]
    fn three_quarters_eligible_boundary() {
        // 3/4 of 10 is 7.5: 8 needed.
        let o = run(Rule::ThreeQuartersEligible, 7, 0, 0, 10, 10);
        assert!(!o.passed);
        assert!(matches!(o.reason, Reason::Threshold { needed: 8, .. }));
        assert!(run(Rule::ThreeQuartersEligible, 8, 0, 0, 10, 10).passed);
    }

    #[test]
    fn needed_is_the_smallest_passing_yes_count() {
        let rules = [
            Rule::MajorityPresent,
            Rule::TwoThirdsPresent,
            Rule::ThreeQuartersPresent,
            Rule::MajorityEligible,
            Rule::TwoThirdsEligible,
            Rule::ThreeQuartersEligible,
        ];
        for rule in rules {
            for b in 1..=60 {
                for yes in 0..=b {
                    let o = run(rule, yes, 0, 0, b, b);
                    let Reason::Threshold { needed, met, .. } = o.reason else {
                        panic!("{rule:?} {yes}/{b}: {:?}", o.reason);
                    };
                    assert_eq!(met, o.passed);
                    assert_eq!(
                        o.passed,
                        yes >= needed,
                        "{rule:?} {yes}/{b} needed {needed}"
                    );
                }
            }
        }
    }

    #[test]
    fn empty_present_and_eligible_bases_fail() {
        let o = run(Rule::MajorityPresent, 0, 0, 0, 0, 10);
        assert_eq!(
            o.reason,
            Reason::EmptyBase {
                rule: Rule::MajorityPresent,
                base: BaseKind::Present
            }
        );
        assert!(!o.passed);
        let o = run(Rule::ThreeQuartersEligible, 0, 0, 0, 0, 0);
        assert_eq!(
            o.reason,
            Reason::EmptyBase {
                rule: Rule::ThreeQuartersEligible,
                base: BaseKind::Eligible
            }
        );
        assert!(!o.passed);
    }

    // ---- validation ----

    #[test]
    fn more_counted_than_present_is_an_error() {
        let err = decide(Rule::MajorityPresent, &yn(5, 5, 3), &el(12, 20)).unwrap_err();
        assert_eq!(
            err,
            TallyError::MoreThanPresent {
                counted: 13,
                present: 12
            }
        );
        for rule in [Rule::Simple, Rule::TwoThirdsCast, Rule::Consensus] {
            assert_eq!(
                decide(rule, &yn(1, 0, 0), &el(0, 0)),
                Err(TallyError::MoreThanPresent {
                    counted: 1,
                    present: 0
                }),
                "{rule:?}"
            );
        }
    }

    #[test]
    fn counted_equal_to_present_is_fine() {
        assert!(decide(Rule::Simple, &yn(5, 4, 3), &el(12, 12)).is_ok());
    }

    #[test]
    fn heads_do_not_overflow() {
        let err = decide(Rule::Simple, &yn(u32::MAX, u32::MAX, 1), &el(u32::MAX, 0)).unwrap_err();
        assert_eq!(
            err,
            TallyError::MoreThanPresent {
                counted: 2 * u64::from(u32::MAX) + 1,
                present: u32::MAX
            }
        );
    }

    #[test]
    fn more_counted_than_eligible_is_an_error_for_eligible_rules() {
        let err = decide(Rule::MajorityEligible, &yn(9, 0, 0), &el(10, 8)).unwrap_err();
        assert_eq!(
            err,
            TallyError::MoreThanEligible {
                counted: 9,
                eligible: 8
            }
        );
        // Rules on those present do not look at the eligible count.
        assert!(decide(Rule::MajorityPresent, &yn(9, 0, 0), &el(10, 8)).is_ok());
    }

    #[test]
    fn plurality_needs_options() {
        assert_eq!(
            decide(Rule::Plurality, &yn(1, 0, 0), &el(5, 5)),
            Err(TallyError::NeedsOptions)
        );
    }

    #[test]
    fn options_need_plurality() {
        for rule in [Rule::Simple, Rule::Consensus, Rule::OwnersOrdinary] {
            assert_eq!(
                decide(rule, &options(&[3, 2], 0), &el(5, 5)),
                Err(TallyError::OptionsNeedPlurality { rule })
            );
        }
    }

    #[test]
    fn plurality_without_options_is_an_error() {
        assert_eq!(
            decide(Rule::Plurality, &options(&[], 0), &el(5, 5)),
            Err(TallyError::NoOptions)
        );
    }

    #[test]
    fn plurality_counts_abstentions_against_present() {
        assert_eq!(
            decide(Rule::Plurality, &options(&[4, 3], 2), &el(8, 8)),
            Err(TallyError::MoreThanPresent {
                counted: 9,
                present: 8
            })
        );
        assert!(decide(Rule::Plurality, &options(&[4, 3], 1), &el(8, 8)).is_ok());
    }

    // ---- owners' rules (民法典 第278条) ----

    #[test]
    fn owners_ordinary_passes_with_double_majority() {
        // 20 of 30 owners, 2000 of 3000 m²: exactly two thirds on both.
        let o = owners(Rule::OwnersOrdinary, w(11, 110_000), w(9, 90_000), w(0, 0)).unwrap();
        assert!(o.passed);
        assert_eq!(o.base, BaseKind::Participating);
        assert_eq!(o.base_count, 20);
        assert_eq!(
            o.reason,
            Reason::OwnersDecision {
                rule: Rule::OwnersOrdinary,
                yes_heads: 11,
                heads: 20,
                yes_area: Area(110_000),
                area: Area(200_000),
                eligible: OWNERS,
                eligible_area: OWNERS_AREA,
                heads_met: true,
                area_met: true,
            }
        );
    }

    #[test]
    fn owners_participation_area_just_below_two_thirds() {
        let o = owners(Rule::OwnersOrdinary, w(11, 110_000), w(9, 89_999), w(0, 0)).unwrap();
        assert!(!o.passed);
        assert_eq!(o.base_count, 20);
        assert_eq!(
            o.reason,
            Reason::OwnersParticipation {
                heads: 20,
                eligible: OWNERS,
                area: Area(199_999),
                eligible_area: OWNERS_AREA,
                heads_met: true,
                area_met: false,
            }
        );
    }

    #[test]
    fn owners_participation_heads_just_below_two_thirds() {
        let o = owners(Rule::OwnersOrdinary, w(11, 110_000), w(8, 90_000), w(0, 0)).unwrap();
        assert!(!o.passed);
        assert!(matches!(
            o.reason,
            Reason::OwnersParticipation {
                heads: 19,
                heads_met: false,
                area_met: true,
                ..
            }
        ));
    }

    #[test]
    fn owners_participation_both_short() {
        let o = owners(Rule::OwnersMajor, w(19, 199_999), w(0, 0), w(0, 0)).unwrap();
        assert!(!o.passed);
        assert!(matches!(
            o.reason,
            Reason::OwnersParticipation {
                heads_met: false,
                area_met: false,
                ..
            }
        ));
    }

    #[test]
    fn owners_abstentions_count_as_participation() {
        // Abstentions bring participation to two thirds; without them it falls short.
        let o = owners(Rule::OwnersOrdinary, w(15, 150_000), w(0, 0), w(5, 50_000)).unwrap();
        assert!(o.passed);
        let o = owners(Rule::OwnersOrdinary, w(15, 150_000), w(0, 0), w(0, 0)).unwrap();
        assert!(matches!(o.reason, Reason::OwnersParticipation { .. }));
    }

    #[test]
    fn owners_ordinary_abstentions_count_against_the_decision() {
        // 10 of 20 participating say yes: not more than half, though only 5 say no.
        let o = owners(
            Rule::OwnersOrdinary,
            w(10, 110_000),
            w(5, 40_000),
            w(5, 50_000),
        )
        .unwrap();
        assert!(!o.passed);
        assert!(matches!(
            o.reason,
            Reason::OwnersDecision {
                heads_met: false,
                area_met: true,
                ..
            }
        ));
    }

    #[test]
    fn owners_ordinary_area_passes_heads_fail() {
        let o = owners(
            Rule::OwnersOrdinary,
            w(10, 130_000),
            w(11, 110_000),
            w(0, 0),
        )
        .unwrap();
        assert!(!o.passed);
        assert!(matches!(
            o.reason,
            Reason::OwnersDecision {
                heads_met: false,
                area_met: true,
                ..
            }
        ));
    }

    #[test]
    fn owners_ordinary_heads_pass_area_fails() {
        let o = owners(
            Rule::OwnersOrdinary,
            w(11, 100_000),
            w(10, 140_000),
            w(0, 0),
        )
        .unwrap();
        assert!(!o.passed);
        assert!(matches!(
            o.reason,
            Reason::OwnersDecision {
                heads_met: true,
                area_met: false,
                ..
            }
        ));
    }

    #[test]
    fn owners_ordinary_exactly_half_the_area_fails() {
        let o = owners(Rule::OwnersOrdinary, w(11, 100_000), w(9, 100_000), w(0, 0)).unwrap();
        assert!(!o.passed);
        assert!(matches!(
            o.reason,
            Reason::OwnersDecision {
                heads_met: true,
                area_met: false,
                ..
            }
        ));
        let o = owners(Rule::OwnersOrdinary, w(11, 100_001), w(9, 99_999), w(0, 0)).unwrap();
        assert!(o.passed);
    }

    #[test]
    fn owners_major_exactly_three_quarters_passes() {
        let o = owners(Rule::OwnersMajor, w(15, 150_000), w(5, 50_000), w(0, 0)).unwrap();
        assert!(o.passed);
        assert_eq!(o.base_count, 20);
    }

    #[test]
    fn owners_major_area_just_below_three_quarters() {
        let o = owners(Rule::OwnersMajor, w(15, 149_999), w(5, 50_001), w(0, 0)).unwrap();
        assert!(!o.passed);
        assert!(matches!(
            o.reason,
            Reason::OwnersDecision {
                rule: Rule::OwnersMajor,
                heads_met: true,
                area_met: false,
                ..
            }
        ));
    }

    #[test]
    fn owners_major_heads_just_below_three_quarters() {
        let o = owners(Rule::OwnersMajor, w(14, 160_000), w(6, 40_000), w(0, 0)).unwrap();
        assert!(!o.passed);
        assert!(matches!(
            o.reason,
            Reason::OwnersDecision {
                heads_met: false,
                area_met: true,
                ..
            }
        ));
    }

    #[test]
    fn owners_need_areas() {
        let votes = Votes::YesNo {
            yes: heads(20),
            no: heads(0),
            abstain: heads(0),
        };
        for rule in [Rule::OwnersOrdinary, Rule::OwnersMajor] {
            assert_eq!(
                decide(rule, &votes, &el(20, 30)),
                Err(TallyError::NeedsAreas { rule })
            );
        }
    }

    #[test]
    fn owners_need_the_number_of_owners() {
        let e = Electorate {
            present: 0,
            eligible: 0,
            eligible_area: OWNERS_AREA,
        };
        let votes = Votes::YesNo {
            yes: w(0, 0),
            no: w(0, 0),
            abstain: w(0, 0),
        };
        assert_eq!(
            decide(Rule::OwnersMajor, &votes, &e),
            Err(TallyError::NoOwners {
                rule: Rule::OwnersMajor
            })
        );
    }

    #[test]
    fn owners_more_heads_than_owners_is_an_error() {
        assert_eq!(
            owners(
                Rule::OwnersOrdinary,
                w(20, 100_000),
                w(10, 100_000),
                w(1, 0)
            ),
            Err(TallyError::MoreThanEligible {
                counted: 31,
                eligible: 30
            })
        );
    }

    #[test]
    fn owners_more_area_than_all_units_is_an_error() {
        assert_eq!(
            owners(Rule::OwnersOrdinary, w(20, 200_000), w(5, 100_001), w(0, 0)),
            Err(TallyError::AreaMoreThanEligible {
                counted: Area(300_001),
                eligible: OWNERS_AREA
            })
        );
    }

    #[test]
    fn owners_rules_do_not_check_those_present() {
        // Owners may vote in writing: `present` (0 here) is not the limit.
        assert!(owners(Rule::OwnersOrdinary, w(25, 250_000), w(0, 0), w(0, 0)).is_ok());
    }

    // ---- plurality ----

    #[test]
    fn plurality_winner() {
        let o = decide(Rule::Plurality, &options(&[3, 7, 2], 1), &el(13, 13)).unwrap();
        assert!(o.passed);
        assert_eq!(o.winner, Some(1));
        assert!(o.tied.is_empty());
        assert_eq!(o.base, BaseKind::Options);
        assert_eq!(o.base_count, 12);
    }

    #[test]
    fn plurality_tie_for_second_place_does_not_matter() {
        let o = decide(Rule::Plurality, &options(&[2, 6, 2], 0), &el(10, 10)).unwrap();
        assert_eq!(o.winner, Some(1));
        assert!(o.passed);
    }

    #[test]
    fn plurality_two_way_tie_is_reported() {
        let o = decide(Rule::Plurality, &options(&[5, 5, 1], 0), &el(11, 11)).unwrap();
        assert!(!o.passed);
        assert_eq!(o.winner, None);
        assert_eq!(o.tied, vec![0, 1]);
        assert_eq!(
            o.reason,
            Reason::Plurality {
                counts: vec![5, 5, 1],
                abstain: 0,
                winner: None,
                tied: vec![0, 1]
            }
        );
    }

    #[test]
    fn plurality_three_way_tie_is_reported() {
        let o = decide(Rule::Plurality, &options(&[1, 4, 4, 4], 2), &el(15, 15)).unwrap();
        assert!(!o.passed);
        assert_eq!(o.winner, None);
        assert_eq!(o.tied, vec![1, 2, 3]);
    }

    #[test]
    fn plurality_nothing_cast_gives_no_result() {
        let o = decide(Rule::Plurality, &options(&[0, 0], 3), &el(5, 5)).unwrap();
        assert!(!o.passed);
        assert_eq!(o.winner, None);
        assert!(o.tied.is_empty());
        assert_eq!(o.base_count, 0);
    }

    #[test]
    fn plurality_single_option() {
        let o = decide(Rule::Plurality, &options(&[1], 0), &el(1, 1)).unwrap();
        assert_eq!(o.winner, Some(0));
        let o = decide(Rule::Plurality, &options(&[0], 0), &el(1, 1)).unwrap();
        assert_eq!(o.winner, None);
        assert!(!o.passed);
    }

    // ---- consensus ----

    #[test]
    fn consensus_passes_without_objections() {
        let o = run(Rule::Consensus, 9, 0, 2, 11, 11);
        assert!(o.passed);
        assert_eq!(o.base, BaseKind::Present);
        assert_eq!(o.base_count, 11);
        assert_eq!(
            o.reason,
            Reason::Consensus {
                objections: 0,
                yes: 9,
                abstain: 2
            }
        );
    }

    #[test]
    fn consensus_fails_with_one_objection() {
        let o = run(Rule::Consensus, 10, 1, 0, 11, 11);
        assert!(!o.passed);
        assert!(matches!(o.reason, Reason::Consensus { objections: 1, .. }));
    }

    #[test]
    fn consensus_needs_somebody_to_take_part() {
        assert!(!run(Rule::Consensus, 0, 0, 0, 11, 11).passed);
        assert!(run(Rule::Consensus, 0, 0, 1, 11, 11).passed);
    }

    // ---- rule properties ----

    #[test]
    fn rule_bases() {
        use BaseKind::*;
        let expected = [
            (Rule::Simple, Cast),
            (Rule::MajorityPresent, Present),
            (Rule::MajorityEligible, Eligible),
            (Rule::TwoThirdsCast, Cast),
            (Rule::TwoThirdsPresent, Present),
            (Rule::TwoThirdsEligible, Eligible),
            (Rule::ThreeQuartersCast, Cast),
            (Rule::ThreeQuartersPresent, Present),
            (Rule::ThreeQuartersEligible, Eligible),
            (Rule::AtLeastHalfEligible, Eligible),
            (Rule::OwnersOrdinary, Participating),
            (Rule::OwnersMajor, Participating),
            (Rule::Plurality, Options),
            (Rule::Consensus, Present),
        ];
        assert_eq!(expected.len(), Rule::ALL.len());
        for (rule, base) in expected {
            assert_eq!(rule.base(), base, "{rule:?}");
        }
    }

    #[test]
    fn rule_needs() {
        for &rule in Rule::ALL {
            let owners = matches!(rule, Rule::OwnersOrdinary | Rule::OwnersMajor);
            assert_eq!(rule.needs_roll_call(), owners, "{rule:?}");
            assert_eq!(rule.needs_options(), rule == Rule::Plurality, "{rule:?}");
        }
    }

    #[test]
    fn every_base_matches_outcome_base() {
        for &rule in Rule::ALL {
            let o = match rule {
                Rule::Plurality => decide(rule, &options(&[2, 1], 0), &el(3, 3)),
                Rule::OwnersOrdinary | Rule::OwnersMajor => {
                    owners(rule, w(20, 200_000), w(0, 0), w(0, 0))
                }
                _ => decide(rule, &yn(2, 1, 0), &el(3, 3)),
            }
            .unwrap();
            assert_eq!(o.base, rule.base(), "{rule:?}");
        }
    }

    // ---- percentages ----

    #[test]
    fn share_has_one_decimal() {
        assert_eq!(share(2, 3), "66.7%");
        assert_eq!(share(1, 3), "33.3%");
        assert_eq!(share(1, 2), "50.0%");
        assert_eq!(share(12, 12), "100.0%");
        assert_eq!(share(0, 12), "0.0%");
        assert_eq!(share(1, 16), "6.3%"); // 6.25 rounds half up
        assert_eq!(share(5, 0), "0%");
        assert_eq!(share(0, 0), "0%");
        assert_eq!(share(u32::MAX, u32::MAX), "100.0%");
    }

    #[test]
    fn percent2_never_contradicts_the_verdict() {
        let t = Fraction::TwoThirds;
        assert_eq!(percent2(2, 3, t), "66.67%");
        assert_eq!(percent2(199_999, 300_000, t), "66.66%");
        assert_eq!(percent2(25, 30, t), "83.33%");
        assert_eq!(percent2(0, 0, t), "0.00%");
        let h = Fraction::Half;
        assert_eq!(percent2(100_001, 200_000, h), "50.01%");
        assert_eq!(percent2(1, 2, h), "50.00%");
        let q = Fraction::ThreeQuarters;
        assert_eq!(percent2(149_999, 200_000, q), "74.99%");
        assert_eq!(percent2(3, 4, q), "75.00%");
    }

    #[test]
    fn previews_round_as_the_verdict_does() {
        // 199 999 of 300 000 m² is just short of two thirds: never shown as 66.67%.
        assert_eq!(participation_share(199_999, 300_000), "66.66%");
        assert_eq!(participation_share(2, 3), "66.67%");
        assert_eq!(
            decision_share(Rule::OwnersMajor, 149_999, 200_000),
            "74.99%"
        );
        assert_eq!(decision_share(Rule::OwnersOrdinary, 1, 2), "50.00%");
    }

    // ---- describe ----

    fn say(o: &Outcome, lang: Lang) -> String {
        o.reason.describe(lang, &[])
    }

    #[test]
    fn describe_majority_passed() {
        let o = run(Rule::MajorityPresent, 9, 2, 1, 12, 20);
        assert_eq!(
            say(&o, Lang::Zh),
            "赞成 9 票，超过到会 12 人的半数（至少需 7 票），通过。"
        );
        assert_eq!(
            say(&o, Lang::En),
            "9 in favour, more than half of the 12 present (at least 7 needed): passed."
        );
    }

    #[test]
    fn describe_majority_failed_eligible() {
        let o = run(Rule::MajorityEligible, 6, 0, 0, 8, 12);
        assert_eq!(
            say(&o, Lang::Zh),
            "赞成 6 票，未超过应到 12 人的半数（至少需 7 票），未通过。"
        );
        assert_eq!(
            say(&o, Lang::En),
            "6 in favour, not more than half of the 12 eligible (at least 7 needed): not passed."
        );
    }

    #[test]
    fn describe_two_thirds_failed() {
        let o = run(Rule::TwoThirdsPresent, 8, 5, 0, 13, 13);
        assert_eq!(
            say(&o, Lang::Zh),
            "赞成 8 票，未达到到会人数 13 人的三分之二（至少需 9 票），未通过。"
        );
        assert_eq!(
            say(&o, Lang::En),
            "8 in favour, less than two thirds of the 13 present (at least 9 needed): not passed."
        );
    }

    #[test]
    fn describe_three_quarters_cast_passed() {
        let o = run(Rule::ThreeQuartersCast, 9, 3, 2, 14, 14);
        assert_eq!(
            say(&o, Lang::Zh),
            "赞成 9 票，达到投票数（不含弃权票）12 票的四分之三（至少需 9 票），通过。"
        );
        assert_eq!(
            say(&o, Lang::En),
            "9 in favour, at least three quarters of the 12 votes cast (at least 9 needed): passed."
        );
    }

    #[test]
    fn describe_simple() {
        let o = run(Rule::Simple, 5, 5, 1, 11, 11);
        assert_eq!(
            say(&o, Lang::Zh),
            "赞成 5 票，反对 5 票，赞成票未多于反对票（至少需 6 票），未通过。"
        );
        assert_eq!(
            say(&o, Lang::En),
            "5 in favour, 5 against, not more in favour than against (at least 6 needed): not passed."
        );
        let o = run(Rule::Simple, 7, 5, 0, 12, 12);
        assert!(say(&o, Lang::Zh).contains("赞成票多于反对票"));
        assert!(say(&o, Lang::Zh).ends_with("，通过。"));
    }

    #[test]
    fn describe_empty_base() {
        let o = run(Rule::TwoThirdsCast, 0, 0, 4, 4, 4);
        assert_eq!(
            say(&o, Lang::Zh),
            "没有赞成票或反对票（弃权不计入投票数），未通过。"
        );
        assert_eq!(
            say(&o, Lang::En),
            "No votes were cast for or against (abstentions are not votes cast): not passed."
        );
        let o = run(Rule::MajorityPresent, 0, 0, 0, 0, 4);
        assert_eq!(say(&o, Lang::Zh), "到会人数为 0，未通过。");
        assert_eq!(say(&o, Lang::En), "Nobody is present: not passed.");
    }

    #[test]
    fn describe_owners_participation_by_area() {
        // 1800 of 3000 m² (60%), 25 of 30 owners.
        let o = owners(Rule::OwnersOrdinary, w(25, 180_000), w(0, 0), w(0, 0)).unwrap();
        let zh = say(&o, Lang::Zh);
        assert_eq!(
            zh,
            "参与表决的业主专有部分面积占 60.00%（1800.00/3000.00 m²），不足三分之二；\
             人数占 83.33%（25/30 人），达到三分之二。参与表决的面积不足，未通过。"
        );
        let en = say(&o, Lang::En);
        assert_eq!(
            en,
            "Owners taking part hold 60.00% of the total area (1800.00 of 3000.00 m²), \
             less than two thirds, and are 83.33% of all owners (25 of 30), at least two thirds: \
             not passed, too little area took part."
        );
    }

    #[test]
    fn describe_owners_participation_by_heads_and_both() {
        let o = owners(Rule::OwnersOrdinary, w(11, 110_000), w(8, 90_000), w(0, 0)).unwrap();
        let zh = say(&o, Lang::Zh);
        assert!(
            zh.contains("人数占 63.33%（19/30 人），不足三分之二"),
            "{zh}"
        );
        assert!(zh.ends_with("参与表决的人数不足，未通过。"), "{zh}");
        assert!(say(&o, Lang::En).ends_with("not passed, too few owners took part."));

        let o = owners(Rule::OwnersOrdinary, w(19, 199_999), w(0, 0), w(0, 0)).unwrap();
        let zh = say(&o, Lang::Zh);
        assert!(
            zh.contains("面积占 66.66%（1999.99/3000.00 m²），不足三分之二"),
            "{zh}"
        );
        assert!(zh.ends_with("参与表决的面积和人数均不足，未通过。"), "{zh}");
        assert!(
            say(&o, Lang::En)
                .ends_with("not passed, too little area and too few owners took part.")
        );
    }

    #[test]
    fn describe_owners_decision_area_passes_heads_fail() {
        let o = owners(
            Rule::OwnersOrdinary,
            w(10, 130_000),
            w(11, 110_000),
            w(0, 0),
        )
        .unwrap();
        assert_eq!(
            say(&o, Lang::Zh),
            "参与表决的业主 21/30 人、专有部分面积 2400.00/3000.00 m²，达到三分之二；\
             赞成的业主专有部分面积占参与表决面积的 54.17%（1300.00/2400.00 m²），超过半数；\
             人数占参与表决人数的 47.62%（10/21 人），未超过半数。赞成的人数不足，未通过。"
        );
        assert_eq!(
            say(&o, Lang::En),
            "Enough owners took part (21 of 30, 2400.00 of 3000.00 m²). \
             Owners in favour hold 54.17% of the participating area (1300.00 of 2400.00 m²), \
             more than half, and are 47.62% of the participating owners (10 of 21), \
             not more than half: not passed, too few owners in favour."
        );
    }

    #[test]
    fn describe_owners_decision_heads_pass_area_fails_and_passed() {
        let o = owners(
            Rule::OwnersOrdinary,
            w(11, 100_000),
            w(10, 140_000),
            w(0, 0),
        )
        .unwrap();
        let zh = say(&o, Lang::Zh);
        assert!(
            zh.contains("41.67%（1000.00/2400.00 m²），未超过半数"),
            "{zh}"
        );
        assert!(zh.ends_with("赞成的面积不足，未通过。"), "{zh}");
        assert!(say(&o, Lang::En).ends_with("not passed, too little area in favour."));

        let o = owners(Rule::OwnersMajor, w(15, 150_000), w(5, 50_000), w(0, 0)).unwrap();
        let zh = say(&o, Lang::Zh);
        assert!(
            zh.contains("75.00%（1500.00/2000.00 m²），达到四分之三"),
            "{zh}"
        );
        assert!(zh.ends_with("达到四分之三。通过。"), "{zh}");
        assert!(say(&o, Lang::En).contains("at least three quarters"));
        assert!(say(&o, Lang::En).ends_with(": passed."));
    }

    #[test]
    fn describe_plurality_winner() {
        let o = decide(Rule::Plurality, &options(&[3, 7, 2], 1), &el(13, 13)).unwrap();
        let opts = names(&["12月5日", "12月12日", "12月19日"]);
        assert_eq!(
            o.reason.describe(Lang::Zh, &opts),
            "选项「12月12日」得 7 票（共 12 票），得票最多，通过。"
        );
        assert_eq!(
            o.reason.describe(Lang::En, &opts),
            "Option “12月12日” has the most votes, 7 of 12: passed."
        );
    }

    #[test]
    fn describe_plurality_two_way_tie() {
        let o = decide(Rule::Plurality, &options(&[5, 5, 1], 0), &el(11, 11)).unwrap();
        let opts = names(&["12月5日", "12月12日", "12月19日"]);
        assert_eq!(
            o.reason.describe(Lang::Zh, &opts),
            "选项「12月5日」与「12月12日」各得 5 票，票数相同，未产生结果。"
        );
        let opts = names(&["5 Dec", "12 Dec", "19 Dec"]);
        assert_eq!(
            o.reason.describe(Lang::En, &opts),
            "Options “5 Dec” and “12 Dec” have 5 votes each, a tie: no result."
        );
    }

    #[test]
    fn describe_plurality_three_way_tie_and_missing_names() {
        let o = decide(Rule::Plurality, &options(&[1, 4, 4, 4], 2), &el(15, 15)).unwrap();
        let opts = names(&["甲", "乙", "丙"]);
        assert_eq!(
            o.reason.describe(Lang::Zh, &opts),
            "选项「乙」、「丙」与「第 4 项」各得 4 票，票数相同，未产生结果。"
        );
        assert_eq!(
            o.reason.describe(Lang::En, &opts),
            "Options “乙”, “丙” and “no. 4” have 4 votes each, a tie: no result."
        );
    }

    #[test]
    fn describe_plurality_nothing_cast() {
        let o = decide(Rule::Plurality, &options(&[0, 0], 3), &el(5, 5)).unwrap();
        assert_eq!(say(&o, Lang::Zh), "没有人投票给任何选项，未产生结果。");
        assert_eq!(
            say(&o, Lang::En),
            "No votes were cast for any option: no result."
        );
    }

    #[test]
    fn describe_consensus() {
        let o = run(Rule::Consensus, 9, 2, 0, 11, 11);
        assert_eq!(say(&o, Lang::Zh), "有 2 人反对，未能协商一致，未通过。");
        assert_eq!(say(&o, Lang::En), "2 objected, no consensus: not passed.");
        let o = run(Rule::Consensus, 9, 0, 2, 11, 11);
        assert_eq!(
            say(&o, Lang::Zh),
            "无人反对（赞成 9 人，弃权 2 人），协商一致，通过。"
        );
        assert_eq!(
            say(&o, Lang::En),
            "Nobody objected (9 in favour, 2 abstaining), consensus: passed."
        );
        let o = run(Rule::Consensus, 0, 0, 0, 11, 11);
        assert_eq!(say(&o, Lang::Zh), "无人参与表决，未通过。");
        assert_eq!(say(&o, Lang::En), "Nobody took part: not passed.");
    }

    #[test]
    fn describe_errors_in_both_languages() {
        let cases: Vec<(TallyError, &[&str], &[&str])> = vec![
            (
                TallyError::MoreThanPresent {
                    counted: 13,
                    present: 12,
                },
                &["13", "到会人数 12 人", "核对"],
                &["13", "only 12 are present"],
            ),
            (
                TallyError::MoreThanEligible {
                    counted: 31,
                    eligible: 30,
                },
                &["31", "应到人数 30 人"],
                &["31", "only 30 are eligible"],
            ),
            (
                TallyError::AreaMoreThanEligible {
                    counted: Area(300_001),
                    eligible: OWNERS_AREA,
                },
                &["3000.01 m²", "3000.00 m²", "面积"],
                &["3000.01 m²", "3000.00 m²"],
            ),
            (
                TallyError::NeedsAreas {
                    rule: Rule::OwnersMajor,
                },
                &["业主共同决定重大事项", "面积", "记名表决"],
                &["owners' major matter", "area", "roll call"],
            ),
            (
                TallyError::NoOwners {
                    rule: Rule::OwnersOrdinary,
                },
                &["业主共同决定一般事项", "全体业主人数"],
                &["owners' ordinary matter", "number of all owners"],
            ),
            (
                TallyError::NeedsOptions,
                &["相对多数", "选项"],
                &["plurality", "per option"],
            ),
            (
                TallyError::OptionsNeedPlurality { rule: Rule::Simple },
                &["相对多数", "简单多数"],
                &["plurality", "simple majority"],
            ),
            (
                TallyError::NoOptions,
                &["至少需要一个选项"],
                &["at least one option"],
            ),
        ];
        for (err, zh_words, en_words) in cases {
            let zh = err.describe(Lang::Zh);
            let en = err.describe(Lang::En);
            for word in zh_words {
                assert!(zh.contains(word), "{err:?}: {zh:?} lacks {word:?}");
            }
            for word in en_words {
                assert!(en.contains(word), "{err:?}: {en:?} lacks {word:?}");
            }
            assert!(zh.ends_with('。'), "{zh}");
            assert!(en.ends_with('.'), "{en}");
        }
    }

    #[test]
    fn errors_display_in_english() {
        assert_eq!(
            TallyError::MoreThanPresent {
                counted: 13,
                present: 12
            }
            .to_string(),
            "13 counted, but only 12 present"
        );
        assert_eq!(
            TallyError::NeedsAreas {
                rule: Rule::OwnersOrdinary
            }
            .to_string(),
            "rule owners_ordinary needs the owners' areas: take a roll call with areas"
        );
        assert_eq!(
            TallyError::AreaMoreThanEligible {
                counted: Area(300_001),
                eligible: OWNERS_AREA
            }
            .to_string(),
            "3000.01 m² counted, but all owners' units total only 3000.00 m²"
        );
    }

    #[test]
    fn outcome_round_trips_through_json() {
        let o = owners(
            Rule::OwnersOrdinary,
            w(10, 130_000),
            w(11, 110_000),
            w(0, 0),
        )
        .unwrap();
        let json = serde_json::to_string(&o).unwrap();
        assert!(json.contains("\"owners_decision\""), "{json}");
        let back: Outcome = serde_json::from_str(&json).unwrap();
        assert_eq!(back, o);
    }
}
