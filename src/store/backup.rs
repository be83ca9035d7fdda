//! Copies of the record made with SQLite's online backup: consistent even while other
//! consoles write, private to the user, and written under a temporary name first so that a
//! half-made copy never takes the place of a good one.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};

use super::{MeetingId, Reason, Store, StoreError, create_private};

/// Automatic copies kept next to one database; older ones are removed.
pub const KEEP_AUTOMATIC: usize = 20;

/// Of those, the copies made during meetings (at item changes): fewer, so that they never
/// push out the copies of closed meetings.
pub const KEEP_DURING: usize = 10;

/// At most one copy during a meeting this often, however fast the items go.
pub const DURING_EVERY: Duration = Duration::from_secs(180);

/// A checkpoint this long after this console's last write.
pub const QUIET_AFTER: Duration = Duration::from_secs(2);

/// Marks this console's writes, checkpoints and copies in time.
#[derive(Debug, Default)]
pub(super) struct Quiet {
    /// The last write not yet checkpointed into the database file.
    unchecked: Option<Instant>,
    /// The last copy made during a meeting.
    copied: Option<Instant>,
    /// The meeting moved to another item (meeting, position): its checkpoint and copy wait
    /// for a quiet moment, off the key that moved it.
    item_changed: Option<(MeetingId, usize)>,
    /// That copy failed, and the console has not said so yet.
    copy_failed: bool,
}

impl Quiet {
    pub(super) fn wrote(&mut self) {
        self.unchecked = Some(Instant::now());
    }
}

const BACKUP_DIR: &str = "backups";

impl Store {
    /// Writes a complete copy of the database to `path` (private to the user), replacing a
    /// file already there only once the copy is whole.
    pub fn backup_to(&self, path: &Path) -> Result<(), StoreError> {
        let failed = |detail: Reason| StoreError::BackupFailed {
            path: path.to_path_buf(),
            detail,
        };
        let io = |e: std::io::Error| failed(Reason::io(&e));
        let name = path
            .file_name()
            .ok_or_else(|| failed(Reason::new("not a file name", "不是文件名")))?;
        let mut partial_name = name.to_os_string();
        partial_name.push(format!(".partial-{}", std::process::id()));
        let partial = path.with_file_name(partial_name);
        let _ = std::fs::remove_file(&partial);
        create_private(&partial).map_err(io)?;
        let outcome = copy_into(&self.conn, &partial)
            .and_then(|()| std::fs::rename(&partial, path).map_err(io));
        if outcome.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        outcome?;
        sync_dir(path);
        Ok(())
    }

    /// An automatic copy in `backups/` next to the database, named after the database, the
    /// time and the reason; only the newest [`KEEP_AUTOMATIC`] are kept.
    pub fn auto_backup(&self, reason: &str) -> Result<PathBuf, StoreError> {
        let dir = backup_dir(&self.path);
        make_private_dir(&dir).map_err(|e| StoreError::BackupFailed {
            path: dir.clone(),
            detail: Reason::io(&e),
        })?;
        let stem = stem(&self.path);
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        let reason: String = reason
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let mut target = dir.join(format!("{stem}-{stamp}-{reason}.db"));
        let mut n = 2;
        while target.exists() {
            target = dir.join(format!("{stem}-{stamp}-{reason}-{n}.db"));
            n += 1;
        }
        self.backup_to(&target)?;
        prune(&self.path);
        Ok(target)
    }

    /// Where a copy goes once the database was deleted or moved: its folder if it is still
    /// there, else the home folder, else the temporary folder; never over another file.
    pub fn rescue_path(&self) -> PathBuf {
        let dir = match self.path.parent() {
            Some(d) if d.as_os_str().is_empty() => PathBuf::from("."),
            Some(d) if d.is_dir() => d.to_path_buf(),
            _ => std::env::var_os("HOME")
                .map(PathBuf::from)
                .filter(|h| h.is_dir())
                .unwrap_or_else(std::env::temp_dir),
        };
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        let stem = stem(&self.path);
        let mut target = dir.join(format!("{stem}-saved-{stamp}.db"));
        let mut n = 2;
        while target.exists() {
            target = dir.join(format!("{stem}-saved-{stamp}-{n}.db"));
            n += 1;
        }
        target
    }

    /// Moves what this console wrote from the `-wal` into the database file itself, so that
    /// a plain copy of the file (a USB stick, a file manager) holds the meeting. Passive: it
    /// never waits for, nor blocks, another console.
    pub fn checkpoint(&mut self) -> Result<(), StoreError> {
        if self.read_only {
            return Ok(());
        }
        let (busy, frames, done): (i64, i64, i64) =
            self.conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?;
        if busy == 0 && done >= frames {
            self.quiet.unchecked = None;
        }
        Ok(())
    }

