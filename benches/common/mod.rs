//! The large meeting every benchmark measures: 300 participants of every party, 60 items each
//! with a vote, and (through the store, as a real meeting gets there) a record of 2,000
//! speeches in 20,000 log entries. `scale` multiplies all of it.

#![allow(dead_code)]

use yishi::domain::model::*;
use yishi::domain::quorum::Quorum;
use yishi::domain::state::*;
use yishi::domain::tally::{Method, Rule};
use yishi::store::{MeetingId, Store};

pub const PARTICIPANTS: u32 = 300;
pub const ITEMS: u32 = 60;
pub const SPEECHES: u32 = 2_000;
pub const ENTRIES: usize = 20_000;
pub const T0: Millis = 1_795_000_000_000;

const SURNAMES: &[char] = &['张', '李', '王', '赵', '陈', '刘', '杨', '黄', '周', '吴'];
const GIVEN: &[char] = &[
    '伟', '芳', '娜', '秀', '英', '敏', '静', '丽', '强', '磊', '军', '洋',
];

pub fn large_meeting() -> Setup {
    scaled_meeting(1)
}

/// The large meeting's agenda with `scale` times its participants and items.
pub fn scaled_meeting(scale: u32) -> Setup {
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
    let participants = (0..PARTICIPANTS * scale)
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
                units: Vec::new(),
                not_entitled: None,
            }
        })
        .collect();
    let items = (0..ITEMS * scale)
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
            total_area: None,
            max_proxies: None,
            issuer: None,
            contact: None,
        },
        participants,
        items,
    }
}

/// Minutes as a secretary saves them: `len` Chinese characters.
pub fn minutes(n: usize, len: usize) -> String {
    let line = "居民代表发言：建议在三号楼东侧加装电梯，低层住户担心采光与噪音，物业表示可以调整施工时间。";
    let mut text = format!("第{n}条：");
    while text.chars().count() < len {
        text.push_str(line);
    }
    text.chars().take(len).collect()
}

/// A vote on `item` that passes with the voters present.
pub fn vote(state: &State, item: ItemId) -> Command {
    let present = state.voters_present();
    Command::RecordVote {
        item,
        rule: None,
        method: Method::ShowOfHands,
        input: TallyInput::Counts {
            yes: present / 2 + 1,
            no: present / 5,
            abstain: present / 10,
        },
        tellers: vec!["李明".into()],
    }
}

