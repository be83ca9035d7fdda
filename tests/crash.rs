//! Crash safety, proven: a scripted meeting in the real binary, killed with SIGKILL after every
//! step. After each kill, `yishi resume` must show, and the file must hold, everything that was
//! on screen before it; typed text is kept as a draft no older than two seconds; a running
//! speech goes on with the right elapsed time.

mod common;

use std::path::Path;
use std::time::Duration;

use common::pty::Console;
use rusqlite::Connection;

fn q(db: &Path, sql: &str) -> String {
    let c = Connection::open(db).unwrap();
    c.query_row(sql, [], |r| r.get::<_, Option<String>>(0))
        .unwrap()
        .unwrap_or_default()
}

fn n(db: &Path, sql: &str) -> i64 {
    let c = Connection::open(db).unwrap();
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Kills the console mid-meeting and resumes it in a new one.
fn crash_and_resume(c: &mut Console, db: &Path, kills: &mut u32) -> Console {
    c.kill();
    *kills += 1;
    let resumed = Console::start(db, "zh-CN", &["resume"], 120, 40);
    resumed.wait_for("实到");
    resumed
}

/// The running speech's elapsed time as the screen shows it: `[m:ss]`.
fn speech_seconds(screen: &str) -> u64 {
    let line = screen
        .lines()
        .find(|l| l.contains("正在发言 "))
        .unwrap_or("");
    let Some(open) = line.rfind('[') else {
        return 0;
    };
    let inner = &line[open + 1..];
    let inner = &inner[..inner.find(']').unwrap_or(inner.len())];
    let (m, s) = inner.split_once(':').unwrap_or(("0", "0"));
    m.trim().parse::<u64>().unwrap_or(0) * 60 + s.trim().parse::<u64>().unwrap_or(0)
}

/// `t`, what, `Tab`, owner, `Tab`, due date, `Enter`.
fn add_action(c: &mut Console) {
    c.send("t");
    c.send("委托第三方做采光论证");
    c.tab();
    c.send("赵秀兰");
    c.tab();
    c.send("2026-12-20");
    c.enter();
    c.wait_for("待办事项已添加");
}

fn sleep(ms: u64) {
    std::thread::sleep(Duration::from_millis(ms));
}

#[test]
fn nothing_on_screen_is_lost_when_the_process_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("yishi.db");
    let db = db.as_path();
    let mut kills = 0;
    let mut c = Console::start(db, "zh-CN", &["run", "agendas/elevator.toml"], 120, 40);
    c.wait_for("会前签到");

    // Attendance, one kill per person at first.
    for (i, who) in ["zjg", "lzq", "wf"].iter().enumerate() {
        c.send("a");
        c.send(who);
        c.send(" ");
        c.wait_for(&format!("实到 {}/12", i + 1));
        c = crash_and_resume(&mut c, db, &mut kills);
        c.wait_for(&format!("实到 {}/12", i + 1));
        assert_eq!(
            n(
                db,
                "SELECT count(*) FROM attendance WHERE status = 'present'"
            ),
            i as i64 + 1
        );
    }
    // Online by Tab.
    c.send("a");
    c.send("zlj");
    c.tab();
    c.tab();
    c.wait_for("[线上] 周丽娟");
    c = crash_and_resume(&mut c, db, &mut kills);
    assert_eq!(
        q(db, "SELECT status FROM attendance WHERE name = '周丽娟'"),
        "online"
    );
    c.send("a");
    for who in ["zxl", "cgh", "wdm", "hxy"] {
        c.send(who);
        c.send(" ");
        c.esc();
    }
    c.esc();
    c.wait_for("实到 8/12");
    c = crash_and_resume(&mut c, db, &mut kills);
    c.wait_for("实到 8/12 已达法定人数");

    // The agenda.
    c.send("n");
    c.wait_for("议题 1/4");
    c = crash_and_resume(&mut c, db, &mut kills);
    c.wait_for("议题 1/4");
    c.send("n");
    c.wait_for("议题 2/4");
    c = crash_and_resume(&mut c, db, &mut kills);
    c.wait_for("议题 2/4");
    assert_eq!(q(db, "SELECT status FROM items WHERE id = 2"), "current");

    // Speakers: the queue, a running speech, a pause.
    c.send("s");
    c.send("zjg");
    c.enter();
    c.wait_for("1. 张建国");
    c = crash_and_resume(&mut c, db, &mut kills);
    c.wait_for("1. 张建国");
    c.enter();
    c.wait_for("正在发言 张建国");
    sleep(2_300);
    c = crash_and_resume(&mut c, db, &mut kills);
    // The speech went on while nobody was looking: the first screen after the restart already
    // counts the 2.3 s before the kill (a timer started afresh would show 0:00), and it goes on.
    c.wait_for("正在发言 张建国");
    let first = speech_seconds(&c.screen());
    assert!(
        first >= 2,
        "elapsed time carried over the kill: {first} s\n{}",
        c.screen()
    );
    let start = std::time::Instant::now();
    while speech_seconds(&c.screen()) <= first && start.elapsed() < Duration::from_millis(1_500) {
        sleep(50);
    }
    assert!(
        speech_seconds(&c.screen()) > first,
        "the resumed timer ticks each second:\n{}",
        c.screen()
    );
    assert_eq!(
        n(db, "SELECT running FROM speeches WHERE name = '张建国'"),
        1
    );
    c.send(" ");
    c.wait_for("已暂停");
    c = crash_and_resume(&mut c, db, &mut kills);
    c.wait_for("已暂停");
    c.send(" ");
    c.send("x");
    c.wait_for("正在发言\u{ff1a}—");
    c = crash_and_resume(&mut c, db, &mut kills);
    assert_eq!(
        n(db, "SELECT running FROM speeches WHERE name = '张建国'"),
        0
    );
    assert!(n(db, "SELECT seconds FROM speeches WHERE name = '张建国'") >= 3);

    // Minutes typing: a draft within two seconds of the last keystroke survives a kill.
    c.send("m");
    c.wait_for("会议记录 — 3号楼加装电梯方案");
    c.send("低层住户担心采光");
    sleep(2_200);
    c = crash_and_resume(&mut c, db, &mut kills);
    assert_eq!(
        q(db, "SELECT text FROM drafts WHERE field = 'minutes'"),
        "低层住户担心采光"
    );
    c.send("m");
    c.wait_for("已恢复未保存的草稿");
    c.wait_for("低层住户担心采光");
    c.send("，高层希望尽快开工");
    sleep(2_200);
    c.send("。补充");
    c = crash_and_resume(&mut c, db, &mut kills);
    let draft = q(db, "SELECT text FROM drafts WHERE field = 'minutes'");
    assert!(
        draft.starts_with("低层住户担心采光，高层希望尽快开工"),
        "the text typed 2 s before the kill is kept: {draft:?}"
    );
    c.send("m");
    c.wait_for("高层希望尽快开工");
    c.esc();
    c.wait_for("会议记录已保存");
    c = crash_and_resume(&mut c, db, &mut kills);
    assert!(
        q(db, "SELECT minutes FROM items WHERE id = 2")
            .starts_with("低层住户担心采光，高层希望尽快开工")
    );
    assert_eq!(
        n(db, "SELECT count(*) FROM drafts"),
        0,
        "a saved text leaves no draft behind"
    );

    // Votes, and a vote re-taken.
    c.send("v");
    c.send("6");
    c.tab();
    c.send("1");
    c.tab();
    c.send("1");
    c.enter();
    c.wait_for("赞成 6 票");
    c = crash_and_resume(&mut c, db, &mut kills);
    c.wait_for("赞成 6\u{ff08}75.0%\u{ff09}");
    c.send("v");
    c.wait_for("重新表决");
    c.send("4");
    c.tab();
    c.send("3");
    c.tab();
    c.send("1");
    c.enter();
    c.wait_for("赞成 4 票");
    c = crash_and_resume(&mut c, db, &mut kills);
    c.wait_for("赞成 4\u{ff08}50.0%\u{ff09}");
    assert_eq!(
        q(
            db,
            "SELECT group_concat(yes || ':' || superseded || ':' || passed, ' ') FROM votes"
        ),
        "6:1:1 4:0:0"
    );

    // Resolution, dissent, an action item, its undo, and again.
    c.send("r");
    c.send("暂缓加装，补充采光论证后再议。");
    c.esc();
    c.wait_for("决议已保存");
    c = crash_and_resume(&mut c, db, &mut kills);
    assert_eq!(
        q(db, "SELECT text FROM resolutions WHERE item_id = 2"),
        "暂缓加装，补充采光论证后再议。"
    );
    c.send("d");
    c.send("郑桂英：担心一楼采光");
    c.esc();
    c.wait_for("保留意见已保存");
    c = crash_and_resume(&mut c, db, &mut kills);
    assert_eq!(
        q(db, "SELECT name || '|' || text FROM dissent"),
        "郑桂英|担心一楼采光"
    );
    add_action(&mut c);
    c = crash_and_resume(&mut c, db, &mut kills);
    c.wait_for("委托第三方做采光论证");
    // After a crash, undo names the earlier run's action and asks before taking it back.
    c.send("u");
    c.wait_for("上一次运行中主持人的最后一步");
    c.wait_for("「添加待办事项」：按 u 撤销它");
    c.send("u");
    c.wait_for("已撤销：添加待办事项");
    c = crash_and_resume(&mut c, db, &mut kills);
    assert_eq!(
        n(db, "SELECT count(*) FROM actions"),
        0,
        "the undo was kept"
    );
    add_action(&mut c);
    c = crash_and_resume(&mut c, db, &mut kills);
    assert_eq!(
        q(db, "SELECT owner || '|' || due FROM actions"),
        "赵秀兰|2026-12-20"
    );

    // Next item, a walk-in, an item raised in the room, a deferral, the close.
    c.send("n");
    c.wait_for("议题 3/4");
    c = crash_and_resume(&mut c, db, &mut kills);
    c.wait_for("议题 3/4");
    c.send("a");
    c.send("钱大爷");
    c.enter();
    c.wait_for("添加临时到场人员「钱大爷」？");
    c.enter();
    c.wait_for("已添加临时到场人员 钱大爷");
    c = crash_and_resume(&mut c, db, &mut kills);
    assert_eq!(
        q(db, "SELECT status FROM attendance WHERE name = '钱大爷'"),
        "present"
    );
    c.send("i");
    c.send("电动车充电桩");
    c.enter();
    c.wait_for("临时动议已加入议程");
    c = crash_and_resume(&mut c, db, &mut kills);
    assert_eq!(
        q(db, "SELECT title FROM items WHERE added_in_room = 1"),
        "电动车充电桩"
    );
    c.send("D");
    c.wait_for("延期到下次会议？");
    c.send("y");
    c.wait_for("议题 4/5");
    c = crash_and_resume(&mut c, db, &mut kills);
    assert_eq!(q(db, "SELECT status FROM items WHERE id = 3"), "deferred");
    c.send("E");
    c.send("y");
    c.wait_for("已散会");
    c = crash_and_resume(&mut c, db, &mut kills);
    c.wait_for("已散会");
    assert_eq!(q(db, "SELECT status FROM meetings"), "ended");

    assert!(kills >= 20, "{kills} kill points");
    c.send("q");
    assert_eq!(c.wait_exit(), 0);
    // And the record was never damaged.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_yishi"))
        .args(["--db"])
        .arg(db)
        .arg("verify")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
