//! What a public notice must not show: people's names, phone numbers, ID and bank card
//! numbers, e-mail addresses, chat accounts and room numbers, even where a secretary typed
//! them into the minutes, in full-width digits or with spaces.

use std::sync::LazyLock;

use regex::Regex;

use super::minutes::Minutes;

/// Chinese compound surnames, which keep both characters when a name is masked.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "钟离", "端木", "西门", "南宫", "独孤",
];

/// What replaces a removed number.
pub const REMOVED_ZH: &str = "[已隐去]";

/// What replaces a room number: `3号楼**室`, as a name becomes `张**`.
const ROOM: &str = "**";

/// Numbers a notice must not show, matched on the text with full-width forms made ASCII.
/// Longest alternatives first: a run of 15–19 digits is an ID or a card whatever it starts
/// with, so a mobile number is only matched on its own.
static NUMBERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        [A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}  # e-mail, before its digits
      | [0-9]{17}[Xx]                                    # 18-digit ID ending in X
      | [0-9]{15,19}                                     # 15/18-digit ID, 16–19-digit bank card
      | [0-9]{4}(?:[\s-][0-9]{4}){3}(?:[\s-]?[0-9]{1,3})?   # bank card in groups of four
      | [0-9]{6}[\s-][0-9]{8}[\s-][0-9]{3}[0-9Xx]        # ID written in groups
      | (?:\(?\+?86\)?[\s-]?)?1[3-9][0-9](?:[\s-]?[0-9]{4}){2}   # mobile, with +86 and separators
      | (?:\(0[0-9]{2,3}\)\s?|0[0-9]{2,3}[\s-]?)[0-9]{3,4}[\s-]?[0-9]{4}   # 010-12345678, 021 1234 5678, (021)62345678
    ",
    )
    .expect("the number pattern is valid")
});

/// A local number without its area code: eight digits (`6234 5678`), or seven after a word
/// that says it is a phone. Kept when it reads as an amount, a date or a span of years.
static LOCAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        (?P<said>(?:电话|手机|座机|联系|致电|热线|拨打|tel|phone|call)[^0-9]{0,4})?
        (?P<n>[2-9][0-9]{3}[\s-]?[0-9]{4}|[2-9][0-9]{2}[\s-]?[0-9]{4})
    ",
    )
    .expect("the local number pattern is valid")
});

/// A chat or messaging account after the word that names it: `微信号：zhang_jg88`,
/// `WeChat: wxid_abc123`, `QQ 12345678`; and a `wxid_…` anywhere.
static ACCOUNTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        (?P<wxid>wxid_[A-Za-z0-9_]{4,})
      | (?:^|[^A-Za-z])
        (?P<kw>微信号?|微信id|wechat(?:\s*id)?|weixin|vx|v信|wx|qq号?)
        (?P<sep>\s*(?:号|id)?\s*[:是为]?\s*)
        (?P<id>[A-Za-z][A-Za-z0-9_-]{5,19}|[1-9][0-9]{4,10})
    ",
    )
    .expect("the account pattern is valid")
});

/// A room in an address: `3号楼502室`, `5栋2单元1201`, `2单元301`, `502室`, `3-2-502`.
static ROOMS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        [0-9]{1,4}\s*(?:号楼|栋|幢|座)\s*(?:[0-9]{1,2}\s*单元\s*)?(?P<a>[0-9]{3,4})
      | [0-9]{1,2}\s*单元\s*(?P<b>[0-9]{3,4})
      | (?P<c>[0-9]{3,4})\s*(?:室|号房)
      | [0-9]{1,3}-[0-9]{1,2}-(?P<d>[0-9]{3,4})
    ",
    )
    .expect("the room pattern is valid")
});

/// What follows a number that is an amount or a count, not a phone: 元, 万, 户, %…
fn unit_after(text: &str) -> bool {
    text.trim_start().chars().next().is_some_and(|c| {
        "元万亿千百块角分米平方㎡%‰户人票次年月日号天周个件位岁株辆台套栋层间项条张份部".contains(c)
    })
}

