//! `yishi export` and `yishi notice`: load meetings, render them, write the file or print.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;

use yishi::domain::model::Millis;
use yishi::domain::state::Meeting;
use yishi::export::minutes::CheckCode;
use yishi::export::notice::{self, NoticeFormat};
use yishi::export::{self, Format, Minutes, Table};
use yishi::lang::Lang;
use yishi::store::{MeetingId, Store, StoreError};

use super::Failure;

/// What `yishi export` was asked for.
pub struct Request {
    pub meeting: Option<i64>,
    pub format: String,
    pub output: Option<PathBuf>,
    pub item: Option<usize>,
    pub all: bool,
    pub from: Option<String>,
    pub to: Option<String>,
    pub table: String,
    /// Overwrite a file that is already there.
    pub force: bool,
    /// Masked for publishing (Popolo only).
    pub public: bool,
}

fn date(s: Option<&str>, lang: Lang) -> Result<Option<NaiveDate>, Failure> {
    s.map(|s| {
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
            Failure::input(match lang {
                Lang::Zh => format!("日期 \"{s}\" 无效，请按 YYYY-MM-DD 填写，如 2026-12-31"),
                Lang::En => format!("\"{s}\" is not a date: write YYYY-MM-DD, e.g. 2026-12-31"),
            })
        })
    })
    .transpose()
}

/// How an export reads a meeting.
#[derive(Clone, Copy)]
enum Read {
    /// As a console opens it: from its snapshot and the entries after it.
    Snapshot,
    /// Its whole log, replayed: when the quick check found something.
    Log,
}

/// The minutes of a meeting, and the meeting they were built from (the check takes it as it
/// is rather than replaying its log again).
fn load(
    store: &Store,
    id: Option<i64>,
    item: Option<usize>,
    now: Millis,
    lang: Lang,
    read: Read,
) -> Result<(Minutes, (MeetingId, Meeting)), Failure> {
    let id = store.resolve(id).map_err(|e| Failure::store(e, lang))?;
    let m = match read {
        Read::Snapshot => store.open_meeting(id),
        Read::Log => store.load(id),
    }
    .map_err(|e| Failure::store(e, lang))?;
    if let Some(n) = item
        && (n == 0 || n > m.state().items.len())
    {
        return Err(Failure::input(match lang {
            Lang::Zh => format!(
                "会议 #{id} 没有第 {n} 个议题（共 {} 个）",
                m.state().items.len()
            ),
            Lang::En => format!(
                "Meeting #{id} has no item {n} (it has {})",
                m.state().items.len()
            ),
        }));
    }
    let mut minutes = Minutes::build(m.state(), Some(id), now, lang, item);
    let anchor = store.anchor(id).map_err(|e| Failure::store(e, lang))?;
    minutes.check = anchor.as_ref().map(|a| a.line(lang));
    minutes.check_code = anchor.map(|a| CheckCode {
        code: yishi::store::check_code(&a.hash),
        entry: a.seq,
    });
    minutes.site = store.site().map_err(|e| Failure::store(e, lang))?;
    Ok((minutes, (id, m)))
}

/// Whether the meetings read from their snapshots can be written as they are: the chain from
/// what was read to its head is whole, and no snapshot was changed. Else the export reads their
/// logs whole and checks the whole file ([`warn_if_tampered`]).
fn quick_check_passes(store: &Store, loaded: &[(MeetingId, Meeting)]) -> bool {
    let loaded: Vec<(MeetingId, &Meeting)> = loaded.iter().map(|(id, m)| (*id, m)).collect();
    store.check(&loaded).unwrap_or(false)
}

/// Meetings read, and checked: from their snapshots when the quick check passes, else from
/// their whole logs, with the whole file verified and whoever files the document told when it
/// fails. So what is written always comes from the log's truth, whatever the tables say.
fn gather<T>(
    store: &Store,
    lang: Lang,
    mut read: impl FnMut(Read) -> Result<(T, Vec<(MeetingId, Meeting)>), Failure>,
) -> Result<T, Failure> {
    let (out, loaded) = read(Read::Snapshot)?;
    if quick_check_passes(store, &loaded) {
        return Ok(out);
    }
    let (out, loaded) = read(Read::Log)?;
    warn_if_tampered(store, &loaded, lang);
    Ok(out)
}

