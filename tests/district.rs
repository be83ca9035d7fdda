//! Beyond one laptop: every file says which committee it belongs to, every meeting has a
//! global id, and a district combines its committees' backups into one file it reports from.

mod common;

use common::yishi;

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use yishi::domain::state::*;
use yishi::domain::tally::Method;
use yishi::store::{DistrictError, Site, SiteError, SiteSet, Store, schema};

const F: Origin = Origin::Facilitator;

/// A meeting with attendance, a vote, a resolution and an action; `present` sign in.
fn meeting(store: &mut Store, title: &str, at: i64, present: &[u32], done: bool) -> i64 {
    let mut setup = common::setup();
    setup.meeting.title = title.into();
    let (id, mut m) = store.create_meeting(setup, None, at, F).unwrap();
    let mut t = at;
    let mut run = |c: Command| {
        t += 5_000;
        store.execute(id, &mut m, &c, t, F).unwrap();
    };
    for &p in present {
        run(Command::SetPresence {
            participant: p,
            presence: Presence::Present,
            holder: None,
            reason: None,
        });
    }
    run(Command::NextItem);
    run(Command::RecordVote {
        item: 1,
        rule: None,
        method: Method::ShowOfHands,
        input: TallyInput::Counts {
            yes: present.len() as u32,
            no: 0,
            abstain: 0,
        },
        tellers: vec!["李明".into()],
    });
    run(Command::SetText {
        item: 1,
        field: TextField::Resolution,
        text: "同意。".into(),
        base: None,
    });
    run(Command::AddAction {
        item: 1,
        what: format!("{title}：联系施工方"),
        owner: "王磊".into(),
        due: Some("2026-12-20".into()),
    });
    if done {
        run(Command::UpdateAction {
            action: 1,
            status: ActionStatus::Done,
            note: Some("已完成".into()),
        });
    }
    run(Command::NextItem);
    id
}

/// A committee's laptop: its database with a site and `n` meetings (local ids 1..=n).
fn laptop(dir: &Path, code: &str, name: &str, n: usize) -> PathBuf {
    let path = dir.join(format!("{code}.db"));
    let mut store = Store::open(&path).unwrap();
    store
        .set_site(
            Site {
                code: code.into(),
                name: name.into(),
                district: Some("和平街道".into()),
            },
            common::T0,
        )
        .unwrap();
    for i in 0..n {
        let present: Vec<u32> = (1..=(4 + i as u32 % 3)).collect();
        meeting(
            &mut store,
            &format!("{name}第{}次议事会", i + 1),
            common::T0 + i as i64 * 86_400_000,
            &present,
            i % 2 == 1,
        );
    }
    path
}

