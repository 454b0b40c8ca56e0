//! Tables in text: two layouts, one model.
//!
//! **Row per line** (tab-separated, as copied from a web page or Markdown export):
//!
//! ```text
//! 序号→指标→2020年→2025年→属性            (→ stands for a tab)
//! <b>经济发展</b>
//! 1→地区生产总值增长（%）→3.8*→6*左右→预期性
//! ```
//!
//! A line with two or more tabs, or one tab not at its start, is a row; rows separated only by
//! blank lines belong to one table (a table split by a page break, its header repeated).
//!
//! **Cell per line** (responsibility tables copied from Word, and what the DOCX and XLSX readers
//! produce): every cell opens with a line `\t…`; lines without a tab continue the cell above; the
//! first row is the header; a blank line followed by a tab line opens the next row. The table ends
//! at two blank lines followed by an untabbed line, or at a footnote (`注：`, `备注`, `说明：`) after a
//! blank line.
//!
//! Under either layout, paragraphs that follow the table and start with `注` — and numbered
//! paragraphs right after them (`2. 劳动年龄人口…12.03为2019年数值。`) — are the table's notes. Rows
//! that repeat the header (a page break) are dropped.

use plantrack_model::Span;

use crate::normalize::{Line, lines};

/// One cell: its non-empty lines, trimmed, and its extent in the original text.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub lines: Vec<String>,
    pub span: Span,
}

impl Cell {
    /// The lines joined without separator (Chinese text has no spaces between wrapped lines).
    pub fn text(&self) -> String {
        self.lines.concat()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
    pub notes: Vec<Cell>,
    /// Line indices `[first, last]` covered by the table and its notes, for the normaliser.
    pub lines: (usize, usize),
}

impl Table {
    pub fn header_texts(&self) -> Vec<String> {
        self.header.iter().map(Cell::text).collect()
    }
}

fn tab_count(s: &str) -> usize {
    s.bytes().filter(|&b| b == b'\t').count()
}

fn is_row_line(s: &str) -> bool {
    let tabs = tab_count(s);
    tabs >= 2 || (tabs == 1 && !s.starts_with('\t') && !s.trim_end().ends_with('\t'))
}

fn is_cell_line(s: &str) -> bool {
    s.starts_with('\t') && tab_count(s) == 1
}

fn is_footnote(s: &str) -> bool {
    let s = s.trim_start();
    s.starts_with("注：")
        || s.starts_with("注:")
        || s.starts_with("备注")
        || s.starts_with("说明：")
}

fn cell(text: &str, first: Line, rest: &[Line]) -> Cell {
    let mut out = Vec::new();
    let mut span: Option<Span> = None;
    for l in std::iter::once(&first).chain(rest) {
        let raw = &text[l.start..l.end];
        let trimmed = raw.trim_matches(|c: char| c.is_whitespace());
        if trimmed.is_empty() {
            continue;
        }
        let start =
            l.start + (raw.len() - raw.trim_start_matches(|c: char| c.is_whitespace()).len());
        let s = Span::new(start, start + trimmed.len());
        span = Some(span.map_or(s, |x| x.cover(s)));
        out.push(trimmed.to_string());
    }
    Cell {
        lines: out,
        span: span.unwrap_or(Span::new(first.start, first.start)),
    }
}

/// Finds every table in `text`.
pub fn tables(text: &str) -> Vec<Table> {
    tables_in(text, &lines(text))
}

/// [`tables`] with the text's lines already split.
pub(crate) fn tables_in(text: &str, lines: &[Line]) -> Vec<Table> {
    let content = |i: usize| &text[lines[i].start..lines[i].end];
    let blank = |i: usize| content(i).trim().is_empty();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if is_row_line(content(i)) {
            let first = i;
            let mut rows: Vec<Vec<Cell>> = Vec::new();
            let mut last = i;
            let mut k = i;
            while k < lines.len() && (is_row_line(content(k)) || blank(k)) {
                if !blank(k) {
                    let l = lines[k];
                    let mut offset = l.start;
                    let row = content(k)
                        .split('\t')
                        .map(|c| {
                            let line = Line {
                                start: offset,
                                end: offset + c.len(),
                            };
                            offset += c.len() + 1;
                            cell(text, line, &[])
                        })
                        .collect();
                    rows.push(row);
                    last = k;
                }
                k += 1;
            }
            if rows.len() >= 2 {
                let header = rows.remove(0);
                let (notes, end) = notes_after(text, lines, last + 1);
                out.push(finish(header, rows, notes, (first, end.unwrap_or(last))));
                i = end.unwrap_or(last) + 1;
                continue;
            }
            i = k;
            continue;
        }
        if is_cell_line(content(i)) {
            let (table, next) = cell_table(text, lines, i);
            if let Some(t) = table {
                out.push(t);
            }
            i = next.max(i + 1);
            continue;
        }
        i += 1;
    }
    out
}

