//! Text saved from several consoles at once. A save names the text its editor started from;
//! when the field changed in between, nothing typed is dropped: the other console's text
//! stays first, a marked line follows, then what this console added.

/// What a save from an editor makes of a field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Saved {
    /// Nobody else changed the field: the editor's text is the text.
    Plain(String),
    /// Someone saved in between: both kept, joined by a marked line.
    Merged(String),
}

impl Saved {
    pub fn text(&self) -> &str {
        match self {
            Saved::Plain(t) | Saved::Merged(t) => t,
        }
    }

    pub fn into_text(self) -> String {
        match self {
            Saved::Plain(t) | Saved::Merged(t) => t,
        }
    }

    pub fn is_merged(&self) -> bool {
        matches!(self, Saved::Merged(_))
    }
}

/// Merges `mine` (typed over `base`) into `theirs` (the field as saved now).
///
/// The lines this console added to `base` that `theirs` does not hold yet go after `joiner`
/// (none where it is empty: a list such as the dissent, one named entry a line, needs none).
/// Lines this console deleted stay deleted only if nobody else changed the field: a deletion
/// is never worth losing another console's words for.
pub fn merge(base: &str, theirs: &str, mine: &str, joiner: &str) -> Saved {
    let (base, theirs, mine) = (base.trim_end(), theirs.trim_end(), mine.trim_end());
    if theirs == base || theirs == mine {
        return Saved::Plain(mine.to_string());
    }
    if mine == base {
        return Saved::Plain(theirs.to_string());
    }
    // What this console typed: its lines less those it started from…
    let mut added = minus(mine.lines().collect(), base.lines().collect());
    // …less those the other console happens to have added too.
    added = minus(
        added,
        minus(theirs.lines().collect(), base.lines().collect()),
    );
    added.retain(|l| !l.trim().is_empty());
    if added.is_empty() {
        return Saved::Plain(theirs.to_string());
    }
    let lines = std::iter::once(joiner)
        .filter(|j| !j.is_empty())
        .chain(added);
    let mut out = String::from(theirs);
    for line in lines {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    Saved::Merged(out)
}

/// `from` without one occurrence of each line of `take`, in order.
fn minus<'a>(from: Vec<&'a str>, take: Vec<&'a str>) -> Vec<&'a str> {
    let mut pool = take;
    from.into_iter()
        .filter(|line| match pool.iter().position(|p| p == line) {
            Some(i) => {
                pool.swap_remove(i);
                false
            }
            None => true,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const J: &str = "——以下同时录入——";

    #[test]
    fn nobody_else_saved_the_editor_text_is_the_text() {
        assert_eq!(merge("a", "a", "a\nb", J), Saved::Plain("a\nb".into()));
        assert_eq!(merge("", "", "新", J), Saved::Plain("新".into()));
        // Deleting a line is honoured when nobody else changed the field.
        assert_eq!(merge("a\nb", "a\nb", "a", J), Saved::Plain("a".into()));
    }

    #[test]
    fn a_save_with_nothing_new_keeps_the_other_consoles_text() {
        assert_eq!(merge("a", "a\nb", "a", J), Saved::Plain("a\nb".into()));
        assert_eq!(merge("a", "a\nb", "a\nb", J), Saved::Plain("a\nb".into()));
    }

    #[test]
    fn both_added_lines_both_are_kept_theirs_first_and_the_join_marked() {
        let s = merge(
            "张建国：担心采光",
            "张建国：担心采光\n李秀英：担心噪音",
            "张建国：担心采光\n主持人补充：下周再议",
            J,
        );
        assert_eq!(
            s,
            Saved::Merged(format!(
                "张建国：担心采光\n李秀英：担心噪音\n{J}\n主持人补充：下周再议"
            ))
        );
    }

    #[test]
    fn a_line_this_console_deleted_is_not_lost_when_the_other_console_saved() {
        let s = merge("a\nb", "a\nb\nc", "b\nd", J);
        assert_eq!(s.text(), format!("a\nb\nc\n{J}\nd"));
    }

    #[test]
    fn an_edited_line_appears_after_the_join_and_the_old_one_stays() {
        let s = merge("会议同意", "会议同意\n另议", "会议一致同意", J);
        assert_eq!(s.text(), format!("会议同意\n另议\n{J}\n会议一致同意"));
    }

    #[test]
    fn every_typed_line_survives_any_order_of_saves() {
        // Three consoles append their own lines over the same base, saving in every order.
        let base = "开始";
        let lines = ["甲一\n甲二", "乙一", "丙一\n丙二\n丙三"];
        for order in [
            [0, 1, 2],
            [0, 2, 1],
            [1, 0, 2],
            [1, 2, 0],
            [2, 0, 1],
            [2, 1, 0],
        ] {
            let mut field = base.to_string();
            for &k in &order {
                let mine = format!("{base}\n{}", lines[k]);
                field = merge(base, &field, &mine, J).into_text();
            }
            for l in lines.iter().flat_map(|l| l.lines()) {
                assert!(field.contains(l), "{l} lost in {order:?}: {field}");
            }
            assert!(field.starts_with(base));
        }
    }

    #[test]
    fn a_list_merges_without_a_marker_line() {
        assert_eq!(
            merge("", "张建国：担心采光", "李秀英：担心噪音", ""),
            Saved::Merged("张建国：担心采光\n李秀英：担心噪音".into())
        );
    }

    #[test]
    fn repeated_lines_count_as_typed_each_time() {
        let s = merge("同意", "同意\n反对", "同意\n同意", J);
        assert_eq!(s.text(), format!("同意\n反对\n{J}\n同意"));
    }
}
