//! Every key binding, once. The key bar and the help overlay are generated from this table,
//! so they can never disagree with what the keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::lang::Lang;

/// What a key on the main screen asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Help,
    Quit,
    Next,
    Previous,
    Undo,
    Projector,
    Attendance,
    Speakers,
    StartSpeaker,
    Pause,
    EndSpeech,
    QueueUp,
    QueueDown,
    MoveUp,
    MoveDown,
    Unqueue,
    NewFirst,
    Vote,
    Minutes,
    Resolution,
    Dissent,
    ActionItem,
    /// `T`: every action item of the file, its status and a dated note (a review meeting).
    FollowUp,
    Defer,
    AddItem,
    Fairness,
    EndMeeting,
    SaveCopy,
    /// Closes what the main screen has open on top of itself (`w`, the projector layout).
    Close,
    ScrollUp,
    ScrollDown,
    SpeechNote,
}

/// Where a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    Main,
    Attendance,
    Speakers,
    Vote,
    RollCall,
    Editor,
    Form,
    WalkIn,
    /// `T`: the action items of every meeting, followed up.
    FollowUp,
    /// Naming a proxy's holder, a leave's reason, a walk-in owner's unit and area.
    Answer,
    Help,
}

impl Context {
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Context::Main => lang.pick("主界面", "Main screen"),
            Context::Attendance => lang.pick("签到", "Attendance"),
            Context::Speakers => lang.pick("添加发言人", "Add a speaker"),
            Context::Vote => lang.pick("表决（举手计数）", "Vote (show of hands)"),
            Context::RollCall => lang.pick("表决（逐人记名）", "Vote (roll call)"),
            Context::Editor => {
                lang.pick("记录 / 决议 / 保留意见", "Minutes / resolution / dissent")
            }
            Context::Form => lang.pick("待办事项 / 临时动议", "Action item / new item"),
            Context::WalkIn => lang.pick("添加临时到场人员", "Adding a walk-in"),
            Context::FollowUp => lang.pick("待办跟进", "Following up actions"),
            Context::Answer => lang.pick(
                "委托 / 请假 / 临时到场业主",
                "Proxy / leave / walk-in owner",
            ),
            Context::Help => lang.pick("本帮助", "This help"),
        }
    }
}

/// One line of the table.
pub struct Binding {
    pub context: Context,
    /// What the key bar and help print for the key.
    pub key: &'static str,
    /// The main-screen action, for bindings that have one.
    pub action: Option<Action>,
    /// The key that triggers it (main screen only).
    pub code: Option<KeyCode>,
    /// Short label for the key bar; empty when the binding is in help only.
    pub bar_zh: &'static str,
    pub bar_en: &'static str,
    pub help_zh: &'static str,
    pub help_en: &'static str,
}

impl Binding {
    pub fn bar(&self, lang: Lang) -> &'static str {
        lang.pick(self.bar_zh, self.bar_en)
    }

    pub fn help(&self, lang: Lang) -> &'static str {
        lang.pick(self.help_zh, self.help_en)
    }

    /// The key as printed: the one key that is a word, not a key cap, is said in each language.
    pub fn key_label(&self, lang: Lang) -> &'static str {
        match self.key {
            TYPE_TO_FIND => lang.pick(TYPE_TO_FIND, "letters"),
            key => key,
        }
    }
}

/// Typing a name or its initials, in the key column of the finders.
const TYPE_TO_FIND: &str = "字母/汉字";

macro_rules! b {
    ($ctx:ident, $key:literal, $action:expr, $code:expr, $bz:literal, $be:literal, $hz:literal, $he:literal) => {
        Binding {
            context: Context::$ctx,
            key: $key,
            action: $action,
            code: $code,
            bar_zh: $bz,
            bar_en: $be,
            help_zh: $hz,
            help_en: $he,
        }
    };
}

use Action as A;
use KeyCode as K;

