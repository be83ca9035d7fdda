//! The meeting as it happens. Every change goes through one path: a `Command` is checked
//! against the `State` (`decide`), becomes one `Event`, and the event is folded into the state
//! (`fold`). The same events replayed give the same state, which is how the record, the
//! console, the projector and the tests agree. Undo is an event that takes an earlier one back.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::model::{
    Area, ItemId, ItemKind, ItemSpec, MeetingSpec, Millis, Participant, ParticipantId, Role,
    RoleGroup, Setup, keyed_enum,
};
use super::quorum::{Quorum, QuorumCheck};
use super::shared::{SharedMap, SharedVec};
use super::tally::{self, Choice, Electorate, Method, Outcome, Rule, TallyError, Votes, Weight};
use super::text::{self, Saved};
use super::timer::Stopwatch;
use crate::lang::Lang;

keyed_enum! {
    /// 签到 status of one person.
    Presence {
        Present = "present", "到场", "present";
        Online = "online", "线上", "online";
        Proxy = "proxy", "委托", "proxy";
        Leave = "leave", "请假", "excused";
        Absent = "absent", "缺席", "absent";
    }
}

impl Presence {
    /// Counts towards 实到 (and may vote). 请假 is excused, but not there.
    pub fn attends(self) -> bool {
        matches!(self, Presence::Present | Presence::Online | Presence::Proxy)
    }
}

keyed_enum! {
    /// Where an item stands on the agenda.
    ItemStatus {
        Pending = "pending", "待议", "pending";
        Current = "current", "进行中", "current";
        Discussed = "discussed", "已议", "discussed";
        Deferred = "deferred", "延期", "deferred";
    }
}

keyed_enum! {
    /// Why someone is on the speaker list.
    SpeechKind {
        Speech = "speech", "发言", "speech";
        Reply = "reply", "简短回应", "short reply";
        PointOfOrder = "point_of_order", "程序动议", "point of order";
    }
}

keyed_enum! {
    /// The minutes texts an editor writes.
    TextField {
        Minutes = "minutes", "会议记录", "minutes";
        Resolution = "resolution", "决议", "resolution";
    }
}

keyed_enum! {
    /// Follow-up of an action item: 决而不行 shows as open past its due date.
    ActionStatus {
        Open = "open", "未开始", "open";
        InProgress = "in_progress", "进行中", "in progress";
        Done = "done", "已完成", "done";
        Dropped = "dropped", "已撤销", "dropped";
    }
}

keyed_enum! {
    /// Which console an action came from; undo takes back the last action of the same console.
    Origin {
        Facilitator = "facilitator", "主持人", "facilitator";
        Secretary = "secretary", "记录人", "secretary";
        Cli = "cli", "命令行", "command line";
    }
}

/// Which console did something: the seat's slot (`facilitator`, `secretary-2`, `cli`), the
/// same across restarts so a console finds its own drafts again after a crash, and the run
/// (one start of the program), so that undo never reaches into an earlier run unasked.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Console {
    pub slot: String,
    pub run: String,
}

impl Console {
    pub fn new(slot: impl Into<String>, run: impl Into<String>) -> Console {
        Console {
            slot: slot.into(),
            run: run.into(),
        }
    }

    /// `slot/run`, as the log's `console` column holds it.
    pub fn key(&self) -> String {
        format!("{}/{}", self.slot, self.run)
    }

    pub fn parse(key: &str) -> Option<Console> {
        let (slot, run) = key.split_once('/')?;
        (!slot.is_empty()).then(|| Console::new(slot, run))
    }
}

/// Replies and points of order are short.
pub const SHORT_SPEECH_SECS: u32 = 60;

/// Someone waiting to speak on the current item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueEntry {
    pub participant: ParticipantId,
    pub kind: SpeechKind,
}

/// One speech, running or finished.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Speech {
    pub id: u32,
    pub item: ItemId,
    pub participant: ParticipantId,
    pub kind: SpeechKind,
    pub started_at: Millis,
    pub limit_secs: u32,
    pub timer: Stopwatch,
    #[serde(default)]
    pub ended_at: Option<Millis>,
    /// 发言要点: what the speaker said, in a line the secretary typed.
    #[serde(default)]
    pub note: String,
}

impl Speech {
    pub fn elapsed(&self, now: Millis) -> Millis {
        self.timer.elapsed(now)
    }
}

/// A 保留意见, named where the person is known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dissent {
    #[serde(default)]
    pub participant: Option<ParticipantId>,
    pub name: Option<String>,
    pub text: String,
}

/// One agenda item in the room.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: ItemId,
    pub spec: ItemSpec,
    pub added_in_room: bool,
    pub status: ItemStatus,
    pub timer: Stopwatch,
    pub queue: Vec<QueueEntry>,
    pub minutes: String,
    pub resolution: String,
    pub dissent: Vec<Dissent>,
}

impl Item {
    /// The agenda's background of the item (背景), when it gives one.
    pub fn description(&self) -> Option<&str> {
        self.spec
            .description
            .as_deref()
            .filter(|d| !d.trim().is_empty())
    }

    /// A saved text field.
    pub fn text(&self, field: TextField) -> &str {
        match field {
            TextField::Minutes => &self.minutes,
            TextField::Resolution => &self.resolution,
        }
    }

    /// The dissent as its editor shows it: one `姓名：意见` a line.
    pub fn dissent_text(&self) -> String {
        self.dissent
            .iter()
            .map(|d| match &d.name {
                Some(n) => format!("{n}\u{ff1a}{}", d.text),
                None => d.text.clone(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The input of a vote: counts from a show of hands, or one choice per person (roll call).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TallyInput {
    Counts {
        yes: u32,
        no: u32,
        abstain: u32,
    },
    Options {
        counts: Vec<u32>,
        abstain: u32,
    },
    RollCall {
        ballots: Vec<(ParticipantId, Choice)>,
    },
}

/// A vote as recorded, with its result: the record keeps the result as it was decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteRecord {
    pub id: u32,
    pub item: ItemId,
    pub question: String,
    pub rule: Rule,
    pub method: Method,
    #[serde(default)]
    pub options: Vec<String>,
    pub votes: Votes,
    /// Roll call: who chose what.
    #[serde(default)]
    pub ballots: Vec<(ParticipantId, Choice)>,
    /// 计票人, 监票人.
    #[serde(default)]
    pub tellers: Vec<String>,
    pub electorate: Electorate,
    pub outcome: Outcome,
    pub superseded: bool,
    pub at: Millis,
}

impl VoteRecord {
    /// The number the rule counted the vote against (those present, all eligible, the votes
    /// cast, the owners taking part): each count's share is of it, so the figures read as the
    /// rule decided them, on the console, the projector and paper alike.
    pub fn share_base(&self) -> u32 {
        use super::tally::BaseKind;
        match self.outcome.base {
            BaseKind::Present | BaseKind::Options => self.electorate.present,
            BaseKind::Eligible => self.electorate.eligible,
            BaseKind::Cast | BaseKind::Participating => self.outcome.base_count,
        }
    }
}

/// A dated note on an action item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionNote {
    pub at: Millis,
    pub status: ActionStatus,
    pub text: String,
}

/// 领办: what is to be done, who takes it, by when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionItem {
    pub id: u32,
    pub item: ItemId,
    pub what: String,
    pub owner: String,
    /// YYYY-MM-DD.
    pub due: Option<String>,
    pub status: ActionStatus,
    pub created_at: Millis,
    pub notes: Vec<ActionNote>,
}

/// What the facilitator, the secretary or the command line asks for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "command")]
pub enum Command {
    SetPresence {
        participant: ParticipantId,
        presence: Presence,
        /// For a proxy: who holds it (受托人).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        holder: Option<String>,
        /// For 请假: why.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    AddWalkIn {
        name: String,
        role: Role,
        unit: Option<String>,
        voter: bool,
        /// An owner's exclusive area, given at the door: without it a walk-in does not take
        /// part under an owners' rule.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        area: Option<Area>,
        /// Why the walk-in may not vote, when that is known at the door.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        not_entitled: Option<String>,
    },
    NextItem,
    PreviousItem,
    /// Defer an item to a later meeting, or take a deferral back.
    ToggleDefer {
        item: ItemId,
    },
    /// 临时动议: an item raised in the room, placed after the current one.
    AddItem {
        title: String,
    },
    QueueSpeaker {
        participant: ParticipantId,
        kind: SpeechKind,
    },
    Unqueue {
        index: usize,
    },
    MoveQueued {
        index: usize,
        up: bool,
    },
    /// Those who have not spoken on this item go first (stable).
    NewSpeakersFirst,
    /// Ends a running speech and starts the first in the queue.
    StartNextSpeaker,
    TogglePause,
    EndSpeech,
    RecordVote {
        item: ItemId,
        rule: Option<Rule>,
        method: Method,
        input: TallyInput,
        tellers: Vec<String>,
    },
    /// Saves a text field. `base` is the text the editor started from: when another console
    /// saved the field since, the two are merged instead of one replacing the other.
    SetText {
        item: ItemId,
        field: TextField,
        text: String,
        #[serde(default)]
        base: Option<String>,
    },
    SetDissent {
        item: ItemId,
        text: String,
        #[serde(default)]
        base: Option<String>,
    },
    AddAction {
        item: ItemId,
        what: String,
        owner: String,
        due: Option<String>,
    },
    UpdateAction {
        action: u32,
        status: ActionStatus,
        note: Option<String>,
    },
    EndMeeting,
    /// A closed meeting is final; changing it takes this, with the reason on the record.
    Reopen {
        reason: String,
    },
    /// Takes back this console's last action of this run.
    Undo,
    /// Takes back an action of an earlier run of this console (after a crash), once the
    /// screen has said whose and when.
    UndoEarlier {
        target: usize,
    },
    /// 发言要点: a one-line note on a speech (running or ended); an empty note clears it.
    SetSpeechNote {
        speech: u32,
        note: String,
    },
}

/// What happened, as recorded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "change")]
pub enum Change {
    Opened {
        setup: Box<Setup>,
        /// The opener's offset from UTC in seconds: readable times are written in it, so the
        /// record reads the same on any machine.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        utc_offset: Option<i32>,
        /// The agenda file the meeting was started from.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agenda_file: Option<String>,
        /// The meeting's globally unique id (a UUIDv7), so records from several committees
        /// can be combined. Meetings opened before it was kept get one derived from their
        /// first entry's hash when the log is read.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        uid: Option<String>,
    },
    PresenceSet {
        participant: ParticipantId,
        presence: Presence,
        /// A proxy's holder (受托人), as named when it was given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        holder: Option<String>,
        /// Why someone is excused (请假).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    WalkInAdded {
        participant: Box<Participant>,
    },
    /// The current item moved (`to` is an index into the agenda).
    ItemMoved {
        to: usize,
    },
    DeferToggled {
        item: ItemId,
        /// The index of the item that becomes current, when the deferred one was current.
        #[serde(default)]
        next: Option<usize>,
    },
    ItemAdded {
        id: ItemId,
        position: usize,
        title: String,
    },
    SpeakerQueued {
        entry: QueueEntry,
    },
    SpeakerUnqueued {
        index: usize,
    },
    SpeakerMoved {
        index: usize,
        up: bool,
    },
    QueueReordered {
        queue: Vec<QueueEntry>,
    },
    SpeechStarted {
        id: u32,
        entry: QueueEntry,
        limit_secs: u32,
    },
    SpeechPaused,
    SpeechResumed,
    SpeechEnded,
    VoteRecorded {
        vote: Box<VoteRecord>,
    },
    TextSet {
        item: ItemId,
        field: TextField,
        text: String,
        /// Another console had saved the field since this one's editor opened: both kept.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        merged: bool,
    },
    DissentSet {
        item: ItemId,
        entries: Vec<Dissent>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        merged: bool,
    },
    ActionAdded {
        action: Box<ActionItem>,
    },
    ActionUpdated {
        action: u32,
        note: ActionNote,
    },
    MeetingEnded,
    Reopened {
        reason: String,
    },
    /// Takes back the event at this position of the log.
    Undone {
        target: usize,
    },
    SpeechNoteSet {
        speech: u32,
        note: String,
    },
    /// An older entry read without its content, when the meeting was opened from a snapshot
    /// of its state: never stored, never folded; [`Meeting::hydrate`] puts the content back.
    #[serde(skip)]
    Elided,
}

impl Change {
    /// What the action was, in a few words, as undo names it.
    pub fn label(&self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Change::Opened { .. } => ("开始会议", "opening the meeting"),
            Change::PresenceSet { .. } => ("签到", "attendance"),
            Change::WalkInAdded { .. } => ("添加临时到场人员", "adding a walk-in"),
            Change::ItemMoved { .. } => ("切换议题", "moving to another item"),
            Change::DeferToggled { .. } => ("延期议题", "deferring an item"),
            Change::ItemAdded { .. } => ("增加临时议题", "adding an item"),
            Change::SpeakerQueued { .. } => ("加入发言队列", "queueing a speaker"),
            Change::SpeakerUnqueued { .. } => ("移出发言队列", "removing a speaker"),
            Change::SpeakerMoved { .. } | Change::QueueReordered { .. } => {
                ("调整发言顺序", "reordering the queue")
            }
            Change::SpeechStarted { .. } => ("开始发言", "starting a speech"),
            Change::SpeechPaused => ("暂停发言", "pausing a speech"),
            Change::SpeechResumed => ("继续发言", "resuming a speech"),
            Change::SpeechEnded => ("结束发言", "ending a speech"),
            Change::VoteRecorded { .. } => ("记录表决", "recording a vote"),
            Change::TextSet {
                field: TextField::Minutes,
                ..
            } => ("保存会议记录", "saving the minutes"),
            Change::TextSet { .. } => ("保存决议", "saving the resolution"),
            Change::DissentSet { .. } => ("保存保留意见", "saving the dissent"),
            Change::ActionAdded { .. } => ("添加待办事项", "adding an action item"),
            Change::ActionUpdated { .. } => ("更新待办事项", "updating an action item"),
            Change::MeetingEnded => ("宣布散会", "closing the meeting"),
            Change::Reopened { .. } => ("重新开启会议", "reopening the meeting"),
            Change::Undone { .. } => ("撤销", "undo"),
            Change::SpeechNoteSet { .. } => ("保存发言要点", "saving a speech note"),
            Change::Elided => ("较早的操作", "an earlier action"),
        };
        lang.pick(zh, en)
    }

    /// The key stored in the log's `kind` column.
    pub fn key(&self) -> &'static str {
        match self {
            Change::Opened { .. } => "opened",
            Change::PresenceSet { .. } => "presence_set",
            Change::WalkInAdded { .. } => "walk_in_added",
            Change::ItemMoved { .. } => "item_moved",
            Change::DeferToggled { .. } => "defer_toggled",
            Change::ItemAdded { .. } => "item_added",
            Change::SpeakerQueued { .. } => "speaker_queued",
            Change::SpeakerUnqueued { .. } => "speaker_unqueued",
            Change::SpeakerMoved { .. } => "speaker_moved",
            Change::QueueReordered { .. } => "queue_reordered",
            Change::SpeechStarted { .. } => "speech_started",
            Change::SpeechPaused => "speech_paused",
            Change::SpeechResumed => "speech_resumed",
            Change::SpeechEnded => "speech_ended",
            Change::VoteRecorded { .. } => "vote_recorded",
            Change::TextSet { .. } => "text_set",
            Change::DissentSet { .. } => "dissent_set",
            Change::ActionAdded { .. } => "action_added",
            Change::ActionUpdated { .. } => "action_updated",
            Change::MeetingEnded => "meeting_ended",
            Change::Reopened { .. } => "reopened",
            Change::Undone { .. } => "undone",
            Change::SpeechNoteSet { .. } => "speech_note_set",
            Change::Elided => "elided",
        }
    }
}

