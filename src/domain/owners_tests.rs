//! Owners' meetings and committee meetings in every case the room brings: walk-ins, owners
//! without an area, a register larger than the list, owners of several units, proxies, 请假,
//! and the committee's rule at its boundary.

use super::model::*;
use super::quorum::Quorum;
use super::state::*;
use super::tally::{self, Choice, Electorate, Method, Rule, Votes, Weight};
use crate::lang::Lang;

pub(super) fn owner(id: u32, name: &str, area: Option<f64>) -> Participant {
    Participant {
        id,
        name: name.into(),
        role: Role::Resident,
        unit: Some(format!("{id}号楼101")),
        area: area.and_then(Area::from_m2),
        voter: true,
        phone: None,
        walk_in: false,
        units: Vec::new(),
        not_entitled: None,
    }
}

pub(super) fn meeting(kind: MeetingKind) -> MeetingSpec {
    MeetingSpec {
        title: "业主大会".into(),
        kind,
        starts: None,
        place: None,
        host: None,
        recorder: None,
        speaker_limit_secs: 180,
        eligible: None,
        quorum: Quorum::None,
        objection_days: None,
        total_area: None,
        max_proxies: None,
        issuer: None,
        contact: None,
        notice_posted: None,
    }
}

pub(super) fn open_with(spec: MeetingSpec, participants: Vec<Participant>) -> Meeting {
    let setup = Setup {
        meeting: spec,
        participants,
        items: vec![ItemSpec {
            title: "使用维修资金".into(),
            kind: ItemKind::PublicAffairs,
            proposer: None,
            planned_secs: 600,
            description: None,
            vote: None,
            proposal: None,
            reviews: None,
        }],
    };
    let mut m = Meeting::open(setup, 0, Origin::Facilitator);
    run(&mut m, Command::NextItem).expect("first item");
    m
}

fn owners_meeting(participants: Vec<Participant>) -> Meeting {
    let spec = meeting(MeetingKind::OwnersMeeting);
    open_with(spec, participants)
}

fn run(m: &mut Meeting, c: Command) -> Result<(), DomainError> {
    m.execute(&c, 1_000, Origin::Facilitator).map(|_| ())
}

fn sign_in(m: &mut Meeting, id: ParticipantId) {
    run(
        m,
        Command::SetPresence {
            participant: id,
            presence: Presence::Present,
            holder: None,
            reason: None,
        },
    )
    .expect("sign in");
}

fn walk_in(m: &mut Meeting, name: &str, unit: Option<&str>, area: Option<f64>) {
    run(
        m,
        Command::AddWalkIn {
            name: name.into(),
            role: Role::Resident,
            unit: unit.map(String::from),
            voter: true,
            area: area.and_then(Area::from_m2),
            not_entitled: None,
        },
    )
    .expect("walk-in");
}

fn roll_call(m: &mut Meeting, ballots: &[(u32, Choice)]) -> Result<(), DomainError> {
    roll_call_by(m, ballots, Method::RollCall)
}

fn roll_call_by(
    m: &mut Meeting,
    ballots: &[(u32, Choice)],
    method: Method,
) -> Result<(), DomainError> {
    run(
        m,
        Command::RecordVote {
            item: 1,
            rule: None,
            method,
            input: TallyInput::RollCall {
                ballots: ballots.to_vec(),
            },
            tellers: vec![],
        },
    )
}

fn passed(m: &Meeting) -> bool {
    m.state().vote_of(1).expect("a vote").outcome.passed
}

fn three_owners() -> Meeting {
    let mut m = owners_meeting(vec![
        owner(1, "陈国华", Some(100.0)),
        owner(2, "杨秀梅", Some(100.0)),
        owner(3, "许建平", Some(100.0)),
    ]);
    for id in 1..=3 {
        sign_in(&mut m, id);
    }
    m
}

#[test]
fn a_walk_in_without_area_cannot_flip_an_owners_vote() {
    let mut m = three_owners();
    walk_in(&mut m, "王临时", None, None);
    let w = m.state().participants.last().expect("walk-in").clone();
    assert!(!w.voter, "a walk-in with no area is not an owner voting");
    // Listed apart in the roll call, with the reason.
    let roll: Vec<u32> = m
        .state()
        .roll_for(Rule::OwnersOrdinary)
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(roll, vec![1, 2, 3]);
    let apart = m.state().roll_not_entitled(Rule::OwnersOrdinary);
    assert_eq!(apart.len(), 1);
    assert_eq!(apart[0].0.name, "王临时");
    assert!(apart[0].1.contains("专有部分面积"), "{}", apart[0].1);
    // Their yes would have turned 1 : 2 into 2 : 2 heads; it is refused with the reason.
    let err = roll_call(
        &mut m,
        &[
            (1, Choice::Yes),
            (2, Choice::No),
            (3, Choice::No),
            (w.id, Choice::Yes),
        ],
    )
    .unwrap_err();
    assert!(matches!(err, DomainError::NotEntitled { .. }), "{err:?}");
    assert!(err.describe(Lang::Zh).contains("王临时 不参加业主表决"));
    roll_call(
        &mut m,
        &[(1, Choice::Yes), (2, Choice::No), (3, Choice::No)],
    )
    .expect("tally");
    assert!(!passed(&m));
}

