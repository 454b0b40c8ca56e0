//! Arbitrary bytes after `%PDF-1.7`, through the PDF reader with its budgets on (the pdftotext
//! fallback included when it is installed); see `read_docx.rs` for the limits to run with.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.extend_from_slice(data);
    let _ = plantrack_read::read(&pdf, None);
});
