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
    /// 按议程开会（已开始的会议则继续） / start a meeting from an agenda, or resume it
    Run {
        /// 议程文件 / agenda file (TOML)
        agenda: PathBuf,
    },
    /// 继续一场会议（退出、崩溃或断电后） / reopen a meeting after a quit, crash or power cut
    Resume {
        /// 会议编号（见 yishi list），默认最近一场 / meeting number, default the latest
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
        /// 会议编号，默认最近一场 / meeting number, default the latest
        meeting: Option<i64>,
    },
    /// 核验记录是否被改动 / check that the record was not edited behind yishi's back
    Verify {
        /// 纸质纪要或公示上的记录校验码 / the check code printed on signed minutes or a notice
        #[arg(long, value_name = "CODE")]
        expect: Option<String>,
    },
    /// 重新开启已结束的会议（须说明理由，记入记录） / reopen a closed meeting, with the reason on the record
    Reopen {
        /// 会议编号，默认最近一场 / meeting number, default the latest
        meeting: Option<i64>,
        /// 理由 / why it is reopened
        #[arg(long, required = true)]
        reason: String,
    },
    /// 议事成效统计：到会率、居民发言占比、议而不决、决而不行 / the figures a community reports on, per meeting
    Stats {
        /// 起始日期 / first day, YYYY-MM-DD
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: Option<String>,
        /// 截止日期 / last day, YYYY-MM-DD
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: Option<String>,
        /// 输出 JSON（纯数字）/ print plain numbers as JSON
        #[arg(long)]
        json: bool,
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
        /// 只列此状态 / only this status: open | in_progress | done | dropped
        #[arg(long)]
        status: Option<String>,
        /// 领办人（姓名的一部分即可）/ owner, or part of the name
        #[arg(long)]
        owner: Option<String>,
        /// 只列这场会议的 / only this meeting's
        #[arg(long, value_name = "N")]
        meeting: Option<i64>,
        /// 时限在此日期或之后 / due on or after, YYYY-MM-DD
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: Option<String>,
        /// 时限在此日期或之前 / due on or before, YYYY-MM-DD
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: Option<String>,
        /// 只列逾期未完成的 / only overdue ones
        #[arg(long)]
        overdue: bool,
        /// 输出 JSON / print JSON
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        command: Option<ActionsCommand>,
    },
    /// 记录人控制台：与主持人同时编辑记录、决议、保留意见 / the secretary's console beside the facilitator
    Secretary {
        /// 会议编号，默认最近一场 / meeting number, default the latest
        meeting: Option<i64>,
    },
    /// 投影大屏（只读，在第二个窗口打开） / the read-only projector view in a second window
    Projector {
        /// 会议编号，默认最近一场 / meeting number, default the latest
        meeting: Option<i64>,
    },
    /// 导出会议纪要、决议与待办 / export the minutes, resolutions and action items
    #[command(after_help = "\
md、html、csv、json、ics、popolo 不带 -o 时输出到标准输出；docx、xlsx 不带 -o 时写入当前文件夹，文件名取会议名称和日期；已有同名文件时不覆盖，除非加 --force。
csv 默认导出决议表（会议、议题、表决事项、规则、同意、反对、弃权、各选项得票、结果、决议、保留意见），--table actions 导出待办表（会议、议题、事项、责任人、完成时限、状态）。
xlsx 含「决议」「待办」两张表。--all 按日期导出多场会议：json 为数组，md/html/docx 每场之间分页，csv/xlsx 每行带会议名称。
popolo 按 Popolo 开放数据规范写出 JSON：会议与议题（Event）、参会人（Person）、表决事项（Motion）、每次表决（VoteEvent，含计数和记名表决的每人选择与面积）、发言（Speech），--all 的多场会议合为一份；加 --public 隐去姓名、不含电话，可公开发布。