/// One entry of the meeting's log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub at: Millis,
    pub origin: Origin,
    /// The console it came from; entries of older records have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub console: Option<Console>,
    pub change: Change,
}

/// A command that cannot be carried out, in words a facilitator understands.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum DomainError {
    #[error("no item is being discussed")]
    NoCurrentItem,
    #[error("no such item")]
    NoSuchItem,
    #[error("no such participant")]
    NoSuchParticipant,
    #[error("{0} is not signed in")]
    NotPresent(String),
    #[error("{0} is already waiting to speak")]
    AlreadyQueued(String),
    #[error("no such place in the queue")]
    NotQueued,
    #[error("nobody is waiting to speak")]
    QueueEmpty,
    #[error("nobody is speaking")]
    NoSpeech,
    #[error("already at the last item")]
    AtLastItem,
    #[error("already at the first item")]
    AtFirstItem,
    #[error("quorum not met")]
    QuorumNotMet(QuorumCheck),
    #[error("this rule needs a roll call")]
    NeedsRollCall,
    #[error("{0} is not a voter present")]
    NotAVoterPresent(String),
    #[error("tally: {0}")]
    Tally(TallyError),
    #[error("{0} is empty")]
    Empty(&'static str),
    #[error("not a date: {0}")]
    BadDate(String),
    #[error("{0} is already on the list")]
    DuplicateName(String),
    #[error("no such action item")]
    NoSuchAction,
    #[error("nothing to undo")]
    NothingToUndo,
    #[error("the meeting is closed")]
    MeetingClosed,
    #[error("the meeting is not closed")]
    NotClosed,
    #[error("the log must start with the meeting's opening")]
    NotOpened,
    #[error("this kind of meeting takes no proxies")]
    ProxyNotAllowed(super::model::MeetingKind),
    #[error("a proxy must name its holder")]
    ProxyNeedsHolder,
    #[error("{holder} already holds {max} proxies")]
    TooManyProxies { holder: String, max: u32 },
    #[error("{name} is not entitled to vote: {reason}")]
    NotEntitled { name: String, reason: String },
    #[error("no such speech")]
    NoSuchSpeech,
}

impl DomainError {
    pub fn describe(&self, lang: Lang) -> String {
        use DomainError::*;
        match self {
            NoCurrentItem => lang
                .pick(
                    "当前没有进行中的议题，请先按 n 开始议题",
                    "No item is under discussion: press n to start one",
                )
                .into(),
            NoSuchItem => lang.pick("没有这个议题", "There is no such item").into(),
            NoSuchParticipant => lang
                .pick("名单上没有这个人", "That person is not on the list")
                .into(),
            NotPresent(n) => match lang {
                Lang::Zh => format!("{n} 尚未签到，请先在签到中标记"),
                Lang::En => format!("{n} is not signed in: mark them in attendance first"),
            },
            AlreadyQueued(n) => match lang {
                Lang::Zh => format!("{n} 已在发言队列中"),
                Lang::En => format!("{n} is already waiting to speak"),
            },
            NotQueued => lang
                .pick("发言队列中没有这一位", "No such place in the speaker queue")
                .into(),
            QueueEmpty => lang
                .pick(
                    "发言队列为空，按 s 添加发言人",
                    "Nobody is waiting to speak: press s to add a speaker",
                )
                .into(),
            NoSpeech => lang.pick("当前没有人在发言", "Nobody is speaking").into(),
            AtLastItem => lang
                .pick("已是最后一个议题", "This is the last item")
                .into(),
            AtFirstItem => lang.pick("已是第一个议题", "This is the first item").into(),
            QuorumNotMet(check) => match lang {
                Lang::Zh => format!("未达法定人数，不能表决：{}", check.describe(lang)),
                Lang::En => format!(
                    "Quorum not met, no vote can be taken: {}",
                    check.describe(lang)
                ),
            },
            NeedsRollCall => lang
                .pick(
                    "该表决规则需按面积和人数逐人记名计票",
                    "This rule counts area and heads: take a roll call",
                )
                .into(),
            NotAVoterPresent(n) => match lang {
                Lang::Zh => format!("{n} 不是到会的表决人"),
                Lang::En => format!("{n} is not a voter present"),
            },
            Tally(e) => e.describe(lang),
            Empty(what) => match lang {
                Lang::Zh => format!("{}不能为空", zh_field(what)),
                Lang::En => en_field(what).to_string(),
            },
            BadDate(d) => match lang {
                Lang::Zh => format!("日期 \"{d}\" 无效，请按 YYYY-MM-DD 填写，如 2026-12-31"),
                Lang::En => format!("\"{d}\" is not a date: write YYYY-MM-DD, e.g. 2026-12-31"),
            },
            DuplicateName(n) => match lang {
                Lang::Zh => format!("名单上已有 {n}"),
                Lang::En => format!("{n} is already on the list"),
            },
            NoSuchAction => lang
                .pick("没有这个待办事项", "There is no such action item")
                .into(),
            NothingToUndo => lang
                .pick(
                    "本控制台在这次运行中没有可以撤销的操作",
                    "This console has nothing to undo in this run",
                )
                .into(),
            MeetingClosed => lang
                .pick(
                    "会议已经结束，记录已定稿，不能再修改；确需修改时用 yishi reopen 说明理由后重新开启",
                    "The meeting is closed and its record final: to change it, reopen it with yishi reopen and a reason",
                )
                .into(),
            NotClosed => lang
                .pick("会议尚未结束，无需重新开启", "The meeting is not closed: nothing to reopen")
                .into(),
            NotOpened => lang
                .pick(
                    "记录损坏：日志不是以会议开始为首",
                    "The record is damaged: its log does not start with the meeting",
                )
                .into(),
            ProxyNotAllowed(kind) => match lang {
                Lang::Zh => format!("{}不接受委托：委员须本人出席，不能委托代理人", kind.label(lang)),
                Lang::En => format!(
                    "An {} takes no proxies: members attend in person and cannot send a proxy",
                    kind.label(lang)
                ),
            },
            ProxyNeedsHolder => lang
                .pick(
                    "委托须写明受托人（代为出席的人）",
                    "A proxy must name its holder (who attends in their place)",
                )
                .into(),
            TooManyProxies { holder, max } => match lang {
                Lang::Zh => format!("{holder} 已接受 {max} 份委托，达到每人最多 {max} 份的上限"),
                Lang::En => format!(
                    "{holder} already holds {max} proxies, the most one holder may hold"
                ),
            },
            NotEntitled { name, reason } => match lang {
                Lang::Zh => format!("{name} 不参加业主表决：{reason}"),
                Lang::En => format!("{name} does not take part in the owners' vote: {reason}"),
            },
            NoSuchSpeech => lang
                .pick(
                    "没有可记要点的发言：先开始一段发言",
                    "There is no speech to note: start a speech first",
                )
                .into(),
        }
    }
}

