//! The agenda loader through the public API: the shipped agendas load, the design example
//! gives exactly the values it says, and broken agendas are reported at the right place.

use std::path::{Path, PathBuf};

use yishi::agenda::{self, AgendaError, DEMO, Problem};
use yishi::domain::model::{Area, ItemKind, MeetingKind, Role};
use yishi::domain::quorum::Quorum;
use yishi::domain::tally::Rule;
use yishi::lang::Lang;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/agendas").join(name)
}

fn problems(name: &str, lang: Lang) -> Vec<Problem> {
    match agenda::load(&fixture(name), lang) {
        Ok(_) => panic!("{name} loaded, but it is meant to be broken"),
        Err(AgendaError::Problems(problems)) => problems,
        Err(e) => panic!("{name}: {}", e.render(name)),
    }
}

/// The fixture has exactly one problem, at `line:column`, mentioning `word`.
fn assert_one(name: &str, line: usize, column: usize, word: &str) {
    for lang in [Lang::Zh, Lang::En] {
        let found = problems(name, lang);
        assert_eq!(found.len(), 1, "{name} ({lang:?}): {found:#?}");
        let p = &found[0];
        assert_eq!(
            (p.line, p.column),
            (line, column),
            "{name}: {}",
            p.render(name)
        );
        assert!(
            p.message.contains(word),
            "{name}: {:?} should mention {word:?}",
            p.message
        );
    }
}

#[test]
fn every_shipped_agenda_loads() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("agendas"))
        .expect("agendas/ exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 4, "{paths:?}");
    for path in &paths {
        for lang in [Lang::Zh, Lang::En] {
            if let Err(e) = agenda::load(path, lang) {
                panic!("{}", e.render(&path.display().to_string()));
            }
        }
    }
}

#[test]
fn demo_loads() {
    let setup = agenda::parse(DEMO, Lang::Zh).unwrap_or_else(|p| panic!("{p:#?}"));
    assert_eq!(setup.meeting.title, "幸福里小区3号楼加装电梯协商议事会");
    assert_eq!(setup.meeting.kind, MeetingKind::Consultation);
    assert_eq!(setup.meeting.eligible, Some(12));
    assert_eq!(setup.voters(), 12);
    assert!(setup.participants.len() >= 12);
    let zhang = setup
        .participants
        .iter()
        .find(|p| p.name == "张建国")
        .expect("张建国 is on the list");
    assert_eq!(zhang.role, Role::ResidentRep);
    assert!(setup.items.iter().any(|i| i.vote.is_none()));
    assert!(setup.meeting.objection_days.is_some());
}

#[test]
fn design_example_loads_with_its_values() {
    let setup = agenda::load(&fixture("design-example.toml"), Lang::Zh)
        .unwrap_or_else(|e| panic!("{}", e.render("design-example.toml")));
    let m = &setup.meeting;
    assert_eq!(m.title, "幸福里小区3号楼加装电梯协商议事会");
    assert_eq!(m.kind, MeetingKind::Consultation);
    assert_eq!(m.starts.as_deref(), Some("2026-11-28T19:00:00+08:00"));
    assert_eq!(m.place.as_deref(), Some("幸福里居委会议事厅"));
    assert_eq!(m.host.as_deref(), Some("王芳"));
    assert_eq!(m.recorder.as_deref(), Some("李明"));
    assert_eq!(m.speaker_limit_secs, 180);
    assert_eq!(m.eligible, Some(12));
    assert_eq!(m.quorum, Quorum::Majority);
    assert_eq!(m.objection_days, None);

    assert_eq!(setup.participants.len(), 1);
    let p = &setup.participants[0];
    assert_eq!(p.id, 1);
    assert_eq!(p.name, "张建国");
    assert_eq!(p.role, Role::ResidentRep);
    assert_eq!(p.unit.as_deref(), Some("3号楼2单元"));
    assert_eq!(p.area, Some(Area(8650)));
    assert!(p.voter);
    assert!(!p.walk_in);
    assert_eq!(p.phone, None);

    assert_eq!(setup.items.len(), 2);
    let first = &setup.items[0];
    assert_eq!(first.title, "3号楼加装电梯方案");
    assert_eq!(first.kind, ItemKind::PublicAffairs);
    assert_eq!(first.proposer.as_deref(), Some("3号楼居民联名"));
    assert_eq!(first.planned_secs, 1500);
    assert!(first.description.as_deref().unwrap().contains("采光"));
    let vote = first.vote.as_ref().unwrap();
    assert_eq!(vote.question, "是否同意按方案A加装电梯?");
    assert_eq!(vote.rule, Rule::TwoThirdsPresent);
    assert!(vote.options.is_empty());

    let second = &setup.items[1];
    assert_eq!(second.kind, ItemKind::Other);
    assert_eq!(second.planned_secs, 600);
    let vote = second.vote.as_ref().unwrap();
    assert_eq!(vote.rule, Rule::Plurality);
    assert_eq!(vote.options, ["12月5日", "12月12日"]);
}

