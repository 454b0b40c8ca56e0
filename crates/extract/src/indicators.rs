//! The main-indicator table of a plan.
//!
//! Recognised by its header, not its position: a column named like `指标` (the indicator) and at
//! least one column naming a year (`2020年`, `2025年目标`). The first year column is the baseline,
//! the last the target; `属性` gives the attribute (`预期性` expected, `约束性` binding); `单位`,
//! when present, the unit, else the name's trailing parenthesis (`市场主体数量（万户）` → 万户).
//! A row with one filled cell is a category (`<b>经济发展</b>`), carried down to the rows below.
//!
//! A figure cell reads, in order: a bracket (`〔17〕`, `[17]`: five-year cumulative), a star
//! (`3.8*`, `6*左右`: five-year average), a comparison (`≥`, `>`, `≤`, `<`), a number or a range
//! (`6.5-7`), a unit sign (`%`), and a qualifier (`左右` about, `以上` at least, `以内`/`以下` at
//! most). A cell without a number (`完成国家下达的目标`, `与经济增长基本同步`) keeps its text
//! with a null value. The notes under the table give the markers' meaning when they state it
//! (`〔 〕内数据为五年累计数，*为五年平均数`) and baseline-year exceptions
//! (`劳动年龄人口平均受教育年限（年）12.03为2019年数值`).

use plantrack_model::{
    Aggregation, Attribute, Diagnostic, Indicator, Qualifier, Severity, TableFigure,
};

use crate::table::{Cell, Table};

struct Columns {
    seq: Option<usize>,
    name: usize,
    unit: Option<usize>,
    category: Option<usize>,
    baseline: Option<(usize, i32)>,
    target: (usize, i32),
    attribute: Option<usize>,
}

fn columns(header: &[String]) -> Option<Columns> {
    let find = |words: &[&str]| {
        header
            .iter()
            .position(|h| words.iter().any(|w| h.contains(w)))
    };
    let name = header
        .iter()
        .position(|h| h.contains("指标") && !h.contains("属性") && !h.contains("类"))?;
    let years: Vec<(usize, i32)> = header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| crate::metadata::years_in(h).first().map(|&y| (i, y)))
        .collect();
    let target = *years.last()?;
    let baseline = (years.len() >= 2).then(|| years[0]);
    Some(Columns {
        seq: find(&["序号", "编号"]),
        name,
        unit: header
            .iter()
            .position(|h| h.trim() == "单位" || h.contains("计量单位")),
        category: find(&["类别", "领域", "分类"]),
        baseline,
        target,
        attribute: find(&["属性"]),
    })
}

/// The meaning of the bracket and star markers, from the notes or, when silent, the convention.
struct Markers {
    bracket: Aggregation,
    star: Aggregation,
}

fn markers(notes: &[Cell]) -> Markers {
    let mut m = Markers {
        bracket: Aggregation::FiveYearCumulative,
        star: Aggregation::FiveYearAverage,
    };
    for note in notes {
        let t = note.text().replace("\\*", "*");
        for clause in t.split(['，', '；', '。', ',', ';']) {
            let meaning = if clause.contains("累计") {
                Some(Aggregation::FiveYearCumulative)
            } else if clause.contains("平均") || clause.contains("年均") {
                Some(Aggregation::FiveYearAverage)
            } else {
                None
            };
            let Some(meaning) = meaning else { continue };
            if clause.contains('〔') || clause.contains('[') || clause.contains('【') {
                m.bracket = meaning;
            } else if clause.contains('*') || clause.contains('＊') {
                m.star = meaning;
            }
        }
    }
    m
}

/// A figure cell, read. `bracket` and `star` say which aggregation markers it carried.
struct Figure {
    figure: TableFigure,
    bracket: bool,
    star: bool,
}

/// Reads a number at the start of `s`: digits with an optional sign and decimal part.
pub(crate) fn leading_number(s: &str) -> Option<(f64, usize)> {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let digits_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == digits_start {
        return None;
    }
    if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    s[..i].parse().ok().map(|v| (v, i))
}