    /// A checkpoint once this console has written nothing for [`QUIET_AFTER`], and the copy
    /// an item change asked for: cheap to call on every tick. Returns whether one was made;
    /// what became of the copy is then in [`Store::last_auto_backup`].
    pub fn checkpoint_if_quiet(&mut self) -> Result<bool, StoreError> {
        match self.quiet.unchecked {
            Some(at) if at.elapsed() >= QUIET_AFTER => {
                self.check_file()?;
                self.settle()?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// Checkpoints now, and makes the copy a recent item change asked for: at a quiet moment,
    /// and when the console closes.
    pub fn settle(&mut self) -> Result<(), StoreError> {
        let checkpointed = self.checkpoint();
        if let Some((id, position)) = self.quiet.item_changed.take() {
            self.copy_during(id, position);
        }
        checkpointed
    }

    /// After the meeting moved to another item: a checkpoint and a copy in `backups/` (unless
    /// one was made in the last [`DURING_EVERY`]) once the console is quiet, so that the key
    /// that moved it costs no more than any other.
    pub(super) fn after_item_change(&mut self, id: MeetingId, position: usize) {
        self.last_auto_backup = None;
        self.quiet.item_changed = Some((id, position));
    }

    pub(super) fn forget_item_change(&mut self) {
        self.quiet.item_changed = None;
    }

    fn copy_during(&mut self, id: MeetingId, position: usize) {
        if self
            .quiet
            .copied
            .is_some_and(|at| at.elapsed() < DURING_EVERY)
        {
            // No copy this time: what an earlier one came to is no news.
            self.last_auto_backup = None;
            return;
        }
        let made = self.auto_backup(&format!("meeting-{id}-item-{}", position + 1));
        match made {
            Ok(_) => self.quiet.copied = Some(Instant::now()),
            Err(_) => self.quiet.copy_failed = true,
        }
        self.last_auto_backup = Some(made);
    }

    /// Whether a copy made at a quiet moment failed since this was last asked: the error is
    /// then in [`Store::last_auto_backup`].
    pub fn take_copy_failure(&mut self) -> bool {
        std::mem::take(&mut self.quiet.copy_failed)
    }
}

/// The automatic backups of the database at `db`, newest first.
pub fn automatic_backups(db: &Path) -> Vec<PathBuf> {
    let prefix = format!("{}-", stem(db));
    let Ok(entries) = std::fs::read_dir(backup_dir(db)) else {
        return Vec::new();
    };
    let mut found: Vec<(String, std::time::SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let rest = name.strip_prefix(&prefix)?;
            let stamp = rest.get(..15)?;
            let well_formed = name.ends_with(".db")
                && stamp.char_indices().all(
                    |(i, c)| {
                        if i == 8 { c == '-' } else { c.is_ascii_digit() }
                    },
                )
                && rest[15..].starts_with('-');
            if !well_formed {
                return None;
            }
            let modified = entry.metadata().and_then(|m| m.modified()).ok()?;
            Some((stamp.to_string(), modified, entry.path()))
        })
        .collect();
    found.sort();
    found.reverse();
    found.into_iter().map(|(_, _, p)| p).collect()
}

fn prune(db: &Path) {
    let during = automatic_backups(db).into_iter().filter(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().contains("-item-"))
    });
    for old in during.skip(KEEP_DURING) {
        let _ = std::fs::remove_file(old);
    }
    for old in automatic_backups(db).into_iter().skip(KEEP_AUTOMATIC) {
        let _ = std::fs::remove_file(old);
    }
}

fn backup_dir(db: &Path) -> PathBuf {
    match db.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(BACKUP_DIR),
        _ => PathBuf::from(BACKUP_DIR),
    }
}

fn stem(db: &Path) -> String {
    db.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "yishi".into())
}

fn make_private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// The whole database in one step, so the copy is one consistent moment of the record even
/// while other consoles write; a single self-contained file (no `-wal` beside it).
fn copy_into(source: &Connection, target: &Path) -> Result<(), StoreError> {
    let failed = |detail: Reason| StoreError::BackupFailed {
        path: target.to_path_buf(),
        detail,
    };
    let sqlite = |e: rusqlite::Error| match StoreError::from(e) {
        StoreError::Sqlite(e) => failed(Reason::sqlite(&e)),
        other => other,
    };
    let mut dest = Connection::open(target).map_err(sqlite)?;
    {
        let backup = Backup::new(source, &mut dest).map_err(sqlite)?;
        let mut waits = 0;
        loop {
            match backup.step(-1).map_err(sqlite)? {
                StepResult::Done => break,
                StepResult::More => {}
                StepResult::Busy | StepResult::Locked if waits < 100 => {
                    waits += 1;
                    std::thread::sleep(Duration::from_millis(50));
                }
                _ => {
                    return Err(failed(Reason::new(
                        "the database stayed busy",
                        "数据库一直被占用",
                    )));
                }
            }
        }
    }
    dest.pragma_update(None, "journal_mode", "DELETE")
        .map_err(sqlite)?;
    dest.close().map_err(|(_, e)| sqlite(e))?;
    std::fs::File::open(target)
        .and_then(|f| f.sync_all())
        .map_err(|e| failed(Reason::io(&e)))
}

/// Makes the rename of a finished copy survive a power cut.
fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
}
