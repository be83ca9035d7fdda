//! The console's model and what each key does to it. Views only read this.

use std::cell::Cell;
use std::collections::BTreeMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::{TextArea, WrapMode};

use super::input::LineInput;
use super::keys::{self, Action};
use super::strings::{Strings, strings};
use crate::domain::find;
use crate::domain::model::{Area, ItemId, MeetingKind, Millis, ParticipantId, Role};
use crate::domain::state::{
    ActionStatus, Change, Command, Console, DomainError, Event, Item, ItemStatus, Meeting, Origin,
    Presence, SpeechKind, State, TallyInput, TextField,
};
use crate::domain::tally::{self, Choice, Method, Outcome, Rule, TallyError, Votes, Weight};
use crate::lang::Lang;
use crate::store::{DraftKey, MeetingId, Store};

/// Which console this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seat {
    Facilitator,
    /// Minutes, resolution, dissent and actions of the item the facilitator is on.
    Secretary,
    /// The big-screen view, read-only.
    Projector,
    /// The main screen, read-only: a second facilitator who only follows.
    Observer,
}

impl Seat {
    /// The console slot a seat takes when nothing more is known (a second secretary is given
    /// `secretary-2` by whoever opens it).
    pub fn slot(self) -> &'static str {
        match self {
            Seat::Facilitator => "facilitator",
            Seat::Secretary => "secretary-1",
            Seat::Projector => "projector",
            Seat::Observer => "observer",
        }
    }

    /// What a key may do at this console; the key bar shows only these.
    pub fn allows(self, action: Action) -> bool {
        use Action as A;
        match self {
            Seat::Facilitator => true,
            Seat::Secretary => matches!(
                action,
                A::Help
                    | A::Next
                    | A::Previous
                    | A::Quit
                    | A::SaveCopy
                    | A::Undo
                    | A::Minutes
                    | A::Resolution
                    | A::Dissent
                    | A::SpeechNote
                    | A::ActionItem
                    | A::FollowUp
                    | A::Fairness
                    | A::Projector
                    | A::Close
                    | A::ScrollUp
                    | A::ScrollDown
            ),
            Seat::Projector => matches!(action, A::Help | A::Quit | A::SaveCopy),
            Seat::Observer => matches!(
                action,
                A::Help
                    | A::Quit
                    | A::Projector
                    | A::Fairness
                    | A::SaveCopy
                    | A::Close
                    | A::ScrollUp
                    | A::ScrollDown
            ),
        }
    }

    /// Whether this console ever opens the panels a context of the key table belongs to: its
    /// help lists only those.
    pub fn uses(self, context: keys::Context) -> bool {
        use keys::Context as C;
        match self {
            Seat::Facilitator => true,
            Seat::Secretary => matches!(
                context,
                C::Main | C::Editor | C::Form | C::FollowUp | C::Help
            ),
            Seat::Projector | Seat::Observer => matches!(context, C::Main | C::Help),
        }
    }
}

/// Text fields an editor writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditField {
    Minutes,
    Resolution,
    Dissent,
}

impl EditField {
    pub fn key(self) -> &'static str {
        match self {
            EditField::Minutes => "minutes",
            EditField::Resolution => "resolution",
            EditField::Dissent => "dissent",
        }
    }

    pub fn label(self, s: &Strings) -> &'static str {
        match self {
            EditField::Minutes => s.minutes,
            EditField::Resolution => s.resolution,
            EditField::Dissent => s.dissent,
        }
    }

    pub const ALL: [EditField; 3] = [
        EditField::Minutes,
        EditField::Resolution,
        EditField::Dissent,
    ];

    /// The saved text of this field, as its editor shows it.
    pub fn committed(self, item: &Item) -> String {
        match self {
            EditField::Minutes => item.minutes.clone(),
            EditField::Resolution => item.resolution.clone(),
            EditField::Dissent => item.dissent_text(),
        }
    }

    fn parse(key: &str) -> Option<EditField> {
        EditField::ALL.into_iter().find(|f| f.key() == key)
    }
}

pub struct Editor {
    pub item: ItemId,
    pub field: EditField,
    pub area: TextArea<'static>,
    /// The saved text the typing started from: a save merges with what another console saved
    /// since, instead of replacing it.
    pub base: String,
    /// When the text last changed and has not been saved as a draft since.
    pub dirty_since: Option<Millis>,
    /// `Esc` could not save: the next `Esc` leaves, keeping the text.
    pub save_failed: bool,
}

pub struct VoteForm {
    pub item: ItemId,
    pub rule: Rule,
    pub question: String,
    pub options: Vec<String>,
    /// Count fields: yes / no / abstain, or one per option then abstain.
    pub fields: Vec<String>,
    pub focus: usize,
    /// Roll call: the voters present in agenda order and their marks.
    pub roll: Option<Roll>,
    pub retake: bool,
    /// How the counts were taken (show of hands or secret ballot; a roll call has its marks).
    pub method: Method,
    /// 计票人、监票人, as typed.
    pub tellers: LineInput,
    /// The tellers field has the focus (the last stop of `Tab`).
    pub on_tellers: bool,
    /// `Enter` was pressed on a roll call with voters unmarked: a second `Enter` records.
    pub asking: bool,
}

impl VoteForm {
    /// The voters who take part under `rule`, in agenda order; on a re-take, the marks of the
    /// vote it replaces.
    fn roll_call(state: &State, item: ItemId, rule: Rule) -> Roll {
        let voters: Vec<ParticipantId> = state.roll_for(rule).iter().map(|p| p.id).collect();
        let marks = state
            .vote_of(item)
            .map(|v| {
                v.ballots
                    .iter()
                    .filter(|(p, _)| voters.contains(p))
                    .copied()
                    .collect()
            })
            .unwrap_or_default();
        Roll {
            voters,
            marks,
            selected: 0,
            filter: String::new(),
        }
    }

    /// Voters present with no mark yet.
    pub fn unmarked(&self) -> usize {
        self.roll
            .as_ref()
            .map_or(0, |r| r.voters.len().saturating_sub(r.marks.len()))
    }
}

pub struct Roll {
    pub voters: Vec<ParticipantId>,
    pub marks: BTreeMap<ParticipantId, Choice>,
    /// Index into the shown list ([`Roll::shown`]).
    pub selected: usize,
    /// A unit or a name typed to find one owner among hundreds (y / n / a are marks).
    pub filter: String,
}

impl Roll {
    /// The voters the list shows: all of them in agenda order, or those the typed unit or
    /// name matches, an exact unit or name first.
    pub fn shown(&self, state: &State) -> Vec<ParticipantId> {
        let q = self.filter.trim();
        if q.is_empty() {
            return self.voters.clone();
        }
        let mut found: Vec<(u32, usize, ParticipantId)> = self
            .voters
            .iter()
            .enumerate()
            .filter_map(|(i, pid)| {
                let p = state.participant(*pid)?;
                let units = p
                    .units
                    .iter()
                    .map(|u| u.unit.as_str())
                    .chain(p.unit.as_deref());
                // A unit is typed with digits, which no pinyin has: spare the readings.
                let mut best = if q.chars().any(|c| c.is_ascii_digit()) {
                    p.name.contains(q).then_some(2)
                } else {
                    find::score(&p.name, q)
                };
                for u in units {
                    let s = if u == q {
                        Some(0)
                    } else if u.starts_with(q) {
                        Some(1)
                    } else if u.contains(q) {
                        Some(2)
                    } else {
                        None
                    };
                    best = match (best, s) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                }
                best.map(|s| (s, i, *pid))
            })
            .collect();
        found.sort();
        found.into_iter().map(|(_, _, pid)| pid).collect()
    }
}

pub struct ActionForm {
    pub item: ItemId,
    pub fields: [LineInput; 3],
    pub focus: usize,
}

/// A key that would cut off the room's work, asked about first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ask {
    /// `n` / `p` while someone speaks: ends the speech and moves.
    Leave { next: bool, speaker: String },
    /// `D`: defer the current item to a later meeting.
    Defer { item: ItemId, title: String },
    /// `E`: close the meeting.
    End,
}

/// `Enter` on an attendance filter that matched nobody: who is added, as what.
pub struct WalkInForm {
    /// The attendance filter to go back to.
    pub filter: LineInput,
    pub name: String,
    pub role: Role,
    pub voter: bool,
    /// 业主大会: a walk-in who votes is asked for the unit, then its exclusive area.
    pub ask: Option<WalkInAsk>,
}

/// The owner's details a walk-in gives at the door, one question at a time.
pub enum WalkInAsk {
    Unit(LineInput),
    Area { unit: String, input: LineInput },
}

/// `T`: the action items of every meeting of the file, to follow up in a review meeting.
pub struct FollowUp {
    /// The file's other meetings, read when the screen opened; this console's own meeting is
    /// [`App::meeting`].
    pub others: Vec<(MeetingId, Meeting)>,
    pub selected: usize,
    /// Updating the selected action.
    pub form: Option<FollowUpForm>,
}

/// A new status and a note for one action item, dated when recorded.
pub struct FollowUpForm {
    pub meeting: MeetingId,
    pub action: u32,
    pub status: ActionStatus,
    pub note: LineInput,
}

