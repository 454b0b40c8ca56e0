//! Bytes to text.
//!
//! [`read`] takes the bytes of one file and returns its text in UTF-8 with what was found about it
//! (format, encoding). Formats are recognised by content, not by file name: a ZIP holding
//! `word/document.xml` is DOCX, one holding `xl/workbook.xml` is XLSX, `%PDF-` is PDF, anything else
//! must decode as text (UTF-8 with or without BOM, UTF-16 with BOM, or a legacy encoding found by
//! `chardetng` with the Chinese hint, in practice GB18030/GBK or Big5).
//!
//! Tables in DOCX and XLSX are rendered in the *cell-per-line* layout that text copies of
//! responsibility tables use, so that one table grammar serves every format:
//!
//! ```text
//! \t序号          <- every cell starts on a line of its own with one tab
//! \t重点工作
//! \t责任单位
//!                 <- a blank line, then a tab line: the next row
//! \t1
//! \t全市地区生产总值增长4%左右。
//! \t市财政局
//! 市税务局        <- a line without a tab continues the cell above
//!
//!                 <- two blank lines end the table
//! ```
//!
//! Architecture invariant: this crate knows file formats and encodings, nothing of planning
//! documents. Its only I/O beyond the bytes it is given is the `pdftotext` fallback for PDFs whose
//! fonts lopdf cannot map (see [`pdf`]).

mod docx;
mod pdf;
mod text;
mod xlsx;

use std::fmt;

pub use text::decode_text;

/// The largest input accepted, in bytes. Planning documents are well under a megabyte of text; a
/// file above this is almost surely not one, and reading it would only exhaust memory.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// The container or text format a file was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Docx,
    Xlsx,
    Pdf,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
        }
    }
}

/// A document's text and what was found while reading it.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub text: String,
    pub format: Format,
    /// The encoding of the text as stored: `UTF-8`, `GB18030`, `UTF-16LE`…; for DOCX and XLSX the
    /// XML's (always `UTF-8`), for PDF the text layer's (`UTF-16BE` or `PDFDocEncoding` mapped to
    /// Unicode, reported as `UTF-8` once extracted).
    pub encoding: &'static str,
}

/// Why a file could not be read. Each message says the reason in words a user can act on; the
/// caller adds the file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    Empty,
    TooLarge { size: u64 },
    Binary,
    Undecodable { encoding: &'static str },
    Corrupt { format: Format, reason: String },
    NoTextLayer,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Empty => write!(f, "the file is empty"),
            ReadError::TooLarge { size } => write!(
                f,
                "the file is {:.1} MB, more than the {} MB a planning document can be",
                *size as f64 / 1e6,
                MAX_BYTES / 1024 / 1024
            ),
            ReadError::Binary => write!(f, "the file is binary, not text, DOCX, XLSX or PDF"),
            ReadError::Undecodable { encoding } => write!(
                f,
                "the text does not decode as Chinese in any known encoding (best guess {encoding})"
            ),
            ReadError::Corrupt { format, reason } => {
                write!(
                    f,
                    "corrupt or truncated {}: {reason}",
                    format.as_str().to_uppercase()
                )
            }
            ReadError::NoTextLayer => write!(
                f,
                "the PDF has no text layer (a scanned image?); run OCR on it first"
            ),
        }
    }
}

impl std::error::Error for ReadError {}

/// Reads one file's bytes. `name` is only used to tell Markdown from plain text.
pub fn read(bytes: &[u8], name: Option<&str>) -> Result<Source, ReadError> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
        });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return guard(Format::Docx, || read_zip(bytes));
    }
    if bytes.starts_with(b"%PDF-") {
        return guard(Format::Pdf, || pdf::read(bytes));
    }
    let (text, encoding) = decode_text(bytes)?;
    let markdown = name.is_some_and(|n| {
        let n = n.to_ascii_lowercase();
        n.ends_with(".md") || n.ends_with(".markdown")
    });
    Ok(Source {
        text,
        format: if markdown {
            Format::Markdown
        } else {
            Format::Text
        },
        encoding,
    })
}

