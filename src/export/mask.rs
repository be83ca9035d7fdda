//! What a public notice must not show: people's names, phone numbers, ID numbers and bank
//! card numbers, even where a secretary typed them into the minutes.

use std::sync::LazyLock;

use regex::Regex;

/// Chinese compound surnames, which keep both characters when a name is masked.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "钟离", "端木", "西门", "南宫", "独孤",
];

/// What replaces a removed number.
pub const REMOVED_ZH: &str = "[已隐去]";

/// Numbers a notice must not show. Longest alternatives first: a run of 15–19 digits is an ID
/// or a card whatever it starts with, so a mobile number is only matched on its own.
static NUMBERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \d{17}[Xx]                                   # 18-digit ID ending in X
      | \d{15,19}                                    # 15/18-digit ID, 16–19-digit bank card
      | \d{4}(?:[\s-]\d{4}){3}(?:[\s-]?\d{1,3})?     # bank card in groups of four
      | \d{6}[\s-]\d{8}[\s-]\d{3}[\dXx]              # ID written in groups
      | (?:[(\x{FF08}]?\+?86[)\x{FF09}]?[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}   # mobile, with +86 and separators
      | (?:[(\x{FF08}]0\d{2,3}[)\x{FF09}]\s?|0\d{2,3}[\s-]?)\d{7,8}    # landline: 010-12345678, (021)62345678
    ",
    )
    .expect("the number pattern is valid")
});

/// A person's name as a notice shows it: surname and `**` (`张**`, `欧阳**`), or the first
/// letter and `**` for a name in Latin letters.
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    let keep = COMPOUND_SURNAMES
        .iter()
        .find(|s| name.starts_with(*s) && name.chars().count() > 2)
        .map_or_else(
            || name.chars().next().map(String::from).unwrap_or_default(),
            |s| s.to_string(),
        );
    format!("{keep}**")
}

fn digit_before(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_digit())
}

fn digit_after(text: &str, at: usize) -> bool {
    text[at..]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
}

/// Removes phone, ID and bank card numbers (replaced with `removed`) and masks every name of
/// `names` in `text`. Names of one character are left alone: they would match ordinary words.
pub fn mask_with(text: &str, names: &[String], removed: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for m in NUMBERS.find_iter(text) {
        if digit_before(text, m.start()) || digit_after(text, m.end()) {
            continue;
        }
        out.push_str(&text[last..m.start()]);
        out.push_str(removed);
        last = m.end();
    }
    out.push_str(&text[last..]);

    // Only the names the text holds are sorted, not every participant's for every text.
    // Masking only ever shortens a name to surname and `**`, so a name not in the text now
    // cannot appear in it later (unless it has a `*` of its own).
    let mut names: Vec<&str> = names
        .iter()
        .map(|n| n.trim())
        .filter(|n| n.chars().count() >= 2 && (out.contains(n) || n.contains('*')))
        .collect();
    // Longest first, so 张建国 is masked before a 张建 could cut it in two.
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    names.dedup();
    for name in names {
        if out.contains(name) {
            out = out.replace(name, &mask_name(name));
        }
    }
    out
}

/// [`mask_with`] with the Chinese placeholder `[已隐去]`.
pub fn mask_personal(text: &str, names: &[String]) -> String {
    mask_with(text, names, REMOVED_ZH)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        vec!["张建国".into(), "欧阳娜娜".into(), "李明".into()]
    }

    #[test]
    fn names_keep_the_surname_only() {
        assert_eq!(
            mask_personal("张建国提出异议，欧阳娜娜附议，李明记录", &names()),
            "张**提出异议，欧阳**附议，李**记录"
        );
        assert_eq!(mask_name("Wang Fang"), "W**");
    }

    #[test]
    fn numbers_that_identify_people_are_removed() {
        let n = names();
        for (input, expected) in [
            ("电话13812345678", "电话[已隐去]"),
            ("电话 138 1234 5678。", "电话 [已隐去]。"),
            ("电话138-1234-5678", "电话[已隐去]"),
            ("+86 13812345678", "[已隐去]"),
            ("+86-138-1234-5678", "[已隐去]"),
            ("(+86)13912345678", "[已隐去]"),
            ("座机010-12345678", "座机[已隐去]"),
            ("座机0571-8888888", "座机[已隐去]"),
            ("座机（021）62345678", "座机[已隐去]"),
            ("座机(021)62345678", "座机[已隐去]"),
            ("身份证110101199003071234", "身份证[已隐去]"),
            ("身份证11010119900307123X", "身份证[已隐去]"),
            ("身份证11010119900307123x", "身份证[已隐去]"),
            ("旧身份证110101900307123", "旧身份证[已隐去]"),
            ("卡号6222020200001234567", "卡号[已隐去]"),
            ("卡号6222 0202 0000 1234", "卡号[已隐去]"),
            ("卡号6222-0202-0000-1234-567", "卡号[已隐去]"),
        ] {
            assert_eq!(mask_personal(input, &n), expected, "{input}");
        }
    }

    #[test]
    fn ordinary_numbers_stay() {
        let n = names();
        for keep in [
            "同意 9 人，占到会人数 75.0%",
            "2026-12-31 前完成",
            "3号楼 12 户",
            "预算 120000 元",
            "第 2 项",
        ] {
            assert_eq!(mask_personal(keep, &n), keep);
        }
        assert_eq!(
            mask_personal("2026-12-31 联系 13812345678", &n),
            "2026-12-31 联系 [已隐去]"
        );
    }
}
