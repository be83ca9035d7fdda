//! The real binary in a pseudo-terminal, driven with the stable keys of the design: a whole
//! meeting of the shipped elevator agenda, then resume, checked on screen and in the database.

mod common;

use std::time::Duration;

use common::pty::Console;
use rusqlite::Connection;

fn sign_in(c: &mut Console, initials: &[&str]) {
    c.send("a");
    c.wait_for("查找");
    for (i, who) in initials.iter().enumerate() {
        c.send(who);
        c.send(" ");
        c.wait_for(&format!("实到 {}/12", i + 1));
        c.esc();
    }
    c.esc();
}

#[test]
fn a_whole_meeting_from_the_keyboard_then_resume() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("yishi.db");
    let mut c = Console::start(&db, "zh-CN", &["run", "agendas/elevator.toml"], 120, 40);
    c.wait_for("会前签到");

    // 签到 by pinyin initials: zjg → 张建国 and six more, the quorum of 7.
    sign_in(
        &mut c,
        &["zjg", "zlj", "lzq", "wf", "zxl", "cgh", "wdm", "hxy"],
    );
    c.wait_for("已达法定人数");

    // Item 1, then item 2 (the elevator).
    c.send("n");
    c.wait_for("议题 1/4");
    c.send("n");
    c.wait_for("议题 2/4");

    // Two speakers, measured.
    c.send("s");
    c.send("zjg");
    c.enter();
    c.wait_for("张建国 已加入发言队列");
    c.send("s");
    c.send("zlj");
    c.enter();
    c.wait_for("周丽娟 已加入发言队列");
    c.enter();
    c.wait_for("正在发言 张建国");
    std::thread::sleep(Duration::from_millis(2_200));
    // A second Enter does not cut 张建国 off: it says that x ends the speech.
    c.enter();
    c.wait_for("按 x 结束发言");
    assert!(c.screen().contains("正在发言 张建国"), "{}", c.screen());
    c.send("x");
    c.wait_for("正在发言\u{ff1a}—");
    c.enter();
    c.wait_for("正在发言 周丽娟");
    std::thread::sleep(Duration::from_millis(1_200));
    c.send("x");
    c.wait_for("正在发言\u{ff1a}—");

    // Minutes typed in Chinese.
    c.send("m");
    c.wait_for("会议记录 — 3号楼加装电梯方案");
    c.send("低层住户担心采光与噪音。");
    c.enter();
    c.send("高层住户希望尽快开工。");
    c.esc();
    c.wait_for("会议记录已保存");

    // The vote, by show of hands: 7 yes, 1 no, 1 abstain of 8 present… with 张建国 et al.
    c.send("v");
    c.wait_for("表决（举手计数）");
    c.send("6");
    c.tab();
    c.send("1");
    c.tab();
    c.send("1");
    c.wait_for("按此计票");
    c.enter();
    c.wait_for("赞成 6 票，达到到会人数 8 人的三分之二");

    // Resolution, dissent, action item.
    c.send("r");
    c.send("同意按方案A加装电梯，由居委会牵头。");
    c.esc();
    c.wait_for("决议已保存");
    c.send("d");
    c.send("郑桂英：担心一楼采光受影响");
    c.esc();
    c.wait_for("保留意见已保存");
    c.send("t");
    c.send("联系电梯公司出具施工方案");
    c.tab();
    c.send("孙伟");
    c.tab();
    c.send("2026-12-31");
    c.enter();
    c.wait_for("待办事项已添加");

    // Next item and quit: everything is already saved.
    c.send("n");
    c.wait_for("议题 3/4");
    c.send("q");
    assert_eq!(c.wait_exit(), 0);

    // The record, read as a committee member would.
    let db_conn = Connection::open(&db).unwrap();
    let one = |sql: &str| -> String {
        db_conn
            .query_row(sql, [], |r| r.get::<_, String>(0))
            .unwrap()
    };
    let present: i64 = db_conn
        .query_row(
            "SELECT count(*) FROM attendance WHERE status = 'present'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(present, 8);
    let zjg: i64 = db_conn
        .query_row(
            "SELECT seconds FROM speeches WHERE name = '张建国'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let zlj: i64 = db_conn
        .query_row(
            "SELECT seconds FROM speeches WHERE name = '周丽娟'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        (2..=4).contains(&zjg),
        "张建国 spoke about 2 s, the record says {zjg}"
    );
    assert!(
        (1..=3).contains(&zlj),
        "周丽娟 spoke about 1 s, the record says {zlj}"
    );
    assert_eq!(
        one("SELECT minutes FROM items WHERE id = 2"),
        "低层住户担心采光与噪音。\n高层住户希望尽快开工。"
    );
    assert_eq!(
        one("SELECT yes || '/' || no || '/' || abstain || '/' || passed || '/' || rule FROM votes"),
        "6/1/1/1/two_thirds_present"
    );
    assert!(one("SELECT reason FROM votes").contains("通过"));
    assert_eq!(
        one("SELECT text FROM resolutions WHERE item_id = 2"),
        "同意按方案A加装电梯，由居委会牵头。"
    );
    assert_eq!(
        one("SELECT name || '|' || text FROM dissent"),
        "郑桂英|担心一楼采光受影响"
    );
    assert_eq!(
        one("SELECT what || '|' || owner || '|' || due FROM actions"),
        "联系电梯公司出具施工方案|孙伟|2026-12-31"
    );
    assert_eq!(one("SELECT status FROM items WHERE id = 3"), "current");
    drop(db_conn);

    // Resume brings the meeting back where it was.
    let mut c = Console::start(&db, "zh-CN", &["resume"], 120, 40);
    c.wait_for("议题 3/4");
    c.wait_for("实到 8/12");
    c.send("p");
    c.wait_for("同意按方案A加装电梯");
    c.send("q");
    assert_eq!(c.wait_exit(), 0);
}

#[test]
fn english_console_and_a_too_small_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("yishi.db");
    let mut c = Console::start(
        &db,
        "en",
        &["run", "agendas/street-meeting-en.toml"],
        50,
        12,
    );
    c.wait_for("Window too small");
    c.send("q");
    assert_eq!(c.wait_exit(), 0);
    let mut c = Console::start(&db, "en", &["resume"], 100, 30);
    c.wait_for("Signing in");
    c.send("?");
    c.wait_for("Keys (");
    c.esc();
    c.send("q");
    assert_eq!(c.wait_exit(), 0);
}

