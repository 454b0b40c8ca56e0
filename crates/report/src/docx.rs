//! A report as a DOCX in the layout of GB/T 9704—2012 (党政机关公文格式): A4 paper, top margin
//! 37 mm, left 28 mm, a text block of 156 × 225 mm holding 22 lines of 28 characters; the title
//! in 2号方正小标宋简体 (22 pt), the body in 3号仿宋_GB2312 (16 pt), level-one headings in 黑体,
//! level-two in 楷体_GB2312; page numbers in 4号宋体 as `— 1 —` under the text block, right on odd
//! pages and left on even ones, one character in. Each note is a footnote.
//!
//! Written by hand (the OOXML parts are few and fixed), zipped with `zip`.

use std::io::Write;

use crate::doc::{Block, Inline, Report, Table, escape as esc};

/// Page and grid in twentieths of a point (1 mm = 56.69 twips).
pub mod layout {
    pub const PAGE_WIDTH: u32 = 11906; // 210 mm
    pub const PAGE_HEIGHT: u32 = 16838; // 297 mm
    pub const MARGIN_TOP: u32 = 2098; // 37 mm
    pub const MARGIN_BOTTOM: u32 = 1984; // 35 mm
    pub const MARGIN_LEFT: u32 = 1588; // 28 mm
    pub const MARGIN_RIGHT: u32 = 1474; // 26 mm
    /// 225 mm / 22 lines.
    pub const LINE_PITCH: u32 = 579;
    /// The grid's character spacing in 1/4096 pt added to the 16 pt body character: 28 a line.
    pub const CHAR_SPACE: i32 = -849;
    /// Half-points.
    pub const BODY_SIZE: u32 = 32;
    pub const TITLE_SIZE: u32 = 44;
    pub const PAGE_NUMBER_SIZE: u32 = 28;
    pub const NOTE_SIZE: u32 = 24;
    pub const TABLE_SIZE: u32 = 24;
    pub const TITLE_FONT: &str = "方正小标宋简体";
    pub const BODY_FONT: &str = "仿宋_GB2312";
    pub const HEADING1_FONT: &str = "黑体";
    pub const HEADING2_FONT: &str = "楷体_GB2312";
    pub const PAGE_NUMBER_FONT: &str = "宋体";
}

use layout::*;

fn fonts(east_asia: &str) -> String {
    format!(
        r#"<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="{east_asia}" w:cs="Times New Roman"/>"#
    )
}

fn run(text: &str) -> String {
    format!(
        r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#,
        esc(text)
    )
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

/// Writes the paragraphs' runs; each note reference becomes a new footnote (Word wants one
/// reference a footnote).
struct Notes<'r> {
    report: &'r Report,
    footnotes: Vec<String>,
}

impl Notes<'_> {
    fn inline(&mut self, xs: &[Inline]) -> String {
        let mut out = String::new();
        for x in xs {
            match x {
                Inline::Text(t) => out.push_str(&run(t)),
                Inline::Note(i) => {
                    let id = self.footnotes.len() + 1;
                    let text = self.report.notes[*i].text();
                    self.footnotes.push(format!(
                        r#"<w:footnote w:id="{id}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>{}</w:p></w:footnote>"#,
                        run(&format!(" {text}"))
                    ));
                    out.push_str(&format!(
                        r#"<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{id}"/></w:r>"#
                    ));
                }
            }
        }
        out
    }
}

fn paragraph(style: &str, body: &str) -> String {
    format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{body}</w:p>"#)
}