fn en_field(what: &str) -> &'static str {
    match what {
        "name" => "Type a name: it cannot be empty",
        "title" => "Type the item's title: it cannot be empty",
        "what" => "Say what is to be done: it cannot be empty",
        "owner" => "Name who takes it on: the owner cannot be empty",
        _ => "This cannot be empty",
    }
}

fn zh_field(what: &str) -> &'static str {
    match what {
        "name" => "姓名",
        "title" => "议题名称",
        "what" => "事项内容",
        "owner" => "责任人",
        "reason" => "理由",
        _ => "内容",
    }
}

/// The voters signed in (in the room, online or by proxy) and the walk-ins among them, and
/// the voters on the list (应到 where the agenda gives no number).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct SignedIn {
    voters: u32,
    walk_ins: u32,
    listed: u32,
}

impl SignedIn {
    fn plus(self, o: SignedIn) -> SignedIn {
        SignedIn {
            voters: self.voters + o.voters,
            walk_ins: self.walk_ins + o.walk_ins,
            listed: self.listed + o.listed,
        }
    }

    fn minus(self, o: SignedIn) -> SignedIn {
        SignedIn {
            voters: self.voters.saturating_sub(o.voters),
            walk_ins: self.walk_ins.saturating_sub(o.walk_ins),
            listed: self.listed.saturating_sub(o.listed),
        }
    }
}

/// Everything about the meeting at one moment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub meeting: MeetingSpec,
    pub participants: SharedVec<Participant>,
    pub attendance: SharedMap<Presence>,
    pub items: SharedVec<Item>,
    /// Index into `items` of the item under discussion.
    pub current: Option<usize>,
    pub opened_at: Millis,
    /// When the first item was taken up.
    pub started_at: Option<Millis>,
    pub ended_at: Option<Millis>,
    /// The speech under way, running or paused.
    pub speech: Option<Speech>,
    pub speeches: SharedVec<Speech>,
    pub votes: SharedVec<VoteRecord>,
    pub actions: SharedVec<ActionItem>,
    /// The opener's offset from UTC, in seconds (records before it was kept have none).
    #[serde(default)]
    pub utc_offset: Option<i32>,
    #[serde(default)]
    pub agenda_file: Option<String>,
    /// The meeting's globally unique id (see `Change::Opened`).
    #[serde(default)]
    pub uid: Option<String>,
    /// When a closed meeting was opened again, and why.
    #[serde(default)]
    pub reopened: Vec<(Millis, String)>,
    /// Who holds each proxy (委托人 → 受托人), where it was named.
    #[serde(default)]
    pub proxy_holders: BTreeMap<ParticipantId, String>,
    /// Why each excused person is away (请假).
    #[serde(default)]
    pub leave_reasons: BTreeMap<ParticipantId, String>,
    /// Whoever has spoken while not on the agenda's list (a walk-in, or one taken back): an
    /// undo that adds or takes back a walk-in rewrites their speeches' rows, and looks for
    /// them only when they are here. Not stored: made again from the speeches on reading
    /// ([`State::from_json`]).
    #[serde(skip)]
    walk_in_speakers: BTreeSet<ParticipantId>,
    /// The voters signed in and the walk-ins among them (what a quorum counts), kept as the
    /// sign-ins change: every action that writes the meeting's row asks. Not stored: counted
    /// again on reading ([`State::from_json`]).
    #[serde(skip)]
    signed_in: SignedIn,
    next_speech: u32,
    next_vote: u32,
    next_action: u32,
}

/// One person's speaking time: who, how long in all, in how many speeches.
pub type PersonTime = (ParticipantId, Millis, u32);

/// Speaking time and speeches counted per person. Ids are small numbers given in order:
/// counted in a table by id, not a map (an id past the people listed, which a record should
/// not hold, in a map beside it).
#[derive(Clone, Default)]
struct TimeTally {
    by_id: Vec<(Millis, u32)>,
    beyond: BTreeMap<ParticipantId, (Millis, u32)>,
}

impl TimeTally {
    fn new(people: usize) -> TimeTally {
        TimeTally {
            by_id: vec![(0, 0); people + 1],
            beyond: BTreeMap::new(),
        }
    }

    fn add(&mut self, pid: ParticipantId, ms: Millis) {
        let e = match self.by_id.get_mut(pid as usize) {
            Some(e) => e,
            None => self.beyond.entry(pid).or_insert((0, 0)),
        };
        e.0 += ms;
        e.1 += 1;
    }

    /// Everyone who spoke, as (person, time, speeches), by id.
    fn speakers(&self) -> impl Iterator<Item = PersonTime> + '_ {
        (self.by_id.iter().enumerate())
            .map(|(p, e)| (p as ParticipantId, e))
            .chain(self.beyond.iter().map(|(p, e)| (*p, e)))
            .filter(|(_, (_, n))| *n > 0)
            .map(|(p, &(ms, n))| (p, ms, n))
    }

    /// Everyone who spoke, the longest first.
    fn largest_first(&self) -> Vec<PersonTime> {
        let mut v: Vec<_> = self.speakers().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }
}

/// The speaking time of the speeches ended so far, per person on one item and over the
/// whole meeting, brought up to date from the speeches ended since it last counted: a screen
/// drawn every second while someone speaks does not walk 20,000 speeches each time. The
/// speeches it counted are held (their chunks shared, not copied), so it sees when any of
/// them changed or went, as after an undo, and then counts again from the first. (A speech
/// ended keeps the time it had when it ended.)
#[derive(Default)]
pub struct SpeakingTimeSoFar {
    counted: SharedVec<Speech>,
    item: Option<ItemId>,
    on_item: TimeTally,
    meeting: TimeTally,
}

impl SpeakingTimeSoFar {
    /// Speaking time per person, largest first, on `item` (when one is given) and over the
    /// whole meeting, the speech under way included.
    pub fn count(
        &mut self,
        state: &State,
        item: Option<ItemId>,
        now: Millis,
    ) -> (Option<Vec<PersonTime>>, Vec<PersonTime>) {
        self.catch_up(state, item);
        let (mut on_item, mut meeting) = (self.on_item.clone(), self.meeting.clone());
        if let Some(s) = &state.speech {
            if Some(s.item) == item {
                on_item.add(s.participant, s.elapsed(now));
            }
            meeting.add(s.participant, s.elapsed(now));
        }
        (
            item.map(|_| on_item.largest_first()),
            meeting.largest_first(),
        )
    }

    /// Who has spoken on `item`, the speaker under way included.
    pub fn heard_on(&mut self, state: &State, item: ItemId) -> BTreeSet<ParticipantId> {
        self.catch_up(state, Some(item));
        let speaking = state.speech.iter().filter(|s| s.item == item);
        (self.on_item.speakers().map(|(p, _, _)| p))
            .chain(speaking.map(|s| s.participant))
            .collect()
    }

    /// Counts the speeches ended since it last counted, or all of them again when one it
    /// counted has changed or gone, it counted for another item, or its tables do not reach
    /// everyone on the list (as made by `default`, or since a walk-in joined): the map beside
    /// them is for ids past the list only.
    fn catch_up(&mut self, state: &State, item: Option<ItemId>) {
        if self.item != item
            || self.meeting.by_id.len() <= state.participants.len()
            || state.speeches.shared_prefix(&self.counted) < self.counted.len()
        {
            let people = state.participants.len();
            *self = SpeakingTimeSoFar {
                counted: SharedVec::new(),
                item,
                on_item: TimeTally::new(people),
                meeting: TimeTally::new(people),
            };
        }
        for s in state.speeches.iter_from(self.counted.len()) {
            self.add(s);
        }
        self.counted = state.speeches.clone();
    }

    /// A speech ended, with the time it had when it ended.
    fn add(&mut self, s: &Speech) {
        let ms = s.elapsed(s.ended_at.unwrap_or(s.started_at));
        if Some(s.item) == self.item {
            self.on_item.add(s.participant, ms);
        }
        self.meeting.add(s.participant, ms);
    }
}

impl State {
    /// A state stored as JSON (a snapshot), with what is not stored made again.
    pub fn from_json(json: &str) -> serde_json::Result<State> {
        let mut state: State = serde_json::from_str(json)?;
        let speakers: Vec<ParticipantId> = state
            .speeches
            .iter()
            .chain(state.speech.iter())
            .map(|s| s.participant)
            .filter(|p| state.off_the_list(*p))
            .collect();
        state.walk_in_speakers.extend(speakers);
        state.signed_in = state.count_signed_in();
        Ok(state)
    }

    /// Not on the agenda's list: a walk-in, or nobody the state knows (one taken back).
    fn off_the_list(&self, id: ParticipantId) -> bool {
        self.participant(id).is_none_or(|p| p.walk_in)
    }

    /// [`SignedIn`] counted through every sign-in.
    fn count_signed_in(&self) -> SignedIn {
        SignedIn {
            voters: self.count_attending(|p| p.voter),
            walk_ins: self.count_attending(|p| p.voter && p.walk_in),
            listed: self.participants.iter().filter(|p| p.voter).count() as u32,
        }
    }

    /// Folds a change of one person's sign-in into [`SignedIn`]: `was` is what they added
    /// before it.
    fn recount(&mut self, id: ParticipantId, was: SignedIn) {
        self.signed_in = self.signed_in.minus(was).plus(self.counted(id));
    }

    /// What one person adds to [`SignedIn`]: a voter on the list, signed in or not, and a
    /// walk-in among those signed in.
    fn counted(&self, id: ParticipantId) -> SignedIn {
        match self.participant(id) {
            Some(p) if p.voter => {
                let attends = self.presence(id).attends();
                SignedIn {
                    voters: u32::from(attends),
                    walk_ins: u32::from(attends && p.walk_in),
                    listed: 1,
                }
            }
            _ => SignedIn::default(),
        }
    }

    /// Whether `participant` ever spoke while not on the agenda's list.
    pub fn spoke_as_walk_in(&self, participant: ParticipantId) -> bool {
        self.walk_in_speakers.contains(&participant)
    }