#[test]
fn defaults_apply_when_fields_are_left_out() {
    let source = "[meeting]\ntitle = \"会\"\nstarts = 2026-11-28T19:00:00+08:00\n\n\
                  [[participants]]\nname = \"林静\"\nrole = \"social_worker\"\n\n\
                  [[participants]]\nname = \"马俊\"\nrole = \"guest\"\nphone = 13900000000\n\n\
                  [[participants]]\nname = \"吴德明\"\nrole = \"resident\"\narea = 90\n\n\
                  [[items]]\ntitle = \"议题\"\nvote = { question = \"同意吗\" }\n\n\
                  [[items]]\ntitle = \"选日子\"\nvote = { options = [\"周六\", \"周日\"] }\n";
    let setup = agenda::parse(source, Lang::Zh).unwrap_or_else(|p| panic!("{p:#?}"));
    let m = &setup.meeting;
    assert_eq!(m.kind, MeetingKind::Consultation);
    assert_eq!(m.starts.as_deref(), Some("2026-11-28T19:00:00+08:00"));
    assert_eq!(m.speaker_limit_secs, 180);
    assert_eq!(m.eligible, None);
    assert_eq!(m.quorum, Quorum::Majority);
    let voters: Vec<bool> = setup.participants.iter().map(|p| p.voter).collect();
    assert_eq!(voters, [false, false, true]);
    let ids: Vec<u32> = setup.participants.iter().map(|p| p.id).collect();
    assert_eq!(ids, [1, 2, 3]);
    assert_eq!(setup.participants[1].phone.as_deref(), Some("13900000000"));
    assert_eq!(setup.participants[2].area, Some(Area(9000)));
    assert_eq!(setup.items[0].planned_secs, 600);
    assert_eq!(setup.items[0].kind, ItemKind::Other);
    assert_eq!(setup.items[0].vote.as_ref().unwrap().rule, Rule::Simple);
    let second = setup.items[1].vote.as_ref().unwrap();
    assert_eq!(second.rule, Rule::Plurality);
    assert_eq!(second.question, "选日子");
}

#[test]
fn an_owners_meeting_votes_by_owners_rules_by_default() {
    let setup = agenda::load(
        &root().join("agendas/owners-maintenance-fund.toml"),
        Lang::Zh,
    )
    .unwrap_or_else(|e| panic!("{}", e.render("owners")));
    assert_eq!(setup.meeting.kind, MeetingKind::OwnersMeeting);
    assert!(setup.voters() >= 18);
    assert!(
        setup
            .participants
            .iter()
            .filter(|p| p.voter)
            .all(|p| p.area.is_some())
    );
    let rules: Vec<Rule> = setup
        .items
        .iter()
        .filter_map(|i| i.vote.as_ref().map(|v| v.rule))
        .collect();
    assert!(rules.contains(&Rule::OwnersOrdinary));
    assert!(rules.contains(&Rule::OwnersMajor));
    assert!(
        rules
            .iter()
            .all(|r| matches!(r, Rule::OwnersOrdinary | Rule::OwnersMajor))
    );
}

#[test]
fn syntax_error_after_chinese_text() {
    // `title = "议事会" x`: the x is at display column 18 (the byte column would be 21).
    assert_one("broken-syntax.toml", 2, 18, "TOML");
}

#[test]
fn unknown_key_inside_an_inline_table_after_chinese_text() {
    assert_one("broken-unknown-key.toml", 6, 32, "extra");
}

#[test]
fn wrong_type() {
    assert_one("broken-wrong-type.toml", 3, 12, "十二");
}

