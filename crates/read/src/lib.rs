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
mod rows;
mod text;
mod xlsx;

use std::fmt;

pub use rows::read_rows;
pub use text::{decode_text, decode_text_owned};

/// The largest input accepted, in bytes. Planning documents are well under a megabyte of text; a
/// file above this is almost surely not one, and reading it would only exhaust memory.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// What reading one file may spend. A planning document is a few hundred kilobytes of text in a
/// few megabytes of XML; these bounds are a hundred times that, and they are enforced while
/// reading, before the memory is taken: a small archive that unpacks to gigabytes, a sheet whose
/// two cells span a million rows, a PDF stream that inflates without end are refused with
/// [`ReadError::OverLimit`] naming the bound, in seconds and megabytes rather than minutes and
/// gigabytes.
pub mod limits {
    /// Bytes unpacked from one file: the XML parts of a DOCX or XLSX archive, the decompressed
    /// streams of a PDF.
    pub const UNPACKED_BYTES: u64 = 128 * 1024 * 1024;
    /// Entries of a DOCX or XLSX archive (a long report has a few dozen).
    pub const ZIP_ENTRIES: usize = 10_000;
    /// Nesting of XML elements in a DOCX body (Word's own documents stay under 30).
    pub const XML_DEPTH: usize = 256;
    /// Columns a DOCX table cell may span (Word allows 63).
    pub const GRID_SPAN: usize = 64;
    /// Filled cells of a workbook, all sheets together.
    pub const SHEET_CELLS: usize = 1_000_000;
    /// Cells of the tables of one file as written out: rows times used columns of a sheet, a
    /// DOCX cell spanning several columns once for each.
    pub const TABLE_CELLS: usize = 4_000_000;
    /// Pages of a PDF.
    pub const PDF_PAGES: usize = 5_000;
    /// Bytes one PDF stream may decompress to.
    pub const PDF_STREAM_BYTES: usize = 32 * 1024 * 1024;
    /// Bytes of text produced from one file (some 5 million Chinese characters).
    pub const TEXT_BYTES: usize = 16 * 1024 * 1024;
    /// Seconds `pdftotext` may take on one PDF before it is killed.
    pub const PDFTOTEXT_SECS: u64 = 60;
}

/// `1000000` as `1,000,000`, for the limits in messages.
pub(crate) fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Bytes still allowed to be unpacked from one file ([`limits::UNPACKED_BYTES`] at the start).
pub(crate) struct Budget {
    left: u64,
}

impl Budget {
    pub(crate) fn new() -> Budget {
        Budget {
            left: limits::UNPACKED_BYTES,
        }
    }

    /// Reads all of `r` into a buffer, refusing (before it is exceeded by more than one
    /// buffer's worth) when the budget runs out. `what` names the part in the error.
    pub(crate) fn read_all(
        &mut self,
        r: impl std::io::Read,
        format: Format,
        what: &str,
    ) -> Result<Vec<u8>, ReadError> {
        use std::io::Read;
        let mut buf = Vec::new();
        let n = r
            .take(self.left + 1)
            .read_to_end(&mut buf)
            .map_err(|e| ReadError::corrupt(format, format!("{what}: {e}")))?;
        self.spend(n as u64)?;
        Ok(buf)
    }

    /// Reads `r` to its end without keeping it, spending the budget as [`Budget::read_all`] does.
    pub(crate) fn count_all(
        &mut self,
        r: impl std::io::Read,
        format: Format,
        what: &str,
    ) -> Result<(), ReadError> {
        let n = std::io::copy(&mut r.take(self.left + 1), &mut std::io::sink())
            .map_err(|e| ReadError::corrupt(format, format!("{what}: {e}")))?;
        self.spend(n)
    }

    pub(crate) fn spend(&mut self, n: u64) -> Result<(), ReadError> {
        if n > self.left {
            return Err(ReadError::OverLimit {
                what: "the content unpacked from the file",
                limit: format!("{} MB", limits::UNPACKED_BYTES / 1024 / 1024),
            });
        }
        self.left -= n;
        Ok(())
    }
}

/// Refuses text beyond [`limits::TEXT_BYTES`].
pub(crate) fn check_text_len(len: usize) -> Result<(), ReadError> {
    if len > limits::TEXT_BYTES {
        return Err(ReadError::OverLimit {
            what: "the text of the file",
            limit: format!("{} MB", limits::TEXT_BYTES / 1024 / 1024),
        });
    }
    Ok(())
}

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
    TooLarge {
        size: u64,
    },
    Binary,
    Undecodable {
        encoding: &'static str,
    },
    Corrupt {
        format: Format,
        reason: String,
    },
    NoTextLayer,
    /// A bound of [`limits`] was reached: `what` went past `limit`.
    OverLimit {
        what: &'static str,
        limit: String,
    },
    /// The text decodes, but is not Chinese: `han` of its `letters` letters are Chinese characters.
    NotChinese {
        han: usize,
        letters: usize,
    },
}