/// `Tab` onto 委托 or 请假 in attendance: who holds the proxy, or why they are excused.
pub struct PresenceForm {
    /// The attendance list to go back to.
    pub filter: LineInput,
    pub selected: usize,
    pub participant: ParticipantId,
    /// [`Presence::Proxy`] or [`Presence::Leave`].
    pub presence: Presence,
    pub input: LineInput,
}

pub enum Mode {
    Main,
    Attendance {
        filter: LineInput,
        selected: usize,
    },
    Speakers {
        filter: LineInput,
        selected: usize,
        kind: SpeechKind,
    },
    Vote(VoteForm),
    Editor(Box<Editor>),
    Action(ActionForm),
    AddItem(LineInput),
    Confirm(Ask),
    WalkIn(WalkInForm),
    PresenceDetail(PresenceForm),
    FollowUp(Box<FollowUp>),
    /// `k`: a one-line note on a speech; Enter or Esc saves it.
    SpeechNote {
        speech: u32,
        input: LineInput,
    },
    /// Undo of an action of an earlier run of this console, once its time and kind are shown.
    ConfirmUndo {
        target: usize,
        prompt: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Info,
    Error,
}

pub struct App {
    pub store: Store,
    pub id: MeetingId,
    pub meeting: Meeting,
    pub lang: Lang,
    pub seat: Seat,
    /// Who this console is in the record: its undo and its drafts are its own.
    pub console: Console,
    pub mode: Mode,
    pub projector: bool,
    pub help: bool,
    pub help_scroll: u16,
    /// The last line the help can scroll to and its page height, as last drawn.
    pub help_limit: Cell<(u16, u16)>,
    /// How far the item pane is scrolled, and how far it can be, as last drawn.
    pub item_scroll: u16,
    pub item_limit: Cell<(u16, u16)>,
    item_scrolled_for: Option<ItemId>,
    pub fairness: bool,
    /// The speaking time the `w` screen shows, counted as the speeches end.
    pub speaking_time: std::cell::RefCell<crate::domain::state::SpeakingTimeSoFar>,
    /// The secretary's console may look at (and write the texts of) another item than the one
    /// under discussion; the meeting does not move.
    pub viewing: Option<ItemId>,
    pub queue_selected: usize,
    pub message: Option<(String, Tone)>,
    /// The whole-file integrity check, running beside the console since it opened.
    integrity: Option<std::sync::mpsc::Receiver<Result<(), crate::store::StoreError>>>,
    pub now: Millis,
    pub quit: bool,
    data_version: i64,
    /// When the file was last checked for having been deleted or replaced.
    file_checked_at: Millis,
    /// Text being typed for the current item in another console (or left from a crash), not
    /// yet saved: shown so the facilitator follows the secretary as they type.
    pub drafts: Vec<(EditField, String)>,
    drafts_of: Option<ItemId>,
    /// Texts left in an editor that could not be saved, not even as a draft: reopening the
    /// editor shows them, and quitting saves them with the copy or prints them.
    pub kept: Vec<super::rescue::Kept>,
    /// The copy saved with `b` or on quit, once the file was deleted or moved.
    pub saved_copy: Option<std::path::PathBuf>,
}

/// How often the console makes sure its database file is still the one it opened.
pub const FILE_CHECK_MS: Millis = 2_000;

/// Saves a draft this long after the last keystroke (the design allows two seconds).
pub const DRAFT_AFTER_MS: Millis = 1_000;

impl App {
    pub fn new(
        store: Store,
        id: MeetingId,
        meeting: Meeting,
        lang: Lang,
        seat: Seat,
        now: Millis,
    ) -> App {
        let data_version = store.data_version().unwrap_or(0);
        let console = Console::new(seat.slot(), run_id(now));
        let integrity = store.check_integrity_later();
        App {
            store,
            id,
            meeting,
            lang,
            seat,
            console,
            mode: Mode::Main,
            projector: seat == Seat::Projector,
            help: false,
            help_scroll: 0,
            help_limit: Cell::new((0, 1)),
            item_scroll: 0,
            item_limit: Cell::new((0, 1)),
            item_scrolled_for: None,
            fairness: false,
            speaking_time: Default::default(),
            viewing: None,
            queue_selected: 0,
            message: None,
            now,
            quit: false,
            data_version,
            file_checked_at: now,
            integrity,
            drafts: Vec::new(),
            drafts_of: None,
            kept: Vec::new(),
            saved_copy: None,
        }
    }

    pub fn state(&self) -> &State {
        self.meeting.state()
    }

    /// On the last item still to discuss: `n` has nowhere to go, `E` closes.
    pub fn at_last_item(&self) -> bool {
        let s = self.state();
        s.ended_at.is_none()
            && s.current.is_some_and(|c| {
                !s.items
                    .iter_from(c + 1)
                    .any(|i| i.status != ItemStatus::Deferred)
            })
    }

    /// The item the pane shows: the one under discussion, or the one the secretary looks at.
    pub fn shown_item(&self) -> Option<&Item> {
        let s = self.state();
        self.viewing
            .and_then(|id| s.item(id))
            .or_else(|| s.current_item())
    }

    /// The secretary's n / p: look at the item after or before the one shown.
    fn browse(&mut self, next: bool) {
        let s = self.state();
        let Some(at) = self
            .shown_item()
            .and_then(|i| s.items.iter().position(|x| x.id == i.id))
        else {
            self.error(crate::domain::state::DomainError::NoCurrentItem.describe(self.lang));
            return;
        };
        let to = if next {
            (at + 1 < s.items.len()).then_some(at + 1)
        } else {
            at.checked_sub(1)
        };
        match to {
            Some(to) => {
                self.viewing = (s.current != Some(to)).then(|| s.items[to].id);
            }
            None => self.error(if next {
                crate::domain::state::DomainError::AtLastItem.describe(self.lang)
            } else {
                crate::domain::state::DomainError::AtFirstItem.describe(self.lang)
            }),
        }
    }

    /// How far the item pane is scrolled: back at the top on another item.
    pub fn item_scroll_now(&self) -> u16 {
        let current = self.state().current_item().map(|i| i.id);
        if current.is_some() && current == self.item_scrolled_for {
            self.item_scroll
        } else {
            0
        }
    }

    pub fn s(&self) -> &'static Strings {
        strings(self.lang)
    }

    fn origin(&self) -> Origin {
        match self.seat {
            Seat::Secretary => Origin::Secretary,
            _ => Origin::Facilitator,
        }
    }

