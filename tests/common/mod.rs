//! A small meeting used across the tests, built in code so it does not depend on the agenda
//! parser.
#![allow(dead_code)]

pub mod pty;

use yishi::domain::model::*;
use yishi::domain::quorum::Quorum;
use yishi::domain::tally::Rule;

pub fn person(id: u32, name: &str, role: Role, area: Option<f64>) -> Participant {
    Participant {
        id,
        name: name.into(),
        role,
        unit: None,
        area: area.and_then(Area::from_m2),
        voter: role.default_voter(),
        phone: None,
        walk_in: false,
        units: Vec::new(),
        not_entitled: None,
    }
}

pub fn setup() -> Setup {
    Setup {
        meeting: MeetingSpec {
            notice_posted: None,
            title: "幸福里小区3号楼加装电梯协商议事会".into(),
            kind: MeetingKind::Consultation,
            starts: Some("2026-11-28T19:00:00+08:00".into()),
            place: Some("幸福里居委会议事厅".into()),
            host: Some("王芳".into()),
            recorder: Some("李明".into()),
            speaker_limit_secs: 180,
            eligible: Some(6),
            quorum: Quorum::Majority,
            objection_days: None,
            total_area: None,
            max_proxies: None,
            issuer: None,
            contact: None,
        },
        participants: vec![
            person(1, "张建国", Role::ResidentRep, Some(86.5)),
            person(2, "李秀英", Role::Resident, Some(72.0)),
            person(3, "王磊", Role::Property, None),
            person(4, "赵敏", Role::ResidentsCommittee, None),
            person(5, "陈红", Role::Resident, Some(90.25)),
            person(6, "刘洋", Role::OwnersCommittee, Some(100.0)),
            person(7, "周社工", Role::SocialWorker, None),
        ],
        items: vec![
            ItemSpec {
                proposal: None,
                reviews: None,
                title: "3号楼加装电梯方案".into(),
                kind: ItemKind::PublicAffairs,
                proposer: Some("3号楼居民联名".into()),
                planned_secs: 1500,
                description: None,
                vote: Some(VoteSpec {
                    question: "是否同意按方案A加装电梯？".into(),
                    rule: Rule::TwoThirdsPresent,
                    options: vec![],
                    quorum: None,
                }),
            },
            ItemSpec {
                proposal: None,
                reviews: None,
                title: "楼道堆物清理时间".into(),
                kind: ItemKind::Other,
                proposer: None,
                planned_secs: 600,
                description: None,
                vote: Some(VoteSpec {
                    question: "清理日期".into(),
                    rule: Rule::Plurality,
                    options: vec!["12月5日".into(), "12月12日".into()],
                    quorum: None,
                }),
            },
            ItemSpec {
                proposal: None,
                reviews: None,
                title: "其他事项".into(),
                kind: ItemKind::Other,
                proposer: None,
                planned_secs: 300,
                description: None,
                vote: None,
            },
        ],
    }
}

/// 19:00 on the meeting day, in ms.
pub const T0: i64 = 1_795_000_000_000;

/// Marks these participants present, as the facilitator.
pub fn sign_in(m: &mut yishi::domain::state::Meeting, ids: std::ops::RangeInclusive<u32>, at: i64) {
    use yishi::domain::state::{Command, Origin, Presence};
    for participant in ids {
        m.execute(
            &Command::SetPresence {
                participant,
                presence: Presence::Present,
                holder: None,
                reason: None,
            },
            at,
            Origin::Facilitator,
        )
        .expect("a participant on the list");
    }
}
