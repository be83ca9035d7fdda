//! Property tests of the one path every change takes: replaying the log gives the state built
//! step by step, and undo gives back the state before the last action.

mod common;

use proptest::prelude::*;
use yishi::domain::model::Role;
use yishi::domain::state::*;
use yishi::domain::tally::{Choice, Method};

fn command() -> impl Strategy<Value = Command> {
    let pid = 1u32..=8;
    prop_oneof![
        4 => (pid.clone(), prop_oneof![Just(Presence::Present), Just(Presence::Online), Just(Presence::Proxy), Just(Presence::Absent)])
            .prop_map(|(participant, presence)| Command::SetPresence { participant, presence, holder: None, reason: None }),
        2 => Just(Command::NextItem),
        1 => Just(Command::PreviousItem),
        3 => (pid.clone(), prop_oneof![4 => Just(SpeechKind::Speech), 1 => Just(SpeechKind::Reply), 1 => Just(SpeechKind::PointOfOrder)])
            .prop_map(|(participant, kind)| Command::QueueSpeaker { participant, kind }),
        1 => (0usize..4).prop_map(|index| Command::Unqueue { index }),
        1 => (0usize..4, any::<bool>()).prop_map(|(index, up)| Command::MoveQueued { index, up }),
        1 => Just(Command::NewSpeakersFirst),
        3 => Just(Command::StartNextSpeaker),
        2 => Just(Command::TogglePause),
        2 => Just(Command::EndSpeech),
        2 => (1u32..=4, 0u32..5, 0u32..5, 0u32..3).prop_map(|(item, yes, no, abstain)| Command::RecordVote {
            item, rule: None, method: Method::ShowOfHands, input: TallyInput::Counts { yes, no, abstain }, tellers: vec![],
        }),
        1 => (1u32..=4, proptest::collection::vec(0u32..4, 2), 0u32..2).prop_map(|(item, counts, abstain)| Command::RecordVote {
            item, rule: None, method: Method::ShowOfHands, input: TallyInput::Options { counts, abstain }, tellers: vec![],
        }),
        1 => (1u32..=4, proptest::collection::vec((1u32..=7, prop_oneof![Just(Choice::Yes), Just(Choice::No), Just(Choice::Abstain)]), 0..5))
            .prop_map(|(item, ballots)| Command::RecordVote {
                item, rule: None, method: Method::RollCall, input: TallyInput::RollCall { ballots }, tellers: vec!["李明".into()],
            }),
        2 => (1u32..=4, "[a-z张李 ]{0,8}", any::<bool>()).prop_map(|(item, text, res)| Command::SetText {
            item, field: if res { TextField::Resolution } else { TextField::Minutes }, text, base: None,
        }),
        1 => (1u32..=4, "（张建国：|王某：）？[a-z ]{0,6}").prop_map(|(item, text)| Command::SetDissent { item, text, base: None }),
        1 => (1u32..=4, "[a-z]{0,4}", "[a-z]{0,3}", prop_oneof![Just(None), Just(Some("2026-12-31".to_string())), Just(Some("2026-02-30".to_string()))])
            .prop_map(|(item, what, owner, due)| Command::AddAction { item, what, owner, due }),
        1 => (1u32..=3, prop_oneof![Just(ActionStatus::InProgress), Just(ActionStatus::Done), Just(ActionStatus::Dropped)])
            .prop_map(|(action, status)| Command::UpdateAction { action, status, note: Some("已联系".into()) }),
        1 => (1u32..=4).prop_map(|item| Command::ToggleDefer { item }),
        1 => "[a-z]{0,5}".prop_map(|title| Command::AddItem { title }),
        1 => "[a-z]{0,3}".prop_map(|name| Command::AddWalkIn { name, role: Role::Resident, unit: None, voter: true, area: None, not_entitled: None }),
        1 => Just(Command::EndMeeting),
        1 => "[a-z]{0,4}".prop_map(|reason| Command::Reopen { reason }),
        3 => Just(Command::Undo),
    ]
}

