//! Numbers with their units, and the numbers that are not quantities.
//!
//! A *number token* is one of:
//!
//! | form | example | value, unit |
//! |---|---|---|
//! | Arabic with scale and unit | `2218万标准箱`, `1.1万家`, `5338亿元` | 2218, 万标准箱 |
//! | percentage | `4.3%`, `百分之五` | 4.3, % |
//! | percentage points | `4.5个百分点` | 4.5, 个百分点 |
//! | range | `6.5%－7%`, `4.5%—5%`, `550万—600万亩` | 6.5, upper 7 |
//! | Chinese numeral with a scale or a unit | `一千二百万人`, `两千家`, `三个百分点` | 1200, 万人 |
//! | approximate count | `1200余家`, `超千家` | 1200, 家 (more than) |
//!
//! The unit is required: a bare number is a list marker, a name or an ordinal, never a quantity
//! here. Units are read longest first from the lexicon's `unit` and `count_unit` words, with an optional scale word (`万`, `亿`,
//! `千`, `百万`, `千万`) before them; the value and unit are kept as written, and
//! [`Token::normalized`] multiplies the scale out (35.69万人 → 356900 人).
//!
//! Traps — numbers inside names, ordinals and dates — are refused here, each with a unit test:
//! `第七届` (after 第), `十四五`, `二十大`, `三大商圈`, `一基地三区` (Chinese numerals without a
//! scale or unit), `11号线`, `75周年`, `3.0版`, `2023年`, `6月底` (no unit follows), `5G`, `PM2.5`, `A321` (touching Latin letters), `12345热线` (no unit), `1+3+4`
//! (a formula of names).

use crate::lexicon::{Kind, Lexicon};

/// Scale words before a unit, with their factor. `百万` and `千万` before `万`; `万亿` before `亿`.
const SCALES: &[(&str, f64)] = &[
    ("百万", 1e6),
    ("千万", 1e7),
    ("万亿", 1e12),
    ("万", 1e4),
    ("亿", 1e8),
    ("千", 1e3),
];

/// A unit as written split into its scale factor and the unit without it: `万亩` → (10⁴, `亩`),
/// `亿元` → (10⁸, `元`), `%` → (1, `%`); a bare scale word (`万`) is the scale of nothing.
pub(crate) fn split_scale(unit: &str) -> (f64, &str) {
    SCALES
        .iter()
        .find_map(|(w, f)| unit.strip_prefix(w).map(|rest| (*f, rest)))
        .unwrap_or((1.0, unit))
}

/// A number read from text, with its unit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    /// Byte range of the whole token (number, scale, unit) in the text scanned.
    pub start: usize,
    pub end: usize,
    pub value: f64,
    pub upper: Option<f64>,
    /// The unit as written, scale included: `万人`, `亿元`, `%`.
    pub unit: String,
    /// The scale factor written before the unit (1 when none).
    pub scale: f64,
    /// The unit without its scale: `人`, `元`.
    pub base_unit: String,
    /// `余`, `多`, `超`: the count is more than the value.
    pub more_than: bool,
    /// The unit counts things (a classifier of the lexicon's `count_unit`): a noun after it
    /// names what is counted.
    pub counted: bool,
}

impl Token {
    pub fn normalized(&self) -> f64 {
        let v = self.value * self.scale;
        // Round away binary noise: 35.69 × 10⁴ is 356899.99999999994 in floating point.
        (v * 1e6).round() / 1e6
    }

    pub fn is_percent(&self) -> bool {
        self.base_unit == "%" || self.base_unit == "‰"
    }

    pub fn is_points(&self) -> bool {
        self.base_unit.ends_with("百分点")
    }

    /// `翻两番`, `3倍`: a multiple of a base, not an amount.
    pub fn is_multiple(&self) -> bool {
        self.base_unit == "番" || self.base_unit == "倍"
    }

    pub fn is_count(&self) -> bool {
        self.counted
    }
}

fn is_cn_numeral(c: char) -> bool {
    matches!(
        c,
        '零' | '〇'
            | '一'
            | '二'
            | '两'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
            | '万'
            | '亿'
    )
}

