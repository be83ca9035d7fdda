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
    Unimplemented,
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
    #[error("unimplemented")]
    Unimplemented,
}

/// Decides a vote under `rule`.
pub fn decide(rule: Rule, votes: &Votes, electorate: &Electorate) -> Result<Outcome, TallyError> {
    let _ = (rule, votes, electorate);
    Err(TallyError::Unimplemented)
}

impl Rule {
    pub fn needs_roll_call(self) -> bool {
        matches!(self, Rule::OwnersOrdinary | Rule::OwnersMajor)
    }
}

impl TallyError {
    pub fn describe(&self, lang: Lang) -> String {
        let _ = lang;
        self.to_string()
    }
}

impl Reason {
    pub fn describe(&self, lang: Lang, options: &[String]) -> String {
        let _ = (lang, options);
        String::new()
    }
}
