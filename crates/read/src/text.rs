//! Plain text: finding the encoding.

use crate::ReadError;

/// What the encoding is guessed from: the text up to a line break past 64 KiB, once that holds
/// enough non-ASCII bytes to tell (a long page head of ASCII is read further). The guess is then
/// checked by decoding everything. (Feeding a whole 200 KB page to `chardetng` took 85 % of its
/// extraction.) A line break is never the second byte of a GBK, Big5 or Shift_JIS character, so
/// the cut splits none.
fn sample(bytes: &[u8]) -> &[u8] {
    const ENOUGH: usize = 64 * 1024;
    const NON_ASCII: usize = 8 * 1024;
    let mut non_ascii = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x80 {
            non_ascii += 1;
        } else if b == b'\n' && i >= ENOUGH && non_ascii >= NON_ASCII {
            return &bytes[..=i];
        }
    }
    bytes
}

/// Decodes text bytes, detecting the encoding rather than assuming it.
///
/// Order: a byte-order mark wins; then valid UTF-8; then `chardetng` with the `cn` top-level-domain
/// hint, which favours GBK/GB18030 for Chinese bytes. The result must look like Chinese text: when
/// most non-ASCII characters decode to something other than CJK ideographs and punctuation, the
/// guess was wrong and the file is refused rather than read as mojibake.
pub fn decode_text(bytes: &[u8]) -> Result<(String, &'static str), ReadError> {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(ReadError::Undecodable {
                encoding: encoding.name(),
            });
        }
        return check(text.into_owned(), encoding.name());
    }
    if looks_binary(bytes) {
        return Err(ReadError::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return check(text.to_owned(), "UTF-8");
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(sample(bytes), true);
    let encoding = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    // GBK is a subset of GB18030; decoding with the superset loses nothing and reads the four-byte
    // sequences GBK lacks.
    let encoding = if encoding == encoding_rs::GBK {
        encoding_rs::GB18030
    } else {
        encoding
    };
    let (text, _, had_errors) = encoding.decode(bytes);
    if had_errors || (encoding == encoding_rs::GB18030 && !common_hanzi(bytes)) {
        return Err(ReadError::Undecodable {
            encoding: encoding.name(),
        });
    }
    check(text.into_owned(), encoding.name())
}

/// [`decode_text`] taking the bytes: valid UTF-8 (the usual case) becomes the text without a copy.
pub fn decode_text_owned(bytes: Vec<u8>) -> Result<(String, &'static str), ReadError> {
    if encoding_rs::Encoding::for_bom(&bytes).is_some() || looks_binary(&bytes) {
        return decode_text(&bytes);
    }
    match String::from_utf8(bytes) {
        Ok(text) => check(text, "UTF-8"),
        Err(e) => decode_text(e.as_bytes()),
    }
}

/// Whether bytes read as GB18030 are Chinese rather than another language's bytes that happen to
/// decode: GB2312's 6,763 characters (first bytes 0xB0–0xF7, second 0xA1–0xFE) cover all but a
/// few in ten thousand characters of modern Chinese text, while Latin-1 (`é` then an ASCII letter)
/// and Shift_JIS (kana under 0x82/0x83, common kanji under 0x88–0x9F) land mostly in GBK's rarer
/// rows. A share, not a test of each pair: a real document may hold a rare name or two.
fn common_hanzi(bytes: &[u8]) -> bool {
    let (mut common, mut other) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        let Some(&next) = bytes.get(i + 1) else {
            break;
        };
        if (0x30..=0x39).contains(&next) {
            // A four-byte sequence: characters outside GBK.
            other += 1;
            i += 4;
            continue;
        }
        match (b, next) {
            (0xB0..=0xF7, 0xA1..=0xFE) => common += 1,
            // GB2312's punctuation and symbols: Chinese, but telling nothing either way.
            (0xA1..=0xA9, 0xA1..=0xFE) => {}
            _ => other += 1,
        }
        i += 2;
    }
    common >= other * 4
}

/// NUL bytes and C0 controls other than tab, newline, carriage return and form feed do not occur
/// in text of any encoding we read (UTF-16 is only accepted with its BOM).
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    head.contains(&0) || controls * 100 > head.len()
}

fn check(text: String, encoding: &'static str) -> Result<(String, &'static str), ReadError> {
    if text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    let (mut non_ascii, mut chinese) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_ascii()) {
        non_ascii += 1;
        if is_chinese_text_char(c) {
            chinese += 1;
        }
    }
    if non_ascii > 0 && chinese * 2 < non_ascii {
        return Err(ReadError::Undecodable { encoding });
    }
    Ok((text, encoding))
}

