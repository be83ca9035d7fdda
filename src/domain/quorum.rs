//! 法定人数: how many voters must be present before a vote may be taken.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// The quorum rule of a meeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quorum {
    /// More than half of the eligible (过半数).
    Majority,
    /// At least two thirds of the eligible (三分之二以上).
    TwoThirds,
    /// At least this many.
    AtLeast(u32),
    /// No quorum.
    None,
}

/// The quorum state at a moment: 实到 / 应到 and whether it is met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuorumCheck {
    pub present: u32,
    pub eligible: u32,
    pub required: u32,
    pub met: bool,
    /// Walk-ins among those present: when they take 实到 above 应到, both are said apart.
    #[serde(default)]
    pub walk_ins: u32,
}

impl Quorum {
    /// The smallest number present that meets the quorum out of `eligible`.
    ///
    /// 过半数 is strictly more than half (`eligible / 2 + 1`); 三分之二以上 includes the exact
    /// two thirds (`ceil(2 × eligible / 3)`). Integer arithmetic only.
    pub fn required(&self, eligible: u32) -> u32 {
        match *self {
            Quorum::Majority => eligible / 2 + 1,
            Quorum::TwoThirds => {
                let e = u64::from(eligible);
                // ceil(2e / 3) never exceeds e, so it fits in u32.
                ((2 * e).div_ceil(3)) as u32
            }
            Quorum::AtLeast(n) => n,
            Quorum::None => 0,
        }
    }

    pub fn check(&self, present: u32, eligible: u32) -> QuorumCheck {
        let required = self.required(eligible);
        QuorumCheck {
            present,
            eligible,
            required,
            met: present >= required,
            walk_ins: 0,
        }
    }

    pub fn describe(&self, lang: Lang) -> String {
        match *self {
            Quorum::Majority => lang.pick("过半数", "more than half").to_string(),
            Quorum::TwoThirds => lang.pick("三分之二以上", "at least two thirds").to_string(),
            Quorum::AtLeast(n) => match lang {
                Lang::Zh => format!("至少 {n} 人"),
                Lang::En => format!("at least {n}"),
            },
            Quorum::None => lang.pick("不设法定人数", "no quorum").to_string(),
        }
    }

    /// The key used in agenda files and the database: `majority`, `two_thirds`, a number, `none`.
    pub fn key(&self) -> String {
        match *self {
            Quorum::Majority => "majority".to_string(),
            Quorum::TwoThirds => "two_thirds".to_string(),
            Quorum::AtLeast(n) => n.to_string(),
            Quorum::None => "none".to_string(),
        }
    }

    /// The inverse of [`Quorum::key`]. A number must be plain decimal digits.
    pub fn parse_key(key: &str) -> Option<Quorum> {
        let key = key.trim();
        match key {
            "majority" => Some(Quorum::Majority),
            "two_thirds" => Some(Quorum::TwoThirds),
            "none" => Some(Quorum::None),
            _ if !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit()) => {
                key.parse().ok().map(Quorum::AtLeast)
            }
            _ => None,
        }
    }
}

impl QuorumCheck {
    /// 实到 / 应到 as the header says it: `实到 9/12`, or, when walk-ins take those present
    /// above the roll, `实到 13（含临时到场 1）/ 应到 12` (never "108%").
    pub fn present_of_eligible(&self, lang: Lang) -> String {
        let QuorumCheck {
            present,
            eligible,
            walk_ins,
            ..
        } = *self;
        match lang {
            Lang::Zh if present > eligible && walk_ins > 0 => {
                format!("实到 {present}（含临时到场 {walk_ins}）/ 应到 {eligible}")
            }
            Lang::Zh => format!("实到 {present}/{eligible}"),
            Lang::En if present > eligible && walk_ins > 0 => {
                format!("Present {present} (incl. {walk_ins} walk-in) / eligible {eligible}")
            }
            Lang::En => format!("Present {present}/{eligible}"),
        }
    }