fn cn_digit(c: char) -> Option<f64> {
    Some(match c {
        '零' | '〇' => 0.0,
        '一' => 1.0,
        '二' | '两' => 2.0,
        '三' => 3.0,
        '四' => 4.0,
        '五' => 5.0,
        '六' => 6.0,
        '七' => 7.0,
        '八' => 8.0,
        '九' => 9.0,
        _ => return None,
    })
}

/// The value of a Chinese numeral with scales: `一千二百万` → 12000000, `两千` → 2000.
pub(crate) fn chinese_value(s: &str) -> Option<f64> {
    let (mut total, mut section, mut digit) = (0.0f64, 0.0f64, 0.0f64);
    let mut any = false;
    for c in s.chars() {
        any = true;
        if let Some(d) = cn_digit(c) {
            digit = d;
            continue;
        }
        let unit = match c {
            '十' => 10.0,
            '百' => 100.0,
            '千' => 1000.0,
            '万' => 1e4,
            '亿' => 1e8,
            _ => return None,
        };
        if unit >= 1e4 {
            section = (section + digit) * unit;
            total += section;
            section = 0.0;
        } else {
            section += if digit == 0.0 { 1.0 } else { digit } * unit;
        }
        digit = 0.0;
    }
    any.then_some(total + section + digit)
}

/// The decimals of a Chinese numeral, when `点` and digits follow at `i` (`三点五` → 0.5 at the
/// `点`), with where they end.
fn chinese_decimals(s: &str, i: usize) -> Option<(f64, usize)> {
    let rest = s[i..].strip_prefix('点')?;
    let mut fraction = 0.0;
    let mut place = 0.1;
    let mut end = i + '点'.len_utf8();
    for c in rest.chars() {
        let Some(d) = cn_digit(c) else { break };
        fraction += d * place;
        place /= 10.0;
        end += c.len_utf8();
    }
    // Round away binary noise: 0.2 + 0.05 is not 0.25 in floating point.
    let fraction = (fraction * 1e9).round() / 1e9;
    (end > i + '点'.len_utf8()).then_some((fraction, end))
}

/// Reads an Arabic number (digits, optional decimals, `,` thousands separators) at `i`.
fn arabic(s: &str, i: usize) -> Option<(f64, usize)> {
    let b = s.as_bytes();
    let mut j = i;
    let mut text = String::new();
    while j < b.len() {
        let c = b[j];
        if c.is_ascii_digit() {
            text.push(c as char);
            j += 1;
        } else if c == b'.' && j + 1 < b.len() && b[j + 1].is_ascii_digit() && !text.contains('.') {
            text.push('.');
            j += 1;
        } else if c == b','
            && j + 3 < b.len()
            && b[j + 1..j + 4].iter().all(u8::is_ascii_digit)
            && !text.is_empty()
        {
            j += 1;
        } else {
            break;
        }
    }
    if text.is_empty() {
        return None;
    }
    text.parse().ok().map(|v| (v, j))
}

/// Reads scale and unit at `i`: returns (unit as written, scale, base unit, end).
fn unit_at<'a>(lex: &Lexicon, s: &'a str, i: usize) -> Option<Unit<'a>> {
    let rest = &s[i..];
    let (scale_word, factor) = SCALES
        .iter()
        .find(|(w, _)| rest.starts_with(w))
        .map_or(("", 1.0), |&(w, f)| (w, f));
    let after = &rest[scale_word.len()..];
    // `减少1000万以上`, `1000多万，`: a scale with nothing measured after it counts what the
    // subject names (people, households); the scale is the unit as written.
    if matches!(scale_word, "万" | "亿")
        && (after.is_empty()
            || after.starts_with(['，', '。', '；', '、', ',', ';'])
            || ["以上", "左右", "以内", "以下"]
                .iter()
                .any(|w| after.starts_with(w)))
    {
        return Some(Unit {
            written: &rest[..scale_word.len()],
            scale: factor,
            base: "",
            end: i + scale_word.len(),
            counted: false,
        });
    }
    let first = after.chars().next()?;
    // The longest unit written wins, whichever list it is in (`个百分点` before `个`).
    let measure = lex
        .list(Kind::Unit)
        .starting_with(first)
        .find(|u| after.starts_with(u));
    let count = lex
        .list(Kind::CountUnit)
        .starting_with(first)
        .find(|u| after.starts_with(u));
    let (u, counted) = match (measure, count) {
        (Some(m), Some(c)) if c.len() > m.len() => (c, true),
        (Some(m), _) => (m, false),
        (None, Some(c)) => (c, true),
        (None, None) => return None,
    };
    let end = i + scale_word.len() + u.len();
    Some(Unit {
        written: &s[i..end],
        scale: factor,
        base: &after[..u.len()],
        end,
        counted,
    })
}

