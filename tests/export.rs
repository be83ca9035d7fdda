//! Exports read back as a committee would find them: the Word paragraphs, the Excel cells,
//! the CSV bytes, the JSON contract, the public notice and the escaping of every field.

mod common;

use std::io::{Cursor, Read};

use calamine::{Data, DataType, Reader, Xlsx, open_workbook_from_rs};
use yishi::domain::model::*;
use yishi::domain::state::*;
use yishi::domain::tally::Method;
use yishi::export::notice::{self, NoticeFormat};
use yishi::export::{self, Format, Minutes, Table};
use yishi::lang::Lang;
use yishi::store::Store;

const F: Origin = Origin::Facilitator;
const XSS: &str = "<script>alert(1)</script>";

struct Built {
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
    id: i64,
    state: State,
    now: i64,
}

fn counts(yes: u32, no: u32, abstain: u32) -> TallyInput {
    TallyInput::Counts { yes, no, abstain }
}

/// The sample meeting, held: attendance, three speeches, a vote taken twice, a plurality vote,
/// minutes with a phone and an ID number typed in, a resolution, dissent and two actions.
fn held(setup: Setup, texts: &Texts) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("yishi.db");
    let mut store = Store::open(&db).unwrap();
    let (id, mut m) = store.create_meeting(setup, None, common::T0, F).unwrap();
    let mut at = common::T0;
    let mut run = |store: &mut Store, m: &mut Meeting, c: Command, secs: i64| {
        at += secs * 1000;
        store.execute(id, m, &c, at, F).unwrap();
    };
    for p in [1, 2, 4, 5, 6, 7] {
        let c = Command::SetPresence {
            participant: p,
            presence: Presence::Present,
            holder: None,
            reason: None,
        };
        run(&mut store, &mut m, c, 1);
    }
    let c = Command::SetPresence {
        participant: 3,
        presence: Presence::Online,
        holder: None,
        reason: None,
    };
    run(&mut store, &mut m, c, 1);
    run(&mut store, &mut m, Command::NextItem, 60);
    for (p, secs) in [(1, 95), (3, 62), (2, 130)] {
        let c = Command::QueueSpeaker {
            participant: p,
            kind: SpeechKind::Speech,
        };
        run(&mut store, &mut m, c, 2);
        run(&mut store, &mut m, Command::StartNextSpeaker, 1);
        run(&mut store, &mut m, Command::EndSpeech, secs);
    }
    for (yes, no, abstain) in [(3, 2, 1), (4, 1, 1)] {
        let c = Command::RecordVote {
            item: 1,
            rule: None,
            method: Method::ShowOfHands,
            input: counts(yes, no, abstain),
            tellers: vec!["李明".into()],
        };
        run(&mut store, &mut m, c, 30);
    }
    let sets = [
        (TextField::Minutes, texts.minutes.clone()),
        (TextField::Resolution, texts.resolution.clone()),
    ];
    for (field, text) in sets {
        let c = Command::SetText {
            item: 1,
            field,
            text,
            base: None,
        };
        run(&mut store, &mut m, c, 5);
    }
    let c = Command::SetDissent {
        item: 1,
        text: texts.dissent.clone(),
        base: None,
    };
    run(&mut store, &mut m, c, 5);
    for (what, owner, due) in &texts.actions {
        let c = Command::AddAction {
            item: 1,
            what: what.clone(),
            owner: owner.clone(),
            due: due.clone(),
        };
        run(&mut store, &mut m, c, 5);
    }
    run(&mut store, &mut m, Command::NextItem, 10);
    let c = Command::RecordVote {
        item: 2,
        rule: None,
        method: Method::SecretBallot,
        input: TallyInput::Options {
            counts: vec![4, 1],
            abstain: 1,
        },
        tellers: vec![],
    };
    run(&mut store, &mut m, c, 40);
    run(&mut store, &mut m, Command::EndMeeting, 20);
    let now = at + 1000;
    Built {
        _dir: dir,
        db,
        id,
        state: m.state().clone(),
        now,
    }
}

struct Texts {
    minutes: String,
    resolution: String,
    dissent: String,
    actions: Vec<(String, String, Option<String>)>,
}