#[test]
fn a_second_facilitator_is_told_who_holds_the_meeting_and_joins_as_secretary() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("yishi.db");
    let mut first = Console::start(&db, "zh-CN", &["run", "agendas/elevator.toml"], 120, 40);
    first.wait_for("会前签到");
    first.send("n");
    first.wait_for("议题 1/4");

    let mut second = Console::start(&db, "zh-CN", &["resume"], 120, 40);
    second.wait_for("记录人身份加入");
    assert!(
        second.screen().contains("主持人"),
        "it says who holds the meeting:\n{}",
        second.screen()
    );
    second.send("s\r");
    second.wait_for("记录人控制台");
    second.wait_for("议题 1/4");

    // The secretary's minutes reach the facilitator within a second.
    second.send("m");
    second.send("居民代表发言踊跃");
    // While the secretary types, the facilitator follows the draft…
    first.wait_for("正在记录，尚未保存");
    first.wait_for("居民代表发言踊跃");
    second.esc();
    second.wait_for("会议记录已保存");
    first.wait_for("居民代表发言踊跃");
    // And the facilitator's next item reaches the secretary.
    first.send("n");
    second.wait_for("议题 2/4");

    second.send("q");
    assert_eq!(second.wait_exit(), 0);
    first.send("q");
    assert_eq!(first.wait_exit(), 0);
    // Once the first has quit, the meeting can be taken again.
    let mut again = Console::start(&db, "zh-CN", &["resume"], 120, 40);
    again.wait_for("议题 2/4");
    assert!(!again.screen().contains("记录人控制台"));
    again.send("q");
    assert_eq!(again.wait_exit(), 0);
}