pub const BINDINGS: &[Binding] = &[
    b!(
        Main,
        "?",
        Some(A::Help),
        Some(K::Char('?')),
        "帮助",
        "help",
        "显示 / 关闭帮助",
        "show / close this help"
    ),
    b!(
        Main,
        "n",
        Some(A::Next),
        Some(K::Char('n')),
        "下一项",
        "next",
        "下一个议题（有人发言时先询问）",
        "next item (asks first while someone speaks)"
    ),
    b!(
        Main,
        "p",
        Some(A::Previous),
        Some(K::Char('p')),
        "上一项",
        "prev",
        "上一个议题（有人发言时先询问）",
        "previous item (asks first while someone speaks)"
    ),
    b!(
        Main,
        "a",
        Some(A::Attendance),
        Some(K::Char('a')),
        "签到",
        "attend",
        "签到：按姓名或拼音首字母查找",
        "attendance: find by name or pinyin initials"
    ),
    b!(
        Main,
        "s",
        Some(A::Speakers),
        Some(K::Char('s')),
        "发言",
        "speaker",
        "添加发言人到队列",
        "add a speaker to the queue"
    ),
    b!(
        Main,
        "Enter",
        Some(A::StartSpeaker),
        Some(K::Enter),
        "开始",
        "start",
        "无人发言时：下一位发言人开始（不会结束正在进行的发言）",
        "nobody speaking: start the next speaker (never ends a running speech)"
    ),
    b!(
        Main,
        "Space",
        Some(A::Pause),
        Some(K::Char(' ')),
        "暂停",
        "pause",
        "暂停 / 继续发言计时",
        "pause / resume the speech timer"
    ),
    b!(
        Main,
        "x",
        Some(A::EndSpeech),
        Some(K::Char('x')),
        "结束",
        "end",
        "结束当前发言",
        "end the current speech"
    ),
    b!(
        Main,
        "↑ ↓",
        Some(A::QueueUp),
        Some(K::Up),
        "",
        "",
        "在发言队列中选择",
        "select in the speaker queue"
    ),
    b!(Main, "↓", Some(A::QueueDown), Some(K::Down), "", "", "", ""),
    b!(
        Main,
        "[ ]",
        Some(A::MoveUp),
        Some(K::Char('[')),
        "",
        "",
        "选中的发言人前移 / 后移",
        "move the selected speaker up / down"
    ),
    b!(
        Main,
        "]",
        Some(A::MoveDown),
        Some(K::Char(']')),
        "",
        "",
        "",
        ""
    ),
    b!(
        Main,
        "Del",
        Some(A::Unqueue),
        Some(K::Delete),
        "",
        "",
        "从队列中移除选中的发言人",
        "remove the selected speaker from the queue"
    ),
    b!(
        Main,
        "f",
        Some(A::NewFirst),
        Some(K::Char('f')),
        "",
        "",
        "未发过言的人排到前面",
        "people who have not spoken yet go first"
    ),
    b!(
        Main,
        "v",
        Some(A::Vote),
        Some(K::Char('v')),
        "表决",
        "vote",
        "对当前议题表决（再按一次为重新表决）",
        "vote on the current item (again to re-take it)"
    ),
    b!(
        Main,
        "m",
        Some(A::Minutes),
        Some(K::Char('m')),
        "记录",
        "minutes",
        "编辑会议记录",
        "edit the minutes"
    ),
    b!(
        Main,
        "r",
        Some(A::Resolution),
        Some(K::Char('r')),
        "决议",
        "resolution",
        "编辑决议",
        "edit the resolution"
    ),
    b!(
        Main,
        "d",
        Some(A::Dissent),
        Some(K::Char('d')),
        "保留意见",
        "dissent",
        "编辑保留意见（每行 姓名：意见）",
        "edit dissent (one per line, Name: opinion)"
    ),
    b!(
        Main,
        "t",
        Some(A::ActionItem),
        Some(K::Char('t')),
        "待办",
        "action",
        "添加待办事项（事项、领办人、完成时限）",
        "add an action item (what, owner, due date)"
    ),
    b!(
        Main,
        "T",
        Some(A::FollowUp),
        Some(K::Char('T')),
        "",
        "",
        "待办跟进：各次会议的待办，记进展和状态（评议会上用）",
        "follow up the action items of every meeting: status and a dated note"
    ),
    b!(
        Main,
        "w",
        Some(A::Fairness),
        Some(K::Char('w')),
        "谁发言",
        "heard",
        "发言统计：居民是否被听到",
        "speaking time: were residents heard?"
    ),
    b!(
        Main,
        "D",
        Some(A::Defer),
        Some(K::Char('D')),
        "延期",
        "defer",
        "当前议题延期到下次会议（先询问；按 u 撤销）",
        "defer the current item to a later meeting (asks first; u undoes)"
    ),
    b!(
        Main,
        "i",
        Some(A::AddItem),
        Some(K::Char('i')),
        "临时动议",
        "new item",
        "临时动议：在当前议题后加一项",
        "add an item raised in the room after the current one"
    ),
    b!(
        Main,
        "u",
        Some(A::Undo),
        Some(K::Char('u')),
        "撤销",
        "undo",
        "撤销本控制台的上一步操作",
        "undo this console's last action"
    ),
    b!(
        Main,
        "P",
        Some(A::Projector),
        Some(K::Char('P')),
        "投影",
        "projector",
        "投影大屏布局（再按返回）",
        "projector layout (again to return)"
    ),
    // Last in the key bar, so a narrow bar drops it before the keys the room uses most.
    b!(
        Main,
        "k",
        Some(A::SpeechNote),
        Some(K::Char('k')),
        "要点",
        "note",
        "发言要点：正在发言或刚结束的一段，Enter 或 Esc 保存",
        "speech note on the speech now or just ended; Enter or Esc saves"
    ),
    b!(
        Main,
        "E",
        Some(A::EndMeeting),
        Some(K::Char('E')),
        "散会",
        "close",
        "宣布散会（需确认）",
        "close the meeting (asks first)"
    ),
    b!(
        Main,
        "b",
        Some(A::SaveCopy),
        Some(K::Char('b')),
        "",
        "",
        "另存一份数据库副本（文件被删除或移走时存到原文件夹）",
        "save a copy of the database now (even if the file was deleted)"
    ),
    b!(
        Main,
        "PgUp PgDn",
        Some(A::ScrollUp),
        Some(K::PageUp),
        "",
        "",
        "议题内容较长时上下翻看",
        "scroll the item pane when it is longer than the screen"
    ),
    b!(
        Main,
        "PgDn",
        Some(A::ScrollDown),
        Some(K::PageDown),
        "",
        "",
        "",
        ""
    ),
    b!(
        Main,
        "Esc",
        Some(A::Close),
        Some(K::Esc),
        "",
        "",
        "关闭发言统计（w）或投影布局（P）",
        "close the speaking time (w) or the projector layout (P)"
    ),
    b!(
        Main,
        "q",
        Some(A::Quit),
        Some(K::Char('q')),
        "退出",
        "quit",
        "退出（一切已保存）",
        "quit (everything is already saved)"
    ),
    b!(
        Attendance,
        "字母/汉字",
        None,
        None,
        "查找",
        "find",
        "按姓名或拼音首字母筛选（zjg → 张建国）",
        "filter by name or pinyin initials (zjg → 张建国)"
    ),
    b!(
        Attendance,
        "Space",
        None,
        None,
        "到场",
        "present",
        "选中者 到场 / 缺席（无人匹配时是姓名中的空格）",
        "toggle present for the selected person (with no match: a space in the name)"
    ),
    b!(
        Attendance,
        "Tab",
        None,
        None,
        "线上/委托/请假",
        "online/proxy/leave",
        "切换 到场 → 线上 → 委托（问受托人）→ 请假（问原因）→ 缺席",
        "cycle present → online → proxy (asks its holder) → leave (asks why) → absent"
    ),
    b!(
        Attendance, "↑ ↓", None, None, "选择", "select", "选择", "select"
    ),
    b!(
        Attendance,
        "Enter",
        None,
        None,
        "临时参会",
        "walk-in",
        "无匹配时：询问是否以输入的姓名添加临时到场人员",
        "no match: asks to add a walk-in with the typed name"
    ),
    b!(
        Attendance,
        "Esc",
        None,
        None,
        "清除/关闭",
        "clear/close",
        "清除筛选；再按一次关闭",
        "clear the filter; again to close"
    ),
    b!(
        Speakers,
        "字母/汉字",
        None,
        None,
        "查找",
        "find",
        "按姓名或拼音首字母查找到会者",
        "find an attendee by name or pinyin initials"
    ),
    b!(
        Speakers,
        "Enter",
        None,
        None,
        "加入队列",
        "queue",
        "把选中者加入发言队列",
        "queue the selected person"
    ),
    b!(
        Speakers,
        "Tab",
        None,
        None,
        "类型",
        "kind",
        "切换 发言 / 简短回应 / 程序动议（后两者插队）",
        "cycle speech / short reply / point of order (these jump the queue)"
    ),
    b!(
        Speakers, "Esc", None, None, "关闭", "close", "关闭", "close"
    ),
    b!(
        Vote,
        "0-9",
        None,
        None,
        "票数",
        "count",
        "输入票数",
        "type a count"
    ),
    b!(
        Vote,
        "Tab",
        None,
        None,
        "下一栏",
        "next field",
        "赞成 → 反对 → 弃权（多选项时按选项顺序）→ 计票人、监票人",
        "yes → no → abstain (options in order for plurality) → tellers"
    ),
    b!(
        Vote,
        "m",
        None,
        None,
        "方式",
        "method",
        "举手表决 ↔ 无记名投票",
        "show of hands ↔ secret ballot"
    ),
    b!(
        Vote,
        "r",
        None,
        None,
        "记名",
        "roll call",
        "改为逐人记名表决（再按改回计数）",
        "take a roll call instead (again: back to counts)"
    ),
    b!(
        Vote,
        "Enter",
        None,
        None,
        "记录",
        "record",
        "记录表决结果",
        "record the result"
    ),
    b!(
        Vote,
        "Esc",
        None,
        None,
        "取消",
        "cancel",
        "取消，不记录",
        "cancel, record nothing"
    ),
    b!(
        RollCall,
        "y n a",
        None,
        None,
        "赞成/反对/弃权",
        "yes/no/abstain",
        "标记选中者并下移",
        "mark the selected voter and move down"
    ),
    b!(
        RollCall, "↑ ↓", None, None, "选择", "select", "选择", "select"
    ),
    b!(
        RollCall,
        "Tab",
        None,
        None,
        "计票人",
        "tellers",
        "填写计票人、监票人",
        "name the tellers"
    ),
    b!(
        RollCall,
        "Enter",
        None,
        None,
        "记录",
        "record",
        "记录表决结果",
        "record the result"
    ),
    b!(
        RollCall,
        "Esc",
        None,
        None,
        "取消",
        "cancel",
        "取消，不记录",
        "cancel, record nothing"
    ),
    b!(
        Editor,
        "Enter",
        None,
        None,
        "换行",
        "new line",
        "换行；可输入任意中文",
        "new line; type any text"
    ),
    b!(
        Editor,
        "Esc",
        None,
        None,
        "保存",
        "save",
        "保存并返回（输入中每两秒自动存草稿）",
        "save and return (a draft is kept every two seconds)"
    ),
    b!(
        Form,
        "Tab",
        None,
        None,
        "下一栏",
        "next field",
        "事项 → 领办人 → 完成时限 YYYY-MM-DD",
        "what → owner → due date YYYY-MM-DD"
    ),
    b!(Form, "Enter", None, None, "保存", "save", "保存", "save"),
    b!(Form, "Esc", None, None, "取消", "cancel", "取消", "cancel"),
    b!(
        WalkIn,
        "Tab",
        None,
        None,
        "身份",
        "role",
        "切换身份（居民、居民代表、列席……）",
        "cycle the role (resident, resident rep, guest …)"
    ),
    b!(
        WalkIn,
        "v",
        None,
        None,
        "表决权",
        "voting",
        "参加 / 不参加表决",
        "votes / does not vote"
    ),
    b!(
        WalkIn,
        "Enter",
        None,
        None,
        "添加",
        "add",
        "添加并记为到场（业主大会：再问房号与专有部分面积）",
        "add, marked present (owners' meeting: then asks the unit and its area)"
    ),
    b!(
        WalkIn,
        "Esc",
        None,
        None,
        "取消",
        "cancel",
        "不添加，回到签到",
        "add nobody, back to attendance"
    ),
    b!(
        FollowUp,
        "↑ ↓",
        None,
        None,
        "选择",
        "select",
        "选择待办（逾期的在前）",
        "select an action (overdue first)"
    ),
    b!(
        FollowUp,
        "Enter",
        None,
        None,
        "更新",
        "update",
        "更新选中的待办：Tab 改状态，写进展说明，Enter 记下（注明今天的日期）",
        "update the selected action: Tab sets the status, type a note, Enter records it, dated today"
    ),
    b!(
        FollowUp,
        "Esc",
        None,
        None,
        "返回",
        "back",
        "不记录，返回列表；在列表上按则关闭",
        "record nothing, back to the list; on the list, close it"
    ),
    b!(
        Answer,
        "Enter",
        None,
        None,
        "确定",
        "record",
        "记下受托人 / 请假原因 / 房号与面积（房号留空：不计入业主表决）",
        "record the holder / the reason / the unit and area (no unit: not counted in owners' votes)"
    ),
    b!(
        Answer,
        "Tab",
        None,
        None,
        "下一状态",
        "next status",
        "签到时：不记委托，改问请假；再按记为缺席",
        "in attendance: no proxy, ask about leave instead; again for absent"
    ),
    b!(
        Answer,
        "Esc",
        None,
        None,
        "返回",
        "back",
        "不记录，返回上一步",
        "record nothing, go back a step"
    ),
    b!(
        Help,
        "↑ ↓",
        None,
        None,
        "",
        "",
        "上下滚动一行",
        "scroll one line"
    ),
    b!(
        Help,
        "PgUp PgDn",
        None,
        None,
        "",
        "",
        "上下翻一页",
        "scroll one page"
    ),
    b!(
        Help,
        "Home End",
        None,
        None,
        "",
        "",
        "到开头 / 到末尾",
        "to the top / to the end"
    ),
    b!(
        Help,
        "? Esc",
        None,
        None,
        "",
        "",
        "关闭帮助",
        "close this help"
    ),
];

