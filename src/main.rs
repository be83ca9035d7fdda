//! Parses the command line, opens the store and runs the console or a subcommand.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use yishi::agenda::{self, AgendaError};
use yishi::cli::{ActionsCommand, Cli, Command, DistrictCommand, SiteCommand};
use yishi::lang::Lang;
use yishi::report;
use yishi::store::{DistrictError, HoldError, Site, SiteSet, Store, StoreError, Verification};
use yishi::tui::{
    self,
    app::{App, Seat},
};

// Everything this binary prints may quote an agenda or the record, which can hold terminal
// control sequences: `print!`, `println!` and `eprintln!` here (and in the modules below) show
// them as visible escapes instead of letting them clear the screen or retitle the window.
macro_rules! print {
    ($($arg:tt)*) => { yishi::safe_text::print(&format!($($arg)*)) };
}
macro_rules! println {
    ($($arg:tt)*) => { yishi::safe_text::println(&format!($($arg)*)) };
}
macro_rules! eprintln {
    ($($arg:tt)*) => { yishi::safe_text::eprintln(&format!($($arg)*)) };
}

mod export_cmd;

/// An error at the edge: one sentence and an exit code (2 bad input, 1 anything else).
struct Failure {
    message: String,
    code: u8,
}

impl Failure {
    fn input(message: String) -> Failure {
        Failure { message, code: 2 }
    }

    fn other(message: String) -> Failure {
        Failure { message, code: 1 }
    }

    fn store(e: StoreError, lang: Lang) -> Failure {
        let code = if matches!(e, StoreError::NoMeeting(_) | StoreError::Exists(_)) {
            2
        } else {
            1
        };
        Failure {
            message: e.describe(lang),
            code,
        }
    }
}

