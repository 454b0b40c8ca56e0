//! DOCX: `word/document.xml` to text.
//!
//! Paragraphs (`w:p`) become lines separated by a blank line; runs' text (`w:t`), tabs (`w:tab`,
//! a space here so that paragraphs never look like table rows) and breaks (`w:br`, `w:cr`) are
//! kept. Tables (`w:tbl`) become the cell-per-line layout of the crate docs. Merged cells keep the
//! columns aligned: a cell spanning `w:gridSpan` columns is followed by empty cells, and a cell
//! continuing a vertical merge (`w:vMerge` without `restart`) is empty, which reads as "same as
//! above" to the table grammar. A table nested in a cell is flattened into that cell's text.

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::{Format, ReadError, limits};

#[derive(Default)]
struct Table {
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    cell: String,
    span: usize,
    merged_continue: bool,
}

pub(crate) fn render(xml: &str) -> Result<String, ReadError> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    // The paragraph being read, and the tables being read (more than one when nested).
    let mut para = String::new();
    let mut tables: Vec<Table> = Vec::new();
    let mut in_text = false;
    // What the limits count: open elements, text taken from runs, table cells written.
    let (mut depth, mut text_len, mut cells) = (0usize, 0usize, 0usize);
    loop {
        let event = reader.read_event().map_err(|e| {
            ReadError::corrupt(
                Format::Docx,
                format!(
                    "word/document.xml at byte {}: {e}",
                    reader.buffer_position()
                ),
            )
        })?;
        match event {
            Event::Start(e) => {
                depth += 1;
                if depth > limits::XML_DEPTH {
                    return Err(ReadError::OverLimit {
                        what: "the nesting of the document's XML",
                        limit: format!("{} levels", limits::XML_DEPTH),
                    });
                }
                open(&e, false, &mut para, &mut tables, &mut in_text)
            }
            Event::Empty(e) => open(&e, true, &mut para, &mut tables, &mut in_text),
            Event::Text(t) if in_text => {
                let t = t.xml10_content();
                text_len += t.len();
                crate::check_text_len(text_len)?;
                para.push_str(&t)
            }
            Event::GeneralRef(r) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    para.push(c);
                } else {
                    para.push_str(match r.xml10_content().as_ref() {
                        "lt" => "<",
                        "gt" => ">",
                        "amp" => "&",
                        "apos" => "'",
                        "quot" => "\"",
                        _ => "",
                    });
                }
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                close(
                    local(e.name().as_ref()),
                    &mut para,
                    &mut out,
                    &mut tables,
                    &mut in_text,
                    &mut cells,
                )?;
            }

            Event::Eof => break,
            _ => {}
        }
    }
    if !tables.is_empty() {
        return Err(ReadError::corrupt(
            Format::Docx,
            "word/document.xml ends inside a table",
        ));
    }
    Ok(out)
}