fn backup(db: &Path, to: &Path) {
    let (code, _, err) = yishi(db, &["backup", to.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
}

fn count(db: &Path, sql: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[test]
fn every_meeting_has_a_global_id_in_its_opening_entry_and_verify_holds() {
    let dir = tempfile::tempdir().unwrap();
    let path = laptop(dir.path(), "110105001001", "幸福里社区", 2);
    let store = Store::open(&path).unwrap();
    assert!(store.audit().unwrap().is_intact());
    let uids: Vec<String> = {
        let c = store.connection();
        let mut s = c.prepare("SELECT uid FROM meetings ORDER BY id").unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(uids.len(), 2);
    assert_ne!(uids[0], uids[1]);
    for (i, uid) in uids.iter().enumerate() {
        let parsed = uuid::Uuid::parse_str(uid).unwrap();
        assert_eq!(parsed.get_version_num(), 7, "{uid}");
        let payload: String = store
            .connection()
            .query_row(
                "SELECT payload FROM events WHERE meeting_id = ?1 AND n = 0",
                [i as i64 + 1],
                |r| r.get(0),
            )
            .unwrap();
        assert!(payload.contains(uid.as_str()), "the opening entry holds it");
        assert_eq!(
            store.load(i as i64 + 1).unwrap().state().uid.as_ref(),
            Some(uid)
        );
    }
    // A uid changed with an SQLite tool is caught by verify.
    drop(store);
    Connection::open(&path)
        .unwrap()
        .execute("UPDATE meetings SET uid = 'forged' WHERE id = 1", [])
        .unwrap();
    let a = Store::open(&path).unwrap().audit().unwrap();
    assert!(
        a.findings
            .iter()
            .any(|f| matches!(f, yishi::store::Finding::Differs { column, .. } if column == "uid")),
        "{a:?}"
    );
}

#[test]
fn the_site_is_written_once_and_a_change_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let (code, out, err) = yishi(
        &path,
        &[
            "site",
            "set",
            "--code",
            "110105001001",
            "--name",
            "幸福里社区",
            "--district",
            "和平街道",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("已登记社区 110105001001（幸福里社区，和平街道）"),
        "{out}"
    );
    // The same again is harmless.
    let (code, out, _) = yishi(
        &path,
        &[
            "site",
            "set",
            "--code",
            "110105001001",
            "--name",
            "幸福里社区",
            "--district",
            "和平街道",
        ],
    );
    assert_eq!(code, 0);
    assert!(out.contains("未改动"), "{out}");
    // Another code is refused, and says why.
    let (code, _, err) = yishi(
        &path,
        &["site", "set", "--code", "999", "--name", "别的社区"],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("不能更改") && err.contains("110105001001"),
        "{err}"
    );
    let (_, out, _) = yishi(&path, &["site", "show"]);
    assert!(
        out.contains("110105001001（幸福里社区，和平街道）"),
        "{out}"
    );
    // A code with spaces or Chinese cannot key a committee.
    let mut store = Store::open(&dir.path().join("b.db")).unwrap();
    let bad = store.set_site(
        Site {
            code: "幸福 里".into(),
            name: "x".into(),
            district: None,
        },
        common::T0,
    );
    assert!(matches!(bad, Err(SiteError::BadCode(_))));
    // Left out, a code is generated.
    let (code, out, _) = yishi(
        &dir.path().join("c.db"),
        &["site", "set", "--name", "光明社区"],
    );
    assert_eq!(code, 0);
    assert!(out.contains("site-"), "{out}");
    let _ = SiteSet::Unchanged;
}

/// Writes a file of the first schema (entries hashed as it hashed them), with one meeting;
/// `to_v2` then brings it to the schema before the site as an older yishi would have.
fn old_file(path: &Path, to_v2: bool) {
    let mut m = Meeting::open(common::setup(), common::T0, F);
    for (i, c) in [
        Command::SetPresence {
            participant: 1,
            presence: Presence::Present,
            holder: None,
            reason: None,
        },
        Command::NextItem,
    ]
    .iter()
    .enumerate()
    {
        m.execute(c, common::T0 + 1000 * (i as i64 + 1), F).unwrap();
    }
    common::write_first_schema(path, &m);
    if to_v2 {
        // Schema 2 as yishi wrote it (tables rebuilt from the log, no site, no uid): the
        // first schema brought up to date, then the identity migration taken back.
        drop(Store::open(path).unwrap());
        let c = Connection::open(path).unwrap();
        c.execute_batch(&format!(
            "DROP TABLE snapshots; ALTER TABLE meetings DROP COLUMN uid; DROP TABLE site; PRAGMA user_version = {};",
            schema::SITE_SINCE - 1
        ))
        .unwrap();
        let _ = std::fs::remove_dir_all(path.with_file_name("backups"));
    }
}

#[test]
fn an_old_file_migrates_with_its_chain_intact_and_a_stable_derived_id() {
    for to_v2 in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        old_file(&path, to_v2);
        let first_hash: String = Connection::open(&path)
            .unwrap()
            .query_row("SELECT hash FROM events WHERE seq = 1", [], |r| r.get(0))
            .unwrap();
        let store = Store::open(&path).unwrap();
        let a = store.audit().unwrap();
        assert!(a.is_intact(), "schema {}: {a:?}", if to_v2 { 2 } else { 1 });
        let uid: String = store
            .connection()
            .query_row("SELECT uid FROM meetings WHERE id = 1", [], |r| r.get(0))
            .unwrap();
        assert_eq!(uid, yishi::store::derived_uid(&first_hash, common::T0));
        // The old entries were not rewritten: the first still has no uid in it.
        let payload: String = store
            .connection()
            .query_row("SELECT payload FROM events WHERE seq = 1", [], |r| r.get(0))
            .unwrap();
        assert!(!payload.contains("uid"));
        let version: i64 = store
            .connection()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, schema::LATEST);
        drop(store);
        // A copy of the file (a backup) says the same id.
        let copy = dir.path().join("copy.db");
        backup(&path, &copy);
        let again: String = Store::open(&copy)
            .unwrap()
            .connection()
            .query_row("SELECT uid FROM meetings WHERE id = 1", [], |r| r.get(0))
            .unwrap();
        assert_eq!(again, uid);
    }
}

/// `stats --by-site` block of one committee in a report: its two lines.
fn block(text: &str, code: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with(code))
        .unwrap_or_else(|| panic!("{code} in {text}"));
    lines[at + 1..at + 3].join("\n")
}

#[test]
fn three_committees_merge_into_one_district_file_and_report_per_site() {
    let dir = tempfile::tempdir().unwrap();
    let stick = dir.path().join("stick");
    std::fs::create_dir(&stick).unwrap();
    // Three laptops, meetings numbered 1.. on each: the local ids overlap.
    let laptops = [
        laptop(dir.path(), "110105001001", "幸福里社区", 2),
        laptop(dir.path(), "110105001002", "光明社区", 3),
        laptop(dir.path(), "110105001003", "和平里社区", 1),
    ];
    let mut backups = Vec::new();
    for l in &laptops {
        let b = stick.join(l.file_name().unwrap());
        backup(l, &b);
        backups.push(b);
    }
    let district = dir.path().join("district.db");
    let mut args = vec!["district", "import"];
    args.extend(backups.iter().map(|b| b.to_str().unwrap()));
    let into = district.to_str().unwrap().to_string();
    args.extend(["--into", &into]);
    let (code, out, err) = yishi(&dir.path().join("unused.db"), &args);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("光明社区）：新增 3 场"), "{out}");
    assert_eq!(count(&district, "SELECT count(*) FROM meetings"), 6);
    assert_eq!(
        count(&district, "SELECT count(DISTINCT uid) FROM meetings"),
        6
    );
    assert_eq!(count(&district, "SELECT count(*) FROM sites"), 3);
    assert_eq!(
        count(
            &district,
            "SELECT count(*) FROM votes v JOIN district_meetings d USING (meeting_id) WHERE d.site_code = '110105001002'"
        ),
        3
    );
    // The source files on the stick were not written to.
    for b in &backups {
        assert_eq!(
            count(
                b,
                "SELECT count(*) FROM sqlite_master WHERE name = 'district'"
            ),
            0
        );
    }

    // Per site, the district's figures are the laptop's own.
    let (_, report, _) = yishi(&district, &["stats", "--by-site"]);
    for (l, code) in laptops
        .iter()
        .zip(["110105001001", "110105001002", "110105001003"])
    {
        let (_, own, _) = yishi(l, &["stats", "--by-site"]);
        assert_eq!(block(&report, code), block(&own, code), "{report}\n{own}");
    }
    assert!(report.contains("合计（3 个社区）"), "{report}");
    assert!(report.contains("会议 6 场"), "{report}");
    // Actions per committee and in total.
    let (code, actions, err) = yishi(&district, &["actions", "--all"]);
    assert_eq!(code, 0, "{err}");
    assert!(actions.contains("== 110105001002 光明社区 =="), "{actions}");
    assert!(
        actions.contains("光明社区第3次议事会：联系施工方"),
        "{actions}"
    );
    assert!(
        actions.contains("合计：待办事项共 6 项：已完成 2 项"),
        "{actions}"
    );

    // Importing the same snapshots again changes nothing.
    let (code, out, _) = yishi(&dir.path().join("unused.db"), &args);
    assert_eq!(code, 0);
    assert!(out.contains("新增 0 场，更新 0 场，未变 3 场"), "{out}");
    assert_eq!(count(&district, "SELECT count(*) FROM meetings"), 6);
    let (_, report_again, _) = yishi(&district, &["stats", "--by-site"]);
    assert_eq!(report_again, report);

    // A district file is looked at, not run.
    let (code, _, err) = yishi(&district, &["resume"]);
    assert_eq!(code, 2);
    assert!(err.contains("街道汇总文件"), "{err}");
}

