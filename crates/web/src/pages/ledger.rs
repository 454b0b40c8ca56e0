//! Pages of the ledger: the overview and targets against results (the five-year plan's pages
//! are `plan.rs`'s).

use askama::Template;
use axum::response::Response;
use plantrack_evaluate::{Tally, TargetStatus, TaskStatus};

use crate::data::YearView;
use crate::i18n::status;
use crate::respond;
use crate::util::href;
use crate::views::{VerdictRow, lang_param, status_pie, verdict_row};

use super::*;

// ---------------------------------------------------------------- overview

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    l: Layout,
    today: String,
    tally: Tally,
    words: StatusWords,
    links: StatusLinks,
    verdict_chart: String,
    task_chart: String,
    indicators: Vec<super::plan::ChartCard>,
}

struct StatusWords {
    achieved: &'static str,
    not_achieved: &'static str,
    no_data: &'static str,
}

struct StatusLinks {
    achieved: String,
    not_achieved: String,
    no_data: String,
}

pub async fn overview(
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
        let view = app.data.year(s.year, &s.region, s.today).await?;
        let plan = app.data.plan(&s.region).await?;
        let tally = Tally::of(&view.verdicts);
        let mut l = layout(
            t,
            &s,
            &uri,
            format!("{} · {} {}", t.overview, s.region, s.year),
            "overview",
        );
        l.charts = true;
        let y = s.year.to_string();
        let link = |st: &str| {
            href(
                "/targets",
                &[
                    ("year", &y),
                    ("region", &s.region),
                    ("status", st),
                    ("lang", lang_param(t.lang)),
                ],
            )
        };
        let mut task_counts: Vec<(&str, usize)> = Vec::new();
        for st in [
            TaskStatus::Completed,
            TaskStatus::OnTrack,
            TaskStatus::AtRisk,
            TaskStatus::Unreported,
            TaskStatus::Overdue,
            TaskStatus::NotStarted,
        ] {
            let n = view.tasks.iter().filter(|x| x.status == st).count();
            if n > 0 {
                task_counts.push((st.as_str(), n));
            }
        }
        let indicators = plan
            .evals
            .iter()
            .filter(|e| !e.observations.is_empty())
            .filter_map(|e| {
                let doc = plan.ledger.documents.iter().find(|d| d.source == e.source);
                super::plan::chart_card(e, doc.and_then(|d| d.id).unwrap_or(0), t)
            })
            .collect();
        render(OverviewPage {
            today: s.today.to_string(),
            words: StatusWords {
                achieved: status(t, "achieved"),
                not_achieved: status(t, "not_achieved"),
                no_data: status(t, "no_data"),
            },
            links: StatusLinks {
                achieved: link("achieved"),
                not_achieved: link("not_achieved"),
                no_data: link("no_data"),
            },
            verdict_chart: status_pie(
                &[
                    ("achieved", tally.achieved),
                    ("not_achieved", tally.not_achieved),
                    ("no_data", tally.no_data),
                ],
                t,
            )
            .to_string(),
            task_chart: status_pie(&task_counts, t).to_string(),
            tally,
            indicators,
            l,
        })
    })
    .await
}

// ---------------------------------------------------------------- targets

#[derive(Template)]
#[template(path = "targets.html")]
struct TargetsPage {
    l: Layout,
    statuses: Vec<(&'static str, &'static str)>,
    status: String,
    q: String,
    /// The metrics of the year's targets, for the metric field's suggestions.
    metrics: Vec<String>,
    /// The documents that set the year's targets: key, title, how many.
    docs: Vec<(String, String, usize)>,
    doc: String,
    rows: Vec<VerdictRow>,
    /// The verdicts the filters keep, of all the year's.
    shown: usize,
    total: usize,
    /// The rows of this page: first and last, from 1.
    first: usize,
    last: usize,
    pages: Vec<PageLink>,
    prev: String,
    next: String,
    csv: String,
    xlsx: String,
    json: String,
}

/// A link to one page of a long list.
pub struct PageLink {
    pub number: usize,
    pub href: String,
    pub current: bool,
}

/// Rows a page of `/targets` shows.
pub const TARGETS_PER_PAGE: usize = 50;

/// The order an office reads targets in: those not achieved first (what needs explaining),
/// then those achieved, then those without a result yet; within each, the documents' order.
fn status_rank(s: TargetStatus) -> u8 {
    match s {
        TargetStatus::NotAchieved => 0,
        TargetStatus::Achieved => 1,
        TargetStatus::NoData => 2,
    }
}

