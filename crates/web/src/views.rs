//! View models: the ledger's evaluations turned into the strings and links the templates show.
//! Shared by the HTML pages and the CSV/XLSX downloads, so that a table and its download agree.

use plantrack_evaluate::{Evidence, TaskEvaluation, Verdict};
use plantrack_model::DocumentRef;
use serde_json::json;

use crate::i18n::{Words, status};
use crate::util::{cut, href};

/// Where an item stands in its document's text: the viewer's anchor.
pub fn doc_href(doc: &DocumentRef, start: usize, lang: &str) -> String {
    let base = href(
        &format!("/documents/{}", doc.id.unwrap_or(0)),
        &[("lang", lang_param(lang))],
    );
    format!("{base}#b{start}")
}

pub fn lang_param(lang: &str) -> &str {
    if lang == "en" { "en" } else { "" }
}

pub fn item_href(e: &Evidence, lang: &str) -> String {
    href(
        &format!(
            "/items/{}/{}/{}",
            e.kind,
            e.document.id.unwrap_or(0),
            e.start()
        ),
        &[("lang", lang_param(lang))],
    )
}

pub struct VerdictRow {
    pub status: &'static str,
    pub status_label: &'static str,
    pub region: String,
    pub metric: String,
    pub target: String,
    pub result: String,
    pub target_doc: String,
    pub target_href: String,
    pub target_item: String,
    pub target_sentence: String,
    pub result_doc: String,
    pub result_href: String,
    pub result_sentence: String,
    pub reason: String,
    /// The metric's targets and results by year (`/history`); empty for a milestone.
    pub history: String,
    /// The five-year plan indicator the target belongs to (its page and name), when it does;
    /// the page that lists the row fills it from the plan's evaluation.
    pub indicator: Option<(String, String)>,
    /// The kind of source the result was taken from (`统计公报`), said when others disagree.
    pub source: &'static str,
    /// Other sources' results for the target that give another figure, in source order.
    pub others: Vec<OtherSource>,
}

/// A result of another source that disagrees with the one taken: its figure, its document and
/// the kind of source it is, linked to its sentence.
pub struct OtherSource {
    pub figure: String,
    pub doc: String,
    pub kind: &'static str,
    pub href: String,
}

/// A reason in the page's language: the evaluations write each in English and in Chinese.
pub fn reason(t: &Words, en: &str, zh: &str) -> String {
    if t.lang == "zh" && !zh.is_empty() {
        zh.to_string()
    } else {
        en.to_string()
    }
}

pub fn verdict_row(v: &Verdict, t: &Words) -> VerdictRow {
    let (metric, target) = v.target.figure();
    let (result_metric, result) = v.actual.as_ref().map(Evidence::figure).unwrap_or_default();
    let result = if v.actual.is_some() && result_metric != metric {
        format!("{result}（{result_metric}）")
    } else {
        result
    };
    let doc_label = |e: &Evidence| cut(&e.document.display_title(), 30);
    VerdictRow {
        status: v.status.as_str(),
        status_label: status(t, v.status.as_str()),
        region: v.region.clone().unwrap_or_default(),
        metric,
        target,
        result,
        target_doc: doc_label(&v.target),
        target_href: doc_href(&v.target.document, v.target.start(), t.lang),
        target_item: item_href(&v.target, t.lang),
        target_sentence: v.target.excerpt(90),
        result_doc: v.actual.as_ref().map(doc_label).unwrap_or_default(),
        result_href: v
            .actual
            .as_ref()
            .map(|a| doc_href(&a.document, a.start(), t.lang))
            .unwrap_or_default(),
        result_sentence: v.actual.as_ref().map(|a| a.excerpt(90)).unwrap_or_default(),
        reason: reason(t, &v.reason, &v.reason_zh),
        history: crate::pages::target_history_href(v, t),
        indicator: None,
        source: v.source.map_or("", |k| crate::i18n::source_kind(t, k)),
        others: v
            .disagreeing
            .iter()
            .map(|o| OtherSource {
                figure: o.figure().1,
                doc: doc_label(o),
                kind: crate::i18n::source_kind(t, o.document.kind),
                href: doc_href(&o.document, o.start(), t.lang),
            })
            .collect(),
    }
}

pub struct TaskRow {
    pub seq: u32,
    pub light: &'static str,
    pub status: &'static str,
    pub status_label: &'static str,
    pub category: String,
    pub text: String,
    pub due: String,
    pub lead: String,
    pub leaders: String,
    pub href: String,
}

pub fn task_row(e: &TaskEvaluation, doc: &DocumentRef, t: &Words) -> TaskRow {
    TaskRow {
        seq: e.seq,
        light: e.light().as_str(),
        status: e.status.as_str(),
        status_label: status(t, e.status.as_str()),
        category: e.task.category.clone().unwrap_or_default(),
        text: cut(&e.task.text, 60),
        due: e.final_due.map_or_else(
            || e.task.deadline.clone().unwrap_or_default(),
            |d| d.to_string(),
        ),
        lead: if e.task.joint {
            t.joint.to_string()
        } else {
            e.task.lead_unit.clone().unwrap_or_default()
        },
        leaders: e.task.leaders.join("、"),
        href: href(
            &format!("/tasks/{}/{}", doc.id.unwrap_or(0), e.seq),
            &[("lang", lang_param(t.lang))],
        ),
    }
}

/// A status's colour in the charts: each at 3:1 or more against the page (WCAG AA for shapes
/// that carry meaning), the stylesheet's colours where it has them.
pub fn status_colour(s: &str) -> &'static str {
    match s {
        "achieved" | "completed" | "on_track" | "target_achieved" => "#1a7f37",
        "not_achieved" | "overdue" | "deterioration" => "#c62828",
        "at_risk" | "needs_acceleration" | "limited_progress" => "#9a6700",
        // Silence, not failure: a colour of its own.
        "unreported" => "#6f42c1",
        _ => "#6e7781",
    }
}

/// A pie of counts by status.
pub fn status_pie(counts: &[(&str, usize)], t: &Words) -> serde_json::Value {
    let colour = status_colour;
    let data: Vec<serde_json::Value> = counts
        .iter()
        .map(|(s, n)| json!({"name": status(t, s), "value": n, "itemStyle": {"color": colour(s)}}))
        .collect();
    json!({
        "tooltip": {"trigger": "item"},
        "legend": {"bottom": 0},
        "series": [{"type": "pie", "radius": ["40%", "70%"], "data": data,
                    "label": {"formatter": "{b}: {c}"}}],
    })
}

#[cfg(test)]
mod tests {
    use super::status_colour;
    use crate::contrast::{GRAPHICS, ratio};

    /// Chart slices carry meaning: 3:1 against the page, every status's colour.
    #[test]
    fn status_colours_meet_aa() {
        for s in [
            "achieved",
            "not_achieved",
            "no_data",
            "completed",
            "on_track",
            "at_risk",
            "unreported",
            "overdue",
            "not_started",
            "target_achieved",
            "needs_acceleration",
            "limited_progress",
            "deterioration",
            "not_available",
        ] {
            let c = status_colour(s);
            assert!(
                ratio(c, "#ffffff") >= GRAPHICS,
                "{s} {c}: {:.2}:1",
                ratio(c, "#ffffff")
            );
        }
    }
}