fn texts() -> Texts {
    Texts {
        minutes: "张建国：低层住户担心采光，联系电话 138-1234-5678，身份证 11010119900307123X。\n王磊：物业可配合施工。".into(),
        resolution: "同意按方案A加装电梯，由刘洋牵头，赵敏联系施工单位（电话 0571-8888888）。".into(),
        dissent: "李秀英：担心噪音\n低层住户希望补偿".into(),
        actions: vec![
            ("联系施工单位".into(), "赵敏".into(), Some("2026-12-31".into())),
            ("=1+1".into(), "王磊".into(), None),
        ],
    }
}

fn sample() -> Built {
    let mut setup = common::setup();
    setup.meeting.objection_days = Some(7);
    held(setup, &texts())
}

fn minutes(b: &Built, lang: Lang) -> Minutes {
    Minutes::build(&b.state, Some(b.id), b.now, lang, None)
}

fn bytes(m: &Minutes, format: Format) -> Vec<u8> {
    export::render(std::slice::from_ref(m), format, Table::Resolutions, false).unwrap()
}

fn text(m: &Minutes, format: Format) -> String {
    String::from_utf8(bytes(m, format)).unwrap()
}

/// The paragraphs of a .docx, as text (table cells are paragraphs too).
fn docx_paragraphs(docx: &[u8]) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let para = regex::Regex::new(r"(?s)<w:p[ >].*?</w:p>").unwrap();
    let run = regex::Regex::new(r"(?s)<w:t(?: [^>]*)?>(.*?)</w:t>").unwrap();
    para.find_iter(&xml)
        .map(|p| {
            run.captures_iter(p.as_str())
                .map(|c| {
                    c[1].replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&quot;", "\"")
                        .replace("&apos;", "'")
                        .replace("&amp;", "&")
                })
                .collect::<String>()
        })
        .filter(|t| !t.is_empty())
        .collect()
}

fn has(paragraphs: &[String], needle: &str) -> bool {
    paragraphs.iter().any(|p| p.contains(needle))
}

#[test]
fn the_word_minutes_have_the_filed_form() {
    let b = sample();
    let m = minutes(&b, Lang::Zh);
    let p = docx_paragraphs(&bytes(&m, Format::Docx));
    assert_eq!(p[0], "幸福里小区3号楼加装电梯协商议事会");
    assert_eq!(p[1], "会议纪要");
    for (label, value) in [
        ("时间", "年"),
        ("地点", "幸福里居委会议事厅"),
        ("主持人", "王芳"),
        ("记录人", "李明"),
        ("应到 / 实到", "应到 6 人，实到 6 人，占应到人数 100.0%"),
        ("出席", "6 人（其中线上 1 人，委托 0 人）"),
        ("缺席", "0 人"),
        ("列席", "1 人周社工"),
        ("休会时间", "年"),
    ] {
        let i = p
            .iter()
            .position(|x| x == label)
            .unwrap_or_else(|| panic!("{label} in {p:?}"));
        assert!(p[i + 1].contains(value), "{label}: {}", p[i + 1]);
    }
    assert!(has(&p, "居民代表：张建国"));
    assert!(has(&p, "物业：王磊（线上）"));
    assert!(has(&p, "议题 1\u{ff1a}3号楼加装电梯方案"));
    assert!(has(&p, "提出人：3号楼居民联名"));
    assert!(has(&p, "1. 张建国（居民代表）1:35"));
    assert!(has(&p, "3. 李秀英（居民）2:10"));
    assert!(has(
        &p,
        "表决结果：同意 4 人，占到会人数 66.7%；反对 1 人，占到会人数 16.7%；弃权 1 人，占到会人数 16.7%"
    ));
    assert!(has(
        &p,
        "已作废（已重新表决） 表决：是否同意按方案A加装电梯？"
    ));
    assert!(has(&p, "表决方式：举手表决"));
    assert!(has(&p, "通过："));
    assert!(has(&p, "决议：同意按方案A加装电梯"));
    let dissent = p.iter().position(|x| x == "保留意见：").expect("保留意见");
    assert_eq!(p[dissent + 1], "李秀英：担心噪音");
    assert_eq!(p[dissent + 2], "低层住户希望补偿");
    assert!(p.iter().any(|x| x == "责任人"));
    assert!(p.iter().any(|x| x == "完成时限"));
    assert!(p.iter().any(|x| x == "2026-12-31"));
    assert!(has(&p, "「12月5日」 4 票"));
    assert!(has(&p, "居民及代表发言时长占"));
    assert!(has(&p, "主持人（签字）"));
    assert!(has(&p, "处理结果：表决通过"));
    // The meeting closed before item 3 was reached.
    assert!(has(&p, "处理结果：未议"));
}

