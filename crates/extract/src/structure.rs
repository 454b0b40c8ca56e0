//! Sections: the heading tree of a document.
//!
//! Headings are recognised by their numbering, in this order of rank (a heading closes every open
//! section of the same or a lower rank):
//!
//! | style | example | rank |
//! |---|---|---|
//! | Markdown without numbering | `# 天津市国民经济和社会发展第十四个五年规划…` | by the number of `#` |
//! | part | `第一篇 …` | 2 |
//! | chapter | `## 第三章 深入推进京津冀协同发展` | 4 |
//! | section | `#### 第一节 基本建成全国先进制造研发基地` | 6 |
//! | Chinese ordinal | `一、2023年工作回顾` | 8 |
//! | parenthesised Chinese ordinal | `（一）现代化产业体系加快构建` | 10 |
//! | Arabic ordinal | `4.汽车及新能源汽车产业链：推动…` | 12 |
//! | parenthesised Arabic ordinal | `（1）…` | 14 |
//! | boxed column | `专栏6 2023年经济大区重点任务` | just below the section it stands in |
//!
//! Markdown `#` levels are not trusted for rank (copies mix `##` and `###` for the same level); the
//! numbering decides. A paragraph that starts with a marker is a heading when it is short and does
//! not end a sentence (`（一）现代化产业体系加快构建`), or a *run-in* heading when a short title ends at
//! the first `。` or `：` (`一、强化组织推动。2023年是…`, `4.汽车及新能源汽车产业链：推动…`). Anything
//! else that starts with a digit is prose: `3.0版`, `12.03为2019年数值`, `2023年…`.
//!
//! A top-level heading whose title names a year and looks back (`回顾`, `执行情况`, `完成情况`)
//! marks a review part; one that looks ahead (`目标任务`, `计划`, `安排`) marks a plan part.
//! Their children inherit the part.

use plantrack_model::{HeadingStyle, Part, PartRole, Section, Span};

use crate::lexicon::{Kind, Lexicon};
use crate::normalize::Normalized;

/// A recognised numbering marker at the start of a line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Marker {
    pub style: HeadingStyle,
    /// Byte length of the marker in the line.
    pub len: usize,
    pub number: Option<u32>,
}

