//! The record: one SQLite file, the single source of truth. An action is committed (with its
//! log entry and the readable tables it changes) before the screen shows it.

mod audit;
mod backup;
mod district;
mod hold;
mod identity;
mod log;
mod project;
mod proposals;
mod reason;
pub mod schema;
mod snapshot;
pub use snapshot::SNAPSHOT_EVERY;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};

use crate::domain::model::{ItemId, Millis, Setup};
use crate::domain::state::{
    Change, Command, Console, DomainError, Event, Meeting, Opening, Origin,
};
use crate::lang::Lang;

pub use audit::{Audit, Finding};
pub use backup::{DURING_EVERY, KEEP_DURING, QUIET_AFTER, automatic_backups};
pub use district::{DistrictError, DistrictMeeting, Imported};
pub use hold::{Hold, HoldError, Holder};
pub use identity::{Site, SiteError, SiteSet, derived_uid, generated_code, new_uid, valid_code};
pub use log::{
    Entry as LogEntry, Problem as ChainProblem, Verification, check_code, hash_entry,
    normalize_code,
};
pub use proposals::{NewProposal, ProposalRow, Screening};
pub use reason::Reason;

/// The number `yishi list` prints.
pub type MeetingId = i64;

/// How long a writer waits for another console's transaction before it retries.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Attempts of one write before "busy" is given up on: with the busy timeout and the pauses
/// between attempts, over a minute of another program holding the file.
const WRITE_ATTEMPTS: u32 = 12;

/// A store problem, told in one sentence.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the folder {0} does not exist")]
    MissingDir(PathBuf),
    #[error("{0} is not a yishi database")]
    NotYishi(PathBuf),
    #[error("{path} was written by a newer yishi (schema {found}, this one knows {known})")]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("{path} is damaged: {detail}")]
    Corrupt {
        path: PathBuf,
        detail: Reason,
        /// The newest automatic backup next to it, if there is one.
        backup: Option<PathBuf>,
        /// SQLite's code for it, when SQLite said it.
        code: Option<rusqlite::ErrorCode>,
    },
    #[error("{0} cannot be opened: {1}")]
    Unopenable(PathBuf, Reason),
    #[error("{0} is a folder, not a database file")]
    IsFolder(PathBuf),
    #[error("{0} is not a regular file")]
    NotAFile(PathBuf),
    #[error("{0} cannot be created: {1}")]
    CannotCreate(PathBuf, Reason),
    #[error("{0} cannot be opened: the disk is full")]
    NoRoom(PathBuf),
    #[error("{path} is missing but its write-ahead log is there")]
    OrphanWal {
        path: PathBuf,
        /// The newest automatic backup next to it, if there is one.
        backup: Option<PathBuf>,
    },
    #[error("{0} is open read-only")]
    ReadOnly(PathBuf),
    #[error("the folder of {0} is read-only")]
    FolderReadOnly(PathBuf),
    #[error("the disk is full")]
    DiskFull,
    #[error("{0} was deleted or moved while open")]
    FileGone(PathBuf),
    #[error("{0} was replaced by another file while open")]
    FileReplaced(PathBuf),
    #[error("{0} already exists")]
    Exists(PathBuf),
    #[error("the backup {path} could not be written: {detail}")]
    BackupFailed { path: PathBuf, detail: Reason },
    #[error("no meeting number {0}")]
    NoMeeting(MeetingId),
    #[error("there is no meeting yet")]
    NoMeetings,
    #[error("{0}")]
    Domain(#[from] DomainError),
    #[error("the record of meeting {0} cannot be read: {1}")]
    BadLog(MeetingId, String),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        match e.sqlite_error_code() {
            Some(C::DiskFull) => StoreError::DiskFull,
            Some(C::ReadOnly) => StoreError::ReadOnly(PathBuf::new()),
            _ => StoreError::Sqlite(e),
        }
    }
}

