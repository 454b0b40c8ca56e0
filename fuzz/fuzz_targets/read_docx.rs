//! Arbitrary bytes as the `word/document.xml` of a DOCX, through the reader with its budgets on:
//! run with `-rss_limit_mb=1024 -malloc_limit_mb=512` so that an allocation past the budgets is a
//! finding, not only a panic (which the reader turns into an error of its own).
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|xml: &[u8]| {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("word/document.xml", stored).unwrap();
    w.write_all(xml).unwrap();
    w.finish().unwrap();
    let _ = plantrack_read::read(buf.get_ref(), None);
});
