//! PDF: the text layer.
//!
//! lopdf reads the text of fonts that carry a `ToUnicode` map or a standard encoding. Chinese PDFs
//! often use predefined CMaps (`GBK-EUC-H`, `UniGB-UCS2-H`) that lopdf does not map; their text
//! comes out empty or as private-use and replacement characters. Then, and only then, the text is
//! taken from poppler's `pdftotext`, which knows those CMaps. A PDF whose text layer is empty under
//! both is a scan, and says so.

use crate::{Format, ReadError, Source};

pub(crate) fn read(bytes: &[u8]) -> Result<Source, ReadError> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| ReadError::Corrupt {
        format: Format::Pdf,
        reason: e.to_string(),
    })?;
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    if pages.is_empty() {
        return Err(ReadError::Corrupt {
            format: Format::Pdf,
            reason: "no pages".into(),
        });
    }
    let mut text = String::new();
    for page in &pages {
        // A page lopdf cannot decode is left to the fallback rather than failing the file.
        if let Ok(t) = doc.extract_text(&[*page]) {
            text.push_str(&t);
            text.push('\n');
        }
    }
    if !usable(&text) {
        match pdftotext(bytes) {
            Some(t) if usable(&t) => text = t,
            Some(_) => return Err(ReadError::NoTextLayer),
            None if text.trim().is_empty() => return Err(ReadError::NoTextLayer),
            None => {
                return Err(ReadError::Corrupt {
                    format: Format::Pdf,
                    reason: "its fonts need pdftotext (poppler-utils), which is not installed"
                        .into(),
                });
            }
        }
    }
    Ok(Source {
        text: text.replace('\u{c}', "\n"),
        format: Format::Pdf,
        encoding: "UTF-8",
    })
}

/// Text is usable when it has letters and few unmapped glyphs.
fn usable(text: &str) -> bool {
    let (mut total, mut bad) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        total += 1;
        if c == '\u{FFFD}' || ('\u{E000}'..='\u{F8FF}').contains(&c) || c.is_control() {
            bad += 1;
        }
    }
    total > 0 && bad * 20 < total
}

/// Runs `pdftotext` on the bytes; `None` when it is not installed or fails.
fn pdftotext(bytes: &[u8]) -> Option<String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let path = std::env::temp_dir().join(format!(
        "plantrack-{}-{:x}.pdf",
        std::process::id(),
        bytes.len() ^ (bytes.as_ptr() as usize)
    ));
    std::fs::File::create(&path).ok()?.write_all(bytes).ok()?;
    let output = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-nopgbrk"])
        .arg(&path)
        .arg("-")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    let _ = std::fs::remove_file(&path);
    let output = output.ok()?;
    if !output.status.success() {
        return None;
    }
    String::from_utf8(output.stdout).ok()
}