/// The document filter's key, when one is asked for; a value that is no key is refused.
fn doc_filter(p: &Params) -> Result<Option<i64>, Failure> {
    match p.doc.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => Ok(None),
        Some(d) => d
            .parse()
            .map(Some)
            .map_err(|_| Failure::BadRequest(format!("doc={d}：文件编号应为数字"))),
    }
}

/// The verdicts a targets page or download shows, in the order they are read.
pub fn filtered_verdicts<'a>(
    view: &'a YearView,
    p: &Params,
) -> Result<Vec<&'a plantrack_evaluate::Verdict>, Failure> {
    let q = p.q.as_deref().unwrap_or("").trim();
    let doc = doc_filter(p)?;
    let mut vs: Vec<&plantrack_evaluate::Verdict> = view
        .verdicts
        .iter()
        .filter(|v| {
            p.status
                .as_deref()
                .is_none_or(|s| s.is_empty() || v.status.as_str() == s)
        })
        .filter(|v| q.is_empty() || v.target.figure().0.contains(q))
        .filter(|v| doc.is_none_or(|d| v.target.document.id == Some(d)))
        .collect();
    // A stable sort: the ledger's order (document, then place in it) within each status.
    vs.sort_by_key(|v| status_rank(v.status));
    Ok(vs)
}

/// The page asked for (from 1) of `pages`; a number that is none is refused.
fn page_number(p: &Params, pages: usize) -> Result<usize, Failure> {
    match p.page.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(1),
        Some(s) => match s.parse::<usize>() {
            Ok(n) if n >= 1 => Ok(n.min(pages.max(1))),
            _ => Err(Failure::BadRequest(format!(
                "page={s}：页码应为从1起的数字"
            ))),
        },
    }
}

pub async fn targets(
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
        let view = app.data.year(s.year, &s.region, s.today).await?;
        let kept = filtered_verdicts(&view, &p)?;
        let indicators = super::plan::indicators_of_targets(&*app.data.plan(&s.region).await?, t);
        let pages = kept.len().div_ceil(TARGETS_PER_PAGE);
        let page = page_number(&p, pages)?;
        let from = (page - 1) * TARGETS_PER_PAGE;
        let rows: Vec<VerdictRow> = kept
            .iter()
            .skip(from)
            .take(TARGETS_PER_PAGE)
            .map(|v| super::plan::with_indicator(verdict_row(v, t), v, &indicators))
            .collect();
        let mut metrics: Vec<String> = view.verdicts.iter().map(|v| v.target.figure().0).collect();
        metrics.sort();
        metrics.dedup();
        let mut docs: Vec<(String, String, usize)> = Vec::new();
        for v in &view.verdicts {
            let id = v.target.document.id.unwrap_or(0).to_string();
            match docs.iter_mut().find(|d| d.0 == id) {
                Some(d) => d.2 += 1,
                None => docs.push((id, v.target.document.display_title(), 1)),
            }
        }
        // Links keep the filters; only the page changes.
        let y = s.year.to_string();
        let link = |n: usize| {
            let n = n.to_string();
            href(
                "/targets",
                &[
                    ("year", &y),
                    ("region", &s.region),
                    ("status", p.status.as_deref().unwrap_or("")),
                    ("q", p.q.as_deref().unwrap_or("")),
                    ("doc", p.doc.as_deref().unwrap_or("")),
                    ("as_of", p.as_of.as_deref().unwrap_or("")),
                    ("lang", lang_param(t.lang)),
                    ("page", if n == "1" { "" } else { &n }),
                ],
            )
        };
        let (csv, xlsx, json) = downloads("/api/targets", &s, &p);
        render(TargetsPage {
            l: layout(
                t,
                &s,
                &uri,
                format!("{} · {} {}", t.targets, s.region, s.year),
                "targets",
            ),
            statuses: ["not_achieved", "achieved", "no_data"]
                .into_iter()
                .map(|x| (x, status(t, x)))
                .collect(),
            status: p.status.clone().unwrap_or_default(),
            q: p.q.clone().unwrap_or_default(),
            metrics,
            docs,
            doc: p.doc.clone().unwrap_or_default(),
            shown: kept.len(),
            total: view.verdicts.len(),
            first: if rows.is_empty() { 0 } else { from + 1 },
            last: from + rows.len(),
            pages: if pages > 1 {
                (1..=pages)
                    .map(|n| PageLink {
                        number: n,
                        href: link(n),
                        current: n == page,
                    })
                    .collect()
            } else {
                Vec::new()
            },
            prev: if page > 1 {
                link(page - 1)
            } else {
                String::new()
            },
            next: if page < pages {
                link(page + 1)
            } else {
                String::new()
            },
            rows,
            csv,
            xlsx,
            json,
        })
    })
    .await
}