/// A CJK ideograph (a Chinese character).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// CJK ideographs, CJK and full-width punctuation, and the typographic quotes and dashes Chinese
/// text uses.
fn is_chinese_text_char(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF
        | 0x2010..=0x2027 | 0x2160..=0x217F | 0x00B7 | 0x2460..=0x24FF | 0x3200..=0x33FF
        | 0x20000..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "全市地区生产总值增长4.3%，规上工业增加值增长3.7%。\n";

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            decode_text(SAMPLE.as_bytes()).unwrap(),
            (SAMPLE.into(), "UTF-8")
        );
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(SAMPLE.as_bytes());
        assert_eq!(decode_text(&bom).unwrap(), (SAMPLE.into(), "UTF-8"));
    }

    #[test]
    fn gb18030_is_detected() {
        let text = SAMPLE.repeat(4);
        let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
        let (decoded, encoding) = decode_text(&bytes).unwrap();
        assert_eq!(decoded, text);
        assert_eq!(encoding, "gb18030");
    }

    #[test]
    fn a_long_gb18030_text_is_guessed_from_its_start_and_read_whole() {
        // A page head of ASCII, then far more than the sample the guess is made from; the last
        // line has a four-byte GB18030 character (𠀀) that GBK lacks.
        let text = format!(
            "{}{}最后一行𠀀。\n",
            "<meta name=\"x\" content=\"y\">\n".repeat(3000),
            SAMPLE.repeat(4000)
        );
        let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
        assert!(bytes.len() > 4 * 64 * 1024);
        assert!(sample(&bytes).len() < bytes.len());
        assert_eq!(sample(&bytes).last(), Some(&b'\n'));
        let (decoded, encoding) = decode_text(&bytes).unwrap();
        assert_eq!(encoding, "gb18030");
        assert_eq!(decoded, text);
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in SAMPLE.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_text(&bytes).unwrap(), (SAMPLE.into(), "UTF-16LE"));
    }

    #[test]
    fn binary_is_refused() {
        assert_eq!(
            decode_text(b"\x7fELF\x02\x01\x01\0\0\0"),
            Err(ReadError::Binary)
        );
    }

    #[test]
    fn latin_mojibake_is_refused() {
        // Shift_JIS-looking or Latin-1 text decodes, but not to Chinese.
        let bytes = "Ã©tÃ© Ã  Paris, trÃ¨s chaud".as_bytes();
        assert!(decode_text(bytes).is_err());
    }

    #[test]
    fn latin1_and_shift_jis_are_not_read_as_gb18030() {
        let french = "Rapport sur l'exécution du plan: la croissance économique a été élevée, \
            les dépenses publiques ont augmenté, l'année prochaine sera différente. Été, hiver, \
            forêt, élève, numéro, créé, déjà, réalisé, préfecture, présidé";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(french);
        assert!(decode_text(&bytes).is_err(), "{:?}", decode_text(&bytes));
        let japanese = "政府は今年の経済成長率の目標を５％前後とし、物価の安定を図る。\
            地方創生の取り組みを進め、デジタル化を推進する。国民生活の向上を目指す。";
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(japanese);
        assert!(decode_text(&bytes).is_err(), "{:?}", decode_text(&bytes));
        // The trap: Chinese with a rare character or two (a person's, a place's name) in GBK.
        let chinese = format!("{}堃、喆、琍、浛、嬛，", SAMPLE.repeat(3));
        let (bytes, _, _) = encoding_rs::GBK.encode(&chinese);
        assert_eq!(decode_text(&bytes).unwrap().0, chinese);
    }

    #[test]
    fn ascii_is_fine() {
        assert_eq!(decode_text(b"GDP 4.3%").unwrap().1, "UTF-8");
    }

    #[test]
    fn taking_the_bytes_decodes_as_borrowing_them() {
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(SAMPLE.as_bytes());
        let text = SAMPLE.repeat(4);
        let (gb, _, _) = encoding_rs::GB18030.encode(&text);
        let cases: Vec<Vec<u8>> = vec![
            SAMPLE.as_bytes().to_vec(),
            bom,
            gb.into_owned(),
            b"\x7fELF\x02\x01\x01\0\0\0".to_vec(),
            "Ã©tÃ© Ã  Paris".as_bytes().to_vec(),
        ];
        for bytes in cases {
            assert_eq!(decode_text_owned(bytes.clone()), decode_text(&bytes));
        }
    }
}