#[test]
fn unknown_rule_after_chinese_text() {
    assert_one("broken-unknown-rule.toml", 6, 41, "two_third");
    let zh = &problems("broken-unknown-rule.toml", Lang::Zh)[0].message;
    assert!(
        zh.starts_with("未知的表决规则 \"two_third\"\u{ff0c}可选\u{ff1a}simple | majority_present")
    );
    let en = &problems("broken-unknown-rule.toml", Lang::En)[0].message;
    assert!(en.starts_with("unknown rule \"two_third\"; expected one of: simple | "));
}

#[test]
fn unknown_role() {
    assert_one("broken-unknown-role.toml", 6, 8, "residnet");
}

#[test]
fn bad_duration() {
    assert_one("broken-duration.toml", 6, 12, "25min");
}

#[test]
fn duplicate_participant_points_at_the_second() {
    assert_one("broken-duplicate-name.toml", 13, 8, "张建国");
}

#[test]
fn plurality_without_options() {
    assert_one("broken-plurality-no-options.toml", 6, 40, "options");
}

#[test]
fn owners_rule_with_a_voter_lacking_area() {
    assert_one("broken-owners-area.toml", 11, 8, "郭玉兰");
}

#[test]
fn eligible_smaller_than_voters() {
    assert_one("broken-eligible.toml", 3, 12, "3");
}

#[test]
fn bad_starts() {
    assert_one("broken-starts.toml", 3, 10, "2026-11-28T19:00:00+08:00");
}

#[test]
fn no_items() {
    assert_one("broken-no-items.toml", 4, 1, "[[items]]");
}

#[test]
fn several_problems_are_all_reported_in_order() {
    let found = problems("broken-several.toml", Lang::Zh);
    let at: Vec<(usize, usize)> = found.iter().map(|p| (p.line, p.column)).collect();
    assert_eq!(
        at,
        [
            (3, 8),   // kind = "consultaton"
            (4, 10),  // quorum = "half"
            (9, 8),   // area = -86.5
            (12, 8),  // 张建国 again
            (13, 8),  // role = "owner"
            (16, 9),  // title = ""
            (17, 12), // duration = "1h90"
            (21, 74), // options with rule = "simple"
            (25, 20), // one option only
        ]
    );
    let words = [
        "consultaton",
        "half",
        "-86.5",
        "张建国",
        "owner",
        "title",
        "1h90",
        "plurality",
        "1",
    ];
    for (p, word) in found.iter().zip(words) {
        assert!(
            p.message.contains(word),
            "{:?} should mention {word:?}",
            p.message
        );
    }
    let mut sorted = at.clone();
    sorted.sort();
    assert_eq!(at, sorted);
}

#[test]
fn messages_follow_the_language() {
    let zh = problems("broken-several.toml", Lang::Zh);
    let en = problems("broken-several.toml", Lang::En);
    assert_eq!(zh.len(), en.len());
    for (z, e) in zh.iter().zip(&en) {
        assert_eq!((z.line, z.column), (e.line, e.column));
        assert!(
            z.message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{z:?}"
        );
        // English messages carry no Chinese except names quoted from the file.
        let unquoted: String = e.message.split('"').step_by(2).collect();
        assert!(unquoted.is_ascii(), "{:?}", e.message);
    }
    assert!(en[0].message.starts_with("unknown meeting kind"));
    assert!(zh[0].message.starts_with("未知的会议类型"));
}

#[test]
fn render_gives_file_line_column() {
    let err = agenda::load(&fixture("broken-several.toml"), Lang::En).unwrap_err();
    let text = err.render("several.toml");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 9);
    assert!(lines[0].starts_with("several.toml:3:8: unknown meeting kind"));
    assert!(lines[8].starts_with("several.toml:25:20: "));
}

#[test]
fn an_unreadable_file_is_one_sentence_with_its_path() {
    let path = Path::new("no-such-agenda.toml");
    match agenda::load(path, Lang::Zh) {
        Err(AgendaError::Unreadable(m)) => {
            assert_eq!(m, "无法读取议程文件 no-such-agenda.toml：没有该文件");
        }
        other => panic!("{other:?}"),
    }
    let err = agenda::load(path, Lang::En).unwrap_err();
    assert_eq!(
        err.render("no-such-agenda.toml"),
        "cannot read agenda file no-such-agenda.toml: no such file"
    );
}

