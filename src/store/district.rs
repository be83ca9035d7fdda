//! The district's combined record: one SQLite file holding copies of the meetings of many
//! committees' files, keyed by (site code, meeting uid), with the same readable tables so an
//! analyst can query them with any SQLite tool.
//!
//! A district file is its own kind of file (it has a `district` table): it holds no log of
//! its own, only each meeting's entries as its committee's file had them (`district_log`), so
//! the figures are computed the same way as on the committee's laptop. Each committee stays
//! the only writer of its meetings: importing a newer snapshot of a file replaces the copies,
//! importing the same or an older one changes nothing.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use super::identity::Site;
use super::{Audit, MeetingId, Reason, Store, StoreError, log, schema};
use crate::domain::state::Meeting;
use crate::lang::Lang;

const TABLES: &str = r#"
CREATE TABLE IF NOT EXISTS district (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sites (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    district TEXT
);
-- Which committee each meeting comes from, and how much of its log the copy holds.
CREATE TABLE IF NOT EXISTS district_meetings (
    meeting_id INTEGER PRIMARY KEY REFERENCES meetings(id),
    site_code TEXT NOT NULL REFERENCES sites(code),
    uid TEXT NOT NULL,
    source TEXT NOT NULL,
    entries INTEGER NOT NULL,
    last_hash TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    UNIQUE (site_code, uid)
);
-- Each meeting's log entries as its committee's file has them.
CREATE TABLE IF NOT EXISTS district_log (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    n INTEGER NOT NULL,
    at INTEGER NOT NULL,
    origin TEXT NOT NULL,
    console TEXT,
    payload TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (meeting_id, n)
);
"#;

/// Why a file could not be imported, naming it.
#[derive(Debug, thiserror::Error)]
pub enum DistrictError {
    #[error("{file}: {error}")]
    Open {
        file: PathBuf,
        error: Box<StoreError>,
    },
    #[error("{0} did not pass verification")]
    Broken(PathBuf, Box<Audit>),
    #[error("{0} has no site record")]
    NoSite(PathBuf),
    #[error("{0} is itself a district file")]
    IsDistrict(PathBuf),
    #[error("{0} holds a committee's own record")]
    TargetIsCommittee(PathBuf),
    #[error("{0} is a district file")]
    NotForDistrict(PathBuf),
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for DistrictError {
    fn from(e: rusqlite::Error) -> Self {
        DistrictError::Store(StoreError::from(e))
    }
}

impl DistrictError {
    pub fn describe(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            DistrictError::Open { file, error } if zh => {
                format!("无法读取 {}：{}", file.display(), error.describe(lang))
            }
            DistrictError::Open { file, error } => {
                format!("Cannot read {}: {}", file.display(), error.describe(lang))
            }
            DistrictError::Broken(file, audit) if zh => format!(
                "{} 未通过核验（{}），未导入：请在该社区的电脑上运行 yishi verify 查明原因",
                file.display(),
                broken_why(audit, lang)
            ),
            DistrictError::Broken(file, audit) => format!(
                "{} did not pass verification ({}) and was not imported: run yishi verify on that committee's laptop to see why",
                file.display(),
                broken_why(audit, lang)
            ),
            DistrictError::NoSite(file) if zh => format!(
                "{} 没有登记社区，未导入：请先在该社区的电脑上运行 yishi site set --code 代码 --name 名称，再备份一份",
                file.display()
            ),
            DistrictError::NoSite(file) => format!(
                "{} has no site record and was not imported: run yishi site set --code CODE --name NAME on that committee's laptop, then back it up again",
                file.display()
            ),
            DistrictError::IsDistrict(file) if zh => format!(
                "{} 本身是街道汇总文件，不是社区的记录，未导入",
                file.display()
            ),
            DistrictError::IsDistrict(file) => format!(
                "{} is itself a district file, not a committee's record, and was not imported",
                file.display()
            ),
            DistrictError::TargetIsCommittee(file) if zh => format!(
                "{} 是某个社区自己的会议记录，不能用作街道汇总文件：请用 --into 指定一个新文件，例如 district.db",
                file.display()
            ),
            DistrictError::TargetIsCommittee(file) => format!(
                "{} holds a committee's own meetings and cannot be a district file: give --into a new file, such as district.db",
                file.display()
            ),
            DistrictError::NotForDistrict(file) if zh => format!(
                "{} 是街道汇总文件，只能查看（list、stats、actions）和导入（district import）；会议请在各社区自己的数据库中进行",
                file.display()
            ),
            DistrictError::NotForDistrict(file) => format!(
                "{} is a district file: it can be looked at (list, stats, actions) and imported into (district import); meetings are run on each committee's own database",
                file.display()
            ),
            DistrictError::Store(e) => e.describe(lang),
        }
    }
}

fn broken_why(audit: &Audit, lang: Lang) -> String {
    match (&audit.chain, audit.findings.len()) {
        (log::Verification::Broken { seq, .. }, _) => match lang {
            Lang::Zh => format!("记录链在第 {seq} 条处断开"),
            Lang::En => format!("the chain breaks at entry {seq}"),
        },
        (_, n) => match lang {
            Lang::Zh => format!("可读表格有 {n} 处与记录不符"),
            Lang::En => format!("{n} places in the readable tables differ from the log"),
        },
    }
}

enum Plan {
    Add,
    Replace(MeetingId),
}

/// What importing one file did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    pub site: Option<Site>,
    /// Meetings the district did not have.
    pub added: usize,
    /// Meetings whose copy was older: replaced by this file's.
    pub replaced: usize,
    /// Meetings the district already had as they are.
    pub unchanged: usize,
    /// Meetings the district has a newer copy of (from a later snapshot).
    pub older: usize,
    /// Meetings whose log in this file does not continue the copy the district has (nor the
    /// other way round): kept as they were, by uid.
    pub diverged: Vec<String>,
}

