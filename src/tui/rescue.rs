//! Keeping the record when the ground gives way: a copy saved from the open connection when
//! the file was deleted or moved (`b`, and on quit), and editor text that could not be saved.

use std::path::PathBuf;

use super::app::{App, EditField, Editor};
use crate::domain::model::ItemId;
use crate::lang::Lang;
use crate::store::{Draft, Store, StoreError};

/// Text an editor could not save, kept by this console.
#[derive(Clone, Debug, PartialEq)]
pub struct Kept {
    pub item: ItemId,
    pub field: EditField,
    pub text: String,
    /// The saved text the typing started from.
    pub base: String,
}

impl App {
    /// `b`: a copy of the whole record from the open connection. Into `backups/` while the
    /// file is in place; next to where it was (or the home folder) once it is gone.
    pub fn save_copy(&mut self) {
        match self.copy_out() {
            Ok(path) => {
                let text = match (self.lang, self.store.check_file().is_ok()) {
                    (Lang::Zh, true) => format!("已另存副本到 {}", path.display()),
                    (Lang::En, true) => format!("A copy was saved to {}", path.display()),
                    (Lang::Zh, false) => format!(
                        "已另存副本到 {}；退出后可用 yishi --db {} resume 继续",
                        path.display(),
                        path.display()
                    ),
                    (Lang::En, false) => format!(
                        "A copy was saved to {}: after quitting, carry on with yishi --db {} resume",
                        path.display(),
                        path.display()
                    ),
                };
                self.info(text);
            }
            Err(e) => self.error(e.describe(self.lang)),
        }
    }

    fn copy_out(&mut self) -> Result<PathBuf, StoreError> {
        let gone = self.store.check_file().is_err();
        let path = if gone {
            let target = self.store.rescue_path();
            self.store.backup_to(&target)?;
            target
        } else {
            self.store
                .auto_backup(&format!("meeting-{}-copy", self.id))?
        };
        // Text no draft could hold goes into the copy as drafts: reopening shows it.
        if !self.kept.is_empty()
            && let Ok(mut copy) = Store::open(&path)
        {
            let mut left = Vec::new();
            for k in std::mem::take(&mut self.kept) {
                if copy
                    .save_draft(&self.draft_key(k.item, k.field), &k.text, &k.base, self.now)
                    .is_err()
                {
                    left.push(k);
                }
            }
            self.kept = left;
        }
        if gone {
            self.saved_copy = Some(path.clone());
        }
        Ok(path)
    }

    /// The copy made at an item change could not be written: the action stands, but the
    /// facilitator should know the safety net is missing.
    /// A copy in `backups/` that failed, after an item change, once the console was quiet.
    pub(super) fn tell_backup_failure(&mut self) {
        if let Some(Err(e)) = self.store.last_auto_backup() {
            let text = e.describe(self.lang);
            self.error(text);
        }
    }

    /// When a save from the editor failed: the text stays, and the message says how to leave.
    pub(super) fn save_failed(&mut self, editor: &mut Editor) {
        editor.save_failed = true;
        let why = self.message.take().map(|(m, _)| m).unwrap_or_default();
        let text = match self.lang {
            Lang::Zh => {
                format!("未能保存，文字仍在编辑器中；再按 Esc 离开，文字会留作草稿。原因：{why}")
            }
            Lang::En => format!(
                "Not saved: the text is still in the editor; press Esc again to leave, and it is kept as a draft. Why: {why}"
            ),
        };
        self.error(text);
    }