#[test]
fn a_newer_snapshot_replaces_a_meeting_and_an_older_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let l = laptop(dir.path(), "110105001001", "幸福里社区", 1);
    let old = dir.path().join("old.db");
    backup(&l, &old);
    // Follow-up continues on the laptop: the action is done after the first snapshot.
    {
        let mut store = Store::open(&l).unwrap();
        let mut m = store.load(1).unwrap();
        store
            .execute(
                1,
                &mut m,
                &Command::UpdateAction {
                    action: 1,
                    status: ActionStatus::Done,
                    note: Some("电梯已开工".into()),
                },
                common::T0 + 10 * 86_400_000,
                Origin::Cli,
            )
            .unwrap();
    }
    let new = dir.path().join("new.db");
    backup(&l, &new);
    let district_path = dir.path().join("district.db");
    let mut district = Store::open(&district_path).unwrap();
    let first = district.import_into_district(&old, common::T0).unwrap();
    assert_eq!(first.added, 1);
    let status = |d: &Path| -> String {
        Connection::open(d)
            .unwrap()
            .query_row("SELECT status FROM actions", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(status(&district_path), "open");
    let second = district.import_into_district(&new, common::T0).unwrap();
    assert_eq!((second.added, second.replaced), (0, 1));
    assert_eq!(status(&district_path), "done");
    assert_eq!(count(&district_path, "SELECT count(*) FROM meetings"), 1);
    assert_eq!(
        count(&district_path, "SELECT count(*) FROM action_notes"),
        1
    );
    // The older snapshot again (a stick not refreshed) leaves the newer copy.
    let third = district.import_into_district(&old, common::T0).unwrap();
    assert_eq!((third.added, third.replaced, third.older), (0, 0, 1));
    assert_eq!(status(&district_path), "done");
    let ds = district.district_meetings().unwrap();
    assert_eq!(ds.len(), 1);
    assert_eq!(ds[0].site.name, "幸福里社区");
    assert_eq!(ds[0].meeting.state().actions[0].status, ActionStatus::Done);
}

#[test]
fn a_broken_chain_or_a_file_without_site_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let good = laptop(dir.path(), "110105001001", "幸福里社区", 1);
    let broken = laptop(dir.path(), "110105001002", "光明社区", 1);
    Connection::open(&broken)
        .unwrap()
        .execute_batch(
            "DROP TRIGGER events_append_only_update;
             UPDATE events SET at = at + 1 WHERE seq = 3;",
        )
        .unwrap();
    let nosite = dir.path().join("nosite.db");
    {
        let mut s = Store::open(&nosite).unwrap();
        meeting(&mut s, "无名会议", common::T0, &[1, 2, 3, 4], false);
    }
    let district = dir.path().join("district.db");
    let (code, out, err) = yishi(
        &dir.path().join("unused.db"),
        &[
            "district",
            "import",
            good.to_str().unwrap(),
            broken.to_str().unwrap(),
            nosite.to_str().unwrap(),
            "--into",
            district.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        err.contains(&format!("{} 未通过核验", broken.display())) && err.contains("记录链在第"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{} 没有登记社区", nosite.display())),
        "{err}"
    );
    // The good one went in all the same; nothing of the others did.
    assert_eq!(count(&district, "SELECT count(*) FROM meetings"), 1);
    assert_eq!(count(&district, "SELECT count(*) FROM sites"), 1);
    // A committee's own file is not a district file.
    let mut own = Store::open(&good).unwrap();
    assert!(matches!(
        own.import_into_district(&broken, common::T0),
        Err(DistrictError::TargetIsCommittee(_))
    ));
}

#[test]
fn an_old_backup_imports_without_being_written_to() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    old_file(&path, true);
    // An older yishi's file gets its site from a newer yishi on that laptop first.
    let copy = dir.path().join("laptop.db");
    std::fs::copy(&path, &copy).unwrap();
    let (code, _, err) = yishi(&copy, &["site", "set", "--code", "xfl", "--name", "幸福里"]);
    assert_eq!(code, 0, "{err}");
    let before = std::fs::read(&copy).unwrap();
    let mut district = Store::open(&dir.path().join("district.db")).unwrap();
    let done = district.import_into_district(&copy, common::T0).unwrap();
    assert_eq!(done.added, 1);
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        before,
        "the source is untouched"
    );
    let ds = district.district_meetings().unwrap();
    let uid: String = Store::open(&copy)
        .unwrap()
        .connection()
        .query_row("SELECT uid FROM meetings", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ds[0].uid, uid);
}