#[test]
fn a_walk_in_who_does_not_vote_is_not_in_the_bases() {
    let mut m = three_owners();
    walk_in(&mut m, "王临时", None, None);
    let e = m.state().electorate_for(Rule::OwnersOrdinary);
    assert_eq!(
        (e.present, e.eligible, e.eligible_area),
        (3, 3, Area(30_000))
    );
    // Two of three owners take part: exactly two thirds by heads and by area.
    roll_call(&mut m, &[(1, Choice::Yes), (2, Choice::Yes)]).expect("tally");
    assert!(passed(&m), "{:?}", m.state().vote_of(1));
}

#[test]
fn a_walk_in_owner_gives_unit_and_area_and_joins_the_register() {
    let mut m = three_owners();
    walk_in(&mut m, "王临时", Some("7号楼302"), Some(50.5));
    let w = m.state().participants.last().expect("walk-in").clone();
    assert!(w.is_owner());
    let e = m.state().electorate_for(Rule::OwnersOrdinary);
    assert_eq!(
        (e.present, e.eligible, e.eligible_area),
        (4, 4, Area(35_050))
    );
    // A unit without its area is not enough.
    walk_in(&mut m, "赵无面积", Some("8号楼101"), None);
    let z = m.state().participants.last().expect("walk-in");
    assert!(!z.voter && z.not_entitled.is_some());
    // Outside an owners' meeting a walk-in votes as before.
    let mut c = open_with(
        meeting(MeetingKind::Consultation),
        vec![owner(1, "陈国华", None)],
    );
    walk_in(&mut c, "王临时", None, None);
    assert!(c.state().participants.last().expect("walk-in").voter);
}

#[test]
fn a_listed_voter_without_area_does_not_count_under_an_owners_rule() {
    let mut m = owners_meeting(vec![
        owner(1, "陈国华", Some(100.0)),
        owner(2, "杨秀梅", Some(100.0)),
        owner(3, "许建平", Some(100.0)),
        owner(4, "郭玉兰", None),
    ]);
    for id in 1..=4 {
        sign_in(&mut m, id);
    }
    let e = m.state().electorate_for(Rule::OwnersOrdinary);
    assert_eq!((e.present, e.eligible), (3, 3));
    let err = roll_call(&mut m, &[(1, Choice::Yes), (4, Choice::Yes)]).unwrap_err();
    assert!(matches!(err, DomainError::NotEntitled { .. }), "{err:?}");
    // Under a headcount rule the same person votes.
    run(
        &mut m,
        Command::RecordVote {
            item: 1,
            rule: Some(Rule::Simple),
            method: Method::RollCall,
            input: TallyInput::RollCall {
                ballots: vec![(1, Choice::Yes), (4, Choice::Yes)],
            },
            tellers: vec![],
        },
    )
    .expect("a headcount vote");
}

#[test]
fn heads_and_area_come_from_one_register() {
    let listed: Vec<Participant> = (1..=20)
        .map(|i| owner(i, &format!("业主{i}"), Some(100.0)))
        .collect();
    let mut spec = meeting(MeetingKind::OwnersMeeting);
    spec.eligible = Some(30);
    spec.total_area = Area::from_m2(3000.0);
    let mut m = open_with(spec, listed);
    for id in 1..=20 {
        sign_in(&mut m, id);
    }
    let e = m.state().electorate_for(Rule::OwnersOrdinary);
    assert_eq!((e.eligible, e.eligible_area), (30, Area(300_000)));
    // 19 of 30 owners with 1900 of 3000 m²: short of two thirds by both.
    let yes: Vec<(u32, Choice)> = (1..=19).map(|i| (i, Choice::Yes)).collect();
    roll_call(&mut m, &yes).expect("tally");
    assert!(!passed(&m));
    // 20 of 30 with 2000 of 3000 m²: exactly two thirds takes part, all in favour.
    let yes: Vec<(u32, Choice)> = (1..=20).map(|i| (i, Choice::Yes)).collect();
    roll_call(&mut m, &yes).expect("tally");
    assert!(passed(&m));
}

