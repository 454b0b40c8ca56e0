//! The key-task responsibility table (重点工作责任分解表).
//!
//! Recognised by its header: a task column (`重点工作`, `工作任务`, `具体任务`, `任务内容`; else any
//! header with `任务`) and a units column (`责任单位`, `承办单位`, `责任部门`, or `牵头单位` with an
//! optional `配合单位`). Optional columns: `序号`, a category (`主要任务` when a separate task
//! column exists, `类别`, `领域`), a deadline (`完成时限`, `时限`, `完成时间`, `时间节点`) and the
//! supervising leaders (any header with `领导`).
//!
//! Cells read as follows:
//! - category: a blank cell means "same as above" (merged cells and page breaks);
//! - deadline: kept as written, one line per statement, so milestone sub-deadlines survive
//!   (`年底前取得明显进展。` / `6月底前设立“一次办”政务服务窗口；年底前完成…`);
//! - leaders: one per line, or separated by `、`/`，`;
//! - units: one per line or separated by `、`/`，`/`；` outside parentheses
//!   (`市外办（市港澳办）` is one unit). The first unit leads and the others cooperate, unless the
//!   cell ends with a joint-responsibility phrase (`按职责分工负责`): then no unit leads. A unit
//!   marked `（牵头）` leads wherever it stands.

use plantrack_model::{Diagnostic, Severity, Task};

use crate::lexicon::{Kind, Lexicon};
use crate::table::{Cell, Table};

struct Columns {
    seq: Option<usize>,
    category: Option<usize>,
    text: usize,
    deadline: Option<usize>,
    leaders: Option<usize>,
    units: usize,
    cooperating: Option<usize>,
}

/// The columns of a responsibility table, by the words of the lexicon's `*_column` kinds in
/// its header cells.
fn columns(lex: &Lexicon, header: &[String]) -> Option<Columns> {
    let find = |kind: Kind| {
        header
            .iter()
            .position(|h| lex.words(kind).iter().any(|w| h.contains(w.as_str())))
    };
    let text = find(Kind::TaskColumn).or_else(|| find(Kind::TaskColumnFallback))?;
    let units = find(Kind::UnitsColumn)?;
    let category = header
        .iter()
        .enumerate()
        .position(|(i, h)| i != text && lex.any_in(Kind::CategoryColumn, h));
    let cooperating = find(Kind::CooperatingColumn);
    Some(Columns {
        seq: find(Kind::SeqColumn),
        category,
        text,
        deadline: find(Kind::DeadlineColumn),
        leaders: find(Kind::LeadersColumn),
        units,
        cooperating: cooperating.filter(|&c| c != units),
    })
}

/// Splits a list cell into names: by line, then by `、`, `，`, `；` outside parentheses.
fn names(cell: &Cell) -> Vec<String> {
    let mut out = Vec::new();
    for line in &cell.lines {
        let mut depth = 0i32;
        let mut current = String::new();
        for c in line.chars() {
            match c {
                '（' | '(' => depth += 1,
                '）' | ')' => depth -= 1,
                _ => {}
            }
            if depth <= 0 && matches!(c, '、' | '，' | ',' | '；' | ';' | ' ' | '\u{3000}') {
                push_name(&mut out, &mut current);
                continue;
            }
            current.push(c);
        }
        push_name(&mut out, &mut current);
    }
    out
}

fn push_name(out: &mut Vec<String>, current: &mut String) {
    let name = current.trim().trim_end_matches(['。', '.']).to_string();
    current.clear();
    if !name.is_empty() {
        out.push(name);
    }
}