Without -o, md, html, csv, json, ics and popolo go to standard output; docx and xlsx are
written to the current folder under the meeting's name and date; an existing file is never
replaced without --force.
CSV holds the resolutions (meeting, item, question, rule, yes, no, abstain, votes per option,
result, resolution, dissent) unless --table actions (meeting, item, what, owner, due,
status). The .xlsx has both sheets. --all exports every meeting in a date range: a JSON array, one
document per meeting with page breaks (md, html, docx), or rows with a meeting column (csv, xlsx).
popolo writes Popolo open data JSON: the meeting and its items (Event), participants (Person),
questions put to the vote (Motion), each tally (VoteEvent, with its counts and a roll call's
choices and areas) and speeches (Speech), the meetings of --all in one document; --public masks
the names and leaves out phone numbers, for publishing.")]
    Export {
        /// 会议编号，默认最近一场 / meeting number, default the latest
        meeting: Option<i64>,
        /// 格式 / format
        #[arg(long, short = 'f', default_value = "md", value_parser = ["md", "html", "docx", "xlsx", "csv", "json", "ics", "popolo"])]
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
        /// 覆盖已有文件 / overwrite an existing file
        #[arg(long)]
        force: bool,
        /// 公开发布版：隐去姓名，不含电话（用于 -f popolo）/ for publishing: names masked, no phone numbers (with -f popolo)
        #[arg(long)]
        public: bool,
    },
    /// 决议公示（隐去姓名、电话、证件号） / the public notice of resolutions, with no personal data
    Notice {
        /// 会议编号，默认最近一场 / meeting number, default the latest
        meeting: Option<i64>,
        /// 格式 / format
        #[arg(long, short = 'f', default_value = "text", value_parser = ["text", "md", "html"])]
        format: String,
        /// 输出文件 / output file
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// 公示日期，默认今天 / posting date, default today (YYYY-MM-DD)
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// 覆盖已有文件 / overwrite an existing file
        #[arg(long)]
        force: bool,
        /// 会前通知：由议程生成会议通知（时间、地点、议题、参会人员）/ the notice before the meeting, from its agenda
        #[arg(long, value_name = "FILE.toml", conflicts_with = "meeting")]
        agenda: Option<PathBuf>,
    },
    /// 准备会议：由名单和议题库生成议程 / prepare a meeting: write an agenda from a roster and the proposals
    Agenda {
        #[command(subcommand)]
        command: AgendaCommand,
    },
    /// 议题库：居民提出的议题及其筛选和去向 / the proposals residents raise, their screening and what became of them
    Proposals {
        #[command(subcommand)]
        command: ProposalsCommand,
    },
    /// 书面表决:录入收回的书面选票汇总表 / written ballots: record a sheet of collected ballots
    Ballots {
        #[command(subcommand)]
        command: BallotsCommand,
    },
    /// 生成命令行补全脚本 / print a shell completion script
    #[command(after_help = "\
