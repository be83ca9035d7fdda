//! Text that came from an agenda file or was typed in the room, made safe for where it goes.
//!
//! A terminal obeys control characters: `ESC [ 2 J` clears the screen, `ESC ] 0 ; … BEL`
//! retitles the window, U+202E turns the rest of a line around. Whatever yishi prints goes
//! through [`for_terminal`], which shows such characters as visible escapes (`\u{1b}`) instead.
//! Files keep the words but no control characters: [`for_file`] drops what XML 1.0 forbids
//! (Word and Excel files are XML, and one stray character makes the whole document
//! unreadable), the C1 controls and the bidi overrides, and turns Word's vertical tab
//! (Shift+Enter) and a form feed into a line break.

use std::borrow::Cow;
use std::io::Write;

/// Bidirectional embeddings, overrides and isolates: invisible, and they reorder what follows.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A character a terminal would act on rather than show. Newline and tab are text.
fn needs_escape(c: char, next: Option<char>) -> bool {
    match c {
        '\n' | '\t' => false,
        // A carriage return before a newline ends a CSV record; alone it overwrites the line.
        '\r' => next != Some('\n'),
        c => c.is_control() || is_bidi_control(c),
    }
}

/// `text` with every C0 control except newline and tab, DEL, every C1 control (U+0080–U+009F,
/// which some terminals read as `ESC` sequences) and every bidi override shown as `\u{1b}`.
/// Text without any of them is returned as it is.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    let mut chars = text.chars().peekable();
    let mut at = 0;
    while let Some(c) = chars.next() {
        if needs_escape(c, chars.peek().copied()) {
            break;
        }
        at += c.len_utf8();
    }
    if at == text.len() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..at]);
    let mut chars = text[at..].chars().peekable();
    while let Some(c) = chars.next() {
        if needs_escape(c, chars.peek().copied()) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Prints `text` on standard output, escaped for the terminal. A closed pipe (`yishi list |
/// head`) is not an error worth a message.
pub fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out
        .write_all(for_terminal(text).as_bytes())
        .and_then(|()| out.flush());
}

/// [`print`] and a newline.
pub fn println(text: &str) {
    print(&format!("{text}\n"));
}

/// A line on standard error, escaped for the terminal.
pub fn eprintln(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(format!("{}\n", for_terminal(text)).as_bytes());
}

/// What becomes of a character on its way into a file: kept, dropped, or a line break.
fn in_file(c: char) -> Option<char> {
    match c {
        '\t' | '\n' => Some(c),
        // Word's Shift+Enter is a vertical tab; a form feed is a page break in old text.
        '\r' | '\u{b}' | '\u{c}' => Some('\n'),
        // Never valid in XML 1.0, and U+FFFE/U+FFFF are not characters at all.
        c if c.is_control() => None,
        '\u{fffe}' | '\u{ffff}' => None,
        // An unpaired override turns the rest of a paragraph around in Word or a browser.
        c if is_bidi_control(c) => None,
        c => Some(c),
    }
}

/// Whether [`in_file`] keeps every character of `text` as it is, read from its UTF-8 bytes
/// (every text of a set of minutes passes through here, most of it Chinese): a control byte, or
/// the lead byte of a C1 control, a bidi control or U+FFFE/U+FFFF with the bytes that make it
/// one. A continuation byte never equals a lead byte, so nothing else can match.
fn all_kept(text: &str) -> bool {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(off) = b[from..].iter().position(|&c| SUSPECT[c as usize]) {
        let i = from + off;
        let next = (b.get(i + 1).copied(), b.get(i + 2).copied());
        let changed = match b[i] {
            0xc2 => matches!(next.0, Some(0x80..=0x9f)),
            0xe2 => matches!(
                next,
                (Some(0x80), Some(0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
            ),
            0xef => matches!(next, (Some(0xbf), Some(0xbe | 0xbf))),
            _ => true,
        };
        if changed {
            return false;
        }
        from = i + 1;
    }
    true
}

/// The bytes [`all_kept`] looks at twice: a control (but tab and newline), and the lead bytes
/// of U+0080..U+00BF, U+2000..U+2FFF and U+F000..U+FFFF.
const SUSPECT: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = c != b'\t' as usize && c != b'\n' as usize;
        c += 1;
    }
    t[0x7f] = true;
    t[0xc2] = true;
    t[0xe2] = true;
    t[0xef] = true;
    t
};

/// `text` with nothing a Word, Excel, HTML or Markdown file must not hold: C0 and C1 controls,
/// DEL and bidi overrides are dropped, a vertical tab or form feed becomes a newline, and `\r\n` and a lone
/// `\r` become `\n`. Text without any of them is returned as it is.
pub fn for_file(text: &str) -> Cow<'_, str> {
    if all_kept(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        if let Some(kept) = in_file(c) {
            out.push(kept);
        }
    }
    Cow::Owned(out)
}

/// [`for_file`] of an owned string, in place.
pub fn clean_file_text(text: &mut String) {
    if let Cow::Owned(clean) = for_file(text) {
        *text = clean;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_sequences_are_shown_not_obeyed() {
        assert_eq!(for_terminal("\u{1b}[2J清屏"), "\\u{1b}[2J清屏");
        assert_eq!(
            for_terminal("\u{1b}]0;pwned\u{7}标题"),
            "\\u{1b}]0;pwned\\u{7}标题"
        );
        assert_eq!(for_terminal("a\u{9b}31mb"), "a\\u{9b}31mb");
        assert_eq!(for_terminal("x\u{7f}"), "x\\u{7f}");
        assert_eq!(for_terminal("名单\u{202e}txt.exe"), "名单\\u{202e}txt.exe");
        assert_eq!(for_terminal("覆盖\r写"), "覆盖\\u{d}写");
    }

    #[test]
    fn the_byte_check_agrees_with_the_characters() {
        let chars = (0..0x3100u32)
            .chain(0xfe00..=0xffff)
            .filter_map(char::from_u32);
        for c in chars {
            let alone = c.to_string();
            let framed = format!("议{c}事");
            assert_eq!(
                all_kept(&alone),
                in_file(c) == Some(c),
                "U+{:04X}",
                c as u32
            );
            assert_eq!(
                all_kept(&framed),
                in_file(c) == Some(c),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn ordinary_text_passes_unchanged() {
        for keep in [
            "张建国\t3号楼\n下一行",
            "a,b\r\nc,d\r\n",
            "预算 12.5 万元",
            "",
        ] {
            assert!(matches!(for_terminal(keep), Cow::Borrowed(_)), "{keep:?}");
        }
    }

    #[test]
    fn files_keep_the_words_without_control_characters() {
        assert_eq!(for_file("第一行\u{b}第二行"), "第一行\n第二行");
        assert_eq!(for_file("a\u{c}b"), "a\nb");
        assert_eq!(for_file("a\r\nb\rc"), "a\nb\nc");
        assert_eq!(for_file("\u{1b}[2J清屏\u{7}"), "[2J清屏");
        assert_eq!(for_file("x\u{0}\u{85}\u{9b}\u{7f}y\u{ffff}"), "xy");
        assert_eq!(for_file("名单\u{202e}txt.exe\u{2066}"), "名单txt.exe");
        assert!(matches!(for_file("同意\t9 人\n"), Cow::Borrowed(_)));
        let mut s = String::from("甲\u{b}乙");
        clean_file_text(&mut s);
        assert_eq!(s, "甲\n乙");
    }
}
