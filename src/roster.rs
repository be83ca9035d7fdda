//! A participant list from a spreadsheet (the property company's Excel roster, or a CSV), for
//! `yishi agenda new --roster`. The header row is matched in Chinese or English; every row
//! with a problem is reported as `FILE:SHEET:ROW:COLUMN` (`FILE:ROW:COLUMN` for a CSV), with
//! the row and column as the spreadsheet shows them (row 2, column C), and nothing is used
//! until all of them are fixed. One owner on several rows (several flats) becomes one
//! participant with several units and their areas added up.

use std::path::Path;

use crate::domain::model::{Area, Participant, Role, UnitArea};
use crate::lang::Lang;

/// One problem in a roster, at a spreadsheet row (1-based) and column (A, B, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterProblem {
    /// The sheet's name; `None` for a CSV file.
    pub sheet: Option<String>,
    pub row: usize,
    /// The column letter as the spreadsheet shows it.
    pub column: String,
    pub message: String,
}

impl RosterProblem {
    /// `FILE:SHEET:ROW:COLUMN: message` (`FILE:ROW:COLUMN: message` for a CSV).
    pub fn render(&self, file: &str) -> String {
        match &self.sheet {
            Some(sheet) => format!(
                "{file}:{sheet}:{}:{}: {}",
                self.row, self.column, self.message
            ),
            None => format!("{file}:{}:{}: {}", self.row, self.column, self.message),
        }
    }
}

/// Why a roster could not be used.
#[derive(Debug)]
pub enum RosterError {
    /// A full sentence in the user's language, naming the file.
    Unreadable(String),
    Problems(Vec<RosterProblem>),
}

impl RosterError {
    /// Every line to print, joined by newlines.
    pub fn render(&self, file: &str) -> String {
        match self {
            RosterError::Unreadable(message) => message.clone(),
            RosterError::Problems(problems) => problems
                .iter()
                .map(|p| p.render(file))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// A cell as read, before its column says what it means.
#[derive(Clone, Debug, PartialEq)]
enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Bool(b) => b.to_string(),
        }
    }

    fn is_empty(&self) -> bool {
        self.text().is_empty()
    }
}

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Name,
    Role,
    Unit,
    Area,
    Phone,
    Voter,
}

/// The header words each field is known by, compared without spaces, case or a unit in
/// brackets (「面积（㎡）」 is 面积).
fn field_of(header: &str) -> Option<Field> {
    let cut = header
        .split(['(', '（', '[', '【'])
        .next()
        .unwrap_or_default();
    let key: String = cut
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let field = match key.as_str() {
        "姓名" | "名字" | "业主" | "业主姓名" | "居民姓名" | "参会人" | "name" => {
            Field::Name
        }
        "角色" | "身份" | "类别" | "role" => Field::Role,
        "楼栋" | "楼号" | "单元" | "房号" | "门牌号" | "房屋" | "户号" | "unit" | "building"
        | "flat" | "room" => Field::Unit,
        "面积" | "建筑面积" | "专有面积" | "专有部分面积" | "area" => Field::Area,
        "电话" | "手机" | "联系电话" | "手机号" | "phone" | "mobile" | "tel" => {
            Field::Phone
        }
        "是否表决" | "表决" | "表决权" | "有无表决权" | "voter" | "vote" => {
            Field::Voter
        }
        _ => return None,
    };
    Some(field)
}