    pub fn open(setup: &Setup, at: Millis) -> State {
        let items = setup
            .items
            .iter()
            .enumerate()
            .map(|(i, spec)| Item {
                id: i as ItemId + 1,
                spec: spec.clone(),
                added_in_room: false,
                status: ItemStatus::Pending,
                timer: Stopwatch::default(),
                queue: Vec::new(),
                minutes: String::new(),
                resolution: String::new(),
                dissent: Vec::new(),
            })
            .collect();
        let mut state = State {
            meeting: setup.meeting.clone(),
            participants: setup.participants.iter().cloned().collect(),
            attendance: SharedMap::new(),
            items,
            current: None,
            opened_at: at,
            started_at: None,
            ended_at: None,
            speech: None,
            speeches: SharedVec::new(),
            votes: SharedVec::new(),
            actions: SharedVec::new(),
            utc_offset: None,
            agenda_file: None,
            uid: None,
            reopened: Vec::new(),
            proxy_holders: BTreeMap::new(),
            leave_reasons: BTreeMap::new(),
            walk_in_speakers: BTreeSet::new(),
            signed_in: SignedIn::default(),
            next_speech: 1,
            next_vote: 1,
            next_action: 1,
        };
        state.signed_in = state.count_signed_in();
        state
    }

    /// The state an opening entry gives.
    pub fn opened(at: Millis, change: &Change) -> Option<State> {
        let Change::Opened {
            setup,
            utc_offset,
            agenda_file,
            uid,
        } = change
        else {
            return None;
        };
        let mut state = State::open(setup, at);
        state.utc_offset = *utc_offset;
        state.agenda_file = agenda_file.clone();
        state.uid = uid.clone();
        Some(state)
    }

    /// The offset readable times are told in: the opener's, else the agenda's start time's.
    pub fn offset(&self) -> Option<i32> {
        self.utc_offset.or_else(|| {
            let starts = self.meeting.starts.as_deref()?;
            chrono::DateTime::parse_from_rfc3339(starts)
                .ok()
                .map(|t| t.offset().local_minus_utc())
        })
    }

    /// The line that marks where texts saved at once from two consoles were joined.
    fn joiner(&self, at: Millis) -> String {
        let time = self
            .offset()
            .and_then(chrono::FixedOffset::east_opt)
            .and_then(|o| chrono::DateTime::from_timestamp_millis(at).map(|t| t.with_timezone(&o)))
            .map(|t| t.format("%H:%M").to_string());
        match (self.meeting.lang(), time) {
            (Lang::Zh, Some(t)) => format!("——以下为另一控制台同时录入的内容（{t} 合并）——"),
            (Lang::Zh, None) => "——以下为另一控制台同时录入的内容（已合并）——".to_string(),
            (Lang::En, Some(t)) => {
                format!("—— typed at the same time at another console (merged {t}) ——")
            }
            (Lang::En, None) => {
                "—— typed at the same time at another console (merged) ——".to_string()
            }
        }
    }

    // ----- questions the screens and exports ask -----

    pub fn participant(&self, id: ParticipantId) -> Option<&Participant> {
        // Ids are given in order from 1 (walk-ins after the agenda's): look there first.
        let at = (id as usize).checked_sub(1);
        match at.and_then(|i| self.participants.get(i)) {
            Some(p) if p.id == id => Some(p),
            _ => self.participants.iter().find(|p| p.id == id),
        }
    }

    pub fn name(&self, id: ParticipantId) -> &str {
        self.participant(id).map_or("?", |p| p.name.as_str())
    }

    pub fn presence(&self, id: ParticipantId) -> Presence {
        self.attendance
            .get(&id)
            .copied()
            .unwrap_or(Presence::Absent)
    }

    pub fn item(&self, id: ItemId) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    fn item_mut(&mut self, id: ItemId) -> Option<&mut Item> {
        self.items.find_mut(|i| i.id == id)
    }

    pub fn current_item(&self) -> Option<&Item> {
        self.current.and_then(|i| self.items.get(i))
    }

    /// 应到: as the agenda states, or every voter on the list.
    pub fn eligible(&self) -> u32 {
        self.meeting.eligible.unwrap_or(self.signed_in().listed)
    }

    /// 实到 among voters: what the quorum counts.
    pub fn voters_present(&self) -> u32 {
        self.signed_in().voters
    }

    /// The voters signed in and the walk-ins among them, as kept (checked against a count
    /// through every sign-in in a debug build).
    fn signed_in(&self) -> SignedIn {
        debug_assert_eq!(self.signed_in, self.count_signed_in());
        self.signed_in
    }

    /// Everyone in the room or online, voters or not.
    pub fn attending(&self) -> u32 {
        self.count_attending(|_| true)
    }

    /// The people signed in (in the room, online or by proxy) that `which` holds for: walked
    /// through the sign-ins, each person found by id.
    fn count_attending(&self, which: impl Fn(&Participant) -> bool) -> u32 {
        self.attendance
            .iter()
            .filter(|(id, presence)| {
                presence.attends() && self.participant(**id).is_some_and(&which)
            })
            .count() as u32
    }

    pub fn quorum(&self) -> QuorumCheck {
        self.quorum_under(self.meeting.quorum)
    }

    /// The check of `quorum` on who is signed in: the voters and the walk-ins among them
    /// counted in one walk through the sign-ins (every action that changes them asks).
    fn quorum_under(&self, quorum: Quorum) -> QuorumCheck {
        let n = self.signed_in();
        QuorumCheck {
            walk_ins: n.walk_ins,
            ..quorum.check(n.voters, self.eligible())
        }
    }

    /// Walk-ins among the voters present: 实到 may be above 应到 because of them.
    pub fn walk_ins_present(&self) -> u32 {
        self.signed_in().walk_ins
    }

    /// The quorum a vote on `item` needs: its own where the agenda gives one, else the
    /// meeting's.
    pub fn quorum_for(&self, item: &Item) -> QuorumCheck {
        self.quorum_under(
            item.spec
                .vote
                .as_ref()
                .and_then(|v| v.quorum)
                .unwrap_or(self.meeting.quorum),
        )
    }

    /// The rule a vote on `item` is taken under when none is named.
    pub fn rule_for(&self, item: &Item) -> Rule {
        item.spec
            .vote
            .as_ref()
            .map(|v| v.rule)
            .unwrap_or_else(|| self.meeting.kind.default_rule())
    }

    /// Decided: a vote was taken or a resolution written. Discussed and not decided is 议而不决.
    pub fn is_decided(&self, item: &Item) -> bool {
        self.vote_of(item.id).is_some() || !item.resolution.is_empty()
    }

    /// The vote that counts for an item: the latest one not superseded.
    pub fn vote_of(&self, item: ItemId) -> Option<&VoteRecord> {
        self.votes
            .iter()
            .rev()
            .find(|v| v.item == item && !v.superseded)
    }

    /// A roll call's ballots counted by heads and by the area of each voter's units.
    pub fn weigh(&self, ballots: &[(ParticipantId, Choice)]) -> Votes {
        let (mut yes, mut no, mut abstain) =
            (Weight::default(), Weight::default(), Weight::default());
        for (pid, choice) in ballots {
            let w = match choice {
                Choice::Yes => &mut yes,
                Choice::No => &mut no,
                Choice::Abstain => &mut abstain,
            };
            w.heads += 1;
            w.area.0 += self
                .participant(*pid)
                .and_then(|p| p.area)
                .map_or(0, |a| a.0);
        }
        Votes::YesNo { yes, no, abstain }
    }

    /// Voters present, in agenda order: the roll-call list.
    pub fn roll(&self) -> Vec<&Participant> {
        self.participants
            .iter()
            .filter(|p| p.voter && self.presence(p.id).attends())
            .collect()
    }

    /// The roll-call list of a vote under `rule`: under an owners' rule only owners with a
    /// known exclusive area take part.
    pub fn roll_for(&self, rule: Rule) -> Vec<&Participant> {
        self.roll()
            .into_iter()
            .filter(|p| !rule.needs_roll_call() || p.area.is_some())
            .collect()
    }

    /// Why someone signed in does not take part in a vote under `rule`, if they do not: a
    /// walk-in listed as not entitled, or, under an owners' rule, a voter with no area.
    pub fn not_entitled(&self, p: &Participant, rule: Rule) -> Option<String> {
        if let Some(reason) = &p.not_entitled {
            return Some(reason.clone());
        }
        (p.voter && rule.needs_roll_call() && p.area.is_none()).then(|| {
            self.meeting
                .lang()
                .pick("未登记专有部分面积", "no exclusive area registered")
                .to_string()
        })
    }

    /// Those signed in who do not take part in a vote under `rule`, with the reason, for the
    /// roll call to show apart.
    pub fn roll_not_entitled(&self, rule: Rule) -> Vec<(&Participant, String)> {
        self.participants
            .iter()
            .filter(|p| self.presence(p.id).attends())
            .filter_map(|p| self.not_entitled(p, rule).map(|r| (p, r)))
            .collect()
    }

    /// The bases of a vote when no rule is said: heads only.
    pub fn electorate(&self) -> Electorate {
        self.electorate_for(Rule::Simple)
    }

    /// The bases of a vote under `rule`. Under an owners' rule heads and area come from one
    /// register: the agenda's `eligible` with its `total_area`, or else the owners listed
    /// with an area; only owners with an area are present for it.
    pub fn electorate_for(&self, rule: Rule) -> Electorate {
        if !rule.needs_roll_call() {
            return Electorate {
                present: self.voters_present(),
                eligible: self.eligible(),
                eligible_area: Area(0),
            };
        }
        let owners = || self.participants.iter().filter(|p| p.is_owner());
        let listed_area: u64 = owners().filter_map(|p| p.area).map(|a| a.0).sum();
        let listed = owners().count() as u32;
        let (eligible, eligible_area) = match (self.meeting.eligible, self.meeting.total_area) {
            (Some(e), Some(total)) => (e.max(listed), Area(total.0.max(listed_area))),
            // Without a registered total the list is the register.
            _ => (listed, Area(listed_area)),
        };
        Electorate {
            present: owners().filter(|p| self.presence(p.id).attends()).count() as u32,
            eligible,
            eligible_area,
        }
    }

    /// Who has spoken on this item (including now), in one pass over the speeches: ask it
    /// once for a whole queue, not once per person.
    pub fn heard_on(&self, item: ItemId) -> BTreeSet<ParticipantId> {
        SpeakingTimeSoFar::default().heard_on(self, item)
    }

    /// Speaking time per role group, for one item or the whole meeting.
    pub fn time_by_group(&self, item: Option<ItemId>, now: Millis) -> BTreeMap<RoleGroup, Millis> {
        self.groups_of(&self.time_by_person(item, now))
    }

