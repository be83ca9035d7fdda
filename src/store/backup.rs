//! Copies of the record made with SQLite's online backup: consistent even while other
//! consoles write, private to the user, and written under a temporary name first so that a
//! half-made copy never takes the place of a good one.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};

use super::{Store, StoreError, create_private};

/// Automatic copies kept next to one database; older ones are removed.
pub const KEEP_AUTOMATIC: usize = 20;

const BACKUP_DIR: &str = "backups";

impl Store {
    /// Writes a complete copy of the database to `path` (private to the user), replacing a
    /// file already there only once the copy is whole.
    pub fn backup_to(&self, path: &Path) -> Result<(), StoreError> {
        let failed = |detail: String| StoreError::BackupFailed {
            path: path.to_path_buf(),
            detail,
        };
        let name = path
            .file_name()
            .ok_or_else(|| failed("not a file name".into()))?;
        let mut partial_name = name.to_os_string();
        partial_name.push(format!(".partial-{}", std::process::id()));
        let partial = path.with_file_name(partial_name);
        let _ = std::fs::remove_file(&partial);
        create_private(&partial).map_err(|e| failed(e.to_string()))?;
        let outcome = copy_into(&self.conn, &partial)
            .and_then(|()| std::fs::rename(&partial, path).map_err(|e| failed(e.to_string())));
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
            detail: e.to_string(),
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
    let failed = |detail: String| StoreError::BackupFailed {
        path: target.to_path_buf(),
        detail,
    };
    let sqlite = |e: rusqlite::Error| match StoreError::from(e) {
        StoreError::Sqlite(e) => failed(e.to_string()),
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
                _ => return Err(failed("the database stayed busy".into())),
            }
        }
    }
    dest.pragma_update(None, "journal_mode", "DELETE")
        .map_err(sqlite)?;
    dest.close().map_err(|(_, e)| sqlite(e))?;
    std::fs::File::open(target)
        .and_then(|f| f.sync_all())
        .map_err(|e| failed(e.to_string()))
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
