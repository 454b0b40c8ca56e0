//! XLSX: every sheet to text.
//!
//! Rows before the first row with three or more filled cells (a sheet's title, its date) become
//! paragraphs; from that row on, the sheet is a table in the cell-per-line layout. Merged regions
//! need no work here: a workbook stores a merged value in its top-left cell only, so the other
//! cells are empty and read as "same as above" to the table grammar.
//!
//! Cells are streamed, not laid out in a grid first: a sheet holding `A1` and `XFD1048576` is two
//! cells, not seventeen billion. Only the rows and the columns that hold something are written
//! (an empty column says nothing a table grammar could use), within [`limits::TABLE_CELLS`].

use calamine::{DataRef, Reader, Xlsx};

use crate::{Format, ReadError, limits};

pub(crate) fn render(bytes: &[u8]) -> Result<String, ReadError> {
    let corrupt = |e: &dyn std::fmt::Display| ReadError::corrupt(Format::Xlsx, e.to_string());
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
    let mut out = String::new();
    let (mut filled, mut text_len) = (0usize, 0usize);
    for name in book.sheet_names() {
        let mut cells = Vec::new();
        let mut reader = book
            .worksheet_cells_reader(&name)
            .map_err(|e| corrupt(&format!("sheet {name}: {e}")))?;
        while let Some(cell) = reader
            .next_cell()
            .map_err(|e| corrupt(&format!("sheet {name}: {e}")))?
        {
            let text = cell_text(cell.get_value());
            if text.trim().is_empty() {
                continue;
            }
            filled += 1;
            if filled > limits::SHEET_CELLS {
                return Err(ReadError::OverLimit {
                    what: "the filled cells of the workbook",
                    limit: format!("{} cells", crate::grouped(limits::SHEET_CELLS)),
                });
            }
            text_len += text.len();
            crate::check_text_len(text_len)?;
            let (row, col) = cell.get_position();
            cells.push((row, col, text));
        }
        drop(reader);
        render_sheet(&mut out, cells)?;
    }
    Ok(out)
}

/// Writes one sheet's filled cells, `(row, column, text)`, as paragraphs and a table.
fn render_sheet(out: &mut String, mut cells: Vec<(u32, u32, String)>) -> Result<(), ReadError> {
    cells.sort_by_key(|&(r, c, _)| (r, c));
    let mut columns: Vec<u32> = cells.iter().map(|&(_, c, _)| c).collect();
    columns.sort_unstable();
    columns.dedup();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut last_row = None;
    let row_count = {
        let mut r: Vec<u32> = cells.iter().map(|&(r, _, _)| r).collect();
        r.dedup();
        r.len()
    };
    if row_count.saturating_mul(columns.len()) > limits::TABLE_CELLS {
        return Err(ReadError::OverLimit {
            what: "the rows times the used columns of a sheet",
            limit: format!("{} cells", crate::grouped(limits::TABLE_CELLS)),
        });
    }
    for (r, c, text) in cells {
        if last_row != Some(r) {
            rows.push(vec![String::new(); columns.len()]);
            last_row = Some(r);
        }
        if let (Ok(at), Some(row)) = (columns.binary_search(&c), rows.last_mut()) {
            row[at] = text;
        }
    }
    let header = rows
        .iter()
        .position(|row| row.iter().filter(|c| !c.trim().is_empty()).count() >= 3);
    let (before, table) = rows.split_at(header.unwrap_or(rows.len()));
    for row in before {
        let line: Vec<&str> = row
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect();
        out.push_str(&line.join(" "));
        out.push_str("\n\n");
    }
    if !table.is_empty() {
        crate::push_table(out, table);
    }
    Ok(())
}

pub(crate) fn cell_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Empty | DataRef::Error(_) => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => d.as_f64().to_string(),
    }
}