fn table(t: &Table, notes: &mut Notes) -> String {
    let text_width = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
    let total: u32 = t.widths.iter().sum::<u32>().max(1);
    let widths: Vec<u32> = if t.widths.len() == t.header.len() {
        t.widths.iter().map(|w| text_width * w / total).collect()
    } else {
        vec![text_width / t.header.len().max(1) as u32; t.header.len()]
    };
    let mut out = String::new();
    if !t.caption.is_empty() {
        out.push_str(&paragraph("TableCaption", &run(&t.caption)));
    }
    out.push_str(&format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="{text_width}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>"#
    ));
    for w in &widths {
        out.push_str(&format!(r#"<w:gridCol w:w="{w}"/>"#));
    }
    out.push_str("</w:tblGrid>");
    let row = |cells: Vec<String>, header: bool| -> String {
        let mut r = String::from("<w:tr>");
        if header {
            r.push_str("<w:trPr><w:tblHeader/></w:trPr>");
        }
        for (k, c) in cells.into_iter().enumerate() {
            r.push_str(&format!(
                r#"<w:tc><w:tcPr><w:tcW w:w="{}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>{}</w:tc>"#,
                widths.get(k).copied().unwrap_or(0),
                paragraph(if header { "TableHeader" } else { "TableText" }, &c)
            ));
        }
        r.push_str("</w:tr>");
        r
    };
    out.push_str(&row(t.header.iter().map(|h| run(h)).collect(), true));
    for r in &t.rows {
        let cells: Vec<String> = (0..t.header.len())
            .map(|k| r.get(k).map_or(String::new(), |c| notes.inline(c)))
            .collect();
        out.push_str(&row(cells, false));
    }
    out.push_str("</w:tbl>");
    out
}

fn document_xml(report: &Report, notes: &mut Notes) -> String {
    let mut body = String::new();
    body.push_str(&paragraph("Title", &run(&report.title)));
    body.push_str(&paragraph("Subtitle", &run(&report.subtitle)));
    for b in &report.blocks {
        match b {
            Block::Heading(1, t) => body.push_str(&paragraph("Heading1", &run(t))),
            Block::Heading(_, t) => body.push_str(&paragraph("Heading2", &run(t))),
            Block::Paragraph(xs) => {
                let runs = notes.inline(xs);
                body.push_str(&paragraph("Body", &runs));
            }
            Block::Draft(t) => {
                body.push_str(&paragraph("Draft", &run(&format!("【待撰写：{t}】"))))
            }
            Block::Table(t) => body.push_str(&table(t, notes)),
        }
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/><w:footnotePr><w:numFmt w:val="decimal"/></w:footnotePr><w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/><w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" w:left="{MARGIN_LEFT}" w:header="851" w:footer="1304" w:gutter="0"/><w:pgNumType w:fmt="decimal" w:start="1"/><w:cols w:space="425"/><w:docGrid w:type="linesAndChars" w:linePitch="{LINE_PITCH}" w:charSpace="{CHAR_SPACE}"/></w:sectPr></w:body></w:document>"#
    )
}

fn style(id: &str, name: &str, ppr: &str, rpr: &str) -> String {
    format!(
        r#"<w:style w:type="paragraph" w:customStyle="1" w:styleId="{id}"><w:name w:val="{name}"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"#
    )
}

fn styles_xml() -> String {
    let exact = format!(
        r#"<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/>"#
    );
    let single = r#"<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>"#;
    let size = |half: u32| format!(r#"<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>"#);
    let indent = r#"<w:ind w:firstLineChars="200" w:firstLine="640"/>"#;
    let mut s = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {W}><w:docDefaults><w:rPrDefault><w:rPr>{}<w:kern w:val="2"/>{}<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/>{exact}</w:pPr></w:pPrDefault></w:docDefaults>"#,
        fonts(BODY_FONT),
        size(BODY_SIZE)
    );
    s.push_str(&format!(
        r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr>{exact}</w:pPr><w:rPr>{}{}</w:rPr></w:style>"#,
        fonts(BODY_FONT),
        size(BODY_SIZE)
    ));
    s.push_str(&style(
        "Title",
        "Title",
        r#"<w:jc w:val="center"/><w:spacing w:before="0" w:after="0" w:line="579" w:lineRule="exact"/><w:outlineLvl w:val="0"/>"#,
        &format!("{}{}", fonts(TITLE_FONT), size(TITLE_SIZE)),
    ));
    s.push_str(&style(
        "Subtitle",
        "Subtitle",
        &format!(r#"<w:jc w:val="center"/><w:spacing w:before="0" w:after="{LINE_PITCH}" w:line="{LINE_PITCH}" w:lineRule="exact"/>"#),
        &format!("{}{}", fonts(HEADING2_FONT), size(NOTE_SIZE)),
    ));
    s.push_str(&style(
        "Heading1",
        "heading 1",
        &format!(r#"<w:keepNext/>{indent}<w:outlineLvl w:val="0"/>"#),
        &format!("{}{}", fonts(HEADING1_FONT), size(BODY_SIZE)),
    ));
    s.push_str(&style(
        "Heading2",
        "heading 2",
        &format!(r#"<w:keepNext/>{indent}<w:outlineLvl w:val="1"/>"#),
        &format!("{}{}", fonts(HEADING2_FONT), size(BODY_SIZE)),
    ));
    s.push_str(&style("Body", "Body Text", indent, &fonts(BODY_FONT)));
    s.push_str(&style(
        "Draft",
        "Draft",
        indent,
        &format!(r#"{}<w:highlight w:val="yellow"/>"#, fonts(HEADING2_FONT)),
    ));
    s.push_str(&style(
        "TableCaption",
        "Table Caption",
        r#"<w:keepNext/><w:jc w:val="center"/>"#,
        &format!("{}{}", fonts(HEADING1_FONT), size(NOTE_SIZE)),
    ));
    s.push_str(&style(
        "TableHeader",
        "Table Header",
        &format!(r#"<w:jc w:val="center"/>{single}"#),
        &format!("{}<w:b/>{}", fonts(HEADING1_FONT), size(TABLE_SIZE)),
    ));
    s.push_str(&style(
        "TableText",
        "Table Text",
        &format!(r#"<w:jc w:val="left"/>{single}"#),
        &format!("{}{}", fonts(BODY_FONT), size(TABLE_SIZE)),
    ));
    s.push_str(&style(
        "FootnoteText",
        "footnote text",
        single,
        &format!("{}{}", fonts(BODY_FONT), size(NOTE_SIZE)),
    ));
    s.push_str(&style(
        "Footer",
        "footer",
        single,
        &format!("{}{}", fonts(PAGE_NUMBER_FONT), size(PAGE_NUMBER_SIZE)),
    ));
    s.push_str(r#"<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style></w:styles>"#);
    s
}

/// A page number `— 1 —`, right on odd pages and left on even ones, one character in.
fn footer_xml(odd: bool) -> String {
    let (jc, ind) = if odd {
        ("right", r#"<w:ind w:rightChars="100" w:right="280"/>"#)
    } else {
        ("left", r#"<w:ind w:leftChars="100" w:left="280"/>"#)
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr {W}><w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="{jc}"/>{ind}</w:pPr>{}<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>{}</w:p></w:ftr>"#,
        run("— "),
        run(" —")
    )
}

fn footnotes_xml(notes: &[String]) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>{}</w:footnotes>"#,
        notes.concat()
    )
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/><Relationship Id="rIdFooterOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/></Relationships>"#;

fn settings_xml() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings {W}><w:evenAndOddHeaders/><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/><w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#
    )
}

fn core_xml(report: &Report) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title><dc:creator>plantrack</dc:creator><dc:language>zh-CN</dc:language></cp:coreProperties>"#,
        esc(&report.title)
    )
}

/// The report as the bytes of a DOCX file (an error only if the archive cannot be written in
/// memory).
pub fn render(report: &Report) -> Result<Vec<u8>, zip::result::ZipError> {
    let mut notes = Notes {
        report,
        footnotes: Vec::new(),
    };
    let document = document_xml(report, &mut notes);
    let parts: [(&str, String); 10] = [
        ("[Content_Types].xml", CONTENT_TYPES.into()),
        ("_rels/.rels", PACKAGE_RELS.into()),
        ("docProps/core.xml", core_xml(report)),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.into()),
        ("word/document.xml", document),
        ("word/styles.xml", styles_xml()),
        ("word/settings.xml", settings_xml()),
        ("word/footnotes.xml", footnotes_xml(&notes.footnotes)),
        ("word/footer1.xml", footer_xml(true)),
        ("word/footer2.xml", footer_xml(false)),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in &parts {
        zip.start_file(*name, options)?;
        zip.write_all(body.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}