/// A role as people write it in a roster: the agenda key, the label in either language, or a
/// common other name. An empty cell is a resident (an owner, on an owners' roster).
fn role_of(text: &str) -> Option<Role> {
    let t = text.trim();
    if t.is_empty() {
        return Some(Role::Resident);
    }
    if let Some(r) = Role::parse(t) {
        return Some(r);
    }
    let lower = t.to_lowercase();
    if let Some(r) = Role::ALL
        .iter()
        .copied()
        .find(|r| r.label(Lang::Zh) == t || r.label(Lang::En).to_lowercase() == lower)
    {
        return Some(r);
    }
    Some(match t {
        "业主" | "住户" | "租户" | "居民群众" | "owner" => Role::Resident,
        "党支部" | "党组织" | "党委" | "社区党委" => Role::PartyOrg,
        "居委" | "居民委员会" | "社区居委会" => Role::ResidentsCommittee,
        "监委会" | "居务监督" | "监督委员会" => Role::SupervisionCommittee,
        "业主委员会" | "业委会委员" | "业委会主任" => Role::OwnersCommittee,
        "物业公司" | "物业服务企业" | "物业服务中心" => Role::Property,
        "社会工作者" | "社区工作者" => Role::SocialWorker,
        "相关方" | "利益方" => Role::Stakeholder,
        "列席人员" | "嘉宾" => Role::Guest,
        _ => return None,
    })
}

fn voter_of(text: &str) -> Option<Option<bool>> {
    let t = text.trim().to_lowercase();
    Some(match t.as_str() {
        "" => None,
        "是" | "有" | "y" | "yes" | "true" | "1" | "√" | "✓" => Some(true),
        "否" | "无" | "不" | "n" | "no" | "false" | "0" | "×" | "x" => Some(false),
        _ => return None,
    })
}

/// `86.5`, `86.5㎡`, `86.5平方米`, `86.5 m2` → square metres.
fn area_of(cell: &Cell) -> Option<f64> {
    match cell {
        Cell::Number(n) => Some(*n),
        Cell::Text(s) => {
            let s = s.trim();
            let s = ["平方米", "㎡", "m²", "m2", "平米"]
                .iter()
                .find_map(|u| s.strip_suffix(u))
                .unwrap_or(s)
                .trim();
            s.parse::<f64>().ok()
        }
        _ => None,
    }
}

/// The letters of a 0-based column: 0 → A, 25 → Z, 26 → AA.
fn column_letters(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push((b'A' + (index % 26) as u8) as char);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.iter().rev().collect()
}

/// The same message in either language, with the same arguments.
macro_rules! say {
    ($lang:expr, $zh:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            Lang::Zh => format!($zh $(, $arg)*),
            Lang::En => format!($en $(, $arg)*),
        }
    };
}

/// One row as read: its spreadsheet row number and its cells from column A.
type Rows = Vec<(usize, Vec<Cell>)>;