#[test]
fn several_meetings_make_one_word_file_with_page_breaks() {
    let b = sample();
    let m = minutes(&b, Lang::Zh);
    let two = export::render(&[m.clone(), m], Format::Docx, Table::Resolutions, true).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(two)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert_eq!(xml.matches("<w:pageBreakBefore").count(), 1);
}

#[test]
fn the_workbook_has_typed_cells() {
    let b = sample();
    let m = minutes(&b, Lang::Zh);
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes(&m, Format::Xlsx))).unwrap();
    assert_eq!(wb.sheet_names(), vec!["决议", "待办"]);
    let r = wb.worksheet_range("决议").unwrap();
    let cell = |r: &calamine::Range<Data>, row: u32, col: u32| r.get_value((row, col)).cloned();
    assert_eq!(cell(&r, 0, 5), Some(Data::String("同意".into())));
    assert_eq!(
        cell(&r, 1, 0),
        Some(Data::String("幸福里小区3号楼加装电梯协商议事会".into()))
    );
    assert_eq!(cell(&r, 1, 5), Some(Data::Float(4.0)), "yes is a number");
    assert_eq!(cell(&r, 1, 6), Some(Data::Float(1.0)));
    assert_eq!(cell(&r, 1, 7), Some(Data::Float(1.0)));
    assert_eq!(cell(&r, 0, 8), Some(Data::String("各选项得票".into())));
    assert_eq!(cell(&r, 1, 9), Some(Data::String("通过".into())));
    assert_eq!(cell(&r, 0, 11), Some(Data::String("保留意见".into())));
    assert_eq!(
        cell(&r, 1, 11),
        Some(Data::String("李秀英：担心噪音\n低层住户希望补偿".into()))
    );
    assert_eq!(cell(&r, 2, 1), Some(Data::Float(2.0)));
    // A plurality vote: one count per option.
    assert_eq!(
        cell(&r, 2, 8),
        Some(Data::String("12月5日 4 票；12月12日 1 票".into()))
    );

    let a = wb.worksheet_range("待办").unwrap();
    assert_eq!(cell(&a, 0, 4), Some(Data::String("责任人".into())));
    assert_eq!(cell(&a, 1, 3), Some(Data::String("联系施工单位".into())));
    let due = cell(&a, 1, 5).unwrap();
    assert!(due.is_datetime(), "due is a date cell: {due:?}");
    assert_eq!(
        due.as_date(),
        chrono::NaiveDate::from_ymd_opt(2026, 12, 31),
        "{due:?}"
    );
    // A formula-looking text is a string cell, shown as typed (no apostrophe).
    assert_eq!(cell(&a, 2, 3), Some(Data::String("=1+1".into())));
    assert!(
        matches!(cell(&a, 2, 5), None | Some(Data::Empty)),
        "no due date, no cell"
    );
}

#[test]
fn csv_opens_in_excel_and_runs_no_formula() {
    let b = sample();
    let m = minutes(&b, Lang::Zh);
    let res = text(&m, Format::Csv);
    assert!(res.starts_with('\u{feff}'), "UTF-8 BOM");
    let mut lines = res.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next().unwrap(),
        "会议,序号,议题,表决事项,表决规则,同意,反对,弃权,各选项得票,表决结果,决议,保留意见"
    );
    let first = lines.next().unwrap();
    assert!(first.contains(",4,1,1,,通过,"), "{first}");
    assert!(
        res.contains(",\"李秀英：担心噪音\n低层住户希望补偿\"\n"),
        "{res}"
    );
    assert!(
        res.contains(",,,1,12月5日 4 票；12月12日 1 票,通过："),
        "{res}"
    );
    let actions = String::from_utf8(
        export::render(std::slice::from_ref(&m), Format::Csv, Table::Actions, false).unwrap(),
    )
    .unwrap();
    assert!(actions.starts_with('\u{feff}'));
    assert!(actions.contains(",'=1+1,王磊,,"), "{actions}");
    assert!(actions.contains(",联系施工单位,赵敏,2026-12-31,未开始"));
    assert!(!actions.contains(",=1+1"));
}