    pub(super) fn info(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), Tone::Info));
    }

    pub(super) fn error(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), Tone::Error));
    }

    /// Carries out a command through the store; the screen changes only once it is committed.
    pub fn exec(&mut self, command: Command) -> bool {
        self.run(command).is_some()
    }

    /// As [`App::exec`], giving the recorded event.
    fn run(&mut self, command: Command) -> Option<Event> {
        let origin = self.origin();
        let seen = self.meeting.log().len();
        let result = self.store.execute_by(
            self.id,
            &mut self.meeting,
            &command,
            self.now,
            origin,
            Some(&self.console),
        );
        // Entries of other consoles read inside the transaction are news here too.
        let upto = self.meeting.log().len() - usize::from(result.is_ok());
        self.news(seen, upto);
        match result {
            Ok(event) => Some(event),
            Err(e) => {
                self.error(e.describe(self.lang));
                None
            }
        }
    }

    /// Tells what other consoles did to texts between log positions `from` and `to`: a merge,
    /// or a save of the field this console is editing (its save will then merge).
    fn news(&mut self, from: usize, to: usize) {
        let editing = match &self.mode {
            Mode::Editor(e) => Some((e.item, e.field)),
            _ => None,
        };
        let mut note = None;
        for e in self.meeting.log().range(from, to) {
            if e.console.as_ref() == Some(&self.console) {
                continue;
            }
            let (item, field, merged) = match &e.change {
                Change::TextSet {
                    item,
                    field,
                    merged,
                    ..
                } => (
                    *item,
                    match field {
                        TextField::Minutes => EditField::Minutes,
                        TextField::Resolution => EditField::Resolution,
                    },
                    *merged,
                ),
                Change::DissentSet { item, merged, .. } => (*item, EditField::Dissent, *merged),
                _ => continue,
            };
            let who = e.origin.label(self.lang);
            let label = field.label(self.s());
            if editing == Some((item, field)) {
                note = Some(match self.lang {
                    Lang::Zh => format!("{who}刚保存了{label}；你保存时两份都会保留，不会覆盖"),
                    Lang::En => format!(
                        "The {who} just saved the {label}; when you save, both texts are kept, nothing is overwritten"
                    ),
                });
            } else if merged {
                note = Some(match self.lang {
                    Lang::Zh => format!("{who}保存的{label}与此前同时保存的内容已合并，两份都保留"),
                    Lang::En => format!(
                        "The {who} saved the {label} at the same time as another console: both texts are kept"
                    ),
                });
            }
        }
        if let Some(note) = note {
            self.info(note);
        }
    }

    /// Called between inputs: picks up other consoles' actions and keeps drafts.
    /// Returns whether the screen needs drawing.
    pub fn tick(&mut self) -> bool {
        let mut changed = false;
        if let Mode::Editor(editor) = &mut self.mode
            && let Some(since) = editor.dirty_since
            && self.now - since >= DRAFT_AFTER_MS
        {
            let text = editor.area.lines().join("\n");
            let key = DraftKey {
                meeting: self.id,
                item: editor.item,
                field: editor.field.key(),
                console: self.console.slot.clone(),
            };
            editor.dirty_since = None;
            let base = editor.base.clone();
            if let Err(e) = self.store.save_draft(&key, &text, &base, self.now) {
                self.error(e.describe(self.lang));
                changed = true;
            }
        }
        // Moves this console's writes into the file itself once it has been quiet a moment,
        // so that a plain copy of the file holds the meeting; a failure shows on the next
        // action or file check.
        if let Ok(true) = self.store.checkpoint_if_quiet() {
            // A quiet moment: keep the snapshot the next open starts from fresh.
            let _ = self.store.snapshot_if_due(self.id, &self.meeting, false);
        }
        if let Some(rx) = &self.integrity
            && let Ok(outcome) = rx.try_recv()
        {
            self.integrity = None;
            if let Err(e) = outcome {
                self.error(e.describe(self.lang));
                changed = true;
            }
        }
        if self.store.take_copy_failure() {
            self.tell_backup_failure();
            changed = true;
        }
        if self.now - self.file_checked_at >= FILE_CHECK_MS {
            self.file_checked_at = self.now;
            if let Err(e) = self.store.check_file() {
                let text = e.describe(self.lang);
                if self.message.as_ref().is_none_or(|(m, _)| *m != text) {
                    self.error(text);
                    changed = true;
                }
            }
        }
        let current = self.state().current_item().map(|i| i.id);
        if current != self.drafts_of {
            self.refresh_drafts();
            changed = true;
        }
        if let Ok(v) = self.store.data_version()
            && v != self.data_version
        {
            self.data_version = v;
            self.refresh_drafts();
            changed = true;
            let seen = self.meeting.log().len();
            match self.store.catch_up(self.id, &mut self.meeting) {
                Ok(true) => {
                    let upto = self.meeting.log().len();
                    self.news(seen, upto);
                    changed = true;
                }
                Ok(false) => {}
                Err(e) => {
                    self.error(e.describe(self.lang));
                    changed = true;
                }
            }
            // The follow-up screen shows other meetings too: another console may have
            // updated their actions.
            if let Mode::FollowUp(fu) = &mut self.mode {
                for (id, m) in &mut fu.others {
                    if let Err(e) = self.store.catch_up(*id, m) {
                        self.message = Some((e.describe(self.lang), Tone::Error));
                    }
                }
            }
        }
        changed
    }

    /// Unsaved drafts of the current item that differ from what is saved.
    fn refresh_drafts(&mut self) {
        let Some(item) = self.state().current_item() else {
            self.drafts.clear();
            self.drafts_of = None;
            return;
        };
        let id = item.id;
        let mut drafts: Vec<(EditField, String)> = Vec::new();
        for (field, d) in self
            .store
            .others_drafts(self.id, id, &self.console.slot)
            .unwrap_or_default()
        {
            if let Some(field) = EditField::parse(&field)
                && d.text.trim() != field.committed(item).trim()
                && !drafts.iter().any(|(f, t)| *f == field && *t == d.text)
            {
                drafts.push((field, d.text));
            }
        }
        self.drafts = drafts;
        self.drafts_of = Some(id);
    }

    /// Milliseconds until a visible timer shows its next second (the speech, the item, the
    /// meeting), or the header clock its next minute: the console sleeps until then.
    pub fn next_tick(&self) -> Millis {
        let s = self.state();
        let to_next_second = |elapsed: Millis| 1000 - elapsed.rem_euclid(1000);
        let mut next = 60_000 - self.now.rem_euclid(60_000);
        if s.ended_at.is_none() {
            if let Some(sp) = s.speech.as_ref().filter(|sp| sp.timer.is_running()) {
                next = next.min(to_next_second(sp.elapsed(self.now)));
            }
            if let Some(item) = s.current_item() {
                next = next.min(to_next_second(item.timer.elapsed(self.now)));
            }
            if let Some(started) = s.started_at {
                next = next.min(to_next_second(self.now - started));
            }
        }
        next
    }

    pub fn on_paste(&mut self, text: &str) {
        match &mut self.mode {
            Mode::Editor(editor) => {
                editor
                    .area
                    .insert_str(text.replace("\r\n", "\n").replace('\r', "\n"));
                editor.dirty_since.get_or_insert(self.now);
            }
            Mode::Attendance { filter, selected }
            | Mode::Speakers {
                filter, selected, ..
            } => {
                filter.insert_str(text);
                *selected = 0;
            }
            Mode::Action(form) => form.fields[form.focus].insert_str(text),
            Mode::AddItem(input) => input.insert_str(text),
            Mode::SpeechNote { input, .. } => input.insert_str(text),
            Mode::PresenceDetail(form) => form.input.insert_str(text),
            Mode::FollowUp(fu) => {
                if let Some(form) = &mut fu.form {
                    form.note.insert_str(text);
                }
            }
            Mode::WalkIn(WalkInForm {
                ask: Some(WalkInAsk::Unit(input) | WalkInAsk::Area { input, .. }),
                ..
            }) => input.insert_str(text),
            Mode::Vote(form) if form.on_tellers => form.tellers.insert_str(text),
            _ => {}
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) {
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            self.quit = true;
            return;
        }
        if self.help {
            self.help_key(keys::narrow(key));
            return;
        }
        let mode = std::mem::replace(&mut self.mode, Mode::Main);
        self.mode = match mode {
            Mode::Main => {
                self.main_key(key);
                return;
            }
            Mode::Attendance { filter, selected } => self.attendance_key(key, filter, selected),
            Mode::Speakers {
                filter,
                selected,
                kind,
            } => self.speakers_key(key, filter, selected, kind),
            Mode::Vote(form) => self.vote_key(key, form),
            Mode::Editor(editor) => self.editor_key(key, editor),
            Mode::Action(form) => self.action_key(key, form),
            Mode::AddItem(input) => self.add_item_key(key, input),
            Mode::SpeechNote { speech, input } => self.speech_note_key(key, speech, input),
            Mode::ConfirmUndo { target, prompt } => match key.code {
                KeyCode::Char('u' | 'y') => {
                    if let Some(e) = self.run(Command::UndoEarlier { target }) {
                        self.undone(&e);
                    }
                    Mode::Main
                }
                KeyCode::Esc | KeyCode::Char('n') => {
                    self.info(self.lang.pick("未撤销", "Nothing undone"));
                    Mode::Main
                }
                _ => Mode::ConfirmUndo { target, prompt },
            },
            Mode::Confirm(ask) => {
                let key = keys::narrow(key);
                if key.code == KeyCode::Char('y') {
                    self.confirmed(ask);
                } else {
                    self.info(
                        self.lang
                            .pick("已取消，什么也没有改变", "Cancelled: nothing changed"),
                    );
                }
                Mode::Main
            }
            Mode::WalkIn(form) if form.ask.is_some() => self.walk_in_key(key, form),
            Mode::WalkIn(form) => self.walk_in_key(keys::narrow(key), form),
            Mode::PresenceDetail(form) => self.presence_detail_key(key, form),
            Mode::FollowUp(fu) => self.follow_up_key(key, fu),
        };
    }

    /// What the help overlay does with a key: scroll, or close.
    fn help_key(&mut self, key: KeyEvent) {
        let (last, page) = self.help_limit.get();
        let page = page.max(1);
        self.help_scroll = match key.code {
            KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') => {
                self.help = false;
                0
            }
            KeyCode::Up | KeyCode::Char('k') => self.help_scroll.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => self.help_scroll.saturating_add(1),
            KeyCode::PageUp => self.help_scroll.saturating_sub(page),
            KeyCode::PageDown | KeyCode::Char(' ') => self.help_scroll.saturating_add(page),
            KeyCode::Home => 0,
            KeyCode::End => last,
            _ => self.help_scroll,
        }
        .min(last);
    }

    /// A question answered with `y`.
    fn confirmed(&mut self, ask: Ask) {
        match ask {
            Ask::Leave { next, speaker } => {
                let command = if next {
                    Command::NextItem
                } else {
                    Command::PreviousItem
                };
                if self.exec(command) {
                    self.queue_selected = 0;
                    let title = self
                        .state()
                        .current_item()
                        .map(|i| i.spec.title.clone())
                        .unwrap_or_default();
                    self.info(match self.lang {
                        Lang::Zh => format!("{speaker} 的发言已结束；现在是「{title}」"),
                        Lang::En => format!("{speaker}'s speech ended; now on \"{title}\""),
                    });
                }
            }
            Ask::Defer { item, title } => {
                if self.exec(Command::ToggleDefer { item }) {
                    let deferred = self
                        .state()
                        .item(item)
                        .is_some_and(|i| i.status == ItemStatus::Deferred);
                    self.info(match (self.lang, deferred) {
                        (Lang::Zh, true) => {
                            format!("「{title}」已延期到下次会议（按 u 撤销）")
                        }
                        (Lang::En, true) => {
                            format!("\"{title}\" is deferred to a later meeting (u undoes)")
                        }
                        (Lang::Zh, false) => format!("「{title}」已取消延期"),
                        (Lang::En, false) => format!("\"{title}\" is no longer deferred"),
                    });
                }
            }
            Ask::End => {
                if self.exec(Command::EndMeeting) {
                    let text = match self.store.last_auto_backup() {
                        Some(Ok(path)) => match self.lang {
                            Lang::Zh => {
                                format!("{}；已自动备份到 {}", self.s().ended, path.display())
                            }
                            Lang::En => {
                                format!("{}; backed up to {}", self.s().ended, path.display())
                            }
                        },
                        Some(Err(e)) => e.describe(self.lang),
                        None => self.s().ended.to_string(),
                    };
                    self.info(text);
                }
            }
        }
    }

    /// The question a key asks before it acts, when it would cut off the room's work.
    pub fn question(&self, ask: &Ask) -> String {
        match (ask, self.lang) {
            (
                Ask::Leave {
                    next: true,
                    speaker,
                },
                Lang::Zh,
            ) => {
                format!("{speaker} 正在发言：结束发言并进入下一项？")
            }
            (
                Ask::Leave {
                    next: false,
                    speaker,
                },
                Lang::Zh,
            ) => {
                format!("{speaker} 正在发言：结束发言并回到上一项？")
            }
            (
                Ask::Leave {
                    next: true,
                    speaker,
                },
                Lang::En,
            ) => {
                format!("{speaker} is speaking: end the speech and go to the next item?")
            }
            (
                Ask::Leave {
                    next: false,
                    speaker,
                },
                Lang::En,
            ) => {
                format!("{speaker} is speaking: end the speech and go back an item?")
            }
            (Ask::Defer { title, .. }, Lang::Zh) => {
                format!("把「{title}」延期到下次会议？")
            }
            (Ask::Defer { title, .. }, Lang::En) => {
                format!("Defer \"{title}\" to a later meeting?")
            }
            (Ask::End, _) => self.s().end_confirm.to_string(),
        }
    }

    fn walk_in_key(&mut self, key: KeyEvent, mut form: WalkInForm) -> Mode {
        if let Some(ask) = form.ask.take() {
            return self.walk_in_ask_key(key, form, ask);
        }
        match key.code {
            KeyCode::Esc => {
                self.info(self.lang.pick("未添加任何人", "Nobody was added"));
                return Mode::Attendance {
                    filter: form.filter,
                    selected: 0,
                };
            }
            KeyCode::Tab | KeyCode::BackTab => {
                let all = Role::ALL;
                let at = all.iter().position(|r| *r == form.role).unwrap_or(0);
                let step = if key.code == KeyCode::Tab {
                    1
                } else {
                    all.len() - 1
                };
                form.role = all[(at + step) % all.len()];
                form.voter = form.role.default_voter();
            }
            KeyCode::Char('v') => form.voter = !form.voter,
            // 业主大会: an owner takes part only with a unit and its exclusive area.
            KeyCode::Enter
                if form.voter && self.state().meeting.kind == MeetingKind::OwnersMeeting =>
            {
                form.ask = Some(WalkInAsk::Unit(LineInput::default()));
            }
            KeyCode::Enter => return self.add_walk_in(form, None, None),
            _ => {}
        }
        Mode::WalkIn(form)
    }

    /// The unit, then the area, of a walk-in owner. Enter on an empty answer adds them as not
    /// entitled to vote, with the reason; Esc goes back one question.
    fn walk_in_ask_key(&mut self, key: KeyEvent, mut form: WalkInForm, ask: WalkInAsk) -> Mode {
        match (ask, key.code) {
            (WalkInAsk::Unit(_), KeyCode::Esc) => {}
            (WalkInAsk::Area { unit, .. }, KeyCode::Esc) => {
                form.ask = Some(WalkInAsk::Unit(LineInput::new(&unit)));
            }
            (WalkInAsk::Unit(input), KeyCode::Enter) => {
                let unit = input.text().trim().to_string();
                if unit.is_empty() {
                    return self.add_walk_in(form, None, None);
                }
                form.ask = Some(WalkInAsk::Area {
                    unit,
                    input: LineInput::default(),
                });
            }
            (WalkInAsk::Area { unit, input }, KeyCode::Enter) => {
                let typed = input.text().trim().trim_end_matches(['㎡', 'm', '²', '2']);
                let typed = typed.trim_end_matches(|c: char| !c.is_ascii_digit() && c != '.');
                if input.text().trim().is_empty() {
                    return self.add_walk_in(form, Some(unit), None);
                }
                match typed
                    .parse::<f64>()
                    .ok()
                    .filter(|m2| *m2 > 0.0)
                    .and_then(Area::from_m2)
                {
                    Some(area) => return self.add_walk_in(form, Some(unit), Some(area)),
                    None => {
                        self.error(self.lang.pick(
                            "面积请写平方米数，如 86.5",
                            "Give the area in square metres, e.g. 86.5",
                        ));
                        form.ask = Some(WalkInAsk::Area { unit, input });
                    }
                }
            }
            (WalkInAsk::Unit(mut input), _) => {
                input.handle(&key);
                form.ask = Some(WalkInAsk::Unit(input));
            }
            (WalkInAsk::Area { unit, mut input }, _) => {
                input.handle(&key);
                form.ask = Some(WalkInAsk::Area { unit, input });
            }
        }
        Mode::WalkIn(form)
    }

    fn add_walk_in(&mut self, form: WalkInForm, unit: Option<String>, area: Option<Area>) -> Mode {
        if !self.exec(Command::AddWalkIn {
            name: form.name.clone(),
            role: form.role,
            unit,
            voter: form.voter,
            area,
            not_entitled: None,
        }) {
            return Mode::WalkIn(form);
        }
        let role = form.role.label(self.lang);
        let name = &form.name;
        let added = self.state().participants.last();
        let not_entitled = added.and_then(|p| p.not_entitled.clone());
        let owner = added
            .and_then(|p| Some((p.unit.clone()?, p.area?)))
            .map(|(u, a)| format!("{u}，{a} m²，"))
            .unwrap_or_default();
        self.info(match (self.lang, form.voter, not_entitled) {
            (Lang::Zh, _, Some(why)) => {
                format!("已添加临时到场人员 {name}（{role}，到场，不计入业主表决：{why}）")
            }
            (Lang::En, _, Some(why)) => {
                format!(
                    "Walk-in {name} added ({role}, present, not counted in owners' votes: {why})"
                )
            }
            (Lang::Zh, true, None) => format!("已添加临时到场人员 {name}（{role}，{owner}到场）"),
            (Lang::Zh, false, None) => {
                format!("已添加临时到场人员 {name}（{role}，到场，不参加表决）")
            }
            (Lang::En, true, None) => {
                format!(
                    "Walk-in {name} added ({role}, {}present)",
                    owner.replace('，', ", ")
                )
            }
            (Lang::En, false, None) => {
                format!("Walk-in {name} added ({role}, present, non-voting)")
            }
        });
        Mode::Attendance {
            filter: LineInput::default(),
            selected: 0,
        }
    }

    fn open_follow_up(&mut self) {
        let others: Result<Vec<_>, _> = self.store.list().and_then(|list| {
            list.into_iter()
                .filter(|m| m.id != self.id)
                // From their snapshots where they have one: only their states are shown.
                .map(|m| Ok((m.id, self.store.open_meeting(m.id)?)))
                .collect()
        });
        match others {
            Ok(others) => {
                self.mode = Mode::FollowUp(Box::new(FollowUp {
                    others,
                    selected: 0,
                    form: None,
                }))
            }
            Err(e) => self.error(e.describe(self.lang)),
        }
    }

    /// Today, in the meeting's time zone: what "overdue" is counted from.
    pub fn today(&self) -> chrono::NaiveDate {
        in_meeting_zone(self.now, self.state().utc_offset)
            .map(|t| t.date_naive())
            .unwrap_or_default()
    }

    /// Every action of the file, in the order the follow-up screen lists them.
    pub fn follow_up_rows<'a>(
        &'a self,
        states: &'a [(MeetingId, &'a State)],
    ) -> Vec<crate::followup::Row<'a>> {
        crate::followup::rows(states, self.today())
    }

    /// This meeting and the others the follow-up screen read.
    pub fn follow_up_states<'a>(&'a self, fu: &'a FollowUp) -> Vec<(MeetingId, &'a State)> {
        std::iter::once((self.id, self.state()))
            .chain(fu.others.iter().map(|(id, m)| (*id, m.state())))
            .collect()
    }

    fn follow_up_key(&mut self, key: KeyEvent, mut fu: Box<FollowUp>) -> Mode {
        let Some(mut form) = fu.form.take() else {
            let count = self
                .follow_up_states(&fu)
                .iter()
                .map(|(_, s)| s.actions.len())
                .sum();
            match keys::narrow(key).code {
                KeyCode::Esc | KeyCode::Char('T' | 'q') => return Mode::Main,
                KeyCode::Up => fu.selected = fu.selected.saturating_sub(1),
                KeyCode::Down if fu.selected + 1 < count => fu.selected += 1,
                KeyCode::PageUp => fu.selected = fu.selected.saturating_sub(10),
                KeyCode::PageDown => fu.selected = (fu.selected + 10).min(count.saturating_sub(1)),
                KeyCode::Home => fu.selected = 0,
                KeyCode::End => fu.selected = count.saturating_sub(1),
                KeyCode::Enter => {
                    let states = self.follow_up_states(&fu);
                    let rows = self.follow_up_rows(&states);
                    match rows.get(fu.selected) {
                        Some(r) => {
                            let form = FollowUpForm {
                                meeting: r.meeting,
                                action: r.action.id,
                                status: r.action.status,
                                note: LineInput::default(),
                            };
                            fu.form = Some(form);
                        }
                        None => self.error(self.lang.pick(
                            "还没有任何待办事项；会上按 t 添加",
                            "No action items yet; t adds one during a meeting",
                        )),
                    }
                }
                _ => {}
            }
            return Mode::FollowUp(fu);
        };
        match key.code {
            KeyCode::Esc => {
                self.info(
                    self.lang
                        .pick("已取消，什么也没有改变", "Cancelled: nothing changed"),
                );
                return Mode::FollowUp(fu);
            }
            KeyCode::Tab | KeyCode::BackTab => {
                let all = ActionStatus::ALL;
                let at = all.iter().position(|s| *s == form.status).unwrap_or(0);
                let step = if key.code == KeyCode::Tab {
                    1
                } else {
                    all.len() - 1
                };
                form.status = all[(at + step) % all.len()];
            }
            KeyCode::Enter => {
                let note = form.note.text().trim();
                let command = Command::UpdateAction {
                    action: form.action,
                    status: form.status,
                    note: (!note.is_empty()).then(|| note.to_string()),
                };
                let done = if form.meeting == self.id {
                    self.exec(command)
                } else if let Some((_, m)) =
                    fu.others.iter_mut().find(|(id, _)| *id == form.meeting)
                {
                    let result = self.store.execute_by(
                        form.meeting,
                        m,
                        &command,
                        self.now,
                        self.origin(),
                        Some(&self.console),
                    );
                    match result {
                        Ok(_) => true,
                        Err(e) => {
                            self.error(e.describe(self.lang));
                            false
                        }
                    }
                } else {
                    false
                };
                if done {
                    let date = self.today();
                    let status = form.status.label(self.lang);
                    self.info(match self.lang {
                        Lang::Zh => format!(
                            "待办 {}-{} 已记为「{status}」（{date}）",
                            form.meeting, form.action
                        ),
                        Lang::En => format!(
                            "Action {}-{} recorded as {status} ({date})",
                            form.meeting, form.action
                        ),
                    });
                    // The list is sorted by status: stay on the action just updated.
                    let states = self.follow_up_states(&fu);
                    let rows = self.follow_up_rows(&states);
                    if let Some(at) = rows
                        .iter()
                        .position(|r| r.meeting == form.meeting && r.action.id == form.action)
                    {
                        fu.selected = at;
                    }
                    return Mode::FollowUp(fu);
                }
            }
            _ => {
                form.note.handle(&key);
            }
        }
        fu.form = Some(form);
        Mode::FollowUp(fu)
    }

    /// Who holds a proxy, or why someone is excused: Enter records it, Esc changes nothing.
    fn presence_detail_key(&mut self, key: KeyEvent, mut form: PresenceForm) -> Mode {
        let back = |form: PresenceForm| Mode::Attendance {
            filter: form.filter,
            selected: form.selected,
        };
        match key.code {
            KeyCode::Esc => {
                self.info(
                    self.lang
                        .pick("已取消，什么也没有改变", "Cancelled: nothing changed"),
                );
                return back(form);
            }
            // Tab goes on round the cycle: from the proxy's holder to a leave's reason, from
            // there to absent.
            KeyCode::Tab if form.presence == Presence::Proxy => {
                let known = self.state().leave_reasons.get(&form.participant);
                form.input = LineInput::new(known.map_or("", String::as_str));
                form.presence = Presence::Leave;
            }
            KeyCode::Tab => {
                if self.exec(Command::SetPresence {
                    participant: form.participant,
                    presence: Presence::Absent,
                    holder: None,
                    reason: None,
                }) {
                    let name = self.state().name(form.participant).to_string();
                    let absent = Presence::Absent.label(self.lang);
                    self.info(format!("{name}{}{absent}", self.s().colon));
                }
                return back(form);
            }
            KeyCode::Enter => {
                let typed = form.input.text().trim().to_string();
                let proxy = form.presence == Presence::Proxy;
                if typed.is_empty() {
                    self.error(match (proxy, self.lang) {
                        (true, Lang::Zh) => "请写受托人（代为出席者）的姓名",
                        (true, Lang::En) => "Name who holds the proxy",
                        (false, Lang::Zh) => "请写请假原因",
                        (false, Lang::En) => "Give the reason for the leave",
                    });
                } else if self.exec(Command::SetPresence {
                    participant: form.participant,
                    presence: form.presence,
                    holder: proxy.then(|| typed.clone()),
                    reason: (!proxy).then(|| typed.clone()),
                }) {
                    let name = self.state().name(form.participant).to_string();
                    self.info(match (proxy, self.lang) {
                        (true, Lang::Zh) => format!("{name}：委托 {typed} 代为出席"),
                        (true, Lang::En) => format!("{name}: proxy held by {typed}"),
                        (false, Lang::Zh) => format!("{name}：请假（{typed}）"),
                        (false, Lang::En) => format!("{name}: excused ({typed})"),
                    });
                    return back(form);
                }
            }
            _ => {
                form.input.handle(&key);
            }
        }
        Mode::PresenceDetail(form)
    }

    /// This console's draft of a field.
    pub(super) fn draft_key(&self, item: ItemId, field: EditField) -> DraftKey {
        DraftKey {
            meeting: self.id,
            item,
            field: field.key(),
            console: self.console.slot.clone(),
        }
    }

    /// `u`: this console's last action of this run; else, once asked, its last one of an
    /// earlier run (after a crash), never another console's.
    fn undo(&mut self) {
        let origin = self.origin();
        let mine = self
            .meeting
            .decide_by(&Command::Undo, self.now, origin, Some(&self.console));
        // Nothing of this run: an earlier run's action is looked for among all entries,
        // read back first when the meeting was opened from a snapshot.
        if matches!(mine, Err(DomainError::NothingToUndo))
            && self.meeting.elided() > 0
            && let Err(e) = self.store.hydrate(self.id, &mut self.meeting)
        {
            self.error(e.describe(self.lang));
            return;
        }
        let earlier = self.meeting.earlier_undoable(origin, Some(&self.console));
        match (mine, earlier) {
            (Err(DomainError::NothingToUndo), Some(target)) => {
                let e = &self.meeting.log()[target];
                let when = local_time(e.at, self.state().utc_offset);
                let what = e.change.label(self.lang);
                let who = e.origin.label(self.lang);
                let prompt = match self.lang {
                    Lang::Zh => format!(
                        "本次运行中还没有可撤销的操作。上一次运行中{who}的最后一步是 {when}「{what}」：按 u 撤销它，Esc 取消"
                    ),
                    Lang::En => format!(
                        "Nothing to undo in this run. The {who}'s last action of an earlier run was {what} at {when}: u undoes it, Esc cancels"
                    ),
                };
                self.mode = Mode::ConfirmUndo { target, prompt };
            }
            _ => {
                if let Some(e) = self.run(Command::Undo) {
                    self.undone(&e);
                }
            }
        }
    }

    /// Says what an undo took back.
    fn undone(&mut self, event: &Event) {
        if let Change::Undone { target } = event.change
            && let Some(e) = self.meeting.log().get(target)
        {
            let what = e.change.label(self.lang);
            self.info(match self.lang {
                Lang::Zh => format!("已撤销：{what}"),
                Lang::En => format!("Undone: {what}"),
            });
        }
    }

    fn main_key(&mut self, key: KeyEvent) {
        let Some(action) = keys::action(&key) else {
            if keys::is_composed(&keys::narrow(key)) {
                self.error(self.lang.pick(
                    "请切换到英文输入法再按键（输入中文请先按 m、r 或 d 打开编辑框）",
                    "Switch the input method to English to use the keys",
                ));
            }
            return;
        };
        self.message = None;
        if !self.seat.allows(action) {
            return;
        }
        let current = self.state().current_item().map(|i| i.id);
        let speaker = self
            .state()
            .speech
            .as_ref()
            .map(|sp| self.state().name(sp.participant).to_string());
        match action {
            Action::Help => {
                self.help = true;
                self.help_scroll = 0;
            }
            Action::Quit => self.quit = true,
            Action::Next | Action::Previous if self.seat == Seat::Secretary => {
                self.browse(action == Action::Next);
            }
            Action::Next | Action::Previous => {
                let next = action == Action::Next;
                if next && self.at_last_item() {
                    self.error(self.lang.pick(
                        "已是最后一个议题：按 E 宣布散会",
                        "This is the last item: press E to close the meeting",
                    ));
                } else if let Some(speaker) = speaker {
                    self.mode = Mode::Confirm(Ask::Leave { next, speaker });
                } else {
                    let command = if next {
                        Command::NextItem
                    } else {
                        Command::PreviousItem
                    };
                    self.exec(command);
                    self.queue_selected = 0;
                }
            }
            Action::Undo => self.undo(),
            Action::Projector => self.projector = !self.projector,
            Action::SaveCopy => self.save_copy(),
            Action::Fairness => self.fairness = !self.fairness,
            Action::Close => {
                if self.projector && self.seat != Seat::Projector {
                    self.projector = false;
                } else {
                    self.fairness = false;
                }
            }
            Action::ScrollUp | Action::ScrollDown => {
                let (last, page) = self.item_limit.get();
                let step = (page / 2).max(1);
                let from = self.item_scroll_now();
                self.item_scroll = if action == Action::ScrollUp {
                    from.saturating_sub(step)
                } else {
                    from.saturating_add(step).min(last)
                };
                self.item_scrolled_for = current;
            }
            Action::Attendance => {
                self.mode = Mode::Attendance {
                    filter: LineInput::default(),
                    selected: 0,
                }
            }
            Action::Speakers => {
                if current.is_none() {
                    self.error(
                        crate::domain::state::DomainError::NoCurrentItem.describe(self.lang),
                    );
                } else {
                    self.mode = Mode::Speakers {
                        filter: LineInput::default(),
                        selected: 0,
                        kind: SpeechKind::Speech,
                    };
                }
            }
            // Enter never ends a running speech, so a double tap cannot cut a resident off.
            Action::StartSpeaker => match speaker {
                Some(name) => self.info(match self.lang {
                    Lang::Zh => format!("{name} 正在发言：按 x 结束发言，再按 Enter 请下一位"),
                    Lang::En => format!(
                        "{name} is speaking: x ends the speech, then Enter starts the next speaker"
                    ),
                }),
                None => {
                    self.exec(Command::StartNextSpeaker);
                    self.queue_selected = 0;
                }
            },
            Action::Pause => {
                self.exec(Command::TogglePause);
            }
            Action::EndSpeech => {
                self.exec(Command::EndSpeech);
            }
            Action::QueueUp => self.queue_selected = self.queue_selected.saturating_sub(1),
            Action::QueueDown => {
                let len = self.state().current_item().map_or(0, |i| i.queue.len());
                if self.queue_selected + 1 < len {
                    self.queue_selected += 1;
                }
            }
            Action::MoveUp | Action::MoveDown => {
                let up = action == Action::MoveUp;
                if self.exec(Command::MoveQueued {
                    index: self.queue_selected,
                    up,
                }) {
                    self.queue_selected = if up {
                        self.queue_selected - 1
                    } else {
                        self.queue_selected + 1
                    };
                }
            }
            Action::Unqueue => {
                if self.exec(Command::Unqueue {
                    index: self.queue_selected,
                }) {
                    let len = self.state().current_item().map_or(0, |i| i.queue.len());
                    self.queue_selected = self.queue_selected.min(len.saturating_sub(1));
                }
            }
            Action::NewFirst => {
                self.exec(Command::NewSpeakersFirst);
            }
            Action::Vote => self.open_vote(),
            Action::Minutes => self.open_editor(EditField::Minutes),
            Action::Resolution => self.open_editor(EditField::Resolution),
            Action::Dissent => self.open_editor(EditField::Dissent),
            Action::FollowUp => self.open_follow_up(),
            Action::ActionItem => match self.shown_item().map(|i| i.id) {
                Some(item) => {
                    self.mode = Mode::Action(ActionForm {
                        item,
                        fields: Default::default(),
                        focus: 0,
                    })
                }
                None => {
                    self.error(crate::domain::state::DomainError::NoCurrentItem.describe(self.lang))
                }
            },
            Action::Defer => match self.state().current_item() {
                Some(item) => {
                    self.mode = Mode::Confirm(Ask::Defer {
                        item: item.id,
                        title: item.spec.title.clone(),
                    });
                }
                None => {
                    self.error(crate::domain::state::DomainError::NoCurrentItem.describe(self.lang))
                }
            },
            Action::AddItem => self.mode = Mode::AddItem(LineInput::default()),
            Action::EndMeeting => self.mode = Mode::Confirm(Ask::End),
            Action::SpeechNote => match self.state().note_target() {
                Some(sp) => {
                    self.mode = Mode::SpeechNote {
                        speech: sp.id,
                        input: LineInput::new(&sp.note),
                    }
                }
                None => self.error(DomainError::NoSuchSpeech.describe(self.lang)),
            },
        }
    }

    /// People matching the filter, best first: everyone for attendance, attendees for speakers.
    pub fn matches(&self, filter: &str, attendees_only: bool) -> Vec<ParticipantId> {
        let s = self.state();
        let pool: Vec<_> = s
            .participants
            .iter()
            .filter(|p| !attendees_only || s.presence(p.id).attends())
            .collect();
        find::rank(&pool, filter, |p| p.name.as_str())
            .into_iter()
            .map(|p| p.id)
            .collect()
    }

    /// In the speaker finder, when no attendee matches: the best match among those not signed
    /// in, whom Enter signs in and queues.
    pub fn absent_match(&self, filter: &str) -> Option<ParticipantId> {
        if filter.trim().is_empty() || !self.matches(filter, true).is_empty() {
            return None;
        }
        self.matches(filter, false).first().copied()
    }

    fn attendance_key(
        &mut self,
        key: KeyEvent,
        mut filter: LineInput,
        mut selected: usize,
    ) -> Mode {
        let found = self.matches(filter.text(), false);
        match finder_nav(&key, &mut filter, &mut selected, found.len()) {
            Some(true) => return Mode::Main,
            Some(false) => {}
            None => match key.code {
                // With nobody matching, Space is part of a walk-in's name (Tom Baker, 王五 列席).
                KeyCode::Char(' ') if found.is_empty() && !filter.is_empty() => {
                    filter.handle(&key);
                }
                KeyCode::Char(' ') | KeyCode::Tab => {
                    if let Some(&pid) = found.get(selected) {
                        let st = self.state();
                        let now = st.presence(pid);
                        let kind = st.meeting.kind;
                        let mut refused = false;
                        let presence = if key.code == KeyCode::Tab {
                            match now {
                                Presence::Absent => Presence::Present,
                                Presence::Present => Presence::Online,
                                // 业委会会议: no proxies; the cycle goes on and says why.
                                Presence::Online if !kind.allows_proxies() => {
                                    refused = true;
                                    Presence::Leave
                                }
                                Presence::Online => Presence::Proxy,
                                Presence::Proxy => Presence::Leave,
                                Presence::Leave => Presence::Absent,
                            }
                        } else if now.attends() {
                            Presence::Absent
                        } else {
                            Presence::Present
                        };
                        let known = match presence {
                            Presence::Proxy => st.proxy_holders.get(&pid),
                            _ => st.leave_reasons.get(&pid),
                        };
                        let input = LineInput::new(known.map_or("", String::as_str));
                        if refused {
                            let why = crate::domain::state::DomainError::ProxyNotAllowed(kind);
                            self.info(why.describe(self.lang));
                        }
                        // A proxy names its holder, a leave its reason: asked before recording.
                        if matches!(presence, Presence::Proxy | Presence::Leave) {
                            return Mode::PresenceDetail(PresenceForm {
                                filter,
                                selected,
                                participant: pid,
                                presence,
                                input,
                            });
                        }
                        if self.exec(Command::SetPresence {
                            participant: pid,
                            presence,
                            holder: None,
                            reason: None,
                        }) {
                            let name = self.state().name(pid).to_string();
                            self.info(format!(
                                "{name}{}{}",
                                self.s().colon,
                                presence.label(self.lang)
                            ));
                        }
                    }
                }
                // A typo must not become a voter: the walk-in is asked about first.
                KeyCode::Enter if found.is_empty() && !filter.text().trim().is_empty() => {
                    let (name, role) = walk_in(filter.text());
                    return Mode::WalkIn(WalkInForm {
                        filter,
                        name,
                        role,
                        voter: role.default_voter(),
                        ask: None,
                    });
                }
                _ => {
                    if filter.handle(&key) {
                        selected = 0;
                    }
                }
            },
        }
        Mode::Attendance { filter, selected }
    }

    fn speakers_key(
        &mut self,
        key: KeyEvent,
        mut filter: LineInput,
        mut selected: usize,
        mut kind: SpeechKind,
    ) -> Mode {
        let found = self.matches(filter.text(), true);
        match finder_nav(&key, &mut filter, &mut selected, found.len()) {
            Some(true) => return Mode::Main,
            Some(false) => {}
            None => match key.code {
                KeyCode::Tab => {
                    kind = match kind {
                        SpeechKind::Speech => SpeechKind::Reply,
                        SpeechKind::Reply => SpeechKind::PointOfOrder,
                        SpeechKind::PointOfOrder => SpeechKind::Speech,
                    }
                }
                KeyCode::Enter => {
                    if let Some(&pid) = found.get(selected) {
                        if self.exec(Command::QueueSpeaker {
                            participant: pid,
                            kind,
                        }) {
                            let name = self.state().name(pid).to_string();
                            self.info(match self.lang {
                                Lang::Zh => {
                                    format!("{name} 已加入发言队列（{}）", kind.label(self.lang))
                                }
                                Lang::En => format!("{name} queued ({})", kind.label(self.lang)),
                            });
                            return Mode::Main;
                        }
                    } else if let Some(pid) = self.absent_match(filter.text()) {
                        // Someone on the list who has not signed in: sign them in and queue.
                        let name = self.state().name(pid).to_string();
                        if self.exec(Command::SetPresence {
                            participant: pid,
                            presence: Presence::Present,
                            holder: None,
                            reason: None,
                        }) && self.exec(Command::QueueSpeaker {
                            participant: pid,
                            kind,
                        }) {
                            self.info(match self.lang {
                                Lang::Zh => format!("{name} 已签到并加入发言队列"),
                                Lang::En => format!("{name} signed in and queued"),
                            });
                            return Mode::Main;
                        }
                    } else {
                        self.error(self.lang.pick("没有匹配的到会者", "No attendee matches"));
                    }
                }
                _ => {
                    if filter.handle(&key) {
                        selected = 0;
                    }
                }
            },
        }
        Mode::Speakers {
            filter,
            selected,
            kind,
        }
    }

    fn open_vote(&mut self) {
        let s = self.state();
        let Some(item) = s.current_item() else {
            self.error(crate::domain::state::DomainError::NoCurrentItem.describe(self.lang));
            return;
        };
        let quorum = s.quorum_for(item);
        if !quorum.met {
            self.error(crate::domain::state::DomainError::QuorumNotMet(quorum).describe(self.lang));
            return;
        }
        let rule = s.rule_for(item);
        let spec = item.spec.vote.as_ref();
        let options = spec.map(|v| v.options.clone()).unwrap_or_default();
        let question = spec.map_or_else(|| item.spec.title.clone(), |v| v.question.clone());
        let fields = if rule == Rule::Plurality {
            vec![String::new(); options.len() + 1]
        } else {
            vec![String::new(); 3]
        };
        let roll = rule
            .needs_roll_call()
            .then(|| VoteForm::roll_call(s, item.id, rule));
        let retake = s.vote_of(item.id).is_some();
        self.mode = Mode::Vote(VoteForm {
            item: item.id,
            rule,
            question,
            options,
            fields,
            focus: 0,
            roll,
            retake,
            method: Method::ShowOfHands,
            tellers: LineInput::default(),
            on_tellers: false,
            asking: false,
        });
    }

    /// What the tally would say if recorded now.
    pub fn vote_preview(&self, form: &VoteForm) -> Result<Outcome, TallyError> {
        tally::decide(
            form.rule,
            &self.form_votes(form),
            &self.state().electorate_for(form.rule),
        )
    }

    pub fn form_votes(&self, form: &VoteForm) -> Votes {
        let n = |i: usize| {
            form.fields
                .get(i)
                .and_then(|f| f.parse::<u32>().ok())
                .unwrap_or(0)
        };
        if let Some(roll) = &form.roll {
            let ballots: Vec<_> = roll.marks.iter().map(|(p, c)| (*p, *c)).collect();
            self.state().weigh(&ballots)
        } else if form.rule == Rule::Plurality {
            let k = form.options.len();
            Votes::Options {
                counts: (0..k).map(n).collect(),
                abstain: n(k),
            }
        } else {
            let w = |heads| Weight {
                heads,
                area: crate::domain::model::Area(0),
            };
            Votes::YesNo {
                yes: w(n(0)),
                no: w(n(1)),
                abstain: w(n(2)),
            }
        }
    }

    fn vote_key(&mut self, key: KeyEvent, mut form: VoteForm) -> Mode {
        let key = if form.on_tellers {
            key
        } else {
            keys::narrow(key)
        };
        if form.asking {
            // Only Enter (record as it is) or Esc (back to the marks) answer the question.
            match key.code {
                KeyCode::Enter => {}
                KeyCode::Esc => {
                    form.asking = false;
                    return Mode::Vote(form);
                }
                _ => return Mode::Vote(form),
            }
        } else if key.code == KeyCode::Esc {
            // The roll call's filter is cleared first, as in sign-in.
            if let Some(roll) = &mut form.roll
                && !roll.filter.is_empty()
            {
                roll.filter.clear();
                roll.selected = 0;
                return Mode::Vote(form);
            }
            return Mode::Main;
        } else if key.code == KeyCode::Enter && form.unmarked() > 0 {
            form.asking = true;
            return Mode::Vote(form);
        }
        if key.code == KeyCode::Enter {
            let input = match &form.roll {
                Some(roll) => TallyInput::RollCall {
                    ballots: roll.marks.iter().map(|(p, c)| (*p, *c)).collect(),
                },
                None => match self.form_votes(&form) {
                    Votes::Options { counts, abstain } => TallyInput::Options { counts, abstain },
                    Votes::YesNo { yes, no, abstain } => TallyInput::Counts {
                        yes: yes.heads,
                        no: no.heads,
                        abstain: abstain.heads,
                    },
                },
            };
            let method = if form.roll.is_some() {
                Method::RollCall
            } else {
                form.method
            };
            let tellers = form
                .tellers
                .text()
                .split(|c: char| {
                    c.is_whitespace() || matches!(c, ',' | '、' | '\u{ff0c}' | ';' | '\u{ff1b}')
                })
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect();
            let command = Command::RecordVote {
                item: form.item,
                rule: Some(form.rule),
                method,
                input,
                tellers,
            };
            if self.exec(command) {
                if let Some(v) = self.state().vote_of(form.item) {
                    let text = v.outcome.reason.describe(self.lang, &v.options);
                    self.info(text);
                }
                return Mode::Main;
            }
            return Mode::Vote(form);
        }
        // Tab reaches the tellers field last; there any text goes in.
        let stops = if form.roll.is_some() {
            1
        } else {
            form.fields.len()
        };
        match key.code {
            KeyCode::Tab if form.on_tellers => {
                form.on_tellers = false;
                form.focus = 0;
                return Mode::Vote(form);
            }
            KeyCode::Tab if form.roll.is_some() || form.focus + 1 == stops => {
                form.on_tellers = true;
                return Mode::Vote(form);
            }
            _ if form.on_tellers => {
                form.tellers.handle(&key);
                return Mode::Vote(form);
            }
            // r: a roll call (记名) for any rule but plurality, and back for rules that allow it.
            KeyCode::Char('r') if form.roll.is_none() && form.rule != Rule::Plurality => {
                form.roll = Some(VoteForm::roll_call(self.state(), form.item, form.rule));
                return Mode::Vote(form);
            }
            KeyCode::Char('r') if form.roll.is_some() && !form.rule.needs_roll_call() => {
                form.roll = None;
                return Mode::Vote(form);
            }
            // m: show of hands ↔ secret ballot for counted votes.
            KeyCode::Char('m') if form.roll.is_none() => {
                form.method = if form.method == Method::ShowOfHands {
                    Method::SecretBallot
                } else {
                    Method::ShowOfHands
                };
                return Mode::Vote(form);
            }
            _ => {}
        }
        if form.roll.is_some() {
            let state = self.state();
            let Some(roll) = &mut form.roll else {
                return Mode::Vote(form);
            };
            let shown = roll.shown(state);
            let last = shown.len().saturating_sub(1);
            let mark = match key.code {
                KeyCode::Char('y') => Some(Choice::Yes),
                KeyCode::Char('n') => Some(Choice::No),
                KeyCode::Char('a') => Some(Choice::Abstain),
                _ => None,
            };
            match (key.code, mark) {
                (_, Some(choice)) => {
                    if let Some(&pid) = shown.get(roll.selected) {
                        roll.marks.insert(pid, choice);
                        if roll.filter.is_empty() {
                            roll.selected = (roll.selected + 1).min(last);
                        } else {
                            // Found by its unit or name: the next one is typed afresh, and
                            // the full list stands after the one just marked.
                            roll.filter.clear();
                            let at = roll.voters.iter().position(|v| *v == pid).unwrap_or(0);
                            roll.selected = (at + 1).min(roll.voters.len().saturating_sub(1));
                        }
                    }
                }
                (KeyCode::Up, _) => roll.selected = roll.selected.saturating_sub(1),
                (KeyCode::Down, _) => roll.selected = (roll.selected + 1).min(last),
                (KeyCode::Backspace, _) if !roll.filter.is_empty() => {
                    roll.filter.pop();
                    roll.selected = 0;
                }
                (KeyCode::Char(' ') | KeyCode::Delete | KeyCode::Backspace, _) => {
                    if let Some(pid) = shown.get(roll.selected) {
                        roll.marks.remove(pid);
                    }
                }
                (KeyCode::Char(c), _)
                    if !c.is_control()
                        && !key
                            .modifiers
                            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    if roll.filter.chars().count() < 40 {
                        roll.filter.push(c);
                    }
                    roll.selected = 0;
                }
                _ => {}
            }
            return Mode::Vote(form);
        }
        match key.code {
            KeyCode::Tab | KeyCode::Right => form.focus = (form.focus + 1) % form.fields.len(),
            KeyCode::BackTab | KeyCode::Left => {
                form.focus = (form.focus + form.fields.len() - 1) % form.fields.len()
            }
            KeyCode::Backspace => {
                form.fields[form.focus].pop();
            }
            KeyCode::Char(c) if c.is_ascii_digit() => {
                let f = &mut form.fields[form.focus];
                if f.len() < 6 {
                    if f == "0" {
                        f.clear();
                    }
                    f.push(c);
                }
            }
            _ => {}
        }
        Mode::Vote(form)
    }

    fn open_editor(&mut self, field: EditField) {
        let Some(item) = self.shown_item() else {
            self.error(crate::domain::state::DomainError::NoCurrentItem.describe(self.lang));
            return;
        };
        let committed = field.committed(item);
        let id = item.id;
        let key = self.draft_key(id, field);
        // This console's own typing comes back (after a crash too), with the saved text it
        // started from, so that its save still merges with what others saved meanwhile.
        let draft = self
            .kept_draft(id, field)
            .or_else(|| self.store.draft(&key).ok().flatten());
        let (text, base) = match draft {
            Some(d) if d.text != committed => {
                self.info(self.s().draft_restored);
                let base = d.base.unwrap_or_else(|| committed.clone());
                (d.text, base)
            }
            _ => (committed.clone(), committed),
        };
        let mut area = TextArea::new(text.split('\n').map(String::from).collect());
        area.set_wrap_mode(WrapMode::WordOrGlyph);
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        self.mode = Mode::Editor(Box::new(Editor {
            item: id,
            field,
            area,
            base,
            dirty_since: None,
            save_failed: false,
        }));
    }

    fn editor_key(&mut self, key: KeyEvent, mut editor: Box<Editor>) -> Mode {
        if key.code == KeyCode::Esc && editor.save_failed {
            self.leave_unsaved(&editor);
            return Mode::Main;
        }
        if key.code == KeyCode::Esc {
            let text = editor.area.lines().join("\n");
            let base = Some(editor.base.clone());
            let command = match editor.field {
                EditField::Minutes => Command::SetText {
                    item: editor.item,
                    field: TextField::Minutes,
                    text,
                    base,
                },
                EditField::Resolution => Command::SetText {
                    item: editor.item,
                    field: TextField::Resolution,
                    text,
                    base,
                },
                EditField::Dissent => Command::SetDissent {
                    item: editor.item,
                    text,
                    base,
                },
            };
            if let Some(event) = self.run(command) {
                let merged = matches!(
                    event.change,
                    Change::TextSet { merged: true, .. } | Change::DissentSet { merged: true, .. }
                );
                let label = editor.field.label(self.s());
                self.info(match (merged, self.lang) {
                    (false, Lang::Zh) => format!("{label}已保存"),
                    (false, Lang::En) => format!("{label} saved"),
                    (true, Lang::Zh) => format!(
                        "{label}已保存：另一控制台在你录入期间也保存了，两份都保留，中间以分隔线标出"
                    ),
                    (true, Lang::En) => format!(
                        "{label} saved: another console saved it while you typed, so both texts are kept, marked where they join"
                    ),
                });
                self.forget_kept(editor.item, editor.field);
                self.refresh_drafts();
                return Mode::Main;
            }
            self.save_failed(&mut editor);
            return Mode::Editor(editor);
        }
        if editor.area.input(key) {
            editor.dirty_since.get_or_insert(self.now);
        }
        Mode::Editor(editor)
    }

    fn action_key(&mut self, key: KeyEvent, mut form: ActionForm) -> Mode {
        match key.code {
            KeyCode::Esc => return Mode::Main,
            KeyCode::Tab | KeyCode::Down => form.focus = (form.focus + 1) % 3,
            KeyCode::BackTab | KeyCode::Up => form.focus = (form.focus + 2) % 3,
            KeyCode::Enter => {
                let [what, owner, due] = &form.fields;
                let due = (!due.is_empty()).then(|| due.text().to_string());
                let command = Command::AddAction {
                    item: form.item,
                    what: what.text().to_string(),
                    owner: owner.text().to_string(),
                    due,
                };
                if self.exec(command) {
                    self.info(self.lang.pick("待办事项已添加", "Action item added"));
                    return Mode::Main;
                }
            }
            _ => {
                form.fields[form.focus].handle(&key);
            }
        }
        Mode::Action(form)
    }

    /// Enter and Esc both save: a note half typed when the next speaker starts is never lost.
    fn speech_note_key(&mut self, key: KeyEvent, speech: u32, mut input: LineInput) -> Mode {
        match key.code {
            KeyCode::Enter | KeyCode::Esc => {
                let unchanged = self
                    .state()
                    .speeches
                    .iter()
                    .chain(self.state().speech.iter())
                    .find(|s| s.id == speech)
                    .is_some_and(|s| s.note == input.text().trim());
                if unchanged
                    || self.exec(Command::SetSpeechNote {
                        speech,
                        note: input.text().to_string(),
                    })
                {
                    if !unchanged {
                        self.info(self.s().speech_note_saved);
                    }
                    return Mode::Main;
                }
            }
            _ => {
                input.handle(&key);
            }
        }
        Mode::SpeechNote { speech, input }
    }

    fn add_item_key(&mut self, key: KeyEvent, mut input: LineInput) -> Mode {
        match key.code {
            KeyCode::Esc => return Mode::Main,
            KeyCode::Enter => {
                if self.exec(Command::AddItem {
                    title: input.text().to_string(),
                }) {
                    self.info(
                        self.lang
                            .pick("临时动议已加入议程", "Item added to the agenda"),
                    );
                    return Mode::Main;
                }
            }
            _ => {
                input.handle(&key);
            }
        }
        Mode::AddItem(input)
    }
}

