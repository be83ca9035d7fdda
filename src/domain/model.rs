//! What a meeting is made of before it starts: its kind, the people and their roles, the items.
//! These are the facts an agenda file gives; `state` adds what happens in the room.

use serde::{Deserialize, Serialize};

use super::quorum::Quorum;
use super::tally::Rule;
use crate::lang::Lang;

/// Milliseconds since the Unix epoch. The domain never reads a clock: every command carries `now`.
pub type Millis = i64;
pub type ParticipantId = u32;
pub type ItemId = u32;

/// An area in hundredths of a square metre, so owners' rules compare integers, never floats.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Area(pub u64);

impl Area {
    /// From square metres as written in an agenda (86.5 → 8650).
    pub fn from_m2(m2: f64) -> Option<Area> {
        if m2.is_finite() && (0.0..1e12).contains(&m2) {
            Some(Area((m2 * 100.0).round() as u64))
        } else {
            None
        }
    }

    pub fn m2(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

impl std::fmt::Display for Area {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let whole = self.0 / 100;
        let frac = self.0 % 100;
        if frac == 0 {
            write!(f, "{whole}")
        } else if frac.is_multiple_of(10) {
            write!(f, "{whole}.{}", frac / 10)
        } else {
            write!(f, "{whole}.{frac:02}")
        }
    }
}

/// Declares a closed set of names with their agenda keys and labels in both languages.
macro_rules! keyed_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $key:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The key used in agenda files, the database and JSON.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn parse(key: &str) -> Option<$name> {
                match key { $($key => Some($name::$variant),)+ _ => None }
            }

            pub fn label(self, lang: Lang) -> &'static str {
                match self { $($name::$variant => lang.pick($zh, $en)),+ }
            }

            /// Every key, for "expected one of …" messages.
            pub fn keys() -> String {
                [$($key),+].join(" | ")
            }
        }
    };
}
pub(crate) use keyed_enum;

keyed_enum! {
    /// The kind of meeting, which gives the default vote rule.
    MeetingKind {
        Consultation = "consultation", "协商议事会", "consultation meeting";
        ResidentsMeeting = "residents_meeting", "居民会议", "residents' meeting";
        RepresentativesMeeting = "representatives_meeting", "居民代表会议", "representatives' meeting";
        OwnersMeeting = "owners_meeting", "业主大会", "owners' meeting";
        Hearing = "hearing", "听证会", "hearing";
        Coordination = "coordination", "协调会", "coordination meeting";
        Evaluation = "evaluation", "评议会", "evaluation meeting";
        OwnersCommitteeMeeting = "owners_committee_meeting", "业委会会议", "owners' committee meeting";
    }
}

impl MeetingKind {
    /// Who signs the public notice when the agenda names no `issuer`.
    pub fn default_issuer(self, lang: Lang) -> &'static str {
        match self {
            MeetingKind::OwnersMeeting => lang.pick("业主委员会", "The owners' committee"),
            _ => lang.pick("社区居民委员会", "The residents' committee"),
        }
    }

    /// The rule for a vote taken on an item whose agenda names none.
    pub fn default_rule(self) -> Rule {
        match self {
            MeetingKind::ResidentsMeeting | MeetingKind::RepresentativesMeeting => {
                Rule::MajorityPresent
            }
            MeetingKind::OwnersMeeting => Rule::OwnersOrdinary,
            // 业委会会议: 全体委员半数以上同意.
            MeetingKind::OwnersCommitteeMeeting => Rule::AtLeastHalfEligible,
            _ => Rule::Simple,
        }
    }

    /// Whether a member may be represented by a proxy: 业委会委员 cannot (委员不能委托代理人).
    pub fn allows_proxies(self) -> bool {
        self != MeetingKind::OwnersCommitteeMeeting
    }
}

keyed_enum! {
    /// Who a participant is in the meeting (the 7+X parties).
    Role {
        PartyOrg = "party_org", "党组织代表", "Party organisation";
        ResidentsCommittee = "residents_committee", "居委会", "residents' committee";
        SupervisionCommittee = "supervision_committee", "居务监督委员会", "supervision committee";
        OwnersCommittee = "owners_committee", "业委会", "owners' committee";
        Property = "property", "物业", "property management";
        ResidentRep = "resident_rep", "居民代表", "residents' representative";
        Resident = "resident", "居民", "resident";
        SocialWorker = "social_worker", "社工", "social worker";
        Stakeholder = "stakeholder", "利益相关方", "stakeholder";
        Guest = "guest", "列席", "guest";
        Other = "other", "其他", "other";
    }
}

keyed_enum! {
    /// The groups the fairness figures are reported in: were residents heard, or only officials?
    RoleGroup {
        Residents = "residents", "居民及代表", "residents and representatives";
        Committees = "committees", "两委及委员会", "committees and officials";
        PropertyAndUnits = "property", "物业及单位", "property and units";
        Others = "others", "其他", "others";
    }
}