/// One meeting of a district file.
pub struct DistrictMeeting {
    pub site: Site,
    pub id: MeetingId,
    pub uid: String,
    pub meeting: Meeting,
}

fn has_table(conn: &Connection, schema_name: &str, table: &str) -> Result<bool, StoreError> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT 1 FROM {schema_name}.sqlite_master WHERE type = 'table' AND name = ?1"
            ),
            [table],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// A private scratch folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> std::io::Result<Scratch> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!("yishi-import-{}-{nanos}", std::process::id()));
        std::fs::create_dir(&dir)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A copy of `file` in `dir`, taken through SQLite so a file with a write-ahead log is read
/// whole, and the original (perhaps on a stick) is never written to.
fn snapshot(file: &Path, dir: &Path) -> Result<PathBuf, StoreError> {
    if !file.is_file() {
        return Err(StoreError::Unopenable(
            file.to_path_buf(),
            Reason::new("no such file", "文件不存在"),
        ));
    }
    super::check_header(file)?;
    let src = super::open_read_only(file)?;
    let copy = dir.join("snapshot.db");
    let mut dst = Connection::open(&copy)?;
    rusqlite::backup::Backup::new(&src, &mut dst)?
        .run_to_completion(256, std::time::Duration::ZERO, None)
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotYishi(file.to_path_buf()),
            _ => StoreError::from(e),
        })?;
    Ok(copy)
}

impl Store {
    /// Whether this file is a district's combined record.
    pub fn is_district(&self) -> Result<bool, StoreError> {
        has_table(&self.conn, "main", "district")
    }

