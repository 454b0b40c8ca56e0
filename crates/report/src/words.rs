//! How a report says things: numbers, document titles, statuses, and a target against its
//! result in the sentences planning reports use (`增长4.3%，高于4%左右的预期目标0.3个百分点`).

use plantrack_evaluate::reconcile::Item;
use plantrack_evaluate::{Evidence, TargetStatus, Verdict};
use plantrack_model::{Direction, DocumentRef, Measure, Qualifier, Quantity};

use crate::doc::{Builder, Note};

/// A number as a person writes it: no trailing zeros, at most `places` decimals.
pub fn num(v: f64, places: usize) -> String {
    let s = format!("{v:.places$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".into() } else { s }
}

/// What a document is called in a report: its title, or one made from its region, year and
/// kind (`天津市2024年政府工作报告`); never its file name.
pub fn title_of(d: &DocumentRef) -> String {
    d.display_title().trim_matches(['《', '》']).to_string()
}

/// A status in Chinese.
pub fn status_zh(code: &str) -> &'static str {
    plantrack_evaluate::status_zh(code).unwrap_or("—")
}

/// The note citing an item: the document's title and the sentence (at most 150 characters
/// around the figure).
pub fn note_of(e: &Evidence) -> Note {
    Note {
        document: title_of(&e.document),
        quote: e.excerpt(150),
        at: e.document.id.map(|id| (id, e.start())),
    }
}

/// What a target or result is about.
pub fn subject(e: &Evidence) -> String {
    e.figure().0
}

/// The figure as written (`4%左右`, `3%左右（预计）`, `建成通车`).
pub fn figure(e: &Evidence) -> String {
    e.figure().1
}

fn quantity(e: &Evidence) -> Option<&Quantity> {
    match &e.item {
        Item::Quantity(q) => Some(q),
        Item::Milestone(_) => None,
    }
}

/// A growth or fall as a signed number (`下降16.4%` is -16.4).
fn signed(q: &Quantity) -> f64 {
    if q.direction == Some(Direction::Decrease) {
        -q.value
    } else {
        q.value
    }
}

fn is_rate(q: &Quantity) -> bool {
    matches!(q.measure, Measure::GrowthRate | Measure::PointChange)
        && q.unit
            .as_deref()
            .is_some_and(|u| u == "%" || u.contains("百分点"))
}

/// A verdict's conclusion in a table.
pub fn conclusion_zh(s: TargetStatus) -> &'static str {
    match s {
        TargetStatus::Achieved => "完成",
        TargetStatus::NotAchieved => "未完成",
        TargetStatus::NoData => "无数据",
    }
}

/// The verdict's conclusion in words.
fn conclusion(v: &Verdict) -> &'static str {
    match v.status {
        TargetStatus::Achieved => "完成目标",
        TargetStatus::NotAchieved => "未完成目标",
        TargetStatus::NoData => "尚无结果数据",
    }
}

/// One target against its result, written into the paragraph with a note on each figure:
/// `地区生产总值增长4.3%[1]，高于4%左右[2]的预期目标0.3个百分点，完成目标`. `lower_is_better`
/// says whether the metric is one kept down (unemployment, prices): its target is a ceiling.
pub fn verdict_sentence(b: &mut Builder, v: &Verdict, lower_is_better: bool) {
    let target = &v.target;
    let Some(actual) = &v.actual else {
        b.text(format!("{}目标为{}", subject(target), figure(target)));
        b.note(note_of(target));
        b.text("，尚无结果数据");
        return;
    };
    let percent = |q: &Quantity| q.unit.as_deref() == Some("%");
    match (quantity(target), quantity(actual)) {
        (Some(t), Some(a)) if percent(t) && percent(a) && (is_rate(t) == is_rate(a)) => {
            // Rates and shares compare in percentage points, a growth with its verb.
            let verb = match (is_rate(a), a.direction) {
                (false, _) => "",
                (true, Some(Direction::Decrease)) => "下降",
                (true, _) => "增长",
            };
            // A subject that names its verb already (`经济增长`) does not take it twice.
            let subject = subject(target);
            let verb = if !verb.is_empty() && subject.ends_with(verb) {
                ""
            } else {
                verb
            };
            b.text(format!("{subject}{verb}{}", figure(actual)));
            b.note(note_of(actual));
            // Against the bound the target sets: a range's lower end, a ceiling's value. Two
            // falls compare their sizes (降幅).
            let falls = is_rate(a) && signed(a) < 0.0 && signed(t) < 0.0;
            let diff = if falls {
                a.value - t.value
            } else if is_rate(a) {
                signed(a) - signed(t)
            } else {
                a.value - t.value
            };
            let word = match (diff.abs() < 1e-9, diff > 0.0, falls) {
                (true, _, _) => "达到",
                (false, true, false) => "高于",
                (false, false, false) => "低于",
                (false, true, true) => "降幅大于",
                (false, false, true) => "降幅小于",
            };
            let kind = if t.qualifier == Some(Qualifier::AtMost) || lower_is_better {
                "控制目标"
            } else {
                "预期目标"
            };
            b.text(format!("，{word}{}", figure(target)));
            b.note(note_of(target));
            if diff.abs() < 1e-9 {
                b.text(format!("的{kind}"));
            } else {
                b.text(format!("的{kind}{}个百分点", num(diff.abs(), 2)));
            }
        }
        (Some(t), Some(a))
            if !percent(t)
                && t.base_unit.is_some()
                && t.base_unit == a.base_unit
                && t.normalized > 0.0
                && a.normalized >= 0.0
                && t.qualifier != Some(Qualifier::AtMost)
                && !lower_is_better =>
        {
            b.text(format!("{}{}", subject(actual), figure(actual)));
            b.note(note_of(actual));
            b.text(format!("，为目标{}", figure(target)));
            b.note(note_of(target));
            b.text(format!(
                "的{}%",
                num(100.0 * a.normalized / t.normalized, 1)
            ));
        }
        (None, None) => {
            b.text(format!("{}目标为“{}”", subject(target), figure(target)));
            b.note(note_of(target));
            b.text(format!("，{}年报告为“{}”", v.year + 1, figure(actual)));
            b.note(note_of(actual));
        }
        _ => {
            b.text(format!("{}目标为{}", subject(target), figure(target)));
            b.note(note_of(target));
            b.text(format!("，实际为{}", figure(actual)));
            b.note(note_of(actual));
        }
    }
    b.text(format!("，{}", conclusion(v)));
}

/// `123` as a count of items: `123项`.
pub fn items(n: usize) -> String {
    format!("{n}项")
}

/// A share in percent with one decimal, `—` when there is nothing to divide.
pub fn share(part: usize, whole: usize) -> String {
    if whole == 0 {
        "—".into()
    } else {
        format!("{}%", num(100.0 * part as f64 / whole as f64, 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_lose_trailing_zeros_only() {
        assert_eq!(num(0.7000000000000002, 2), "0.7");
        assert_eq!(num(120.0, 2), "120");
        assert_eq!(num(14301.62, 0), "14302");
        assert_eq!(num(-0.001, 2), "0");
        assert_eq!(num(5.03, 1), "5");
    }
}