    /// The second `Esc` after a failed save: leaves, keeping the text as a draft, or in this
    /// console when not even a draft can be written.
    pub(super) fn leave_unsaved(&mut self, editor: &Editor) {
        let text = editor.area.lines().join("\n");
        let (item, field, base) = (editor.item, editor.field, editor.base.clone());
        let label = field.label(self.s());
        if self
            .store
            .save_draft(&self.draft_key(item, field), &text, &base, self.now)
            .is_ok()
        {
            self.forget_kept(item, field);
            self.info(match self.lang {
                Lang::Zh => format!("{label}未保存，已留作草稿；重新打开即可继续"),
                Lang::En => format!("{label} not saved, kept as a draft: open it again to go on"),
            });
            return;
        }
        self.forget_kept(item, field);
        self.kept.push(Kept {
            item,
            field,
            text,
            base,
        });
        self.error(match self.lang {
            Lang::Zh => format!(
                "{label}未能保存，文字暂存在本控制台：重新打开即可看到；按 b 另存副本时一并存入，退出时也会另存或显示出来"
            ),
            Lang::En => format!(
                "{label} could not be saved; this console keeps the text: open it again to see it. b saves it with a copy, and quitting saves or prints it"
            ),
        });
    }

    pub(super) fn kept_draft(&self, item: ItemId, field: EditField) -> Option<Draft> {
        self.kept
            .iter()
            .find(|k| k.item == item && k.field == field)
            .map(|k| Draft {
                text: k.text.clone(),
                base: Some(k.base.clone()),
                saved_at: self.now,
                console: self.console.slot.clone(),
            })
    }

    pub(super) fn forget_kept(&mut self, item: ItemId, field: EditField) {
        self.kept.retain(|k| !(k.item == item && k.field == field));
    }

    /// Before the console closes (`q`, a signal, the terminal gone): the open editor's text
    /// kept as a draft, this console's writes moved into the file, and, when the file was
    /// deleted or moved, a copy saved. Returns what to tell once the terminal is restored.
    pub fn finish(&mut self) -> Option<String> {
        if let super::app::Mode::Editor(editor) = &self.mode
            && editor.dirty_since.is_some()
        {
            let text = editor.area.lines().join("\n");
            let (item, field, base) = (editor.item, editor.field, editor.base.clone());
            if self
                .store
                .save_draft(&self.draft_key(item, field), &text, &base, self.now)
                .is_err()
            {
                self.forget_kept(item, field);
                self.kept.push(Kept {
                    item,
                    field,
                    text,
                    base,
                });
            }
        }
        let kept = std::mem::take(&mut self.kept);
        for k in kept {
            if self
                .store
                .save_draft(&self.draft_key(k.item, k.field), &k.text, &k.base, self.now)
                .is_err()
            {
                self.kept.push(k);
            }
        }
        // A copy an item change asked for is made now if the console was never quiet since,
        // and the next open starts from the state as it is now.
        let _ = self.store.snapshot_if_due(self.id, &self.meeting, true);
        let _ = self.store.settle();
        let mut lines = Vec::new();
        if let Err(gone @ (StoreError::FileGone(_) | StoreError::FileReplaced(_))) =
            self.store.check_file()
        {
            let copy = match self.saved_copy.clone() {
                Some(p) if self.kept.is_empty() => Ok(p),
                _ => self.copy_out(),
            };
            lines.push(match (copy, self.lang) {
                (Ok(p), Lang::Zh) => format!(
                    "数据库文件 {} 在打开期间被删除、移走或替换；本次的全部记录已另存到 {}，可用 yishi --db {} resume 继续",
                    self.store.path().display(),
                    p.display(),
                    p.display()
                ),
                (Ok(p), Lang::En) => format!(
                    "The database {} was deleted, moved or replaced while open; the whole record was saved to {}: carry on with yishi --db {} resume",
                    self.store.path().display(),
                    p.display(),
                    p.display()
                ),
                (Err(e), _) => format!("{} {}", gone.describe(self.lang), e.describe(self.lang)),
            });
        }
        for k in &self.kept {
            lines.push(match self.lang {
                Lang::Zh => format!("以下{}未能保存，请复制留存：", k.field.label(self.s())),
                Lang::En => format!(
                    "This {} could not be saved; copy it somewhere:",
                    k.field.label(self.s()).to_lowercase()
                ),
            });
            lines.push(k.text.clone());
        }
        (!lines.is_empty()).then(|| lines.join("\n"))
    }
}