/// The keys every finder shares: `Esc` clears the filter, then closes (`Some(true)`); `↑` `↓`
/// move the selection (`Some(false)`); anything else is the finder's own (`None`).
fn finder_nav(
    key: &KeyEvent,
    filter: &mut LineInput,
    selected: &mut usize,
    found: usize,
) -> Option<bool> {
    match key.code {
        KeyCode::Esc if !filter.is_empty() => {
            filter.clear();
            *selected = 0;
        }
        KeyCode::Esc => return Some(true),
        KeyCode::Up => *selected = selected.saturating_sub(1),
        KeyCode::Down => *selected = (*selected + 1).min(found.saturating_sub(1)),
        _ => return None,
    }
    Some(false)
}

/// A walk-in as typed in attendance: a name, and optionally a role after it in either language
/// ("王五 列席", "Tom guest"); a resident when none is given.
pub fn walk_in(typed: &str) -> (String, Role) {
    let typed = typed.trim();
    if let Some((name, last)) = typed.rsplit_once(char::is_whitespace) {
        let role = Role::ALL.iter().copied().find(|r| {
            last == r.key()
                || last == r.label(Lang::Zh)
                || last.eq_ignore_ascii_case(r.label(Lang::En))
        });
        if let Some(role) = role
            && !name.trim().is_empty()
        {
            return (name.trim().to_string(), role);
        }
    }
    (typed.to_string(), Role::Resident)
}

