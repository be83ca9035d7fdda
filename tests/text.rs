//! Bad text in, safe text out: an agenda or a record holding terminal control sequences is
//! printed with them shown as escapes, files never hold raw control characters, and exports
//! with personal data are private to their owner.

mod common;

use std::io::{Cursor, Read};
use std::path::Path;
use std::process::{Command, Output};

use yishi::domain::state::{Command as C, Origin, Presence, TextField};
use yishi::store::Store;

/// Clears the screen, retitles the window, an 8-bit CSI and a right-to-left override.
const CLEAR: &str = "\u{1b}[2J";
const TITLE: &str = "\u{1b}]0;pwned\u{7}";
const CSI: &str = "\u{9b}31m";
const RLO: &str = "\u{202e}";

fn yishi(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yishi"))
        .arg("--db")
        .arg(dir.join("y.db"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// A character a terminal would act on: C0 except newline and tab (and `\r` of a `\r\n`),
/// DEL, C1 and the bidi overrides.
fn raw_controls(text: &str) -> Vec<char> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .filter(|(i, c)| match c {
            '\n' | '\t' => false,
            '\r' => chars.get(i + 1) != Some(&'\n'),
            c => {
                c.is_control()
                    || ('\u{202a}'..='\u{202e}').contains(c)
                    || ('\u{2066}'..='\u{2069}').contains(c)
            }
        })
        .map(|(_, c)| *c)
        .collect()
}

/// A meeting whose agenda and record are full of control sequences, in `dir/y.db`.
fn hostile_meeting(dir: &Path) {
    let mut setup = common::setup();
    setup.meeting.title = format!("议事会{CLEAR}{TITLE}");
    setup.meeting.place = Some(format!("议事厅{CSI}"));
    setup.participants[0].name = format!("张建国{RLO}");
    setup.items[0].title = format!("加装电梯{TITLE}");
    let mut store = Store::open(&dir.join("y.db")).unwrap();
    let (id, mut m) = store
        .create_meeting(setup, None, common::T0, Origin::Facilitator)
        .unwrap();
    let mut at = common::T0;
    let mut run = |c: C| {
        at += 1000;
        store
            .execute(id, &mut m, &c, at, Origin::Facilitator)
            .unwrap();
    };
    for p in 1..=6 {
        run(C::SetPresence {
            participant: p,
            presence: Presence::Present,
            holder: None,
            reason: None,
        });
    }
    run(C::NextItem);
    // The speaker with the override speaks: the minutes' speech lines carry the name.
    run(C::QueueSpeaker {
        participant: 1,
        kind: yishi::domain::state::SpeechKind::Speech,
    });
    run(C::StartNextSpeaker);
    run(C::EndSpeech);
    run(C::SetText {
        item: 1,
        field: TextField::Minutes,
        text: format!("第一行\u{b}第二行{CLEAR}"),
        base: None,
    });
    run(C::SetText {
        item: 1,
        field: TextField::Resolution,
        text: format!("同意{TITLE}方案A\u{c}"),
        base: None,
    });
    run(C::SetDissent {
        item: 1,
        text: format!("李秀英：担心噪音{CSI}"),
        base: None,
    });
    run(C::AddAction {
        item: 1,
        what: format!("联系施工单位{CLEAR}"),
        owner: "赵敏".into(),
        due: Some("2026-12-31".into()),
    });
}

#[test]
fn what_is_printed_shows_control_sequences_as_escapes() {
    let dir = tempfile::tempdir().unwrap();
    hostile_meeting(dir.path());
    for lang in ["zh-CN", "en"] {
        for args in [
            vec!["list"],
            vec!["show", "1"],
            vec!["stats"],
            vec!["actions"],
            vec!["export", "1", "-f", "md"],
            vec!["export", "1", "-f", "html"],
            vec!["export", "1", "-f", "csv"],
            vec!["export", "1", "-f", "csv", "--table", "actions"],
            vec!["export", "1", "-f", "json"],
            vec!["notice", "1"],
            vec!["notice", "1", "-f", "md"],
        ] {
            let mut all = vec!["--lang", lang];
            all.extend(&args);
            let o = yishi(dir.path(), &all);
            assert!(o.status.success(), "{args:?}: {o:?}");
            let out = String::from_utf8(o.stdout).unwrap();
            assert_eq!(raw_controls(&out), [], "{args:?} printed raw: {out}");
            assert!(out.contains("议事会"), "{args:?}: {out}");
        }
    }
    // The summaries quote the record as it is, escaped; the exports drop the controls.
    let show = String::from_utf8(yishi(dir.path(), &["show", "1"]).stdout).unwrap();
    assert!(
        show.contains("议事会\\u{1b}[2J\\u{1b}]0;pwned\\u{7}"),
        "{show}"
    );
    let list = String::from_utf8(yishi(dir.path(), &["list"]).stdout).unwrap();
    assert!(list.contains("\\u{1b}[2J"), "{list}");
    let md = String::from_utf8(yishi(dir.path(), &["export", "1", "-f", "md"]).stdout).unwrap();
    assert!(
        md.contains("第一行  \n第二行"),
        "the vertical tab is a line break: {md}"
    );
}

#[test]
fn check_prints_a_crafted_agenda_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.toml");
    std::fs::write(
        &good,
        "[meeting]\ntitle = \"议事会\\u001b[2J\\u001b]0;pwned\\u0007\"\n\n\
         [[participants]]\nname = \"张建国\"\nrole = \"resident\"\n\n\
         [[items]]\ntitle = \"议题\"\n",
    )
    .unwrap();
    let o = yishi(dir.path(), &["--lang", "zh-CN", "check", "good.toml"]);
    assert!(o.status.success(), "{o:?}");
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(raw_controls(&out), [], "{out}");
    assert!(
        out.contains("议事会\\u{1b}[2J\\u{1b}]0;pwned\\u{7}：参会 1 人"),
        "{out}"
    );

    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[meeting]\ntitle = \"议事会\"\n\n\
         [[participants]]\nname = \"张建国\"\nrole = \"\\u001b]0;pwned\\u0007\\u009b2J\"\n\n\
         [[items]]\ntitle = \"议题\"\n",
    )
    .unwrap();
    let o = yishi(dir.path(), &["--lang", "en", "check", "bad.toml"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(raw_controls(&err), [], "{err}");
    assert!(
        err.starts_with("bad.toml:6:8: unknown role \"\\u{1b}]0;pwned\\u{7}\\u{9b}2J\""),
        "{err}"
    );
}

/// The text of a part of an Office file, parsed as XML 1.0: a part that is not well-formed
/// (a raw control character or a reference to one) fails the test.
fn part(file: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(file)).unwrap();
    let mut xml = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut xml).unwrap();
    let doc = roxmltree::Document::parse(&xml)
        .unwrap_or_else(|e| panic!("{name} is not well-formed XML: {e}"));
    let text: String = doc
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("|");
    assert_eq!(raw_controls(&text), [], "{name}: {text}");
    text
}