/// A unit read after a number: as written (scale included), its scale, the unit without it,
/// where it ends, and whether it counts things; both names are slices of the sentence, so that
/// the lookups of a range's bound and of `余`/`多` allocate nothing.
struct Unit<'a> {
    written: &'a str,
    scale: f64,
    base: &'a str,
    end: usize,
    counted: bool,
}

fn prev_char(s: &str, i: usize) -> Option<char> {
    s[..i].chars().next_back()
}

fn next_char(s: &str, i: usize) -> Option<char> {
    s[i..].chars().next()
}

/// Whether the number at `start..end` is part of a name, an ordinal or a formula.
fn trapped(s: &str, start: usize, end: usize) -> bool {
    let before = prev_char(s, start);
    // `第七届`, `PM2.5`, `A321`, `G20`, `1+3+4`, `-12345`.
    if matches!(before, Some(c) if c == '第' || c.is_ascii_alphabetic() || c == '+' || c == '-' || c == '.' || c == '/')
    {
        return true;
    }
    // `5G`, `1+3+4`, `3.0版`, `11号线`, `75周年`, `2023年`.
    let after = &s[end..];
    if after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '+' || c == '.' || c == '·') {
        return true;
    }
    false
}

/// Finds the number tokens of `s`, in order.
pub(crate) fn tokens(lex: &Lexicon, s: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    let bytes = s.as_bytes();
    while i < s.len() {
        // Fast path: only ASCII digits and ideographs (three-byte sequences) can start a number.
        let lead = bytes[i];
        if lead < 0x80 && !lead.is_ascii_digit() {
            i += 1;
            continue;
        }
        if (0x80..0xE0).contains(&lead) {
            i += if lead >= 0xC0 { 2 } else { 1 };
            continue;
        }
        let c = match next_char(s, i) {
            Some(c) => c,
            None => break,
        };
        if c.is_ascii_digit() {
            let (value, num_end) = arabic(s, i).unwrap_or((0.0, i + 1));
            if let Some(t) = finish(lex, s, i, value, num_end, false) {
                i = t.end;
                out.push(t);
            } else {
                i = skip_digits(s, num_end);
            }
            continue;
        }
        // `翻一番`, `翻两番`: a doubling, counted in 番.
        if c == '翻'
            && let Some((n, v)) = [("一番", 1.0), ("两番", 2.0), ("三番", 3.0)]
                .iter()
                .find(|(w, _)| s[i + c.len_utf8()..].starts_with(w))
        {
            let start = i + c.len_utf8();
            let end = start + n.len();
            out.push(Token {
                start,
                end,
                value: *v,
                upper: None,
                unit: "番".into(),
                scale: 1.0,
                base_unit: "番".into(),
                more_than: false,
                counted: false,
            });
            i = end;
            continue;
        }
        // `百分之五`, `百分之五点二`.
        if c == '百' && s[i..].starts_with("百分之") {
            let from = i + "百分之".len();
            let run: String = s[from..]
                .chars()
                .take_while(|&c| is_cn_numeral(c))
                .collect();
            if let Some(mut v) = chinese_value(&run) {
                let mut end = from + run.len();
                if let Some((fraction, e)) = chinese_decimals(s, end) {
                    v += fraction;
                    end = e;
                }
                // `百分之八至九`, `百分之八至百分之九`: a range.
                let mut upper = None;
                if let Some(d) = ["至", "到", "－", "—"]
                    .iter()
                    .find(|d| s[end..].starts_with(**d))
                {
                    let k = end + d.len();
                    let k = if s[k..].starts_with("百分之") {
                        k + "百分之".len()
                    } else {
                        k
                    };
                    let run: String = s[k..].chars().take_while(|&c| is_cn_numeral(c)).collect();
                    if let Some(u) = chinese_value(&run).filter(|u| *u > v) {
                        upper = Some(u);
                        end = k + run.len();
                    }
                }
                out.push(Token {
                    start: i,
                    end,
                    value: v,
                    upper,
                    unit: "%".into(),
                    scale: 1.0,
                    base_unit: "%".into(),
                    more_than: false,
                    counted: false,
                });
                i = end;
                continue;
            }
        }
        if is_cn_numeral(c) && c != '万' && c != '亿' {
            let run_len: usize = s[i..]
                .chars()
                .take_while(|&c| is_cn_numeral(c))
                .map(char::len_utf8)
                .sum();
            let run = &s[i..i + run_len];
            let run_end = i + run_len;
            // Only numerals with a magnitude word are amounts (`一千二百万`, `两千`); the rest are
            // names and slogans (`十四五`, `三大`, `一基地三区`, `二十届二中全会`) unless a
            // percentage-point unit follows (`三个百分点`).
            let has_magnitude = run.contains(['百', '千', '万', '亿']) && run.chars().count() >= 2;
            // `三点五万人`, `零点五个百分点`, `五点二公里`: a decimal is an amount when a unit
            // follows it.
            if let Some((fraction, decimals_end)) = chinese_decimals(s, run_end)
                && prev_char(s, i) != Some('第')
                && let Some(v) = chinese_value(run)
            {
                if let Some(t) = finish(lex, s, i, v + fraction, decimals_end, true) {
                    i = t.end;
                    out.push(t);
                } else {
                    i = decimals_end;
                }
                continue;
            }
            let points = s[run_end..].starts_with("个百分点");
            if (has_magnitude || points) && prev_char(s, i) != Some('第') {
                // Split a trailing 万/亿 off as the scale so the unit reads `万人`.
                let (num, scale_len) = match run.chars().next_back() {
                    Some(last @ ('万' | '亿')) if run.chars().count() > 1 => {
                        (&run[..run.len() - last.len_utf8()], last.len_utf8())
                    }
                    _ => (run, 0),
                };
                if let Some(v) = chinese_value(num)
                    && let Some(t) = finish(lex, s, i, v, run_end - scale_len, true)
                {
                    i = t.end;
                    out.push(t);
                    continue;
                }
            }
            i = run_end;
            continue;
        }
        i += c.len_utf8();
    }
    out
}

