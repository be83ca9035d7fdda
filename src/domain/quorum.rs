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
}

impl Quorum {
    pub fn check(&self, present: u32, eligible: u32) -> QuorumCheck {
        let _ = (present, eligible);
        unimplemented!()
    }

    pub fn describe(&self, lang: Lang) -> String {
        let _ = lang;
        unimplemented!()
    }
}

impl QuorumCheck {
    pub fn describe(&self, lang: Lang) -> String {
        let _ = lang;
        format!("{}/{}", self.present, self.eligible)
    }
}

impl Quorum {
    pub fn key(&self) -> String {
        String::new()
    }
}