#[test]
fn word_and_excel_files_open_whatever_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    hostile_meeting(dir.path());
    let docx = dir.path().join("m.docx");
    let xlsx = dir.path().join("m.xlsx");
    for (format, path) in [("docx", &docx), ("xlsx", &xlsx)] {
        let o = yishi(
            dir.path(),
            &["export", "1", "-f", format, "-o", path.to_str().unwrap()],
        );
        assert!(o.status.success(), "{o:?}");
    }
    let word = std::fs::read(&docx).unwrap();
    let text = part(&word, "word/document.xml");
    assert!(text.contains("第一行"), "{text}");
    assert!(text.contains("第二行"), "{text}");
    assert!(text.contains("同意]0;pwned方案A"), "{text}");
    let excel = std::fs::read(&xlsx).unwrap();
    part(&excel, "xl/sharedStrings.xml");
    part(&excel, "xl/worksheets/sheet1.xml");
}

#[cfg(unix)]
#[test]
fn exports_with_personal_data_are_private_and_the_notice_is_not() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    hostile_meeting(dir.path());
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    for format in ["md", "html", "docx", "xlsx", "csv", "json"] {
        let path = dir.path().join(format!("minutes.{format}"));
        let o = yishi(
            dir.path(),
            &["export", "1", "-f", format, "-o", path.to_str().unwrap()],
        );
        assert!(o.status.success(), "{o:?}");
        assert_eq!(mode(&path), 0o600, "{format}");
    }
    // A file that was there before is made private too when it is overwritten.
    let old = dir.path().join("old.csv");
    std::fs::write(&old, "x").unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = yishi(
        dir.path(),
        &[
            "export",
            "1",
            "-f",
            "csv",
            "-o",
            old.to_str().unwrap(),
            "--force",
        ],
    );
    assert!(o.status.success(), "{o:?}");
    assert_eq!(mode(&old), 0o600);
    // The default file name of a Word export, in the working folder.
    let o = yishi(dir.path(), &["export", "1", "-f", "docx"]);
    let name = String::from_utf8(o.stdout).unwrap();
    assert_eq!(mode(&dir.path().join(name.trim())), 0o600, "{name}");

    // The notice is meant for the board: it follows the umask (0022 here, set by the shell).
    let notice = dir.path().join("notice.html");
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 022 && exec \"$0\" --db y.db notice 1 -f html -o {}",
            notice.display()
        ))
        .arg(env!("CARGO_BIN_EXE_yishi"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    assert_eq!(mode(&notice), 0o644);
}

/// A meeting whose item 1 has `resolution` and an action item `what`.
fn meeting_with(dir: &Path, resolution: &str, what: &str) {
    let mut store = Store::open(&dir.join("y.db")).unwrap();
    let (id, mut m) = store
        .create_meeting(common::setup(), None, common::T0, Origin::Facilitator)
        .unwrap();
    let mut at = common::T0;
    for c in [
        C::NextItem,
        C::SetText {
            item: 1,
            field: TextField::Resolution,
            text: resolution.into(),
            base: None,
        },
        C::AddAction {
            item: 1,
            what: what.into(),
            owner: "赵敏".into(),
            due: None,
        },
    ] {
        at += 1000;
        store
            .execute(id, &mut m, &c, at, Origin::Facilitator)
            .unwrap();
    }
}

#[test]
fn the_notice_leaks_nothing_however_it_was_typed() {
    let leaks = [
        "１３８１２３４５６７８",
        "021 1234 5678",
        "62345678",
        "zhang.jg@example.com",
        "zhang_jg88",
        "502",
    ];
    let kept = [
        "预算 12.5 万元",
        "2026-12-01",
        "66.67%",
        "共 214 户",
        "3号楼",
    ];
    let resolution = format!(
        "同意，{}。联系张建国 {}，座机 {}，物业值班 {}，邮箱 {}，微信号：{}，住3号楼{}室。",
        kept.join("，"),
        leaks[0],
        leaks[1],
        leaks[2],
        leaks[3],
        leaks[4],
        leaks[5]
    );
    let dir = tempfile::tempdir().unwrap();
    meeting_with(dir.path(), &resolution, "联系施工单位");
    for format in ["text", "md", "html"] {
        let o = yishi(
            dir.path(),
            &[
                "--lang",
                "zh-CN",
                "notice",
                "1",
                "-f",
                format,
                "--date",
                "2026-11-29",
            ],
        );
        assert!(o.status.success(), "{o:?}");
        let n = String::from_utf8(o.stdout).unwrap().replace('\\', "");
        for leak in leaks {
            assert!(!n.contains(leak), "{leak} in the {format} notice: {n}");
        }
        assert!(!n.contains("张建国"));
        for keep in kept {
            assert!(
                n.contains(keep),
                "{keep} lost from the {format} notice: {n}"
            );
        }
        assert_eq!(n.matches("[已隐去]").count(), 5, "{format}: {n}");
        assert!(n.contains("住3号楼**室"), "{n}");
    }
}

/// A cell Excel would run: a formula sign, maybe full-width, maybe after spaces.
fn runs(cell: &str) -> bool {
    cell.trim_start()
        .starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠'])
}

#[test]
fn spreadsheet_cells_behind_spaces_or_full_width_signs_run_no_formula() {
    for typed in [" =1+1", "＝1+1", "\u{3000}＋SUM(A1)", "  @SUM(A1)"] {
        let dir = tempfile::tempdir().unwrap();
        meeting_with(dir.path(), typed, typed);
        for table in ["resolutions", "actions"] {
            let o = yishi(dir.path(), &["export", "1", "-f", "csv", "--table", table]);
            let csv = String::from_utf8(o.stdout).unwrap();
            let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
            let cells: Vec<String> = reader
                .records()
                .flat_map(|r| r.unwrap().iter().map(String::from).collect::<Vec<_>>())
                .collect();
            let formula = cells
                .iter()
                .find(|c| c.contains("1+1") || c.contains("SUM(A1)"))
                .unwrap_or_else(|| panic!("{typed:?} not in {csv}"));
            assert!(formula.starts_with('\''), "{typed:?}: {formula:?}");
            assert!(!cells.iter().any(|c| runs(c)), "{typed:?}: {cells:?}");
        }

        let xlsx = dir.path().join("a.xlsx");
        let o = yishi(
            dir.path(),
            &["export", "1", "-f", "xlsx", "-o", xlsx.to_str().unwrap()],
        );
        assert!(o.status.success(), "{o:?}");
        // In the workbook the text is a string cell, shown as typed (no apostrophe), with a
        // quote-prefix style so it stays text when edited; no cell is a formula.
        let bytes = std::fs::read(&xlsx).unwrap();
        part(&bytes, "xl/sharedStrings.xml");
        let raw = |name: &str| {
            let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
            let mut xml = String::new();
            zip.by_name(name).unwrap().read_to_string(&mut xml).unwrap();
            xml
        };
        let strings = raw("xl/sharedStrings.xml");
        let strings = roxmltree::Document::parse(&strings).unwrap();
        // The resolution keeps its leading spaces, the action is trimmed: one or two entries.
        let indexes: Vec<String> = strings
            .descendants()
            .filter(|n| n.has_tag_name("si"))
            .enumerate()
            .filter(|(_, si)| {
                si.descendants()
                    .filter_map(|n| n.text())
                    .collect::<String>()
                    .contains(typed.trim_start_matches([' ', '\u{3000}']))
            })
            .map(|(i, _)| i.to_string())
            .collect();
        assert!(!indexes.is_empty(), "{typed:?} not stored as typed");
        assert!(
            !strings
                .descendants()
                .filter_map(|n| n.text())
                .any(|t| t.starts_with('\'')),
            "{typed:?}: an apostrophe is shown"
        );
        let styles = raw("xl/styles.xml");
        let styles = roxmltree::Document::parse(&styles).unwrap();
        let xfs: Vec<bool> = styles
            .descendants()
            .find(|n| n.has_tag_name("cellXfs"))
            .unwrap()
            .children()
            .filter(|n| n.has_tag_name("xf"))
            .map(|xf| xf.attribute("quotePrefix") == Some("1"))
            .collect();
        let mut seen = 0;
        for sheet in ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"] {
            let xml = raw(sheet);
            let doc = roxmltree::Document::parse(&xml).unwrap();
            assert!(
                !doc.descendants().any(|n| n.has_tag_name("f")),
                "{typed:?}: a formula in {sheet}"
            );
            for c in doc.descendants().filter(|n| n.has_tag_name("c")) {
                let value = c
                    .children()
                    .find(|n| n.has_tag_name("v"))
                    .and_then(|v| v.text());
                if c.attribute("t") == Some("s")
                    && value.is_some_and(|v| indexes.iter().any(|i| i == v))
                {
                    let style: usize = c.attribute("s").and_then(|s| s.parse().ok()).unwrap_or(0);
                    assert!(xfs[style], "{typed:?}: {sheet} cell without quote prefix");
                    seen += 1;
                }
            }
        }
        assert!(seen >= 2, "{typed:?}: the resolution and the action cells");
    }
}
