//! The command line (clap). Help texts are given in both languages.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "yishi",
    version,
    about = "议事 — 社区协商议事会的现场主持、签到、发言计时、表决与会议纪要\nRun a live community consultation meeting: attendance, speakers, votes, minutes",
    long_about = None,
    after_help = "不带子命令运行时打开内置的演示会议。\nWith no command, yishi opens the built-in demo meeting."
)]
pub struct Cli {
    /// 数据库文件 / the database file [default: a file in your data folder]
    #[arg(long, global = true, env = "YISHI_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// 界面语言 / language: zh-CN | en [default: from the environment]
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 按议程开会(已开始的会议则继续)/ start a meeting from an agenda, or resume it
    Run {
        /// 议程文件 / agenda file (TOML)
        agenda: PathBuf,
    },
    /// 继续一场会议(退出、崩溃或断电后)/ reopen a meeting after a quit, crash or power cut
    Resume {
        /// 会议编号(见 yishi list),默认最近一场 / meeting number, default the latest
        meeting: Option<i64>,
    },
    /// 检查议程文件 / validate agenda files
    Check {
        /// 议程文件 / agenda files
        #[arg(required = true)]
        agendas: Vec<PathBuf>,
    },
    /// 列出数据库中的会议 / list the meetings in the database
    List,
    /// 会议摘要 / a summary of a meeting
    Show {
        /// 会议编号,默认最近一场 / meeting number, default the latest
        meeting: Option<i64>,
    },
    /// 核验记录是否被改动 / check that the record was not edited behind yishi's back
    Verify,
    /// 把整个数据库备份到一个文件 / copy the whole database to a file
    Backup {
        /// 备份文件 / the backup file to write
        path: PathBuf,
        /// 覆盖已有文件 / overwrite an existing file
        #[arg(long)]
        force: bool,
    },
}