    /// [`State::time_by_group`] from the time per person already counted: each person's
    /// role looked up once, not once per speech.
    pub fn groups_of(&self, people: &[PersonTime]) -> BTreeMap<RoleGroup, Millis> {
        let mut out = BTreeMap::new();
        for &(pid, ms, _) in people {
            let group = self
                .participant(pid)
                .map_or(RoleGroup::Others, |p| p.role.group());
            *out.entry(group).or_insert(0) += ms;
        }
        out
    }

    /// Speaking time per person, largest first, for one item or the whole meeting.
    pub fn time_by_person(&self, item: Option<ItemId>, now: Millis) -> Vec<PersonTime> {
        let (on_item, meeting) = SpeakingTimeSoFar::default().count(self, item, now);
        on_item.unwrap_or(meeting)
    }

    // ----- the one path for every change -----

    /// Checks a command against the state and says what would happen. Undo is decided by
    /// `Meeting`, which holds the log.
    pub fn decide(&self, command: &Command, at: Millis) -> Result<Change, DomainError> {
        use DomainError as E;
        let change = match command {
            Command::SetPresence {
                participant,
                presence,
                holder,
                reason,
            } => {
                let p = self.participant(*participant).ok_or(E::NoSuchParticipant)?;
                let text = |t: &Option<String>| {
                    t.as_deref()
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(String::from)
                };
                let (holder, reason) = match presence {
                    Presence::Proxy => {
                        if !self.meeting.kind.allows_proxies() {
                            return Err(E::ProxyNotAllowed(self.meeting.kind));
                        }
                        let holder = text(holder);
                        if let Some(max) = self.meeting.max_proxies {
                            let h = holder.as_deref().ok_or(E::ProxyNeedsHolder)?;
                            let held = self
                                .proxy_holders
                                .iter()
                                .filter(|(pid, name)| {
                                    **pid != p.id
                                        && name.as_str() == h
                                        && self.presence(**pid) == Presence::Proxy
                                })
                                .count() as u32;
                            if held >= max {
                                return Err(E::TooManyProxies {
                                    holder: h.to_string(),
                                    max,
                                });
                            }
                        }
                        (holder, None)
                    }
                    Presence::Leave => (None, Some(text(reason).ok_or(E::Empty("reason"))?)),
                    _ => (None, None),
                };
                Change::PresenceSet {
                    participant: *participant,
                    presence: *presence,
                    holder,
                    reason,
                }
            }
            Command::AddWalkIn {
                name,
                role,
                unit,
                voter,
                area,
                not_entitled,
            } => {
                let name = name.trim();
                if name.is_empty() {
                    return Err(E::Empty("name"));
                }
                if self.participants.iter().any(|p| p.name == name) {
                    return Err(E::DuplicateName(name.to_string()));
                }
                let id = self.participants.iter().map(|p| p.id).max().unwrap_or(0) + 1;
                let unit = unit
                    .as_deref()
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                    .map(String::from);
                let mut not_entitled = not_entitled
                    .as_deref()
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .map(String::from);
                // 业主大会: a walk-in takes part as an owner only with a unit and its area
                // given at the door; otherwise listed as not entitled, with the reason.
                if *voter
                    && not_entitled.is_none()
                    && self.meeting.kind == super::model::MeetingKind::OwnersMeeting
                    && (area.is_none() || unit.is_none())
                {
                    not_entitled = Some(
                        self.meeting
                            .lang()
                            .pick(
                                "现场签到，未登记房号及专有部分面积",
                                "signed in at the door without a unit and its exclusive area",
                            )
                            .to_string(),
                    );
                }
                let voter = *voter && not_entitled.is_none();
                Change::WalkInAdded {
                    participant: Box::new(Participant {
                        id,
                        name: name.to_string(),
                        role: *role,
                        unit,
                        area: if voter { *area } else { None },
                        voter,
                        phone: None,
                        walk_in: true,
                        units: Vec::new(),
                        not_entitled,
                    }),
                }
            }
            Command::NextItem => {
                let from = self.current.map_or(0, |c| c + 1);
                let to = (from..self.items.len())
                    .find(|&i| self.items[i].status != ItemStatus::Deferred)
                    .ok_or(E::AtLastItem)?;
                Change::ItemMoved { to }
            }
            Command::PreviousItem => {
                let upto = self.current.ok_or(E::AtFirstItem)?;
                let to = (0..upto)
                    .rev()
                    .find(|&i| self.items[i].status != ItemStatus::Deferred)
                    .ok_or(E::AtFirstItem)?;
                Change::ItemMoved { to }
            }
            Command::ToggleDefer { item } => {
                let index = self
                    .items
                    .iter()
                    .position(|i| i.id == *item)
                    .ok_or(E::NoSuchItem)?;
                let next = if self.current == Some(index) {
                    (index + 1..self.items.len())
                        .chain((0..index).rev())
                        .find(|&i| self.items[i].status != ItemStatus::Deferred)
                } else {
                    None
                };
                Change::DeferToggled { item: *item, next }
            }
            Command::AddItem { title } => {
                let title = title.trim();
                if title.is_empty() {
                    return Err(E::Empty("title"));
                }
                let id = self.items.iter().map(|i| i.id).max().unwrap_or(0) + 1;
                let position = self.current.map_or(self.items.len(), |c| c + 1);
                Change::ItemAdded {
                    id,
                    position,
                    title: title.to_string(),
                }
            }
            Command::QueueSpeaker { participant, kind } => {
                let item = self.current_item().ok_or(E::NoCurrentItem)?;
                let p = self.participant(*participant).ok_or(E::NoSuchParticipant)?;
                if !self.presence(p.id).attends() {
                    return Err(E::NotPresent(p.name.clone()));
                }
                if *kind == SpeechKind::Speech
                    && item
                        .queue
                        .iter()
                        .any(|q| q.participant == p.id && q.kind == SpeechKind::Speech)
                {
                    return Err(E::AlreadyQueued(p.name.clone()));
                }
                Change::SpeakerQueued {
                    entry: QueueEntry {
                        participant: p.id,
                        kind: *kind,
                    },
                }
            }
            Command::Unqueue { index } => {
                let item = self.current_item().ok_or(E::NoCurrentItem)?;
                if *index >= item.queue.len() {
                    return Err(E::NotQueued);
                }
                Change::SpeakerUnqueued { index: *index }
            }
            Command::MoveQueued { index, up } => {
                let item = self.current_item().ok_or(E::NoCurrentItem)?;
                let len = item.queue.len();
                if *index >= len || (*up && *index == 0) || (!*up && *index + 1 >= len) {
                    return Err(E::NotQueued);
                }
                Change::SpeakerMoved {
                    index: *index,
                    up: *up,
                }
            }
            Command::NewSpeakersFirst => {
                let item = self.current_item().ok_or(E::NoCurrentItem)?;
                if item.queue.is_empty() {
                    return Err(E::QueueEmpty);
                }
                let heard = self.heard_on(item.id);
                let (mut first, rest): (Vec<QueueEntry>, Vec<QueueEntry>) = item
                    .queue
                    .iter()
                    .partition(|q| q.kind != SpeechKind::Speech || !heard.contains(&q.participant));
                first.extend(rest);
                Change::QueueReordered { queue: first }
            }
            Command::StartNextSpeaker => {
                let item = self.current_item().ok_or(E::NoCurrentItem)?;
                let entry = *item.queue.first().ok_or(E::QueueEmpty)?;
                let limit_secs = match entry.kind {
                    SpeechKind::Speech => self.meeting.speaker_limit_secs,
                    _ => self.meeting.speaker_limit_secs.min(SHORT_SPEECH_SECS),
                };
                Change::SpeechStarted {
                    id: self.next_speech,
                    entry,
                    limit_secs,
                }
            }
            Command::TogglePause => match &self.speech {
                Some(s) if s.timer.is_running() => Change::SpeechPaused,
                Some(_) => Change::SpeechResumed,
                None => return Err(E::NoSpeech),
            },
            Command::EndSpeech => {
                self.speech.as_ref().ok_or(E::NoSpeech)?;
                Change::SpeechEnded
            }
            Command::RecordVote {
                item,
                rule,
                method,
                input,
                tellers,
            } => {
                let it = self.item(*item).ok_or(E::NoSuchItem)?;
                let rule = rule.unwrap_or_else(|| self.rule_for(it));
                // 书面表决: the ballots returned are the owners taking part, not those in the
                // room; the quorum is counted of them.
                let written = *method == Method::WrittenBallot;
                let quorum = match input {
                    TallyInput::RollCall { ballots } if written => {
                        let q = it.spec.vote.as_ref().and_then(|v| v.quorum);
                        q.unwrap_or(self.meeting.quorum)
                            .check(ballots.len() as u32, self.eligible())
                    }
                    _ => self.quorum_for(it),
                };
                if !quorum.met {
                    return Err(E::QuorumNotMet(quorum));
                }
                let spec = it.spec.vote.as_ref();
                let options = spec.map(|v| v.options.clone()).unwrap_or_default();
                let question = spec.map_or_else(|| it.spec.title.clone(), |v| v.question.clone());
                let mut ballots = Vec::new();
                let votes = match input {
                    TallyInput::Counts { yes, no, abstain } => {
                        if rule.needs_roll_call() {
                            return Err(E::NeedsRollCall);
                        }
                        let w = |heads| Weight {
                            heads,
                            area: Area(0),
                        };
                        Votes::YesNo {
                            yes: w(*yes),
                            no: w(*no),
                            abstain: w(*abstain),
                        }
                    }
                    TallyInput::Options { counts, abstain } => Votes::Options {
                        counts: counts.clone(),
                        abstain: *abstain,
                    },
                    TallyInput::RollCall { ballots: marks } => {
                        let mut seen = BTreeSet::new();
                        for (pid, choice) in marks {
                            let p = self.participant(*pid).ok_or(E::NoSuchParticipant)?;
                            if let Some(reason) = self.not_entitled(p, rule) {
                                return Err(E::NotEntitled {
                                    name: p.name.clone(),
                                    reason,
                                });
                            }
                            let there = written || self.presence(p.id).attends();
                            if !p.voter || !there || !seen.insert(p.id) {
                                return Err(E::NotAVoterPresent(p.name.clone()));
                            }
                            ballots.push((*pid, *choice));
                        }
                        self.weigh(&ballots)
                    }
                };
                let mut electorate = self.electorate_for(rule);
                if written && !rule.needs_roll_call() {
                    electorate.present = ballots.len() as u32;
                }
                let outcome = tally::decide(rule, &votes, &electorate).map_err(E::Tally)?;
                Change::VoteRecorded {
                    vote: Box::new(VoteRecord {
                        id: self.next_vote,
                        item: *item,
                        question,
                        rule,
                        method: *method,
                        options,
                        votes,
                        ballots,
                        tellers: tellers
                            .iter()
                            .map(|t| t.trim().to_string())
                            .filter(|t| !t.is_empty())
                            .collect(),
                        electorate,
                        outcome,
                        superseded: false,
                        at,
                    }),
                }
            }
            Command::SetText {
                item,
                field,
                text,
                base,
            } => {
                let it = self.item(*item).ok_or(E::NoSuchItem)?;
                let saved = self.save_over(it.text(*field), text, base.as_deref(), at);
                Change::TextSet {
                    item: *item,
                    field: *field,
                    merged: saved.is_merged(),
                    text: saved.into_text().trim_end().to_string(),
                }
            }
            Command::SetDissent { item, text, base } => {
                let it = self.item(*item).ok_or(E::NoSuchItem)?;
                // One named entry a line: the entries merge without a marker line.
                let saved = match base {
                    Some(base) => text::merge(base, &it.dissent_text(), text, ""),
                    None => Saved::Plain(text.clone()),
                };
                Change::DissentSet {
                    item: *item,
                    merged: saved.is_merged(),
                    entries: self.parse_dissent(saved.text()),
                }
            }
            Command::AddAction {
                item,
                what,
                owner,
                due,
            } => {
                self.item(*item).ok_or(E::NoSuchItem)?;
                let (what, owner) = (what.trim(), owner.trim());
                if what.is_empty() {
                    return Err(E::Empty("what"));
                }
                if owner.is_empty() {
                    return Err(E::Empty("owner"));
                }
                let due = match due.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
                    None => None,
                    Some(d) => Some(parse_date(d).ok_or_else(|| E::BadDate(d.to_string()))?),
                };
                Change::ActionAdded {
                    action: Box::new(ActionItem {
                        id: self.next_action,
                        item: *item,
                        what: what.to_string(),
                        owner: owner.to_string(),
                        due,
                        status: ActionStatus::Open,
                        created_at: at,
                        notes: Vec::new(),
                    }),
                }
            }
            Command::UpdateAction {
                action,
                status,
                note,
            } => {
                self.actions
                    .iter()
                    .find(|a| a.id == *action)
                    .ok_or(E::NoSuchAction)?;
                Change::ActionUpdated {
                    action: *action,
                    note: ActionNote {
                        at,
                        status: *status,
                        text: note.as_deref().unwrap_or("").trim().to_string(),
                    },
                }
            }
            Command::EndMeeting => Change::MeetingEnded,
            Command::Reopen { reason } => {
                if self.ended_at.is_none() {
                    return Err(E::NotClosed);
                }
                let reason = reason.trim();
                if reason.is_empty() {
                    return Err(E::Empty("reason"));
                }
                Change::Reopened {
                    reason: reason.to_string(),
                }
            }
            Command::SetSpeechNote { speech, note } => {
                let known = self.speech.iter().any(|s| s.id == *speech)
                    || self.speeches.iter().any(|s| s.id == *speech);
                if !known {
                    return Err(E::NoSuchSpeech);
                }
                // One line: a pasted line break becomes a space.
                let note = note.split_whitespace().collect::<Vec<_>>().join(" ");
                Change::SpeechNoteSet {
                    speech: *speech,
                    note,
                }
            }
            Command::Undo | Command::UndoEarlier { .. } => return Err(E::NothingToUndo),
        };
        Ok(change)
    }

    /// What a save from an editor makes of a field that holds `current` now.
    fn save_over(&self, current: &str, text: &str, base: Option<&str>, at: Millis) -> Saved {
        match base {
            Some(base) => text::merge(base, current, text, &self.joiner(at)),
            None => Saved::Plain(text.trim_end().to_string()),
        }
    }

    /// Lines of the dissent editor: `张建国:担心采光` names a person on the list; other lines
    /// are kept as written.
    pub fn parse_dissent(&self, text: &str) -> Vec<Dissent> {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|line| {
                let split = line
                    .char_indices()
                    .find(|(_, c)| matches!(c, ':' | '\u{ff1a}'))
                    .map(|(i, c)| (line[..i].trim(), line[i + c.len_utf8()..].trim()));
                if let Some((name, rest)) = split
                    && !name.is_empty()
                    && name.chars().count() <= 20
                {
                    let participant = self
                        .participants
                        .iter()
                        .find(|p| p.name == name)
                        .map(|p| p.id);
                    return Dissent {
                        participant,
                        name: Some(name.to_string()),
                        text: rest.to_string(),
                    };
                }
                Dissent {
                    participant: None,
                    name: None,
                    text: line.to_string(),
                }
            })
            .collect()
    }

    /// Folds one recorded change into the state. Never fails: `decide` has checked it, and a
    /// change that no longer fits (after an undo) is passed over rather than trusted blindly.
    pub fn fold(&mut self, at: Millis, change: &Change) {
        match change {
            Change::Elided => {}
            Change::Opened { .. } => {
                if let Some(state) = State::opened(at, change) {
                    *self = state;
                }
            }
            Change::PresenceSet {
                participant,
                presence,
                holder,
                reason,
            } => {
                let was = self.counted(*participant);
                if *presence == Presence::Absent {
                    self.attendance.remove(participant);
                } else {
                    self.attendance.insert(*participant, *presence);
                }
                self.recount(*participant, was);
                self.proxy_holders.remove(participant);
                self.leave_reasons.remove(participant);
                if let (Presence::Proxy, Some(h)) = (presence, holder) {
                    self.proxy_holders.insert(*participant, h.clone());
                }
                if let (Presence::Leave, Some(r)) = (presence, reason) {
                    self.leave_reasons.insert(*participant, r.clone());
                }
            }
            Change::WalkInAdded { participant } => {
                let was = self.counted(participant.id);
                self.participants.push((**participant).clone());
                self.attendance.insert(participant.id, Presence::Present);
                self.recount(participant.id, was);
            }
            Change::ItemMoved { to } => self.move_to(Some(*to), at),
            Change::DeferToggled { item, next } => {
                let Some(index) = self.items.iter().position(|i| i.id == *item) else {
                    return;
                };
                if self.items[index].status == ItemStatus::Deferred {
                    self.items[index].status = if self.items[index].timer.elapsed(at) > 0 {
                        ItemStatus::Discussed
                    } else {
                        ItemStatus::Pending
                    };
                } else {
                    if self.current == Some(index) {
                        self.move_to(*next, at);
                    }
                    self.items[index].status = ItemStatus::Deferred;
                }
            }
            Change::ItemAdded {
                id,
                position,
                title,
            } => {
                let position = (*position).min(self.items.len());
                self.items.insert(
                    position,
                    Item {
                        id: *id,
                        spec: ItemSpec {
                            proposal: None,
                            reviews: None,
                            title: title.clone(),
                            kind: ItemKind::Other,
                            proposer: None,
                            planned_secs: 600,
                            description: None,
                            vote: None,
                        },
                        added_in_room: true,
                        status: ItemStatus::Pending,
                        timer: Stopwatch::default(),
                        queue: Vec::new(),
                        minutes: String::new(),
                        resolution: String::new(),
                        dissent: Vec::new(),
                    },
                );
                if let Some(c) = self.current
                    && c >= position
                {
                    self.current = Some(c + 1);
                }
            }
            Change::SpeakerQueued { entry } => {
                if let Some(item) = self.current.and_then(|c| self.items.get_mut(c)) {
                    if entry.kind == SpeechKind::Speech {
                        item.queue.push(*entry);
                    } else {
                        // Replies and points of order jump the queue, after others of their
                        // kind; a point of order (about how the meeting runs) before a reply.
                        let ahead = |k: SpeechKind| match entry.kind {
                            SpeechKind::PointOfOrder => k == SpeechKind::PointOfOrder,
                            _ => k != SpeechKind::Speech,
                        };
                        let at = item.queue.iter().take_while(|q| ahead(q.kind)).count();
                        item.queue.insert(at, *entry);
                    }
                }
            }
            Change::SpeakerUnqueued { index } => {
                if let Some(item) = self.current.and_then(|c| self.items.get_mut(c))
                    && *index < item.queue.len()
                {
                    item.queue.remove(*index);
                }
            }
            Change::SpeakerMoved { index, up } => {
                if let Some(item) = self.current.and_then(|c| self.items.get_mut(c)) {
                    let other = if *up {
                        index.wrapping_sub(1)
                    } else {
                        index + 1
                    };
                    if *index < item.queue.len() && other < item.queue.len() {
                        item.queue.swap(*index, other);
                    }
                }
            }
            Change::QueueReordered { queue } => {
                if let Some(item) = self.current.and_then(|c| self.items.get_mut(c)) {
                    item.queue = queue.clone();
                }
            }
            Change::SpeechStarted {
                id,
                entry,
                limit_secs,
            } => {
                self.end_speech(at);
                let Some(item) = self.current.and_then(|c| self.items.get_mut(c)) else {
                    return;
                };
                if let Some(pos) = item.queue.iter().position(|q| q == entry) {
                    item.queue.remove(pos);
                }
                let item = item.id;
                if self.off_the_list(entry.participant) {
                    self.walk_in_speakers.insert(entry.participant);
                }
                self.speech = Some(Speech {
                    id: *id,
                    item,
                    participant: entry.participant,
                    kind: entry.kind,
                    started_at: at,
                    limit_secs: *limit_secs,
                    timer: Stopwatch::started(at),
                    ended_at: None,
                    note: String::new(),
                });
                self.next_speech = self.next_speech.max(*id + 1);
            }
            Change::SpeechPaused => {
                if let Some(s) = &mut self.speech {
                    s.timer.pause(at);
                }
            }
            Change::SpeechResumed => {
                if let Some(s) = &mut self.speech {
                    s.timer.start(at);
                }
            }
            Change::SpeechEnded => self.end_speech(at),
            Change::VoteRecorded { vote } => {
                self.votes.update(
                    |v| v.item == vote.item && !v.superseded,
                    |v| v.superseded = true,
                );
                self.votes.push((**vote).clone());
                self.next_vote = self.next_vote.max(vote.id + 1);
            }
            Change::TextSet {
                item, field, text, ..
            } => {
                if let Some(item) = self.item_mut(*item) {
                    match field {
                        TextField::Minutes => item.minutes = text.clone(),
                        TextField::Resolution => item.resolution = text.clone(),
                    }
                }
            }
            Change::DissentSet { item, entries, .. } => {
                if let Some(item) = self.item_mut(*item) {
                    item.dissent = entries.clone();
                }
            }
            Change::ActionAdded { action } => {
                self.actions.push((**action).clone());
                self.next_action = self.next_action.max(action.id + 1);
            }
            Change::ActionUpdated { action, note } => {
                if let Some(a) = self.actions.find_mut(|a| a.id == *action) {
                    a.status = note.status;
                    a.notes.push(note.clone());
                }
            }
            Change::MeetingEnded => {
                self.end_speech(at);
                if let Some(item) = self.current.and_then(|c| self.items.get_mut(c)) {
                    item.timer.pause(at);
                }
                self.ended_at = Some(at);
            }
            Change::Reopened { reason } => {
                if self.ended_at.take().is_some() {
                    self.reopened.push((at, reason.clone()));
                    if let Some(item) = self.current.and_then(|c| self.items.get_mut(c)) {
                        item.timer.start(at);
                    }
                }
            }
            Change::Undone { .. } => {}
            Change::SpeechNoteSet { speech, note } => match self.speech.as_mut() {
                Some(s) if s.id == *speech => s.note = note.clone(),
                _ => {
                    if let Some(s) = self.speeches.find_mut(|s| s.id == *speech) {
                        s.note = note.clone();
                    }
                }
            },
        }
    }

    /// The speech a note is written on: the one running now, or else the last one ended on
    /// the current item.
    pub fn note_target(&self) -> Option<&Speech> {
        if let Some(s) = &self.speech {
            return Some(s);
        }
        let item = self.current_item()?.id;
        self.speeches
            .iter()
            .filter(|s| s.item == item)
            .max_by_key(|s| (s.ended_at, s.id))
    }

    fn end_speech(&mut self, at: Millis) {
        if let Some(mut s) = self.speech.take() {
            s.timer.pause(at);
            s.ended_at = Some(at);
            self.speeches.push(s);
        }
    }

    fn move_to(&mut self, to: Option<usize>, at: Millis) {
        self.end_speech(at);
        if let Some(item) = self.current.and_then(|c| self.items.get_mut(c)) {
            item.timer.pause(at);
            if item.status == ItemStatus::Current {
                item.status = ItemStatus::Discussed;
            }
        }
        self.current = to.filter(|&t| t < self.items.len());
        if let Some(item) = self.current.and_then(|c| self.items.get_mut(c)) {
            item.timer.start(at);
            item.status = ItemStatus::Current;
            self.started_at.get_or_insert(at);
        }
    }
}