    /// The committees a district file holds, by code.
    pub fn district_sites(&self) -> Result<Vec<Site>, StoreError> {
        if !self.is_district()? {
            return Ok(self.site()?.into_iter().collect());
        }
        let mut stmt = self
            .conn
            .prepare("SELECT code, name, district FROM sites ORDER BY code")?;
        let rows = stmt.query_map([], |r| {
            Ok(Site {
                code: r.get(0)?,
                name: r.get(1)?,
                district: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every meeting of a district file, rebuilt from the entries copied with it, by site.
    pub fn district_meetings(&self) -> Result<Vec<DistrictMeeting>, StoreError> {
        let sites = self.district_sites()?;
        let mut stmt = self.conn.prepare(
            "SELECT meeting_id, site_code, uid FROM district_meetings ORDER BY site_code, meeting_id",
        )?;
        let rows: Vec<(MeetingId, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let mut read = self.conn.prepare(
            "SELECT n, at, origin, console, payload, hash FROM district_log WHERE meeting_id = ?1 ORDER BY n",
        )?;
        let mut out = Vec::new();
        for (id, code, uid) in rows {
            let mut events = Vec::new();
            for (expected, row) in (0..).zip(read.query_map([id], log::stored_row)?) {
                events.push(log::parse_row(id, expected, row?)?);
            }
            let meeting =
                Meeting::replay(events).map_err(|e| StoreError::BadLog(id, e.to_string()))?;
            let site = sites
                .iter()
                .find(|s| s.code == code)
                .cloned()
                .unwrap_or(Site {
                    code,
                    name: String::new(),
                    district: None,
                });
            out.push(DistrictMeeting {
                site,
                id,
                uid,
                meeting,
            });
        }
        Ok(out)
    }

    /// Copies the meetings of a committee's file (a backup, typically) into this district
    /// file, after verifying it. One file at a time, attached only while it is copied.
    pub fn import_into_district(
        &mut self,
        file: &Path,
        at: crate::domain::model::Millis,
    ) -> Result<Imported, DistrictError> {
        self.writable()?;
        if !self.is_district()? {
            let used: i64 = self.conn.query_row(
                "SELECT (SELECT count(*) FROM meetings) + (SELECT count(*) FROM events)",
                [],
                |r| r.get(0),
            )?;
            if used > 0 {
                return Err(DistrictError::TargetIsCommittee(self.path.clone()));
            }
            let created = log::readable_time(at, None);
            self.with_write(|tx| {
                tx.execute_batch(TABLES)?;
                tx.execute(
                    "INSERT OR IGNORE INTO district (id, created_at) VALUES (1, ?1)",
                    [&created],
                )?;
                Ok(())
            })?;
        }
        let open = |error: StoreError| DistrictError::Open {
            file: file.to_path_buf(),
            error: Box::new(error),
        };
        let scratch = Scratch::new().map_err(|e| {
            open(StoreError::CannotCreate(
                std::env::temp_dir(),
                Reason::io(&e),
            ))
        })?;
        let copy = snapshot(file, &scratch.0).map_err(open)?;
        // Opening brings an older file up to this schema, in the copy only.
        let source = Store::open(&copy).map_err(|e| open(rename(e, &copy, file)))?;
        if source.is_district()? {
            return Err(DistrictError::IsDistrict(file.to_path_buf()));
        }
        let audit = source.audit()?;
        if !audit.is_intact() {
            return Err(DistrictError::Broken(file.to_path_buf(), Box::new(audit)));
        }
        let site = source
            .site()?
            .ok_or_else(|| DistrictError::NoSite(file.to_path_buf()))?;
        let meetings: Vec<(MeetingId, String, i64, String)> = {
            let mut stmt = source.conn.prepare(
                "SELECT m.id, m.uid, count(e.seq),
                        (SELECT hash FROM events l WHERE l.meeting_id = m.id ORDER BY n DESC LIMIT 1)
                 FROM meetings m JOIN events e ON e.meeting_id = m.id GROUP BY m.id ORDER BY m.id",
            )?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<Result<_, _>>()?
        };
        let mut outcome = Imported {
            site: Some(site.clone()),
            ..Imported::default()
        };
        let mut plans = Vec::new();
        {
            // The hash of a meeting's entry n in the source, to tell a continuation from a fork.
            let hash_at = |id: MeetingId, n: i64| super::log::hash_at(&source.conn, id, n);
            for (local, uid, entries, last) in &meetings {
                let known: Option<(MeetingId, i64, String)> = self
                .conn
                .query_row(
                    "SELECT meeting_id, entries, last_hash FROM district_meetings WHERE site_code = ?1 AND uid = ?2",
                    params![site.code, uid],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
                match known {
                    None => plans.push((*local, uid.clone(), *entries, last.clone(), Plan::Add)),
                    Some((_, n, h)) if n == *entries && &h == last => outcome.unchanged += 1,
                    Some((id, n, h)) if n < *entries => {
                        if hash_at(*local, n - 1)?.as_deref() == Some(h.as_str()) {
                            plans.push((
                                *local,
                                uid.clone(),
                                *entries,
                                last.clone(),
                                Plan::Replace(id),
                            ));
                        } else {
                            outcome.diverged.push(uid.clone());
                        }
                    }
                    Some((id, _, _)) => {
                        let ours: Option<String> = self
                            .conn
                            .query_row(
                                "SELECT hash FROM district_log WHERE meeting_id = ?1 AND n = ?2",
                                params![id, entries - 1],
                                |r| r.get(0),
                            )
                            .optional()?;
                        if ours.as_deref() == Some(last.as_str()) {
                            outcome.older += 1;
                        } else {
                            outcome.diverged.push(uid.clone());
                        }
                    }
                }
            }
        }
        drop(source);
        if plans.is_empty() {
            return Ok(outcome);
        }
        let source_name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let imported_at = log::readable_time(at, None);
        self.conn
            .execute("ATTACH DATABASE ?1 AS src", [copy.to_string_lossy()])?;
        let copied = self.with_write(|tx| {
            tx.execute(
                "INSERT INTO sites (code, name, district) VALUES (?1, ?2, ?3)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, district = excluded.district",
                params![site.code, site.name, site.district],
            )?;
            let (mut added, mut replaced) = (0, 0);
            for (local, uid, entries, last, plan) in &plans {
                let id = match plan {
                    Plan::Add => None,
                    Plan::Replace(id) => {
                        forget(tx, *id)?;
                        Some(*id)
                    }
                };
                let id = copy_meeting(tx, *local, id)?;
                tx.execute(
                    "INSERT INTO district_meetings (meeting_id, site_code, uid, source, entries, last_hash, imported_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![id, site.code, uid, source_name, entries, last, imported_at],
                )?;
                match plan {
                    Plan::Add => added += 1,
                    Plan::Replace(_) => replaced += 1,
                }
            }
            Ok((added, replaced))
        });
        let detached = self.conn.execute_batch("DETACH DATABASE src");
        let (added, replaced) = copied?;
        detached?;
        outcome.added = added;
        outcome.replaced = replaced;
        Ok(outcome)
    }
}

/// An error about the scratch copy, told about the file the user named.
fn rename(e: StoreError, copy: &Path, file: &Path) -> StoreError {
    let same = |p: &PathBuf| p.as_path() == copy;
    match e {
        StoreError::NotYishi(p) if same(&p) => StoreError::NotYishi(file.to_path_buf()),
        StoreError::TooNew { path, found, known } if same(&path) => StoreError::TooNew {
            path: file.to_path_buf(),
            found,
            known,
        },
        StoreError::Corrupt {
            path, detail, code, ..
        } if same(&path) => StoreError::Corrupt {
            path: file.to_path_buf(),
            detail,
            backup: None,
            code,
        },
        e => e,
    }
}

/// The readable tables that belong to a meeting, children first (the meetings row last).
fn tables() -> impl Iterator<Item = &'static str> {
    schema::READABLE
        .iter()
        .rev()
        .map(|(t, _)| *t)
        .filter(|t| *t != "meetings")
}

/// Removes the district's copy of a meeting, to be replaced by a newer one.
fn forget(tx: &Connection, id: MeetingId) -> Result<(), StoreError> {
    for table in tables() {
        tx.execute(&format!("DELETE FROM {table} WHERE meeting_id = ?1"), [id])?;
    }
    tx.execute("DELETE FROM district_log WHERE meeting_id = ?1", [id])?;
    tx.execute("DELETE FROM district_meetings WHERE meeting_id = ?1", [id])?;
    tx.execute("DELETE FROM meetings WHERE id = ?1", [id])?;
    Ok(())
}

fn columns(tx: &Connection, table: &str) -> Result<Vec<String>, StoreError> {
    let mut stmt = tx.prepare(&format!(
        "SELECT name FROM pragma_table_info('{table}', 'src')"
    ))?;
    let names = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(names.collect::<Result<_, _>>()?)
}

/// Copies one meeting's readable rows and log entries from the attached file under the
/// district's id for it (a new one unless given).
fn copy_meeting(
    tx: &Connection,
    local: MeetingId,
    id: Option<MeetingId>,
) -> Result<MeetingId, StoreError> {
    let select = |cols: &[String], key: &str| {
        cols.iter()
            .map(|c| {
                if c == key {
                    "?2".to_string()
                } else {
                    format!("\"{c}\"")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let quoted = |cols: &[String]| {
        cols.iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let cols = columns(tx, "meetings")?;
    tx.execute(
        &format!(
            "INSERT INTO main.meetings ({}) SELECT {} FROM src.meetings WHERE id = ?1",
            quoted(&cols),
            select(&cols, "id")
        ),
        params![local, id],
    )?;
    let id = id.unwrap_or_else(|| tx.last_insert_rowid());
    for table in tables().collect::<Vec<_>>().into_iter().rev() {
        let cols = columns(tx, table)?;
        tx.execute(
            &format!(
                "INSERT INTO main.{table} ({}) SELECT {} FROM src.{table} WHERE meeting_id = ?1",
                quoted(&cols),
                select(&cols, "meeting_id")
            ),
            params![local, id],
        )?;
    }
    tx.execute(
        "INSERT INTO district_log (meeting_id, n, at, origin, console, payload, hash)
         SELECT ?2, n, at, origin, console, payload, hash FROM src.events WHERE meeting_id = ?1",
        params![local, id],
    )?;
    Ok(id)
}
