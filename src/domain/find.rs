//! Finding a person by what a facilitator can type fast: part of the name, its pinyin initials
//! (zjg → 张建国) or its pinyin (zhangjg, zhangjianguo).

use pinyin::{ToPinyin, ToPinyinMulti};

/// How well `query` fits `name`; lower is better, `None` when it does not fit at all.
///
/// What the facilitator meant comes first: the whole name, its start, the start of one of its
/// words, its initials (by word or by pinyin), its pinyin spelled out; a match somewhere inside
/// a name comes last (`ar` is Aisha Rahman before Margaret Hughes).
pub fn score(name: &str, query: &str) -> Option<u32> {
    let query: String = query
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if query.is_empty() {
        return Some(100);
    }
    let lower = name.to_lowercase();
    if lower == query {
        return Some(0);
    }
    if lower.starts_with(&query) {
        return Some(1);
    }
    if lower.split_whitespace().any(|w| w.starts_with(&query)) {
        return Some(2);
    }
    let inside = lower.contains(&query).then_some(6);
    if !query.is_ascii() {
        return inside;
    }
    // Initials of the words of a Latin name: gl → Grace Liu.
    let words: String = lower
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .collect();
    if words.chars().count() > 1 && words.starts_with(&query) {
        return Some(if query.len() == words.chars().count() {
            3
        } else {
            4
        });
    }
    let readings = readings(name);
    if readings.is_empty() {
        return inside;
    }
    if initials_match(&readings, query.as_bytes()) {
        return Some(if query.len() == readings.len() { 3 } else { 4 });
    }
    if spelled_match(&readings, query.as_bytes()) {
        return Some(5);
    }
    inside
}

/// For each character of the name, its possible pinyin spellings (several for 多音字 such as
/// 单 shan/dan); a Latin letter is its own spelling.
fn readings(name: &str) -> Vec<Vec<String>> {
    name.chars()
        .filter(|c| !c.is_whitespace() && *c != '·' && *c != '.')
        .map(|c| {
            let mut spellings: Vec<String> = c
                .to_pinyin_multi()
                .map(|multi| multi.into_iter().map(|p| p.plain().to_string()).collect())
                .unwrap_or_default();
            if spellings.is_empty() {
                if let Some(p) = c.to_pinyin() {
                    spellings.push(p.plain().to_string());
                } else {
                    spellings.push(c.to_lowercase().collect());
                }
            }
            spellings.dedup();
            spellings
        })
        .collect()
}

/// One query letter per character, from the start: `zjg` for 张建国, `zj` too.
fn initials_match(readings: &[Vec<String>], query: &[u8]) -> bool {
    query.len() <= readings.len()
        && query
            .iter()
            .zip(readings)
            .all(|(q, spellings)| spellings.iter().any(|s| s.as_bytes().first() == Some(q)))
}

/// Each character spelled out, the last one possibly in part, or any one by its initial alone:
/// `zhangjg`, `zhangjianguo`, `zjianguo`.
fn spelled_match(readings: &[Vec<String>], query: &[u8]) -> bool {
    fn go(readings: &[Vec<String>], query: &[u8]) -> bool {
        if query.is_empty() {
            return true;
        }
        let Some((first, rest)) = readings.split_first() else {
            return false;
        };
        first.iter().any(|s| {
            let s = s.as_bytes();
            if query.len() <= s.len() && s.starts_with(query) {
                return true;
            }
            (query.starts_with(s) && go(rest, &query[s.len()..]))
                || (s.first() == query.first() && go(rest, &query[1..]))
        })
    }
    go(readings, query)
}

/// The candidates that fit `query`, best first, keeping the given order among equals.
pub fn rank<'a, T>(items: &'a [T], query: &str, name: impl Fn(&T) -> &str) -> Vec<&'a T> {
    let mut scored: Vec<(u32, usize, &T)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| score(name(item), query).map(|s| (s, i, item)))
        .collect();
    scored.sort_by_key(|(s, i, _)| (*s, *i));
    scored.into_iter().map(|(_, _, item)| item).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_find_the_name() {
        assert!(score("张建国", "zjg").is_some());
        assert!(score("张建国", "ZJG").is_some());
        assert!(score("张建国", "zj").is_some());
        assert_eq!(score("张建国", "zjh"), None);
        assert_eq!(score("李明", "zjg"), None);
    }

    #[test]
    fn spelled_pinyin_and_substrings_find_the_name() {
        assert!(score("张建国", "zhang").is_some());
        assert!(score("张建国", "zhangjg").is_some());
        assert!(score("张建国", "zhangjianguo").is_some());
        assert!(score("张建国", "建国").is_some());
        assert!(score("Mary Smith", "smi").is_some());
        assert_eq!(score("Grace Liu", "gl"), Some(3));
        assert_eq!(score("Sergeant Li Hao", "sl"), Some(4));
        assert_eq!(score("Grace Liu", "lg"), None);
        assert_eq!(score("张建国", "wang"), None);
    }

    #[test]
    fn initials_and_name_starts_rank_above_a_match_inside_a_name() {
        let names = ["Margaret Hughes", "Aisha Rahman", "Omar Farouk"];
        let ranked = rank(&names, "ar", |n| n);
        assert_eq!(ranked.first(), Some(&&"Aisha Rahman"), "{ranked:?}");
        assert_eq!(
            ranked.len(),
            3,
            "the inside matches still follow: {ranked:?}"
        );
        let ranked = rank(&names, "hug", |n| n);
        assert_eq!(ranked, vec![&"Margaret Hughes"]);
        let names = ["李建国", "张建"];
        assert_eq!(rank(&names, "建", |n| n), vec![&"李建国", &"张建"]);
        assert_eq!(rank(&names, "zj", |n| n), vec![&"张建"]);
    }

    #[test]
    fn heteronym_surnames_match_either_reading() {
        // 单 is read shàn as a surname, dān elsewhere.
        assert!(score("单雄", "sx").is_some());
        assert!(score("单雄", "dx").is_some());
    }

    #[test]
    fn rank_puts_exact_initials_before_prefixes_and_keeps_order() {
        let names = ["张佳", "张建国", "赵建国", "李明"];
        let ranked = rank(&names, "zjg", |n| n);
        assert_eq!(ranked, vec![&"张建国", &"赵建国"]);
        let ranked = rank(&names, "zj", |n| n);
        assert_eq!(ranked, vec![&"张佳", &"张建国", &"赵建国"]);
        assert_eq!(rank(&names, "", |n| n).len(), 4);
    }
}
