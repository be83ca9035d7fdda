//! `yishi export -f popolo` read back as an open-data consumer would: every entity validated
//! against the Popolo schemas (tests/popolo/, a subset of the spec's) with no property the
//! spec does not have except the `yishi` extension, every id it refers to present, and the
//! votes, weights, results and speeches equal to what the room recorded.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use yishi::agenda;
use yishi::domain::model::*;
use yishi::domain::state::*;
use yishi::domain::tally::{Choice, Method, Votes};
use yishi::export::{self, Format, Minutes, Table};
use yishi::lang::Lang;
use yishi::store::{Site, Store};

const F: Origin = Origin::Facilitator;
/// A mobile number on the committee's list and one the secretary typed into the minutes.
const PHONE: &str = "13900001111";
const TYPED_PHONE: &str = "138-1234-5678";

const SCHEMAS: [&str; 13] = [
    "event",
    "motion",
    "vote_event",
    "count",
    "vote",
    "speech",
    "person",
    "organization",
    "identifier",
    "contact_detail",
    "link",
    "other_name",
    "group_result",
];

/// The Popolo schemas, each also wrapped so that an object may have only the spec's
/// properties and `yishi`.
struct Popolo {
    schemas: boon::Schemas,
    strict: BTreeMap<&'static str, boon::SchemaIndex>,
}

fn popolo() -> Popolo {
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    let mut strict = BTreeMap::new();
    let mut schemas = boon::Schemas::new();
    let mut wrapped = Vec::new();
    for name in SCHEMAS {
        let path = format!("{}/tests/popolo/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        let url = format!("http://www.popoloproject.com/schemas/{name}.json");
        let mut names: Vec<Value> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(|k| json!(k))
            .collect();
        names.push(json!("yishi"));
        compiler.add_resource(&url, schema).unwrap();
        let loc = format!("http://yishi.test/strict/{name}.json");
        compiler
            .add_resource(
                &loc,
                json!({
                    "$schema": "http://json-schema.org/draft-07/schema#",
                    "allOf": [{"$ref": format!("{url}#")}],
                    "propertyNames": {"enum": names},
                }),
            )
            .unwrap();
        wrapped.push((name, loc));
    }
    for (name, loc) in wrapped {
        strict.insert(name, compiler.compile(&loc, &mut schemas).unwrap());
    }
    Popolo { schemas, strict }
}

impl Popolo {
    fn check(&self, kind: &str, v: &Value) {
        if let Err(e) = self.schemas.validate(v, self.strict[kind]) {
            panic!("{kind} does not validate: {e:#}\n{v:#}");
        }
    }

    /// Every entity of the document against its schema, every id unique and every id an
    /// entity refers to present in the document.
    fn validate(&self, doc: &Value) {
        let kinds = [
            ("organizations", "organization"),
            ("events", "event"),
            ("persons", "person"),
            ("motions", "motion"),
            ("vote_events", "vote_event"),
            ("speeches", "speech"),
        ];
        let keys: BTreeSet<&str> = doc
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(keys, kinds.iter().map(|(k, _)| *k).collect());
        let mut ids: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for (list, kind) in kinds {
            for e in doc[list].as_array().unwrap() {
                self.check(kind, e);
                let id = e["id"]
                    .as_str()
                    .expect("every entity has an id")
                    .to_string();
                assert!(
                    ids.entry(kind).or_default().insert(id.clone()),
                    "{id} twice"
                );
            }
        }
        for ve in doc["vote_events"].as_array().unwrap() {
            for c in ve["counts"].as_array().unwrap() {
                self.check("count", c);
            }
            for v in ve["votes"].as_array().into_iter().flatten() {
                self.check("vote", v);
            }
        }
        let refers = |e: &Value, key: &str, kind: &str| {
            if let Some(id) = e.get(key).and_then(Value::as_str) {
                assert!(
                    ids.get(kind).is_some_and(|s| s.contains(id)),
                    "{key} {id} is not a {kind} of the document"
                );
            }
        };
        for (list, _) in kinds {
            for e in doc[list].as_array().unwrap() {
                refers(e, "organization_id", "organization");
                refers(e, "legislative_session_id", "event");
                refers(e, "event_id", "event");
                refers(e, "parent_id", "event");
                refers(e, "motion_id", "motion");
                refers(e, "creator_id", "person");
                refers(&e["yishi"], "item_id", "event");
                refers(&e["yishi"], "vote_event_id", "vote_event");
                for v in e["votes"].as_array().into_iter().flatten() {
                    refers(v, "voter_id", "person");
                }
                for d in e["yishi"]["dissent"].as_array().into_iter().flatten() {
                    refers(d, "person_id", "person");
                }
            }
        }
    }
}

/// A record with two meetings: the consultation of tests/common (a show of hands taken again,
/// a plurality vote, speeches with notes, dissent) and the owners' meeting of
/// agendas/owners-maintenance-fund.toml (roll calls weighed by area, written ballots).
struct Record {
    _dir: tempfile::TempDir,
    db: PathBuf,
    consultation: (i64, State),
    owners: (i64, State),
    now: i64,
}

struct Run<'a> {
    store: &'a mut Store,
    id: i64,
    m: Meeting,
    at: i64,
}

