//! PDF: the text layer.
//!
//! lopdf reads the text of fonts that carry a `ToUnicode` map or a standard encoding. Chinese PDFs
//! often use predefined CMaps (`GBK-EUC-H`, `UniGB-UCS2-H`) that lopdf does not map; their text
//! comes out empty or as private-use and replacement characters. Then, and only then, the text is
//! taken from poppler's `pdftotext`, which knows those CMaps. A PDF whose text layer is empty under
//! both is a scan, and says so.

use std::time::{Duration, Instant};

use lopdf::{DecompressError, Document, Object};

use crate::{Budget, Format, ReadError, Source, limits};

/// What one object stream or cross-reference stream may decompress to while lopdf loads the
/// file: real ones hold a few hundred kilobytes.
const LOAD_STREAM_BYTES: usize = 8 * 1024 * 1024;

pub(crate) fn read(bytes: &[u8]) -> Result<Source, ReadError> {
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(LOAD_STREAM_BYTES),
        ..Default::default()
    };
    let mut doc = Document::load_mem_with_options(bytes, options).map_err(|e| match e {
        lopdf::Error::Decompress(DecompressError::MemoryLimitExceeded { .. }) => {
            stream_over_limit(LOAD_STREAM_BYTES)
        }
        e => ReadError::corrupt(Format::Pdf, e.to_string()),
    })?;
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    if pages.is_empty() {
        return Err(ReadError::corrupt(Format::Pdf, "no pages"));
    }
    if pages.len() > limits::PDF_PAGES {
        return Err(ReadError::OverLimit {
            what: "the number of pages",
            limit: format!("{} pages", crate::grouped(limits::PDF_PAGES)),
        });
    }
    unpack(&mut doc)?;
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
        match pdftotext(bytes)? {
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

fn stream_over_limit(limit: usize) -> ReadError {
    ReadError::OverLimit {
        what: "a stream of the PDF, decompressed,",
        limit: format!("{} MB", limit / 1024 / 1024),
    }
}

/// Decompresses, once and within the limits, every stream text can come from (page contents,
/// forms, fonts' Unicode maps), so that lopdf, whose text extraction decompresses without a
/// bound, finds them plain. Images and embedded font programs are left alone: no text is read
/// from them, and a scan's pages are large.
fn unpack(doc: &mut Document) -> Result<(), ReadError> {
    let mut budget = Budget::new();
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        let dict = &stream.dict;
        let subtype = dict.get(b"Subtype").and_then(Object::as_name).ok();
        let font_program = dict.has(b"Length1")
            || dict.has(b"Length2")
            || matches!(subtype, Some(b"Type1C" | b"CIDFontType0C" | b"OpenType"));
        if stream.filters().is_err() || subtype == Some(b"Image") || font_program {
            continue;
        }
        match stream.decompressed_content_with_limit(limits::PDF_STREAM_BYTES) {
            Ok(data) => {
                budget.spend(data.len() as u64)?;
                stream.set_plain_content(data);
            }
            Err(lopdf::Error::Decompress(DecompressError::MemoryLimitExceeded { .. })) => {
                return Err(stream_over_limit(limits::PDF_STREAM_BYTES));
            }
            // A stream that does not decode is left as it is: its page reads as empty, as it
            // would have without this step.
            Err(_) => {}
        }
    }
    Ok(())
}

/// Runs `pdftotext` on the bytes, given on its standard input (no temporary file to leave
/// behind); `Ok(None)` when it is not installed or fails. Killed after
/// [`limits::PDFTOTEXT_SECS`], and its output read no further than [`limits::TEXT_BYTES`].
fn pdftotext(bytes: &[u8]) -> Result<Option<String>, ReadError> {
    let mut command = std::process::Command::new("pdftotext");
    command.args(["-enc", "UTF-8", "-nopgbrk", "-", "-"]);
    run_bounded(command, bytes, Duration::from_secs(limits::PDFTOTEXT_SECS))
        .map(|out| out.and_then(|o| String::from_utf8(o).ok()))
}