fn schema() -> (boon::Schemas, boon::SchemaIndex) {
    let raw = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/meeting.schema.json"
    ))
    .unwrap();
    let value: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("meeting.schema.json", value).unwrap();
    let index = compiler
        .compile("meeting.schema.json", &mut schemas)
        .unwrap();
    (schemas, index)
}

#[test]
fn json_keeps_the_contract_and_validates() {
    let b = sample();
    let (schemas, index) = schema();
    for lang in [Lang::Zh, Lang::En] {
        let m = minutes(&b, lang);
        let v: serde_json::Value = serde_json::from_str(&text(&m, Format::Json)).unwrap();
        if let Err(e) = schemas.validate(&v, index) {
            panic!("{e:#}");
        }
        let meeting = &v["meeting"];
        for key in [
            "title", "kind", "starts", "place", "host", "recorder", "eligible",
        ] {
            assert!(meeting.get(key).is_some(), "meeting.{key}");
        }
        assert_eq!(meeting["kind"], "consultation");
        assert_eq!(meeting["eligible"], 6);
        assert_eq!(v["attendance"][2]["status"], "online");
        assert_eq!(v["attendance"][2]["role"], "property");
        let item = &v["items"][0];
        assert_eq!(item["speeches"][0]["name"], "张建国");
        assert_eq!(item["speeches"][0]["seconds"], 95);
        assert_eq!(item["dissent"][0]["name"], "李秀英");
        let votes = item["votes"].as_array().unwrap();
        assert_eq!(votes.len(), 2);
        assert_eq!(votes[0]["superseded"], true);
        assert_eq!(votes[0]["passed"], false);
        assert_eq!(votes[1]["yes"], 4);
        assert_eq!(votes[1]["base"], "present");
        assert_eq!(votes[1]["passed"], true);
        assert!(votes[1]["reason"].as_str().unwrap().len() > 5);
        assert_eq!(item["actions"][0]["due"], "2026-12-31");
        assert_eq!(item["actions"][1]["due"], serde_json::Value::Null);
        let plurality = &v["items"][1]["votes"][0];
        assert_eq!(plurality["options"][0]["name"], "12月5日");
        assert_eq!(plurality["options"][0]["count"], 4);
        assert_eq!(plurality["yes"], serde_json::Value::Null);
    }
    // --all: an array of the same objects.
    let m = minutes(&b, Lang::Zh);
    let all = export::render(&[m.clone(), m], Format::Json, Table::Resolutions, true).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&all).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    for one in arr {
        assert!(schemas.validate(one, index).is_ok());
    }
}

#[test]
fn the_public_notice_names_no_one_and_keeps_the_totals() {
    let b = sample();
    let m = minutes(&b, Lang::Zh);
    let posted = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    for format in [NoticeFormat::Text, NoticeFormat::Md, NoticeFormat::Html] {
        // Markdown escapes `*` and `[`: compare the text as a reader sees it.
        let n = notice::render(&m, posted, format)
            .unwrap()
            .replace('\\', "");
        assert!(
            n.contains("关于幸福里小区3号楼加装电梯协商议事会的决议公示"),
            "{n}"
        );
        assert!(n.contains("同意 4 人，占到会人数 66.7%"), "{n}");
        assert!(n.contains("「12月5日」 4 票"));
        assert!(n.contains("刘**牵头"), "{n}");
        assert!(n.contains("赵**联系"));
        assert!(n.contains("[已隐去]"));
        assert!(
            n.contains(
                "公示期 7 天，自 2026年11月29日 至 2026年12月5日；如有异议，请于公示期内向社区居民委员会反映。"
            ),
            "{n}"
        );
        for person in [
            "张建国",
            "李秀英",
            "王磊",
            "赵敏",
            "陈红",
            "刘洋",
            "王芳",
            "李明",
        ] {
            assert!(!n.contains(person), "{person} in {format:?}");
        }
        for number in ["0571-8888888", "8888888", "5678"] {
            assert!(!n.contains(number), "{number}");
        }
    }
    let plain = notice::render(&m, posted, NoticeFormat::Text).unwrap();
    assert!(!plain.contains("担心噪音"), "dissent is not posted");
}