#[test]
fn an_owner_of_several_units_is_one_head_with_the_areas_summed() {
    let mut several = owner(2, "谢文斌", None);
    several.units = vec![
        UnitArea {
            unit: "2号楼2单元302".into(),
            area: Area(11_250),
        },
        UnitArea {
            unit: "3号楼1单元502".into(),
            area: Area(8_910),
        },
    ];
    several.area = Some(Area(20_160));
    let mut m = owners_meeting(vec![
        owner(1, "陈国华", Some(100.0)),
        several,
        owner(3, "许建平", Some(100.0)),
    ]);
    for id in 1..=3 {
        sign_in(&mut m, id);
    }
    let Votes::YesNo { yes, .. } = m.state().weigh(&[(2, Choice::Yes)]) else {
        panic!("yes/no");
    };
    assert_eq!(
        yes,
        Weight {
            heads: 1,
            area: Area(20_160)
        }
    );
    // 谢文斌 alone holds more than half of the area, but is one of three heads.
    roll_call(
        &mut m,
        &[(1, Choice::No), (2, Choice::Yes), (3, Choice::No)],
    )
    .expect("tally");
    let v = m.state().vote_of(1).expect("vote");
    assert!(!v.outcome.passed);
    assert!(
        v.outcome
            .reason
            .describe(Lang::Zh, &[])
            .contains("赞成的人数不足"),
        "{}",
        v.outcome.reason.describe(Lang::Zh, &[])
    );
}

#[test]
fn a_committee_meeting_refuses_proxies_with_the_reason() {
    let members = vec![owner(1, "陈国华", None), owner(2, "杨秀梅", None)];
    let mut m = open_with(meeting(MeetingKind::OwnersCommitteeMeeting), members);
    let err = run(
        &mut m,
        Command::SetPresence {
            participant: 1,
            presence: Presence::Proxy,
            holder: Some("杨秀梅".into()),
            reason: None,
        },
    )
    .unwrap_err();
    assert!(
        err.describe(Lang::Zh).contains("业委会会议不接受委托"),
        "{err:?}"
    );
    assert_eq!(m.state().presence(1), Presence::Absent);
}

#[test]
fn proxies_name_their_holder_and_are_capped_per_holder() {
    let people: Vec<Participant> = (1..=4)
        .map(|i| owner(i, &format!("业主{i}"), Some(90.0)))
        .collect();
    let mut spec = meeting(MeetingKind::OwnersMeeting);
    spec.max_proxies = Some(1);
    let mut m = open_with(spec, people);
    let proxy = |id: u32, holder: Option<&str>| Command::SetPresence {
        participant: id,
        presence: Presence::Proxy,
        holder: holder.map(String::from),
        reason: None,
    };
    run(&mut m, proxy(1, Some("张律师"))).expect("first proxy");
    assert_eq!(
        m.state().proxy_holders.get(&1).map(String::as_str),
        Some("张律师")
    );
    let err = run(&mut m, proxy(2, Some("张律师"))).unwrap_err();
    assert_eq!(
        err,
        DomainError::TooManyProxies {
            holder: "张律师".into(),
            max: 1
        }
    );
    assert!(err.describe(Lang::Zh).contains("上限"));
    assert_eq!(
        run(&mut m, proxy(2, None)).unwrap_err(),
        DomainError::ProxyNeedsHolder
    );
    run(&mut m, proxy(2, Some("李会计"))).expect("another holder");
    // The same proxy given again to its own holder is not a second one.
    run(&mut m, proxy(1, Some("张律师"))).expect("the same proxy again");
    // A proxy taken back frees its holder.
    sign_in(&mut m, 1);
    assert!(!m.state().proxy_holders.contains_key(&1));
    run(&mut m, proxy(3, Some("张律师"))).expect("freed");
    // Proxies attend and vote.
    assert_eq!(m.state().voters_present(), 3);
}

#[test]
fn leave_is_excused_with_a_reason_and_kept_apart_from_absent() {
    let mut m = three_owners();
    let leave = |reason: Option<&str>| Command::SetPresence {
        participant: 3,
        presence: Presence::Leave,
        holder: None,
        reason: reason.map(String::from),
    };
    assert_eq!(
        run(&mut m, leave(Some("  "))).unwrap_err(),
        DomainError::Empty("reason")
    );
    run(&mut m, leave(Some("出差在外"))).expect("leave");
    assert_eq!(m.state().presence(3), Presence::Leave);
    assert_eq!(
        m.state().leave_reasons.get(&3).map(String::as_str),
        Some("出差在外")
    );
    assert_eq!(m.state().voters_present(), 2);
    assert_eq!(Presence::Leave.label(Lang::Zh), "请假");
    // Back in the room: no longer excused.
    sign_in(&mut m, 3);
    assert!(m.state().leave_reasons.is_empty());
    // Undone, the leave comes back with its reason.
    run(&mut m, Command::Undo).expect("undo");
    assert_eq!(
        m.state().leave_reasons.get(&3).map(String::as_str),
        Some("出差在外")
    );
}

