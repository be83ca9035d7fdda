//! The large meeting every benchmark measures: 300 participants of every party, 60 items each
//! with a vote.

use yishi::domain::model::*;
use yishi::domain::quorum::Quorum;
use yishi::domain::tally::Rule;

pub const PARTICIPANTS: u32 = 300;
pub const ITEMS: u32 = 60;

const SURNAMES: &[char] = &['张', '李', '王', '赵', '陈', '刘', '杨', '黄', '周', '吴'];
const GIVEN: &[char] = &[
    '伟', '芳', '娜', '秀', '英', '敏', '静', '丽', '强', '磊', '军', '洋',
];

pub fn large_meeting() -> Setup {
    let roles = [
        Role::Resident,
        Role::Resident,
        Role::Resident,
        Role::ResidentRep,
        Role::ResidentsCommittee,
        Role::Property,
        Role::OwnersCommittee,
        Role::Stakeholder,
    ];
    let participants = (0..PARTICIPANTS)
        .map(|i| {
            let n = i as usize;
            let role = roles[n % roles.len()];
            Participant {
                id: i + 1,
                name: format!(
                    "{}{}{}{i}",
                    SURNAMES[n % SURNAMES.len()],
                    GIVEN[n / 10 % GIVEN.len()],
                    GIVEN[n / 7 % GIVEN.len()]
                ),
                role,
                unit: Some(format!("{}号楼{}室", i % 12 + 1, 100 + i % 30)),
                area: Area::from_m2(60.0 + f64::from(i % 50)),
                voter: role.default_voter(),
                phone: None,
                walk_in: false,
            }
        })
        .collect();
    let items = (0..ITEMS)
        .map(|i| ItemSpec {
            proposal: None,
            reviews: None,
            title: format!("议题 {}：小区公共设施改造第 {} 期", i + 1, i + 1),
            kind: ItemKind::PublicAffairs,
            proposer: Some("居委会".into()),
            planned_secs: 600,
            description: None,
            vote: Some(VoteSpec {
                question: format!("是否同意第 {} 期改造方案？", i + 1),
                rule: Rule::MajorityPresent,
                options: vec![],
                quorum: None,
            }),
        })
        .collect();
    Setup {
        meeting: MeetingSpec {
            notice_posted: None,
            title: "幸福里社区年度居民会议".into(),
            kind: MeetingKind::ResidentsMeeting,
            starts: Some("2026-11-28T19:00:00+08:00".into()),
            place: Some("社区活动中心".into()),
            host: Some("王芳".into()),
            recorder: Some("李明".into()),
            speaker_limit_secs: 180,
            eligible: None,
            quorum: Quorum::Majority,
            objection_days: Some(7),
        },
        participants,
        items,
    }
}