impl Run<'_> {
    fn go(&mut self, c: Command, secs: i64) {
        self.at += secs * 1000;
        self.store
            .execute(self.id, &mut self.m, &c, self.at, F)
            .unwrap_or_else(|e| panic!("{c:?}: {e:?}"));
    }

    fn present(&mut self, participant: u32, presence: Presence) {
        let c = Command::SetPresence {
            participant,
            presence,
            holder: None,
            reason: None,
        };
        self.go(c, 1);
    }

    /// A speech of `secs` seconds, with the secretary's note typed while it runs.
    fn speech(&mut self, participant: u32, kind: SpeechKind, secs: i64, note: &str) {
        self.go(Command::QueueSpeaker { participant, kind }, 2);
        self.go(Command::StartNextSpeaker, 1);
        if !note.is_empty() {
            let speech = self.m.state().speech.as_ref().unwrap().id;
            let note = note.to_string();
            self.go(Command::SetSpeechNote { speech, note }, 0);
        }
        self.go(Command::EndSpeech, secs);
    }

    fn vote(&mut self, item: ItemId, method: Method, input: TallyInput, tellers: &[&str]) {
        let c = Command::RecordVote {
            item,
            rule: None,
            method,
            input,
            tellers: tellers.iter().map(|t| t.to_string()).collect(),
        };
        self.go(c, 30);
    }

    fn id_of(&self, name: &str) -> u32 {
        self.m
            .state()
            .participants
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name} on the list"))
            .id
    }
}

fn consultation(store: &mut Store, at: i64) -> (i64, State, i64) {
    let mut setup = common::setup();
    setup.participants[0].phone = Some(PHONE.into());
    setup.participants[0].unit = Some("3号楼2单元502".into());
    let (id, m) = store.create_meeting(setup, None, at, F).unwrap();
    let mut r = Run { store, id, m, at };
    for p in [1, 2, 4, 5, 6, 7] {
        r.present(p, Presence::Present);
    }
    r.present(3, Presence::Online);
    r.go(Command::NextItem, 60);
    r.speech(
        1,
        SpeechKind::Speech,
        95,
        "希望尽快开工，电话 138-1234-5678",
    );
    r.speech(3, SpeechKind::Speech, 62, "");
    r.speech(2, SpeechKind::Reply, 40, "担心低层采光");
    // 3 of 6 present is not two thirds; taken again, 4 of 6 is.
    let counts = |yes, no, abstain| TallyInput::Counts { yes, no, abstain };
    r.vote(1, Method::ShowOfHands, counts(3, 2, 1), &["李明"]);
    r.vote(1, Method::ShowOfHands, counts(4, 1, 1), &["李明", "赵敏"]);
    for (field, text) in [
        (
            TextField::Minutes,
            format!("张建国：联系电话 {TYPED_PHONE}。"),
        ),
        (TextField::Resolution, "同意按方案A加装电梯。".into()),
    ] {
        let c = Command::SetText {
            item: 1,
            field,
            text,
            base: None,
        };
        r.go(c, 5);
    }
    let c = Command::SetDissent {
        item: 1,
        text: "李秀英：担心噪音".into(),
        base: None,
    };
    r.go(c, 5);
    r.go(Command::NextItem, 10);
    let input = TallyInput::Options {
        counts: vec![4, 1],
        abstain: 1,
    };
    r.vote(2, Method::SecretBallot, input, &[]);
    r.go(Command::EndMeeting, 20);
    (id, r.m.state().clone(), r.at)
}