#[test]
fn three_consoles_on_one_text_keep_every_line_and_each_its_own_draft_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("yishi.db");
    let mut fac = Console::start(&db, "zh-CN", &["run", "agendas/elevator.toml"], 120, 40);
    fac.wait_for("会前签到");
    fac.send("n");
    fac.wait_for("议题 1/4");
    let mut sec = Console::start(&db, "zh-CN", &["secretary"], 120, 40);
    sec.wait_for("记录人控制台");
    let mut sec2 = Console::start(&db, "zh-CN", &["secretary"], 120, 40);
    sec2.wait_for("记录人控制台");

    // The secretary types; the facilitator follows it, but its own editor opens on the saved
    // text, not on the secretary's draft.
    sec.send("m");
    sec.send("记录人：居民代表发言踊跃");
    fac.wait_for("正在记录，尚未保存");
    fac.send("m");
    fac.wait_for("┌ 会议记录 — 上次议事会决议落实情况通报");
    std::thread::sleep(Duration::from_millis(300));
    fac.send("主持人：下次会议前公示方案");
    // The second secretary types too, on its own draft.
    sec2.send("m");
    sec2.send("二号记录人：物业愿意配合");
    std::thread::sleep(Duration::from_millis(1600));
    let conn = Connection::open(&db).unwrap();
    let consoles: Vec<String> = {
        let mut st = conn
            .prepare("SELECT console FROM drafts ORDER BY console")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(consoles, ["facilitator", "secretary-1", "secretary-2"]);

    // Saves in turn: none replaces what another saved.
    fac.esc();
    fac.wait_for("会议记录已保存");
    sec.esc();
    sec.wait_for("两份都保留");
    sec2.esc();
    sec2.wait_for("两份都保留");
    fac.wait_for("已合并");
    let minutes: String = conn
        .query_row("SELECT minutes FROM items WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    for line in [
        "主持人：下次会议前公示方案",
        "记录人：居民代表发言踊跃",
        "二号记录人：物业愿意配合",
    ] {
        assert!(minutes.contains(line), "{line} lost: {minutes}");
    }
    assert!(minutes.contains("——以下为另一控制台同时录入的内容"));
    let drafts: i64 = conn
        .query_row("SELECT count(*) FROM drafts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(drafts, 0, "each save cleared its own draft");

    // The second secretary's undo takes back its own save only.
    sec2.send("u");
    sec2.wait_for("已撤销：保存会议记录");
    let minutes: String = conn
        .query_row("SELECT minutes FROM items WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    assert!(!minutes.contains("二号记录人"));
    assert!(
        minutes.contains("记录人：居民代表发言踊跃")
            && minutes.contains("主持人：下次会议前公示方案")
    );
    // The facilitator's undo takes back its own save; the secretary's later save, which holds
    // the facilitator's line too, is never its to take back.
    fac.send("u");
    fac.wait_for("已撤销：保存会议记录");
    let minutes_after: String = conn
        .query_row("SELECT minutes FROM items WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(minutes_after, minutes);
    for c in [&mut sec, &mut sec2, &mut fac] {
        c.send("q");
        assert_eq!(c.wait_exit(), 0);
    }
}

/// At 80x24, every key that would cut off the room's work asks first: Esc cancels and leaves
/// everything as it was, y (or Enter on a roll call) goes ahead. The help scrolls to its last
/// line; a typo in attendance becomes a walk-in only when asked.
#[test]
fn at_80x24_the_keys_that_cut_off_the_room_ask_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("yishi.db");
    let mut c = Console::start(&db, "zh-CN", &["run", "agendas/elevator.toml"], 80, 24);
    c.wait_for("会前签到");

    // Help: scrolls one line at a time to its last line, where every key has been seen.
    c.send("?");
    c.wait_for("按键帮助");
    let mut seen = c.screen();
    for _ in 0..80 {
        if c.screen().contains("到底了") {
            break;
        }
        c.send("\x1b[B");
        seen.push_str(&c.screen());
    }
    c.wait_for("到底了");
    for help in [
        "宣布散会",
        "撤销本控制台",
        "投影大屏布局",
        "退出（一切已保存）",
        "关闭帮助",
    ] {
        assert!(seen.contains(help), "{help} was never on screen");
    }
    c.send("\x1b[H");
    c.wait_for("显示 / 关闭帮助");
    c.send("\x1b[F");
    c.wait_for("到底了");
    c.esc();
    c.wait_for("按 a 签到");

    // A filter that matched nobody asks; Esc adds nobody.
    c.send("a");
    c.wait_for("查找");
    c.send("zjq");
    c.enter();
    c.wait_for("添加临时到场人员「zjq」？");
    c.esc();
    c.wait_for("未添加任何人");
    c.wait_for("实到 0/12");
    c.esc();
    // A name with a space; the role and voting are chosen before adding.
    c.send("Tom Baker");
    c.enter();
    c.wait_for("添加临时到场人员「Tom Baker」？");
    c.wait_for("参加表决");
    c.tab();
    c.wait_for("不参加表决");
    c.send("v");
    c.send("v");
    c.wait_for("不参加表决");
    c.enter();
    c.wait_for("已添加临时到场人员 Tom Baker");
    c.esc();
    sign_in(
        &mut c,
        &["zjg", "zlj", "lzq", "wf", "zxl", "cgh", "wdm", "hxy"],
    );
    c.wait_for("已达法定人数");

    // n while someone speaks: Esc leaves the speech running on the same item.
    c.send("n");
    c.wait_for("议题 1/4");
    c.send("s");
    c.send("zjg");
    c.enter();
    c.enter();
    c.wait_for("正在发言 张建国");
    c.send("n");
    c.wait_for("张建国 正在发言：结束发言并进入下一项？");
    c.esc();
    c.wait_for("已取消");
    assert!(c.screen().contains("议题 1/4"), "{}", c.screen());
    assert!(c.screen().contains("正在发言 张建国"), "{}", c.screen());
    c.send("n");
    c.wait_for("结束发言并进入下一项？");
    c.send("y");
    c.wait_for("议题 2/4");
    c.wait_for("张建国 的发言已结束");

    // D asks; Esc keeps the item, y defers it and says so.
    c.send("D");
    c.wait_for("延期到下次会议？");
    c.esc();
    c.wait_for("已取消");
    assert!(c.screen().contains("议题 2/4"), "{}", c.screen());
    c.send("D");
    c.wait_for("延期到下次会议？");
    c.send("y");
    c.wait_for("已延期到下次会议");
    c.wait_for("议题 3/4");

    // A roll call with voters unmarked asks; Esc goes back to the marks, Enter records.
    c.send("v");
    c.wait_for("表决（举手计数）");
    c.send("r");
    c.wait_for("表决（逐人记名）");
    c.send("yyn");
    c.wait_for("按此计票");
    c.enter();
    c.wait_for("还有 5 人未表态");
    c.esc();
    std::thread::sleep(Duration::from_millis(200));
    assert!(!c.screen().contains("还有 5 人未表态"), "{}", c.screen());
    assert!(c.screen().contains("表决（逐人记名）"), "{}", c.screen());
    c.enter();
    c.wait_for("还有 5 人未表态");
    c.enter();
    c.wait_for("规则");
    std::thread::sleep(Duration::from_millis(200));
    assert!(!c.screen().contains("表决（逐人记名）"), "{}", c.screen());

    // E asks; Esc keeps the meeting open, y closes it.
    c.send("E");
    c.wait_for("宣布散会？");
    c.esc();
    c.wait_for("已取消");
    c.send("E");
    c.wait_for("宣布散会？");
    c.send("y");
    c.wait_for("已散会");
    c.send("q");
    assert_eq!(c.wait_exit(), 0);

    let db = Connection::open(&db).unwrap();
    let walk_ins: Vec<(String, String, i64)> = db
        .prepare("SELECT name, role, voter FROM participants WHERE walk_in = 1")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        walk_ins,
        vec![("Tom Baker".to_string(), "social_worker".to_string(), 0)],
        "the typo zjq was never added"
    );
    let status: String = db
        .query_row("SELECT status FROM items WHERE id = 2", [], |r| r.get(0))
        .unwrap();
    assert_eq!(status, "deferred");
    let (method, yes, no): (String, i64, i64) = db
        .query_row("SELECT method, yes, no FROM votes", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!((method.as_str(), yes, no), ("roll_call", 2, 1));
}
