//! Parses the command line, opens the store and runs the console or a subcommand.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use yishi::agenda::{self, AgendaError};
use yishi::cli::{Cli, Command};
use yishi::lang::Lang;
use yishi::report;
use yishi::store::{Store, StoreError, Verification};

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
            eprintln!("{}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn run(cli: Cli, lang: Lang) -> Result<ExitCode, Failure> {
    let command = cli.command;
    if let Some(Command::Check { agendas }) = &command {
        return check(agendas, lang);
    }
    let db = match cli.db {
        Some(path) => path,
        None => default_db(lang)?,
    };
    let mut store = Store::open(&db).map_err(|e| Failure::store(e, lang))?;
    let now = chrono::Utc::now().timestamp_millis();
    match command {
        None => {
            let setup = agenda::parse(agenda::DEMO, lang)
                .map_err(|_| Failure::other("the built-in demo agenda does not load".into()))?;
            let id = store
                .start_or_resume(setup, None, now)
                .map_err(|e| Failure::store(e, lang))?;
            show(&store, Some(id), lang)
        }
        Some(Command::Run { agenda: path }) => {
            let setup = agenda::load(&path, lang).map_err(|e| agenda_failure(e, &path))?;
            let name = path.display().to_string();
            let id = store
                .start_or_resume(setup, Some(&name), now)
                .map_err(|e| Failure::store(e, lang))?;
            show(&store, Some(id), lang)
        }
        Some(Command::Resume { meeting }) => show(&store, meeting, lang),
        Some(Command::Show { meeting }) => show(&store, meeting, lang),
        Some(Command::List) => {
            let rows = store.list().map_err(|e| Failure::store(e, lang))?;
            print!("{}", report::list(&rows, lang));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Verify) => match store.verify().map_err(|e| Failure::store(e, lang))? {
            v @ Verification::Intact { .. } => {
                println!("{}", report::verification(&v, lang));
                Ok(ExitCode::SUCCESS)
            }
            v => Err(Failure::other(report::verification(&v, lang))),
        },
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
                "找不到用户数据文件夹,请用 --db 指定数据库文件",
                "No user data folder found: give the database file with --db",
            )
            .into(),
        )
    })?;
    let dir = dirs.data_dir();
    std::fs::create_dir_all(dir).map_err(|e| {
        Failure::other(match lang {
            Lang::Zh => format!("无法创建数据文件夹 {}:{e}", dir.display()),
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