/// `20261201` and `2025-2026`: a date, or a span of years.
fn date_or_years(digits: &str) -> bool {
    let d: String = digits.chars().filter(char::is_ascii_digit).collect();
    let year = |s: &str| s.starts_with("19") || s.starts_with("20");
    if d.len() != 8 || !year(&d) {
        return false;
    }
    let compact = chrono::NaiveDate::parse_from_str(&d, "%Y%m%d").is_ok();
    compact && digits.len() == 8 || year(&d[4..])
}

/// `text` with full-width digits, letters and signs (`１３８`, `＠`, `（`, `：`) and the
/// ideographic space as their ASCII forms, and for each byte of it the byte in `text` it came
/// from (one more at the end), so a match found here can be cut out of the original.
fn narrow(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut from = Vec::with_capacity(text.len() + 1);
    for (at, c) in text.char_indices() {
        let n = match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        };
        out.push(n);
        from.extend(std::iter::repeat_n(at, n.len_utf8()));
    }
    from.push(text.len());
    (out, from)
}

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
        .is_some_and(|c| c.is_ascii_digit() || c == '.')
}

fn digit_after(text: &str, at: usize) -> bool {
    let mut rest = text[at..].chars();
    match rest.next() {
        Some(c) if c.is_ascii_alphanumeric() => true,
        // 12345678.5 is a number with decimals, not a phone.
        Some('.') => rest.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// Where in `text` (narrowed) something personal stands, and what replaces it.
fn personal_spans<'r>(text: &str, removed: &'r str) -> Vec<(usize, usize, &'r str)> {
    let alone = |s: usize, e: usize| !digit_before(text, s) && !digit_after(text, e);
    let mut found = Vec::new();
    for m in NUMBERS.find_iter(text) {
        if alone(m.start(), m.end()) {
            found.push((m.start(), m.end(), removed));
        }
    }
    for c in LOCAL.captures_iter(text) {
        let Some(n) = c.name("n") else { continue };
        let eight = n.as_str().chars().filter(char::is_ascii_digit).count() == 8;
        let kept = !alone(n.start(), n.end())
            || unit_after(&text[n.end()..])
            || text[..n.start()].ends_with(['¥', '￥', '$', '€'])
            || date_or_years(n.as_str());
        if !kept && (eight || c.name("said").is_some()) {
            found.push((n.start(), n.end(), removed));
        }
    }
    for c in ACCOUNTS.captures_iter(text) {
        if let Some(id) = c.name("wxid") {
            found.push((id.start(), id.end(), removed));
        }
        let (Some(kw), Some(sep), Some(id)) = (c.name("kw"), c.name("sep"), c.name("id")) else {
            continue;
        };
        // "微信号 zhangjg", "WeChat: Zhang_88": an account; "WeChat account": a word.
        let said = kw.as_str().ends_with('号')
            || kw.as_str().to_ascii_lowercase().ends_with("id")
            || !sep.as_str().trim().is_empty();
        let looks = id
            .as_str()
            .contains(|c: char| c.is_ascii_digit() || "_-".contains(c));
        if (said || looks) && !digit_after(text, id.end()) {
            found.push((id.start(), id.end(), removed));
        }
    }
    for c in ROOMS.captures_iter(text) {
        let whole = c.get(0).map_or(0..0, |m| m.range());
        let room = ["a", "b", "c", "d"].iter().find_map(|g| c.name(g));
        // "3号楼 120 户" counts households; "1-12-2026" is a date.
        let counts = text[room.map_or(0, |r| r.end())..]
            .trim_start()
            .starts_with(|c: char| "户人票元万%年月日天个次位岁".contains(c));
        if let Some(room) = room
            && alone(whole.start, whole.end.max(room.end()))
            && !counts
            && !(c.name("d").is_some() && ["19", "20"].iter().any(|y| room.as_str().starts_with(y)))
        {
            found.push((room.start(), room.end(), ROOM));
        }
    }
    // Overlaps keep the earliest and widest: a mobile number is not also a local one.
    found.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
    let mut merged: Vec<(usize, usize, &str)> = Vec::new();
    for (s, e, with) in found {
        match merged.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e, with)),
        }
    }
    merged
}