/// YYYY-MM-DD, as a real calendar date.
pub fn parse_date(s: &str) -> Option<String> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .ok()
        .map(|d| d.format("%Y-%m-%d").to_string())
}

impl ActionItem {
    /// The due date, when one was given.
    pub fn due_date(&self) -> Option<chrono::NaiveDate> {
        self.due
            .as_deref()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    }

    /// Open or in progress: still to be done.
    pub fn is_open(&self) -> bool {
        matches!(self.status, ActionStatus::Open | ActionStatus::InProgress)
    }

    /// Days past its due date while still open (决而不行), as of `today`.
    pub fn overdue_days(&self, today: chrono::NaiveDate) -> Option<i64> {
        let due = self.due_date()?;
        (self.is_open() && due < today).then(|| (today - due).num_days())
    }
}

/// What an entry read without its content stands as.
static ELIDED: Event = Event {
    at: 0,
    origin: Origin::Facilitator,
    console: None,
    change: Change::Elided,
};

/// A meeting's log, entry by entry from its opening (entry 0). A meeting opened from a
/// snapshot of its state holds only the opening and the entries after the snapshot: those in
/// between are not in memory, and each reads as the same [`Change::Elided`] entry until
/// [`Meeting::hydrate`] puts them back.
#[derive(Clone, Debug, Default)]
pub struct Log {
    /// The opening, then the entries from `elided_below` on (from 1 when none are elided).
    held: Vec<Event>,
    /// Entries 1 up to this one are elided; 0 when none are.
    elided_below: usize,
}

