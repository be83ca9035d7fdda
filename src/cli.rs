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
    /// 待办事项跟进(跨会议,逾期在前)/ follow-up of action items across meetings, overdue first
    Actions {
        /// 同时列出已完成和已撤销的 / also list done and dropped items
        #[arg(long)]
        all: bool,
        #[command(subcommand)]
        command: Option<ActionsCommand>,
    },
    /// 记录人控制台:与主持人同时编辑记录、决议、保留意见 / the secretary's console beside the facilitator
    Secretary {
        /// 会议编号,默认最近一场 / meeting number, default the latest
        meeting: Option<i64>,
    },
    /// 投影大屏(只读,在第二个窗口打开)/ the read-only projector view in a second window
    Projector {
        /// 会议编号,默认最近一场 / meeting number, default the latest
        meeting: Option<i64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ActionsCommand {
    /// 更新待办状态并记一笔进展 / update an action item's status, with a dated note
    Update {
        /// 会议编号 / meeting number
        meeting: i64,
        /// 待办编号(yishi actions 中 会议-编号 的后一半)/ action number (the part after the dash)
        action: u32,
        /// open | in_progress | done | dropped
        #[arg(long)]
        status: String,
        /// 进展说明 / a note on what was done
        #[arg(long)]
        note: Option<String>,
    },
    /// 用未完成和近期完成的待办生成评议会议程 / write an evaluation meeting agenda from open and recently finished actions
    Evaluation {
        /// 近期:此日期以来完成的(默认 90 天内)/ finished since this date, YYYY-MM-DD (default: the last 90 days)
        #[arg(long)]
        since: Option<String>,
        /// 写入文件(默认打印)/ write to this file (default: print)
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}