#[test]
fn the_notice_masks_numbers_typed_anywhere() {
    let mut t = texts();
    t.resolution = [
        "联系 13812345678",
        "或 +86 139 1234 5678",
        "或 (010)12345678",
        "或 010-12345678",
        "身份证 110101199003071234",
        "旧证 110101900307123",
        "卡号 6222 0202 0000 1234 567",
        "卡号 6222020200001234",
    ]
    .join(";");
    let mut setup = common::setup();
    setup.meeting.objection_days = None;
    let b = held(setup, &t);
    let m = minutes(&b, Lang::Zh);
    let posted = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let n = notice::render(&m, posted, NoticeFormat::Text).unwrap();
    assert_eq!(n.matches("[已隐去]").count(), 8, "{n}");
    // Without objection_days the notice still states a 公示期: seven days, with its end.
    assert!(
        n.contains("公示期 7 天，自 2026年11月29日 至 2026年12月5日"),
        "{n}"
    );
    let en = notice::render(&minutes(&b, Lang::En), posted, NoticeFormat::Text).unwrap();
    assert_eq!(en.matches("[removed]").count(), 8, "{en}");
}

fn xss() -> Built {
    let mut setup = common::setup();
    setup.meeting.title = format!("标题{XSS}");
    setup.meeting.place = Some(XSS.into());
    setup.meeting.host = Some(XSS.into());
    setup.meeting.recorder = Some(XSS.into());
    setup.participants[0].name = format!("张{XSS}");
    setup.participants[2].name = format!("王{XSS}");
    setup.items[0].title = XSS.into();
    setup.items[0].proposer = Some(XSS.into());
    if let Some(v) = setup.items[0].vote.as_mut() {
        v.question = XSS.into();
    }
    setup.items[1].vote.as_mut().unwrap().options[0] = XSS.into();
    let t = Texts {
        minutes: XSS.into(),
        resolution: XSS.into(),
        dissent: format!("{XSS}\n李秀英：{XSS}"),
        actions: vec![(XSS.into(), XSS.into(), None)],
    };
    held(setup, &t)
}

#[test]
fn html_escapes_every_field() {
    let b = xss();
    for lang in [Lang::Zh, Lang::En] {
        let m = minutes(&b, lang);
        let html = text(&m, Format::Html);
        assert!(!html.contains("<script"), "raw script in the minutes page");
        assert!(html.contains("&lt;script&gt;"));
        let posted = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let n = notice::render(&m, posted, NoticeFormat::Html).unwrap();
        assert!(!n.contains("<script"), "raw script in the notice");
        let md = text(&m, Format::Md);
        assert!(!md.contains("<script"), "raw script in the Markdown");
        let md = notice::render(&m, posted, NoticeFormat::Md).unwrap();
        assert!(!md.contains("<script"));
    }
}

#[test]
fn the_printable_page_is_a4_with_page_breaks_and_chinese_fonts() {
    let b = sample();
    let html = text(&minutes(&b, Lang::Zh), Format::Html);
    assert!(html.contains("@page { size: A4; margin: 20mm; }"));
    assert!(html.contains("\"Noto Serif CJK SC\", \"Source Han Serif SC\""));
    assert!(html.contains("page-break-before: always"));
    // Meetings start on a new page; items do not (a five-item meeting is not five pages), and
    // a vote, an action row or a speaker's line is never split across pages.
    assert!(html.contains(".meeting + .meeting { break-before: page;"));
    assert!(!html.contains(".item + .item"), "no forced page per item");
    assert!(html.contains(".vote, table.actions tr, .speeches li { break-inside: avoid;"));
    assert!(html.contains("同意 4 人，占到会人数 66.7%"));
    assert!(html.contains("已重新表决"));
    let en = text(&minutes(&b, Lang::En), Format::Html);
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("Yes 4 (66.7% of those present)"), "{en}");
    assert!(en.contains("Recorder"));
    assert!(!en.contains("会议纪要"));
}

#[test]
fn markdown_minutes_and_one_item_only() {
    let b = sample();
    let md = text(&minutes(&b, Lang::Zh), Format::Md);
    assert!(md.starts_with("# 幸福里小区3号楼加装电梯协商议事会\n"));
    assert!(md.contains("- **应到 / 实到**：应到 6 人，实到 6 人"));
    assert!(md.contains("## 议题 2：楼道堆物清理时间"));
    let one = Minutes::build(&b.state, Some(b.id), b.now, Lang::Zh, Some(2));
    let md = text(&one, Format::Md);
    assert!(!md.contains("议题 1"));
    assert!(md.contains("## 议题 2：楼道堆物清理时间"));
    assert!(md.contains("共 0 人发言"), "participation of item 2 only");
}

