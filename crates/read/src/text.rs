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
    decode(bytes).map(|(text, encoding, _)| (text, encoding))
}

/// [`decode_text`] with what it counted of the text.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, ReadError> {
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
    decode_owned(bytes).map(|(text, encoding, _)| (text, encoding))
}

/// [`decode_text_owned`] with what it counted of the text.
pub(crate) fn decode_owned(bytes: Vec<u8>) -> Result<Decoded, ReadError> {
    if encoding_rs::Encoding::for_bom(&bytes).is_some() || looks_binary(&bytes) {
        return decode(&bytes);
    }
    match utf8_census(&bytes) {
        Some(census) => {
            // SAFETY: `utf8_census` found every byte of `bytes` to be valid UTF-8.
            let text = unsafe { String::from_utf8_unchecked(bytes) };
            checked(text, "UTF-8", census)
        }
        None => decode(&bytes),
    }
}

/// What [`census`] counts of `bytes`, or `None` when they are not UTF-8: a long text is checked
/// and counted in two halves at once, each half in one pass over its bytes.
fn utf8_census(bytes: &[u8]) -> Option<Census> {
    // Checked with SIMD: the standard library's check steps through a Chinese text a byte at a
    // time, a tenth of the cost of reading a long text.
    let count = |part: &[u8]| simdutf8::basic::from_utf8(part).ok().map(census_of);
    if bytes.len() < LONG || !parallel() {
        return count(bytes);
    }
    // Cut before a byte that starts a character, the halves are valid exactly when the whole is.
    let (head, tail) = bytes.split_at(middle(bytes));
    let (a, b) = at_once(head, tail, count);
    Some(a?.add(b?))
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

fn check(text: String, encoding: &'static str) -> Result<Decoded, ReadError> {
    let census = census(&text);
    checked(text, encoding, census)
}

/// [`check`] with the text's characters already counted.
fn checked(text: String, encoding: &'static str, census: Census) -> Result<Decoded, ReadError> {
    if !census.visible {
        return Err(ReadError::Empty);
    }
    if census.non_ascii > 0 && census.chinese * 2 < census.non_ascii {
        return Err(ReadError::Undecodable { encoding });
    }
    Ok((text, encoding, census))
}

/// A decoded text, its encoding, and what one pass over it counted.
pub(crate) type Decoded = (String, &'static str, Census);

/// What one pass over a decoded text counts, for the checks that it was decoded right (most
/// non-ASCII characters are Chinese ones) and that it is written in Chinese (see
/// `check_chinese`). One pass, not one per check: reading a long text's characters twice cost a
/// fifth of its extraction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Census {
    /// Whether any character is not white space.
    pub visible: bool,
    pub non_ascii: usize,
    /// Non-ASCII characters of Chinese text: ideographs, CJK and full-width punctuation.
    pub chinese: usize,
    /// Ideographs.
    pub han: usize,
    /// Letters of any script, ideographs included.
    pub letters: usize,
}

/// Texts from this long are counted in two halves at once.
const LONG: usize = 1 << 20;

fn parallel() -> bool {
    std::thread::available_parallelism().map_or(1, |n| n.get()) >= 2
}

pub(crate) fn census(text: &str) -> Census {
    if text.len() < LONG || !parallel() {
        return census_of(text);
    }
    let (head, tail) = text.split_at(middle(text.as_bytes()));
    let (a, b) = at_once(head, tail, census_of);
    a.add(b)
}

/// The first byte from the middle of `bytes` on that starts a character (not 0x80–0xBF), or
/// the end: in a text, a character's boundary.
fn middle(bytes: &[u8]) -> usize {
    (bytes.len() / 2..bytes.len())
        .find(|&i| (bytes[i] as i8) >= -0x40)
        .unwrap_or(bytes.len())
}

/// `f` of two halves at once, the second on a helper thread.
fn at_once<P: Sync + ?Sized, T: Send>(head: &P, tail: &P, f: impl Fn(&P) -> T + Sync) -> (T, T) {
    plantrack_join::join(|| f(head), || f(tail))
}

impl Census {
    /// The counts of two parts of a text, for the whole.
    fn add(self, b: Census) -> Census {
        Census {
            visible: self.visible || b.visible,
            non_ascii: self.non_ascii + b.non_ascii,
            chinese: self.chinese + b.chinese,
            han: self.han + b.han,
            letters: self.letters + b.letters,
        }
    }
}

/// The census of `text`, sixteen bytes at a time where the processor has SSE2 (every x86-64
/// does): the main block of ideographs, the punctuation of Chinese text and ASCII letters are
/// counted by comparing bytes, and only the rarer characters are looked at one by one, as
/// [`census_of_chars`] looks at each. Measured on half the samples ×20 (3.7 MB): 4.0 ms a
/// character at a time, 1.9 ms so.
fn census_of(text: &str) -> Census {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of x86-64.
        unsafe { census_sse2(text) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    census_of_chars(text)
}

/// [`census_of`] on SSE2. Each byte is classed with the two bytes after it:
/// - a character's first byte is 0xC0–0xFF;
/// - the main block U+4E00–9FFF starts with 0xE5–0xE9, or 0xE4 then 0xB8–0xBF;
/// - Chinese punctuation that is no letter ([`PLAIN_PUNCTUATION`]) is E2 80 90–A7
///   (U+2010–2027), E3 80 80–84 or 88–A0 (U+3000–3004, U+3008–3020), EF BC 81–A0 or BB–BF
///   (U+FF01–FF20, U+FF3B–FF3F).
///
/// Counts are kept in byte lanes and added up every 255 steps, before a lane can overflow.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn census_sse2(text: &str) -> Census {
    use plantrack_bytes::sse2::{is, mask, three_at, within};
    use std::arch::x86_64::*;
    /// The sum of the byte lanes.
    #[inline]
    #[target_feature(enable = "sse2")]
    fn total(lanes: __m128i) -> usize {
        let s = _mm_sad_epu8(lanes, _mm_setzero_si128());
        (_mm_cvtsi128_si64(s) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(s, s))) as usize
    }
    const STEP: usize = 16;
    let b = text.as_bytes();
    let mut n = Census {
        visible: text.chars().any(|c| !c.is_whitespace()),
        ..Census::default()
    };
    // Characters not ASCII, those of them not of the main block, the plain punctuation among
    // those, and ASCII letters.
    let (mut leads, mut others, mut plain, mut ascii_letters) = (0, 0, 0, 0);
    let zero = _mm_setzero_si128();
    let (mut l_lead, mut l_other, mut l_plain, mut l_letter) = (zero, zero, zero, zero);
    let mut steps = 0;
    let mut k = 0;
    while let Some((x, x1, x2)) = three_at(b, k) {
        let lead = within(x, 0xC0, 0xFF);
        let main = _mm_or_si128(
            within(x, 0xE5, 0xE9),
            _mm_and_si128(is(x, 0xE4), within(x1, 0xB8, 0xBF)),
        );
        let other = _mm_andnot_si128(main, lead);
        let p0 = _mm_and_si128(
            _mm_and_si128(is(x, 0xE2), is(x1, 0x80)),
            within(x2, 0x90, 0xA7),
        );
        let p1 = _mm_and_si128(
            _mm_and_si128(is(x, 0xE3), is(x1, 0x80)),
            _mm_or_si128(within(x2, 0x80, 0x84), within(x2, 0x88, 0xA0)),
        );
        let p2 = _mm_and_si128(
            _mm_and_si128(is(x, 0xEF), is(x1, 0xBC)),
            _mm_or_si128(within(x2, 0x81, 0xA0), within(x2, 0xBB, 0xBF)),
        );
        let punctuation = _mm_or_si128(_mm_or_si128(p0, p1), p2);
        let letter = within(_mm_or_si128(x, _mm_set1_epi8(0x20)), b'a', b'z');
        // A lane of all ones is -1: subtracting it counts one.
        l_lead = _mm_sub_epi8(l_lead, lead);
        l_other = _mm_sub_epi8(l_other, other);
        l_plain = _mm_sub_epi8(l_plain, punctuation);
        l_letter = _mm_sub_epi8(l_letter, letter);
        steps += 1;
        if steps == 255 {
            leads += total(l_lead);
            others += total(l_other);
            plain += total(l_plain);
            ascii_letters += total(l_letter);
            (l_lead, l_other, l_plain, l_letter) = (zero, zero, zero, zero);
            steps = 0;
        }
        // The rarer characters, one by one.
        let mut rare = mask(_mm_andnot_si128(punctuation, other));
        while rare != 0 {
            let j = rare.trailing_zeros() as usize;
            rare &= rare - 1;
            // `k + j` is a character's first byte.
            if let Some(c) = text.get(k + j..).and_then(|s| s.chars().next()) {
                count_other(&mut n, c);
            }
        }
        k += STEP;
    }
    leads += total(l_lead);
    others += total(l_other);
    plain += total(l_plain);
    ascii_letters += total(l_letter);
    // The last bytes, from the first character starting in them.
    let rest = (k..b.len())
        .find(|&i| text.is_char_boundary(i))
        .map_or(Census::default(), |i| census_of_chars(&text[i..]));
    let main = leads - others;
    Census {
        visible: n.visible,
        non_ascii: leads + rest.non_ascii,
        chinese: n.chinese + main + plain + rest.chinese,
        han: n.han + main + rest.han,
        letters: n.letters + main + ascii_letters + rest.letters,
    }
}

