//! Arbitrary bytes through the readers (text encodings, ZIP/DOCX/XLSX, PDF) and the extractor.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(source) = plantrack_read::read(data, None) {
        let x = plantrack_extract::extract(&source.text, Default::default(), &Default::default());
        for s in &x.sections {
            assert!(s.span.end <= source.text.len() && s.span.start <= s.span.end);
            assert!(source.text.is_char_boundary(s.span.start) && source.text.is_char_boundary(s.span.end));
        }
    }
});
