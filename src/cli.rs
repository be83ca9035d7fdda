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
    Verify {
        /// 纸质纪要或公示上的记录校验码 / the check code printed on signed minutes or a notice
        #[arg(long, value_name = "CODE")]
        expect: Option<String>,
    },
    /// 重新开启已结束的会议(须说明理由,记入记录)/ reopen a closed meeting, with the reason on the record
    Reopen {
        /// 会议编号,默认最近一场 / meeting number, default the latest
        meeting: Option<i64>,
        /// 理由 / why it is reopened
        #[arg(long, required = true)]
        reason: String,
    },
    /// 议事成效统计：到会率、居民发言占比、议而不决、决而不行 / the figures a community reports on, per meeting
    Stats {
        /// 按社区汇总并给出合计(街道汇总文件)/ per committee and in total (for a district file)
        #[arg(long)]
        by_site: bool,
    },
    /// 登记本数据库所属的社区(只能登记一次)/ register the committee this database belongs to (once)
    Site {
        #[command(subcommand)]
        command: SiteCommand,
    },
    /// 街道汇总:把各社区的备份合并到一个文件 / a district's combined record of its committees' files
    District {
        #[command(subcommand)]
        command: DistrictCommand,
    },
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
    /// 导出会议纪要、决议与待办 / export the minutes, resolutions and action items
    #[command(after_help = "\
md、html、csv、json 不带 -o 时输出到标准输出;docx、xlsx 不带 -o 时写入当前文件夹,文件名取会议名称和日期。
csv 默认导出决议表(会议、议题、表决事项、规则、同意、反对、弃权、结果、决议),--table actions 导出待办表(会议、议题、事项、责任人、完成时限、状态)。
xlsx 含「决议」「待办」两张表。--all 按日期导出多场会议:json 为数组,md/html/docx 每场之间分页,csv/xlsx 每行带会议名称。

Without -o, md, html, csv and json go to standard output; docx and xlsx are written to the current
folder under the meeting's name and date. CSV holds the resolutions (meeting, item, question, rule,
yes, no, abstain, result, resolution) unless --table actions (meeting, item, what, owner, due,
status). The .xlsx has both sheets. --all exports every meeting in a date range: a JSON array, one
document per meeting with page breaks (md, html, docx), or rows with a meeting column (csv, xlsx).")]
    Export {
        /// 会议编号,默认最近一场 / meeting number, default the latest
        meeting: Option<i64>,
        /// 格式 / format
        #[arg(long, short = 'f', default_value = "md", value_parser = ["md", "html", "docx", "xlsx", "csv", "json", "ics"])]
        format: String,
        /// 输出文件 / output file
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// 只导出第 N 个议题 / only the N-th item
        #[arg(long, value_name = "N")]
        item: Option<usize>,
        /// 导出日期范围内的所有会议 / every meeting in the date range
        #[arg(long, conflicts_with_all = ["meeting", "item"])]
        all: bool,
        /// 起始日期 / first day, YYYY-MM-DD
        #[arg(long, value_name = "YYYY-MM-DD", requires = "all")]
        from: Option<String>,
        /// 截止日期 / last day, YYYY-MM-DD
        #[arg(long, value_name = "YYYY-MM-DD", requires = "all")]
        to: Option<String>,
        /// CSV 导出哪张表 / which table a CSV holds
        #[arg(long, default_value = "resolutions", value_parser = ["resolutions", "actions"])]
        table: String,
    },
    /// 决议公示(隐去姓名、电话、证件号)/ the public notice of resolutions, with no personal data
    Notice {
        /// 会议编号,默认最近一场 / meeting number, default the latest
        meeting: Option<i64>,
        /// 格式 / format
        #[arg(long, short = 'f', default_value = "text", value_parser = ["text", "md", "html"])]
        format: String,
        /// 输出文件 / output file
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// 公示日期,默认今天 / posting date, default today (YYYY-MM-DD)
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// 把整个数据库备份到一个文件 / copy the whole database to a file
    Backup {
        /// 备份文件 / the backup file to write
        path: PathBuf,
        /// 覆盖已有文件 / overwrite an existing file
        #[arg(long)]
        force: bool,
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

#[derive(Debug, Subcommand)]
pub enum SiteCommand {
    /// 登记社区代码和名称 / set the committee's code and name
    Set {
        /// 社区代码,如统计用区划代码;不填则生成一个 / e.g. the statistical area code; generated if left out
        #[arg(long)]
        code: Option<String>,
        /// 社区(居委会)名称 / the committee's name
        #[arg(long)]
        name: String,
        /// 所属街道 / the sub-district it belongs to
        #[arg(long)]
        district: Option<String>,
    },
    /// 显示已登记的社区 / show the registered committee
    Show,
}

#[derive(Debug, Subcommand)]
pub enum DistrictCommand {
    /// 核验并导入各社区的备份(可重复导入,新的替换旧的)/ verify and import committees' backups (again is harmless; newer replaces older)
    Import {
        /// 各社区的数据库或备份文件 / the committees' database or backup files
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 街道汇总文件 / the district file [default: district.db]
        #[arg(long, value_name = "FILE", default_value = "district.db")]
        into: PathBuf,
    },
}