/// Handles a closing tag.
fn close(
    name: &str,
    para: &mut String,
    out: &mut String,
    tables: &mut Vec<Table>,
    in_text: &mut bool,
    cells: &mut usize,
) -> Result<(), ReadError> {
    match name {
        "t" => *in_text = false,
        "p" => {
            let text = std::mem::take(para);
            match tables.last_mut() {
                Some(t) => {
                    if !t.cell.is_empty() {
                        t.cell.push('\n');
                    }
                    t.cell.push_str(text.trim());
                }
                None => {
                    let text = text.trim();
                    if !text.is_empty() {
                        out.push_str(text);
                        out.push_str("\n\n");
                    }
                }
            }
        }
        "tc" => {
            if let Some(t) = tables.last_mut() {
                let cell = if t.merged_continue {
                    String::new()
                } else {
                    std::mem::take(&mut t.cell)
                };
                *cells += t.span;
                if *cells > limits::TABLE_CELLS {
                    return Err(ReadError::OverLimit {
                        what: "the cells of the document's tables",
                        limit: format!("{} cells", crate::grouped(limits::TABLE_CELLS)),
                    });
                }
                t.row.push(cell);
                for _ in 1..t.span {
                    t.row.push(String::new());
                }
            }
        }
        "tr" => {
            if let Some(t) = tables.last_mut() {
                let row = std::mem::take(&mut t.row);
                if row.iter().any(|c| !c.trim().is_empty()) {
                    t.rows.push(row);
                }
            }
        }
        "tbl" => {
            if let Some(t) = tables.pop() {
                match tables.last_mut() {
                    // A nested table: its text joins the enclosing cell.
                    Some(outer) => {
                        for row in t.rows {
                            if !outer.cell.is_empty() {
                                outer.cell.push('\n');
                            }
                            outer.cell.push_str(&row.join(" "));
                        }
                    }
                    None => crate::push_table(out, &t.rows),
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// Handles an opening (or self-closing) tag.
fn open(
    e: &quick_xml::events::BytesStart<'_>,
    self_closing: bool,
    para: &mut String,
    tables: &mut Vec<Table>,
    in_text: &mut bool,
) {
    match event_kind(e) {
        Tag::Text => *in_text = !self_closing,
        Tag::Tab => para.push(' '),
        Tag::Break => para.push('\n'),
        Tag::Table if !self_closing => tables.push(Table::default()),
        Tag::Row => {
            if let Some(t) = tables.last_mut() {
                t.row.clear();
            }
        }
        Tag::Cell => {
            if let Some(t) = tables.last_mut() {
                t.cell.clear();
                t.span = 1;
                t.merged_continue = false;
            }
        }
        Tag::GridSpan => {
            if let Some(t) = tables.last_mut() {
                t.span = attr(e, "w:val")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1usize)
                    .clamp(1, limits::GRID_SPAN);
            }
        }
        Tag::VMerge => {
            if let Some(t) = tables.last_mut() {
                t.merged_continue = attr(e, "w:val").is_none_or(|v| v != "restart");
            }
        }
        _ => {}
    }
}

enum Tag {
    Text,
    Tab,
    Break,
    Table,
    Row,
    Cell,
    GridSpan,
    VMerge,
    Other,
}

fn event_kind(e: &quick_xml::events::BytesStart<'_>) -> Tag {
    match local(e.name().as_ref()) {
        "t" => Tag::Text,
        "tab" => Tag::Tab,
        "br" | "cr" => Tag::Break,
        "tbl" => Tag::Table,
        "tr" => Tag::Row,
        "tc" => Tag::Cell,
        "gridSpan" => Tag::GridSpan,
        "vMerge" => Tag::VMerge,
        _ => Tag::Other,
    }
}

/// The local part of a qualified name: `w:tbl` → `tbl`.
fn local(name: &str) -> &str {
    match name.find(':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

fn attr(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .map(|a| a.value.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str) -> String {
        format!(
            r#"<?xml version="1.0"?><w:document xmlns:w="x"><w:body>{body}</w:body></w:document>"#
        )
    }

    #[test]
    fn paragraphs_and_entities() {
        let xml = doc(
            "<w:p><w:r><w:t>A&amp;B</w:t></w:r><w:r><w:t xml:space=\"preserve\"> 增长4%</w:t></w:r></w:p><w:p><w:r><w:t>二</w:t></w:r></w:p>",
        );
        assert_eq!(render(&xml).unwrap(), "A&B 增长4%\n\n二\n\n");
    }

    #[test]
    fn merged_cells_keep_columns() {
        let xml = doc(concat!(
            "<w:tbl>",
            "<w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr><w:p><w:r><w:t>头</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>C</w:t></w:r></w:p></w:tc></w:tr>",
            "<w:tr><w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr><w:p><w:r><w:t>类</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>甲</w:t></w:r></w:p><w:p><w:r><w:t>乙</w:t></w:r></w:p></w:tc></w:tr>",
            "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t>类</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr>",
            "</w:tbl>"
        ));
        assert_eq!(
            render(&xml).unwrap(),
            "\t头\n\t\n\tC\n\n\t类\n\t1\n\t甲\n乙\n\n\t\n\t2\n\t\n\n\n"
        );
    }

    #[test]
    fn malformed_xml_is_an_error() {
        assert!(render("<w:document><w:body><w:p></w:body>").is_err());
    }
}