impl StoreError {
    pub fn describe(&self, lang: Lang) -> String {
        use StoreError::*;
        let zh = lang == Lang::Zh;
        match self {
            MissingDir(p) if zh => format!("文件夹 {} 不存在，请先创建或换一个 --db 路径", p.display()),
            MissingDir(p) => format!("The folder {} does not exist: create it or choose another --db path", p.display()),
            NotYishi(p) if zh => format!("{} 不是议事数据库，请用 --db 指定正确的文件", p.display()),
            NotYishi(p) => format!("{} is not a yishi database: point --db at the right file", p.display()),
            TooNew { path, found, known } if zh => format!("{} 由更新版本的议事写入（数据格式 {found}，本版本支持到 {known}），请升级议事", path.display()),
            TooNew { path, found, known } => format!("{} was written by a newer yishi (schema {found}, this one reads up to {known}): upgrade yishi", path.display()),
            Corrupt { path, detail, backup: Some(b), .. } if zh => format!("数据库 {} 已损坏（{}），请用备份恢复；最近的自动备份是 {}", path.display(), detail.text(lang), b.display()),
            Corrupt { path, detail, backup: Some(b), .. } => format!("The database {} is damaged ({detail}): restore it from a backup; the newest automatic backup is {}", path.display(), b.display()),
            Corrupt { path, detail, backup: None, .. } if zh => format!("数据库 {} 已损坏（{}），请用备份恢复（没有找到自动备份）", path.display(), detail.text(lang)),
            Corrupt { path, detail, backup: None, .. } => format!("The database {} is damaged ({detail}): restore it from a backup (no automatic backup was found)", path.display()),
            Unopenable(p, why) if zh => format!("无法打开 {}：{}", p.display(), why.text(lang)),
            Unopenable(p, why) => format!("Cannot open {}: {why}", p.display()),
            IsFolder(p) if zh => format!("{} 是一个文件夹，不是数据库文件；请用 --db 指定其中的文件，例如 {}", p.display(), p.join("yishi.db").display()),
            IsFolder(p) => format!("{} is a folder, not a database file: give --db a file in it, such as {}", p.display(), p.join("yishi.db").display()),
            NotAFile(p) if zh => format!("{} 不是普通文件（而是管道、设备或套接字），不能当作数据库；请用 --db 指定一个 .db 文件", p.display()),
            NotAFile(p) => format!("{} is not a regular file (it is a pipe, a device or a socket) and cannot hold a database: give --db a .db file", p.display()),
            CannotCreate(p, why) if zh => format!("无法新建数据库 {}（{}）；请换一个可以写入的文件夹，或用 --db 指定别的路径", p.display(), why.text(lang)),
            CannotCreate(p, why) => format!("The database {} cannot be created ({why}): choose a folder you can write to, or another --db path", p.display()),
            NoRoom(p) if zh => format!("磁盘已满，无法打开数据库 {}（打开时也要写入少量数据）；腾出空间后再试，已有记录完好", p.display()),
            NoRoom(p) => format!("The disk is full, so the database {} cannot be opened (opening writes a little too): free some space and try again; the record so far is intact", p.display()),
            OrphanWal { path, backup } if zh => format!("找不到数据库 {}，但它的日志文件 {} 还在：为免丢失记录，不新建空数据库。请把数据库文件放回原处再运行{}；日志文件请勿删除", path.display(), wal_path(path).display(), match backup { Some(b) => format!("，或用最近的自动备份 {} 恢复（复制为 {}）", b.display(), path.display()), None => String::new() }),
            OrphanWal { path, backup } => format!("The database {} is missing but its write-ahead log {} is still there, so no new empty database is made beside it: put the database file back and run again{}; do not delete the log", path.display(), wal_path(path).display(), match backup { Some(b) => format!(", or restore the newest automatic backup {} (copy it to {})", b.display(), path.display()), None => String::new() }),
            ReadOnly(p) if zh => format!("数据库 {} 以只读方式打开：可以查看，但无法保存；要继续记录，请把它复制到可写的位置", p.display()),
            ReadOnly(p) => format!("The database {} was opened read-only: you can look, but nothing can be saved; to carry on recording, copy it somewhere writable", p.display()),
            FolderReadOnly(p) if zh => format!("数据库 {} 所在的文件夹不可写，只能以只读方式打开：可以查看，但无法保存；要继续记录，请把数据库复制到可写的文件夹", p.display()),
            FolderReadOnly(p) => format!("The folder of the database {} cannot be written to, so it was opened read-only: you can look, but nothing can be saved; to carry on recording, copy it to a folder you can write to", p.display()),
            DiskFull if zh => "磁盘已满，这一操作未保存；腾出空间后可继续，已有记录完好".into(),
            DiskFull => "The disk is full: this action was not saved. Free some space and carry on; the record so far is intact".into(),
            FileGone(p) if zh => format!("数据库文件在打开期间被删除或移走，之后的操作无法再存入；请按 b 另存一份副本（退出时也会自动另存）：{}", p.display()),
            FileGone(p) => format!("The database was deleted or moved while open, so nothing more can be saved to it: press b to save a copy (quitting saves one too): {}", p.display()),
            FileReplaced(p) if zh => format!("数据库文件 {} 在打开期间被另一个文件替换，为免两份记录混在一起，本控制台不再保存；请退出后用 yishi resume 重新打开", p.display()),
            FileReplaced(p) => format!("The database {} was replaced by another file while open, so this console saves nothing more to keep the two records apart: quit and reopen it with yishi resume", p.display()),
            Exists(p) if zh => format!("{} 已存在，未覆盖；换一个文件名，或加 --force 覆盖", p.display()),
            Exists(p) => format!("{} already exists and was left alone: choose another name, or add --force to overwrite it", p.display()),
            BackupFailed { path, detail } if zh => format!("备份 {} 未能写入：{}", path.display(), detail.text(lang)),
            BackupFailed { path, detail } => format!("The backup {} could not be written: {detail}", path.display()),
            NoMeeting(id) if zh => format!("没有编号为 {id} 的会议，用 yishi list 查看"),
            NoMeeting(id) => format!("There is no meeting number {id}: see yishi list"),
            NoMeetings if zh => "数据库中还没有会议，用 yishi run 议程.toml 开始一场".into(),
            NoMeetings => "There is no meeting yet: start one with yishi run AGENDA.toml".into(),
            Domain(e) => e.describe(lang),
            BadLog(id, why) if zh => format!("会议 {id} 的记录无法读取：{why}"),
            BadLog(id, why) => format!("The record of meeting {id} cannot be read: {why}"),
            Sqlite(e) if zh => format!("数据库出错：{}", Reason::sqlite(e).text(lang)),
            Sqlite(e) => format!("Database error: {e}"),
        }
    }
}

