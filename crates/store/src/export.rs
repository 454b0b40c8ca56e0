//! Reading the ledger back out, for export: tasks with their people, targets and results, and
//! the one way plantrack writes a CSV cell.
//!
//! An export leaves the server: it names each document by its file name, never by the path it
//! was read from on the server.

use sqlx::Row;

use crate::{Store, StoreError};

/// One CSV cell: never a formula, and quoted when it must be (RFC 4180).
///
/// A spreadsheet opening the file takes a cell that starts with `=`, `+`, `-` or `@` (or a tab
/// or carriage return before one) for a formula: a report reading
/// `=HYPERLINK("http://evil.example/","详情")` would become a live link, `@SUM(` or `-2+3` a
/// calculation. Such a cell gets a leading `'`, which spreadsheets read as "text" (OWASP's CSV
/// injection advice). One exception: a cell that is wholly a plain decimal number (`-2.5`,
/// `+3`, `-12`) is left alone, so that negative growth rates and changes stay numbers; it holds
/// nothing a spreadsheet could run. Anything more (`-2+3`, `-1e5`, `-inf`) is prefixed.
pub fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) && !plain_number(s) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// A sign, digits, and at most one decimal point between digits.
fn plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && all_digits(fraction)
}

/// The file name of a document's source (its last path component, `/` or `\` separated): what
/// an export calls the document, so that the server's directories stay on the server.
pub fn file_name(source: &str) -> &str {
    source.rsplit(['/', '\\']).next().unwrap_or(source)
}

/// A task as the responsibility table shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRow {
    /// The document's file name (see [`file_name`]).
    pub source: String,
    pub seq: i64,
    pub category: Option<String>,
    pub text: String,
    pub deadline: Option<String>,
    /// Supervising leaders, in order, joined with `、`.
    pub leaders: String,
    /// The lead unit; empty when responsibility is joint.
    pub lead_unit: String,
    /// The other units, in order, joined with `、`.
    pub other_units: String,
    pub joint: bool,
}

/// A quantified target or result.
#[derive(Debug, Clone, PartialEq)]
pub struct QuantityRow {
    /// The document's file name (see [`file_name`]).
    pub source: String,
    pub role: String,
    pub year: Option<i64>,
    pub region: Option<String>,
    pub metric: String,
    pub value: f64,
    pub unit: Option<String>,
    pub qualifier: Option<String>,
    pub measure: String,
    pub sentence: String,
}

impl Store {
    /// Every task, by document and number.
    pub async fn task_rows(&self) -> Result<Vec<TaskRow>, StoreError> {
        let tasks = sqlx::query(
            "SELECT t.id, d.source, t.seq, t.category, t.text, t.deadline, t.joint \
             FROM tasks t JOIN documents d ON d.id = t.document_id ORDER BY d.source, t.seq",
        )
        .fetch_all(&self.pool)
        .await?;
        let units = sqlx::query(
            "SELECT tu.task_id, u.name, tu.role FROM task_units tu JOIN units u ON u.id = tu.unit_id \
             ORDER BY tu.task_id, tu.position",
        )
        .fetch_all(&self.pool)
        .await?;
        let leaders = sqlx::query(
            "SELECT tl.task_id, l.name FROM task_leaders tl JOIN leaders l ON l.id = tl.leader_id \
             ORDER BY tl.task_id, tl.position",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut by_task_units: std::collections::HashMap<i64, Vec<(String, String)>> =
            Default::default();
        for r in units {
            by_task_units
                .entry(r.try_get(0)?)
                .or_default()
                .push((r.try_get(1)?, r.try_get(2)?));
        }
        let mut by_task_leaders: std::collections::HashMap<i64, Vec<String>> = Default::default();
        for r in leaders {
            by_task_leaders
                .entry(r.try_get(0)?)
                .or_default()
                .push(r.try_get(1)?);
        }
        tasks
            .into_iter()
            .map(|r| {
                let id: i64 = r.try_get(0)?;
                let units = by_task_units.remove(&id).unwrap_or_default();
                let lead = units
                    .iter()
                    .find(|(_, role)| role == "lead")
                    .map(|(n, _)| n.clone());
                let others: Vec<String> = units
                    .iter()
                    .filter(|(_, role)| role != "lead")
                    .map(|(n, _)| n.clone())
                    .collect();
                Ok(TaskRow {
                    source: file_name(&r.try_get::<String, _>(1)?).to_string(),
                    seq: r.try_get(2)?,
                    category: r.try_get(3)?,
                    text: r.try_get(4)?,
                    deadline: r.try_get(5)?,
                    leaders: by_task_leaders.remove(&id).unwrap_or_default().join("、"),
                    lead_unit: lead.unwrap_or_default(),
                    other_units: others.join("、"),
                    joint: r.try_get::<i64, _>(6)? != 0,
                })
            })
            .collect()
    }

    /// Every quantity, by document and position.
    pub async fn quantity_rows(&self) -> Result<Vec<QuantityRow>, StoreError> {
        sqlx::query(
            "SELECT d.source, q.role, q.year, r.name, q.metric, q.value, q.unit, q.qualifier, \
             q.measure, q.sentence FROM quantities q JOIN documents d ON d.id = q.document_id \
             LEFT JOIN regions r ON r.id = q.region_id ORDER BY d.source, q.span_start",
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| {
            Ok(QuantityRow {
                source: file_name(&r.try_get::<String, _>(0)?).to_string(),
                role: r.try_get(1)?,
                year: r.try_get(2)?,
                region: r.try_get(3)?,
                metric: r.try_get(4)?,
                value: r.try_get(5)?,
                unit: r.try_get(6)?,
                qualifier: r.try_get(7)?,
                measure: r.try_get(8)?,
                sentence: r.try_get(9)?,
            })
        })
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 14: a report `=HYPERLINK(…)` and document text (`@SUM(`, `+1+1`, `-2+3`) were live
    /// formulas in the CSV exports.
    #[test]
    fn csv_cells_are_never_formulas() {
        for (cell, written) in [
            (
                "=HYPERLINK(\"http://evil.example/\",\"详情\")",
                "\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"详情\"\")\"",
            ),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("\t=1", "'\t=1"),
            ("\r=1", "\"'\r=1\""),
            ("-1e5", "'-1e5"),
            ("-inf", "'-inf"),
            ("-", "'-"),
            ("-.5", "'-.5"),
            ("1.", "1."),
            // Plain numbers stay numbers; text that merely holds the characters is text.
            ("-2.5", "-2.5"),
            ("-12", "-12"),
            ("+3", "+3"),
            ("4.3", "4.3"),
            ("增长-2+3", "增长-2+3"),
            ("市财政局", "市财政局"),
            ("a,b", "\"a,b\""),
            ("说\"好\"", "\"说\"\"好\"\"\""),
            ("一\n二", "\"一\n二\""),
            ("", ""),
        ] {
            assert_eq!(csv_cell(cell), written, "{cell:?}");
        }
    }

    #[test]
    fn exports_name_files_not_paths() {
        assert_eq!(
            file_name("/srv/plantrack/docs/001_报告.txt"),
            "001_报告.txt"
        );
        assert_eq!(file_name("C:\\data\\002.docx"), "002.docx");
        assert_eq!(file_name("003.pdf"), "003.pdf");
    }
}