/// Reads the tasks of `table`, or `None` when it is no responsibility table.
pub(crate) fn recognise(
    lex: &Lexicon,
    table: &Table,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<Task>> {
    let header = table.header_texts();
    let cols = columns(lex, &header)?;
    let mut out: Vec<Task> = Vec::new();
    let mut category: Option<String> = None;
    for row in &table.rows {
        let cell = |i: usize| row.get(i);
        let text = |i: usize| cell(i).map(Cell::text).unwrap_or_default();
        if row.len() != header.len() {
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                message: format!(
                    "responsibility table row has {} cells where the header has {}",
                    row.len(),
                    header.len()
                ),
                span: row.first().map(|c| c.span),
            });
        }
        if let Some(c) = cols.category.map(text).filter(|c| !c.is_empty()) {
            category = Some(c);
        }
        let task_text = text(cols.text);
        if task_text.is_empty() {
            continue;
        }
        let span = cell(cols.text).map(|c| c.span).unwrap_or_default();
        let seq = match cols.seq.map(text).and_then(|s| s.trim().parse().ok()) {
            Some(n) => n,
            None => {
                let n = out.last().map_or(1, |t| t.seq + 1);
                diagnostics.push(Diagnostic {
                    severity: Severity::Warning,
                    message: format!("task without a number; numbered {n} after the one above"),
                    span: Some(span),
                });
                n
            }
        };
        let deadline = cols
            .deadline
            .and_then(cell)
            .filter(|c| !c.is_empty())
            .map(|c| c.lines.join("\n"));
        let leaders = cols.leaders.and_then(cell).map(names).unwrap_or_default();
        let mut units = cell(cols.units).map(names).unwrap_or_default();
        let mut joint = false;
        if let Some(last) = units.last_mut()
            && let Some(phrase) = lex.list(Kind::JointPhrase).suffix_of(last).map(str::len)
        {
            joint = true;
            let stem = last[..last.len() - phrase].trim().to_string();
            if stem.is_empty() {
                units.pop();
            } else {
                *last = stem;
            }
        }
        let mut lead_unit = None;
        for u in units.iter_mut() {
            if let Some(mark) = lex.list(Kind::LeadMark).suffix_of(u).map(str::len) {
                u.truncate(u.len() - mark);
                lead_unit.get_or_insert_with(|| u.clone());
            }
        }
        if let Some(coop) = cols.cooperating.and_then(cell) {
            if lead_unit.is_none() {
                lead_unit = units.first().cloned();
            }
            units.extend(names(coop));
        }
        if joint {
            lead_unit = None;
        } else if lead_unit.is_none() {
            lead_unit = units.first().cloned();
        }
        out.push(Task {
            seq,
            category: category.clone(),
            text: task_text,
            deadline,
            leaders,
            units,
            lead_unit,
            joint,
            span,
        });
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::tables;

    fn read(text: &str) -> Vec<Task> {
        let t = tables(text);
        assert_eq!(t.len(), 1, "{t:?}");
        recognise(Lexicon::built_in(), &t[0], &mut Vec::new()).expect("a responsibility table")
    }

    const HEADER: &str = "\t序号\n\t主要任务\n\t重点工作\n\t完成时限\n\t分管市领导\n\t责任单位\n\n";

    #[test]
    fn lead_cooperating_and_category_carried_down() {
        let text = format!(
            "{HEADER}\t1\n\t一、主要预期目标\n\t全市地区生产总值增长4%左右。\n\t年底前完成\n\t刘桂平\n\t市发展改革委\n\n\t2\n\t\n\t一般公共预算收入保持与经济增长基本同步。\n\t年底前完成\n\t刘桂平\n\t市财政局\n市税务局\n"
        );
        let tasks = read(&text);
        assert_eq!(tasks.len(), 2);
        assert_eq!(tasks[1].category.as_deref(), Some("一、主要预期目标"));
        assert_eq!(tasks[1].units, ["市财政局", "市税务局"]);
        assert_eq!(tasks[1].lead_unit.as_deref(), Some("市财政局"));
        assert!(!tasks[1].joint);
    }

    #[test]
    fn joint_responsibility_has_no_lead() {
        let text = format!(
            "{HEADER}\t3\n\t\n\t居民人均可支配收入保持与经济增长基本同步。\n\t年底前完成\n\t刘桂平\n李文海\n\n谢元\n\t市人社局、市农业农村委、市发展改革委按职责分工负责\n"
        );
        let t = &read(&text)[0];
        assert_eq!(t.leaders, ["刘桂平", "李文海", "谢元"]);
        assert_eq!(t.units, ["市人社局", "市农业农村委", "市发展改革委"]);
        assert!(t.joint);
        assert_eq!(t.lead_unit, None);
    }

    #[test]
    fn parentheses_and_lead_marks() {
        let text = "\t序号\n\t工作任务\n\t责任单位\n\n\t1\n\t切实做好港澳台工作。\n\t市台办、市外办（市港澳办、市侨办）（牵头）\n";
        let t = &read(text)[0];
        assert_eq!(t.units, ["市台办", "市外办（市港澳办、市侨办）"]);
        assert_eq!(t.lead_unit.as_deref(), Some("市外办（市港澳办、市侨办）"));
    }

    #[test]
    fn milestone_deadlines_are_kept_line_by_line() {
        let text = format!(
            "{HEADER}\t19\n\t\n\t建设服务中心。\n\t年底前取得明显进展。\n6月底前设立“一次办”政务服务窗口；年底前完成管理体制建立工作\n\t朱鹏\n\t市科技局\n"
        );
        let t = &read(&text)[0];
        assert_eq!(
            t.deadline.as_deref(),
            Some(
                "年底前取得明显进展。\n6月底前设立“一次办”政务服务窗口；年底前完成管理体制建立工作"
            )
        );
    }

    #[test]
    fn separate_lead_and_cooperating_columns() {
        let text = "\t序号\n\t重点任务\n\t牵头单位\n\t配合单位\n\n\t1\n\t推进改革。\n\t市发展改革委\n\t市财政局、市商务局\n";
        let t = &read(text)[0];
        assert_eq!(t.units, ["市发展改革委", "市财政局", "市商务局"]);
        assert_eq!(t.lead_unit.as_deref(), Some("市发展改革委"));
    }

    #[test]
    fn tables_without_units_are_not_task_tables() {
        let t = tables("序号\t指标\t2025年\n1\t增长（%）\t6\n");
        assert!(recognise(Lexicon::built_in(), &t[0], &mut Vec::new()).is_none());
    }
}