    /// 实到 / 应到 and whether the quorum is met, as the chair reads it out.
    pub fn describe(&self, lang: Lang) -> String {
        let QuorumCheck {
            present,
            eligible,
            required,
            met,
            walk_ins,
        } = *self;
        let over = present > eligible && walk_ins > 0;
        match lang {
            Lang::Zh => {
                let head = self.present_of_eligible(lang);
                if required == 0 {
                    format!("{head}，不设法定人数")
                } else if met {
                    format!("{head}，已达法定人数（至少 {required} 人）")
                } else {
                    format!("{head}，未达法定人数（至少需 {required} 人）")
                }
            }
            Lang::En => {
                let head = if over {
                    format!("{present} present (incl. {walk_ins} walk-in) of {eligible} eligible")
                } else {
                    format!("{present} of {eligible} present")
                };
                if required == 0 {
                    format!("{head}, no quorum required")
                } else if met {
                    format!("{head}, quorum met ({required} needed)")
                } else {
                    format!("{head}, quorum not met ({required} needed)")
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn met(q: Quorum, present: u32, eligible: u32) -> bool {
        q.check(present, eligible).met
    }

    #[test]
    fn majority_is_strictly_more_than_half_even() {
        assert_eq!(Quorum::Majority.required(12), 7);
        assert!(!met(Quorum::Majority, 6, 12));
        assert!(met(Quorum::Majority, 7, 12));
    }

    #[test]
    fn majority_odd_eligible() {
        assert_eq!(Quorum::Majority.required(13), 7);
        assert!(!met(Quorum::Majority, 6, 13));
        assert!(met(Quorum::Majority, 7, 13));
        assert_eq!(Quorum::Majority.required(1), 1);
    }

    #[test]
    fn majority_zero_eligible_needs_one() {
        assert_eq!(
            Quorum::Majority.check(0, 0),
            QuorumCheck {
                present: 0,
                eligible: 0,
                required: 1,
                met: false,
                walk_ins: 0,
            }
        );
        assert!(met(Quorum::Majority, 1, 0));
    }

    #[test]
    fn two_thirds_includes_exact_fraction() {
        assert_eq!(Quorum::TwoThirds.required(12), 8);
        assert!(met(Quorum::TwoThirds, 8, 12));
        assert!(!met(Quorum::TwoThirds, 7, 12));
    }

    #[test]
    fn two_thirds_rounds_up_when_not_divisible() {
        assert_eq!(Quorum::TwoThirds.required(10), 7);
        assert!(!met(Quorum::TwoThirds, 6, 10));
        assert!(met(Quorum::TwoThirds, 7, 10));
        assert_eq!(Quorum::TwoThirds.required(13), 9);
        assert!(!met(Quorum::TwoThirds, 8, 13));
        assert!(met(Quorum::TwoThirds, 9, 13));
        assert_eq!(Quorum::TwoThirds.required(1), 1);
    }

    #[test]
    fn two_thirds_zero_eligible_is_met() {
        assert_eq!(Quorum::TwoThirds.required(0), 0);
        assert!(met(Quorum::TwoThirds, 0, 0));
    }

    #[test]
    fn two_thirds_large_eligible_does_not_overflow() {
        assert_eq!(Quorum::TwoThirds.required(u32::MAX), 2_863_311_530);
        assert_eq!(Quorum::Majority.required(u32::MAX), 2_147_483_648);
    }

    #[test]
    fn at_least_boundary() {
        assert_eq!(Quorum::AtLeast(5).required(100), 5);
        assert!(!met(Quorum::AtLeast(5), 4, 100));
        assert!(met(Quorum::AtLeast(5), 5, 100));
        assert!(met(Quorum::AtLeast(0), 0, 0));
        // Independent of the eligible count.
        assert!(met(Quorum::AtLeast(3), 3, 0));
    }

    #[test]
    fn none_is_always_met() {
        assert_eq!(Quorum::None.required(12), 0);
        assert!(met(Quorum::None, 0, 12));
        assert!(met(Quorum::None, 0, 0));
    }

    #[test]
    fn describe_rule_both_languages() {
        assert_eq!(Quorum::Majority.describe(Lang::Zh), "过半数");
        assert_eq!(Quorum::Majority.describe(Lang::En), "more than half");
        assert_eq!(Quorum::TwoThirds.describe(Lang::Zh), "三分之二以上");
        assert_eq!(Quorum::TwoThirds.describe(Lang::En), "at least two thirds");
        assert_eq!(Quorum::AtLeast(15).describe(Lang::Zh), "至少 15 人");
        assert_eq!(Quorum::AtLeast(15).describe(Lang::En), "at least 15");
        assert_eq!(Quorum::None.describe(Lang::Zh), "不设法定人数");
        assert_eq!(Quorum::None.describe(Lang::En), "no quorum");
    }

    #[test]
    fn key_round_trips() {
        for q in [
            Quorum::Majority,
            Quorum::TwoThirds,
            Quorum::AtLeast(0),
            Quorum::AtLeast(42),
            Quorum::AtLeast(u32::MAX),
            Quorum::None,
        ] {
            assert_eq!(Quorum::parse_key(&q.key()), Some(q), "{q:?}");
        }
        assert_eq!(Quorum::Majority.key(), "majority");
        assert_eq!(Quorum::TwoThirds.key(), "two_thirds");
        assert_eq!(Quorum::AtLeast(7).key(), "7");
        assert_eq!(Quorum::None.key(), "none");
    }

    #[test]
    fn parse_key_rejects_junk() {
        for bad in [
            "",
            " ",
            "Majority",
            "half",
            "-1",
            "+5",
            "7.5",
            "4294967296",
            "7 people",
        ] {
            assert_eq!(Quorum::parse_key(bad), None, "{bad:?}");
        }
        assert_eq!(Quorum::parse_key(" 12 "), Some(Quorum::AtLeast(12)));
    }

    #[test]
    fn check_describe_met() {
        let c = Quorum::Majority.check(8, 12);
        assert_eq!(c.describe(Lang::Zh), "实到 8/12，已达法定人数（至少 7 人）");
        assert_eq!(
            c.describe(Lang::En),
            "8 of 12 present, quorum met (7 needed)"
        );
    }

    #[test]
    fn check_describe_not_met() {
        let c = Quorum::Majority.check(5, 12);
        assert_eq!(
            c.describe(Lang::Zh),
            "实到 5/12，未达法定人数（至少需 7 人）"
        );
        assert_eq!(
            c.describe(Lang::En),
            "5 of 12 present, quorum not met (7 needed)"
        );
    }

    #[test]
    fn walk_ins_above_the_roll_are_said_apart() {
        let mut c = Quorum::Majority.check(13, 12);
        c.walk_ins = 1;
        assert_eq!(
            c.present_of_eligible(Lang::Zh),
            "实到 13（含临时到场 1）/ 应到 12"
        );
        assert_eq!(
            c.describe(Lang::Zh),
            "实到 13（含临时到场 1）/ 应到 12，已达法定人数（至少 7 人）"
        );
        assert_eq!(
            c.describe(Lang::En),
            "13 present (incl. 1 walk-in) of 12 eligible, quorum met (7 needed)"
        );
        c.present = 9;
        assert_eq!(c.present_of_eligible(Lang::Zh), "实到 9/12");
    }

    #[test]
    fn check_describe_no_quorum() {
        let c = Quorum::None.check(3, 12);
        assert_eq!(c.describe(Lang::Zh), "实到 3/12，不设法定人数");
        assert_eq!(c.describe(Lang::En), "3 of 12 present, no quorum required");
    }
}