/// The large meeting at `scale`, written through the store as the consoles would write it
/// (with the disk sync off: how it got there does not matter to what is measured on it).
/// Per item: presence changes, speeches (some paused), queue moves, minutes saved again and
/// again, a resolution, dissent, a vote, actions and an undo. Returns the meeting, its id and
/// the time of its last entry.
pub fn generate(store: &mut Store, scale: u32) -> (MeetingId, Meeting, Millis) {
    let f = Origin::Facilitator;
    let s = Origin::Secretary;
    let participants = PARTICIPANTS * scale;
    let items = ITEMS * scale;
    let entries = ENTRIES * scale as usize;
    let speeches_per_item = SPEECHES / ITEMS;
    let mut at = T0;
    let (id, mut m) = store
        .create_meeting(scaled_meeting(scale), None, at, f)
        .expect("a new meeting");
    store
        .connection()
        .pragma_update(None, "synchronous", "OFF")
        .expect("sync off");
    let mut run = |m: &mut Meeting, c: &Command, origin: Origin, secs: i64| {
        at += secs * 1000;
        store
            .execute(id, m, c, at, origin)
            .unwrap_or_else(|e| panic!("{c:?}: {e}"));
    };
    // Five in six are there from the start; the rest come in during the meeting.
    let early = participants * 5 / 6;
    for p in 1..=early {
        let presence = if p % 13 == 0 {
            Presence::Online
        } else {
            Presence::Present
        };
        run(
            &mut m,
            &Command::SetPresence {
                participant: p,
                presence,
                holder: None,
                reason: None,
            },
            f,
            0,
        );
    }
    let mut late = early;
    let mut spoken = 0u32;
    for item in 1..=items {
        run(&mut m, &Command::NextItem, f, 5);
        let target =
            1 + early as usize + (entries - 1 - early as usize) * item as usize / items as usize;
        let mut saves = 0usize;
        for k in 0..speeches_per_item + u32::from(item % 3 == 0) {
            let participant = (spoken * 7 + k) % early + 1;
            run(
                &mut m,
                &Command::QueueSpeaker {
                    participant,
                    kind: SpeechKind::Speech,
                },
                f,
                1,
            );
            if k.is_multiple_of(5) {
                let other = (participant + 1) % early + 1;
                run(
                    &mut m,
                    &Command::QueueSpeaker {
                        participant: other,
                        kind: SpeechKind::Speech,
                    },
                    f,
                    1,
                );
                run(&mut m, &Command::MoveQueued { index: 1, up: true }, f, 1);
                run(&mut m, &Command::Unqueue { index: 0 }, f, 1);
            }
            run(&mut m, &Command::StartNextSpeaker, f, 1);
            if k.is_multiple_of(3) {
                run(&mut m, &Command::TogglePause, f, 20);
                run(&mut m, &Command::TogglePause, f, 10);
            }
            run(&mut m, &Command::EndSpeech, f, 30 + i64::from(k % 150));
            spoken += 1;
            // The secretary saves the minutes after most speeches.
            saves += 1;
            run(
                &mut m,
                &Command::SetText {
                    item,
                    field: TextField::Minutes,
                    text: minutes(saves, 100 + saves % 100),
                    base: None,
                },
                s,
                2,
            );
            if late < participants && k.is_multiple_of(2) {
                late += 1;
                run(
                    &mut m,
                    &Command::SetPresence {
                        participant: late,
                        presence: Presence::Present,
                        holder: None,
                        reason: None,
                    },
                    f,
                    0,
                );
            }
        }
        let v = vote(m.state(), item);
        run(&mut m, &v, f, 20);
        run(
            &mut m,
            &Command::SetText {
                item,
                field: TextField::Resolution,
                text: format!("同意第 {item} 期改造方案，由物业组织施工。"),
                base: None,
            },
            s,
            5,
        );
        run(
            &mut m,
            &Command::SetDissent {
                item,
                text: "李秀英1：担心噪音\n部分低层住户希望补偿".into(),
                base: None,
            },
            s,
            5,
        );
        for n in 0..2 {
            run(
                &mut m,
                &Command::AddAction {
                    item,
                    what: format!("落实第 {item} 期施工（{n}）"),
                    owner: "赵敏4".into(),
                    due: Some("2026-12-31".into()),
                },
                s,
                5,
            );
        }
        // A presence set by mistake, taken back.
        run(
            &mut m,
            &Command::SetPresence {
                participant: item % early + 1,
                presence: Presence::Proxy,
                holder: None,
                reason: None,
            },
            f,
            1,
        );
        run(&mut m, &Command::Undo, f, 1);
        // The rest of the item's share of the record: people stepping out to go online and
        // back, and the secretary saving the minutes again.
        let mut n = 0u32;
        while m.log().len() < target {
            n += 1;
            if n.is_multiple_of(3) {
                let p = (item * 31 + n) % early + 1;
                let presence = match m.state().presence(p) {
                    Presence::Present => Presence::Online,
                    _ => Presence::Present,
                };
                run(
                    &mut m,
                    &Command::SetPresence {
                        participant: p,
                        presence,
                        holder: None,
                        reason: None,
                    },
                    f,
                    3,
                );
            } else {
                saves += 1;
                run(
                    &mut m,
                    &Command::SetText {
                        item,
                        field: TextField::Minutes,
                        text: minutes(saves, 100 + saves % 100),
                        base: None,
                    },
                    s,
                    3,
                );
            }
        }
    }
    store
        .connection()
        .pragma_update(None, "synchronous", "FULL")
        .expect("sync full");
    (id, m, at)
}