/// Reads a roster: `.xlsx`, `.xls`, `.xlsm`, `.ods` through calamine, `.csv` through csv.
pub fn load(path: &Path, lang: Lang) -> Result<Vec<Participant>, RosterError> {
    let shown = path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_lowercase();
    let unreadable = |why: String| {
        RosterError::Unreadable(say!(
            lang,
            "无法读取名单 {}：{}",
            "cannot read the roster {}: {}",
            shown,
            why
        ))
    };
    if ext == "csv" {
        let bytes = std::fs::read(path).map_err(|e| unreadable(io_reason(&e, lang)))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            unreadable(
                lang.pick(
                    "文件不是 UTF-8 编码的文本；请在表格软件中另存为「CSV UTF-8」后再试",
                    "it is not UTF-8 text; save it as \"CSV UTF-8\" from the spreadsheet and try again",
                )
                .into(),
            )
        })?;
        let rows = csv_rows(&text).map_err(|e| unreadable(e.to_string()))?;
        return parse_rows(None, &rows, lang).map_err(RosterError::Problems);
    }
    if !matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "xlsb" | "ods") {
        return Err(unreadable(
            lang.pick(
                "只能读取 .xlsx、.xls、.ods 或 .csv 文件",
                "only .xlsx, .xls, .ods and .csv files can be read",
            )
            .into(),
        ));
    }
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(path).map_err(|e| {
        unreadable(match e {
            calamine::Error::Io(e) => io_reason(&e, lang),
            _ => lang
                .pick(
                    "文件不是可读的表格，或已损坏",
                    "it is not a spreadsheet that can be read, or it is damaged",
                )
                .into(),
        })
    })?;
    let names = book.sheet_names().to_vec();
    let mut first_problems = None;
    for name in &names {
        let Ok(range) = book.worksheet_range(name) else {
            continue;
        };
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let rows: Rows = range
            .rows()
            .enumerate()
            .map(|(i, cells)| {
                let mut out = vec![Cell::Empty; col0 as usize];
                out.extend(cells.iter().map(|c| match c {
                    calamine::Data::Int(n) => Cell::Number(*n as f64),
                    calamine::Data::Float(f) => Cell::Number(*f),
                    calamine::Data::String(s) => Cell::Text(s.clone()),
                    calamine::Data::Bool(b) => Cell::Bool(*b),
                    calamine::Data::DateTimeIso(s) | calamine::Data::DurationIso(s) => {
                        Cell::Text(s.clone())
                    }
                    calamine::Data::DateTime(d) => Cell::Number(d.as_f64()),
                    calamine::Data::Error(_) => Cell::Text("#ERROR".into()),
                    calamine::Data::Empty => Cell::Empty,
                }));
                (row0 as usize + i + 1, out)
            })
            .collect();
        if header(&rows).is_none() {
            continue;
        }
        match parse_rows(Some(name), &rows, lang) {
            Ok(people) => return Ok(people),
            Err(p) => {
                first_problems.get_or_insert(p);
            }
        }
    }
    match first_problems {
        Some(p) => Err(RosterError::Problems(p)),
        None => Err(unreadable(say!(
            lang,
            "没有一张工作表有「姓名」列；第一行（表头）请写上 姓名、角色、房号、面积、电话、是否表决 等列名",
            "no sheet has a \"name\" column; the first row (the header) should name the columns: name, role, unit, area, phone, voter"
        ))),
    }
}

fn csv_rows(text: &str) -> Result<Rows, csv::Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record?;
        let line = record.position().map_or(i + 1, |p| p.line() as usize);
        rows.push((
            line,
            record
                .iter()
                .map(|s| {
                    if s.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(s.to_string())
                    }
                })
                .collect(),
        ));
    }
    Ok(rows)
}

/// The header: the first row that is not empty, if it names a column of names.
fn header(rows: &Rows) -> Option<(usize, Vec<(usize, Field)>)> {
    let (i, (_, cells)) = rows
        .iter()
        .enumerate()
        .find(|(_, (_, cells))| cells.iter().any(|c| !c.is_empty()))?;
    let fields: Vec<(usize, Field)> = cells
        .iter()
        .enumerate()
        .filter_map(|(col, c)| field_of(&c.text()).map(|f| (col, f)))
        .collect();
    fields
        .iter()
        .any(|(_, f)| *f == Field::Name)
        .then_some((i, fields))
}