fn figure(cell: &str, year: Option<i32>) -> Figure {
    let written = cell.trim().to_string();
    let mut s: String = written
        .replace("\\*", "*")
        .chars()
        .map(crate::normalize::fold)
        .filter(|c| !c.is_whitespace())
        .collect();
    let bracket = s.starts_with(['〔', '[', '【']) && s.ends_with(['〕', ']', '】']);
    if bracket {
        s = s
            .trim_start_matches(['〔', '[', '【'])
            .trim_end_matches(['〕', ']', '】'])
            .to_string();
    }
    let star = s.contains(['*', '＊']);
    s = s.replace(['*', '＊'], "");
    let mut qualifier = None;
    for (prefix, q) in [
        ("≥", Qualifier::AtLeast),
        (">=", Qualifier::AtLeast),
        ("不低于", Qualifier::AtLeast),
        ("不少于", Qualifier::AtLeast),
        (">", Qualifier::MoreThan),
        ("＞", Qualifier::MoreThan),
        ("大于", Qualifier::MoreThan),
        ("超过", Qualifier::MoreThan),
        ("≤", Qualifier::AtMost),
        ("<=", Qualifier::AtMost),
        ("<", Qualifier::AtMost),
        ("＜", Qualifier::AtMost),
        ("不超过", Qualifier::AtMost),
        ("不高于", Qualifier::AtMost),
        ("控制在", Qualifier::AtMost),
    ] {
        if let Some(rest) = s.strip_prefix(prefix) {
            qualifier = Some(q);
            s = rest.to_string();
            break;
        }
    }
    let Some((value, len)) = leading_number(&s) else {
        return Figure {
            figure: TableFigure {
                year,
                value: None,
                qualifier: None,
                upper: None,
                text: written,
            },
            bracket,
            star,
        };
    };
    let mut rest = s[len..].trim_start_matches(['%', '％']);
    let mut upper = None;
    if let Some(r) = rest.strip_prefix(['-', '—', '–', '~', '～', '至']) {
        let r = r.trim_start_matches('—');
        if let Some((u, ulen)) = leading_number(r) {
            upper = Some(u);
            qualifier = Some(Qualifier::Range);
            rest = r[ulen..].trim_start_matches(['%', '％']);
        }
    }
    for (suffix, q) in [
        ("左右", Qualifier::About),
        ("以上", Qualifier::AtLeast),
        ("以内", Qualifier::AtMost),
        ("以下", Qualifier::AtMost),
    ] {
        if rest.starts_with(suffix) {
            qualifier = Some(q);
        }
    }
    Figure {
        figure: TableFigure {
            year,
            value: Some(value),
            qualifier,
            upper,
            text: written,
        },
        bracket,
        star,
    }
}

/// Splits `市场主体数量（万户）` into name and unit. The last parenthesis is a unit when it ends the
/// name and is short; an inner parenthesis (`高技术（制造业）增加值…`) is part of the name.
fn name_and_unit(s: &str) -> (String, Option<String>) {
    let s = s.trim();
    for (open, close) in [('（', '）'), ('(', ')')] {
        if s.ends_with(close)
            && let Some(p) = s.rfind(open)
        {
            let unit = &s[p + open.len_utf8()..s.len() - close.len_utf8()];
            let name = s[..p].trim();
            if !unit.is_empty() && unit.chars().count() <= 10 && !name.is_empty() {
                return (name.to_string(), Some(unit.to_string()));
            }
        }
    }
    (s.to_string(), None)
}

/// Strips HTML and Markdown emphasis from a category cell: `<b>经济发展</b>` → `经济发展`.
fn plain(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim_matches(['*', '_', ' ']).trim().to_string()
}