#[test]
fn summary_counts_people_voters_items_and_time() {
    let setup = agenda::parse(DEMO, Lang::Zh).unwrap();
    assert_eq!(
        agenda::summary(&setup, Lang::Zh),
        "幸福里小区3号楼加装电梯协商议事会：参会 14 人（表决 12 人），议题 4 项，计划用时 55分钟"
    );
    assert_eq!(
        agenda::summary(&setup, Lang::En),
        "幸福里小区3号楼加装电梯协商议事会: 14 participants (12 voters), 4 items, 55m planned"
    );
    let owners = agenda::load(
        &root().join("agendas/owners-maintenance-fund.toml"),
        Lang::En,
    )
    .unwrap();
    assert!(agenda::summary(&owners, Lang::En).ends_with("4 items, 1h05m planned"));
    assert!(agenda::summary(&owners, Lang::Zh).ends_with("计划用时 1小时5分钟"));
}

#[test]
fn a_written_agenda_reads_back_the_same() {
    for entry in std::fs::read_dir("agendas").unwrap() {
        let path = entry.unwrap().path();
        let setup = yishi::agenda::load(&path, Lang::Zh).unwrap();
        let written = yishi::agenda::to_toml(&setup);
        let again = yishi::agenda::parse(&written, Lang::Zh)
            .unwrap_or_else(|p| panic!("{}: {p:?}\n{written}", path.display()));
        assert_eq!(again, setup, "{}", path.display());
    }
}

#[test]
fn a_vote_can_have_its_own_quorum() {
    let source = r#"
[meeting]
title = "村民代表会议"
kind = "representatives_meeting"
quorum = "none"

[[participants]]
name = "张建国"
role = "resident_rep"

[[items]]
title = "修订村规民约"
vote = { question = "是否同意修订？", rule = "two_thirds_present", quorum = "two_thirds" }

[[items]]
title = "路灯维修"
vote = { question = "是否同意？", quorum = "bogus" }
"#;
    let problems = agenda::parse(source, Lang::En).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].line, 17);
    assert!(problems[0].message.contains("unknown quorum"));
    let fixed = source.replace(r#", quorum = "bogus""#, "");
    let setup = agenda::parse(&fixed, Lang::En).unwrap();
    assert_eq!(
        setup.items[0].vote.as_ref().unwrap().quorum,
        Some(Quorum::TwoThirds)
    );
    assert_eq!(setup.items[1].vote.as_ref().unwrap().quorum, None);
    let again = agenda::parse(&agenda::to_toml(&setup), Lang::En).unwrap();
    assert_eq!(again, setup);
}

#[test]
fn an_agenda_without_a_voter_is_refused() {
    assert_one("broken-no-voter.toml", 6, 8, "2");
    let en = &problems("broken-no-voter.toml", Lang::En)[0].message;
    assert!(en.contains("no vote could ever be taken"), "{en}");
    // With no list at all everyone signs in at the door, and a walk-in can vote…
    let open = "[meeting]\ntitle = \"议事会\"\n\n[[items]]\ntitle = \"议题\"\n";
    assert!(agenda::parse(open, Lang::Zh).is_ok());
    // …but not by floor area: a walk-in has none.
    let owners = open.replace(
        "title = \"议事会\"",
        "title = \"业主大会\"\nkind = \"owners_meeting\"",
    );
    let found = agenda::parse(&owners, Lang::En).unwrap_err();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].line, found[0].column), (7, 1));
    assert!(found[0].message.contains("lists no owners"), "{found:#?}");
}

#[test]
fn an_owners_meeting_where_every_area_is_zero_is_refused() {
    assert_one("broken-owners-zero-area.toml", 8, 8, "0");
    let zh = &problems("broken-owners-zero-area.toml", Lang::Zh)[0].message;
    assert!(zh.contains("面积 area 都是 0"), "{zh}");
    // One owner with a real area is enough to vote by area.
    let source = std::fs::read_to_string(fixture("broken-owners-zero-area.toml"))
        .unwrap()
        .replace("area = 0.0", "area = 72.5");
    assert!(agenda::parse(&source, Lang::Zh).is_ok());
    // Without any area, and no vote written out: a vote taken in the room follows the owners'
    // meeting's default rule, which counts area, so each voter without one is named.
    let source = std::fs::read_to_string(fixture("broken-owners-zero-area.toml"))
        .unwrap()
        .replace("area = 0.0\n", "")
        .replace("area = 0\n", "")
        .replace("vote = { question = \"是否同意？\" }\n", "");
    let found = agenda::parse(&source, Lang::En).unwrap_err();
    let at: Vec<(usize, usize)> = found.iter().map(|p| (p.line, p.column)).collect();
    assert_eq!(at, vec![(6, 8), (10, 8)], "{found:#?}");
    assert!(
        found
            .iter()
            .all(|p| p.message.contains("has no area") && p.message.contains("owners_ordinary")),
        "{found:#?}"
    );
}