#[test]
fn at_least_half_of_all_members_passes_at_exactly_half() {
    let e = |n| Electorate {
        present: n,
        eligible: n,
        eligible_area: Area(0),
    };
    let w = |heads| Weight {
        heads,
        area: Area(0),
    };
    let yes_no = |y, n| Votes::YesNo {
        yes: w(y),
        no: w(n),
        abstain: w(0),
    };
    let four_of_eight = tally::decide(Rule::AtLeastHalfEligible, &yes_no(4, 4), &e(8)).expect("ok");
    assert!(four_of_eight.passed);
    assert_eq!(
        four_of_eight.reason.describe(Lang::Zh, &[]),
        "赞成 4 票，达到应到 8 人的半数（至少需 4 票），通过。"
    );
    let three_of_seven =
        tally::decide(Rule::AtLeastHalfEligible, &yes_no(3, 4), &e(7)).expect("ok");
    assert!(!three_of_seven.passed);
    assert!(
        three_of_seven
            .reason
            .describe(Lang::En, &[])
            .contains("at least 4 needed")
    );
    // Those absent count against it: 4 of 9 members is not half.
    let four_of_nine = tally::decide(Rule::AtLeastHalfEligible, &yes_no(4, 0), &e(9)).expect("ok");
    assert!(!four_of_nine.passed);
    assert_eq!(
        MeetingKind::OwnersCommitteeMeeting.default_rule(),
        Rule::AtLeastHalfEligible
    );
}

#[test]
fn a_committee_meeting_decides_by_half_of_all_members_by_default() {
    let members: Vec<Participant> = (1..=8)
        .map(|i| owner(i, &format!("委员{i}"), None))
        .collect();
    let mut spec = meeting(MeetingKind::OwnersCommitteeMeeting);
    spec.quorum = Quorum::Majority;
    let mut m = open_with(spec, members);
    for id in 1..=5 {
        sign_in(&mut m, id);
    }
    run(
        &mut m,
        Command::RecordVote {
            item: 1,
            rule: None,
            method: Method::ShowOfHands,
            input: TallyInput::Counts {
                yes: 4,
                no: 1,
                abstain: 0,
            },
            tellers: vec![],
        },
    )
    .expect("tally");
    let v = m.state().vote_of(1).expect("vote");
    assert_eq!(v.rule, Rule::AtLeastHalfEligible);
    assert!(v.outcome.passed);
}

#[test]
fn written_ballots_count_owners_who_are_not_in_the_room() {
    let mut m = owners_meeting(vec![
        owner(1, "陈国华", Some(100.0)),
        owner(2, "杨秀梅", Some(100.0)),
        owner(3, "许建平", Some(100.0)),
    ]);
    sign_in(&mut m, 1);
    let ballots = [(1, Choice::Yes), (2, Choice::Yes), (3, Choice::No)];
    assert!(matches!(
        roll_call(&mut m, &ballots),
        Err(DomainError::NotAVoterPresent(_))
    ));
    roll_call_by(&mut m, &ballots, Method::WrittenBallot).expect("written ballots");
    let v = m.state().vote_of(1).expect("vote");
    assert_eq!(v.method, Method::WrittenBallot);
    assert!(v.outcome.passed);
    assert_eq!(Method::WrittenBallot.label(Lang::Zh), "书面表决");
}

#[test]
fn records_from_before_proxy_holders_and_leave_still_replay() {
    let old = r#"{"change":"presence_set","participant":1,"presence":"proxy"}"#;
    let change: Change = serde_json::from_str(old).expect("an old entry");
    assert_eq!(
        change,
        Change::PresenceSet {
            participant: 1,
            presence: Presence::Proxy,
            holder: None,
            reason: None
        }
    );
    // And a new entry without a holder is written as before.
    assert_eq!(serde_json::to_string(&change).expect("json"), old);
    let walk =
        r#"{"command":"add_walk_in","name":"王五","role":"resident","unit":null,"voter":true}"#;
    let c: Command = serde_json::from_str(walk).expect("an old command");
    assert!(matches!(c, Command::AddWalkIn { area: None, .. }));
}

#[test]
fn cast_based_rules_say_abstentions_are_not_counted() {
    assert!(
        Rule::TwoThirdsCast
            .label(Lang::Zh)
            .contains("投票数（不含弃权票）")
    );
    assert!(tally::BaseKind::Cast.label(Lang::Zh).contains("不含弃权票"));
}