/// Reads the indicators of `table`, or `None` when it is no indicator table.
pub(crate) fn recognise(
    table: &Table,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<Indicator>> {
    let cols = columns(&table.header_texts())?;
    let markers = markers(&table.notes);
    let mut out: Vec<Indicator> = Vec::new();
    let mut category: Option<String> = None;
    for row in &table.rows {
        let text = |i: usize| row.get(i).map(Cell::text).unwrap_or_default();
        let filled = row.iter().filter(|c| !c.is_empty()).count();
        if let Some(c) = cols.category.map(text).filter(|c| !c.is_empty()) {
            category = Some(plain(&c));
        }
        if filled == 1
            && cols
                .category
                .is_none_or(|c| row.get(c).is_none_or(Cell::is_empty))
        {
            category = Some(plain(&row.iter().find(|c| !c.is_empty())?.text()));
            continue;
        }
        let raw_name = text(cols.name);
        if raw_name.is_empty() {
            continue;
        }
        let span = row
            .iter()
            .filter(|c| !c.is_empty())
            .map(|c| c.span)
            .reduce(|a, b| a.cover(b))
            .unwrap_or_default();
        let seq = match cols.seq.map(text).and_then(|s| s.trim().parse().ok()) {
            Some(n) => n,
            None => {
                diagnostics.push(Diagnostic {
                    severity: Severity::Warning,
                    message: format!("indicator row without a number: {raw_name}"),
                    span: Some(span),
                });
                out.last().map_or(1, |i| i.seq + 1)
            }
        };
        let (name, mut unit) = name_and_unit(&raw_name);
        if let Some(u) = cols.unit.map(text).filter(|u| !u.is_empty()) {
            unit = Some(u);
        }
        let base = cols
            .baseline
            .map(|(i, y)| figure(&text(i), Some(y)))
            .filter(|f| !f.figure.text.is_empty());
        let target = figure(&text(cols.target.0), Some(cols.target.1));
        let aggregation = [base.as_ref(), Some(&target)]
            .into_iter()
            .flatten()
            .find_map(|f| {
                if f.bracket {
                    Some(markers.bracket)
                } else if f.star {
                    Some(markers.star)
                } else {
                    None
                }
            });
        let attribute = cols.attribute.map(text).and_then(|a| {
            if a.contains("约束") {
                Some(Attribute::Binding)
            } else if a.contains("预期") {
                Some(Attribute::Expected)
            } else {
                None
            }
        });
        out.push(Indicator {
            seq,
            name,
            unit,
            category: category.clone(),
            baseline: base.map(|f| f.figure),
            target: (!target.figure.text.is_empty()).then_some(target.figure),
            attribute,
            aggregation,
            span,
        });
    }
    apply_baseline_years(&table.notes, &mut out);
    (!out.is_empty()).then_some(out)
}

/// `…（年）12.03为2019年数值`: a note that dates one indicator's baseline differently.
fn apply_baseline_years(notes: &[Cell], indicators: &mut [Indicator]) {
    for note in notes {
        let t = note.text();
        let mut from = 0;
        while let Some(p) = t[from..].find('为') {
            let at = from + p;
            let after = &t[at + '为'.len_utf8()..];
            from = at + '为'.len_utf8();
            let Some((year, len)) = leading_number(after) else {
                continue;
            };
            if len != 4 || !after[len..].starts_with('年') {
                continue;
            }
            let before = &t[..at];
            // The indicator the note names; the longest name wins when one contains another.
            if let Some(ind) = indicators
                .iter_mut()
                .filter(|i| i.baseline.is_some() && before.contains(i.name.as_str()))
                .max_by_key(|i| i.name.len())
                && let Some(base) = ind.baseline.as_mut()
            {
                base.year = Some(year as i32);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(s: &str) -> (Option<f64>, Option<Qualifier>, Option<f64>, bool, bool) {
        let f = figure(s, Some(2025));
        (
            f.figure.value,
            f.figure.qualifier,
            f.figure.upper,
            f.bracket,
            f.star,
        )
    }

    #[test]
    fn figure_cells() {
        assert_eq!(fig("3.8*"), (Some(3.8), None, None, false, true));
        assert_eq!(
            fig("6*左右"),
            (Some(6.0), Some(Qualifier::About), None, false, true)
        );
        assert_eq!(
            fig("\\*5左右"),
            (Some(5.0), Some(Qualifier::About), None, false, true)
        );
        assert_eq!(fig("〔17〕"), (Some(17.0), None, None, true, false));
        assert_eq!(
            fig("30以上"),
            (Some(30.0), Some(Qualifier::AtLeast), None, false, false)
        );
        assert_eq!(
            fig("5.5以内"),
            (Some(5.5), Some(Qualifier::AtMost), None, false, false)
        );
        assert_eq!(
            fig("≥95"),
            (Some(95.0), Some(Qualifier::AtLeast), None, false, false)
        );
        assert_eq!(
            fig("6.5-7"),
            (Some(6.5), Some(Qualifier::Range), Some(7.0), false, false)
        );
        assert_eq!(
            fig("〔完成国家下达的目标〕"),
            (None, None, None, true, false)
        );
        assert_eq!(fig("与经济增长基本同步"), (None, None, None, false, false));
    }

    #[test]
    fn units_come_from_the_last_parenthesis() {
        assert_eq!(
            name_and_unit("市场主体数量（万户）"),
            ("市场主体数量".into(), Some("万户".into()))
        );
        assert_eq!(
            name_and_unit("高技术（制造业）增加值占规模以上工业增加值比重（%）"),
            (
                "高技术（制造业）增加值占规模以上工业增加值比重".into(),
                Some("%".into())
            )
        );
        assert_eq!(name_and_unit("森林覆盖率"), ("森林覆盖率".into(), None));
    }

    #[test]
    fn categories_lose_markup() {
        assert_eq!(plain("<b>经济发展</b>"), "经济发展");
        assert_eq!(plain("**民生福祉**"), "民生福祉");
    }
}