#[test]
fn names_that_only_look_alike_are_refused() {
    // 张\u200b建国 looks exactly like 张建国 on paper and on screen.
    assert_one("broken-invisible-name.toml", 9, 8, "U+200B");
    let zh = &problems("broken-invisible-name.toml", Lang::Zh)[0].message;
    assert!(
        zh.contains(
            "\"张\\u{200b}建国\" 中含有看不见的字符 U+200B，看起来与第 1 位参会人 \"张建国\" 相同"
        ),
        "{zh}"
    );
    assert_one("broken-newline-name.toml", 5, 8, "李\\u{a}明");
    let en = &problems("broken-newline-name.toml", Lang::En)[0].message;
    assert!(en.contains("holds a line break"), "{en}");

    // Full-width letters and a space inside are the same name.
    let source = "[meeting]\ntitle = \"会\"\nhost = \"王\\u2060芳\"\n\n\
                  [[participants]]\nname = \"Wang Fang\"\nrole = \"resident\"\n\n\
                  [[participants]]\nname = \"Ｗａｎｇ　Ｆａｎｇ\"\nrole = \"resident\"\n\n\
                  [[items]]\ntitle = \"议题\"\n";
    let found = agenda::parse(source, Lang::En).unwrap_err();
    let at: Vec<(usize, usize)> = found.iter().map(|p| (p.line, p.column)).collect();
    assert_eq!(at, [(3, 8), (10, 8)], "{found:#?}");
    assert!(
        found[0]
            .message
            .starts_with("the host's name \"王\\u{2060}芳\" holds an invisible character, U+2060")
    );
    assert!(found[1].message.contains("appears twice"), "{found:#?}");
}

#[test]
fn an_owners_meeting_may_vote_by_headcount_without_areas() {
    // Every item names a rule that counts heads: no area is needed.
    let source = "[meeting]\ntitle = \"业主大会\"\nkind = \"owners_meeting\"\n\n\
                  [[participants]]\nname = \"陈国华\"\nrole = \"owners_committee\"\n\n\
                  [[items]]\ntitle = \"推选计票人\"\nvote = { question = \"同意吗\", rule = \"simple\" }\n";
    assert!(agenda::parse(source, Lang::Zh).is_ok());
}

#[test]
fn an_owners_register_larger_than_the_list_needs_its_total_area() {
    assert_one("broken-owners-register.toml", 4, 12, "total_area");
    let zh = &problems("broken-owners-register.toml", Lang::Zh)[0].message;
    assert!(zh.contains("同一份名册"), "{zh}");
    // With the register's total area it loads, and both bases come from the register.
    let source = std::fs::read_to_string(fixture("broken-owners-register.toml"))
        .unwrap()
        .replace("eligible = 30", "eligible = 30\ntotal_area = 2650.5");
    let setup = agenda::parse(&source, Lang::Zh).expect("a register with its total");
    assert_eq!(setup.meeting.total_area, Some(Area(265_050)));
    assert_eq!(setup.meeting.eligible, Some(30));
    // A total area without the number of owners, or smaller than the list, is refused.
    assert_one("broken-owners-total-area-alone.toml", 4, 14, "eligible");
    assert_one("broken-owners-total-area-small.toml", 5, 14, "175.16");
}

#[test]
fn the_area_check_follows_the_rule_each_item_really_uses() {
    // No `vote` on the item: a vote in the room takes the owners' meeting's default rule.
    assert_one("broken-owners-default-rule.toml", 11, 8, "owners_ordinary");
    // The same list under a headcount rule is fine.
    let source = std::fs::read_to_string(fixture("broken-owners-default-rule.toml"))
        .unwrap()
        .replace(
            "title = \"使用维修资金\"",
            "title = \"使用维修资金\"\nvote = { question = \"是否同意？\", rule = \"simple\" }",
        );
    assert!(agenda::parse(&source, Lang::Zh).is_ok());
}