/// Removes phone, ID and bank card numbers, e-mail addresses and chat accounts (replaced with
/// `removed`), masks room numbers (`3号楼**室`) and every name of `names` in `text`, full-width
/// digits and letters included. Amounts, dates, counts and percentages stay as they are. Names
/// of one character are left alone: they would match ordinary words.
pub fn mask_with(text: &str, names: &Names, removed: &str) -> String {
    let (narrowed, from) = narrow(text);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (s, e, with) in personal_spans(&narrowed, removed) {
        let (s, e) = (from[s], from[e]);
        out.push_str(&text[last..s]);
        out.push_str(with);
        last = e;
    }
    out.push_str(&text[last..]);

    // Only the names the text holds are sorted, found in one pass over it. Masking only ever
    // shortens a name to surname and `**`, so a name not in the text now cannot appear in it
    // later (unless it has a `*` of its own).
    let mut held: Vec<usize> = names
        .finder
        .find_overlapping_iter(&out)
        .map(|m| m.pattern().as_usize())
        .filter(|&i| names.maskable[i])
        .chain(names.starred.iter().copied())
        .collect();
    held.sort_unstable();
    held.dedup();
    // Longest first, so 张建国 is masked before a 张建 could cut it in two.
    held.sort_by_key(|&i| std::cmp::Reverse(names.chars[i]));
    for i in held {
        let name = names.list[i].as_str();
        if out.contains(name) {
            out = out.replace(name, &mask_name(name));
        }
    }
    out
}

/// The names to mask, trimmed and without repeats, with what finds them in a text.
pub struct Names {
    list: Vec<String>,
    chars: Vec<usize>,
    /// Masked inside a text: two characters or more (one would match ordinary words).
    maskable: Vec<bool>,
    /// Maskable names with a `*` of their own, looked for in every text.
    starred: Vec<usize>,
    finder: aho_corasick::AhoCorasick,
}

impl Names {
    pub fn new(names: &[String]) -> Names {
        let mut list: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for n in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            if seen.insert(n) {
                list.push(n.to_string());
            }
        }
        let chars: Vec<usize> = list.iter().map(|n| n.chars().count()).collect();
        let maskable: Vec<bool> = chars.iter().map(|&c| c >= 2).collect();
        let starred = (0..list.len())
            .filter(|&i| maskable[i] && list[i].contains('*'))
            .collect();
        let finder = aho_corasick::AhoCorasick::new(&list).expect("names make an automaton");
        Names {
            list,
            chars,
            maskable,
            starred,
            finder,
        }
    }

    /// The longest name `text` starts with.
    fn starting<'t>(&self, text: &'t str) -> Option<&'t str> {
        self.finder
            .find_overlapping_iter(text)
            .filter(|m| m.start() == 0)
            .max_by_key(|m| m.end())
            .map(|m| &text[..m.end()])
    }
}

/// [`mask_with`] with the Chinese placeholder `[已隐去]`.
pub fn mask_personal(text: &str, names: &[String]) -> String {
    mask_with(text, &Names::new(names), REMOVED_ZH)
}

/// `text` that starts with one of `names` ("张建国（线上）", "李秀英（病假）"): that name masked
/// whatever its length, and the rest masked as any text.
fn mask_listed(text: &str, names: &Names, removed: &str) -> String {
    match names.starting(text) {
        Some(name) => format!(
            "{}{}",
            mask_name(name),
            mask_with(&text[name.len()..], names, removed)
        ),
        None => mask_with(text, names, removed),
    }
}