/// The consoles a sequence may come from: two consoles of each seat, two runs of one.
fn console() -> impl Strategy<Value = (Origin, Console)> {
    prop_oneof![
        3 => Just((Origin::Facilitator, Console::new("facilitator", "1"))),
        1 => Just((Origin::Facilitator, Console::new("facilitator", "2"))),
        1 => Just((Origin::Secretary, Console::new("secretary-1", "1"))),
        1 => Just((Origin::Secretary, Console::new("secretary-2", "1"))),
    ]
}

fn origin() -> impl Strategy<Value = Origin> {
    prop_oneof![4 => Just(Origin::Facilitator), 1 => Just(Origin::Secretary)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn replay_equals_the_state_built_step_by_step(steps in proptest::collection::vec((command(), origin(), 0i64..20_000), 1..60)) {
        let mut meeting = Meeting::open(common::setup(), common::T0, Origin::Facilitator);
        let mut at = common::T0;
        for (command, origin, dt) in steps {
            at += dt;
            let _ = meeting.execute(&command, at, origin);
            let replayed = Meeting::replay(meeting.log().to_vec()).unwrap();
            prop_assert_eq!(replayed.state(), meeting.state());
        }
    }

    #[test]
    fn undo_returns_the_previous_state(steps in proptest::collection::vec((command(), origin(), 0i64..20_000), 1..60)) {
        let mut meeting = Meeting::open(common::setup(), common::T0, Origin::Facilitator);
        let mut at = common::T0;
        for (command, origin, dt) in steps {
            at += dt;
            let before = meeting.state().clone();
            if command != Command::Undo && meeting.execute(&command, at, origin).is_ok() {
                let mut undone = meeting.clone();
                let result = undone.execute(&Command::Undo, at + 1, origin).map(|_| ());
                if meeting.state().ended_at.is_some() {
                    // A closed meeting is final: only an explicit reopening changes it.
                    prop_assert_eq!(result, Err(DomainError::MeetingClosed));
                } else {
                    prop_assert_eq!(result, Ok(()));
                    prop_assert_eq!(undone.state(), &before);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// The speaking time a console keeps counting as the speeches end (the `w` screen, the
    /// first-time marks in the queue) is always what counting every speech afresh gives:
    /// after undos, notes written on ended speeches and walk-ins, on the current item or
    /// another.
    #[test]
    fn speaking_time_kept_up_to_date_equals_a_fresh_count(
        steps in proptest::collection::vec((
            prop_oneof![
                8 => command(),
                1 => (1u32..=6, "[a-z]{0,3}").prop_map(|(speech, note)| Command::SetSpeechNote { speech, note }),
            ],
            origin(),
            0i64..20_000,
            proptest::option::of(1u32..=4),
        ), 1..80)
    ) {
        let mut meeting = Meeting::open(common::setup(), common::T0, Origin::Facilitator);
        let mut kept = SpeakingTimeSoFar::default();
        let mut at = common::T0;
        for (command, origin, dt, item) in steps {
            at += dt;
            let _ = meeting.execute(&command, at, origin);
            let s = meeting.state();
            let item = item.or(s.current_item().map(|i| i.id));
            let now = at + dt / 2;
            prop_assert_eq!(kept.count(s, item, now), SpeakingTimeSoFar::default().count(s, item, now));
            prop_assert_eq!(
                kept.count(s, item, now),
                (item.map(|i| s.time_by_person(Some(i), now)), s.time_by_person(None, now))
            );
            if let Some(item) = item {
                let heard: std::collections::BTreeSet<_> = s
                    .speeches
                    .iter()
                    .chain(s.speech.iter())
                    .filter(|sp| sp.item == item)
                    .map(|sp| sp.participant)
                    .collect();
                prop_assert_eq!(kept.heard_on(s, item), heard);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// The rows written action by action are the rows `verify` rebuilds from the log: nothing
    /// an honest sequence of actions from several consoles leaves in the file is a finding.
    #[test]
    fn the_readable_tables_written_step_by_step_are_those_the_log_gives(
        steps in proptest::collection::vec((command(), console(), 0i64..20_000), 1..60)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = yishi::store::Store::open(&dir.path().join("p.db")).unwrap();
        let (id, mut m) = store.create_meeting(common::setup(), None, common::T0, Origin::Facilitator).unwrap();
        let mut at = common::T0;
        for (command, (origin, console), dt) in steps {
            at += dt;
            let command = match command {
                // Saves from an editor name what they started from, as the consoles do.
                Command::SetText { item, field, text, .. } => {
                    let base = m.state().item(item).map(|i| i.text(field).to_string());
                    Command::SetText { item, field, text, base }
                }
                other => other,
            };
            let _ = store.execute_by(id, &mut m, &command, at, origin, Some(&console));
        }
        let audit = store.audit().unwrap();
        prop_assert!(audit.is_intact(), "{:?}", audit);
        let replayed = store.load(id).unwrap();
        prop_assert_eq!(replayed.state(), m.state());
    }
}

/// A speech ended, taken back and ended again later leaves as many speeches as before, but a
/// longer one: the count kept for the screen sees the speech it counted is no longer there.
#[test]
fn speaking_time_kept_sees_a_speech_ended_again_after_an_undo() {
    let mut m = Meeting::open(common::setup(), common::T0, Origin::Facilitator);
    let f = Origin::Facilitator;
    let t = |s: i64| common::T0 + s * 1000;
    let present = Command::SetPresence {
        participant: 1,
        presence: Presence::Present,
        holder: None,
        reason: None,
    };
    m.execute(&present, t(1), f).unwrap();
    m.execute(&Command::NextItem, t(1), f).unwrap();
    m.execute(
        &Command::QueueSpeaker {
            participant: 1,
            kind: SpeechKind::Speech,
        },
        t(2),
        f,
    )
    .unwrap();
    m.execute(&Command::StartNextSpeaker, t(3), f).unwrap();
    m.execute(&Command::EndSpeech, t(33), f).unwrap();
    let item = m.state().current_item().map(|i| i.id);
    let mut kept = SpeakingTimeSoFar::default();
    let (_, before) = kept.count(m.state(), item, t(40));
    assert_eq!(before, vec![(1, 30_000, 1)]);
    m.execute(&Command::Undo, t(41), f).unwrap();
    m.execute(&Command::EndSpeech, t(93), f).unwrap();
    let (on_item, meeting) = kept.count(m.state(), item, t(100));
    assert_eq!(meeting, vec![(1, 90_000, 1)]);
    assert_eq!(on_item, Some(vec![(1, 90_000, 1)]));
}

#[test]
fn undo_takes_back_only_the_same_consoles_last_action() {
    let mut m = Meeting::open(common::setup(), common::T0, Origin::Facilitator);
    m.execute(
        &Command::SetPresence {
            participant: 1,
            presence: Presence::Present,
            holder: None,
            reason: None,
        },
        common::T0 + 1,
        Origin::Facilitator,
    )
    .unwrap();
    m.execute(
        &Command::SetText {
            item: 1,
            field: TextField::Minutes,
            text: "记录".into(),
            base: None,
        },
        common::T0 + 2,
        Origin::Secretary,
    )
    .unwrap();
    m.execute(&Command::Undo, common::T0 + 3, Origin::Facilitator)
        .unwrap();
    assert_eq!(
        m.state().presence(1),
        Presence::Absent,
        "the facilitator's sign-in is taken back"
    );
    assert_eq!(
        m.state().items[0].minutes,
        "记录",
        "the secretary's minutes stay"
    );
    assert!(matches!(
        m.execute(&Command::Undo, common::T0 + 4, Origin::Facilitator),
        Err(DomainError::NothingToUndo)
    ));
}

#[test]
fn a_paused_speech_keeps_its_time_across_replay() {
    let mut m = Meeting::open(common::setup(), common::T0, Origin::Facilitator);
    let f = Origin::Facilitator;
    m.execute(
        &Command::SetPresence {
            participant: 1,
            presence: Presence::Present,
            holder: None,
            reason: None,
        },
        common::T0,
        f,
    )
    .unwrap();
    m.execute(&Command::NextItem, common::T0 + 1_000, f)
        .unwrap();
    m.execute(
        &Command::QueueSpeaker {
            participant: 1,
            kind: SpeechKind::Speech,
        },
        common::T0 + 2_000,
        f,
    )
    .unwrap();
    m.execute(&Command::StartNextSpeaker, common::T0 + 10_000, f)
        .unwrap();
    m.execute(&Command::TogglePause, common::T0 + 70_000, f)
        .unwrap();
    m.execute(&Command::TogglePause, common::T0 + 100_000, f)
        .unwrap();
    let replayed = Meeting::replay(m.log().to_vec()).unwrap();
    let speech = replayed.state().speech.as_ref().unwrap();
    // 60 s before the pause, 20 s after it: the 30 s pause does not count.
    assert_eq!(speech.elapsed(common::T0 + 120_000), 80_000);
    assert_eq!(speech.limit_secs, 180);
}

#[test]
fn replies_jump_the_queue_and_new_speakers_go_first() {
    let mut m = Meeting::open(common::setup(), common::T0, Origin::Facilitator);
    let f = Origin::Facilitator;
    common::sign_in(&mut m, 1..=4, common::T0);
    m.execute(&Command::NextItem, common::T0, f).unwrap();
    let q = |m: &mut Meeting, p, kind| {
        m.execute(
            &Command::QueueSpeaker {
                participant: p,
                kind,
            },
            common::T0,
            f,
        )
        .unwrap();
    };
    q(&mut m, 1, SpeechKind::Speech);
    m.execute(&Command::StartNextSpeaker, common::T0, f)
        .unwrap();
    m.execute(&Command::EndSpeech, common::T0 + 5_000, f)
        .unwrap();
    q(&mut m, 1, SpeechKind::Speech);
    q(&mut m, 2, SpeechKind::Speech);
    q(&mut m, 3, SpeechKind::Reply);
    let order: Vec<_> = m
        .state()
        .current_item()
        .unwrap()
        .queue
        .iter()
        .map(|e| e.participant)
        .collect();
    assert_eq!(order, vec![3, 1, 2], "a reply goes to the front");
    // A point of order (about how the meeting runs) goes before the reply.
    q(&mut m, 4, SpeechKind::PointOfOrder);
    let order: Vec<_> = m
        .state()
        .current_item()
        .unwrap()
        .queue
        .iter()
        .map(|e| e.participant)
        .collect();
    assert_eq!(
        order,
        vec![4, 3, 1, 2],
        "a point of order goes before a reply"
    );
    m.execute(&Command::Unqueue { index: 0 }, common::T0, f)
        .unwrap();
    m.execute(&Command::NewSpeakersFirst, common::T0, f)
        .unwrap();
    let order: Vec<_> = m
        .state()
        .current_item()
        .unwrap()
        .queue
        .iter()
        .map(|e| e.participant)
        .collect();
    assert_eq!(
        order,
        vec![3, 2, 1],
        "张建国 has spoken already and waits behind 李秀英"
    );
    assert!(matches!(
        m.execute(&Command::QueueSpeaker { participant: 2, kind: SpeechKind::Speech }, common::T0, f),
        Err(DomainError::AlreadyQueued(name)) if name == "李秀英"
    ));
    assert!(matches!(
        m.execute(
            &Command::QueueSpeaker {
                participant: 5,
                kind: SpeechKind::Speech
            },
            common::T0,
            f
        ),
        Err(DomainError::NotPresent(_))
    ));
}

#[test]
fn an_items_own_quorum_blocks_its_vote_but_not_the_others() {
    use yishi::domain::quorum::Quorum;
    let mut setup = common::setup();
    setup.meeting.quorum = Quorum::None;
    setup.items[0].vote.as_mut().unwrap().quorum = Some(Quorum::TwoThirds);
    let mut m = Meeting::open(setup, common::T0, Origin::Facilitator);
    let f = Origin::Facilitator;
    common::sign_in(&mut m, 1..=3, common::T0);
    let vote = |item| Command::RecordVote {
        item,
        rule: None,
        method: Method::ShowOfHands,
        input: TallyInput::Counts {
            yes: 3,
            no: 0,
            abstain: 0,
        },
        tellers: vec![],
    };
    // 3 of 6 present: item 1 needs two thirds (4), the meeting needs none.
    assert!(matches!(
        m.execute(&vote(1), common::T0, f),
        Err(DomainError::QuorumNotMet(q)) if q.required == 4 && q.present == 3
    ));
    m.execute(&vote(3), common::T0, f).unwrap();
    m.execute(
        &Command::SetPresence {
            participant: 4,
            presence: Presence::Present,
            holder: None,
            reason: None,
        },
        common::T0,
        f,
    )
    .unwrap();
    m.execute(&vote(1), common::T0, f).unwrap();
}

/// A meeting in a new file (the sync off: the file's durability is not under test), with a
/// checkpoint every `every` entries.
fn meeting_in_a_store(
    every: usize,
) -> (
    tempfile::TempDir,
    yishi::store::Store,
    yishi::store::MeetingId,
    Meeting,
) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = yishi::store::Store::open(&dir.path().join("m.db")).unwrap();
    store
        .connection()
        .pragma_update(None, "synchronous", "OFF")
        .unwrap();
    let (id, mut meeting) = store
        .create_meeting(common::setup(), None, common::T0, Origin::Facilitator)
        .unwrap();
    meeting.set_checkpoint_every(every);
    (dir, store, id, meeting)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, ..ProptestConfig::default() })]

    /// Every action folded in place through the store (undo from a checkpoint, the readable
    /// rows written one by one) gives the state a full replay of the log gives, the state
    /// read back from the file, and readable tables that verify against the log.
    #[test]
    fn the_store_in_place_equals_a_full_replay(
        steps in proptest::collection::vec((command(), origin(), 0i64..20_000), 1..80),
        every in 1usize..6,
    ) {
        let (_dir, mut store, id, mut meeting) = meeting_in_a_store(every);
        let mut at = common::T0;
        for (command, origin, dt) in steps {
            at += dt;
            let _ = store.execute(id, &mut meeting, &command, at, origin);
            let replayed = Meeting::replay(meeting.log().to_vec()).unwrap();
            prop_assert_eq!(replayed.state(), meeting.state());
        }
        let loaded = store.load(id).unwrap();
        prop_assert_eq!(loaded.state(), meeting.state());
        let audit = store.audit().unwrap();
        prop_assert!(audit.is_intact(), "{:?}", audit.findings);
    }

    /// An entry taken back out (its transaction did not commit) leaves the meeting as it was.
    #[test]
    fn pop_takes_an_entry_back_out(
        steps in proptest::collection::vec((command(), origin(), 0i64..20_000), 1..60),
        every in 1usize..5,
    ) {
        let mut meeting = Meeting::open(common::setup(), common::T0, Origin::Facilitator);
        meeting.set_checkpoint_every(every);
        let mut at = common::T0;
        for (command, origin, dt) in steps {
            at += dt;
            let before = meeting.state().clone();
            let len = meeting.log().len();
            if let Ok(event) = meeting.decide(&command, at, origin) {
                meeting.push(event.clone());
                prop_assert_eq!(meeting.pop(), Some(event.clone()));
                prop_assert_eq!(meeting.log().len(), len);
                prop_assert_eq!(meeting.state(), &before);
                meeting.push(event);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// A meeting opened from its snapshot goes on exactly as one replayed from its whole log:
    /// the same states after every action, undo reaching behind the snapshot included, and a
    /// file that still verifies.
    #[test]
    fn a_meeting_opened_from_its_snapshot_goes_on_as_the_replayed_one(
        before in proptest::collection::vec((command(), console(), 0i64..20_000), 1..50),
        after in proptest::collection::vec((command(), console(), 0i64..20_000), 1..30),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut stores = Vec::new();
        for name in ["full.db", "snap.db"] {
            let mut store = yishi::store::Store::open(&dir.path().join(name)).unwrap();
            let (id, mut m) = store.create_meeting(common::setup(), None, common::T0, Origin::Facilitator).unwrap();
            let mut at = common::T0;
            for (command, (origin, console), dt) in &before {
                at += dt;
                let _ = store.execute_by(id, &mut m, command, at, *origin, Some(console));
            }
            stores.push((store, id, m, at));
        }
        // The second file snapshots now and is opened again from it.
        {
            let (store, id, m, _) = &mut stores[1];
            let wrote = store.snapshot_if_due(*id, m, true).unwrap();
            prop_assert_eq!(wrote, m.log().len() >= 2);
            let opened = store.open_meeting(*id).unwrap();
            prop_assert_eq!(opened.state(), m.state());
            prop_assert_eq!(opened.log().len(), m.log().len());
            *m = opened;
        }
        for (command, (origin, console), dt) in &after {
            let mut results = Vec::new();
            for (store, id, m, at) in stores.iter_mut() {
                *at += dt;
                results.push(store.execute_by(*id, m, command, *at, *origin, Some(console)).is_ok());
            }
            prop_assert_eq!(results[0], results[1], "{:?}", command);
            // The two files' meetings differ only by their global ids.
            let mut full = stores[0].2.state().clone();
            full.uid = stores[1].2.state().uid.clone();
            prop_assert_eq!(&full, stores[1].2.state(), "after {:?}", command);
        }
        for (store, id, m, _) in &stores {
            let audit = store.audit().unwrap();
            prop_assert!(audit.is_intact(), "{:?}", audit);
            let replayed = store.load(*id).unwrap();
            prop_assert_eq!(replayed.state(), m.state());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Undo pressed again and again, each reaching further back than the one before, past the
    /// newest checkpoints into the thinned-out older ones: every step gives the state a full
    /// replay gives, and the readable tables still verify.
    #[test]
    fn undo_after_undo_reaching_far_back_equals_a_full_replay(
        steps in proptest::collection::vec(command(), 150..260),
        every in 1usize..3,
        undos in 40usize..140,
    ) {
        let (_dir, mut store, id, mut meeting) = meeting_in_a_store(every);
        let mut at = common::T0;
        for command in steps.into_iter().filter(|c| *c != Command::EndMeeting) {
            at += 1_000;
            let _ = store.execute(id, &mut meeting, &command, at, Origin::Facilitator);
        }
        let mut reached = meeting.log().len();
        for _ in 0..undos {
            at += 1_000;
            let Ok(event) = store.execute(id, &mut meeting, &Command::Undo, at, Origin::Facilitator) else {
                break;
            };
            if let Change::Undone { target } = event.change {
                prop_assert!(target < reached, "each undo reaches further back");
                reached = target;
            }
            let replayed = Meeting::replay(meeting.log().to_vec()).unwrap();
            prop_assert_eq!(replayed.state(), meeting.state());
        }
        let audit = store.audit().unwrap();
        prop_assert!(audit.is_intact(), "{:?}", audit.findings);
    }
}