#[test]
fn an_owner_of_several_units_is_listed_once_with_every_unit() {
    let setup = agenda::load(
        &root().join("agendas/owners-maintenance-fund.toml"),
        Lang::Zh,
    )
    .unwrap_or_else(|e| panic!("{}", e.render("owners")));
    let xie: Vec<_> = setup
        .participants
        .iter()
        .filter(|p| p.name == "谢文斌")
        .collect();
    assert_eq!(xie.len(), 1, "one owner, one head");
    let xie = xie[0].clone();
    assert_eq!(xie.units.len(), 2);
    assert_eq!(xie.area, Some(Area(20_160)), "112.5 + 89.1 m²");
    assert_eq!(xie.unit.as_deref(), Some("2号楼2单元302、3号楼1单元502"));
    assert_eq!(setup.meeting.max_proxies, None);
    // Written back out, the units, a cap on proxies and a registered total survive.
    let mut setup = setup;
    setup.meeting.max_proxies = Some(2);
    setup.meeting.eligible = Some(40);
    setup.meeting.total_area = Some(Area(400_000));
    let again = agenda::parse(&agenda::to_toml(&setup), Lang::Zh).expect("round trip");
    assert_eq!(again.meeting.total_area, Some(Area(400_000)));
    let back = again
        .participants
        .iter()
        .find(|p| p.name == "谢文斌")
        .unwrap();
    assert_eq!(back.units, xie.units);
    assert_eq!(again.meeting.max_proxies, Some(2));

    assert_one("broken-units.toml", 8, 52, "3号楼1单元502");
    assert_one("broken-units-and-area.toml", 9, 9, "units");
    assert_one("broken-units-unknown-key.toml", 8, 50, "rooms");
}

#[test]
fn the_duplicate_name_hint_never_splits_one_owner_in_two() {
    for lang in [Lang::Zh, Lang::En] {
        let found = problems("broken-duplicate-name.toml", lang);
        let m = &found[0].message;
        assert!(m.contains("units"), "{m}");
        assert!(!m.contains("张建国（") && !m.contains("(No. 3)"), "{m}");
    }
}

#[test]
fn a_committee_meeting_decides_by_half_of_all_members_and_takes_no_proxies() {
    let setup = agenda::load(&root().join("agendas/owners-committee.toml"), Lang::Zh)
        .unwrap_or_else(|e| panic!("{}", e.render("committee")));
    assert_eq!(setup.meeting.kind, MeetingKind::OwnersCommitteeMeeting);
    assert_eq!(setup.meeting.quorum, Quorum::Majority);
    assert_eq!(
        setup.voters(),
        8,
        "the guest and the property manager do not vote"
    );
    // An item whose vote names no rule takes the kind's: 全体委员半数以上同意.
    let rules: Vec<Rule> = setup
        .items
        .iter()
        .filter_map(|i| i.vote.as_ref().map(|v| v.rule))
        .collect();
    assert_eq!(
        rules,
        vec![Rule::AtLeastHalfEligible, Rule::AtLeastHalfEligible]
    );
    assert_one("broken-committee-proxies.toml", 4, 15, "max_proxies");
    let zh = &problems("broken-committee-proxies.toml", Lang::Zh)[0].message;
    assert!(zh.contains("不接受委托"), "{zh}");
    assert_one("broken-max-proxies.toml", 4, 15, "max_proxies = 0");
}

#[test]
fn the_notice_issuer_and_contact_come_from_the_agenda() {
    let setup = agenda::load(
        std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/agendas/owners-maintenance-fund.toml"
        )),
        Lang::Zh,
    )
    .unwrap_or_else(|e| panic!("{}", e.render("owners-maintenance-fund.toml")));
    assert_eq!(
        setup.meeting.issuer.as_deref(),
        Some("锦绣园小区业主委员会")
    );
    assert!(
        setup
            .meeting
            .contact
            .as_deref()
            .is_some_and(|c| c.contains("0571-86001234"))
    );
    // Optional: an agenda without them loads, and a blank one counts as not given.
    let source = DEMO.replacen("[meeting]\n", "[meeting]\nissuer = \"  \"\n", 1);
    assert!(source.contains("issuer = "));
    let setup = agenda::parse(&source, Lang::Zh).unwrap_or_else(|p| panic!("{p:#?}"));
    assert_eq!(setup.meeting.issuer, None);
    assert_eq!(setup.meeting.contact, None);
}
