//! Documents: the list, the viewer with every item marked, a ledger item, search.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use plantrack_model::{DocumentKind, QuantityRole};

use crate::i18n::{Words, status};
use crate::util::{esc, href};
use crate::views::{VerdictRow, doc_href, item_href, lang_param, verdict_row};
use crate::{Failure, respond};

use super::*;

// ---------------------------------------------------------------- documents

#[derive(Template)]
#[template(path = "documents.html")]
struct DocumentsPage {
    l: Layout,
    docs: Vec<DocRow>,
    /// Whether the form to import a table of figures is shown (supervisors).
    can_import: bool,
}

struct DocRow {
    href: String,
    title: String,
    kind: &'static str,
    region: String,
    year: String,
}

pub fn kind_label(t: &Words, k: DocumentKind) -> &'static str {
    if t.lang == "zh" {
        k.name_zh()
    } else {
        k.as_str()
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
                title: d.display_title(),
                kind: kind_label(t, d.kind),
                region: d.region.clone().unwrap_or_default(),
                year: d.year.map_or(String::new(), |y| y.to_string()),
            })
            .collect();
        let can_import = s.user.as_ref().is_some_and(|u| u.supervises());
        let mut l = layout(t, &s, &uri, t.documents.to_string(), "documents");
        l.selectors = false;
        render(DocumentsPage {
            l,
            docs,
            can_import,
        })
    })
    .await
}

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentPage {
    l: Layout,
    kind: &'static str,
    region: String,
    year: String,
    count: usize,
    toc: String,
    body: String,
    /// What became of the file just imported, in words.
    imported: String,
    /// The document's trail: when, who, what.
    trail: Vec<(String, String, String)>,
}

/// A document's audit events in words: ingests and imports, with the file and rows an import
/// names.
fn trail(
    t: &Words,
    rows: &[plantrack_store::AuditRow],
    zone: plantrack_evaluate::Zone,
) -> Vec<(String, String, String)> {
    let zh = t.lang == "zh";
    rows.iter()
        .map(|r| {
            let after: serde_json::Value = r
                .after
                .as_deref()
                .and_then(|a| serde_json::from_str(a).ok())
                .unwrap_or_default();
            let verb = match (r.action.as_str(), zh) {
                ("replace", true) => "更新",
                ("replace", false) => "replaced",
                (_, true) => "导入",
                (_, false) => "added",
            };
            let what = match (after["file"].as_str(), after["rows"].as_u64()) {
                (Some(file), Some(n)) if zh => format!("{verb}了{file}的{n}行数据"),
                (Some(file), Some(n)) => format!("{verb} {n} rows of {file}"),
                _ if zh => format!("{verb}了这份文件"),
                _ => format!("{verb} the document"),
            };
            let who = if r.actor == "ingest" {
                if zh { "命令行" } else { "command line" }.to_string()
            } else {
                r.actor.clone()
            };
            (when(&r.at, zone), who, what)
        })
        .collect()
}

