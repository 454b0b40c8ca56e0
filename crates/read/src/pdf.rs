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
    let mut shows_text = false;
    for (_, id) in doc.get_pages() {
        // Text-showing operators (`Tj`, `TJ`, `'`, `"`) mean a text layer exists, readable or not.
        let content = doc.get_page_content(id);
        shows_text |= content.windows(2).any(|w| w == b"Tj" || w == b"TJ");
    }
    for page in &pages {
        // A page lopdf cannot decode is left to the fallback rather than failing the file.
        if let Ok(t) = doc.extract_text(&[*page]) {
            text.push_str(&t);
            text.push('\n');
        }
    }
    if !usable(&text) {
        if !shows_text {
            return Err(ReadError::NoTextLayer);
        }
        match pdftotext(bytes) {
            Some(t) if usable(&t) => text = t,
            Some(_) => {
                return Err(ReadError::Corrupt {
                    format: Format::Pdf,
                    reason:
                        "its text layer uses fonts whose characters cannot be mapped to Unicode"
                            .into(),
                });
            }
            None => {
                return Err(ReadError::Corrupt {
                    format: Format::Pdf,
                    reason: "its fonts need pdftotext (poppler-utils, see scripts/setup), which is not installed"
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

#[cfg(test)]
mod tests {
    use lopdf::content::{Content, Operation};
    use lopdf::{Document, Object, Stream, dictionary};

    use crate::{Format, ReadError, read};

    /// A one-page PDF with one font `F1` and the given content operations.
    fn one_page(
        doc: &mut Document,
        font: lopdf::Dictionary,
        operations: Vec<Operation>,
    ) -> Vec<u8> {
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(font);
        let resources_id =
            doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
        let content = Content { operations };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
                "Resources" => resources_id,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            }),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    /// Operations that show `string` in font `F1`.
    fn show(string: Object) -> Vec<Operation> {
        vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 12.into()]),
            Operation::new("Td", vec![72.into(), 700.into()]),
            Operation::new("Tj", vec![string]),
            Operation::new("ET", vec![]),
        ]
    }

    /// A one-page PDF whose page shows `text` in Courier (no text at all when `None`).
    fn pdf(text: Option<&str>) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let font = dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Courier" };
        let operations = text.map_or(Vec::new(), |t| show(Object::string_literal(t)));
        one_page(&mut doc, font, operations)
    }

    #[test]
    fn text_layer_is_read() {
        let source = read(&pdf(Some("GDP growth 4.3% in 2023")), None).unwrap();
        assert_eq!(source.format, Format::Pdf);
        assert!(
            source.text.contains("GDP growth 4.3% in 2023"),
            "{:?}",
            source.text
        );
    }

    /// A page in the unembedded `STSong-Light` font with a predefined CMap and no `ToUnicode`
    /// map, as Chinese office software writes it. `cmap` is `UniGB-UCS2-H` (text as UCS-2) or
    /// `GBK-EUC-H` (text as GBK bytes).
    fn chinese_pdf(text: &str, cmap: &str) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let cid_font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "STSong-Light",
            "CIDSystemInfo" => dictionary! {
                "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal("GB1"),
                "Supplement" => 4,
            },
            "FontDescriptor" => dictionary! {
                "Type" => "FontDescriptor", "FontName" => "STSong-Light", "Flags" => 6,
                "FontBBox" => vec![0.into(), 0.into(), 1000.into(), 1000.into()],
                "ItalicAngle" => 0, "Ascent" => 880, "Descent" => -120, "CapHeight" => 880,
                "StemV" => 80,
            },
        });
        let font = dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "STSong-Light",
            "Encoding" => cmap, "DescendantFonts" => vec![cid_font.into()],
        };
        let bytes: Vec<u8> = if cmap == "GBK-EUC-H" {
            encoding_rs::GBK.encode(text).0.into_owned()
        } else {
            text.encode_utf16().flat_map(u16::to_be_bytes).collect()
        };
        let operations = show(Object::String(bytes, lopdf::StringFormat::Hexadecimal));
        one_page(&mut doc, font, operations)
    }

    #[test]
    fn chinese_text_in_a_ucs2_cmap_font_is_read() {
        let source = read(
            &chinese_pdf("全市地区生产总值增长4.3%", "UniGB-UCS2-H"),
            None,
        )
        .unwrap();
        assert!(
            source.text.contains("全市地区生产总值增长"),
            "{:?}",
            source.text
        );
    }

    /// lopdf cannot map `GBK-EUC-H`; the reader must fall back to `pdftotext` (installed by
    /// `scripts/setup`), and without it say what is missing.
    #[test]
    fn gbk_cmap_fonts_fall_back_to_pdftotext() {
        let source = read(&chinese_pdf("全市地区生产总值增长4.3%", "GBK-EUC-H"), None).unwrap();
        assert!(
            source.text.contains("全市地区生产总值增长"),
            "{:?}",
            source.text
        );
    }

    #[test]
    fn a_pdf_without_text_is_a_scan() {
        assert_eq!(read(&pdf(None), None), Err(ReadError::NoTextLayer));
    }

    #[test]
    fn truncated_pdf_is_corrupt() {
        let bytes = pdf(Some("x"));
        let err = read(&bytes[..bytes.len() / 2], None).unwrap_err();
        assert!(
            matches!(
                err,
                ReadError::Corrupt {
                    format: Format::Pdf,
                    ..
                }
            ),
            "{err}"
        );
    }
}