/// One line of `yishi list`.
#[derive(Clone, Debug, PartialEq)]
pub struct MeetingRow {
    pub id: MeetingId,
    pub title: String,
    pub kind: String,
    pub starts: Option<String>,
    pub status: String,
    pub opened_at: String,
    pub items: i64,
    pub present: i64,
    pub eligible: i64,
}

/// A log entry that a printed check code points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    pub hash: String,
    pub meeting: MeetingId,
    pub at_text: String,
}

impl Anchor {
    /// `记录校验码 3f9a-1b2c-4d5e-6f70（第 214 条）`, as the minutes and the notice print it.
    pub fn line(&self, lang: Lang) -> String {
        let code = check_code(&self.hash);
        match lang {
            Lang::Zh => format!("记录校验码 {code}（第 {} 条）", self.seq),
            Lang::En => format!("Record check code {code} (entry {})", self.seq),
        }
    }
}

fn anchor_row(r: &rusqlite::Row) -> rusqlite::Result<Anchor> {
    Ok(Anchor {
        seq: r.get(0)?,
        hash: r.get(1)?,
        meeting: r.get(2)?,
        at_text: r.get(3)?,
    })
}

/// A draft saved from an open editor.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub text: String,
    /// The saved text the typing started from (drafts kept before schema 2 have none).
    pub base: Option<String>,
    pub saved_at: Millis,
    pub console: String,
}

/// The open database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    read_only: bool,
    /// Device and inode of the file when it was opened, to notice it deleted or replaced.
    file_id: Option<(u64, u64)>,
    /// The outcome of the last automatic backup made after an action (a meeting closed).
    last_auto_backup: Option<Result<PathBuf, StoreError>>,
    /// Read-only because the folder takes no new files, though the file could be written.
    folder_read_only: bool,
    /// When this console last wrote, checkpointed and backed up.
    quiet: backup::Quiet,
    /// The whole-file integrity check was left for [`Store::check_integrity_later`].
    check_deferred: bool,
}

/// The whole-file integrity check, on its own read-only connection.
fn quick_check(path: &Path) -> Result<(), StoreError> {
    let conn = open_read_only(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check == "ok" {
        Ok(())
    } else {
        Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: Reason::new(check, "完整性检查未通过"),
            backup: automatic_backups(path).into_iter().next(),
            code: Some(rusqlite::ErrorCode::DatabaseCorrupt),
        })
    }
}