例 / e.g.:  yishi completions bash > ~/.local/share/bash-completion/completions/yishi
           yishi completions zsh > ~/.zfunc/_yishi
           yishi completions fish > ~/.config/fish/completions/yishi.fish
           yishi completions powershell >> $PROFILE")]
    Completions {
        /// bash | zsh | fish | powershell
        #[arg(value_parser = ["bash", "zsh", "fish", "powershell", "elvish"])]
        shell: String,
    },
    /// 生成 man 手册页 / print the man page (roff)
    #[command(after_help = "例 / e.g.:  yishi manpage > ~/.local/share/man/man1/yishi.1")]
    Manpage,
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
pub enum BallotsCommand {
    /// 按汇总表记录一个议题的书面表决 / record an item's written ballots from a sheet
    #[command(after_help = "\
每行一张选票:房号或姓名(可两列都写),最后一列为 同意 / 反对 / 弃权;第一行可以是表头。
名单上没有的业主、重复的选票、无法识别的意见都会连同文件名和行号列出,一张也不记录。

Each row is one ballot: the unit or the owner's name (or both, in two columns), and last
同意 / 反对 / 弃权 (yes / no / abstain); the first row may be a header. Owners not on the list,
repeated ballots and unreadable choices are listed with the file and row, and nothing is recorded.")]
    Import {
        /// 第 N 个议题 / the N-th item
        #[arg(long, value_name = "N")]
        item: usize,
        /// [会议编号] 选票汇总表(.csv 或 .xlsx),会议默认最近一场 / [MEETING] the sheet (.csv or
        /// .xlsx); the meeting defaults to the latest
        #[arg(required = true, num_args = 1..=2, value_names = ["MEETING", "FILE"])]
        args: Vec<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ActionsCommand {
    /// 更新待办状态并记一笔进展 / update an action item's status, with a dated note
    Update {
        /// 待办编号，照 yishi actions 所列（如 1-2），或会议编号 / the action as yishi actions prints it (e.g. 1-2), or the meeting number
        #[arg(value_name = "ACTION")]
        meeting: String,
        /// 会议编号后的待办编号（写成 1-2 时不用） / the action number, when the meeting number is given alone
        #[arg(value_name = "N")]
        action: Option<u32>,
        /// open | in_progress | done | dropped，或 未开始 | 进行中 | 已完成 | 已撤销
        #[arg(long)]
        status: String,
        /// 进展说明 / a note on what was done
        #[arg(long)]
        note: Option<String>,
    },
    /// 用未完成和近期完成的待办生成评议会议程 / write an evaluation meeting agenda from open and recently finished actions
    Evaluation {
        /// 近期：此日期以来完成的（默认 90 天内） / finished since this date, YYYY-MM-DD (default: the last 90 days)
        #[arg(long)]
        since: Option<String>,
        /// 写入文件（默认打印） / write to this file (default: print)
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AgendaCommand {
    /// 生成一份能直接 check 和 run 的议程 / write an agenda that check and run take as it is
    #[command(after_help = "\
名单（.xlsx/.xls/.ods/.csv）第一行是表头，可用中文或英文列名：姓名/name，角色/身份/role（业主、居民代表、业委会、物业……，空白为居民），楼栋/单元/房号/unit，面积/建筑面积/area（平方米），电话/phone，是否表决/voter（是/否）。同一人占几行（几套房）合为一人，房号相连、面积相加。有问题的行按 文件:工作表:行:列 列出，全部改好才写入议程。

The roster's first row is its header, in Chinese or English: name, role (owner, resident_rep, owners_committee …; empty is a resident), unit (several columns such as building, entrance, flat are joined), area (square metres), phone, voter (yes/no). One person on several rows (several flats) becomes one participant with the units listed and the areas added. Rows with problems are listed as FILE:SHEET:ROW:COLUMN and nothing is written until all are fixed.")]
    New {
        /// 写入的议程文件 / the agenda file to write
        #[arg(short, long, value_name = "FILE.toml")]
        output: PathBuf,
        /// 会议类型 / meeting kind: consultation | residents_meeting | representatives_meeting | owners_meeting | owners_committee_meeting | hearing | coordination | evaluation
        #[arg(long, default_value = "consultation")]
        kind: String,
        /// 会议名称 / the meeting's title
        #[arg(long)]
        title: String,
        /// 开始时间 / when it starts: "2026-12-12 19:00" or RFC 3339
        #[arg(long, value_name = "TIME")]
        starts: Option<String>,
        /// 地点 / where
        #[arg(long)]
        place: Option<String>,
        /// 主持人 / the host
        #[arg(long)]
        host: Option<String>,
        /// 记录人 / the recorder
        #[arg(long)]
        recorder: Option<String>,
        /// 参会人名单 / the participant roster, .xlsx or .csv
        #[arg(long, value_name = "FILE")]
        roster: Option<PathBuf>,
        /// 议题库中已受理的议题编号 / accepted proposals to put on the agenda, e.g. 3,5
        #[arg(long, value_name = "N,N", value_delimiter = ',')]
        proposals: Vec<u32>,
        /// 另加的议题（可多次）/ another item (repeatable)
        #[arg(long, value_name = "TITLE")]
        item: Vec<String>,
        /// 覆盖已有文件 / overwrite an existing file
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProposalsCommand {
    /// 登记一个居民提出的议题 / file a topic a resident raised
    Add {
        /// 议题 / what it is about
        title: String,
        /// 提出人 / who raised it
        #[arg(long, value_name = "NAME")]
        by: String,
        /// 渠道 / how it came in: 接待走访 | 议事厅 | 信箱 | 线上 | 其他
        #[arg(long, default_value = "其他")]
        channel: String,
        /// 议题类型 / kind: policy | public_affairs | dispute | neighbour_dispute | other
        #[arg(long, default_value = "public_affairs")]
        kind: String,
        /// 说明 / a note
        #[arg(long)]
        note: Option<String>,
    },
    /// 列出议题及其现状（延期、议而未决的也在其中）/ list proposals and where each stands
    List {
        /// 只列此状态 / only this status: raised | accepted | rejected | scheduled | discussed | decided | undecided | deferred | action | evaluated
        #[arg(long)]
        status: Option<String>,
        /// 输出 JSON / print JSON
        #[arg(long)]
        json: bool,
    },
    /// 议事会筛选：是否受理（理由记入记录）/ the committee's screening, with its reason on record
    Screen {
        /// 议题编号 / proposal number
        id: u32,
        /// 受理 / accept it for consultation
        #[arg(long, conflicts_with = "reject", required_unless_present = "reject")]
        accept: bool,
        /// 不予受理 / reject it
        #[arg(long)]
        reject: bool,
        /// 理由 / why
        #[arg(long, required = true)]
        reason: String,
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
