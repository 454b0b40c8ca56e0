//! XLSX: every sheet to text.
//!
//! Rows before the first row with three or more filled cells (a sheet's title, its date) become
//! paragraphs; from that row on, the sheet is a table in the cell-per-line layout. Merged regions
//! need no work here: a workbook stores a merged value in its top-left cell only, so the other
//! cells are empty and read as "same as above" to the table grammar.

use calamine::{Data, Reader, Xlsx};

pub(crate) fn render(bytes: &[u8]) -> Result<String, String> {
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut out = String::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| format!("sheet {name}: {e}"))?;
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|row| row.iter().map(cell_text).collect::<Vec<_>>())
            .filter(|row| row.iter().any(|c| !c.trim().is_empty()))
            .collect();
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
            crate::push_table(&mut out, table);
        }
    }
    Ok(out)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.as_f64().to_string(),
    }
}