/// Value of a Chinese numeral made of 零〇一二两三四五六七八九十百千 (`十四` → 14, `一百零二` → 102).
pub(crate) fn chinese_number(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    let (mut total, mut current) = (0u32, 0u32);
    let mut seen_digit = false;
    for c in s.chars() {
        let digit = match c {
            '零' | '〇' => Some(0),
            '一' => Some(1),
            '二' | '两' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        };
        if let Some(d) = digit {
            current = current.checked_mul(if seen_digit && current > 0 { 10 } else { 1 })?;
            current = if seen_digit && current > 0 {
                current + d
            } else {
                d
            };
            seen_digit = true;
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => return None,
        };
        let n = if current == 0 && !seen_digit {
            1
        } else {
            current
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
        current = 0;
        seen_digit = false;
    }
    total.checked_add(current)
}

fn is_cn_digit(c: char) -> bool {
    "零〇一二两三四五六七八九十百千".contains(c)
}

/// Recognises the numbering marker a line starts with.
pub(crate) fn parse_marker(s: &str) -> Option<Marker> {
    let first = s.chars().next()?;
    if first == '第' {
        let rest = &s['第'.len_utf8()..];
        let digits: String = rest
            .chars()
            .take_while(|&c| is_cn_digit(c) || c.is_ascii_digit())
            .collect();
        let after = rest[digits.len()..].chars().next()?;
        let style = match after {
            '篇' => HeadingStyle::Part,
            '章' => HeadingStyle::Chapter,
            '节' => HeadingStyle::Section,
            _ => return None,
        };
        let number = digits.parse().ok().or_else(|| chinese_number(&digits))?;
        return Some(Marker {
            style,
            len: '第'.len_utf8() + digits.len() + after.len_utf8(),
            number: Some(number),
        });
    }
    if let Some(after) = s.strip_prefix("专栏") {
        let rest = after.trim_start_matches([' ', '\u{3000}']);
        let skipped = s.len() - rest.len();
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        // `专栏52023年…`: the space between the number and a title starting with a year was lost.
        let digits = if digits.len() > 4 && rest[digits.len()..].starts_with('年') {
            digits[..digits.len() - 4].to_string()
        } else {
            digits
        };
        if digits.len() > 3 {
            return None;
        }
        return Some(Marker {
            style: HeadingStyle::Column,
            len: skipped + digits.len(),
            number: digits.parse().ok(),
        });
    }
    if first == '（' || first == '(' {
        let rest = &s[first.len_utf8()..];
        let inner: String = rest
            .chars()
            .take_while(|&c| is_cn_digit(c) || c.is_ascii_digit())
            .collect();
        let close = rest[inner.len()..].chars().next()?;
        if inner.is_empty() || !(close == '）' || close == ')') {
            return None;
        }
        let (style, number) = if inner.chars().all(|c| c.is_ascii_digit()) {
            if inner.len() > 2 {
                return None;
            }
            (HeadingStyle::ParenArabicOrdinal, inner.parse().ok())
        } else if inner.chars().all(is_cn_digit) {
            (HeadingStyle::ParenChineseOrdinal, chinese_number(&inner))
        } else {
            return None;
        };
        return Some(Marker {
            style,
            len: first.len_utf8() + inner.len() + close.len_utf8(),
            number,
        });
    }
    if is_cn_digit(first) {
        let digits: String = s.chars().take_while(|&c| is_cn_digit(c)).collect();
        if s[digits.len()..].starts_with('、') && digits.chars().count() <= 3 {
            return Some(Marker {
                style: HeadingStyle::ChineseOrdinal,
                len: digits.len() + '、'.len_utf8(),
                number: chinese_number(&digits),
            });
        }
        return None;
    }
    if first.is_ascii_digit() {
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        if digits.len() > 2 {
            return None;
        }
        let rest = &s[digits.len()..];
        let sep = rest.chars().next()?;
        if !matches!(sep, '.' | '．' | '、') {
            return None;
        }
        // `3.0版`, `12.03为…`: a decimal, not a list number.
        if rest[sep.len_utf8()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
        {
            return None;
        }
        return Some(Marker {
            style: HeadingStyle::ArabicOrdinal,
            len: digits.len() + sep.len_utf8(),
            number: digits.parse().ok(),
        });
    }
    None
}

fn rank(style: HeadingStyle) -> u16 {
    match style {
        HeadingStyle::Markdown => 0,
        HeadingStyle::Part => 2,
        HeadingStyle::Chapter => 4,
        HeadingStyle::Section => 6,
        HeadingStyle::ChineseOrdinal => 8,
        HeadingStyle::ParenChineseOrdinal => 10,
        HeadingStyle::ArabicOrdinal => 12,
        HeadingStyle::ParenArabicOrdinal => 14,
        HeadingStyle::Column => 0,
    }
}

/// Longest title (in characters) a heading standing on its own line may have.
const MAX_HEADING_CHARS: usize = 60;

/// Longest title (in characters) of a run-in heading.
const MAX_RUN_IN_CHARS: usize = 30;

/// A heading found in one paragraph.
#[derive(Debug)]
struct Heading {
    style: HeadingStyle,
    marker: String,
    number: Option<u32>,
    title: String,
    /// Markdown depth, for unnumbered Markdown headings.
    hashes: usize,
    /// The heading's bytes in the normalised paragraph.
    len: usize,
}

fn heading(lex: &Lexicon, para: &str) -> Option<Heading> {
    let hashes = para.chars().take_while(|&c| c == '#').count();
    let body = para[hashes..].trim_start();
    let offset = para.len() - body.len();
    let Some(marker) = parse_marker(body) else {
        // Parts of a speech headed without a number: a review opened by a sentence
        // (`首先报告２００１年的工作。`) and the closing part (`结束语`).
        let closing = || {
            lex.words(Kind::ClosingHeading)
                .iter()
                .any(|w| w == body.trim())
        };
        if hashes == 0 && (opens_review(lex, body) || closing()) {
            return Some(Heading {
                style: HeadingStyle::ChineseOrdinal,
                marker: String::new(),
                number: None,
                title: body.trim().trim_end_matches('。').to_string(),
                hashes,
                len: para.len(),
            });
        }
        if hashes > 0 && !body.is_empty() {
            return Some(Heading {
                style: HeadingStyle::Markdown,
                marker: String::new(),
                number: None,
                title: body.trim().to_string(),
                hashes,
                len: para.len(),
            });
        }
        return None;
    };
    let marker_text = body[..marker.len].trim().to_string();
    let rest = body[marker.len..].trim_start_matches([' ', '\u{3000}', '：', ':', '、']);
    let stand_alone = |t: &str| {
        t.chars().count() <= MAX_HEADING_CHARS && !t.trim_end().ends_with(['。', '；', ';'])
    };
    let make = |title: &str, len: usize| Heading {
        style: marker.style,
        marker: marker_text.clone(),
        number: marker.number,
        title: title.trim().trim_end_matches(['。', '：', ':']).to_string(),
        hashes,
        len,
    };
    if hashes > 0 || marker.style == HeadingStyle::Column {
        return Some(make(rest, para.len()));
    }
    // A run-in heading: a short title ended by `。` or `：`, then the paragraph's text.
    if let Some(end) = rest.find(['。', '：', ':']) {
        let title = &rest[..end];
        let after = rest[end..].trim_start_matches(['。', '：', ':']);
        if !title.is_empty()
            && !after.is_empty()
            && title.chars().count() <= MAX_RUN_IN_CHARS
            && !title.contains('，')
        {
            let len = offset + marker.len + (body[marker.len..].len() - rest.len()) + end;
            return Some(make(title, len));
        }
    }
    (stand_alone(rest) && !rest.is_empty()).then(|| make(rest, para.len()))
}

/// The last position of any of `words` in `title`, as the end of the word.
fn last_of(title: &str, words: &[String]) -> Option<usize> {
    words
        .iter()
        .filter_map(|w| title.rfind(w.as_str()).map(|p| p + w.len()))
        .max()
}

/// A short sentence that opens a review part without a number: `首先报告２００１年的工作。`.
fn opens_review(lex: &Lexicon, para: &str) -> bool {
    let p = para.trim();
    // Twenty-four characters at most: a cheap byte bound first.
    p.len() <= 24 * 4
        && p.chars().count() <= 24
        && lex
            .words(Kind::ReviewOpener)
            .iter()
            .any(|w| p.starts_with(w.as_str()))
        && !crate::metadata::years_in(p).is_empty()
}

/// Which part of a document a top-level heading opens, from its title. A title without a year
/// may say it relatively: `过去一年工作回顾` (the year before the plan year), `今年工作的总体要求`
/// (the plan year); the year is then left to the document's. A five-year period in the title
/// (`“十五”期间的奋斗目标`) gives the period's last year.
pub(crate) fn part_of(lex: &Lexicon, title: &str) -> Option<Part> {
    if opens_review(lex, title) {
        return Some(Part {
            role: PartRole::Review,
            year: crate::metadata::years_in(title).first().copied(),
        });
    }
    let years = crate::metadata::years_in(title);
    // `“十五”期间的奋斗目标`, `“十三五”时期发展成就和“十四五”时期主要目标任务`: the period's last year.
    let periods: Vec<i32> = title
        .match_indices(['“', '"'])
        .filter_map(|(p, _)| crate::metadata::five_year_plan_start(&title[p..]))
        .collect();
    let timed = !years.is_empty()
        || !periods.is_empty()
        || lex.any_in(Kind::PastWord, title)
        || lex.any_in(Kind::PresentWord, title);
    if !timed {
        return None;
    }
    // A title that looks back and ahead (`2023年工作回顾和2024年工作的基本方针`, `…发展成就和…主要目标
    // 任务`) is what its last such word says, except that a review named first keeps the part.
    let review = last_of(title, lex.words(Kind::ReviewWord));
    let plan = last_of(title, lex.words(Kind::PlanWord));
    let role = match (review, plan) {
        (Some(r), Some(p)) if p > r && !periods.is_empty() => PartRole::Plan,
        (Some(_), _) => PartRole::Review,
        (None, Some(_)) => PartRole::Plan,
        _ => return None,
    };
    let year = match role {
        _ if !years.is_empty() => years.first().copied(),
        PartRole::Plan => periods.iter().max().map(|s| s + 4),
        PartRole::Review => periods.first().map(|s| s + 4),
    };
    Some(Part { role, year })
}

/// A work report's top-level parts that name no time of their own, placed by their order: those
/// before the first plan part review the reviewed year, the others plan (`二、保持国民经济发展的良好
/// 势头` after `一、１９９６年国内工作的回顾`); parts that name a time but no year get the
/// document's. Subsections take their part's.
pub(crate) fn place_parts(sections: &mut [Section], year: Option<i32>) {
    let tops: Vec<usize> = (0..sections.len())
        .filter(|&i| sections[i].parent.is_none() && sections[i].style != HeadingStyle::Column)
        .collect();
    if tops.is_empty() {
        return;
    }
    let first_plan = tops
        .iter()
        .position(|&i| sections[i].part.is_some_and(|p| p.role == PartRole::Plan));
    let reviewed = tops
        .iter()
        .find_map(|&i| {
            sections[i]
                .part
                .filter(|p| p.role == PartRole::Review)
                .and_then(|p| p.year)
        })
        .or(year.map(|y| y - 1));
    let before: Vec<Option<Part>> = sections.iter().map(|s| s.part).collect();
    let mut planned = year;
    for (k, &i) in tops.iter().enumerate() {
        let part = match sections[i].part {
            Some(p) if p.role == PartRole::Plan => {
                planned = p.year.or(planned);
                Part {
                    role: p.role,
                    year: planned,
                }
            }
            Some(p) => Part {
                role: p.role,
                year: p.year.or(reviewed),
            },
            None if first_plan.map_or(k == 0, |f| k < f) => Part {
                role: PartRole::Review,
                year: reviewed,
            },
            None => Part {
                role: PartRole::Plan,
                year: planned,
            },
        };
        sections[i].part = Some(part);
    }
    // Subsections that inherited their part's old value take the new one.
    for i in 0..sections.len() {
        if let Some(p) = sections[i].parent
            && sections[i].part == before[p]
        {
            sections[i].part = sections[p].part;
        }
    }
}

/// Builds the section tree from the normalised paragraphs (`norm`'s, as
/// [`Normalized::paragraphs`] gives them). Paragraphs for which `skip` holds (given the
/// paragraph's number: the caller marks tables' tab lines and notes) are skipped: a numbered
/// note is not a section.
pub(crate) fn sections(
    lex: &Lexicon,
    norm: &Normalized,
    paragraphs: &[(usize, &str)],
    skip: &dyn Fn(usize) -> bool,
) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut ranks: Vec<u16> = Vec::new();
    // The open sections, innermost last.
    let mut stack: Vec<usize> = Vec::new();
    for (k, &(start, para)) in paragraphs.iter().enumerate() {
        if skip(k) {
            continue;
        }
        let Some(h) = heading(lex, para) else {
            continue;
        };
        let here = norm.span(start, start).start;
        if h.style == HeadingStyle::Column {
            // A column closes the column before it and everything inside that column.
            if let Some(k) = stack
                .iter()
                .position(|&i| sections[i].style == HeadingStyle::Column)
            {
                for &i in &stack[k..] {
                    sections[i].extent.end = here;
                }
                stack.truncate(k);
            }
        }
        let r = match h.style {
            HeadingStyle::Markdown => (h.hashes as u16).saturating_sub(1) * 2,
            HeadingStyle::Column => stack.last().map_or(1, |&i| ranks[i] + 1),
            s => rank(s),
        };
        while let Some(&top) = stack.last() {
            if ranks[top] >= r {
                sections[top].extent.end = here;
                stack.pop();
            } else {
                break;
            }
        }
        let parent = stack.last().copied();
        let inherited = parent.and_then(|p| sections[p].part);
        let own = if r <= rank(HeadingStyle::ChineseOrdinal) && h.style != HeadingStyle::Column {
            part_of(lex, &h.title)
        } else {
            None
        };
        let span = norm.span(start, start + h.len);
        sections.push(Section {
            level: stack.len() as u8 + 1,
            style: h.style,
            marker: h.marker,
            number: h.number,
            title: h.title,
            span,
            extent: Span::new(span.start, usize::MAX),
            parent,
            part: own.or(inherited),
        });
        ranks.push(r);
        stack.push(sections.len() - 1);
    }
    let end = norm.span(norm.text.len(), norm.text.len()).start;
    for s in &mut sections {
        if s.extent.end == usize::MAX {
            s.extent.end = end;
        }
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    #[test]
    fn chinese_numbers() {
        for (s, n) in [
            ("一", 1),
            ("十", 10),
            ("十四", 14),
            ("二十", 20),
            ("二十一", 21),
            ("一百零二", 102),
            ("两千", 2000),
        ] {
            assert_eq!(chinese_number(s), Some(n), "{s}");
        }
        assert_eq!(chinese_number("亿"), None);
    }

    #[test]
    fn markers() {
        let m = |s: &str| parse_marker(s).map(|m| (m.style, m.number));
        assert_eq!(m("第十二章 推动"), Some((HeadingStyle::Chapter, Some(12))));
        assert_eq!(m("第一节 发展基础"), Some((HeadingStyle::Section, Some(1))));
        assert_eq!(
            m("十一、聚焦"),
            Some((HeadingStyle::ChineseOrdinal, Some(11)))
        );
        assert_eq!(
            m("（七）完善"),
            Some((HeadingStyle::ParenChineseOrdinal, Some(7)))
        );
        assert_eq!(
            m("(2)推进"),
            Some((HeadingStyle::ParenArabicOrdinal, Some(2)))
        );
        assert_eq!(
            m("10.新能源产业链"),
            Some((HeadingStyle::ArabicOrdinal, Some(10)))
        );
        assert_eq!(
            m("专栏 10 信息技术"),
            Some((HeadingStyle::Column, Some(10)))
        );
        assert_eq!(
            m("专栏52023年服务业"),
            Some((HeadingStyle::Column, Some(5)))
        );
        assert_eq!(m("专栏：2024年保障性"), Some((HeadingStyle::Column, None)));
    }

    #[test]
    fn numbers_in_names_are_not_markers() {
        for s in [
            "3.0版、跨境贸易",
            "12.03为2019年数值",
            "2023年是",
            "5G应用",
            "11号线",
            "第七届",
            "十四五",
            "第二届全国职业技能大赛",
            "120万吨乙烯",
            "A321",
        ] {
            assert_eq!(parse_marker(s), None, "{s}");
        }
    }

    fn tree(text: &str) -> Vec<(u8, String, String, Option<usize>)> {
        let n = normalize(text, &[]);
        let paragraphs: Vec<(usize, &str)> = n.paragraphs().collect();
        // Tab-separated paragraphs are a table's, as the extractor marks them.
        sections(Lexicon::built_in(), &n, &paragraphs, &|k| {
            paragraphs[k].1.contains('\t')
        })
        .into_iter()
        .map(|s| (s.level, s.marker, s.title, s.parent))
        .collect()
    }

    #[test]
    fn hierarchy_and_run_in_headings() {
        let text = "# 纲要\n\n## 第一章 总体\n\n### 第一节 基础\n\n正文。\n\n## 专栏2 载体\n\n（一）滨海科技园。完善联席会议制度，提升水平。\n\n## 第二节 环境\n\n## 第二章 目标\n";
        let t = tree(text);
        let got: Vec<(u8, &str, &str)> = t
            .iter()
            .map(|(l, m, s, _)| (*l, m.as_str(), s.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "", "纲要"),
                (2, "第一章", "总体"),
                (3, "第一节", "基础"),
                (4, "专栏2", "载体"),
                (5, "（一）", "滨海科技园"),
                (3, "第二节", "环境"),
                (2, "第二章", "目标"),
            ]
        );
    }

    #[test]
    fn list_items_with_long_titles_are_prose() {
        let t = tree(
            "（一）2023年是全面贯彻党的二十大精神的开局之年，是三年新冠疫情防控转段后经济恢复发展的一年，全市上下坚持稳中求进。\n",
        );
        assert!(t.is_empty(), "{t:?}");
    }

    #[test]
    fn parts_have_years_and_roles() {
        assert_eq!(
            part_of(Lexicon::built_in(), "2023年工作回顾"),
            Some(Part {
                role: PartRole::Review,
                year: Some(2023)
            })
        );
        assert_eq!(
            part_of(
                Lexicon::built_in(),
                "2024年国民经济和社会发展的主要目标任务"
            ),
            Some(Part {
                role: PartRole::Plan,
                year: Some(2024)
            })
        );
        assert_eq!(
            part_of(Lexicon::built_in(), "2023年国民经济和社会发展规划执行情况"),
            Some(Part {
                role: PartRole::Review,
                year: Some(2023)
            })
        );
        assert_eq!(
            part_of(Lexicon::built_in(), "努力提升政府治理效能和水平"),
            None
        );
        // Years said relatively, resolved against the document's year.
        assert_eq!(
            part_of(Lexicon::built_in(), "过去一年工作回顾"),
            Some(Part {
                role: PartRole::Review,
                year: None
            })
        );
        assert_eq!(
            part_of(Lexicon::built_in(), "今年工作的总体要求和主要目标"),
            Some(Part {
                role: PartRole::Plan,
                year: None
            })
        );
        assert_eq!(
            part_of(Lexicon::built_in(), "2024年重点工作"),
            Some(Part {
                role: PartRole::Plan,
                year: Some(2024)
            })
        );
        // Trap: a relative word in a title that opens no part.
        assert_eq!(
            part_of(Lexicon::built_in(), "今年以来经济运行情况分析"),
            None
        );
    }
}