impl ReadError {
    pub(crate) fn corrupt(format: Format, reason: impl Into<String>) -> ReadError {
        ReadError::Corrupt {
            format,
            reason: reason.into(),
        }
    }
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
            ReadError::OverLimit { what, limit } => write!(
                f,
                "reading stopped: {what} passed plantrack's limit of {limit} (far more than a planning document holds)"
            ),
            ReadError::NotChinese { han, letters } => write!(
                f,
                "the text is not Chinese ({han} of its {letters} letters are Chinese characters); plantrack reads Chinese planning documents"
            ),
        }
    }
}

impl std::error::Error for ReadError {}

/// Reads one file's bytes. `name` is only used to tell Markdown from plain text.
pub fn read(bytes: &[u8], name: Option<&str>) -> Result<Source, ReadError> {
    read_any(std::borrow::Cow::Borrowed(bytes), name)
}

/// [`read`] taking the bytes: a UTF-8 text file becomes the text without a copy.
pub fn read_owned(bytes: Vec<u8>, name: Option<&str>) -> Result<Source, ReadError> {
    read_any(std::borrow::Cow::Owned(bytes), name)
}

fn read_any(bytes: std::borrow::Cow<'_, [u8]>, name: Option<&str>) -> Result<Source, ReadError> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
        });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    let (source, census) = if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        let s = guard(Format::Docx, || read_zip(&bytes))?;
        let n = text::census(&s.text);
        (s, n)
    } else if bytes.starts_with(b"%PDF-") {
        let s = guard(Format::Pdf, || pdf::read(&bytes))?;
        let n = text::census(&s.text);
        (s, n)
    } else {
        // The text's characters are counted once, as it is decoded, for both checks.
        let (text, encoding, census) = match bytes {
            std::borrow::Cow::Owned(b) => text::decode_owned(b)?,
            std::borrow::Cow::Borrowed(b) => text::decode(b)?,
        };
        let markdown = name.is_some_and(|n| {
            let n = n.to_ascii_lowercase();
            n.ends_with(".md") || n.ends_with(".markdown")
        });
        let source = Source {
            text,
            format: if markdown {
                Format::Markdown
            } else {
                Format::Text
            },
            encoding,
        };
        (source, census)
    };
    check_text_len(source.text.len())?;
    check_chinese(&census)?;
    Ok(source)
}

/// A planning document is written in Chinese: at least one letter in three is a Chinese
/// character (English names, abbreviations such as GDP and 5G and the Latin of a table's codes
/// stay well under the other two). An English, French or Japanese file, or one that decodes to
/// no letters at all, is refused rather than read into a ledger of nothing.
fn check_chinese(n: &text::Census) -> Result<(), ReadError> {
    let (han, letters) = (n.han, n.letters);
    if han == 0 || han * 3 < letters {
        return Err(ReadError::NotChinese { han, letters });
    }
    Ok(())
}

/// The number of entries a ZIP archive's end record declares, read before the archive is opened
/// (opening it reads every entry's record into memory). `None` when the record is not found or
/// says ZIP64; the archive's own count is checked after opening then.
fn declared_entries(bytes: &[u8]) -> Option<usize> {
    let tail = &bytes[bytes.len().saturating_sub(22 + 65535)..];
    let at = tail.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let n = u16::from_le_bytes(tail.get(at + 10..at + 12)?.try_into().ok()?);
    (n != u16::MAX).then_some(n as usize)
}

fn too_many_entries() -> ReadError {
    ReadError::OverLimit {
        what: "the number of parts in the archive",
        limit: format!("{} entries", grouped(limits::ZIP_ENTRIES)),
    }
}