/// Runs `command` with `input` on its standard input and returns its standard output, or
/// `Ok(None)` when it cannot be started or exits with an error. A command still running after
/// `timeout` is killed and refused as over the limit; so is output beyond
/// [`limits::TEXT_BYTES`].
fn run_bounded(
    mut command: std::process::Command,
    input: &[u8],
    timeout: Duration,
) -> Result<Option<Vec<u8>>, ReadError> {
    use std::io::{Read, Write};
    use std::process::Stdio;
    let Ok(mut child) = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        return Ok(None);
    };
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Ok(None);
    };
    let started = Instant::now();
    std::thread::scope(|scope| {
        // A writer and a reader of their own, so that neither pipe can fill and stall the other.
        scope.spawn(move || {
            let _ = stdin.write_all(input);
        });
        let reader = scope.spawn(move || {
            let mut stdout = stdout;
            let mut out = Vec::new();
            let _ = (&mut stdout)
                .take(limits::TEXT_BYTES as u64 + 1)
                .read_to_end(&mut out);
            // Past the limit, the rest is drained and dropped, so that the command is never
            // stalled on a full pipe and ends on its own.
            let _ = std::io::copy(&mut stdout, &mut std::io::sink());
            out
        });
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if started.elapsed() < timeout => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                Ok(None) | Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
            }
        };
        let out = reader.join().unwrap_or_default();
        match status {
            None => Err(ReadError::OverLimit {
                what: "the time pdftotext took on the PDF",
                limit: format!("{} s", timeout.as_secs_f64()),
            }),
            Some(_) if out.len() > limits::TEXT_BYTES => {
                crate::check_text_len(out.len()).map(|()| None)
            }
            Some(status) if status.success() => Ok(Some(out)),
            Some(_) => Ok(None),
        }
    })
}

#[cfg(test)]
mod tests {
    use lopdf::content::{Content, Operation};
    use lopdf::{Document, Object, Stream, dictionary};

    use crate::{Format, ReadError, limits, read};

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
        let source = super::read(&pdf(Some("GDP growth 4.3% in 2023"))).unwrap();
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

    #[test]
    fn an_english_pdf_is_not_chinese() {
        let err = read(&pdf(Some("GDP growth 4.3% in 2023")), None).unwrap_err();
        assert!(matches!(err, ReadError::NotChinese { .. }), "{err}");
    }

    #[test]
    fn a_deflate_bomb_is_refused_within_the_limit() {
        // 40 MB of zeros as the page's content stream, deflated to some 40 KB.
        let mut doc = Document::with_version("1.5");
        let font = dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Courier" };
        let bytes = one_page(&mut doc, font, show(Object::string_literal("x")));
        let mut doc = Document::load_mem(&bytes).unwrap();
        let mut bomb = Stream::new(dictionary! {}, vec![b' '; 40 * 1024 * 1024]);
        bomb.compress().unwrap();
        assert!(bomb.content.len() < 1024 * 1024);
        let bomb = doc.add_object(bomb);
        let page = *doc.get_pages().values().next().unwrap();
        doc.get_dictionary_mut(page)
            .unwrap()
            .set("Contents", Object::Reference(bomb));
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        let started = std::time::Instant::now();
        let err = read(&out, None).unwrap_err();
        assert!(matches!(err, ReadError::OverLimit { .. }), "{err}");
        assert!(err.to_string().contains("stream"), "{err}");
        assert!(started.elapsed().as_secs() < 10);
    }

    #[test]
    fn a_command_that_hangs_is_killed_at_its_time_limit() {
        let mut sleep = std::process::Command::new("sleep");
        sleep.arg("30");
        let started = std::time::Instant::now();
        let err =
            super::run_bounded(sleep, b"", std::time::Duration::from_millis(300)).unwrap_err();
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
        assert!(err.to_string().contains("0.3 s"), "{err}");
        // One that ends gives its output; one that fails, or is not installed, gives none.
        let cat = std::process::Command::new("cat");
        let long = super::run_bounded(cat, b"pdf", std::time::Duration::from_secs(5));
        assert_eq!(long.unwrap().as_deref(), Some(&b"pdf"[..]));
        let fails = std::process::Command::new("false");
        assert_eq!(
            super::run_bounded(fails, b"", std::time::Duration::from_secs(5)).unwrap(),
            None
        );
        let missing = std::process::Command::new("plantrack-no-such-command");
        assert_eq!(
            super::run_bounded(missing, b"", std::time::Duration::from_secs(5)).unwrap(),
            None
        );
    }

    #[test]
    fn output_beyond_the_text_limit_is_refused() {
        let mut yes = std::process::Command::new("head");
        yes.args(["-c", &(limits::TEXT_BYTES + 10).to_string(), "/dev/zero"]);
        let err = super::run_bounded(yes, b"", std::time::Duration::from_secs(20)).unwrap_err();
        assert!(err.to_string().contains("text"), "{err}");
    }
}