/// The minutes as they may be published: every person's name masked (`张**`), phone numbers
/// dropped, and phone, ID and card numbers, e-mail addresses, chat accounts and room numbers
/// taken out of every text the room or the agenda wrote, as the public notice does. The
/// notice's contact (联系方式) is meant to be posted and stays.
pub fn public(m: &Minutes) -> Minutes {
    use super::minutes::TextKind;
    let removed = m.lang.pick(REMOVED_ZH, "[removed]");
    let people = Names::new(&m.people);
    let mut p = m.clone();
    p.each_text(&mut |kind, s| match kind {
        TextKind::Text => *s = mask_with(s, &people, removed),
        TextKind::Name if !s.trim().is_empty() => *s = mask_name(s),
        TextKind::Listed => *s = mask_listed(s, &people, removed),
        TextKind::Name | TextKind::Plain => {}
    });
    for a in &mut p.attendance {
        a.phone = None;
    }
    p.people = Vec::new();
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        vec!["张建国".into(), "欧阳娜娜".into(), "李明".into()]
    }

    #[test]
    fn a_listed_name_is_masked_whatever_its_length_and_what_follows_too() {
        let names = vec!["芳".to_string(), "张建国".to_string()];
        assert_eq!(
            mask_listed("张建国（线上）", &Names::new(&names), REMOVED_ZH),
            "张**（线上）"
        );
        assert_eq!(
            mask_listed("芳（委托）", &Names::new(&names), REMOVED_ZH),
            "芳**（委托）"
        );
        assert_eq!(
            mask_listed(
                "张建国（病假，电话 13812345678）",
                &Names::new(&names),
                REMOVED_ZH
            ),
            "张**（病假，电话 [已隐去]）"
        );
        assert_eq!(
            mask_listed("物业公司", &Names::new(&names), REMOVED_ZH),
            "物业公司"
        );
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
    fn numbers_written_any_way_are_removed() {
        let n = names();
        for (input, expected) in [
            // Full-width digits, as a Chinese input method types them.
            ("电话１３８１２３４５６７８。", "电话[已隐去]。"),
            ("电话：１３８　１２３４　５６７８", "电话：[已隐去]"),
            (
                "身份证１１０１０１１９９００３０７１２３Ｘ",
                "身份证[已隐去]",
            ),
            ("座机（０２１）６２３４５６７８", "座机[已隐去]"),
            // Spaces between the groups.
            ("座机 021 1234 5678", "座机 [已隐去]"),
            ("座机 0571 888 8888", "座机 [已隐去]"),
            // A local number without its area code.
            ("物业值班 62345678", "物业值班 [已隐去]"),
            ("物业值班 6234 5678，随时", "物业值班 [已隐去]，随时"),
            ("值班室电话 8888888", "值班室电话 [已隐去]"),
            // E-mail, in ASCII or full width.
            ("来信 zhang.jg+yishi@example.com.cn 收", "来信 [已隐去] 收"),
            ("邮箱ｌｉｍｉｎｇ＠ｑｑ．ｃｏｍ", "邮箱[已隐去]"),
            ("13812345678@qq.com", "[已隐去]"),
            // Chat accounts.
            ("微信号：zhang_jg88", "微信号：[已隐去]"),
            ("加微信 liming2026 联系", "加微信 [已隐去] 联系"),
            ("微信号 zhangjianguo", "微信号 [已隐去]"),
            ("WeChat: Li-Ming_1990", "WeChat: [已隐去]"),
            ("wxid_a1b2c3d4e5 在群里", "[已隐去] 在群里"),
            ("QQ 12345678", "QQ [已隐去]"),
            // Room numbers in addresses.
            ("住3号楼502室", "住3号楼**室"),
            ("住３号楼５０２室", "住３号楼**室"),
            ("5栋2单元1201", "5栋2单元**"),
            ("2单元301的住户", "2单元**的住户"),
            ("1502室漏水", "**室漏水"),
            ("3-2-502 业主", "3-2-** 业主"),
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
            "预算 12.5 万元",
            "预算 35000000 元",
            "预算 ¥62345678",
            "2026-12-01",
            "20261201 开工",
            "2025-2026 年度",
            "66.67%",
            "共 214 户",
            "３号楼 120 户",
            "3室1厅，建筑面积 86.5 平方米",
            "圆周率 3.14159265",
            "加微信群讨论",
            "WeChat group",
            "会议室",
            "1-12-2026",
        ] {
            assert_eq!(mask_personal(keep, &n), keep);
        }
        assert_eq!(
            mask_personal("2026-12-31 联系 13812345678", &n),
            "2026-12-31 联系 [已隐去]"
        );
    }
}
