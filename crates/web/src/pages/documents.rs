//! Documents: the list, the viewer with every item marked, a ledger item, search.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use plantrack_model::{DocumentKind, QuantityRole, Span};

use crate::i18n::{Words, status};
use crate::util::{esc, file_name, href};
use crate::views::{VerdictRow, doc_href, item_href, lang_param, verdict_row};
use crate::{Failure, respond};

use super::*;

// ---------------------------------------------------------------- documents

#[derive(Template)]
#[template(path = "documents.html")]
struct DocumentsPage {
    l: Layout,
    docs: Vec<DocRow>,
}

struct DocRow {
    href: String,
    title: String,
    kind: &'static str,
    region: String,
    year: String,
}

pub fn kind_label(t: &Words, k: DocumentKind) -> &'static str {
    match (k, t.lang == "zh") {
        (DocumentKind::FiveYearPlan, true) => "规划纲要",
        (DocumentKind::AnnualPlanReport, true) => "计划执行情况与计划草案的报告",
        (DocumentKind::WorkReport, true) => "政府工作报告",
        (DocumentKind::TaskTable, true) => "重点工作责任分解",
        (DocumentKind::StatisticalBulletin, true) => "统计公报",
        (DocumentKind::DataImport, true) => "导入的统计数据",
        (DocumentKind::Other, true) => "其他",
        (k, false) => k.as_str(),
    }
}

pub async fn documents(
    Page {
        app,
        p,
        uri,
        headers,
    }: Page,
) -> Response {
    respond(&app, &headers, async {
        let t = p.t();
        let s = scope(&app, &p, &headers).await?;
        let docs = s
            .meta
            .documents
            .iter()
            .map(|d| DocRow {
                href: href(
                    &format!("/documents/{}", d.id.unwrap_or(0)),
                    &[("lang", lang_param(t.lang))],
                ),
                title: d.title.clone().unwrap_or_else(|| file_name(&d.source)),
                kind: kind_label(t, d.kind),
                region: d.region.clone().unwrap_or_default(),
                year: d.year.map_or(String::new(), |y| y.to_string()),
            })
            .collect();
        let mut l = layout(t, &s, &uri, t.documents.to_string(), "documents");
        l.selectors = false;
        render(DocumentsPage { l, docs })
    })
    .await
}

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentPage {
    l: Layout,
    source: String,
    kind: &'static str,
    region: String,
    year: String,
    count: usize,
    body: String,
}

