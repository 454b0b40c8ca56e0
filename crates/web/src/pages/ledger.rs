//! Pages of the ledger: the overview and targets against results (the five-year plan's pages
//! are `plan.rs`'s).

use askama::Template;
use axum::response::Response;
use plantrack_evaluate::{Tally, TaskStatus};

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
    rows: Vec<VerdictRow>,
    total: usize,
    csv: String,
    xlsx: String,
    json: String,
}

/// The verdicts a targets page or download shows.
pub fn filtered_verdicts<'a>(
    view: &'a YearView,
    p: &Params,
) -> Vec<&'a plantrack_evaluate::Verdict> {
    let q = p.q.as_deref().unwrap_or("");
    view.verdicts
        .iter()
        .filter(|v| {
            p.status
                .as_deref()
                .is_none_or(|s| s.is_empty() || v.status.as_str() == s)
        })
        .filter(|v| q.is_empty() || v.target.figure().0.contains(q))
        .collect()
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
        let indicators = super::plan::indicators_of_targets(&*app.data.plan(&s.region).await?, t);
        let rows: Vec<VerdictRow> = filtered_verdicts(&view, &p)
            .into_iter()
            .map(|v| super::plan::with_indicator(verdict_row(v, t), v, &indicators))
            .collect();
        let (csv, xlsx, json) = downloads("/api/targets", &s, &p);
        render(TargetsPage {
            l: layout(
                t,
                &s,
                &uri,
                format!("{} · {} {}", t.targets, s.region, s.year),
                "targets",
            ),
            statuses: ["achieved", "not_achieved", "no_data"]
                .into_iter()
                .map(|x| (x, status(t, x)))
                .collect(),
            status: p.status.clone().unwrap_or_default(),
            q: p.q.clone().unwrap_or_default(),
            total: view.verdicts.len(),
            rows,
            csv,
            xlsx,
            json,
        })
    })
    .await
}