fn prop<'a>(props: &'a [ical::property::Property], name: &str) -> Option<&'a str> {
    props
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.as_deref())
}

#[test]
fn the_ics_export_opens_in_a_calendar_parser_with_the_meeting_and_its_actions() {
    let dir = tempfile::tempdir().unwrap();
    let path = laptop(dir.path(), "110105001001", "幸福里社区", 2);
    let uid: String = Connection::open(&path)
        .unwrap()
        .query_row("SELECT uid FROM meetings WHERE id = 2", [], |r| r.get(0))
        .unwrap();
    let (code, out, err) = yishi(&path, &["export", "2", "-f", "ics"]);
    assert_eq!(code, 0, "{err}");
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(out.as_bytes()));
    let cal = calendars.next().expect("a calendar").expect("it parses");
    assert!(calendars.next().is_none());
    assert_eq!(cal.events.len(), 1);
    let event = &cal.events[0].properties;
    assert_eq!(prop(event, "UID"), Some(uid.as_str()));
    assert_eq!(prop(event, "SUMMARY"), Some("幸福里社区第2次议事会"));
    // 2026-11-28T19:00:00+08:00, in UTC.
    assert_eq!(prop(event, "DTSTART"), Some("20261128T110000Z"));
    assert_eq!(prop(event, "LOCATION"), Some("幸福里居委会议事厅"));
    assert_eq!(cal.todos.len(), 1);
    let todo = &cal.todos[0].properties;
    assert_eq!(
        prop(todo, "SUMMARY"),
        Some("幸福里社区第2次议事会：联系施工方")
    );
    assert_eq!(prop(todo, "DUE"), Some("20261220"));
    assert_eq!(
        prop(todo, "STATUS"),
        Some("COMPLETED"),
        "the second meeting's action is done"
    );
    assert_eq!(prop(todo, "RELATED-TO"), Some(uid.as_str()));
    // The first meeting's action is still to be done.
    let (_, first, _) = yishi(&path, &["export", "1", "-f", "ics"]);
    let cal = ical::IcalParser::new(std::io::BufReader::new(first.as_bytes()))
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(
        prop(&cal.todos[0].properties, "STATUS"),
        Some("NEEDS-ACTION")
    );
}