#[test]
fn the_command_line_writes_files_and_prints() {
    let b = sample();
    let bin = env!("CARGO_BIN_EXE_yishi");
    let cwd = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(bin)
            .args(["--db", b.db.to_str().unwrap(), "--lang", "zh-CN"])
            .args(args)
            .current_dir(cwd.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let json = run(&["export", "--format", "json"]);
    assert!(json.contains("\"eligible\": 6"));
    let path = run(&["export", "--format", "docx"]);
    let path = cwd.path().join(path.trim());
    assert!(path.to_string_lossy().ends_with(".docx"), "{path:?}");
    assert!(has(
        &docx_paragraphs(&std::fs::read(&path).unwrap()),
        "会议纪要"
    ));
    let out = cwd.path().join("a.xlsx");
    run(&["export", "-f", "xlsx", "-o", out.to_str().unwrap()]);
    assert!(std::fs::metadata(&out).unwrap().len() > 1000);
    let csv = run(&["export", "-f", "csv", "--table", "actions"]);
    assert!(csv.starts_with('\u{feff}'));
    let all = run(&[
        "export",
        "-f",
        "json",
        "--all",
        "--from",
        "2000-01-01",
        "--to",
        "2100-01-01",
    ]);
    assert!(all.trim_start().starts_with('['));
    let notice = run(&["notice", "--date", "2026-11-29"]);
    assert!(notice.contains("公示期 7 天"));
    assert!(!notice.contains("张建国"));
    let one = run(&["export", "--item", "2"]);
    assert!(!one.contains("议题 1"));
}

/// A meeting as the paper copy must tell it: a description, a speech with its note, a vote
/// taken again under a cast-based rule, a deferred item, and an item raised in the room that
/// was only discussed.
fn eventful() -> Built {
    let mut setup = common::setup();
    setup.items[0].description = Some("低层住户担心采光与噪音，高层住户希望尽快开工。".into());
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("yishi.db");
    let mut store = Store::open(&db).unwrap();
    let (id, mut m) = store.create_meeting(setup, None, common::T0, F).unwrap();
    let mut at = common::T0;
    let mut run = |store: &mut Store, m: &mut Meeting, c: Command| {
        at += 10_000;
        store.execute(id, m, &c, at, F).unwrap();
    };
    for p in 1..=6 {
        let presence = if p == 6 {
            Presence::Proxy
        } else {
            Presence::Present
        };
        run(
            &mut store,
            &mut m,
            Command::SetPresence {
                participant: p,
                presence,
                holder: None,
                reason: None,
            },
        );
    }
    run(&mut store, &mut m, Command::NextItem);
    let queue = Command::QueueSpeaker {
        participant: 1,
        kind: SpeechKind::Speech,
    };
    run(&mut store, &mut m, queue);
    run(&mut store, &mut m, Command::StartNextSpeaker);
    run(&mut store, &mut m, Command::EndSpeech);
    let speech = m.state().note_target().unwrap().id;
    let note = Command::SetSpeechNote {
        speech,
        note: "希望年底前开工，\n低层补偿另议".into(),
    };
    run(&mut store, &mut m, note);
    for (yes, no, abstain) in [(2, 2, 2), (3, 1, 2)] {
        let c = Command::RecordVote {
            item: 1,
            rule: Some(yishi::domain::tally::Rule::Simple),
            method: Method::ShowOfHands,
            input: counts(yes, no, abstain),
            tellers: vec![],
        };
        run(&mut store, &mut m, c);
    }
    run(&mut store, &mut m, Command::NextItem);
    run(&mut store, &mut m, Command::ToggleDefer { item: 2 });
    let add = Command::AddItem {
        title: "楼下快递柜位置".into(),
    };
    run(&mut store, &mut m, add);
    let state = m.state().clone();
    let added = state.items.iter().find(|i| i.added_in_room).unwrap().id;
    while m.state().current_item().map(|i| i.id) != Some(added) {
        run(&mut store, &mut m, Command::NextItem);
    }
    run(&mut store, &mut m, Command::EndMeeting);
    Built {
        _dir: dir,
        db,
        id,
        state: m.state().clone(),
        now: at + 1000,
    }
}

#[test]
fn minutes_say_what_became_of_each_item_in_every_format() {
    let b = eventful();
    let zh = minutes(&b, Lang::Zh);
    let outcomes: Vec<_> = zh.items.iter().map(|i| i.outcome_text.as_str()).collect();
    assert!(outcomes.contains(&"表决通过"), "{outcomes:?}");
    assert!(outcomes.contains(&"延期至下次会议"), "{outcomes:?}");
    assert!(
        outcomes.contains(&"临时动议；仅讨论、未作决定"),
        "{outcomes:?}"
    );
    let md = text(&zh, Format::Md);
    let html = text(&zh, Format::Html);
    let docx = docx_paragraphs(&bytes(&zh, Format::Docx)).join("\n");
    for (name, doc) in [("md", &md), ("html", &html), ("docx", &docx)] {
        for needle in [
            "处理结果",
            "表决通过",
            "延期至下次会议",
            "临时动议；仅讨论、未作决定",
            "背景",
            "低层住户担心采光与噪音，高层住户希望尽快开工。",
            "张建国（居民代表）0:10：希望年底前开工， 低层补偿另议",
            "已作废（已重新表决）",
            // A cast-based rule: shares of the votes cast, abstentions outside the base.
            "同意 3 人，占投票数（不含弃权票） 75.0%",
            "弃权 2 人（不计入投票数）",
            "6 人（其中线上 0 人，委托 1 人）",
            "休会时间",
            "日期",
        ] {
            assert!(doc.contains(needle), "{name} lacks {needle}:\n{doc}");
        }
        // The void tally is the one marked; the valid tally is not.
        assert_eq!(doc.matches("已作废（已重新表决）").count(), 1, "{name}");
    }
    // The mark leads the void tally, and in HTML the valid one has its own frame.
    assert!(md.contains("**已作废（已重新表决）** ~~表决："), "{md}");
    assert!(html.contains("class=\"vote superseded\""));
    assert!(html.contains("class=\"vote valid\""));
    let en = minutes(&b, Lang::En);
    let md = text(&en, Format::Md);
    for needle in [
        "deferred to the next meeting",
        "raised in the room; discussed, nothing decided",
        "void (the vote was taken again)",
        "Yes 3 (75.0% of votes cast, abstentions not counted)",
    ] {
        assert!(md.contains(needle), "en lacks {needle}:\n{md}");
    }
    assert!(
        !md.contains('（') && !md.contains('：') && !md.contains('；'),
        "{md}"
    );
    let json: serde_json::Value = serde_json::from_str(&text(&zh, Format::Json)).unwrap();
    assert_eq!(
        json["items"][0]["speeches"][0]["note"],
        "希望年底前开工， 低层补偿另议"
    );
    assert_eq!(json["items"][0]["outcome"], "passed");
    assert_eq!(json["items"][1]["outcome"], "deferred");
}

#[test]
fn the_word_file_numbers_its_pages_and_is_named_for_the_day_held() {
    let b = sample();
    let m = minutes(&b, Lang::Zh);
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes(&m, Format::Docx))).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
    let footer = names
        .iter()
        .find(|n| n.starts_with("word/footer"))
        .unwrap_or_else(|| panic!("no footer in {names:?}"))
        .clone();
    let mut xml = String::new();
    zip.by_name(&footer)
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("<w:instrText>PAGE</w:instrText>"), "{xml}");
    assert!(xml.contains("NUMPAGES"), "{xml}");
    assert!(xml.contains("第 ") && xml.contains(" 页 共 "), "{xml}");
    let mut doc = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut doc)
        .unwrap();
    assert!(
        doc.contains("footerReference"),
        "the section uses the footer"
    );
    // The file name carries the day the minutes say the meeting was held.
    let held = export::minutes::local(b.state.started_at.unwrap())
        .unwrap()
        .date_naive();
    assert!(
        export::file_name(&m, Format::Docx)
            .ends_with(&format!("-{}.docx", held.format("%Y-%m-%d"))),
        "{}",
        export::file_name(&m, Format::Docx)
    );
    assert!(
        m.time_text
            .starts_with(&export::minutes::date_text(held, Lang::Zh))
    );
}