/// Who says what in the owners' roll calls: everyone yes, except these.
fn owners_choice(name: &str, item: ItemId) -> Choice {
    match (item, name) {
        (1, "罗志刚") | (1, "冯丽") => Choice::No,
        (1, "韩雪") => Choice::Abstain,
        // 13 of 18 owners present say yes to the major matter: less than three quarters.
        (2, "罗志刚" | "冯丽" | "韩雪" | "唐国庆" | "彭勇") => Choice::No,
        (3, "蔡永康") => Choice::No,
        _ => Choice::Yes,
    }
}

const AWAY: [&str; 2] = ["蔡永康", "潘婷婷"];

fn owners(store: &mut Store, at: i64) -> (i64, State, i64) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/agendas/owners-maintenance-fund.toml"
    ))
    .unwrap();
    let setup = agenda::parse(&text, Lang::Zh).unwrap_or_else(|p| panic!("{p:#?}"));
    let (id, m) = store
        .create_meeting(setup, Some("owners-maintenance-fund.toml"), at, F)
        .unwrap();
    let mut r = Run { store, id, m, at };
    let owners: Vec<(u32, String)> =
        r.m.state()
            .participants
            .iter()
            .filter(|p| p.is_owner())
            .map(|p| (p.id, p.name.clone()))
            .collect();
    assert_eq!(owners.len(), 20);
    for (pid, name) in &owners {
        if !AWAY.contains(&name.as_str()) {
            r.present(*pid, Presence::Present);
        }
    }
    let ballots = |item: ItemId, all: bool| TallyInput::RollCall {
        ballots: owners
            .iter()
            .filter(|(_, n)| all || !AWAY.contains(&n.as_str()))
            .map(|(p, n)| (*p, owners_choice(n, item)))
            .collect(),
    };
    r.go(Command::NextItem, 60);
    let chen = r.id_of("陈国华");
    r.speech(chen, SpeechKind::Speech, 120, "介绍三家报价");
    r.vote(
        1,
        Method::RollCall,
        ballots(1, false),
        &["杨秀梅", "许建平"],
    );
    r.go(Command::NextItem, 10);
    r.vote(2, Method::RollCall, ballots(2, false), &[]);
    r.go(Command::NextItem, 10);
    // 书面表决: every owner's ballot came back, the two not in the room too.
    r.vote(3, Method::WrittenBallot, ballots(3, true), &["杨秀梅"]);
    (id, r.m.state().clone(), r.at)
}

fn record() -> Record {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("yishi.db");
    let mut store = Store::open(&db).unwrap();
    let site = Site {
        code: "330106001001".into(),
        name: "锦绣社区居委会".into(),
        district: Some("西溪街道".into()),
    };
    store.set_site(site, common::T0).unwrap();
    let (a, state_a, at) = consultation(&mut store, common::T0);
    let (b, state_b, at) = owners(&mut store, at + 3_600_000);
    Record {
        _dir: dir,
        db,
        consultation: (a, state_a),
        owners: (b, state_b),
        now: at + 1000,
    }
}

fn minutes(r: &Record, (id, state): &(i64, State), lang: Lang) -> Minutes {
    let mut m = Minutes::build(state, Some(*id), r.now, lang, None);
    m.site = Store::open(&r.db).unwrap().site().unwrap();
    m
}

fn document(meetings: &[Minutes]) -> Value {
    let bytes = export::render(meetings, Format::Popolo, Table::Resolutions, false).unwrap();
    serde_json::from_slice(&bytes).expect("the export is JSON")
}

fn by_id<'a>(doc: &'a Value, list: &str, id: &str) -> &'a Value {
    doc[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("{id} in {list}"))
}