impl Store {
    /// Opens (or creates, private to the user) a yishi database.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_checking(path, false)
    }

    /// As [`Store::open`], for a console or an export: an up-to-date file's whole-file
    /// integrity check (which reads every page) is left for [`Store::check_integrity_later`]
    /// (beside the console: its first frame does not wait for it) or
    /// [`Store::check_integrity_now`]. A file that needs migrating is checked first as always.
    pub fn open_for_console(path: &Path) -> Result<Store, StoreError> {
        Store::open_checking(path, true)
    }

    /// Runs the integrity check left by [`Store::open_for_console`] on its own read-only
    /// connection in the background; the receiver gets its outcome once.
    pub fn check_integrity_later(
        &self,
    ) -> Option<std::sync::mpsc::Receiver<Result<(), StoreError>>> {
        if !self.check_deferred {
            return None;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let path = self.path.clone();
        std::thread::spawn(move || {
            let _ = tx.send(quick_check(&path));
        });
        Some(rx)
    }

    /// Runs the integrity check left by [`Store::open_for_console`] now (a command that only
    /// reads does when reading failed, to tell a damaged file as such).
    pub fn check_integrity_now(&self) -> Result<(), StoreError> {
        if self.check_deferred {
            quick_check(&self.path)
        } else {
            Ok(())
        }
    }

    fn open_checking(path: &Path, defer_check: bool) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
            && !dir.is_dir()
        {
            return Err(StoreError::MissingDir(dir.to_path_buf()));
        }
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => return Err(StoreError::IsFolder(path.to_path_buf())),
            // A pipe or a device would hang the open or feed it garbage.
            Ok(m) if !m.is_file() => return Err(StoreError::NotAFile(path.to_path_buf())),
            Ok(_) => check_header(path)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // A log left without its database holds a meeting: never start afresh over it.
                if std::fs::metadata(wal_path(path)).is_ok_and(|m| m.len() > 0) {
                    return Err(StoreError::OrphanWal {
                        path: path.to_path_buf(),
                        backup: automatic_backups(path).into_iter().next(),
                    });
                }
                create_private(path).map_err(|e| match e.kind() {
                    std::io::ErrorKind::StorageFull
                    | std::io::ErrorKind::FileTooLarge
                    | std::io::ErrorKind::QuotaExceeded => StoreError::NoRoom(path.to_path_buf()),
                    _ => StoreError::CannotCreate(path.to_path_buf(), Reason::io(&e)),
                })?;
            }
            Err(e) => return Err(StoreError::Unopenable(path.to_path_buf(), Reason::io(&e))),
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let (conn, read_only) = match Connection::open_with_flags(path, flags) {
            Ok(c) if !is_read_only(&c) => (c, false),
            _ => (open_read_only(path)?, true),
        };
        let mut store = Store::with_connection(conn, path, read_only)?;
        store.check_deferred = defer_check;
        match store.prepare() {
            Ok(()) => Ok(store),
            // The file may be written but its folder not: SQLite cannot make the files it
            // keeps beside it (-wal, -shm). Then it can still be read.
            Err(e) if !read_only && store.folder_refuses_files(&e) => {
                drop(store);
                let mut store = Store::with_connection(open_read_only(path)?, path, true)?;
                store.folder_read_only = true;
                store.prepare()?;
                Ok(store)
            }
            Err(e) => Err(store.opening_error(e)),
        }
    }

    fn with_connection(
        conn: Connection,
        path: &Path,
        read_only: bool,
    ) -> Result<Store, StoreError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // The statements of an action and of the readable tables' rows, kept prepared.
        conn.set_prepared_statement_cache_capacity(64);
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            read_only,
            file_id: file_id(path),
            last_auto_backup: None,
            folder_read_only: false,
            quiet: backup::Quiet::default(),
            check_deferred: false,
        })
    }

    /// An error while opening, told as what the user can do about it.
    fn opening_error(&self, e: StoreError) -> StoreError {
        match e {
            StoreError::DiskFull => StoreError::NoRoom(self.path.clone()),
            StoreError::Sqlite(e) if self.out_of_space(&e) => StoreError::NoRoom(self.path.clone()),
            StoreError::Corrupt {
                code: Some(rusqlite::ErrorCode::DiskFull),
                ..
            } => StoreError::NoRoom(self.path.clone()),
            StoreError::Corrupt {
                code: Some(rusqlite::ErrorCode::SystemIoFailure),
                ..
            } if self.errno_says_full() => StoreError::NoRoom(self.path.clone()),
            other => other,
        }
    }

    /// Whether the open failed because the database's folder takes no new files.
    fn folder_refuses_files(&self, e: &StoreError) -> bool {
        let code = match e {
            StoreError::ReadOnly(_) => Some(rusqlite::ErrorCode::ReadOnly),
            StoreError::Sqlite(e) => e.sqlite_error_code(),
            StoreError::Corrupt { code, .. } => *code,
            _ => None,
        };
        if !matches!(
            code,
            Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen)
        ) {
            return false;
        }
        let dir = match self.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let probe = dir.join(format!(".yishi-probe-{}", std::process::id()));
        match create_private(&probe) {
            Ok(()) => {
                let _ = std::fs::remove_file(&probe);
                false
            }
            Err(_) => true,
        }
    }

    fn prepare(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let damaged = |detail: Reason, code| StoreError::Corrupt {
            path: path.clone(),
            detail,
            backup: automatic_backups(&path).into_iter().next(),
            code,
        };
        let corrupt = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotYishi(path.clone()),
            code => damaged(Reason::sqlite(&e), code),
        };
        let app_id: i32 = self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(corrupt)?;
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(corrupt)?;
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(corrupt)?;
        if app_id != schema::APPLICATION_ID && (tables > 0 || version > 0) {
            return Err(StoreError::NotYishi(self.path.clone()));
        }
        if version > schema::LATEST {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found: version,
                known: schema::LATEST,
            });
        }
        let defer = std::mem::take(&mut self.check_deferred);
        self.check_deferred = defer && version == schema::LATEST && tables > 0;
        if tables > 0 && !self.check_deferred {
            let check: String = self
                .conn
                .query_row("PRAGMA quick_check", [], |r| r.get(0))
                .map_err(corrupt)?;
            if check != "ok" {
                return Err(damaged(
                    Reason::new(check, "完整性检查未通过"),
                    Some(rusqlite::ErrorCode::DatabaseCorrupt),
                ));
            }
        }
        if self.read_only {
            if version < schema::LATEST {
                return Err(StoreError::ReadOnly(self.path.clone()));
            }
            return Ok(());
        }
        // WAL lets the projector and the secretary read while the facilitator writes;
        // FULL sync makes a committed action survive a power cut.
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        if version < schema::LATEST {
            if tables == 0 {
                self.conn
                    .pragma_update(None, "application_id", schema::APPLICATION_ID)?;
            } else {
                // A migration rewrites tables: keep the file as it was first.
                self.auto_backup(&format!("before-v{}", schema::LATEST))?;
            }
            schema::migrations()
                .to_latest(&mut self.conn)
                .map_err(|e| match e {
                    rusqlite_migration::Error::RusqliteError { err, .. } => corrupt(err),
                    e => damaged(Reason::new(e.to_string(), "数据格式升级失败"), None),
                })?;
            if tables > 0 && version < 2 {
                // Schema 2's readable tables follow from the log alone: write them anew.
                self.reproject()?;
            } else if tables > 0 && version < schema::SITE_SINCE {
                self.fill_uids()?;
            }
        }
        Ok(())
    }

    /// Writes every meeting's readable rows anew from its log.
    fn reproject(&mut self) -> Result<(), StoreError> {
        let ids: Vec<MeetingId> = self.list()?.into_iter().map(|r| r.id).collect();
        for id in ids {
            let meeting = self.load(id)?;
            self.with_write(|tx| project::all(tx, id, meeting.state()))?;
        }
        Ok(())
    }

    /// Writes the global id of every meeting opened before ids were kept (derived from its
    /// log, as `verify` derives it).
    fn fill_uids(&mut self) -> Result<(), StoreError> {
        let ids: Vec<MeetingId> = self.list()?.into_iter().map(|r| r.id).collect();
        for id in ids {
            let uid = self.load(id)?.state().uid.clone();
            self.with_write(|tx| {
                tx.execute(
                    "UPDATE meetings SET uid = ?2 WHERE id = ?1",
                    params![id, uid],
                )?;
                Ok(())
            })?;
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The plain connection, for tools and tests that read the tables.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Changes whenever another connection commits: cheap to ask every few hundred ms.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Starts a meeting from a setup: its first log entry and its readable rows, in one go.
    pub fn create_meeting(
        &mut self,
        setup: Setup,
        agenda_file: Option<&str>,
        at: Millis,
        origin: Origin,
    ) -> Result<(MeetingId, Meeting), StoreError> {
        self.create_meeting_by(setup, agenda_file, at, origin, None)
    }

    /// Starts a meeting from a console that says who it is.
    pub fn create_meeting_by(
        &mut self,
        setup: Setup,
        agenda_file: Option<&str>,
        at: Millis,
        origin: Origin,
        console: Option<&Console>,
    ) -> Result<(MeetingId, Meeting), StoreError> {
        self.writable()?;
        // The opener's offset from UTC goes into the record, so its readable times read the
        // same wherever the file is opened later.
        let utc_offset = chrono::DateTime::from_timestamp_millis(at)
            .map(|t| t.with_timezone(&chrono::Local).offset().local_minus_utc());
        let opening = Opening {
            utc_offset,
            agenda_file: agenda_file.map(str::to_string),
            uid: Some(identity::new_uid(at).to_string()),
        };
        let meeting = Meeting::open_with(setup, at, origin, console.cloned(), opening);
        let id = self.with_write(|tx| {
            let id = project::insert_meeting(tx, None, meeting.state())?;
            log::append(tx, id, 0, &meeting.log()[0], meeting.state().utc_offset)?;
            project::all(tx, id, meeting.state())?;
            Ok(id)
        })?;
        Ok((id, meeting))
    }

    /// The meeting started from this title and start time, if any: `run` resumes it.
    pub fn find_meeting(
        &self,
        title: &str,
        starts: Option<&str>,
    ) -> Result<Option<MeetingId>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM meetings WHERE title = ?1 AND starts IS ?2 ORDER BY id DESC LIMIT 1",
                params![title, starts],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The most recent meeting.
    pub fn latest(&self) -> Result<MeetingId, StoreError> {
        self.conn
            .query_row("SELECT max(id) FROM meetings", [], |r| {
                r.get::<_, Option<i64>>(0)
            })?
            .ok_or(StoreError::NoMeetings)
    }

    /// `MEETING` as given on the command line, or the most recent one.
    pub fn resolve(&self, id: Option<MeetingId>) -> Result<MeetingId, StoreError> {
        match id {
            None => self.latest(),
            Some(id) => {
                let found: Option<i64> = self
                    .conn
                    .query_row("SELECT id FROM meetings WHERE id = ?1", [id], |r| r.get(0))
                    .optional()?;
                found.ok_or(StoreError::NoMeeting(id))
            }
        }
    }

    pub fn list(&self) -> Result<Vec<MeetingRow>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT m.id, m.title, m.kind, m.starts, m.status, m.opened_at,
                    (SELECT count(*) FROM items i WHERE i.meeting_id = m.id), m.present, m.eligible
             FROM meetings m ORDER BY m.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(MeetingRow {
                id: r.get(0)?,
                title: r.get(1)?,
                kind: r.get(2)?,
                starts: r.get(3)?,
                status: r.get(4)?,
                opened_at: r.get(5)?,
                items: r.get(6)?,
                present: r.get(7)?,
                eligible: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Rebuilds a meeting from its log.
    pub fn load(&self, id: MeetingId) -> Result<Meeting, StoreError> {
        self.resolve(Some(id))?;
        let events = log::read(&self.conn, id, 0)?;
        Meeting::replay(events).map_err(|e| StoreError::BadLog(id, e.to_string()))
    }

    /// Reads what other consoles have added since `meeting` was last brought up to date.
    /// Returns whether anything changed.
    pub fn catch_up(&self, id: MeetingId, meeting: &mut Meeting) -> Result<bool, StoreError> {
        let events = log::read(&self.conn, id, meeting.log().len())?;
        let changed = !events.is_empty();
        for e in events {
            Store::hydrate_for(&self.conn, id, meeting, &e)?;
            meeting.push(e);
        }
        Ok(changed)
    }

    /// Carries out a command: catches up with other consoles, checks the command, appends its
    /// event, updates the readable tables and commits, all in one transaction. Only then is
    /// the in-memory meeting changed.
    pub fn execute(
        &mut self,
        id: MeetingId,
        meeting: &mut Meeting,
        command: &Command,
        at: Millis,
        origin: Origin,
    ) -> Result<Event, StoreError> {
        self.execute_by(id, meeting, command, at, origin, None)
    }

    /// As [`Store::execute`], for a console that says who it is: its undo takes back only its
    /// own actions, and a text it saves clears its own draft of that field in the same
    /// transaction.
    pub fn execute_by(
        &mut self,
        id: MeetingId,
        meeting: &mut Meeting,
        command: &Command,
        at: Millis,
        origin: Origin,
        console: Option<&Console>,
    ) -> Result<Event, StoreError> {
        self.writable()?;
        let saved_field = match command {
            Command::SetText { item, field, .. } => Some((*item, field.key())),
            Command::SetDissent { item, .. } => Some((*item, "dissent")),
            _ => None,
        };
        // The event is folded into the meeting in place before its readable rows are written;
        // until the transaction commits it is pending, and taken back out if it does not.
        let mut pending = false;
        let result = self.with_write(|tx| {
            if pending {
                // The attempt before did not commit (another console held the file).
                meeting.pop();
                pending = false;
            }
            // Entries other consoles committed are facts: keep them even if this command fails.
            for e in log::read(tx, id, meeting.log().len())? {
                Store::hydrate_for(tx, id, meeting, &e)?;
                meeting.push(e);
            }
            // An earlier run's action is found among entries a snapshot may have left unread.
            if matches!(command, Command::UndoEarlier { .. }) {
                snapshot::read_back(tx, id, meeting)?;
            }
            let event = match meeting.decide_by(command, at, origin, console) {
                // Nothing to undo among the entries read: look among those a snapshot left.
                Err(crate::domain::state::DomainError::NothingToUndo) if meeting.elided() > 0 => {
                    snapshot::read_back(tx, id, meeting)?;
                    meeting.decide_by(command, at, origin, console)?
                }
                other => other?,
            };
            // An undo reaching behind the snapshot the meeting was opened from.
            Store::hydrate_for(tx, id, meeting, &event)?;
            log::append(tx, id, meeting.log().len(), &event, meeting.state().utc_offset)?;
            let was_current = meeting.state().current_item().map(|i| i.id);
            let replaced = meeting.apply(event.clone());
            pending = true;
            project::change(
                tx,
                id,
                meeting.state(),
                &event,
                was_current,
                replaced.as_ref(),
            )?;
            if let (Some((item, field)), Some(c)) = (saved_field, console) {
                tx.prepare_cached(
                    "DELETE FROM drafts WHERE meeting_id = ?1 AND item_id = ?2 AND field = ?3 AND console = ?4",
                )?
                .execute(params![id, item, field, c.slot])?;
            }
            Ok(event)
        });
        if result.is_err() && pending {
            meeting.pop();
        }
        if let Ok(event) = &result {
            if matches!(event.change, Change::MeetingEnded) {
                // The action is committed whatever happens to the copy; the console can ask.
                self.last_auto_backup = Some(self.auto_backup(&format!("meeting-{id}-closed")));
                // That copy holds the item the meeting ended on too.
                self.forget_item_change();
            }
            if let Change::ItemMoved { to } | Change::DeferToggled { next: Some(to), .. } =
                event.change
            {
                self.after_item_change(id, to);
            }
        }
        result
    }

    /// What became of the automatic backup made after the last action that closed a meeting
    /// or moved it to another item.
    pub fn last_auto_backup(&self) -> Option<&Result<PathBuf, StoreError>> {
        self.last_auto_backup.as_ref()
    }

    /// Whether the file at the path is still the one that was opened: cheap (one `stat`),
    /// for the console to call every few seconds. Every write checks it first too, because
    /// SQLite would go on writing into a deleted file and the actions would be lost on exit.
    pub fn check_file(&self) -> Result<(), StoreError> {
        let Some(opened) = self.file_id else {
            return Ok(());
        };
        match std::fs::metadata(&self.path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(StoreError::FileGone(self.path.clone()))
            }
            Err(_) => Ok(()),
            Ok(now) if meta_id(&now) != opened => Err(StoreError::FileReplaced(self.path.clone())),
            Ok(_) => Ok(()),
        }
    }

    /// A notice for the console when the file could only be opened read-only.
    pub fn open_notice(&self, lang: Lang) -> Option<String> {
        self.read_only
            .then(|| self.read_only_error().describe(lang))
    }

    fn read_only_error(&self) -> StoreError {
        if self.folder_read_only {
            StoreError::FolderReadOnly(self.path.clone())
        } else {
            StoreError::ReadOnly(self.path.clone())
        }
    }

    /// Runs `f` in an immediate transaction, retrying while another console holds the lock.
    ///
    /// A retry is safe: a failed attempt is rolled back entirely, so nothing of it is in the
    /// file, and `f` must only change memory in ways that are right to repeat (`execute`
    /// catches up with entries other consoles committed, which are facts either way).
    fn with_write<T>(
        &mut self,
        mut f: impl FnMut(&rusqlite::Transaction) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.check_file()?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let outcome = (|| {
                let tx = self
                    .conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)?;
                let value = f(&tx)?;
                tx.commit()?;
                Ok(value)
            })();
            if outcome.is_err() && !self.conn.is_autocommit() {
                // The transaction is dropped with a rollback; make sure none of it stays.
                let _ = self.conn.execute_batch("ROLLBACK");
            }
            match outcome {
                Err(StoreError::Sqlite(e)) if attempt < WRITE_ATTEMPTS && is_busy(&e) => {
                    std::thread::sleep(backoff(attempt));
                }
                Err(StoreError::Sqlite(e)) if self.out_of_space(&e) => {
                    return Err(StoreError::DiskFull);
                }
                Err(StoreError::ReadOnly(_)) => {
                    return Err(self.read_only_error());
                }
                other => {
                    if other.is_ok() {
                        self.quiet.wrote();
                    }
                    return other;
                }
            }
        }
    }

    /// A write refused for want of room: SQLite says SQLITE_FULL for a full disk, but an
    /// I/O error when the system refused the write outright (a file-size limit, a quota).
    fn out_of_space(&self, e: &rusqlite::Error) -> bool {
        e.sqlite_error_code() == Some(rusqlite::ErrorCode::SystemIoFailure)
            && self.errno_says_full()
    }

    /// Whether the system refused SQLite's last file operation for want of room.
    fn errno_says_full(&self) -> bool {
        // SAFETY: the handle is only read from, on the thread that owns the connection.
        let errno = unsafe { rusqlite::ffi::sqlite3_system_errno(self.conn.handle()) };
        use std::io::ErrorKind as K;
        matches!(
            std::io::Error::from_raw_os_error(errno).kind(),
            K::StorageFull | K::FileTooLarge | K::QuotaExceeded
        )
    }

    fn writable(&self) -> Result<(), StoreError> {
        if self.read_only {
            Err(self.read_only_error())
        } else {
            Ok(())
        }
    }

    /// Walks the hash chain of the whole file.
    pub fn verify(&self) -> Result<Verification, StoreError> {
        log::verify(&self.conn)
    }

    /// The chain, and every readable table rebuilt from the log and compared with the file.
    pub fn audit(&self) -> Result<Audit, StoreError> {
        audit::audit(&self.conn, &[])
    }

    /// As [`Store::audit`], taking the meetings the caller already loaded from this file as
    /// they are, instead of replaying their logs again. The chain is still walked whole.
    pub fn audit_with(&self, loaded: &[(MeetingId, &Meeting)]) -> Result<Audit, StoreError> {
        audit::audit(&self.conn, loaded)
    }

    /// What an export checks before writing meetings opened from their sealed snapshots:
    /// whether the chain from the oldest entry read to its head is whole and no snapshot's seal
    /// is broken. When not, the export reads the logs whole and takes [`Store::audit_with`].
    pub fn check(&self, meetings: &[(MeetingId, &Meeting)]) -> Result<bool, StoreError> {
        audit::check(&self.conn, meetings)
    }

    /// The newest entry of a meeting: its hash anchors everything recorded up to it, so the
    /// minutes print its check code beside the signatures.
    pub fn anchor(&self, id: MeetingId) -> Result<Option<Anchor>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT seq, hash, meeting_id, at_text FROM events WHERE meeting_id = ?1 ORDER BY n DESC LIMIT 1",
                [id],
                anchor_row,
            )
            .optional()?)
    }

    /// The entry whose hash starts with a check code, if the record still holds one.
    pub fn find_anchor(&self, hex: &str) -> Result<Option<Anchor>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT seq, hash, meeting_id, at_text FROM events WHERE substr(hash, 1, ?2) = ?1 ORDER BY seq LIMIT 1",
                params![hex, hex.len() as i64],
                anchor_row,
            )
            .optional()?)
    }

    /// Saves the text of an open editor (not an action: it is not in the log until committed).
    /// Each console keeps its own draft of a field; `base` is the saved text it started from.
    pub fn save_draft(
        &mut self,
        key: &DraftKey,
        text: &str,
        base: &str,
        at: Millis,
    ) -> Result<(), StoreError> {
        self.writable()?;
        self.with_write(|tx| {
            tx.prepare_cached(
                "INSERT INTO drafts (meeting_id, item_id, field, console, text, base, saved_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (meeting_id, item_id, field, console) DO UPDATE SET
                    text = excluded.text, base = excluded.base, saved_at = excluded.saved_at",
            )?
            .execute(params![
                key.meeting,
                key.item,
                key.field,
                key.console,
                text,
                base,
                at
            ])?;
            Ok(())
        })
    }

    /// This console's draft of a field.
    pub fn draft(&self, key: &DraftKey) -> Result<Option<Draft>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT text, base, saved_at, console FROM drafts
                 WHERE meeting_id = ?1 AND item_id = ?2 AND field = ?3 AND console = ?4",
                params![key.meeting, key.item, key.field, key.console],
                draft_row,
            )
            .optional()?)
    }

    /// Drafts of an item that other consoles are typing, newest first.
    pub fn others_drafts(
        &self,
        id: MeetingId,
        item: ItemId,
        console: &str,
    ) -> Result<Vec<(String, Draft)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT text, base, saved_at, console, field FROM drafts
             WHERE meeting_id = ?1 AND item_id = ?2 AND console <> ?3 ORDER BY saved_at DESC",
        )?;
        let rows = stmt.query_map(params![id, item, console], |r| {
            Ok((r.get::<_, String>(4)?, draft_row(r)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// Which draft: a field of an item, as one console types it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftKey {
    pub meeting: MeetingId,
    pub item: ItemId,
    pub field: &'static str,
    /// The console's slot (`facilitator`, `secretary-1` …).
    pub console: String,
}

fn draft_row(r: &rusqlite::Row) -> rusqlite::Result<Draft> {
    Ok(Draft {
        text: r.get(0)?,
        base: r.get(1)?,
        saved_at: r.get(2)?,
        console: r.get(3)?,
    })
}

/// Creates an empty file readable and writable by its owner only: residents' data is private.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(|_| ())
}

/// A non-empty file that does not start like SQLite is somebody else's file.
fn check_header(path: &Path) -> Result<(), StoreError> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let unopenable = |e: std::io::Error| StoreError::Unopenable(path.to_path_buf(), Reason::io(&e));
    let mut file = std::fs::File::open(path).map_err(unopenable)?;
    let n = file.read(&mut head).map_err(unopenable)?;
    if n > 0 && (n < 16 || &head != b"SQLite format 3\0") {
        return Err(StoreError::NotYishi(path.to_path_buf()));
    }
    Ok(())
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Growing pauses between attempts, spread a little so that consoles do not retry in step.
fn backoff(attempt: u32) -> Duration {
    let base = 10u64 << attempt.min(6);
    let spread = (std::process::id() as u64 ^ u64::from(attempt).wrapping_mul(7919)) % 25;
    Duration::from_millis(base.min(500) + spread)
}

#[cfg(unix)]
fn meta_id(m: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

#[cfg(unix)]
fn file_id(path: &Path) -> Option<(u64, u64)> {
    std::fs::metadata(path).ok().map(|m| meta_id(&m))
}

#[cfg(not(unix))]
fn meta_id(_: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}

#[cfg(not(unix))]
fn file_id(_: &Path) -> Option<(u64, u64)> {
    None
}

/// Opens the file read-only. A database last written in WAL mode needs its shared-memory
/// file, which cannot be created on a read-only medium: then it is read as immutable (the
/// medium cannot change under it).
fn open_read_only(path: &Path) -> Result<Connection, StoreError> {
    let sqlite =
        |e: rusqlite::Error| StoreError::Unopenable(path.to_path_buf(), Reason::sqlite(&e));
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(sqlite)?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen)
            ) =>
        {
            let full = std::fs::canonicalize(path)
                .map_err(|e| StoreError::Unopenable(path.to_path_buf(), Reason::io(&e)))?;
            let mut uri = String::from("file://");
            for c in full.to_string_lossy().chars() {
                match c {
                    '%' => uri.push_str("%25"),
                    '?' => uri.push_str("%3f"),
                    '#' => uri.push_str("%23"),
                    c => uri.push(c),
                }
            }
            uri.push_str("?immutable=1");
            Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI).map_err(sqlite)
        }
        _ => Ok(conn),
    }
}

/// The write-ahead log SQLite keeps beside the database.
pub fn wal_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_os_string();
    name.push("-wal");
    PathBuf::from(name)
}

fn is_read_only(conn: &Connection) -> bool {
    conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true)
}

impl Store {
    /// `run`: the meeting with this title and start time if it was already started, else a
    /// new one.
    pub fn start_or_resume(
        &mut self,
        setup: Setup,
        agenda_file: Option<&str>,
        at: Millis,
    ) -> Result<MeetingId, StoreError> {
        if let Some(id) =
            self.find_meeting(&setup.meeting.title, setup.meeting.starts.as_deref())?
        {
            return Ok(id);
        }
        Ok(self
            .create_meeting(setup, agenda_file, at, Origin::Facilitator)?
            .0)
    }
}