#[test]
fn the_notice_is_signed_by_its_issuer_and_says_where_to_object() {
    let posted = chrono::NaiveDate::from_ymd_opt(2026, 12, 30).unwrap();
    // An owners' meeting without an issuer is signed by the owners' committee.
    let mut setup = common::setup();
    setup.meeting.kind = MeetingKind::OwnersMeeting;
    let b = held(setup, &texts());
    let n = notice::render(&minutes(&b, Lang::Zh), posted, NoticeFormat::Text).unwrap();
    assert!(
        n.contains("\n业主委员会") || n.contains(" 业主委员会\n"),
        "{n}"
    );
    assert!(!n.contains("社区居民委员会"), "{n}");
    assert!(!n.contains("联系方式"), "no contact given, none printed");
    // The agenda's issuer and contact are printed as written; the period runs over the new year.
    let mut setup = common::setup();
    setup.meeting.issuer = Some("春晖苑业主委员会".into());
    setup.meeting.contact =
        Some("联系人：物业服务中心，电话 0571-86001234，春晖苑1号楼底商".into());
    setup.meeting.objection_days = Some(5);
    let b = held(setup, &texts());
    for format in [NoticeFormat::Text, NoticeFormat::Md, NoticeFormat::Html] {
        let n = notice::render(&minutes(&b, Lang::Zh), posted, format).unwrap();
        assert!(n.contains("春晖苑业主委员会"), "{format:?}: {n}");
        assert!(
            n.contains("联系方式：联系人：物业服务中心，电话 0571-86001234，春晖苑1号楼底商"),
            "{format:?}: {n}"
        );
        assert!(
            n.contains("公示期 5 天，自 2026年12月30日 至 2027年1月3日；如有异议，请于公示期内向春晖苑业主委员会反映。"),
            "{format:?}: {n}"
        );
    }
    let en = notice::render(&minutes(&b, Lang::En), posted, NoticeFormat::Text).unwrap();
    assert!(en.contains("Contact: "), "{en}");
    let mut setup = common::setup();
    setup.meeting.objection_days = None;
    let b = held(setup, &texts());
    let en = notice::render(&minutes(&b, Lang::En), posted, NoticeFormat::Text).unwrap();
    assert!(
        en.contains("Objections may be raised with the residents' committee for 7 days, from 30 Dec 2026 to 5 Jan 2027."),
        "{en}"
    );
}