/// Rows → participants, merging one person's several rows; every problem at once.
fn parse_rows(
    sheet: Option<&str>,
    rows: &Rows,
    lang: Lang,
) -> Result<Vec<Participant>, Vec<RosterProblem>> {
    let mut problems = Vec::new();
    let problem = |row: usize, col: usize, message: String| RosterProblem {
        sheet: sheet.map(str::to_string),
        row,
        column: column_letters(col),
        message,
    };
    let Some((header_at, fields)) = header(rows) else {
        let row = rows.first().map_or(1, |(r, _)| *r);
        return Err(vec![problem(
            row,
            0,
            say!(
                lang,
                "表头没有「姓名」列；第一行请写上 姓名、角色、房号、面积、电话、是否表决 等列名",
                "the header has no \"name\" column; the first row should name the columns: name, role, unit, area, phone, voter"
            ),
        )]);
    };
    let col = |f: Field| fields.iter().find(|(_, g)| *g == f).map(|(c, _)| *c);
    let name_col = col(Field::Name).unwrap_or(0);
    let unit_cols: Vec<usize> = fields
        .iter()
        .filter(|(_, f)| *f == Field::Unit)
        .map(|(c, _)| *c)
        .collect();
    let empty = Cell::Empty;
    // (participant, the row it was first seen on, its units with their areas where given)
    type Units = Vec<(String, Option<Area>)>;
    let mut people: Vec<(Participant, usize, Units)> = Vec::new();
    for (row, cells) in rows.iter().skip(header_at + 1) {
        let row = *row;
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        let cell = |c: Option<usize>| c.and_then(|c| cells.get(c)).unwrap_or(&empty);
        let name = cell(Some(name_col)).text();
        let before = problems.len();
        if name.is_empty() {
            problems.push(problem(
                row,
                name_col,
                say!(
                    lang,
                    "这一行没有姓名；请填写姓名，或删去这一行",
                    "this row has no name; fill it in or delete the row"
                ),
            ));
        } else if let Some(bad) = name.chars().find(|c| crate::agenda::invisible(*c)) {
            problems.push(problem(
                row,
                name_col,
                say!(
                    lang,
                    "姓名「{}」中含有看不见的字符 U+{:04X}；请删去它",
                    "the name \"{}\" holds an invisible character, U+{:04X}; delete it",
                    name.escape_debug(),
                    bad as u32
                ),
            ));
        }
        let role_text = cell(col(Field::Role)).text();
        let role = match role_of(&role_text) {
            Some(r) => r,
            None => {
                problems.push(problem(
                    row,
                    col(Field::Role).unwrap_or(0),
                    say!(
                        lang,
                        "未知的身份「{}」；可写：业主、居民、居民代表、业委会、物业、居委会、党组织代表、居务监督委员会、社工、利益相关方、列席、其他",
                        "unknown role \"{}\"; write one of: owner, resident, residents' representative, owners' committee, property management, residents' committee, Party organisation, supervision committee, social worker, stakeholder, guest, other",
                        role_text
                    ),
                ));
                Role::Other
            }
        };
        let area = match col(Field::Area) {
            Some(c) if !cell(Some(c)).is_empty() => match area_of(cell(Some(c))) {
                Some(m2) if m2 >= 0.0 => Area::from_m2(m2),
                Some(m2) => {
                    problems.push(problem(
                        row,
                        c,
                        say!(
                            lang,
                            "面积 {} 是负数；请填写专有部分的建筑面积（平方米）",
                            "the area {} is negative; give the floor area in square metres",
                            m2
                        ),
                    ));
                    None
                }
                None => {
                    problems.push(problem(
                        row,
                        c,
                        say!(
                            lang,
                            "面积「{}」不是数字；请填写平方米数，如 86.5",
                            "the area \"{}\" is not a number; give square metres, like 86.5",
                            cell(Some(c)).text()
                        ),
                    ));
                    None
                }
            },
            _ => None,
        };
        let voter_text = cell(col(Field::Voter)).text();
        let voter = match cell(col(Field::Voter)) {
            Cell::Bool(b) => Some(*b),
            _ => match voter_of(&voter_text) {
                Some(v) => v,
                None => {
                    problems.push(problem(
                        row,
                        col(Field::Voter).unwrap_or(0),
                        say!(
                            lang,
                            "是否表决「{}」无法识别；请填写「是」或「否」",
                            "voter \"{}\" is neither yes nor no; write yes or no",
                            voter_text
                        ),
                    ));
                    None
                }
            },
        };
        let phone = Some(cell(col(Field::Phone)).text()).filter(|p| !p.is_empty());
        // 3号楼 + 1单元 + 502 → 3号楼1单元502; 3 + 1 + 502 → 3-1-502.
        let mut unit = String::new();
        for part in unit_cols
            .iter()
            .map(|c| cell(Some(*c)).text())
            .filter(|u| !u.is_empty())
        {
            let worded = ["号楼", "栋", "幢", "座", "单元", "号", "楼"]
                .iter()
                .any(|w| unit.ends_with(w));
            if !unit.is_empty() && !worded {
                unit.push('-');
            }
            unit.push_str(&part);
        }
        if problems.len() > before {
            continue;
        }
        let voter = voter.unwrap_or(role.default_voter());
        // The same person on another row: one more unit, unless the rows disagree on who
        // they are.
        if let Some((p, first_row, units)) = people.iter_mut().find(|(p, _, _)| p.name == name) {
            let clash = if phone.is_some() && p.phone.is_some() && phone != p.phone {
                col(Field::Phone).map(|c| (c, lang.pick("电话", "phone")))
            } else if role != p.role {
                col(Field::Role).map(|c| (c, lang.pick("身份", "role")))
            } else if voter != p.voter {
                col(Field::Voter).map(|c| (c, lang.pick("是否表决", "voter")))
            } else {
                None
            };
            if let Some((c, what)) = clash {
                problems.push(problem(
                    row,
                    c,
                    say!(
                        lang,
                        "「{}」在第 {} 行已出现，但{}不同；同一人请填写一致，不同的人请加以区分，如「{}（3号楼）」",
                        "\"{}\" is already on row {} with a different {}; make the rows agree for one person, or tell two people apart, e.g. \"{} (No. 3)\"",
                        name,
                        *first_row,
                        what,
                        name
                    ),
                ));
                continue;
            }
            if !unit.is_empty() {
                units.push((unit, area));
            }
            p.area = match (p.area, area) {
                (Some(a), Some(b)) => Some(Area(a.0 + b.0)),
                (a, b) => a.or(b),
            };
            if p.phone.is_none() {
                p.phone = phone;
            }
            continue;
        }
        people.push((
            Participant {
                id: people.len() as u32 + 1,
                name,
                role,
                unit: None,
                area,
                voter,
                phone,
                walk_in: false,
                units: Vec::new(),
                not_entitled: None,
            },
            row,
            if unit.is_empty() {
                vec![]
            } else {
                vec![(unit, area)]
            },
        ));
    }
    if people.is_empty() && problems.is_empty() {
        let row = rows.get(header_at).map_or(1, |(r, _)| *r);
        problems.push(problem(
            row,
            name_col,
            say!(
                lang,
                "表头下面没有任何人；请在表头下逐行填写参会人",
                "there is nobody below the header; list the participants one per row"
            ),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(people
        .into_iter()
        .map(|(mut p, _, units)| {
            if !units.is_empty() {
                let names: Vec<&str> = units.iter().map(|(u, _)| u.as_str()).collect();
                p.unit = Some(names.join("、"));
            }
            // One owner on several rows, each unit with its area: the agenda lists them as
            // `units`, one head with the areas summed and every unit shown.
            if units.len() > 1 && units.iter().all(|(_, a)| a.is_some()) {
                p.units = units
                    .into_iter()
                    .filter_map(|(unit, area)| Some(UnitArea { unit, area: area? }))
                    .collect();
            }
            p
        })
        .collect())
}

fn io_reason(e: &std::io::Error, lang: Lang) -> String {
    crate::store::Reason::io(e).text(lang).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_spreadsheets_show_them() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
    }

    #[test]
    fn headers_match_in_either_language_with_units_in_brackets() {
        assert_eq!(field_of("姓名"), Some(Field::Name));
        assert_eq!(field_of(" Name "), Some(Field::Name));
        assert_eq!(field_of("建筑面积（㎡）"), Some(Field::Area));
        assert_eq!(field_of("Area (m2)"), Some(Field::Area));
        assert_eq!(field_of("是否表决"), Some(Field::Voter));
        assert_eq!(field_of("备注"), None);
    }

    #[test]
    fn chinese_role_names_are_understood() {
        assert_eq!(role_of("业主"), Some(Role::Resident));
        assert_eq!(role_of("业委会"), Some(Role::OwnersCommittee));
        assert_eq!(role_of("物业公司"), Some(Role::Property));
        assert_eq!(role_of("owners_committee"), Some(Role::OwnersCommittee));
        assert_eq!(role_of("掌柜"), None);
    }
}