/// Exports are written from the log whatever the tables say; when the file fails `verify`,
/// whoever files the document is told so.
fn warn_if_tampered(store: &Store, loaded: &[(MeetingId, Meeting)], lang: Lang) {
    let loaded: Vec<(MeetingId, &Meeting)> = loaded.iter().map(|(id, m)| (*id, m)).collect();
    match store.audit_with(&loaded) {
        Ok(a) if a.is_intact() => {}
        Ok(_) => eprintln!(
            "{}",
            lang.pick(
                "警告：这份数据库没有通过核验（yishi verify 查看详情）：导出内容按操作日志写出，但数据库可能被改动过",
                "Warning: this database fails verification (see yishi verify): the export is written from the log, but the file may have been tampered with"
            )
        ),
        Err(e) => eprintln!(
            "{}",
            match lang {
                Lang::Zh => format!("警告：无法核验这份数据库：{}", e.describe(lang)),
                Lang::En => format!("Warning: this database could not be verified: {}", e.describe(lang)),
            }
        ),
    }
}

/// Who may read a written file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Readers {
    /// Minutes, spreadsheets and JSON name residents and hold what they said: readable and
    /// writable by the owner only (0600), like the database.
    Owner,
    /// The public notice is masked and meant to be posted: the user's umask decides.
    Umask,
}

