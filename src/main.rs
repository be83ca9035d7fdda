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
mod loop_cmd;

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
            use clap::error::ErrorKind as K;
            return match e.kind() {
                K::DisplayHelp | K::DisplayVersion => {
                    let _ = e.print();
                    ExitCode::SUCCESS
                }
                K::DisplayHelpOnMissingArgumentOrSubcommand => {
                    let _ = e.print();
                    ExitCode::from(2)
                }
                _ => {
                    // clap speaks English; a Chinese user is told in Chinese.
                    match args_lang() {
                        Lang::Zh => {
                            use std::io::Write;
                            let _ = writeln!(std::io::stderr(), "{}", argument_error_zh(&e));
                        }
                        Lang::En => {
                            let _ = e.print();
                        }
                    }
                    ExitCode::from(2)
                }
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

/// The language asked for on a command line clap could not parse: `--lang` if it is there,
/// else the environment's.
fn args_lang() -> Lang {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .enumerate()
        .find_map(|(i, a)| match a.strip_prefix("--lang") {
            Some("") => args.get(i + 1).and_then(|v| Lang::parse(v)),
            Some(rest) => rest.strip_prefix('=').and_then(Lang::parse),
            None => None,
        })
        .unwrap_or_else(Lang::from_env)
}

/// A command-line mistake in one Chinese sentence, naming the argument and what it takes.
fn argument_error_zh(e: &clap::Error) -> String {
    use clap::error::{ContextKind as C, ContextValue as V, ErrorKind as K};
    let get = |kind: C| -> String {
        match e.get(kind) {
            Some(V::String(s)) => s.clone(),
            Some(V::Strings(v)) => v.join("、"),
            Some(V::StyledStr(s)) => s.to_string(),
            Some(V::StyledStrs(v)) => v
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join("、"),
            Some(V::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    };
    let arg = get(C::InvalidArg);
    let value = get(C::InvalidValue);
    let hint = |suggested: String| {
        if suggested.is_empty() {
            String::new()
        } else {
            format!("；是不是想用 {suggested}")
        }
    };
    let text = match e.kind() {
        K::InvalidValue => {
            let valid = get(C::ValidValue);
            if valid.is_empty() {
                format!("{arg} 不接受 \"{value}\"")
            } else {
                format!("{arg} 不接受 \"{value}\"，可选：{valid}")
            }
        }
        K::ValueValidation => format!("{arg} 的值 \"{value}\" 不对"),
        K::UnknownArgument => format!("没有 {arg} 这个参数{}", hint(get(C::SuggestedArg))),
        K::InvalidSubcommand => format!(
            "没有 {} 这个子命令{}",
            get(C::InvalidSubcommand),
            hint(get(C::SuggestedSubcommand))
        ),
        K::MissingRequiredArgument => format!("缺少参数 {arg}"),
        K::MissingSubcommand => "缺少子命令".to_string(),
        K::ArgumentConflict => format!("{arg} 不能与 {} 同时使用", get(C::PriorArg)),
        K::NoEquals => format!("{arg} 的值要用 = 连写，如 {arg}=值"),
        K::TooManyValues | K::TooFewValues | K::WrongNumberOfValues => {
            format!("{arg} 的值个数不对")
        }
        _ => "命令行参数有误".to_string(),
    };
    format!("yishi：{text}（用 yishi --help 查看用法）")
}

fn run(cli: Cli, lang: Lang) -> Result<ExitCode, Failure> {
    let command = cli.command;
    if let Some(Command::Check { agendas }) = &command {
        return check(agendas, lang);
    }
    // Generated from the clap definitions: they can never disagree with the real arguments.
    if let Some(Command::Completions { shell }) = &command {
        return completions(shell, lang);
    }
    if let Some(Command::Manpage) = &command {
        return manpage(lang);
    }
    if let Some(Command::Notice {
        agenda: Some(path),
        format,
        output,
        date,
        ..
    }) = &command
    {
        return loop_cmd::pre_notice(path, format, output.as_deref(), date.as_deref(), lang);
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
    // A console's first frame does not wait for the whole-file check: it runs beside it. An
    // export reads what it writes (a damaged page there fails it, and the file is checked
    // then to say so) and checks the chain from what it read.
    let for_console = matches!(
        command,
        None | Some(
            Command::Run { .. }
                | Command::Resume { .. }
                | Command::Secretary { .. }
                | Command::Projector { .. }
                | Command::Export { .. }
                | Command::Notice { .. }
        )
    );
    let opened = if for_console {
        Store::open_for_console(&db)
    } else {
        Store::open(&db)
    };
    let mut store = opened.map_err(|e| Failure::store(e, lang))?;
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
                    store
                        .open_meeting(id)
                        .map_err(|e| Failure::store(e, lang))?
                        .setup()
                        != Some(&setup)
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
        Some(Command::Actions {
            all,
            command: None,
            status,
            owner,
            meeting,
            from,
            to,
            overdue,
            json,
        }) => {
            let request = loop_cmd::ActionsList {
                all,
                status,
                owner,
                meeting,
                from,
                to,
                overdue,
                json,
            };
            // A district file lists each committee's actions and the total; the filters read
            // one committee's record.
            if store.is_district().map_err(|e| Failure::store(e, lang))? {
                return actions(&mut store, request.all, None, lang);
            }
            let today = chrono::Local::now().date_naive();
            loop_cmd::list_actions(&store, request, today, lang)
        }
        Some(Command::Actions { all, command, .. }) => actions(&mut store, all, command, lang),
        Some(Command::Stats {
            from,
            to,
            json,
            by_site,
        }) => {
            let today = chrono::Local::now().date_naive();
            if by_site {
                let groups = by_site_meetings(&store, lang)?;
                print!("{}", yishi::stats::by_site(&groups, now, today, lang));
                Ok(ExitCode::SUCCESS)
            } else {
                loop_cmd::stats(&store, from, to, json, now, today, lang)
            }
        }
        Some(Command::Ballots {
            command: yishi::cli::BallotsCommand::Import { item, args },
        }) => {
            // [MEETING] FILE: a meeting number may come before the sheet.
            let (meeting, file) = match args.as_slice() {
                [file] => (None, file),
                [meeting, file, ..] => {
                    let n = meeting.to_str().and_then(|m| m.trim().parse::<i64>().ok());
                    let Some(n) = n else {
                        return Err(Failure::input(match lang {
                            Lang::Zh => format!(
                                "会议编号 \"{}\" 不是数字；请写 yishi list 列出的编号",
                                meeting.display()
                            ),
                            Lang::En => format!(
                                "the meeting number \"{}\" is not a number; give one that yishi list prints",
                                meeting.display()
                            ),
                        }));
                    };
                    (Some(n), file)
                }
                [] => {
                    return Err(Failure::input(
                        lang.pick("缺少选票汇总表", "the sheet of ballots is missing")
                            .into(),
                    ));
                }
            };
            import_ballots(&mut store, meeting, item, file, now, lang)
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
            force,
            public,
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
                force,
                public,
            };
            export_cmd::export(&store, &request, now, lang)
        }
        Some(Command::Notice {
            meeting,
            format,
            output,
            date,
            force,
            agenda: _,
        }) => {
            let request = export_cmd::NoticeRequest {
                meeting,
                format,
                output,
                posted: date,
                force,
            };
            export_cmd::notice(&store, request, now, lang)
        }
        Some(Command::Agenda { command }) => loop_cmd::agenda(&store, command, lang),
        Some(Command::Proposals { command }) => loop_cmd::proposals(&mut store, command, now, lang),
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
        Some(Command::Check { .. } | Command::Completions { .. } | Command::Manpage) => {
            unreachable!("handled above")
        }
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
    // From the meeting's snapshot when it has one: the first frame does not wait for the
    // whole log.
    let m = store
        .open_meeting(id)
        .map_err(|e| Failure::store(e, lang))?;
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
            Ok(setup) => {
                println!("{}: {}", path.display(), agenda::summary(&setup, lang));
                for warning in yishi::prepare::check_warnings(&setup, lang) {
                    println!("{}: {warning}", path.display());
                }
            }
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

/// `yishi ballots import`: a sheet of written ballots (书面表决) recorded as the item's tally,
/// every bad row named with file:row and nothing recorded until all are right.
fn import_ballots(
    store: &mut Store,
    meeting: Option<i64>,
    number: usize,
    file: &std::path::Path,
    now: i64,
    lang: Lang,
) -> Result<ExitCode, Failure> {
    use yishi::domain::state::{Command as C, Origin, TallyInput};
    use yishi::domain::tally::{Method, Votes};
    let id = store
        .resolve(meeting)
        .map_err(|e| Failure::store(e, lang))?;
    let mut m = store.load(id).map_err(|e| Failure::store(e, lang))?;
    let state = m.state();
    let Some(item) = number.checked_sub(1).and_then(|i| state.items.get(i)) else {
        return Err(Failure::input(match lang {
            Lang::Zh => format!(
                "会议 #{id} 没有第 {number} 个议题（共 {} 个）",
                state.items.len()
            ),
            Lang::En => format!(
                "meeting #{id} has no item {number} (it has {})",
                state.items.len()
            ),
        }));
    };
    let (item_id, title, rule) = (item.id, item.spec.title.clone(), state.rule_for(item));
    let rows = yishi::ballots::read_rows(file, lang).map_err(|e| Failure::input(e.render()))?;
    let ballots = yishi::ballots::match_rows(state, rule, &file.display().to_string(), &rows, lang)
        .map_err(|e| Failure::input(e.render()))?;
    let command = C::RecordVote {
        item: item_id,
        rule: None,
        method: Method::WrittenBallot,
        input: TallyInput::RollCall { ballots },
        tellers: Vec::new(),
    };
    store
        .execute(id, &mut m, &command, now, Origin::Cli)
        .map_err(|e| match e {
            StoreError::Domain(_) => Failure::input(e.describe(lang)),
            e => Failure::store(e, lang),
        })?;
    let Some(v) = m.state().vote_of(item_id) else {
        return Err(Failure::other(
            lang.pick("表决未能记录", "the vote was not recorded")
                .to_string(),
        ));
    };
    let (yes, no, abstain) = match &v.votes {
        Votes::YesNo { yes, no, abstain } => (yes.heads, no.heads, abstain.heads),
        Votes::Options { .. } => (0, 0, 0),
    };
    let total = yes + no + abstain;
    let why = v.outcome.reason.describe(lang, &v.options);
    yishi::safe_text::println(&match lang {
        Lang::Zh => format!(
            "会议 #{id} 第 {number} 项「{title}」书面表决已记录：收回选票 {total} 张，同意 {yes}，反对 {no}，弃权 {abstain}。\n{why}"
        ),
        Lang::En => format!(
            "Meeting #{id}, item {number} \"{title}\": written ballots recorded, {total} returned, {yes} yes, {no} no, {abstain} abstaining.\n{why}"
        ),
    });
    Ok(ExitCode::SUCCESS)
}

fn completions(shell: &str, lang: Lang) -> Result<ExitCode, Failure> {
    use clap::CommandFactory;
    use clap_complete::Shell;
    let shell = match shell {
        "bash" => Shell::Bash,
        "zsh" => Shell::Zsh,
        "fish" => Shell::Fish,
        "powershell" => Shell::PowerShell,
        "elvish" => Shell::Elvish,
        other => {
            return Err(Failure::input(match lang {
                Lang::Zh => {
                    format!("不支持的 shell \"{other}\"，可选：bash、zsh、fish、powershell")
                }
                Lang::En => {
                    format!("Unknown shell \"{other}\": choose bash, zsh, fish or powershell")
                }
            }));
        }
    };
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "yishi", &mut out);
    write_stdout(&out, lang)
}

fn manpage(lang: Lang) -> Result<ExitCode, Failure> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| Failure::other(e.to_string()))?;
    write_stdout(&out, lang)
}

/// Generated text as it is (a completion script is not record text: nothing to escape).
fn write_stdout(bytes: &[u8], lang: Lang) -> Result<ExitCode, Failure> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(|e| {
            Failure::other(match lang {
                Lang::Zh => format!("无法输出：{e}"),
                Lang::En => format!("Cannot write the output: {e}"),
            })
        })?;
    Ok(ExitCode::SUCCESS)
}