/// The document's text as HTML with every extracted item marked: quantities and milestones as
/// links to their ledger item, task rows as anchors. Item anchors are `b{byte}`; task anchors
/// `t{byte}`.
pub fn highlighted(
    text: &str,
    marks: &[(Span, String, &'static str, String)],
    tasks: &[usize],
) -> String {
    // (start, end, class, href, title), non-overlapping, in order.
    let mut spans: Vec<&(Span, String, &'static str, String)> = marks
        .iter()
        .filter(|(s, ..)| {
            s.start < s.end
                && s.end <= text.len()
                && text.is_char_boundary(s.start)
                && text.is_char_boundary(s.end)
        })
        .collect();
    spans.sort_by_key(|(s, ..)| (s.start, std::cmp::Reverse(s.end)));
    let mut task_starts: Vec<usize> = tasks
        .iter()
        .copied()
        .filter(|&s| s <= text.len() && text.is_char_boundary(s))
        .collect();
    task_starts.sort_unstable();
    task_starts.dedup();
    let mut out = String::with_capacity(text.len() * 2);
    out.push_str("<span id=\"p0\"></span>");
    let mut at = 0;
    let mut ti = 0;
    // Plain text, with an anchor at each line start (`p{byte}`) for search hits.
    let plain = |out: &mut String, from: usize, to: usize| {
        let mut last = from;
        for (k, _) in text[from..to].match_indices('\n') {
            let next = from + k + 1;
            out.push_str(&esc(&text[last..next]));
            out.push_str(&format!("<span id=\"p{next}\"></span>"));
            last = next;
        }
        out.push_str(&esc(&text[last..to]));
    };
    let mut flush_tasks = |out: &mut String, upto: usize, at: &mut usize| {
        while ti < task_starts.len() && task_starts[ti] <= upto {
            let s = task_starts[ti].max(*at);
            plain(out, *at, s);
            *at = s;
            out.push_str(&format!(
                "<span class=\"task-mark\" id=\"t{}\"></span>",
                task_starts[ti]
            ));
            ti += 1;
        }
    };
    for (span, href, class, title) in spans {
        if span.start < at {
            continue; // overlaps the previous mark
        }
        flush_tasks(&mut out, span.start, &mut at);
        plain(&mut out, at, span.start);
        out.push_str(&format!(
            "<mark class=\"{class}\" id=\"b{}\" title=\"{}\"><a href=\"{}\">{}</a></mark>",
            span.start,
            esc(title),
            esc(href),
            esc(&text[span.start..span.end])
        ));
        at = span.end;
    }
    flush_tasks(&mut out, text.len(), &mut at);
    plain(&mut out, at, text.len());
    out
}

pub async fn document(
    Path(id): Path<i64>,
    Page {
        app,
        p,
        uri,
        headers,
    }: Page,
) -> Response {
    respond(&app, &headers, async {
        let t = p.t();
        let s = scope(&app, &p, &headers).await?;
        let (d, text, ledger) = app.data.document(id).await?.ok_or(Failure::NotFound)?;
        let lang = lang_param(t.lang);
        let mut marks = Vec::new();
        for q in &ledger.quantities {
            let class = if q.item.role == QuantityRole::Target {
                "q target"
            } else {
                "q actual"
            };
            marks.push((
                q.item.span,
                href(
                    &format!("/items/quantity/{id}/{}", q.item.span.start),
                    &[("lang", lang)],
                ),
                class,
                q.item.metric.clone(),
            ));
        }
        for m in &ledger.milestones {
            marks.push((
                m.item.span,
                href(
                    &format!("/items/milestone/{id}/{}", m.item.span.start),
                    &[("lang", lang)],
                ),
                "m",
                format!("{} {}", m.item.subject, m.item.event),
            ));
        }
        let task_starts: Vec<usize> = ledger.tasks.iter().map(|t| t.item.span.start).collect();
        let count = marks.len() + task_starts.len();
        let body = highlighted(&text, &marks, &task_starts);
        let mut l = layout(
            t,
            &s,
            &uri,
            d.title.clone().unwrap_or_else(|| file_name(&d.source)),
            "documents",
        );
        l.selectors = false;
        render(DocumentPage {
            l,
            source: file_name(&d.source),
            kind: kind_label(t, d.kind),
            region: d.region.clone().unwrap_or_default(),
            year: d.year.map_or(String::new(), |y| y.to_string()),
            count,
            body,
        })
    })
    .await
}

/// An item's facts, its sentence, and the year and region of its verdicts.
type ItemFacts = (
    Vec<(&'static str, String)>,
    String,
    Option<i32>,
    Option<String>,
);

#[derive(Template)]
#[template(path = "item.html")]
struct ItemPage {
    l: Layout,
    back: String,
    document: String,
    fields: Vec<(&'static str, String)>,
    sentence: String,
    verdicts: Vec<VerdictRow>,
}

pub async fn item(
    Path((kind, doc, start)): Path<(String, i64, usize)>,
    Page {
        app,
        p,
        uri,
        headers,
    }: Page,
) -> Response {
    respond(&app, &headers, async {
        let t = p.t();
        let mut s = scope(&app, &p, &headers).await?;
        let ledger = app
            .data
            .store
            .ledger(&plantrack_store::LedgerFilter {
                document: Some(doc),
                ..Default::default()
            })
            .await?;
        let d = ledger
            .documents
            .iter()
            .find(|d| d.id == Some(doc))
            .ok_or(Failure::NotFound)?;
        let (fields, sentence, year, region): ItemFacts = match kind.as_str() {
            "quantity" => {
                let q = &ledger
                    .quantities
                    .iter()
                    .find(|q| q.item.span.start == start)
                    .ok_or(Failure::NotFound)?
                    .item;
                let role = if q.role == QuantityRole::Target {
                    t.target
                } else {
                    t.result
                };
                (
                    vec![
                        (t.kind, role.to_string()),
                        (t.metric, q.metric.clone()),
                        (
                            t.value,
                            format!(
                                "{}{}",
                                crate::util::num(q.value),
                                q.unit.clone().unwrap_or_default()
                            ),
                        ),
                        (t.year, q.year.map_or(String::new(), |y| y.to_string())),
                        (
                            t.region,
                            q.region.clone().or(d.region.clone()).unwrap_or_default(),
                        ),
                    ],
                    q.text.clone(),
                    q.year,
                    q.region.clone().or(d.region.clone()),
                )
            }
            "milestone" => {
                let m = &ledger
                    .milestones
                    .iter()
                    .find(|m| m.item.span.start == start)
                    .ok_or(Failure::NotFound)?
                    .item;
                let role = if m.role == QuantityRole::Target {
                    t.target
                } else {
                    t.result
                };
                (
                    vec![
                        (t.kind, role.to_string()),
                        (t.metric, m.subject.clone()),
                        (t.value, m.event.clone()),
                        (t.year, m.year.map_or(String::new(), |y| y.to_string())),
                        (
                            t.region,
                            m.region.clone().or(d.region.clone()).unwrap_or_default(),
                        ),
                    ],
                    m.text.clone(),
                    m.year,
                    m.region.clone().or(d.region.clone()),
                )
            }
            _ => return Err(Failure::NotFound),
        };
        // The verdicts this item takes part in, as target or as result.
        let mut verdicts = Vec::new();
        if let (Some(year), Some(region)) = (year, region) {
            s.year = year;
            s.region = region;
            let view = app.data.year(year, &s.region, s.today).await?;
            let indicators =
                super::plan::indicators_of_targets(&*app.data.plan(&s.region).await?, t);
            let is_it = |e: &plantrack_evaluate::Evidence| {
                e.kind == kind && e.document.id == Some(doc) && e.start() == start
            };
            verdicts = view
                .verdicts
                .iter()
                .filter(|v| is_it(&v.target) || v.actual.as_ref().is_some_and(is_it))
                .map(|v| super::plan::with_indicator(verdict_row(v, t), v, &indicators))
                .collect();
        }
        let mut l = layout(
            t,
            &s,
            &uri,
            format!("{} · {}", fields[1].1, fields[2].1),
            "targets",
        );
        l.selectors = false;
        render(ItemPage {
            l,
            back: doc_href(d, start, t.lang),
            document: d.title.clone().unwrap_or_else(|| file_name(&d.source)),
            fields,
            sentence,
            verdicts,
        })
    })
    .await
}

// ---------------------------------------------------------------- search

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    l: Layout,
    q: String,
    items: Vec<(String, String, String)>,
    hits: Vec<(String, String, String, String)>,
}

pub async fn search(
    Page {
        app,
        p,
        uri,
        headers,
    }: Page,
) -> Response {
    respond(&app, &headers, async {
        let t = p.t();
        let s = scope(&app, &p, &headers).await?;
        let q = p.q.clone().unwrap_or_default().trim().to_string();
        let mut hits = Vec::new();
        let mut items = Vec::new();
        if !q.is_empty() {
            let lang = lang_param(t.lang);
            for h in app.data.store.search(&q, 50).await? {
                let id = s.meta.doc_id(&h.source);
                hits.push((
                    format!(
                        "{}#p{}",
                        href(&format!("/documents/{id}"), &[("lang", lang)]),
                        h.start
                    ),
                    file_name(&h.source),
                    h.section.clone().unwrap_or_default(),
                    h.snippet.clone(),
                ));
            }
            // Items of the selected year and region whose metric or subject holds the words.
            let view = app.data.year(s.year, &s.region, s.today).await?;
            for v in &view.verdicts {
                let (m, f) = v.target.figure();
                if m.contains(&q) {
                    items.push((
                        format!("{m} {f}"),
                        item_href(&v.target, t.lang),
                        status(t, v.status.as_str()).to_string(),
                    ));
                }
            }
        }
        let mut l = layout(t, &s, &uri, t.search.to_string(), "search");
        l.selectors = false;
        render(SearchPage { l, q, items, hits })
    })
    .await
}