fn zip_text(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut xml).unwrap();
    xml
}

#[test]
fn the_workbook_prints_landscape_one_page_wide_with_its_header_on_every_page() {
    let b = sample();
    let xlsx = bytes(&minutes(&b, Lang::Zh), Format::Xlsx);
    let page_setup = regex::Regex::new(r"<pageSetup [^>]*/>").unwrap();
    for sheet in ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"] {
        let xml = zip_text(&xlsx, sheet);
        assert!(
            xml.contains("<pageSetUpPr fitToPage=\"1\"/>"),
            "{sheet}: {xml}"
        );
        let setup = page_setup
            .find(&xml)
            .map(|m| m.as_str())
            .unwrap_or_default();
        for attr in [
            "paperSize=\"9\"",
            "orientation=\"landscape\"",
            "fitToHeight=\"0\"",
        ] {
            assert!(setup.contains(attr), "{sheet}: {attr} in {setup}");
        }
    }
    let workbook = zip_text(&xlsx, "xl/workbook.xml");
    assert!(
        workbook.contains("_xlnm.Print_Titles") && workbook.contains("$1:$1"),
        "the header row repeats: {workbook}"
    );
    // The resolution row with two lines of dissent is tall enough to show them.
    let sheet = zip_text(&xlsx, "xl/worksheets/sheet1.xml");
    let row = regex::Regex::new(r#"<row r="2"[^>]*>"#).unwrap();
    let row = row.find(&sheet).map(|m| m.as_str()).unwrap_or_default();
    assert!(row.contains("customHeight=\"1\""), "{row}");
    let ht: f64 = regex::Regex::new(r#"ht="([0-9.]+)""#)
        .unwrap()
        .captures(row)
        .and_then(|c| c[1].parse().ok())
        .unwrap_or(0.0);
    assert!(ht >= 30.0, "two lines at least: {row}");
    // The formula-looking action is text with a quote prefix style, not a formula.
    let actions = zip_text(&xlsx, "xl/worksheets/sheet2.xml");
    assert!(!actions.contains("<f>"), "no formula cell");
    assert!(zip_text(&xlsx, "xl/styles.xml").contains("quotePrefix=\"1\""));
}