impl Log {
    /// How many entries stand elided.
    fn missing(&self) -> usize {
        self.elided_below.saturating_sub(1)
    }

    /// The first entry held after the opening: where a search for a recent entry can stop.
    fn held_from(&self) -> usize {
        self.elided_below.max(1)
    }

    pub fn len(&self) -> usize {
        self.held.len() + self.missing()
    }

    pub fn is_empty(&self) -> bool {
        self.held.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&Event> {
        match i {
            0 => self.held.first(),
            i if i < self.elided_below => Some(&ELIDED),
            i => self.held.get(i - self.missing()),
        }
    }

    pub fn first(&self) -> Option<&Event> {
        self.held.first()
    }

    pub fn last(&self) -> Option<&Event> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// Every entry, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Event> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// The entries from `from` up to (not including) `to`, those there are.
    pub fn range(&self, from: usize, to: usize) -> impl Iterator<Item = &Event> + '_ {
        (from..to.min(self.len())).filter_map(|i| self.get(i))
    }

    pub fn to_vec(&self) -> Vec<Event> {
        self.iter().cloned().collect()
    }

    fn push(&mut self, event: Event) {
        self.held.push(event);
    }

    /// The newest entry taken out; never the opening, nor one that stands elided.
    fn pop(&mut self) -> Option<Event> {
        if self.held.len() > 1 {
            self.held.pop()
        } else {
            None
        }
    }
}

impl std::ops::Index<usize> for Log {
    type Output = Event;

    fn index(&self, i: usize) -> &Event {
        self.get(i).expect("an entry of the log")
    }
}

/// A meeting: its log and the state the log gives. Undo and replay live here because they
/// need the log.
#[derive(Clone, Debug)]
pub struct Meeting {
    log: Log,
    undone: BTreeSet<usize>,
    state: State,
    /// The state after the first `n` entries, every [`CHECKPOINT_EVERY`] entries for the
    /// newest [`CHECKPOINTS_KEPT`], fewer and fewer further back (see [`keeps_checkpoint`]), and
    /// the snapshot the meeting was opened from: an undo replays from the nearest one before
    /// its target instead of from the opening.
    checkpoints: Vec<(usize, State)>,
    every: usize,
}

/// Entries between two checkpoints of the state: the most an undo of a recent action replays.
/// A checkpoint shares every chunk of the state it did not change since, so it costs a few
/// kilobytes, not a copy of the meeting.
pub const CHECKPOINT_EVERY: usize = 32;
/// Checkpoints kept every [`CHECKPOINT_EVERY`] entries (the newest 1,024 entries); further
/// back, four for each doubling of the distance, so an undo reaching back `k` entries replays
/// about `k` entries, not the whole log.
pub const CHECKPOINTS_KEPT: usize = 32;

/// Whether the checkpoint after `at` entries is kept when the log holds `len`: every one
/// of the newest [`CHECKPOINTS_KEPT`]; further back, at a spacing that doubles with each
/// doubling of the distance (four in each span); and the snapshot the meeting was opened
/// from (after `snapshot` entries), the only way back behind it without reading the entries
/// it stands for. A checkpoint dropped is never wanted again: the spacing only grows as the
/// log does.
fn keeps_checkpoint(every: usize, snapshot: usize, at: usize, len: usize) -> bool {
    let window = every * CHECKPOINTS_KEPT;
    let distance = len.saturating_sub(at);
    if distance <= window || (at > 1 && at == snapshot) {
        return true;
    }
    let tier = (distance / window).ilog2();
    let spacing = (window / 4).max(every) << tier;
    at.is_multiple_of(spacing)
}

/// Where a meeting was opened: what the record keeps about the opening beyond the agenda.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Opening {
    pub utc_offset: Option<i32>,
    pub agenda_file: Option<String>,
    pub uid: Option<String>,
}

impl Meeting {
    /// The first event of every meeting.
    pub fn open(setup: Setup, at: Millis, origin: Origin) -> Meeting {
        Meeting::open_with(setup, at, origin, None, Opening::default())
    }

    pub fn open_with(
        setup: Setup,
        at: Millis,
        origin: Origin,
        console: Option<Console>,
        opening: Opening,
    ) -> Meeting {
        let change = Change::Opened {
            setup: Box::new(setup),
            utc_offset: opening.utc_offset,
            agenda_file: opening.agenda_file,
            uid: opening.uid,
        };
        let state = State::opened(at, &change).expect("an opening");
        Meeting {
            log: Log {
                held: vec![Event {
                    at,
                    origin,
                    console,
                    change,
                }],
                elided_below: 0,
            },
            undone: BTreeSet::new(),
            state,
            checkpoints: Vec::new(),
            every: CHECKPOINT_EVERY,
        }
    }

    /// The state a log gives, from its first event.
    pub fn replay(events: Vec<Event>) -> Result<Meeting, DomainError> {
        let mut iter = events.into_iter();
        let Some(first) = iter.next() else {
            return Err(DomainError::NotOpened);
        };
        let state = State::opened(first.at, &first.change).ok_or(DomainError::NotOpened)?;
        let mut held = vec![first];
        held.extend(iter);
        let mut meeting = Meeting {
            state,
            log: Log {
                held,
                elided_below: 0,
            },
            undone: BTreeSet::new(),
            checkpoints: Vec::new(),
            every: CHECKPOINT_EVERY,
        };
        for e in &meeting.log.held[1..] {
            if let Change::Undone { target } = e.change {
                meeting.undone.insert(target);
            }
        }
        meeting.fold_from(1);
        Ok(meeting)
    }

    /// A meeting from a snapshot of its state after its first `base` entries: `first` is the
    /// opening, `tail` the entries after the snapshot, folded in. The entries in between are
    /// not read: they stand as [`Change::Elided`] until [`Meeting::hydrate`] reads them back
    /// (before an undo or a look that reaches them).
    pub fn resume(first: Event, base: usize, snapshot: State, tail: Vec<Event>) -> Meeting {
        let base = base.max(1);
        let mut held = Vec::with_capacity(1 + tail.len());
        held.push(first);
        held.extend(tail);
        let mut meeting = Meeting {
            state: snapshot,
            log: Log {
                held,
                elided_below: if base > 1 { base } else { 0 },
            },
            undone: BTreeSet::new(),
            checkpoints: Vec::new(),
            every: CHECKPOINT_EVERY,
        };
        for e in &meeting.log.held[1..] {
            if let Change::Undone { target } = e.change {
                meeting.undone.insert(target);
            }
        }
        // An undo of an entry after the snapshot replays from it.
        meeting.checkpoints.push((base, meeting.state.clone()));
        meeting.fold_from(base);
        meeting
    }

    /// Whether entry `i` was read without its content.
    pub fn is_elided(&self, i: usize) -> bool {
        self.log
            .get(i)
            .is_some_and(|e| matches!(e.change, Change::Elided))
    }

    /// How many of the first entries were read without their content (0: none).
    pub fn elided(&self) -> usize {
        self.log.elided_below
    }

    /// Whether rebuilding the state from before entry `n` needs the content of entries that
    /// were elided: then [`Meeting::hydrate`] first.
    pub fn needs_full_log(&self, n: usize) -> bool {
        self.log.elided_below > 0 && !self.checkpoints.iter().any(|(at, _)| *at <= n)
    }

    /// Puts back the content of the elided entries (`early`: entries 1 up to
    /// [`Meeting::elided`], in order; fewer, and they stay elided). The state does not change.
    pub fn hydrate(&mut self, early: Vec<Event>) {
        let missing = self.log.missing();
        if missing == 0 || early.len() < missing {
            return;
        }
        let mut held = Vec::with_capacity(self.log.held.len() + missing);
        let mut rest = std::mem::take(&mut self.log.held).into_iter();
        held.extend(rest.next());
        for e in early.into_iter().take(missing) {
            if let Change::Undone { target } = e.change {
                self.undone.insert(target);
            }
            held.push(e);
        }
        held.extend(rest);
        self.log = Log {
            held,
            elided_below: 0,
        };
    }