/// Reads a cell-per-line table starting at line `first`; returns it and the line after it.
fn cell_table(text: &str, lines: &[Line], first: usize) -> (Option<Table>, usize) {
    let content = |i: usize| &text[lines[i].start..lines[i].end];
    let blank = |i: usize| content(i).trim().is_empty();
    // Rows of cells, each cell a first line and its continuation lines.
    let mut rows: Vec<Vec<(Line, Vec<Line>)>> = vec![Vec::new()];
    let mut i = first;
    let mut last = first;
    let mut blanks = 0;
    while i < lines.len() {
        let s = content(i);
        if blank(i) && !is_cell_line(s) {
            blanks += 1;
            i += 1;
            continue;
        }
        if is_cell_line(s) {
            if blanks > 0 && !rows.last().is_some_and(Vec::is_empty) {
                rows.push(Vec::new());
            }
            // The tab is not part of the cell.
            let l = Line {
                start: lines[i].start + 1,
                end: lines[i].end,
            };
            rows.last_mut()
                .expect("rows is never empty")
                .push((l, Vec::new()));
        } else {
            let opens_section =
                crate::normalize::opens_item(s) && !s.starts_with(|c: char| c.is_ascii_digit());
            if blanks >= 2 || (blanks >= 1 && (is_footnote(s) || opens_section)) || is_row_line(s) {
                break;
            }
            match rows.last_mut().and_then(|r| r.last_mut()) {
                Some((_, cont)) => cont.push(lines[i]),
                None => break,
            }
        }
        blanks = 0;
        last = i;
        i += 1;
    }
    let mut cells: Vec<Vec<Cell>> = rows
        .into_iter()
        .filter(|r| !r.is_empty())
        .map(|r| {
            r.into_iter()
                .map(|(f, rest)| cell(text, f, &rest))
                .collect()
        })
        .collect();
    if cells.len() < 2 || cells[0].len() < 2 {
        return (None, last + 1);
    }
    let header = cells.remove(0);
    let (notes, end) = notes_after(text, lines, last + 1);
    let end = end.unwrap_or(last);
    (Some(finish(header, cells, notes, (first, end))), end + 1)
}

/// Notes right after a table: a `注` paragraph and the numbered paragraphs that follow it.
fn notes_after(text: &str, lines: &[Line], from: usize) -> (Vec<Cell>, Option<usize>) {
    let content = |i: usize| text[lines[i].start..lines[i].end].trim();
    let mut notes = Vec::new();
    let mut end = None;
    let mut i = from;
    while i < lines.len() && content(i).is_empty() {
        i += 1;
    }
    if i >= lines.len() || !is_footnote(content(i)) {
        return (notes, end);
    }
    loop {
        notes.push(cell(text, lines[i], &[]));
        end = Some(i);
        let mut k = i + 1;
        while k < lines.len() && content(k).is_empty() {
            k += 1;
        }
        let numbered = k < lines.len() && {
            let s = content(k);
            let digits = s.chars().take_while(char::is_ascii_digit).count();
            digits > 0 && digits <= 2 && s[digits..].starts_with(['.', '．', '、'])
        };
        if !numbered {
            break;
        }
        i = k;
    }
    (notes, end)
}

fn finish(
    header: Vec<Cell>,
    rows: Vec<Vec<Cell>>,
    notes: Vec<Cell>,
    lines: (usize, usize),
) -> Table {
    let head: Vec<String> = header.iter().map(Cell::text).collect();
    let rows = rows
        .into_iter()
        .filter(|r| r.iter().map(Cell::text).collect::<Vec<_>>() != head)
        .collect();
    Table {
        header,
        rows,
        notes,
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_per_line_with_repeated_header_and_notes() {
        let text = "专栏 1 指标\n\n序号\t指标\t2020年\n1\t增长（%）\t3.8*\n\n序号\t指标\t2020年\n2\t率（%）\t83.6\n\n注：1. 〔 〕内为累计数。\n\n2. 12.03为2019年数值。\n\n### 第三章 下一章\n";
        let t = tables(text);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].header_texts(), ["序号", "指标", "2020年"]);
        assert_eq!(t[0].rows.len(), 2);
        assert_eq!(t[0].rows[1][2].text(), "83.6");
        assert_eq!(t[0].notes.len(), 2);
        let s = t[0].rows[0][1].span;
        assert_eq!(&text[s.start..s.end], "增长（%）");
        // The notes are covered, the next heading is not.
        assert_eq!(t[0].lines, (2, 10));
    }

    #[test]
    fn cell_per_line_with_continuations_and_footnote() {
        let text = "附件\n\t序号\n\t任务\n\t单位\n\n\t1\n\t全市增长4%左右。\n\t市财政局\n市税务局\n\n\t2\n\t\n\t市发展改革委\n\n市合作交流办\n\n\n注：列第一位的为牵头单位。\n";
        let t = tables(text);
        assert_eq!(t.len(), 1, "{t:?}");
        let t = &t[0];
        assert_eq!(t.header_texts(), ["序号", "任务", "单位"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0][2].lines, ["市财政局", "市税务局"]);
        assert!(t.rows[1][1].is_empty());
        assert_eq!(t.rows[1][2].lines, ["市发展改革委", "市合作交流办"]);
        assert_eq!(t.notes.len(), 1);
        assert!(t.notes[0].text().starts_with("注："));
    }

    #[test]
    fn prose_with_one_tab_at_the_end_is_no_table() {
        assert!(tables("一段文字。\t\n另一段。\n").is_empty());
    }
}