/// The census of `text` a character at a time: the definition [`census_of`] follows.
fn census_of_chars(text: &str) -> Census {
    let mut n = Census::default();
    for c in text.chars() {
        if c.is_ascii() {
            n.letters += usize::from(c.is_ascii_alphabetic());
            // As `str::trim` has it: a vertical tab is white space too.
            n.visible |= !c.is_whitespace();
            continue;
        }
        n.non_ascii += 1;
        n.visible = n.visible || !c.is_whitespace();
        // The main block of ideographs first: most characters of a Chinese text.
        if (0x4E00..=0x9FFF).contains(&(c as u32)) {
            n.chinese += 1;
            n.han += 1;
            n.letters += 1;
            continue;
        }
        count_other(&mut n, c);
    }
    n
}

/// Counts a character outside ASCII and the main block of ideographs (but for `non_ascii` and
/// `visible`, which the caller counts).
fn count_other(n: &mut Census, c: char) {
    let u = c as u32;
    n.chinese += usize::from(is_chinese_text_char(c));
    let letter = match u {
        0x3400..=0x4DBF => true,
        _ if no_letters(u) => false,
        _ => c.is_alphabetic(),
    };
    if letter {
        n.letters += 1;
        n.han += usize::from(is_han(c));
    }
}

/// The punctuation [`census_sse2`] counts by its bytes: Chinese text (see
/// [`is_chinese_text_char`]), no letter and no ideograph.
#[cfg(test)]
const PLAIN_PUNCTUATION: [std::ops::RangeInclusive<u32>; 5] = [
    0x2010..=0x2027,
    0x3000..=0x3004,
    0x3008..=0x3020,
    0xFF01..=0xFF20,
    0xFF3B..=0xFF3F,
];