/// The contents as nested lists, to the third level: each entry links to its heading's line.
fn toc_html(toc: &[crate::viewer::TocEntry]) -> String {
    const DEEPEST: u8 = 3;
    let entries: Vec<_> = toc.iter().filter(|e| e.level <= DEEPEST).collect();
    if entries.len() < 2 {
        return String::new();
    }
    let mut out = String::new();
    let mut depth = 0u8;
    for e in entries {
        let level = e.level.clamp(1, DEEPEST);
        if level > depth {
            for _ in depth..level {
                out.push_str("<ol><li>");
            }
        } else {
            for _ in level..depth {
                out.push_str("</li></ol>");
            }
            out.push_str("</li><li>");
        }
        depth = level;
        out.push_str(&format!(
            "<a href=\"#p{}\">{}</a>",
            e.at,
            esc(&crate::util::cut(&e.title, 40))
        ));
    }
    for _ in 0..depth {
        out.push_str("</li></ol>");
    }
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
        let sections = app.data.store.sections(id).await?;
        let lang = lang_param(t.lang);
        let mut marks = Vec::new();
        for q in &ledger.quantities {
            let class = if q.item.role == QuantityRole::Target {
                "q target"
            } else {
                "q actual"
            };
            marks.push(crate::viewer::Mark {
                span: q.item.span,
                href: href(
                    &format!("/items/quantity/{id}/{}", q.item.span.start),
                    &[("lang", lang)],
                ),
                class,
                title: q.item.metric.clone(),
            });
        }
        for m in &ledger.milestones {
            marks.push(crate::viewer::Mark {
                span: m.item.span,
                href: href(
                    &format!("/items/milestone/{id}/{}", m.item.span.start),
                    &[("lang", lang)],
                ),
                class: "m",
                title: format!("{} {}", m.item.subject, m.item.event),
            });
        }
        let task_starts: Vec<usize> = ledger.tasks.iter().map(|t| t.item.span.start).collect();
        let count = marks.len() + task_starts.len();
        let headings: Vec<crate::viewer::Heading> = sections
            .iter()
            .map(|x| crate::viewer::Heading {
                level: x.level,
                span: x.span,
                title: if x.marker.is_empty() || x.title.starts_with(&x.marker) {
                    x.title.clone()
                } else if x.marker.ends_with(['、', '）', ')', '.', '．']) {
                    format!("{}{}", x.marker, x.title)
                } else {
                    format!("{} {}", x.marker, x.title)
                },
            })
            .collect();
        let rendered = crate::viewer::render(&text, &marks, &task_starts, &headings);
        let audit = app.data.store.audit_of("document", &d.source).await?;
        let zh = t.lang == "zh";
        let imported = match (p.imported.as_deref(), zh) {
            (Some("inserted"), true) => "已导入。",
            (Some("inserted"), false) => "Imported.",
            (Some("replaced"), true) => "已导入，替换了这个文件先前导入的数据。",
            (Some("replaced"), false) => "Imported, replacing the file's earlier rows.",
            (Some("unchanged"), true) => "这个文件与先前导入的相同，台账没有变化。",
            (Some("unchanged"), false) => "The file is the one imported before: nothing changed.",
            _ => "",
        }
        .to_string();
        let mut l = layout(t, &s, &uri, d.display_title(), "documents");
        l.selectors = false;
        render(DocumentPage {
            l,
            kind: kind_label(t, d.kind),
            region: d.region.clone().unwrap_or_default(),
            year: d.year.map_or(String::new(), |y| y.to_string()),
            count,
            toc: toc_html(&rendered.toc),
            body: rendered.html,
            imported,
            trail: trail(t, &audit, app.data.supervision.zone),
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
            document: d.display_title(),
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
    hits: Vec<SearchRow>,
}

/// A paragraph found, under its document's title; `snippet` is HTML with the words marked.
struct SearchRow {
    href: String,
    title: String,
    section: String,
    snippet: String,
}

/// `text` as HTML with every occurrence of the words in `<mark>` (letters in any case), the
/// rest escaped.
pub(crate) fn highlight(text: &str, words: &[String]) -> String {
    let lower = text.to_lowercase();
    // Lower-casing can change byte lengths outside ASCII: then mark nothing rather than wrong
    // bytes.
    let hay = if lower.len() == text.len() {
        &lower
    } else {
        text
    };
    let mut hits: Vec<(usize, usize)> = Vec::new();
    for w in words.iter().filter(|w| !w.is_empty()) {
        let w = w.to_lowercase();
        hits.extend(hay.match_indices(w.as_str()).map(|(k, m)| (k, k + m.len())));
    }
    hits.sort_unstable();
    // Words that overlap or touch are one mark.
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in hits {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let mut out = String::with_capacity(text.len() + 32);
    let mut at = 0;
    for (s, e) in merged {
        out.push_str(&esc(&text[at..s]));
        out.push_str("<mark>");
        out.push_str(&esc(&text[s..e]));
        out.push_str("</mark>");
        at = e;
    }
    out.push_str(&esc(&text[at..]));
    out
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
            let words = plantrack_store::query_words(&q);
            for h in app.data.store.search(&q, 50).await? {
                let doc = s.meta.documents.iter().find(|d| d.source == h.source);
                hits.push(SearchRow {
                    href: format!(
                        "{}#p{}",
                        href(
                            &format!("/documents/{}", doc.and_then(|d| d.id).unwrap_or(0)),
                            &[("lang", lang)]
                        ),
                        h.start
                    ),
                    title: doc.map_or_else(
                        || h.title.clone().unwrap_or_default(),
                        |d| d.display_title(),
                    ),
                    section: h.section.clone().unwrap_or_default(),
                    snippet: highlight(&h.snippet, &words),
                });
            }
            // Items of the selected year and region whose metric or subject holds the words.
            let view = app.data.year(s.year, &s.region, s.today).await?;
            for v in &view.verdicts {
                let (m, f) = v.target.figure();
                if m.contains(&q) {
                    items.push((
                        highlight(&format!("{m} {f}"), std::slice::from_ref(&q)),
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

#[cfg(test)]
mod tests {
    use super::highlight;

    #[test]
    fn search_words_are_marked_and_the_rest_escaped() {
        let words = vec!["高新技术".to_string(), "企业".to_string()];
        assert_eq!(
            highlight("国家高新技术企业<b>达到</b>1.15万家", &words),
            "国家<mark>高新技术企业</mark>&lt;b&gt;达到&lt;/b&gt;1.15万家"
        );
        assert_eq!(
            highlight("5G基站 and 5g", &["5g".to_string()]),
            "<mark>5G</mark>基站 and <mark>5g</mark>"
        );
        // Overlapping words: one mark.
        assert_eq!(
            highlight(
                "高新技术企业的",
                &["高新技术企".to_string(), "技术企业".to_string()]
            ),
            "<mark>高新技术企业</mark>的"
        );
        // A word that is markup is text.
        assert_eq!(highlight("a<b", &["<".to_string()]), "a<mark>&lt;</mark>b");
    }
}