fn main() -> ExitCode {
    // A file-size limit (`ulimit -f`) would kill the process mid-write and leave the terminal
    // raw; caught, the write fails with EFBIG and the store says the disk is full.
    #[cfg(unix)]
    let _ = signal_hook::flag::register(
        signal_hook::consts::SIGXFSZ,
        std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
    );
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    let lang = match cli.lang.as_deref() {
        None => Lang::from_env(),
        Some(s) => match Lang::parse(s) {
            Some(l) => l,
            None => {
                eprintln!(
                    "yishi: --lang 只接受 zh-CN 或 en / --lang takes zh-CN or en, not \"{s}\""
                );
                return ExitCode::from(2);
            }
        },
    };
    match run(cli, lang) {
        Ok(code) => code,
        Err(f) => {
            // Not eprintln: with the terminal window closed, stderr fails, and that must not
            // turn into a panic.
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "{}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn run(cli: Cli, lang: Lang) -> Result<ExitCode, Failure> {
    let command = cli.command;
    if let Some(Command::Check { agendas }) = &command {
        return check(agendas, lang);
    }
    if let Some(Command::District {
        command: DistrictCommand::Import { files, into },
    }) = &command
    {
        return district_import(files, into, lang);
    }
    let db = match cli.db {
        Some(path) => path,
        None => default_db(lang)?,
    };
    let mut store = Store::open(&db).map_err(|e| Failure::store(e, lang))?;
    let now = chrono::Utc::now().timestamp_millis();
    // A district file holds copies: it is looked at, never written to by a meeting.
    let looks_only = matches!(
        command,
        Some(Command::List | Command::Stats { .. } | Command::Backup { .. })
            | Some(Command::Actions { command: None, .. })
    );
    if !looks_only && store.is_district().map_err(|e| Failure::store(e, lang))? {
        return Err(Failure::input(
            DistrictError::NotForDistrict(db).describe(lang),
        ));
    }
    match command {
        None => {
            let setup = agenda::parse(agenda::DEMO, lang)
                .map_err(|_| Failure::other("the built-in demo agenda does not load".into()))?;
            let id = store
                .start_or_resume(setup, None, now)
                .map_err(|e| Failure::store(e, lang))?;
            console(store, Some(id), lang, Seat::Facilitator)
        }
        Some(Command::Run { agenda: path }) => {
            let setup = agenda::load(&path, lang).map_err(|e| agenda_failure(e, &path))?;
            let name = path.display().to_string();
            // A meeting already started keeps the agenda it started with; say so if the file
            // has changed since, rather than mixing two agendas in one record.
            let changed = match store
                .find_meeting(&setup.meeting.title, setup.meeting.starts.as_deref())
                .map_err(|e| Failure::store(e, lang))?
            {
                Some(id) => {
                    store.load(id).map_err(|e| Failure::store(e, lang))?.setup() != Some(&setup)
                }
                None => false,
            };
            let id = store
                .start_or_resume(setup, Some(&name), now)
                .map_err(|e| Failure::store(e, lang))?;
            let note = changed.then(|| {
                lang.pick(
                    "议程文件在会议开始后有改动；会议按开始时的议程继续，现场可按 i 增加临时议题",
                    "The agenda file changed after the meeting started; the meeting goes on with the agenda it started with (i adds an item in the room)",
                )
                .to_string()
            });
            console_with(store, Some(id), lang, Seat::Facilitator, note)
        }
        Some(Command::Resume { meeting }) => console(store, meeting, lang, Seat::Facilitator),
        Some(Command::Secretary { meeting }) => console(store, meeting, lang, Seat::Secretary),
        Some(Command::Projector { meeting }) => console(store, meeting, lang, Seat::Projector),
        Some(Command::Show { meeting }) => show(&store, meeting, lang),
        Some(Command::List) => {
            let rows = store.list().map_err(|e| Failure::store(e, lang))?;
            print!("{}", report::list(&rows, lang));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Verify { expect }) => verify(&store, expect.as_deref(), lang),
        Some(Command::Reopen { meeting, reason }) => {
            let id = store
                .resolve(meeting)
                .map_err(|e| Failure::store(e, lang))?;
            let mut m = store.load(id).map_err(|e| Failure::store(e, lang))?;
            let command = yishi::domain::state::Command::Reopen { reason };
            store
                .execute(id, &mut m, &command, now, yishi::domain::state::Origin::Cli)
                .map_err(|e| match e {
                    StoreError::Domain(_) => Failure::input(e.describe(lang)),
                    e => Failure::store(e, lang),
                })?;
            println!(
                "{}",
                match lang {
                    Lang::Zh =>
                        format!("会议 #{id} 已重新开启，理由已记入记录；用 yishi resume {id} 继续"),
                    Lang::En => format!(
                        "Meeting #{id} is open again, the reason is on the record: yishi resume {id} carries on"
                    ),
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Actions { all, command }) => actions(&mut store, all, command, lang),
        Some(Command::Stats { by_site }) => {
            let today = chrono::Local::now().date_naive();
            if by_site {
                let groups = by_site_meetings(&store, lang)?;
                let view: Vec<(Site, Vec<&yishi::domain::state::State>)> = groups
                    .iter()
                    .map(|(site, ms)| (site.clone(), ms.iter().map(|(_, s)| s).collect()))
                    .collect();
                print!("{}", report::stats_by_site(&view, now, today, lang));
            } else {
                let meetings = all_meetings(&store, lang)?;
                print!("{}", report::stats(&meetings, now, today, lang));
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Site { command }) => site(&mut store, command, now, lang),
        Some(Command::District { .. }) => unreachable!("handled above"),
        Some(Command::Export {
            meeting,
            format,
            output,
            item,
            all,
            from,
            to,
            table,
        }) => {
            let request = export_cmd::Request {
                meeting,
                format,
                output,
                item,
                all,
                from,
                to,
                table,
            };
            export_cmd::export(&store, &request, now, lang)
        }
        Some(Command::Notice {
            meeting,
            format,
            output,
            date,
        }) => export_cmd::notice(&store, meeting, &format, output, date, now, lang),
        Some(Command::Backup { path, force }) => {
            if path.exists() && !force {
                return Err(Failure::store(StoreError::Exists(path), lang));
            }
            store
                .backup_to(&path)
                .map_err(|e| Failure::store(e, lang))?;
            println!(
                "{}",
                match lang {
                    Lang::Zh => format!("已备份到 {}", path.display()),
                    Lang::En => format!("Backed up to {}", path.display()),
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Check { .. }) => unreachable!("handled above"),
    }
}

/// Opens the live console, or prints the summary where there is no terminal to draw on.
fn console(
    store: Store,
    meeting: Option<i64>,
    lang: Lang,
    seat: Seat,
) -> Result<ExitCode, Failure> {
    console_with(store, meeting, lang, seat, None)
}

/// The console, with a first message for the facilitator.
fn console_with(
    store: Store,
    meeting: Option<i64>,
    lang: Lang,
    seat: Seat,
    note: Option<String>,
) -> Result<ExitCode, Failure> {
    use std::io::IsTerminal;
    let id = store
        .resolve(meeting)
        .map_err(|e| Failure::store(e, lang))?;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        eprintln!(
            "{}",
            lang.pick(
                "（不是终端，只打印会议摘要）",
                "(not a terminal: printing the summary only)"
            )
        );
        if let Some(note) = &note {
            eprintln!("{note}");
        }
        return show(&store, Some(id), lang);
    }
    let m = store.load(id).map_err(|e| Failure::store(e, lang))?;
    // One facilitator per meeting: a second one is told who holds it and chooses a seat.
    let mut seat = seat;
    let _hold = match seat {
        Seat::Facilitator if !store.is_read_only() => {
            let who = std::env::var("USER").unwrap_or_default();
            match store.hold(id, "facilitator", &who) {
                Ok(hold) => Some(hold),
                Err(e @ HoldError::HeldBy { .. }) => {
                    eprintln!("{}", e.describe(lang));
                    match choose_seat(lang) {
                        Some(s) => seat = s,
                        None => return Ok(ExitCode::from(1)),
                    }
                    None
                }
                Err(e) => return Err(Failure::other(e.describe(lang))),
            }
        }
        Seat::Facilitator => {
            seat = Seat::Observer;
            None
        }
        _ => None,
    };
    // A second secretary gets a slot of its own, so its drafts and its undo stay its own.
    let mut slot_hold = None;
    if seat == Seat::Secretary && !store.is_read_only() {
        let who = std::env::var("USER").unwrap_or_default();
        for n in 1..=9 {
            if let Ok(hold) = store.hold(id, &format!("secretary-{n}"), &who) {
                slot_hold = Some((hold, format!("secretary-{n}")));
                break;
            }
        }
    }
    // A closed meeting is final: it opens read-only, and says how to reopen it.
    let closed = m.state().ended_at.is_some();
    if closed && matches!(seat, Seat::Facilitator | Seat::Secretary) {
        seat = Seat::Observer;
    }
    let closed_note = closed.then(|| match lang {
        Lang::Zh => format!(
            "会议已结束，记录已定稿，只能查看；确需修改时用 yishi reopen {id} --reason \"理由\" 重新开启"
        ),
        Lang::En => format!(
            "The meeting is closed and its record final, so it opens read-only; to change it, reopen it with yishi reopen {id} --reason \"why\""
        ),
    });
    let notice = store.open_notice(lang).or(closed_note).or(note);
    let mut app = App::new(store, id, m, lang, seat, tui::now());
    if let Some((_, slot)) = &slot_hold {
        app.console.slot = slot.clone();
    }
    if let Some(text) = notice {
        app.message = Some((text, yishi::tui::app::Tone::Error));
    }
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        eprintln!(
            "{}",
            lang.pick(
                "议事意外出错；已记录的内容都在数据库中，可用 yishi resume 继续。",
                "yishi stopped unexpectedly; everything recorded is in the database: yishi resume carries on."
            )
        );
        if std::env::var_os("RUST_BACKTRACE").is_some() {
            default_hook(info);
        }
    }));
    tui::run(app).map_err(|e| {
        Failure::other(match lang {
            Lang::Zh => format!("终端出错：{}", yishi::store::Reason::io(&e).text(lang)),
            Lang::En => format!("Terminal error: {e}"),
        })
    })?;
    Ok(ExitCode::SUCCESS)
}

/// `verify`: the chain and the tables against the log; with `--expect`, the printed code too.
fn verify(store: &Store, expect: Option<&str>, lang: Lang) -> Result<ExitCode, Failure> {
    let audit = store.audit().map_err(|e| Failure::store(e, lang))?;
    let mut text = report::audit(&audit, lang);
    let mut ok = audit.is_intact();
    if let Some(code) = expect {
        let Some(hex) = yishi::store::normalize_code(code) else {
            return Err(Failure::input(match lang {
                Lang::Zh => format!(
                    "「{code}」不是记录校验码：校验码至少有 16 位十六进制数字，如 3f9a-1b2c-4d5e-6f70"
                ),
                Lang::En => format!(
                    "\"{code}\" is not a check code: it has at least 16 hexadecimal digits, e.g. 3f9a-1b2c-4d5e-6f70"
                ),
            }));
        };
        let found = store
            .find_anchor(&hex)
            .map_err(|e| Failure::store(e, lang))?;
        // The chain must hold up to the entry the code names.
        let intact_upto = match (&audit.chain, &found) {
            (Verification::Intact { .. }, _) => true,
            (Verification::Broken { seq, .. }, Some(a)) => a.seq < *seq,
            _ => false,
        };
        ok = ok && found.is_some() && intact_upto;
        text.push_str(&report::expectation(
            code.trim(),
            found.as_ref(),
            intact_upto,
            lang,
        ));
        text.push('\n');
    }
    if ok {
        print!("{text}");
        Ok(ExitCode::SUCCESS)
    } else {
        Err(Failure::other(text.trim_end().to_string()))
    }
}

/// A committee and its meetings, rebuilt from their logs.
type SiteMeetings = (Site, Vec<(i64, yishi::domain::state::State)>);

/// The meetings of the file by committee: a district file's per site, else the file's own
/// (under its site, or an unnamed one if it has none yet).
fn by_site_meetings(store: &Store, lang: Lang) -> Result<Vec<SiteMeetings>, Failure> {
    let fail = |e: StoreError| Failure::store(e, lang);
    if !store.is_district().map_err(fail)? {
        let meetings = all_meetings(store, lang)?;
        let site = store.site().map_err(fail)?.unwrap_or(Site {
            code: "-".into(),
            name: lang.pick("（未登记社区）", "(no site set)").into(),
            district: None,
        });
        return Ok(vec![(site, meetings)]);
    }
    let mut out: Vec<SiteMeetings> = Vec::new();
    for m in store.district_meetings().map_err(fail)? {
        let state = m.meeting.state().clone();
        match out.last_mut() {
            Some((site, list)) if site.code == m.site.code => list.push((m.id, state)),
            _ => out.push((m.site, vec![(m.id, state)])),
        }
    }
    Ok(out)
}

/// `yishi district import`: each file verified and copied in turn; a refused one is named
/// and the others still go in.
fn district_import(
    files: &[PathBuf],
    into: &std::path::Path,
    lang: Lang,
) -> Result<ExitCode, Failure> {
    let mut district = Store::open(into).map_err(|e| Failure::store(e, lang))?;
    let mut refused = 0;
    for file in files {
        let now = chrono::Utc::now().timestamp_millis();
        match district.import_into_district(file, now) {
            Ok(done) => {
                let site = done
                    .site
                    .as_ref()
                    .map(|s| format!("{} {}", s.code, s.name))
                    .unwrap_or_default();
                println!(
                    "{}",
                    match lang {
                        Lang::Zh => format!(
                            "{}（{site}）：新增 {} 场，更新 {} 场，未变 {} 场，已有更新的副本 {} 场",
                            file.display(),
                            done.added,
                            done.replaced,
                            done.unchanged,
                            done.older
                        ),
                        Lang::En => format!(
                            "{} ({site}): {} added, {} updated, {} unchanged, {} already newer here",
                            file.display(),
                            done.added,
                            done.replaced,
                            done.unchanged,
                            done.older
                        ),
                    }
                );
                for uid in &done.diverged {
                    refused += 1;
                    eprintln!(
                        "{}",
                        match lang {
                            Lang::Zh => format!(
                                "{}：会议 {uid} 的记录与汇总文件中的副本分叉（不是同一记录的前后两份），保留原副本；请核对该社区的文件",
                                file.display()
                            ),
                            Lang::En => format!(
                                "{}: meeting {uid} has a record that does not continue the district's copy (nor the other way round); the copy is kept: check that committee's file",
                                file.display()
                            ),
                        }
                    );
                }
            }
            Err(e) => {
                refused += 1;
                eprintln!("{}", e.describe(lang));
            }
        }
    }
    println!(
        "{}",
        match lang {
            Lang::Zh => format!("街道汇总文件：{}", into.display()),
            Lang::En => format!("District file: {}", into.display()),
        }
    );
    Ok(if refused > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn site(
    store: &mut Store,
    command: SiteCommand,
    now: i64,
    lang: Lang,
) -> Result<ExitCode, Failure> {
    let describe = |s: &Site| {
        let district = s
            .district
            .as_deref()
            .map(|d| match lang {
                Lang::Zh => format!("，{d}"),
                Lang::En => format!(", {d}"),
            })
            .unwrap_or_default();
        match lang {
            Lang::Zh => format!("{}（{}{district}）", s.code, s.name),
            Lang::En => format!("{} ({}{district})", s.code, s.name),
        }
    };
    match command {
        SiteCommand::Show => {
            match store.site().map_err(|e| Failure::store(e, lang))? {
                Some(s) => println!("{}", describe(&s)),
                None => println!(
                    "{}",
                    lang.pick(
                        "本数据库还没有登记社区：用 yishi site set --code 代码 --name 名称 登记",
                        "No site is set for this database: yishi site set --code CODE --name NAME sets it"
                    )
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
        SiteCommand::Set {
            code,
            name,
            district,
        } => {
            let code = code.unwrap_or_else(|| yishi::store::generated_code(now));
            let set = store
                .set_site(
                    Site {
                        code,
                        name,
                        district,
                    },
                    now,
                )
                .map_err(|e| match e {
                    yishi::store::SiteError::Store(e) => Failure::store(e, lang),
                    e => Failure::input(e.describe(lang)),
                })?;
            println!(
                "{}",
                match (&set, lang) {
                    (SiteSet::Written(s), Lang::Zh) => format!("已登记社区 {}", describe(s)),
                    (SiteSet::Written(s), Lang::En) => format!("Site set: {}", describe(s)),
                    (SiteSet::Unchanged(s), Lang::Zh) =>
                        format!("社区早已登记为 {}，未改动", describe(s)),
                    (SiteSet::Unchanged(s), Lang::En) =>
                        format!("The site was already {}: nothing changed", describe(s)),
                }
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Every meeting in the file, rebuilt from its log.
fn all_meetings(
    store: &Store,
    lang: Lang,
) -> Result<Vec<(i64, yishi::domain::state::State)>, Failure> {
    if store.is_district().map_err(|e| Failure::store(e, lang))? {
        return Ok(by_site_meetings(store, lang)?
            .into_iter()
            .flat_map(|(_, ms)| ms)
            .collect());
    }
    let mut out = Vec::new();
    for row in store.list().map_err(|e| Failure::store(e, lang))? {
        let m = store.load(row.id).map_err(|e| Failure::store(e, lang))?;
        out.push((row.id, m.state().clone()));
    }
    Ok(out)
}

/// Asks the second facilitator where to sit: secretary, read-only, or not at all.
fn choose_seat(lang: Lang) -> Option<Seat> {
    use std::io::Write;
    eprint!(
        "{}",
        lang.pick(
            "输入 s 以记录人身份加入，r 只读查看，其他键退出：",
            "Type s to join as the secretary, r to follow read-only, anything else to leave: "
        )
    );
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).ok()?;
    match line.trim() {
        "s" | "S" => Some(Seat::Secretary),
        "r" | "R" => Some(Seat::Observer),
        _ => None,
    }
}

fn show(store: &Store, meeting: Option<i64>, lang: Lang) -> Result<ExitCode, Failure> {
    let id = store
        .resolve(meeting)
        .map_err(|e| Failure::store(e, lang))?;
    let m = store.load(id).map_err(|e| Failure::store(e, lang))?;
    let now = chrono::Utc::now().timestamp_millis();
    print!("{}", report::summary(id, m.state(), now, lang));
    Ok(ExitCode::SUCCESS)
}

fn check(paths: &[PathBuf], lang: Lang) -> Result<ExitCode, Failure> {
    let mut failed = false;
    for path in paths {
        match agenda::load(path, lang) {
            Ok(setup) => println!("{}: {}", path.display(), agenda::summary(&setup, lang)),
            Err(e) => {
                failed = true;
                eprintln!("{}", e.render(&path.display().to_string()));
            }
        }
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn agenda_failure(e: AgendaError, path: &std::path::Path) -> Failure {
    Failure::input(e.render(&path.display().to_string()))
}

/// `yishi.db` in the platform's data folder, created (private) on first use.
fn default_db(lang: Lang) -> Result<PathBuf, Failure> {
    let dirs = directories::ProjectDirs::from("org", "yishi", "yishi").ok_or_else(|| {
        Failure::other(
            lang.pick(
                "找不到用户数据文件夹，请用 --db 指定数据库文件",
                "No user data folder found: give the database file with --db",
            )
            .into(),
        )
    })?;
    let dir = dirs.data_dir();
    std::fs::create_dir_all(dir).map_err(|e| {
        Failure::other(match lang {
            Lang::Zh => format!(
                "无法创建数据文件夹 {}：{}",
                dir.display(),
                yishi::store::Reason::io(&e).text(lang)
            ),
            Lang::En => format!("Cannot create the data folder {}: {e}", dir.display()),
        })
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
    Ok(dir.join("yishi.db"))
}

fn actions(
    store: &mut Store,
    all: bool,
    command: Option<ActionsCommand>,
    lang: Lang,
) -> Result<ExitCode, Failure> {
    use yishi::domain::state::{ActionStatus, Command as C, Origin};
    let fail = |e: StoreError| Failure::store(e, lang);
    let today = chrono::Local::now().date_naive();
    let load_all = |store: &Store| all_meetings(store, lang);
    match command {
        None if store.is_district().map_err(fail)? => {
            let groups = by_site_meetings(store, lang)?;
            for (site, meetings) in &groups {
                let rows = yishi::followup::rows(meetings, today);
                println!("== {} {} ==", site.code, site.name);
                print!("{}", yishi::followup::render(&rows, today, all, lang));
                println!("");
            }
            let everything: Vec<_> = groups.into_iter().flat_map(|(_, ms)| ms).collect();
            let rows = yishi::followup::rows(&everything, today);
            let text = yishi::followup::render(&rows, today, false, lang);
            let summary = text.lines().next().unwrap_or_default();
            println!("{}{summary}", lang.pick("合计：", "Total: "));
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let meetings = load_all(store)?;
            let rows = yishi::followup::rows(&meetings, today);
            print!("{}", yishi::followup::render(&rows, today, all, lang));
            Ok(ExitCode::SUCCESS)
        }
        Some(ActionsCommand::Update {
            meeting,
            action,
            status,
            note,
        }) => {
            let status = ActionStatus::parse(&status).ok_or_else(|| {
                Failure::input(match lang {
                    Lang::Zh => format!("未知的状态 \"{status}\"，可选：{}", ActionStatus::keys()),
                    Lang::En => format!(
                        "unknown status \"{status}\"; expected one of: {}",
                        ActionStatus::keys()
                    ),
                })
            })?;
            let id = store.resolve(Some(meeting)).map_err(fail)?;
            let mut m = store.load(id).map_err(fail)?;
            let now = chrono::Utc::now().timestamp_millis();
            store
                .execute(
                    id,
                    &mut m,
                    &C::UpdateAction {
                        action,
                        status,
                        note,
                    },
                    now,
                    Origin::Cli,
                )
                .map_err(|e| match e {
                    StoreError::Domain(_) => Failure::input(e.describe(lang)),
                    e => fail(e),
                })?;
            let a = m
                .state()
                .actions
                .iter()
                .find(|a| a.id == action)
                .map(|a| a.what.clone())
                .unwrap_or_default();
            println!(
                "{}",
                match lang {
                    Lang::Zh => format!("已更新 {meeting}-{action} {a}：{}", status.label(lang)),
                    Lang::En => format!("Updated {meeting}-{action} {a}: {}", status.label(lang)),
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(ActionsCommand::Evaluation { since, output }) => {
            let since = match since {
                Some(s) => chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| {
                    Failure::input(match lang {
                        Lang::Zh => format!("日期 \"{s}\" 无效，请按 YYYY-MM-DD 填写"),
                        Lang::En => format!("\"{s}\" is not a date: write YYYY-MM-DD"),
                    })
                })?,
                None => today - chrono::Days::new(90),
            };
            let meetings = load_all(store)?;
            let rows = yishi::followup::rows(&meetings, today);
            let Some(setup) = yishi::followup::evaluation(&rows, &meetings, since, lang) else {
                println!(
                    "{}",
                    lang.pick(
                        "没有未完成或近期完成的待办事项，无需评议。",
                        "No open or recently finished action items to review."
                    )
                );
                return Ok(ExitCode::SUCCESS);
            };
            let text = agenda::to_toml(&setup);
            match output {
                Some(path) => {
                    std::fs::write(&path, &text)
                        .map_err(|e| Failure::other(format!("{}: {e}", path.display())))?;
                    println!(
                        "{}",
                        match lang {
                            Lang::Zh => format!(
                                "已写入评议会议程 {}（议题 {} 项），可用 yishi run 开会",
                                path.display(),
                                setup.items.len()
                            ),
                            Lang::En => format!(
                                "Evaluation agenda written to {} ({} items): start it with yishi run",
                                path.display(),
                                setup.items.len()
                            ),
                        }
                    );
                }
                None => print!("{text}"),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