/// Blocks of the punctuation Chinese text uses that hold no letter, so that its commas and
/// brackets need not be looked up in the Unicode tables (which cost a twentieth of the
/// extraction).
fn no_letters(u: u32) -> bool {
    matches!(u,
        0x2000..=0x206F | 0x3000..=0x3004 | 0x3008..=0x3020 | 0xFF01..=0xFF20 | 0xFF3B..=0xFF40
        | 0xFF5B..=0xFF65 | 0xFFE0..=0xFFEE | 0x2460..=0x24B5 | 0x00A0..=0x00A9 | 0x00AB..=0x00B4
        | 0x00B6..=0x00B9 | 0x00BB..=0x00BF | 0x00D7 | 0x00F7)
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

    #[test]
    fn the_blocks_taken_as_holding_no_letter_hold_none() {
        for u in 0..=0x10FFFFu32 {
            if let Some(c) = char::from_u32(u)
                && no_letters(u)
            {
                assert!(!c.is_alphabetic(), "{c:?} (U+{u:04X}) is a letter");
            }
        }
    }

    #[test]
    fn one_pass_counts_what_each_check_counted() {
        // The definitions the census replaced, one pass each.
        fn reference(text: &str) -> Census {
            let mut n = Census {
                visible: !text.trim().is_empty(),
                ..Census::default()
            };
            for c in text.chars().filter(|c| !c.is_ascii()) {
                n.non_ascii += 1;
                n.chinese += usize::from(is_chinese_text_char(c));
            }
            for c in text.chars().filter(|c| c.is_alphabetic()) {
                n.letters += 1;
                n.han += usize::from(is_han(c));
            }
            n
        }
        let texts = [
            "",
            " \n\u{3000}\t",
            "\u{b}\u{c}\r\n",
            SAMPLE,
            "GDP增长5%，5G基站1.2万个；A321、Ⅲ期、①②、ＧＤＰ４．５％、々〇〡、µªº·×÷ £、𠀀𪚥",
            "été à Paris — «citoyens» № 5",
            "ｶﾀｶﾅ、ひらがな、カタカナ、한국어",
        ];
        for t in texts {
            assert_eq!(census(t), reference(t), "{t:?}");
        }
        // Long enough to be counted in two halves, one of them blank.
        let long = format!("{}{}", texts[3].repeat(20_000), " ".repeat(1 << 20));
        assert_eq!(census(&long), reference(&long));
    }

    #[test]
    fn the_bytes_counted_as_plain_punctuation_are_chinese_and_no_letter() {
        for u in PLAIN_PUNCTUATION.into_iter().flatten() {
            let c = char::from_u32(u).unwrap();
            assert!(
                is_chinese_text_char(c) && !c.is_alphabetic() && !is_han(c),
                "U+{u:04X}"
            );
        }
    }

    #[test]
    fn the_census_by_bytes_is_the_census_by_characters() {
        // Every character of the Basic Multilingual Plane and a few beyond, each where the
        // sixteen-byte steps read it whole and where the last bytes are read one by one, with
        // the bytes that follow it in each lane: the E4 before B8–BF, E3 80, EF BC, E2 80 and
        // their neighbours cut at every offset.
        let chars: Vec<char> = (0..=0xFFFFu32)
            .chain([0x10000, 0x1F600, 0x20000, 0x2A6A5, 0x2FA1D, 0x10FFFF])
            .filter_map(char::from_u32)
            .collect();
        for group in chars.chunks(61) {
            let mut text: String = group.iter().collect();
            for pad in 0..3 {
                assert_eq!(census_of(&text), census_of_chars(&text), "{group:?} {pad}");
                text.insert(0, 'a');
            }
        }
        for pad in 0..20 {
            let t = format!("{}{SAMPLE}一丁㐀䷀〇ⅰ①𠀀é ，Ａｂ", " ".repeat(pad));
            assert_eq!(census_of(&t), census_of_chars(&t), "{t:?}");
            // Long enough for the lanes to be added up on the way.
            let long = t.repeat(300);
            assert_eq!(census_of(&long), census_of_chars(&long));
        }
    }

    #[test]
    fn the_census_by_bytes_is_the_census_by_characters_on_random_texts() {
        // Characters drawn from the blocks whose bytes the census compares and their
        // neighbours, in random order and length (a fixed seed: the same texts every run).
        let palette: Vec<char> =
            "a Z9\t\n，、。（）“”—《》〇々〡①Ⅲ·é中一丁丂䷀㐀㑀䶿ｶＡａ０　\u{feff}\u{200b}𠀀😀"
                .chars()
                .chain((0x4D80..0x4E40).filter_map(char::from_u32))
                .chain((0x2000..0x2040).filter_map(char::from_u32))
                .chain((0x3000..0x3040).filter_map(char::from_u32))
                .chain((0xFF00..0xFF40).filter_map(char::from_u32))
                .collect();
        // Knuth's MMIX linear congruential generator, its high bits taken.
        let mut state = 1u64;
        let mut draw = |below: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % below
        };
        for _ in 0..2_000 {
            let len = draw(300);
            let text: String = (0..len).map(|_| palette[draw(palette.len())]).collect();
            assert_eq!(census_of(&text), census_of_chars(&text), "{text:?}");
        }
    }

    #[test]
    fn utf8_is_checked_and_counted_in_halves_as_whole() {
        // Long enough for halves; over the pads the middle falls on every byte of the 11-byte
        // repeat, so the cut steps over none, one and two continuation bytes.
        for pad in 0..11 {
            let text = format!("{}{}", "a".repeat(pad), "增长5%，".repeat(100_000));
            assert!(text.len() >= LONG);
            assert_eq!(utf8_census(text.as_bytes()), Some(census(&text)), "{pad}");
            // A bad byte anywhere, or a character cut at the end, is not UTF-8.
            for at in [
                0,
                text.len() / 2 - 1,
                text.len() / 2,
                text.len() / 2 + 1,
                text.len() - 1,
            ] {
                let mut bytes = text.clone().into_bytes();
                bytes[at] = 0xFF;
                assert_eq!(utf8_census(&bytes), None, "{pad} {at}");
            }
            let cut = &text.as_bytes()[..text.len() - 1];
            assert_eq!(utf8_census(cut), None);
            // Read whole, it is the same text.
            let (read, encoding, counted) = decode_owned(text.clone().into_bytes()).unwrap();
            assert_eq!((read.as_str(), encoding), (text.as_str(), "UTF-8"));
            assert_eq!(counted, census(&text));
        }
    }
}
