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

/// Writes `m` as the first schema wrote a meeting: its tables, its entries hashed over the
/// columns that schema had, readable times in local time, and no readable rows (a newer
/// yishi rebuilds them from the log).
pub fn write_first_schema(path: &std::path::Path, m: &yishi::domain::state::Meeting) {
    use rusqlite::params;
    use yishi::store::schema;
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute_batch(schema::V1).unwrap();
    c.pragma_update(None, "application_id", schema::APPLICATION_ID)
        .unwrap();
    c.pragma_update(None, "user_version", 1).unwrap();
    c.execute(
        "INSERT INTO meetings (id, title, kind, eligible, quorum, speaker_limit_secs, status, opened_at)
         VALUES (1, ?1, 'consultation', 6, 'majority', 180, 'open', '')",
        [&m.state().meeting.title],
    )
    .unwrap();
    let mut prev = "0".repeat(64);
    for (n, e) in m.log().iter().enumerate() {
        let seq = n as i64 + 1;
        let payload = serde_json::to_string(&e.change).unwrap();
        let at_text = chrono::DateTime::from_timestamp_millis(e.at)
            .unwrap()
            .with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string();
        let hash = yishi::store::hash_entry(
            &prev,
            seq,
            1,
            n as i64,
            e.at,
            e.origin.key(),
            e.change.key(),
            &payload,
        );
        c.execute(
            "INSERT INTO events (seq, meeting_id, n, at, at_text, origin, kind, payload, prev_hash, hash)
             VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![seq, n as i64, e.at, at_text, e.origin.key(), e.change.key(), payload, prev, hash],
        )
        .unwrap();
        prev = hash;
    }
    c.execute(
        "INSERT INTO chain_head (id, seq, hash) VALUES (1, ?1, ?2)",
        params![m.log().len() as i64, prev],
    )
    .unwrap();
}

/// The real binary in Chinese on a database: exit code, stdout, stderr.
pub fn yishi(db: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_yishi"))
        .arg("--db")
        .arg(db)
        .args(["--lang", "zh-CN"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The real binary on a database from the repository's folder (agendas/ as written), with
/// the language the environment gives.
pub fn run_in_repo(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_yishi"))
        .arg("--db")
        .arg(db)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

/// What a command printed, stdout then stderr.
pub fn output_text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