fn where_<'a>(doc: &'a Value, list: &str, key: &str, value: &str) -> Vec<&'a Value> {
    doc[list]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e[key] == value)
        .collect()
}

fn uid(state: &State) -> String {
    state
        .uid
        .clone()
        .expect("a meeting of this schema has a global id")
}

#[test]
fn every_entity_validates_against_the_popolo_schemas_and_uses_only_their_properties() {
    let r = record();
    let p = popolo();
    for lang in [Lang::Zh, Lang::En] {
        let both = [
            minutes(&r, &r.consultation, lang),
            minutes(&r, &r.owners, lang),
        ];
        let doc = document(&both);
        p.validate(&doc);
        assert_eq!(doc["organizations"].as_array().unwrap().len(), 1);
        // Two meetings and their 3 + 4 items.
        assert_eq!(doc["events"].as_array().unwrap().len(), 2 + 3 + 4);
        // 7 + 23 participants, their ids apart though both meetings have a person 1.
        assert_eq!(doc["persons"].as_array().unwrap().len(), 7 + 23);
        // Consultation: 2 motions, 3 tallies; owners: 3 motions, 3 tallies.
        assert_eq!(doc["motions"].as_array().unwrap().len(), 5);
        assert_eq!(doc["vote_events"].as_array().unwrap().len(), 6);
        assert_eq!(doc["speeches"].as_array().unwrap().len(), 4);
    }
    // A broken entity is refused: the check can fail.
    let doc = document(&[minutes(&r, &r.consultation, Lang::Zh)]);
    let mut bad = doc["vote_events"][0].clone();
    bad["counts"][0]["value"] = json!("4");
    assert!(
        p.schemas.validate(&bad, p.strict["vote_event"]).is_err(),
        "a count must be a number"
    );
    let mut bad = doc["motions"][0].clone();
    bad["resolution"] = json!("not a Popolo property");
    assert!(p.schemas.validate(&bad, p.strict["motion"]).is_err());
}

#[test]
fn the_meeting_is_an_event_with_its_global_id_times_and_committee() {
    let r = record();
    let m = minutes(&r, &r.consultation, Lang::Zh);
    let doc = document(std::slice::from_ref(&m));
    let uid = uid(&r.consultation.1);
    let event = by_id(&doc, "events", &uid);
    assert_eq!(event["name"], "幸福里小区3号楼加装电梯协商议事会");
    assert_eq!(event["classification"], "consultation");
    assert_eq!(event["location"], "幸福里居委会议事厅");
    assert_eq!(event["organization_id"], "organization/330106001001");
    let org = &doc["organizations"][0];
    assert_eq!(org["id"], "organization/330106001001");
    assert_eq!(org["name"], "锦绣社区居委会");
    assert_eq!(org["yishi"]["district"], "西溪街道");
    // Times in the agenda's offset, to the second: the first item taken up and the close.
    let start = chrono::DateTime::parse_from_rfc3339(event["start_date"].as_str().unwrap())
        .expect("ISO 8601 with an offset");
    let end = chrono::DateTime::parse_from_rfc3339(event["end_date"].as_str().unwrap()).unwrap();
    assert_eq!(start.offset().local_minus_utc(), 8 * 3600);
    assert_eq!(Some(start.timestamp_millis()), r.consultation.1.started_at);
    assert_eq!(Some(end.timestamp_millis()), r.consultation.1.ended_at);
    assert_eq!(
        event["yishi"]["scheduled_start"],
        "2026-11-28T19:00:00+08:00"
    );
    let ext = &event["yishi"];
    assert_eq!(ext["eligible"], 6);
    assert_eq!(ext["present"], 6);
    assert_eq!(ext["quorum"]["rule"], "majority");
    assert_eq!(ext["quorum"]["text"], "过半数");
    assert_eq!(ext["quorum"]["required"], 4);
    assert_eq!(ext["quorum"]["met"], true);
    assert_eq!(ext["host"], "王芳");
    // Each agenda item is a part of the meeting, with what became of it.
    let item = by_id(&doc, "events", &format!("{uid}/item/1"));
    assert_eq!(item["parent_id"], uid.as_str());
    assert_eq!(item["name"], "3号楼加装电梯方案");
    assert_eq!(item["yishi"]["outcome"], "passed");
    assert_eq!(item["yishi"]["resolution"], "同意按方案A加装电梯。");
    let dissent = &item["yishi"]["dissent"][0];
    assert_eq!(dissent["text"], "担心噪音");
    assert_eq!(dissent["person_id"], format!("{uid}/person/2"));
    assert_eq!(
        by_id(&doc, "events", &format!("{uid}/item/3"))["yishi"]["outcome"],
        "not_taken_up"
    );
    // A person: name, role, attendance and the committee's phone in the private file.
    let zhang = by_id(&doc, "persons", &format!("{uid}/person/1"));
    assert_eq!(zhang["name"], "张建国");
    assert_eq!(zhang["yishi"]["role"], "resident_rep");
    assert_eq!(zhang["yishi"]["attendance"], "present");
    assert_eq!(zhang["yishi"]["area_m2"], 86.5);
    assert_eq!(zhang["contact_details"][0]["value"], PHONE);
    let wang = by_id(&doc, "persons", &format!("{uid}/person/3"));
    assert_eq!(wang["yishi"]["attendance"], "online");
    assert!(
        wang.get("contact_details").is_none(),
        "no phone, no contact"
    );
}