/// An action as `yishi actions` prints it (`1-2`, also `#1-2`), or a meeting number with the
/// action number after it.
fn action_ref(meeting: &str, action: Option<u32>, lang: Lang) -> Result<(i64, u32), Failure> {
    let bad = || {
        Failure::input(match lang {
            Lang::Zh => format!(
                "待办编号 \"{meeting}\" 不对：请照 yishi actions 所列写，如 1-2（会议 1 的第 2 项）"
            ),
            Lang::En => format!(
                "\"{meeting}\" is not an action: write it as yishi actions prints it, e.g. 1-2 (item 2 of meeting 1)"
            ),
        })
    };
    let text = meeting
        .trim()
        .trim_start_matches(['#', '\u{ff03}'])
        .replace(['\u{2014}', '\u{2013}', '\u{ff0d}', '\u{2010}'], "-");
    match (text.split_once('-'), action) {
        (Some((m, a)), None) => match (m.trim().parse(), a.trim().parse()) {
            (Ok(m), Ok(a)) => Ok((m, a)),
            _ => Err(bad()),
        },
        (None, Some(a)) => text.trim().parse().map(|m| (m, a)).map_err(|_| bad()),
        _ => Err(bad()),
    }
}

/// A status as a key (`done`), or in words in either language (已完成, in progress).
fn action_status(text: &str) -> Option<yishi::domain::state::ActionStatus> {
    use yishi::domain::state::ActionStatus as S;
    let t = text.trim();
    let key = t.to_ascii_lowercase().replace(['-', ' '], "_");
    S::parse(&key).or_else(|| {
        [S::Open, S::InProgress, S::Done, S::Dropped]
            .into_iter()
            .find(|s| s.label(Lang::Zh) == t || s.label(Lang::En).eq_ignore_ascii_case(t))
    })
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
            let (meeting, action) = action_ref(&meeting, action, lang)?;
            let status = action_status(&status).ok_or_else(|| {
                Failure::input(match lang {
                    Lang::Zh => format!(
                        "未知的状态 \"{status}\"，可选：未开始、进行中、已完成、已撤销（或 {}）",
                        ActionStatus::keys()
                    ),
                    Lang::En => format!(
                        "Unknown status \"{status}\": expected one of {}",
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