/// A key as the ASCII key it stands for: with a Chinese input method on, the punctuation keys
/// and letters arrive in their full-width forms (`？` for `?`, `【` for `[`, `　` for Space).
pub fn narrow(key: KeyEvent) -> KeyEvent {
    let KeyCode::Char(c) = key.code else {
        return key;
    };
    let ascii = match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0),
        '\u{3000}' => Some(' '),
        '【' => Some('['),
        '】' => Some(']'),
        '、' => Some('\\'),
        '。' => Some('.'),
        '《' => Some('<'),
        '》' => Some('>'),
        '·' => Some('`'),
        '\u{2018}' | '\u{2019}' => Some('\''),
        '\u{201c}' | '\u{201d}' => Some('"'),
        _ => None,
    };
    match ascii {
        Some(a) => KeyEvent {
            code: KeyCode::Char(a),
            ..key
        },
        None => key,
    }
}

/// A character an input method produced that is no key: the main screen asks to switch to
/// English input instead of doing nothing.
pub fn is_composed(key: &KeyEvent) -> bool {
    matches!(key.code, KeyCode::Char(c) if !c.is_ascii())
}

/// The main-screen action of a key press.
pub fn action(key: &KeyEvent) -> Option<Action> {
    if key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return None;
    }
    let code = match narrow(*key).code {
        KeyCode::Backspace => KeyCode::Delete,
        other => other,
    };
    BINDINGS
        .iter()
        .filter(|b| b.context == Context::Main)
        .find(|b| b.code == Some(code))
        .and_then(|b| b.action)
}