#[test]
fn a_vote_taken_again_is_a_second_vote_event_on_the_same_motion() {
    let r = record();
    let doc = document(&[minutes(&r, &r.consultation, Lang::Zh)]);
    let uid = uid(&r.consultation.1);
    let motion = by_id(&doc, "motions", &format!("{uid}/motion/1"));
    assert_eq!(motion["text"], "是否同意按方案A加装电梯？");
    assert_eq!(motion["requirement"], "到会人数三分之二以上");
    assert_eq!(motion["legislative_session_id"], uid.as_str());
    assert_eq!(motion["organization_id"], "organization/330106001001");
    let votes = where_(
        &doc,
        "vote_events",
        "motion_id",
        motion["id"].as_str().unwrap(),
    );
    assert_eq!(votes.len(), 2, "the first tally is kept beside the second");
    let recorded: Vec<&yishi::domain::state::VoteRecord> = r
        .consultation
        .1
        .votes
        .iter()
        .filter(|v| v.item == 1)
        .collect();
    for (ve, v) in votes.iter().zip(&recorded) {
        assert_eq!(ve["result"], if v.outcome.passed { "pass" } else { "fail" });
        assert_eq!(ve["yishi"]["superseded"], v.superseded);
        let at = chrono::DateTime::parse_from_rfc3339(ve["start_date"].as_str().unwrap()).unwrap();
        assert_eq!(at.timestamp_millis(), v.at);
    }
    let (first, second) = (votes[0], votes[1]);
    assert_eq!(first["result"], "fail");
    assert_eq!(first["yishi"]["superseded"], true);
    assert_eq!(first["yishi"]["void_mark"], "已作废（已重新表决）");
    assert_eq!(second["result"], "pass");
    assert_eq!(second["yishi"]["superseded"], false);
    assert!(second["yishi"].get("void_mark").is_none());
    assert_eq!(
        second["counts"],
        json!([
            {"option": "yes", "value": 4},
            {"option": "no", "value": 1},
            {"option": "abstain", "value": 1},
        ])
    );
    assert!(
        second.get("votes").is_none(),
        "a show of hands names no one"
    );
    let ext = &second["yishi"];
    assert_eq!(ext["method"], "show_of_hands");
    assert_eq!(ext["method_label"], "举手表决");
    assert_eq!(ext["tellers"], json!(["李明", "赵敏"]));
    assert_eq!(ext["rule"], "two_thirds_present");
    assert_eq!(ext["base"], "present");
    assert_eq!(ext["base_count"], 6);
    assert_eq!(ext["quorum"]["required"], 4);
    assert!(ext["reason"].as_str().unwrap().contains('4'), "{ext}");
    // The motion's result is the valid tally's, and names it.
    assert_eq!(motion["result"], "pass");
    assert_eq!(motion["yishi"]["vote_event_id"], second["id"]);
    assert_eq!(motion["yishi"]["reason"], ext["reason"]);
    let date = chrono::DateTime::parse_from_rfc3339(motion["date"].as_str().unwrap()).unwrap();
    assert_eq!(
        date.timestamp_millis(),
        recorded[0].at,
        "put when first voted on"
    );
}

