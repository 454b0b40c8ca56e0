//! Key tasks assigned in prose: numbered paragraphs closed by who is responsible.
//!
//! Many offices publish the split of a work report not as a table but as a numbered list:
//!
//! ```text
//! 一、着力扩大有效需求
//! 1.扩大有效投资。围绕…完成年度投资1200亿元。（牵头单位：市发展改革委；配合单位：市财政局，各区人民政府）
//! 14.深入实施城市更新行动。改造城镇老旧小区120个。
//! 责任单位：市住房城乡建设局、市城市管理委
//! ```
//!
//! A task is a paragraph that opens with an Arabic ordinal (`1.`, `（19）`) and ends with a
//! closing parenthesis naming units (`（牵头单位：X；配合单位：Y、Z）`, `（责任单位：X、Y）`), or is
//! followed by a paragraph that does (`责任单位：…`). The closing's fields are separated by `；`,
//! or by `，` before a field's name; besides units they may name leaders (`责任领导`, `市领导`) and a
//! deadline (`完成时限`, `时间节点`). The lead is the `牵头单位`, else the first unit named. Group
//! units stay whole (`各区、县级市`, `各县（市、区）人民政府`). The category is the `一、` heading the
//! task stands under. A document counts as such a list only with three tasks or more.

use plantrack_model::{HeadingStyle, Section, Span, Task};

use crate::lexicon::{Kind, Lexicon};
use crate::normalize::Normalized;

/// The lexicon's kinds of a closing's field names, and what each names.
const FIELDS: &[(Kind, Field)] = &[
    (Kind::LeadField, Field::Lead),
    (Kind::UnitsField, Field::Units),
    (Kind::CooperatingField, Field::Cooperating),
    (Kind::LeadersField, Field::Leaders),
    (Kind::DeadlineField, Field::Deadline),
];

/// The fewest tasks that make a document a list of assignments.
const MIN_TASKS: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    Lead,
    Units,
    Cooperating,
    Leaders,
    Deadline,
}

#[derive(Default)]
struct Closing {
    lead: Vec<String>,
    units: Vec<String>,
    cooperating: Vec<String>,
    leaders: Vec<String>,
    deadline: Option<String>,
}

fn field_at(lex: &Lexicon, s: &str) -> Option<(Field, usize)> {
    FIELDS.iter().find_map(|(kind, f)| {
        lex.words(*kind).iter().find_map(|name| {
            let rest = s.strip_prefix(name.as_str())?;
            let colon = rest.strip_prefix(['：', ':'])?;
            Some((*f, s.len() - colon.len()))
        })
    })
}

/// Reads `牵头单位：X；配合单位：Y、Z` (without the parentheses), or `None` if it names no units.
fn closing(lex: &Lexicon, s: &str) -> Option<Closing> {
    let s = s.trim();
    field_at(lex, s)?;
    // Cut at `；` and at `，` before a field's name, outside parentheses.
    let mut segments: Vec<&str> = Vec::new();
    let (mut depth, mut from) = (0i32, 0);
    for (i, c) in s.char_indices() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth -= 1,
            '；' | ';' if depth <= 0 => {
                segments.push(&s[from..i]);
                from = i + c.len_utf8();
            }
            '，' | ',' if depth <= 0 && field_at(lex, &s[i + c.len_utf8()..]).is_some() => {
                segments.push(&s[from..i]);
                from = i + c.len_utf8();
            }
            _ => {}
        }
    }
    segments.push(&s[from..]);
    let mut out = Closing::default();
    let mut last: Option<Field> = None;
    for seg in segments {
        let seg = seg.trim();
        let (field, value) = match field_at(lex, seg) {
            Some((f, at)) => (f, &seg[at..]),
            // A segment without a name continues the one before (`…，各区人民政府`).
            None => (last?, seg),
        };
        last = Some(field);
        match field {
            Field::Lead => out.lead.extend(names(lex, value)),
            Field::Units => out.units.extend(names(lex, value)),
            Field::Cooperating => out.cooperating.extend(names(lex, value)),
            Field::Leaders => out.leaders.extend(names(lex, value)),
            Field::Deadline => out.deadline = Some(value.trim().to_string()),
        }
    }
    (!out.lead.is_empty() || !out.units.is_empty()).then_some(out)
}

/// Splits a list of names at `、`, `，`, `,` outside parentheses, group units kept whole.
fn names(lex: &Lexicon, s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut depth = 0i32;
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if current.is_empty()
            && let Some(g) = lex
                .words(Kind::GroupUnit)
                .iter()
                .find(|g| rest.starts_with(g.as_str()))
        {
            current.push_str(g);
            i += g.len();
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        i += c.len_utf8();
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth -= 1,
            _ => {}
        }
        if depth <= 0 && matches!(c, '、' | '，' | ',' | ' ' | '\u{3000}') {
            push(&mut out, &mut current);
            continue;
        }
        current.push(c);
    }
    push(&mut out, &mut current);
    out
}

fn push(out: &mut Vec<String>, current: &mut String) {
    let name = current
        .trim()
        .trim_end_matches(['。', '.', '等'])
        .to_string();
    current.clear();
    if !name.is_empty() {
        out.push(name);
    }
}

