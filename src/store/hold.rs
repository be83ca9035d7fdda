//! Who has a meeting open in a given role. One facilitator console per meeting: a second one
//! is told who holds it and can join read-only or as the secretary.
//!
//! The hold is an operating-system lock on a small file next to the database, so it ends
//! when the console quits, crashes or is killed; the line in the file only says who it is.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{MeetingId, Store};
use crate::lang::Lang;

/// Who holds a meeting in a role, as written into the lock file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    pub role: String,
    /// The name given by the console (the facilitator's name), else the login name.
    pub who: String,
    pub user: String,
    pub host: String,
    pub pid: u32,
    /// Local time the hold was taken, `YYYY-mm-dd HH:MM:SS`.
    pub since: String,
}

/// A meeting held in a role; let go when dropped or when the process ends in any way.
#[derive(Debug)]
pub struct Hold {
    file: File,
    path: PathBuf,
    holder: Holder,
}

impl Hold {
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn holder(&self) -> &Holder {
        &self.holder
    }
}

impl Drop for Hold {
    fn drop(&mut self) {
        // Still locked here: nobody reads a half-cleared line. The lock goes with the file.
        let _ = self.file.set_len(0);
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HoldError {
    #[error("meeting {meeting} is held as {role} by {who} (pid {pid} on {host}) since {since}")]
    HeldBy {
        meeting: MeetingId,
        role: String,
        who: String,
        host: String,
        pid: u32,
        since: String,
    },
    #[error("the lock file {0} cannot be used: {1}")]
    Io(PathBuf, super::Reason),
}

impl HoldError {
    pub fn describe(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            HoldError::HeldBy {
                meeting,
                role,
                who,
                host,
                pid,
                since,
            } => {
                let offer = match (role.as_str(), zh) {
                    ("facilitator", true) => "；可以只读查看，或以记录人身份加入",
                    ("facilitator", false) => {
                        ": you can follow it read-only, or join as the secretary"
                    }
                    (_, true) => "；可以只读查看",
                    (_, false) => ": you can follow it read-only",
                };
                if zh {
                    let role = match role.as_str() {
                        "facilitator" => "主持人",
                        "secretary" => "记录人",
                        other => other,
                    };
                    format!(
                        "会议 {meeting} 已由 {who} 以{role}身份打开（主机 {host}，进程 {pid}，{since} 起）{offer}"
                    )
                } else {
                    format!(
                        "Meeting {meeting} is already open as {role} by {who} (on {host}, process {pid}, since {since}){offer}"
                    )
                }
            }
            HoldError::Io(path, why) if zh => {
                format!("无法使用锁文件 {}：{}", path.display(), why.text(lang))
            }
            HoldError::Io(path, why) => {
                format!("The lock file {} cannot be used: {why}", path.display())
            }
        }
    }
}

impl Store {
    /// Takes the meeting in a role (`facilitator`, `secretary`…) for as long as the returned
    /// [`Hold`] lives, or says who already has it.
    pub fn hold(&self, meeting: MeetingId, role: &str, who: &str) -> Result<Hold, HoldError> {
        let path = hold_path(&self.path, meeting, role);
        let io = |e: std::io::Error| HoldError::Io(path.clone(), super::Reason::io(&e));
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&path).map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(held_by(&mut file, meeting, role)),
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        let user = login_name();
        let holder = Holder {
            role: role.to_string(),
            who: if who.trim().is_empty() {
                user.clone()
            } else {
                who.trim().to_string()
            },
            user,
            host: host_name(),
            pid: std::process::id(),
            since: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
        };
        let mut line = serde_json::to_string(&holder).map_err(|e| io(e.into()))?;
        line.push('\n');
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        file.write_all(line.as_bytes()).map_err(io)?;
        file.sync_data().map_err(io)?;
        Ok(Hold { file, path, holder })
    }
}

/// `<db>.meeting-<id>.<role>.lock`, beside the database.
fn hold_path(db: &Path, meeting: MeetingId, role: &str) -> PathBuf {
    let role: String = role
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let mut name = db
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "yishi.db".into());
    name.push(format!(".meeting-{meeting}.{role}.lock"));
    db.with_file_name(name)
}

/// Reads who holds the lock; the holder writes its line just after locking, so an empty
/// file is read again for a moment.
fn held_by(file: &mut File, meeting: MeetingId, role: &str) -> HoldError {
    let mut holder = None;
    for _ in 0..25 {
        let mut text = String::new();
        if file.rewind().is_ok() && file.read_to_string(&mut text).is_ok() {
            holder = serde_json::from_str::<Holder>(text.trim()).ok();
            if holder.is_some() {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let h = holder.unwrap_or(Holder {
        role: role.to_string(),
        who: "?".into(),
        user: "?".into(),
        host: "?".into(),
        pid: 0,
        since: "?".into(),
    });
    HoldError::HeldBy {
        meeting,
        role: h.role,
        who: h.who,
        host: h.host,
        pid: h.pid,
        since: h.since,
    }
}

fn login_name() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "?".into())
}

fn host_name() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|f| {
            std::fs::read_to_string(f)
                .ok()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        })
        .or_else(|| std::env::var("HOSTNAME").ok().filter(|s| !s.is_empty()))
        .or_else(|| std::env::var("COMPUTERNAME").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "?".into())
}