fn read_zip(bytes: &[u8]) -> Result<Source, ReadError> {
    if declared_entries(bytes).is_some_and(|n| n > limits::ZIP_ENTRIES) {
        return Err(too_many_entries());
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ReadError::corrupt(Format::Docx, e.to_string()))?;
    if archive.len() > limits::ZIP_ENTRIES {
        return Err(too_many_entries());
    }
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    let mut budget = Budget::new();
    if names.iter().any(|n| n == "word/document.xml") {
        let entry = archive
            .by_name("word/document.xml")
            .map_err(|e| ReadError::corrupt(Format::Docx, e.to_string()))?;
        let xml = budget.read_all(entry, Format::Docx, "word/document.xml")?;
        let xml = String::from_utf8(xml)
            .map_err(|_| ReadError::corrupt(Format::Docx, "word/document.xml is not UTF-8"))?;
        Ok(Source {
            text: docx::render(&xml)?,
            format: Format::Docx,
            encoding: "UTF-8",
        })
    } else if names.iter().any(|n| n == "xl/workbook.xml") {
        count_xml_parts(&mut archive, &mut budget)?;
        drop(archive);
        Ok(Source {
            text: xlsx::render(bytes)?,
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

/// calamine unpacks the parts it reads whole; unpack them once first, counting, so that a bomb
/// is refused before calamine takes the memory.
fn count_xml_parts(
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    budget: &mut Budget,
) -> Result<(), ReadError> {
    for i in 0..archive.len() {
        let entry = archive
            .by_index(i)
            .map_err(|e| ReadError::corrupt(Format::Xlsx, e.to_string()))?;
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".xml") || lower.ends_with(".rels") {
            budget.count_all(entry, Format::Xlsx, &name)?;
        }
    }
    Ok(())
}

/// The budgets of an XLSX archive checked before calamine opens it: its entries and what its
/// XML parts unpack to.
pub(crate) fn check_xlsx(bytes: &[u8]) -> Result<(), ReadError> {
    if declared_entries(bytes).is_some_and(|n| n > limits::ZIP_ENTRIES) {
        return Err(too_many_entries());
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ReadError::corrupt(Format::Xlsx, e.to_string()))?;
    if archive.len() > limits::ZIP_ENTRIES {
        return Err(too_many_entries());
    }
    count_xml_parts(&mut archive, &mut Budget::new())
}

/// [`guard`] for readers of rows.
fn guard_rows(
    f: impl FnOnce() -> Result<Vec<Vec<String>>, ReadError>,
) -> Result<Vec<Vec<String>>, ReadError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(_) => Err(ReadError::Corrupt {
            format: Format::Xlsx,
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

    /// A ZIP archive of `(name, bytes)` entries, the bytes written in `repeat` copies.
    fn zip_of(entries: &[(&str, &[u8], usize)]) -> Vec<u8> {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut buf);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1));
        for (name, bytes, repeat) in entries {
            w.start_file(*name, options).unwrap();
            for _ in 0..*repeat {
                std::io::Write::write_all(&mut w, bytes).unwrap();
            }
        }
        w.finish().unwrap();
        buf.into_inner()
    }

    const BODY_START: &[u8] = br#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#;
    const BODY_END: &[u8] = b"</w:body></w:document>";

    fn docx_of(body: &[u8], repeat: usize) -> Vec<u8> {
        let mut xml = BODY_START.to_vec();
        xml.extend_from_slice(&body.repeat(repeat));
        xml.extend_from_slice(BODY_END);
        zip_of(&[("word/document.xml", &xml, 1)])
    }

    fn over_limit(result: Result<Source, ReadError>, what: &str) {
        match result {
            Err(e @ ReadError::OverLimit { .. }) => {
                assert!(e.to_string().contains(what), "{e}")
            }
            other => panic!("expected a refusal over the limit of {what}, got {other:?}"),
        }
    }

    #[test]
    fn a_docx_that_unpacks_beyond_the_budget_is_refused_not_cut() {
        // 1 MB of paragraphs, 140 times: some 140 MB of XML in an archive of a few hundred KB.
        let para = "<w:p><w:r><w:t>全市地区生产总值增长5%左右。</w:t></w:r></w:p>".repeat(16_000);
        let mut xml = BODY_START.to_vec();
        let mut entries: Vec<(&str, &[u8], usize)> = vec![];
        xml.extend_from_slice(para.as_bytes());
        entries.push(("word/document.xml", &xml, 140));
        let bytes = zip_of(&entries);
        assert!(bytes.len() < 4 * 1024 * 1024, "{}", bytes.len());
        over_limit(read(&bytes, None), "unpacked");
    }

    #[test]
    fn docx_text_beyond_the_limit_is_refused() {
        // Under the unpacked budget, over the text limit: 18 MB of text in 20 MB of XML.
        let run = format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", "全".repeat(100_000));
        over_limit(read(&docx_of(run.as_bytes(), 60), None), "text");
    }

    #[test]
    fn deeply_nested_docx_xml_is_refused() {
        let open = "<w:sdt>".repeat(limits::XML_DEPTH + 1);
        let close = "</w:sdt>".repeat(limits::XML_DEPTH + 1);
        let body = format!("{open}<w:p><w:r><w:t>全市</w:t></w:r></w:p>{close}");
        over_limit(read(&docx_of(body.as_bytes(), 1), None), "nesting");
        // Within the limit, the same text reads.
        let body = format!(
            "{}<w:p><w:r><w:t>全市</w:t></w:r></w:p>{}",
            "<w:sdt>".repeat(20),
            "</w:sdt>".repeat(20)
        );
        assert_eq!(
            read(&docx_of(body.as_bytes(), 1), None).unwrap().text,
            "全市\n\n"
        );
    }

    #[test]
    fn a_docx_of_wide_merged_cells_is_bounded() {
        let row = format!(
            "<w:tr>{}</w:tr>",
            r#"<w:tc><w:tcPr><w:gridSpan w:val="1000000"/></w:tcPr><w:p><w:r><w:t>市</w:t></w:r></w:p></w:tc>"#
                .repeat(10)
        );
        let table = format!("<w:tbl>{}</w:tbl>", row.repeat(8_000));
        over_limit(read(&docx_of(table.as_bytes(), 1), None), "cells");
    }

    #[test]
    fn an_archive_of_too_many_entries_is_refused() {
        let names: Vec<String> = (0..=limits::ZIP_ENTRIES)
            .map(|i| format!("x/{i}.xml"))
            .collect();
        let mut entries: Vec<(&str, &[u8], usize)> =
            names.iter().map(|n| (n.as_str(), &b""[..], 1)).collect();
        entries.push(("word/document.xml", b"<w:document/>", 1));
        over_limit(read(&zip_of(&entries), None), "entries");
    }

    /// An XLSX whose one sheet holds the given `<row>` elements, written `repeat` times.
    fn xlsx_of(rows: &[u8], repeat: usize) -> Vec<u8> {
        let workbook = br#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
        let rels = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
        let types = br#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
        let package = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
        let head = br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
        let mut sheet = head.to_vec();
        sheet.extend_from_slice(&rows.repeat(repeat));
        sheet.extend_from_slice(b"</sheetData></worksheet>");
        zip_of(&[
            ("[Content_Types].xml", types, 1),
            ("_rels/.rels", package, 1),
            ("xl/workbook.xml", workbook, 1),
            ("xl/_rels/workbook.xml.rels", rels, 1),
            ("xl/worksheets/sheet1.xml", &sheet, 1),
        ])
    }

    #[test]
    fn cells_at_the_sheets_far_corners_are_two_cells() {
        let rows = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>全市</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>增长</t></is></c></row>"#;
        let bytes = xlsx_of(rows.as_bytes(), 1);
        assert!(bytes.len() < 2048, "{}", bytes.len());
        let source = read(&bytes, None).unwrap();
        assert_eq!(source.format, Format::Xlsx);
        assert_eq!(source.text, "全市\n\n增长\n\n");
    }

    #[test]
    fn a_sheet_spanning_too_many_rows_and_columns_is_refused() {
        // 2,100 cells on a diagonal: 2,100 rows times 2,100 used columns.
        let rows: String = (1..=2_100)
            .map(|i| {
                let col = column_name(i);
                format!(
                    r#"<row r="{i}"><c r="{col}{i}" t="inlineStr"><is><t>市</t></is></c></row>"#
                )
            })
            .collect();
        over_limit(read(&xlsx_of(rows.as_bytes(), 1), None), "columns");
    }

    #[test]
    fn a_sheet_of_millions_of_rows_is_refused() {
        over_limit(
            read(
                &xlsx_of(
                    r#"<row><c t="inlineStr"><is><t>市</t></is></c></row>"#.as_bytes(),
                    3_000_000,
                ),
                None,
            ),
            "unpacked",
        );
    }

    fn column_name(mut n: usize) -> String {
        let mut name = Vec::new();
        while n > 0 {
            n -= 1;
            name.push(b'A' + (n % 26) as u8);
            n /= 26;
        }
        name.reverse();
        String::from_utf8(name).unwrap()
    }

    #[test]
    fn text_that_is_not_chinese_is_refused() {
        let english = read(b"The annual plan: GDP grew by 5% in 2024.", None);
        assert!(
            matches!(english, Err(ReadError::NotChinese { han: 0, .. })),
            "{english:?}"
        );
        assert!(matches!(
            read(b"2024 5% 1.2", None),
            Err(ReadError::NotChinese { .. })
        ));
        // Abbreviations and codes inside Chinese text are Chinese text.
        let mixed = "5G基站达到1.2万个，A321飞机、GDP、CPI、PMI、R&D经费投入强度2.5%。";
        assert!(read(mixed.as_bytes(), None).is_ok());
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
