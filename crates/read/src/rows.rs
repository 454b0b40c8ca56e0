//! A table of figures as rows of cells: a CSV (UTF-8 or GB18030, RFC 4180 quoting) or the first
//! sheet of an XLSX. What `plantrack import` reads; the readers' budgets apply.

use calamine::{Reader, Xlsx};

use crate::{Format, ReadError, limits};

/// The rows of a CSV or XLSX file, empty rows dropped; cells trimmed.
pub fn read_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, ReadError> {
    if bytes.len() as u64 > crate::MAX_BYTES {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
        });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    let rows = if bytes.starts_with(b"PK\x03\x04") {
        crate::check_xlsx(bytes)?;
        crate::guard_rows(|| sheet_rows(bytes))?
    } else {
        let (text, _) = crate::decode_text(bytes)?;
        csv_rows(&text)?
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            r.into_iter()
                .map(|c| c.trim().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|r: &Vec<String>| r.iter().any(|c| !c.is_empty()))
        .collect())
}

/// RFC 4180: fields separated by commas, a quoted field may hold commas, newlines and `""`.
fn csv_rows(text: &str) -> Result<Vec<Vec<String>>, ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut cells = 0usize;
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            ('"', true) => quoted = false,
            ('"', false) if cell.is_empty() => quoted = true,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => cell.push(c),
        }
        cells += usize::from(c == ',' || c == '\n');
        if cells > limits::SHEET_CELLS {
            return Err(ReadError::OverLimit {
                what: "the cells of the table",
                limit: format!("{} cells", crate::grouped(limits::SHEET_CELLS)),
            });
        }
    }
    if quoted {
        return Err(ReadError::corrupt(
            Format::Text,
            "a quoted CSV field is not closed",
        ));
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    Ok(rows)
}

/// The first sheet's filled cells, laid out by row and column.
fn sheet_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, ReadError> {
    let corrupt = |e: &dyn std::fmt::Display| ReadError::corrupt(Format::Xlsx, e.to_string());
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
    let Some(name) = book.sheet_names().first().cloned() else {
        return Ok(Vec::new());
    };
    let mut reader = book
        .worksheet_cells_reader(&name)
        .map_err(|e| corrupt(&e))?;
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(|e| corrupt(&e))? {
        let text = crate::xlsx::cell_text(cell.get_value());
        if text.trim().is_empty() {
            continue;
        }
        if cells.len() >= limits::SHEET_CELLS {
            return Err(ReadError::OverLimit {
                what: "the filled cells of the workbook",
                limit: format!("{} cells", crate::grouped(limits::SHEET_CELLS)),
            });
        }
        let (r, c) = cell.get_position();
        cells.push((r, c, text));
    }
    cells.sort_by_key(|&(r, c, _)| (r, c));
    let width = cells
        .iter()
        .map(|&(_, c, _)| c as usize + 1)
        .max()
        .unwrap_or(0);
    if width > 64 {
        return Err(ReadError::OverLimit {
            what: "the columns of a table of figures",
            limit: "64 columns".into(),
        });
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut last = None;
    for (r, c, text) in cells {
        if last != Some(r) {
            rows.push(vec![String::new(); width]);
            last = Some(r);
        }
        if let Some(row) = rows.last_mut() {
            row[c as usize] = text;
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_commas_and_newlines() {
        let rows = read_rows(
            "地区,年份,指标\r\n天津市,2023,\"粮食,播种\"\"面积\"\"\"\n\n西青区,2023,\"两\n行\""
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(
            rows,
            vec![
                vec!["地区", "年份", "指标"],
                vec!["天津市", "2023", "粮食,播种\"面积\""],
                vec!["西青区", "2023", "两\n行"],
            ]
        );
        assert!(read_rows("地区,\"未闭合".as_bytes()).is_err());
    }

    #[test]
    fn a_gb18030_csv_is_read() {
        let text = "地区,年份,指标,数值\n天津市,2023,粮食播种面积,577.6\n".repeat(3);
        let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
        assert_eq!(read_rows(&bytes).unwrap()[1][2], "粮食播种面积");
    }
}