/// The bindings of a context that go in the key bar.
pub fn bar(context: Context) -> impl Iterator<Item = &'static Binding> {
    BINDINGS
        .iter()
        .filter(move |b| b.context == context && !b.bar_zh.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stable_key_of_the_design_is_bound() {
        let k = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        for (c, a) in [
            ('?', A::Help),
            ('q', A::Quit),
            ('n', A::Next),
            ('p', A::Previous),
            ('u', A::Undo),
            ('P', A::Projector),
            ('a', A::Attendance),
            ('s', A::Speakers),
            (' ', A::Pause),
            ('x', A::EndSpeech),
            ('v', A::Vote),
            ('m', A::Minutes),
            ('r', A::Resolution),
            ('d', A::Dissent),
            ('t', A::ActionItem),
            ('k', A::SpeechNote),
        ] {
            assert_eq!(action(&k(c)), Some(a), "key {c:?}");
        }
        assert_eq!(
            action(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
            Some(A::StartSpeaker)
        );
        assert_eq!(
            action(&KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL)),
            None
        );
    }

    #[test]
    fn full_width_keys_act_as_the_keys() {
        let k = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(action(&k('？')), Some(A::Help));
        assert_eq!(action(&k('【')), Some(A::MoveUp));
        assert_eq!(action(&k('】')), Some(A::MoveDown));
        assert_eq!(action(&k('ｎ')), Some(A::Next));
        assert_eq!(action(&k('Ｐ')), Some(A::Projector));
        assert_eq!(action(&k('\u{3000}')), Some(A::Pause));
        assert_eq!(action(&k('张')), None);
        assert!(is_composed(&k('张')));
        assert!(!is_composed(&k('n')));
    }

    #[test]
    fn no_key_is_bound_twice_on_the_main_screen() {
        let mut seen = std::collections::HashSet::new();
        for b in BINDINGS.iter().filter(|b| b.context == Context::Main) {
            if let Some(code) = b.code {
                assert!(seen.insert(format!("{code:?}")), "{code:?} bound twice");
            }
        }
    }
}