fn read_zip(bytes: &[u8]) -> Result<Source, ReadError> {
    let corrupt = |format, e: &dyn fmt::Display| ReadError::Corrupt {
        format,
        reason: e.to_string(),
    };
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| corrupt(Format::Docx, &e))?;
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    if names.iter().any(|n| n == "word/document.xml") {
        let xml =
            zip_entry(&mut archive, "word/document.xml").map_err(|e| corrupt(Format::Docx, &e))?;
        let text = docx::render(&xml).map_err(|e| corrupt(Format::Docx, &e))?;
        Ok(Source {
            text,
            format: Format::Docx,
            encoding: "UTF-8",
        })
    } else if names.iter().any(|n| n == "xl/workbook.xml") {
        drop(archive);
        let text = xlsx::render(bytes).map_err(|e| corrupt(Format::Xlsx, &e))?;
        Ok(Source {
            text,
            format: Format::Xlsx,
            encoding: "UTF-8",
        })
    } else {
        Err(ReadError::Corrupt {
            format: Format::Docx,
            reason: "a ZIP archive that is neither DOCX (no word/document.xml) nor XLSX (no xl/workbook.xml)"
                .into(),
        })
    }
}

/// The largest XML part we decompress: a guard against ZIP bombs.
const MAX_XML_BYTES: u64 = 256 * 1024 * 1024;

fn zip_entry(
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
) -> Result<String, String> {
    use std::io::Read;
    let entry = archive.by_name(name).map_err(|e| e.to_string())?;
    let mut xml = String::new();
    entry
        .take(MAX_XML_BYTES)
        .read_to_string(&mut xml)
        .map_err(|e| format!("{name}: {e}"))?;
    Ok(xml)
}

/// Runs a container reader, turning a panic inside a third-party parser into a `Corrupt` error: a
/// malformed file must never bring the process down.
fn guard(
    format: Format,
    f: impl FnOnce() -> Result<Source, ReadError>,
) -> Result<Source, ReadError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(_) => Err(ReadError::Corrupt {
            format,
            reason: "the parser gave up on malformed content".into(),
        }),
    }
}

/// Pushes one table cell in the cell-per-line layout: a tab, then the cell's lines, with tabs
/// inside the cell turned to spaces and no line of a cell starting with a tab.
pub(crate) fn push_cell(out: &mut String, cell: &str) {
    out.push('\t');
    let cell = cell.trim_matches(|c: char| c == '\n' || c == '\r');
    let mut first = true;
    for line in cell.split('\n') {
        if !first {
            out.push('\n');
        }
        first = false;
        let line = line.trim_end_matches('\r').replace('\t', " ");
        out.push_str(if first { &line } else { line.trim_start() });
    }
    out.push('\n');
}

/// Renders rows in the cell-per-line layout (see the crate docs).
pub(crate) fn push_table(out: &mut String, rows: &[Vec<String>]) {
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
    }
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for cell in row {
            push_cell(out, cell);
        }
    }
    out.push_str("\n\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_whitespace_are_empty() {
        assert_eq!(read(b"", None), Err(ReadError::Empty));
        assert_eq!(read(b" \r\n\t", None), Err(ReadError::Empty));
    }

    #[test]
    fn zip_that_is_no_office_file_is_named() {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut buf);
        w.start_file("hello.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut w, b"hi").unwrap();
        w.finish().unwrap();
        let err = read(buf.get_ref(), None).unwrap_err();
        assert!(err.to_string().contains("neither DOCX"), "{err}");
    }

    #[test]
    fn truncated_zip_is_corrupt() {
        let err = read(b"PK\x03\x04\x14\x00\x00\x00", None).unwrap_err();
        assert!(matches!(err, ReadError::Corrupt { .. }), "{err}");
    }

    #[test]
    fn cells_keep_their_lines_without_leading_tabs() {
        let mut out = String::new();
        push_table(
            &mut out,
            &[
                vec!["序号".into(), "单位".into()],
                vec!["1".into(), "市财政局\n\t市税务局".into()],
            ],
        );
        assert_eq!(out, "\t序号\n\t单位\n\n\t1\n\t市财政局\n市税务局\n\n\n");
    }
}