#[test]
fn a_plurality_vote_counts_each_option_by_name() {
    let r = record();
    let doc = document(&[minutes(&r, &r.consultation, Lang::Zh)]);
    let uid = uid(&r.consultation.1);
    let motion = by_id(&doc, "motions", &format!("{uid}/motion/2"));
    assert_eq!(motion["text"], "清理日期");
    assert_eq!(motion["requirement"], "相对多数（得票最多者）");
    assert_eq!(motion["result"], "pass");
    assert_eq!(motion["yishi"]["winner"], "12月5日");
    assert_eq!(motion["yishi"]["options"], json!(["12月5日", "12月12日"]));
    let ve = where_(&doc, "vote_events", "motion_id", &format!("{uid}/motion/2"));
    assert_eq!(ve.len(), 1);
    assert_eq!(
        ve[0]["counts"],
        json!([
            {"option": "12月5日", "value": 4},
            {"option": "12月12日", "value": 1},
            {"option": "abstain", "value": 1},
        ])
    );
    assert_eq!(ve[0]["yishi"]["method"], "secret_ballot");
}

#[test]
fn the_roll_call_keeps_each_owners_choice_and_area_as_recorded() {
    let r = record();
    let doc = document(&[minutes(&r, &r.owners, Lang::Zh)]);
    let state = &r.owners.1;
    let uid = uid(state);
    let person = |pid: u32| format!("{uid}/person/{pid}");
    let areas: BTreeMap<u32, f64> = state
        .participants
        .iter()
        .filter_map(|p| p.area.map(|a| (p.id, a.m2())))
        .collect();
    for v in &state.votes {
        let number = state.items.iter().position(|i| i.id == v.item).unwrap() + 1;
        let ve = by_id(&doc, "vote_events", &format!("{uid}/vote/{number}/1"));
        assert_eq!(ve["motion_id"], format!("{uid}/motion/{number}"));
        assert_eq!(ve["result"], if v.outcome.passed { "pass" } else { "fail" });
        // Each owner's answer and area, in the order recorded.
        let votes = ve["votes"].as_array().expect("a roll call names everyone");
        assert_eq!(votes.len(), v.ballots.len());
        for (vote, (pid, choice)) in votes.iter().zip(&v.ballots) {
            assert_eq!(vote["voter_id"], person(*pid));
            assert_eq!(vote["option"], choice.key());
            assert_eq!(vote["weight"], json!(areas[pid]), "owner {pid}");
        }
        // The counts are heads; the areas add up to what the tally weighed.
        let yes = votes.iter().filter(|x| x["option"] == "yes").count();
        assert_eq!(ve["counts"][0], json!({"option": "yes", "value": yes}));
        let yes_area: f64 = votes
            .iter()
            .filter(|x| x["option"] == "yes")
            .map(|x| x["weight"].as_f64().unwrap())
            .sum();
        let Votes::YesNo { yes: w, .. } = &v.votes else {
            panic!("yes / no")
        };
        assert!((yes_area - w.area.m2()).abs() < 1e-6);
        assert_eq!(ve["yishi"]["area_m2"]["yes"], json!(w.area.m2()));
    }
    // One owner of two flats: one head, both areas (112.5 + 89.1 m²).
    let xie = state
        .participants
        .iter()
        .find(|p| p.name == "谢文斌")
        .unwrap()
        .id;
    let first = by_id(&doc, "vote_events", &format!("{uid}/vote/1/1"));
    let xie_vote = first["votes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["voter_id"] == person(xie))
        .unwrap();
    assert_eq!(xie_vote["weight"], json!(201.6));
    assert_eq!(
        by_id(&doc, "persons", &person(xie))["yishi"]["area_m2"],
        json!(201.6)
    );

    // The ordinary matter passed, the major one (13 of 18 heads) did not.
    let result = |n: usize| by_id(&doc, "motions", &format!("{uid}/motion/{n}"))["result"].clone();
    assert_eq!(result(1), "pass");
    assert_eq!(result(2), "fail");
    assert_eq!(
        by_id(&doc, "motions", &format!("{uid}/motion/2"))["requirement"],
        "业主共同决定重大事项（民法典第278条）"
    );
    let second = by_id(&doc, "vote_events", &format!("{uid}/vote/2/1"));
    assert_eq!(second["counts"][0], json!({"option": "yes", "value": 13}));
    assert_eq!(second["yishi"]["base"], "participating");
    assert_eq!(second["yishi"]["method"], "roll_call");
    assert_eq!(first["yishi"]["tellers"], json!(["杨秀梅", "许建平"]));
    assert_eq!(first["yishi"]["quorum"]["rule"], "two_thirds");
    assert_eq!(first["yishi"]["quorum"]["required"], 14);

    // Written ballots (书面表决) name the owners who were not in the room too.
    let written = by_id(&doc, "vote_events", &format!("{uid}/vote/3/1"));
    assert_eq!(written["yishi"]["method"], "written_ballot");
    assert_eq!(written["yishi"]["method_label"], "书面表决");
    assert_eq!(written["votes"].as_array().unwrap().len(), 20);
    let cai = state
        .participants
        .iter()
        .find(|p| p.name == "蔡永康")
        .unwrap()
        .id;
    let cai_vote = written["votes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["voter_id"] == person(cai))
        .expect("an owner away from the room returned a ballot");
    assert_eq!(cai_vote["option"], "no");
    assert_eq!(
        by_id(&doc, "persons", &person(cai))["yishi"]["attendance"],
        "absent"
    );
}

#[test]
fn speeches_have_their_speaker_times_kind_and_note() {
    let r = record();
    let doc = document(&[minutes(&r, &r.consultation, Lang::Zh)]);
    let state = &r.consultation.1;
    let uid = uid(state);
    let speeches = doc["speeches"].as_array().unwrap();
    assert_eq!(speeches.len(), 3);
    for (s, recorded) in speeches.iter().zip(&state.speeches) {
        assert_eq!(s["event_id"], uid.as_str());
        assert_eq!(s["yishi"]["item_id"], format!("{uid}/item/1"));
        assert_eq!(
            s["creator_id"],
            format!("{uid}/person/{}", recorded.participant)
        );
        let start = chrono::DateTime::parse_from_rfc3339(s["date"].as_str().unwrap()).unwrap();
        // Popolo's Speech has no end: it is in the extension.
        let end =
            chrono::DateTime::parse_from_rfc3339(s["yishi"]["end_date"].as_str().unwrap()).unwrap();
        assert_eq!(start.timestamp_millis(), recorded.started_at);
        assert_eq!(Some(end.timestamp_millis()), recorded.ended_at);
    }
    let first = &speeches[0];
    assert_eq!(first["text"], "希望尽快开工，电话 138-1234-5678");
    assert_eq!(first["role"], "居民代表");
    assert_eq!(first["type"], "speech");
    assert_eq!(first["position"], 1);
    assert_eq!(first["yishi"]["seconds"], 95);
    assert_eq!(
        by_id(&doc, "persons", first["creator_id"].as_str().unwrap())["name"],
        "张建国"
    );
    assert!(speeches[1].get("text").is_none(), "no note, no text");
    assert_eq!(speeches[2]["type"], "reply");
    assert_eq!(speeches[2]["text"], "担心低层采光");
}

fn all_files_private(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o077 == 0
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        true
    }
}

#[test]
fn the_binary_writes_popolo_that_validates_and_public_masks_names_and_phones() {
    let r = record();
    let p = popolo();
    let dir = r.db.parent().unwrap().to_path_buf();
    let out = dir.join("meeting.json");
    let (id, state) = &r.consultation;
    let (code, stdout, err) = common::yishi(
        &r.db,
        &[
            "export",
            &id.to_string(),
            "-f",
            "popolo",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("meeting.json"), "{stdout}");
    let raw = std::fs::read_to_string(&out).unwrap();
    let doc: Value = serde_json::from_str(&raw).expect("the file is JSON");
    p.validate(&doc);
    assert!(all_files_private(&out), "names residents: private");
    let uid = uid(state);
    // The check code the signed minutes print, as `verify --expect` takes it.
    let store = Store::open(&r.db).unwrap();
    let anchor = store.anchor(*id).unwrap().unwrap();
    let check = &by_id(&doc, "events", &uid)["yishi"]["check"];
    assert_eq!(check["code"], yishi::store::check_code(&anchor.hash));
    assert_eq!(check["entry"], anchor.seq);
    assert!(check["text"].as_str().unwrap().starts_with("记录校验码 "));
    let (code, _, err) = common::yishi(
        &r.db,
        &["verify", "--expect", check["code"].as_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    // The private file has the names and the phones.
    assert!(raw.contains("张建国") && raw.contains(PHONE) && raw.contains(TYPED_PHONE));

    // Without -o it goes to standard output, the same document.
    let (code, printed, err) = common::yishi(&r.db, &["export", &id.to_string(), "-f", "popolo"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(serde_json::from_str::<Value>(&printed).unwrap(), doc);

    // --all: both meetings in one document, each under its own id.
    let (code, printed, err) = common::yishi(&r.db, &["export", "--all", "-f", "popolo"]);
    assert_eq!(code, 0, "{err}");
    let all: Value = serde_json::from_str(&printed).unwrap();
    p.validate(&all);
    let meetings: Vec<&Value> = all["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e.get("parent_id").is_none())
        .collect();
    assert_eq!(meetings.len(), 2);
    assert_eq!(meetings[1]["id"], self::uid(&r.owners.1).as_str());
    assert_eq!(all["organizations"].as_array().unwrap().len(), 1);

    // --public: names masked, no phone anywhere, the votes and results as they were.
    for (meeting, state) in [&r.consultation, &r.owners] {
        let public = dir.join(format!("public-{meeting}.json"));
        let (code, _, err) = common::yishi(
            &r.db,
            &[
                "export",
                &meeting.to_string(),
                "-f",
                "popolo",
                "--public",
                "-o",
                public.to_str().unwrap(),
            ],
        );
        assert_eq!(code, 0, "{err}");
        let raw = std::fs::read_to_string(&public).unwrap();
        let doc: Value = serde_json::from_str(&raw).unwrap();
        p.validate(&doc);
        let mut names: Vec<&str> = state.participants.iter().map(|p| p.name.as_str()).collect();
        names.extend(["王芳", "李明"]);
        for name in names {
            assert!(!raw.contains(name), "{name} in the public file");
        }
        for phone in [PHONE, TYPED_PHONE, "13812345678", "86001234"] {
            assert!(!raw.contains(phone), "{phone} in the public file");
        }
        assert!(!raw.contains("contact_details"));
        for person in doc["persons"].as_array().unwrap() {
            assert!(person["name"].as_str().unwrap().ends_with("**"), "{person}");
        }
        let private = document(&[minutes(&r, &(*meeting, state.clone()), Lang::Zh)]);
        let results = |d: &Value| -> Vec<(Value, Value, Value)> {
            d["vote_events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| (v["result"].clone(), v["counts"].clone(), v["votes"].clone()))
                .collect()
        };
        assert_eq!(results(&doc), results(&private));
    }
    let public = dir.join(format!("public-{id}.json"));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(public).unwrap()).unwrap();
    assert_eq!(
        by_id(&doc, "persons", &format!("{uid}/person/1"))["name"],
        "张**"
    );
    assert_eq!(
        by_id(&doc, "persons", &format!("{uid}/person/1"))["yishi"]["unit"],
        "3号楼2单元**"
    );
    assert_eq!(doc["speeches"][0]["text"], "希望尽快开工，电话 [已隐去]");
    assert_eq!(by_id(&doc, "events", &uid)["yishi"]["host"], "王**");

    // --public is for the open-data format; the notice is the masked text of the minutes.
    let (code, _, err) = common::yishi(&r.db, &["export", &id.to_string(), "-f", "md", "--public"]);
    assert_eq!(code, 2);
    assert!(err.contains("yishi notice"), "{err}");
}