fn skip_digits(s: &str, mut i: usize) -> usize {
    let b = s.as_bytes();
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
        i += 1;
    }
    i.max(1).min(s.len())
}

/// Completes a token from its number: range, `余`, scale and unit, and the trap checks.
fn finish(
    lex: &Lexicon,
    s: &str,
    start: usize,
    value: f64,
    num_end: usize,
    chinese: bool,
) -> Option<Token> {
    if !chinese && trapped(s, start, num_end) {
        return None;
    }
    let mut j = num_end;
    let mut more_than = false;
    // `1200余家`, `300多项`.
    for w in ["余", "多"] {
        if s[j..].starts_with(w) && unit_at(lex, s, j + w.len()).is_some() {
            more_than = true;
            j += w.len();
        }
    }
    // A range shares the unit of its upper bound: `6.5%－7%`, `550—600万亩`.
    let mut upper = None;
    let range_from = unit_at(lex, s, j).map_or(j, |u| u.end);
    if let Some(dash) = ["－", "—", "–", "-", "~", "～", "至"]
        .iter()
        .find(|d| s[range_from..].starts_with(**d))
    {
        let k = range_from + dash.len();
        let k = if s[k..].starts_with('—') {
            k + '—'.len_utf8()
        } else {
            k
        };
        if let Some((u, uend)) = arabic(s, k)
            && unit_at(lex, s, uend).is_some()
        {
            upper = Some(u);
            j = uend;
        }
    }
    if lex.list(Kind::NotUnit).prefix_of(&s[j..]).is_some() {
        return None;
    }
    // `提高到11.3年`: a year with a fraction is a duration, never a date.
    if s[start..num_end].contains('.') && s[j..].starts_with('年') {
        return Some(Token {
            start,
            end: j + '年'.len_utf8(),
            value,
            upper,
            unit: "年".into(),
            scale: 1.0,
            base_unit: "年".into(),
            more_than,
            counted: false,
        });
    }
    let Unit {
        written: unit,
        scale,
        base: base_unit,
        end,
        counted,
    } = unit_at(lex, s, j)?;
    // `1小时鲜活农产品物流圈`, `15分钟生活圈`, `3岁以下婴幼儿`: a duration or an age that
    // qualifies the noun after it names a kind of thing; it measures nothing.
    if ["小时", "分钟", "岁"].contains(&base_unit) {
        let rest = &s[end..];
        let bracket = ["以下", "以上"].iter().find_map(|w| rest.strip_prefix(w));
        let qualified = match bracket {
            Some(after) => after.starts_with(crate::normalize::is_ideograph),
            None => {
                rest.starts_with(crate::normalize::is_ideograph)
                    && !["左右", "以内", "内"].iter().any(|w| rest.starts_with(w))
            }
        };
        if qualified {
            return None;
        }
    }
    // `2023天津…`: a day count is followed by punctuation or a qualifier, not by more of a word.
    if base_unit == "天" {
        let rest = &s[end..];
        let word_goes_on = rest
            .chars()
            .next()
            .is_some_and(crate::normalize::is_ideograph)
            && !["以上", "以内", "左右", "以下", "内", "之内"]
                .iter()
                .any(|w| rest.starts_with(w));
        if word_goes_on {
            return None;
        }
    }
    Some(Token {
        start,
        end,
        value,
        upper,
        unit: unit.to_string(),
        scale,
        base_unit: base_unit.to_string(),
        more_than,
        counted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> Vec<(f64, String)> {
        tokens(Lexicon::built_in(), s)
            .into_iter()
            .map(|t| (t.value, t.unit))
            .collect()
    }

    fn one(s: &str) -> Token {
        let t = tokens(Lexicon::built_in(), s);
        assert_eq!(t.len(), 1, "{s}: {t:?}");
        t.into_iter().next().unwrap()
    }

    #[test]
    fn arabic_with_scale_and_unit() {
        let t = one("城镇新增就业35.69万人");
        assert_eq!(
            (t.value, t.unit.as_str(), t.base_unit.as_str()),
            (35.69, "万人", "人")
        );
        assert_eq!(t.normalized(), 356900.0);
        assert_eq!(
            read("集装箱吞吐量达到2218万标准箱、增长5.5%"),
            [(2218.0, "万标准箱".into()), (5.5, "%".into())]
        );
        assert_eq!(read("国家高新技术企业超过1.1万家"), [(1.1, "万家".into())]);
        assert_eq!(read("新增社会融资规模5338亿元"), [(5338.0, "亿元".into())]);
        assert_eq!(
            read("保障性租赁住房1.2万套（间）"),
            [(1.2, "万套（间）".into())]
        );
        assert_eq!(
            read("PM2.5平均浓度38微克/立方米"),
            [(38.0, "微克/立方米".into())]
        );
    }

    #[test]
    fn percentages_points_and_ranges() {
        assert_eq!(
            read("增加值增幅比上年提高4.5个百分点"),
            [(4.5, "个百分点".into())]
        );
        let r = one("增长6.5%－7%");
        assert_eq!((r.value, r.upper, r.unit.as_str()), (6.5, Some(7.0), "%"));
        let r = one("增长4.5%—5%");
        assert_eq!((r.value, r.upper), (4.5, Some(5.0)));
        assert_eq!(read("降低百分之五"), [(5.0, "%".into())]);
        assert_eq!(read("增长百分之五点二"), [(5.2, "%".into())]);
        assert_eq!(read("提高零点五个百分点"), [(0.5, "个百分点".into())]);
    }

    #[test]
    fn chinese_numerals_with_magnitude() {
        assert_eq!(read("引进一千二百万元"), [(1200.0, "万元".into())]);
        assert_eq!(read("培育两千家企业"), [(2000.0, "家".into())]);
        assert_eq!(read("提高三个百分点"), [(3.0, "个百分点".into())]);
        assert_eq!(chinese_value("一千二百"), Some(1200.0));
        assert_eq!(chinese_value("十二"), Some(12.0));
        // Decimals: `点` between numerals.
        assert_eq!(read("新增城镇就业三点五万人"), [(3.5, "万人".into())]);
        assert_eq!(read("新建公路十二点二五公里"), [(12.25, "公里".into())]);
        // Traps: a `点` with no unit after it is no amount.
        assert!(read("一点一滴抓落实").is_empty());
        assert!(read("三点一线").is_empty());
        assert!(read("第三点五项").is_empty());
    }

    #[test]
    fn approximate_counts() {
        let t = one("注册科技型企业1200余家");
        assert_eq!(
            (t.value, t.unit.as_str(), t.more_than),
            (1200.0, "家", true)
        );
    }

    #[test]
    fn traps_are_not_quantities() {
        for s in [
            "“十四五”时期",
            "党的二十大精神",
            "第七届世界智能大会",
            "地铁11号线",
            "5G基站",
            "PM2.5浓度",
            "A321飞机",
            "12345热线",
            "成立75周年",
            "三大商圈",
            "一基地三区",
            "“1+3+4”产业体系",
            "2023年是开局之年",
            "6月底前完成",
            "服务贸易3.0版",
            "入选首批2023天津战略性新兴产业领军企业",
            "打造京津冀1小时鲜活农产品物流圈",
            "构建15分钟便民生活圈",
            "每千人口拥有3岁以下婴幼儿",
            "二十届二中全会",
            "七个方面",
            "第1次常务会议",
        ] {
            assert!(
                tokens(Lexicon::built_in(), s).is_empty(),
                "{s}: {:?}",
                tokens(Lexicon::built_in(), s)
            );
        }
    }

    #[test]
    fn bare_scales_durations_and_doublings() {
        let t = one("农村贫困人口减少1000万以上");
        assert_eq!(
            (t.value, t.unit.as_str(), t.normalized()),
            (1000.0, "万", 1e7)
        );
        assert_eq!(read("提高到11.3年"), [(11.3, "年".into())]);
        assert_eq!(read("比2000年翻一番"), [(1.0, "番".into())]);
        assert_eq!(read("翻两番"), [(2.0, "番".into())]);
        // Traps: a scale inside a word, a whole year, an idiom.
        for s in [
            "千万不能放松",
            "一万年太久",
            "到2025年",
            "万众一心",
            "实现翻番",
        ] {
            assert!(
                tokens(Lexicon::built_in(), s).is_empty(),
                "{s}: {:?}",
                tokens(Lexicon::built_in(), s)
            );
        }
    }

    #[test]
    fn chinese_percent_ranges() {
        let t = tokens(
            Lexicon::built_in(),
            "调高到百分之八至九，争取百分之八至百分之九的增长",
        );
        assert_eq!(
            t.iter().map(|t| (t.value, t.upper)).collect::<Vec<_>>(),
            [(8.0, Some(9.0)), (8.0, Some(9.0))]
        );
        // Trap: a second figure after `到` that is smaller is no upper bound.
        let t = tokens(Lexicon::built_in(), "从百分之十五降到百分之十");
        assert_eq!(t.iter().map(|t| t.upper).collect::<Vec<_>>(), [None, None]);
    }
}