fn write_file(path: &Path, bytes: &[u8], readers: Readers, lang: Lang) -> Result<(), Failure> {
    let fail = |e: std::io::Error| {
        Failure::other(match lang {
            Lang::Zh => format!(
                "无法写入 {}：{}",
                path.display(),
                yishi::store::Reason::io(&e).text(lang)
            ),
            Lang::En => format!("Cannot write {}: {e}", path.display()),
        })
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if readers == Readers::Owner {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(fail)?;
    // A file that was already there keeps its old mode when opened: make it private too,
    // before anything personal is written into it.
    #[cfg(unix)]
    if readers == Readers::Owner {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(fail)?;
    }
    file.write_all(bytes).map_err(fail)
}

fn emit(
    bytes: &[u8],
    output: Option<PathBuf>,
    default_name: Option<String>,
    readers: Readers,
    force: bool,
    lang: Lang,
) -> Result<ExitCode, Failure> {
    let path = output.or(default_name.map(PathBuf::from));
    match path {
        // Signed minutes or last week's notice are never replaced by accident.
        Some(path) if !force && std::fs::symlink_metadata(&path).is_ok() => {
            return Err(Failure::store(yishi::store::StoreError::Exists(path), lang));
        }
        Some(path) => {
            write_file(&path, bytes, readers, lang)?;
            println!("{}", path.display());
        }
        // Only text formats reach here (Word and Excel always get a file name).
        None => print!("{}", String::from_utf8_lossy(bytes)),
    }
    Ok(ExitCode::SUCCESS)
}

/// An export that failed on a file opened without its whole-file check: when the file is
/// damaged, that is what the user is told (with the newest backup), as when it is opened, not
/// whatever reading it failed on. An export that reads everything it writes soundly writes it:
/// damage elsewhere in the file is left to the consoles' check and `yishi verify`.
fn sound<T>(store: &Store, done: Result<T, Failure>, lang: Lang) -> Result<T, Failure> {
    match done {
        Err(failure) => match store.check_integrity_now() {
            Err(damaged @ StoreError::Corrupt { .. }) => Err(Failure::store(damaged, lang)),
            _ => Err(failure),
        },
        ok => ok,
    }
}

pub fn export(store: &Store, r: &Request, now: Millis, lang: Lang) -> Result<ExitCode, Failure> {
    let (bytes, default_name, readers) = sound(store, render(store, r, now, lang), lang)?;
    emit(
        &bytes,
        r.output.clone(),
        default_name,
        readers,
        r.force,
        lang,
    )
}

/// What an export writes, the file name it takes when none is given, and who may read it.
fn render(
    store: &Store,
    r: &Request,
    now: Millis,
    lang: Lang,
) -> Result<(Vec<u8>, Option<String>, Readers), Failure> {
    let format =
        Format::parse(&r.format).ok_or_else(|| Failure::input(format!("--format {}", r.format)))?;
    if r.public && format != Format::Popolo {
        return Err(Failure::input(
            lang.pick(
                "--public 只用于 -f popolo；要公示决议请用 yishi notice",
                "--public goes with -f popolo only; for the public notice use yishi notice",
            )
            .into(),
        ));
    }
    let table = if r.table == "actions" {
        Table::Actions
    } else {
        Table::Resolutions
    };
    let meetings = gather(store, lang, |read| {
        let mut loaded = Vec::new();
        if !r.all {
            let (m, meeting) = load(store, r.meeting, r.item, now, lang, read)?;
            loaded.push(meeting);
            return Ok((vec![m], loaded));
        }
        let from = date(r.from.as_deref(), lang)?;
        let to = date(r.to.as_deref(), lang)?;
        let rows = store.list().map_err(|e| Failure::store(e, lang))?;
        let mut out = Vec::new();
        for row in rows {
            let (m, meeting) = load(store, Some(row.id), None, now, lang, read)?;
            loaded.push(meeting);
            if from.is_none_or(|f| m.date >= f) && to.is_none_or(|t| m.date <= t) {
                out.push(m);
            }
        }
        if out.is_empty() {
            return Err(Failure::input(
                lang.pick("该日期范围内没有会议", "No meetings in that date range")
                    .into(),
            ));
        }
        Ok((out, loaded))
    })?;
    let meetings = if r.public {
        meetings.iter().map(export::mask::public).collect()
    } else {
        meetings
    };
    let bytes = export::render(&meetings, format, table, r.all)
        .map_err(|e| Failure::other(e.to_string()))?;
    let default_name = format.is_binary().then(|| match meetings.as_slice() {
        [one] => export::file_name(one, format),
        many => {
            let first = many.iter().map(|m| m.date).min().unwrap_or_default();
            let last = many.iter().map(|m| m.date).max().unwrap_or_default();
            format!(
                "{}-{}-{}.{}",
                lang.pick("会议纪要", "minutes"),
                first.format("%Y-%m-%d"),
                last.format("%Y-%m-%d"),
                format.extension()
            )
        }
    });
    // A masked file is meant to be published, as the notice is.
    let readers = if r.public {
        Readers::Umask
    } else {
        Readers::Owner
    };
    Ok((bytes, default_name, readers))
}

/// What `yishi notice` was asked for.
pub struct NoticeRequest {
    pub meeting: Option<i64>,
    pub format: String,
    pub output: Option<PathBuf>,
    pub posted: Option<String>,
    pub force: bool,
}

pub fn notice(
    store: &Store,
    r: NoticeRequest,
    now: Millis,
    lang: Lang,
) -> Result<ExitCode, Failure> {
    let NoticeRequest {
        meeting,
        format,
        output,
        posted,
        force,
    } = r;
    let format =
        NoticeFormat::parse(&format).ok_or_else(|| Failure::input(format!("--format {format}")))?;
    let posted = match date(posted.as_deref(), lang)? {
        Some(d) => d,
        None => export::minutes::local(now)
            .map(|t| t.date_naive())
            .unwrap_or_default(),
    };
    let text = gather(store, lang, |read| {
        let (m, loaded) = load(store, meeting, None, now, lang, read)?;
        Ok((m, vec![loaded]))
    })
    .and_then(|m| notice::render(&m, posted, format).map_err(|e| Failure::other(e.to_string())));
    let text = sound(store, text, lang)?;
    emit(text.as_bytes(), output, None, Readers::Umask, force, lang)
}