impl Role {
    /// Guests and the social worker who facilitates do not vote unless the agenda says so.
    pub fn default_voter(self) -> bool {
        !matches!(self, Role::Guest | Role::SocialWorker)
    }

    pub fn group(self) -> RoleGroup {
        match self {
            Role::ResidentRep | Role::Resident | Role::Stakeholder => RoleGroup::Residents,
            Role::PartyOrg
            | Role::ResidentsCommittee
            | Role::SupervisionCommittee
            | Role::OwnersCommittee => RoleGroup::Committees,
            Role::Property => RoleGroup::PropertyAndUnits,
            Role::SocialWorker | Role::Guest | Role::Other => RoleGroup::Others,
        }
    }
}

keyed_enum! {
    /// What an agenda item is about.
    ItemKind {
        Policy = "policy", "政策议题", "policy";
        PublicAffairs = "public_affairs", "公共事务", "public affairs";
        Dispute = "dispute", "矛盾纠纷", "dispute";
        NeighbourDispute = "neighbour_dispute", "邻里纠纷", "neighbour dispute";
        Other = "other", "其他", "other";
    }
}

/// One unit an owner holds, with its exclusive area (专有部分面积).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitArea {
    pub unit: String,
    pub area: Area,
}

/// One person on the participant list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    pub id: ParticipantId,
    pub name: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<Area>,
    pub voter: bool,
    /// Kept for the committee's own contact list; never printed in a public notice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Added in the room rather than listed on the agenda.
    #[serde(default)]
    pub walk_in: bool,
    /// An owner with several units: each with its area. Then `unit` names them all and
    /// `area` is their sum: one owner is one head (最高法 建筑物区分所有权解释 第9条).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<UnitArea>,
    /// Signed in but not entitled to vote under an owners' rule, and why (a walk-in who gave
    /// no exclusive area, say): shown in the roll call, never counted in its bases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_entitled: Option<String>,
}

impl Participant {
    /// Takes part under an owners' rule: a voter with a known exclusive area.
    pub fn is_owner(&self) -> bool {
        self.voter && self.area.is_some()
    }
}

/// The vote an agenda plans for an item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VoteSpec {
    pub question: String,
    pub rule: Rule,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// A quorum for this vote only, where the law asks more of it than of the meeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quorum: Option<Quorum>,
}

/// One agenda item as planned.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemSpec {
    pub title: String,
    pub kind: ItemKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposer: Option<String>,
    /// Planned time in seconds.
    pub planned_secs: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vote: Option<VoteSpec>,
    /// The proposal (议题库 number) this item takes up, so the proposal's status follows the
    /// record of the meeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal: Option<u32>,
    /// In an evaluation meeting: the action item (`MEETING-ACTION`, as `yishi actions` numbers
    /// it) this item reviews, so the satisfaction vote goes back to that action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviews: Option<String>,
}

/// The meeting's header as the agenda gives it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeetingSpec {
    pub title: String,
    pub kind: MeetingKind,
    /// RFC 3339 as written in the agenda, e.g. `2026-11-28T19:00:00+08:00`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorder: Option<String>,
    /// Default time per speech, in seconds.
    pub speaker_limit_secs: u32,
    /// 应到人数 as the agenda states it; `None` means the number of voters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligible: Option<u32>,
    pub quorum: Quorum,
    /// Days residents may object after the notice is posted (公示期), if the agenda gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objection_days: Option<u32>,
    /// Owners' meetings: the registered total of exclusive area, when not every owner is
    /// listed (`eligible` then counts the owners of the same register).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_area: Option<Area>,
    /// How many absent members one holder may represent by proxy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_proxies: Option<u32>,
    /// 落款 of the public notice (e.g. 春晖苑业主委员会); the meeting kind gives a default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Where residents take objections: 联系人、电话、地址, as the agenda writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// The day the meeting notice (会议通知) was posted, `YYYY-MM-DD`, if the agenda records it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_posted: Option<String>,
}

impl MeetingSpec {
    /// The language the meeting is held in, as its title is written: what words the record
    /// itself adds (such as the line joining texts saved at once) are written in it.
    pub fn lang(&self) -> Lang {
        let cjk = self
            .title
            .chars()
            .any(|c| matches!(c, '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}'));
        if cjk { Lang::Zh } else { Lang::En }
    }
}

/// Everything an agenda file says: the meeting, its people, its items.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Setup {
    pub meeting: MeetingSpec,
    pub participants: Vec<Participant>,
    pub items: Vec<ItemSpec>,
}

impl Setup {
    pub fn voters(&self) -> usize {
        self.participants.iter().filter(|p| p.voter).count()
    }

    pub fn planned_secs(&self) -> u64 {
        self.items.iter().map(|i| i.planned_secs as u64).sum()
    }
}