    /// Folds the entries from `from` on into the state (which holds those before it), keeping
    /// the checkpoints an undo of one of the newest entries needs.
    fn fold_from(&mut self, from: usize) {
        let len = self.log.len();
        for i in from..len {
            if i.is_multiple_of(self.every)
                && keeps_checkpoint(self.every, self.log.elided_below, i, len)
            {
                self.checkpoint(i);
            }
            if !self.undone.contains(&i) {
                let e = &self.log[i];
                self.state.fold(e.at, &e.change);
            }
        }
        if len.is_multiple_of(self.every) {
            self.checkpoint(len);
        }
    }

    fn checkpoint(&mut self, n: usize) {
        if self.checkpoints.last().is_some_and(|(last, _)| *last >= n) {
            return;
        }
        self.checkpoints.push((n, self.state.clone()));
        let (every, snapshot) = (self.every, self.log.elided_below);
        self.checkpoints
            .retain(|(at, _)| keeps_checkpoint(every, snapshot, *at, n));
    }

    /// Rebuilds the state from the nearest checkpoint at or before entry `n` (dropping those
    /// after it, which an undo of entry `n` made stale), or from the opening.
    /// Returns the state it replaced.
    fn rebuild_from(&mut self, n: usize) -> State {
        self.checkpoints.retain(|(at, _)| *at <= n);
        let (from, state) = match self.checkpoints.last() {
            Some((at, state)) => (*at, state.clone()),
            None => {
                let opening = self
                    .log
                    .first()
                    .and_then(|first| State::opened(first.at, &first.change));
                match opening {
                    Some(state) => (1, state),
                    // Never so: every meeting starts with its opening.
                    None => return self.state.clone(),
                }
            }
        };
        let before = std::mem::replace(&mut self.state, state);
        self.fold_from(from);
        before
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    /// Keeps a checkpoint every `every` entries from now on (by default [`CHECKPOINT_EVERY`]):
    /// fewer entries replayed per undo for more memory.
    pub fn set_checkpoint_every(&mut self, every: usize) {
        self.every = every.max(1);
        self.checkpoints.clear();
    }

    /// The agenda the meeting was opened with.
    pub fn setup(&self) -> Option<&Setup> {
        match &self.log.first()?.change {
            Change::Opened { setup, .. } => Some(setup),
            _ => None,
        }
    }

    pub fn log(&self) -> &Log {
        &self.log
    }

    pub fn is_undone(&self, index: usize) -> bool {
        self.undone.contains(&index)
    }

    fn undoable(&self, i: usize) -> bool {
        !self.undone.contains(&i)
            && !matches!(
                self.log[i].change,
                Change::Undone { .. } | Change::Opened { .. } | Change::Elided
            )
    }

    /// The last action of an earlier run of this console (the same seat, before a restart or
    /// a crash) that undo could take back once the screen has said whose and when.
    pub fn earlier_undoable(&self, origin: Origin, console: Option<&Console>) -> Option<usize> {
        let console = console?;
        // Only a held entry can be taken back: an elided one is read back first.
        (self.log.held_from()..self.log.len()).rev().find(|&i| {
            let e = &self.log[i];
            self.undoable(i)
                && match &e.console {
                    Some(c) => c.slot == console.slot && c.run != console.run,
                    None => e.origin == origin,
                }
        })
    }

    /// Checks a command and says which event it would add, without adding it.
    pub fn decide(
        &self,
        command: &Command,
        at: Millis,
        origin: Origin,
    ) -> Result<Event, DomainError> {
        self.decide_by(command, at, origin, None)
    }

    /// As [`Meeting::decide`], for a console that says who it is: its undo takes back only
    /// its own actions of this run.
    pub fn decide_by(
        &self,
        command: &Command,
        at: Millis,
        origin: Origin,
        console: Option<&Console>,
    ) -> Result<Event, DomainError> {
        if self.state.ended_at.is_some()
            && !matches!(
                command,
                Command::Reopen { .. } | Command::UpdateAction { .. }
            )
        {
            return Err(DomainError::MeetingClosed);
        }
        let change = match command {
            Command::Undo => {
                let target = (self.log.held_from()..self.log.len())
                    .rev()
                    .find(|&i| {
                        let e = &self.log[i];
                        self.undoable(i)
                            && match console {
                                Some(c) => e.console.as_ref() == Some(c),
                                None => e.origin == origin && e.console.is_none(),
                            }
                    })
                    .ok_or(DomainError::NothingToUndo)?;
                Change::Undone { target }
            }
            Command::UndoEarlier { target } => {
                if self.earlier_undoable(origin, console) != Some(*target) {
                    return Err(DomainError::NothingToUndo);
                }
                Change::Undone { target: *target }
            }
            other => self.state.decide(other, at)?,
        };
        Ok(Event {
            at,
            origin,
            console: console.cloned(),
            change,
        })
    }

    /// Adds an event to the log and folds it in.
    pub fn push(&mut self, event: Event) {
        self.apply(event);
    }

    /// Adds an event to the log and folds it into the state in place. An undo rebuilds the
    /// state from the nearest checkpoint before its target and returns the state it replaced,
    /// so the readable tables can be brought up to date by what differs.
    pub fn apply(&mut self, event: Event) -> Option<State> {
        let undo_target = match event.change {
            Change::Undone { target } => Some(target),
            _ => None,
        };
        if let Some(target) = undo_target {
            self.undone.insert(target);
            self.log.push(event);
            Some(self.rebuild_from(target))
        } else {
            self.state.fold(event.at, &event.change);
            self.log.push(event);
            if self.log.len().is_multiple_of(self.every) {
                self.checkpoint(self.log.len());
            }
            None
        }
    }

    /// Takes the newest entry back out of the log and the state, as if it had never been
    /// pushed: for an entry whose transaction did not commit.
    pub fn pop(&mut self) -> Option<Event> {
        if self.log.len() <= 1 {
            return None;
        }
        let event = self.log.pop()?;
        let mut stale_after = self.log.len();
        if let Change::Undone { target } = event.change {
            self.undone.remove(&target);
            stale_after = stale_after.min(target);
        }
        self.rebuild_from(stale_after);
        Some(event)
    }

    /// The state after `event`, leaving the meeting as it is.
    pub fn preview(&self, event: &Event) -> State {
        if matches!(event.change, Change::Undone { .. }) {
            let mut next = self.clone();
            next.push(event.clone());
            next.state
        } else {
            let mut state = self.state.clone();
            state.fold(event.at, &event.change);
            state
        }
    }

    /// decide + push.
    pub fn execute(
        &mut self,
        command: &Command,
        at: Millis,
        origin: Origin,
    ) -> Result<&Event, DomainError> {
        let event = self.decide(command, at, origin)?;
        self.push(event);
        Ok(self.log.last().expect("just pushed"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checkpoints a log of `len` entries keeps, as a meeting keeps them while it grows.
    fn kept(every: usize, snapshot: usize, len: usize) -> Vec<usize> {
        (every..=len)
            .step_by(every)
            .filter(|&at| keeps_checkpoint(every, snapshot, at, len))
            .collect()
    }

    #[test]
    fn checkpoints_thin_out_with_distance_and_stay_near_every_target() {
        let every = CHECKPOINT_EVERY;
        let window = every * CHECKPOINTS_KEPT;
        for len in [1_000, 20_000, 200_000, 2_000_000] {
            let at = kept(every, 0, len);
            // The newest window whole; further back four in each doubling of the distance.
            let recent = at.iter().filter(|&&a| len - a <= window).count();
            let whole = (every..=len).step_by(every).filter(|a| len - a <= window);
            assert_eq!(recent, whole.count(), "{len}: the newest window whole");
            let far = at.len() - recent;
            let doublings = (len / window).max(1).ilog2() as usize + 1;
            assert!(far <= 4 * doublings, "{len}: {far} far checkpoints");
            // An undo reaching back k entries finds one at most about k/2 before its target.
            for target in (1..len).step_by(97) {
                let from = at
                    .iter()
                    .rev()
                    .find(|&&a| a <= target)
                    .copied()
                    .unwrap_or(0);
                let reach = len - target;
                assert!(
                    target - from <= (reach / 2).max(window),
                    "{len}: target {target} replays from {from}"
                );
            }
        }
        // One dropped as the log grows is never wanted again.
        let mut before = kept(every, 0, 50_000);
        for len in (50_001..60_000).step_by(37) {
            let now = kept(every, 0, len);
            assert!(now.iter().all(|a| before.contains(a) || len - a <= window));
            before = now;
        }
    }

    #[test]
    fn the_snapshot_a_meeting_was_opened_from_is_kept_however_far_back() {
        // Opened from a snapshot after 12,345 entries: its checkpoint stays, the entries
        // before it are not held.
        assert!(keeps_checkpoint(CHECKPOINT_EVERY, 12_345, 12_345, 200_000));
        assert!(!keeps_checkpoint(CHECKPOINT_EVERY, 12_345, 12_352, 200_000));
        assert!(!keeps_checkpoint(CHECKPOINT_EVERY, 0, 12_320, 200_000));
    }

    #[test]
    fn speaking_time_is_counted_in_the_table_by_id_for_an_item_and_for_the_meeting() {
        use super::super::model::MeetingKind;
        use super::super::owners_tests::{meeting, open_with, owner};
        let people = (1..=3).map(|id| owner(id, "张伟", Some(80.0))).collect();
        let mut m = open_with(meeting(MeetingKind::ResidentsMeeting), people);
        let f = Origin::Facilitator;
        for (at, c) in [
            (
                1,
                Command::SetPresence {
                    participant: 2,
                    presence: Presence::Present,
                    holder: None,
                    reason: None,
                },
            ),
            (
                2,
                Command::QueueSpeaker {
                    participant: 2,
                    kind: SpeechKind::Speech,
                },
            ),
            (3, Command::StartNextSpeaker),
            (33, Command::EndSpeech),
        ] {
            m.execute(&c, at * 1000, f).unwrap();
        }
        let item = m.state().current_item().map(|i| i.id);
        for asked in [None, item] {
            let mut kept = SpeakingTimeSoFar::default();
            let (_, meeting) = kept.count(m.state(), asked, 40_000);
            assert_eq!(meeting, vec![(2, 30_000, 1)]);
            // A map holds only ids past the list (none here): one per speech made the
            // minutes of 20,000 speeches look one up in a tree each time.
            assert!(kept.meeting.beyond.is_empty(), "asked for {asked:?}");
            assert_eq!(kept.meeting.by_id.len(), 4);
        }
    }
}
