//! A one-line text input measured in terminal columns, for filters and short fields.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    /// Caret as a byte offset, always on a char boundary.
    caret: usize,
}

impl LineInput {
    pub fn new(text: &str) -> LineInput {
        LineInput {
            text: text.to_string(),
            caret: text.len(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.caret = 0;
    }

    /// Columns from the start of the text to the caret: where the terminal cursor goes.
    pub fn caret_columns(&self) -> u16 {
        self.text[..self.caret].width() as u16
    }

    pub fn insert_str(&mut self, s: &str) {
        let s: String = s.chars().filter(|c| !c.is_control()).collect();
        self.text.insert_str(self.caret, &s);
        self.caret += s.len();
    }

    /// Edits for a key; false when the key is not an editing key.
    pub fn handle(&mut self, key: &KeyEvent) -> bool {
        match key.code {
            KeyCode::Char(c)
                if !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                self.text.insert(self.caret, c);
                self.caret += c.len_utf8();
            }
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.text.replace_range(..self.caret, "");
                self.caret = 0;
            }
            KeyCode::Backspace => {
                if let Some((i, _)) = self.text[..self.caret].char_indices().next_back() {
                    self.text.replace_range(i..self.caret, "");
                    self.caret = i;
                }
            }
            KeyCode::Delete => {
                if let Some(c) = self.text[self.caret..].chars().next() {
                    self.text
                        .replace_range(self.caret..self.caret + c.len_utf8(), "");
                }
            }
            KeyCode::Left => {
                if let Some((i, _)) = self.text[..self.caret].char_indices().next_back() {
                    self.caret = i;
                }
            }
            KeyCode::Right => {
                if let Some(c) = self.text[self.caret..].chars().next() {
                    self.caret += c.len_utf8();
                }
            }
            KeyCode::Home => self.caret = 0,
            KeyCode::End => self.caret = self.text.len(),
            _ => return false,
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn chinese_text_moves_and_measures_by_columns() {
        let mut i = LineInput::default();
        i.insert_str("张建国");
        assert_eq!(i.caret_columns(), 6);
        i.handle(&key(KeyCode::Left));
        assert_eq!(i.caret_columns(), 4);
        i.handle(&key(KeyCode::Backspace));
        assert_eq!(i.text(), "张国");
        i.handle(&key(KeyCode::Char('a')));
        assert_eq!(i.text(), "张a国");
        assert_eq!(i.caret_columns(), 3);
        i.insert_str("\n粘贴\t");
        assert_eq!(i.text(), "张a粘贴国");
    }
}