/// The closing parenthesis a paragraph ends with, as `(start of the parenthesis, its content)`.
fn trailing_closing(p: &str) -> Option<(usize, &str)> {
    let body = p.trim_end().trim_end_matches(['。', '.']);
    let inner = body.strip_suffix('）').or_else(|| body.strip_suffix(')'))?;
    // Walk back to the matching opening parenthesis.
    let mut depth = 1i32;
    for (i, c) in inner.char_indices().rev() {
        match c {
            '）' | ')' => depth += 1,
            '（' | '(' => {
                depth -= 1;
                if depth == 0 {
                    return Some((i, &inner[i + c.len_utf8()..]));
                }
            }
            _ => {}
        }
    }
    None
}

/// A task paragraph's number and where its text starts: `1.`, `12．`, `（19）`, `(3)`.
fn task_number(p: &str) -> Option<(u32, usize)> {
    let m = crate::structure::parse_marker(p)?;
    if !matches!(
        m.style,
        HeadingStyle::ArabicOrdinal | HeadingStyle::ParenArabicOrdinal
    ) {
        return None;
    }
    let text_at = m.len + (p[m.len..].len() - p[m.len..].trim_start().len());
    Some((m.number?, text_at))
}

/// The tasks of a list of assignments, and the normalised offsets of the paragraphs they took.
pub(crate) fn read(
    lex: &Lexicon,
    norm: &Normalized,
    sections: &[Section],
) -> (Vec<Task>, Vec<usize>) {
    let paragraphs: Vec<(usize, &str)> = norm.paragraphs().collect();
    let mut tasks = Vec::new();
    let mut taken = Vec::new();
    let mut k = 0;
    while k < paragraphs.len() {
        let (start, p) = paragraphs[k];
        k += 1;
        let Some((seq, text_at)) = task_number(p) else {
            continue;
        };
        let (text_end, found) =
            match trailing_closing(p).and_then(|(at, c)| Some((at, closing(lex, c)?))) {
                Some((at, c)) => (at, c),
                None => {
                    // `责任单位：…` on the next line.
                    let Some(c) = paragraphs.get(k).and_then(|(_, n)| closing(lex, n)) else {
                        continue;
                    };
                    taken.push(paragraphs[k].0);
                    k += 1;
                    (p.trim_end().len(), c)
                }
            };
        taken.push(start);
        let text = p[text_at..text_end].trim_end().to_string();
        let span = norm.span(start + text_at, start + text_at + text.len());
        let mut units = found.lead.clone();
        units.extend(found.units);
        units.extend(found.cooperating);
        let category = sections
            .iter()
            .rfind(|s| s.style == HeadingStyle::ChineseOrdinal && s.span.start <= span.start)
            .map(|s| s.title.clone());
        tasks.push(Task {
            seq,
            category,
            text,
            deadline: found.deadline,
            leaders: found.leaders,
            lead_unit: units.first().cloned(),
            units,
            joint: false,
            span: Span::new(span.start, span.end),
        });
    }
    if tasks.len() < MIN_TASKS {
        return (Vec::new(), Vec::new());
    }
    taken.sort_unstable();
    (tasks, taken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closings_in_their_forms() {
        let c = closing(
            Lexicon::built_in(),
            "牵头单位：市发展改革委；配合单位：市财政局、市自然资源和规划局，各区人民政府",
        )
        .unwrap();
        assert_eq!(c.lead, ["市发展改革委"]);
        assert_eq!(
            c.cooperating,
            ["市财政局", "市自然资源和规划局", "各区人民政府"]
        );
        let c = closing(
            Lexicon::built_in(),
            "牵头单位：市工业和信息化局，配合单位：市发展改革委、市科技局，各区、县级市",
        )
        .unwrap();
        assert_eq!(c.cooperating, ["市发展改革委", "市科技局", "各区、县级市"]);
        let c = closing(
            Lexicon::built_in(),
            "责任领导：陈立新、周海涛；牵头单位：市发展改革委；完成时限：2026年6月底前",
        )
        .unwrap();
        assert_eq!(c.leaders, ["陈立新", "周海涛"]);
        assert_eq!(c.deadline.as_deref(), Some("2026年6月底前"));
        let c = closing(
            Lexicon::built_in(),
            "责任单位：市农业农村局、各县（市、区）人民政府",
        )
        .unwrap();
        assert_eq!(c.units, ["市农业农村局", "各县（市、区）人民政府"]);
        // Traps: a parenthesis that names no units.
        assert!(closing(Lexicon::built_in(), "PM2.5").is_none());
        assert!(closing(Lexicon::built_in(), "以下简称“十五五”规划").is_none());
    }

    #[test]
    fn a_parenthesis_inside_the_text_is_no_closing() {
        let p = "19.打好蓝天保卫战，细颗粒物（PM2.5）浓度下降。（牵头单位：市生态环境局）";
        let (at, c) = trailing_closing(p).unwrap();
        assert_eq!(c, "牵头单位：市生态环境局");
        assert!(p[..at].ends_with("浓度下降。"));
        assert!(
            trailing_closing("建成11号线（二期）").is_some_and(|(_, c)| closing(
                Lexicon::built_in(),
                c
            )
            .is_none())
        );
    }
}