/// One start of the program, told apart from the others of the same console.
fn run_id(now: Millis) -> String {
    format!("{:x}{:04x}", now, std::process::id() & 0xffff)
}

/// A moment in the meeting's time zone (else the machine's).
pub fn in_meeting_zone(
    at: Millis,
    offset: Option<i32>,
) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    let t = chrono::DateTime::from_timestamp_millis(at)?;
    Some(match offset.and_then(chrono::FixedOffset::east_opt) {
        Some(o) => t.with_timezone(&o),
        None => t.with_timezone(&chrono::Local).fixed_offset(),
    })
}

/// A moment as the console shows it: `HH:MM:SS` in the meeting's offset (else local time).
pub fn local_time(at: Millis, offset: Option<i32>) -> String {
    in_meeting_zone(at, offset).map_or_else(String::new, |t| t.format("%H:%M:%S").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_walk_in_may_name_a_role_after_the_name() {
        assert_eq!(walk_in("钱大爷"), ("钱大爷".into(), Role::Resident));
        assert_eq!(walk_in("王五 列席"), ("王五".into(), Role::Guest));
        assert_eq!(
            walk_in("Tom Baker guest"),
            ("Tom Baker".into(), Role::Guest)
        );
        assert_eq!(walk_in("李四 居民代表"), ("李四".into(), Role::ResidentRep));
        assert_eq!(walk_in("Tom Baker"), ("Tom Baker".into(), Role::Resident));
        assert!(
            !Role::Guest.default_voter(),
            "a guest is not counted for the quorum"
        );
    }
}
