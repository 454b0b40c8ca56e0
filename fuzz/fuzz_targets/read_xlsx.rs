//! Arbitrary bytes as the one sheet of an XLSX (and, split at the first NUL, as its shared
//! strings), through the reader with its budgets on; see `read_docx.rs` for the limits to run with.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;

const NS: &str = "http://schemas.openxmlformats.org";

fuzz_target!(|data: &[u8]| {
    let (sheet, strings) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let types = format!(r#"<Types xmlns="{NS}/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#);
    let package = format!(r#"<Relationships xmlns="{NS}/package/2006/relationships"><Relationship Id="rId1" Type="{NS}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#);
    let workbook = format!(r#"<workbook xmlns="{NS}/spreadsheetml/2006/main" xmlns:r="{NS}/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#);
    let mut rels = format!(r#"<Relationships xmlns="{NS}/package/2006/relationships"><Relationship Id="rId1" Type="{NS}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#);
    if strings.is_some() {
        rels.push_str(&format!(r#"<Relationship Id="rId2" Type="{NS}/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#));
    }
    rels.push_str("</Relationships>");
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut part = |name: &str, bytes: &[u8]| {
        w.start_file(name, stored).unwrap();
        w.write_all(bytes).unwrap();
    };
    part("[Content_Types].xml", types.as_bytes());
    part("_rels/.rels", package.as_bytes());
    part("xl/workbook.xml", workbook.as_bytes());
    part("xl/_rels/workbook.xml.rels", rels.as_bytes());
    part("xl/worksheets/sheet1.xml", sheet);
    if let Some(strings) = strings {
        part("xl/sharedStrings.xml", strings);
    }
    w.finish().unwrap();
    let _ = plantrack_read::read(buf.get_ref(), None);
});
