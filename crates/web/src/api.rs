//! The JSON API: the data of every page, with CSV and XLSX downloads of every table
//! (`?format=csv|xlsx`), described by `openapi.json` (utoipa, from the annotations here).
//!
//! The response schemas below document the JSON the handlers serialise from the evaluation
//! types; a test compares their properties with what the API returns, so the two cannot drift.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::pages::{
    By, Params, TaskFilter, card_row, cards, filtered_verdicts, rankings_shown, scope,
};
use plantrack_store::file_name;

use crate::data::Meta;
use crate::util::num;
use crate::views::verdict_row;
use crate::{App, Failure, respond_with};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "plantrack API",
        description = "Targets, results, plans, tasks and scorecards read from planning documents, each with its evidence."
    ),
    paths(
        overview, targets, plan, indicator, history, tasks, task, scorecards, documents, document,
        search
    ),
    components(schemas(
        OverviewJson,
        VerdictJson,
        IndicatorJson,
        HistoryJson,
        HistoryYearJson,
        TaskJson,
        ScorecardJson,
        DocumentJson,
        DocumentTextJson,
        SearchHitJson,
        TallyJson
    ))
)]
pub struct ApiDoc;

pub async fn openapi() -> Response {
    let mut r = Json(ApiDoc::openapi()).into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    r
}

/// Counts of verdicts by status.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct TallyJson {
    achieved: usize,
    not_achieved: usize,
    no_data: usize,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct OverviewJson {
    year: i32,
    region: String,
    as_of: String,
    targets: TallyJson,
    /// Task counts by status.
    #[schema(value_type = Object)]
    tasks: (),
    /// The region's five-year indicators that have yearly figures.
    indicators: Vec<IndicatorJson>,
}

/// A target, the result found for it, and the verdict. `target` and `actual` are quantities or
/// milestones with their `document`, `text` (the sentence) and `span` (byte offsets).
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct VerdictJson {
    year: i32,
    region: Option<String>,
    cascade: bool,
    #[schema(value_type = Object)]
    target: (),
    #[schema(value_type = Object, nullable)]
    actual: (),
    /// `achieved`, `not_achieved` or `no_data`.
    status: String,
    reason: String,
    /// The reason in Chinese.
    reason_zh: String,
    confidence: Option<f64>,
    vague: bool,
    /// The kind of document the result was taken from (`statistical_bulletin`, `data_import`,
    /// `work_report` …), by the source order (statistics before speeches unless the office's
    /// lexicon orders otherwise); null when no result was taken.
    source: Option<String>,
    /// The other sources' results for this target that give another figure (a work report's
    /// 预计 beside the bulletin's final figure), each a quantity with its `document`.
    #[schema(value_type = Vec<Object>)]
    disagreeing: (),
}

/// A five-year indicator against its trajectory, with every input.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct IndicatorJson {
    source: String,
    /// The plan's title.
    title: String,
    region: Option<String>,
    /// The table's row: `seq`, `name`, `unit`, `category` (the table's group), `attribute`
    /// (`expected`|`binding`), `aggregation` (null, `five_year_average`, `five_year_cumulative`),
    /// `baseline` and `target` as written.
    #[schema(value_type = Object)]
    indicator: (),
    /// The metric the yearly figures are read as, and their measure (what `/api/history` takes).
    metric: String,
    measure: String,
    lower_is_better: bool,
    /// `[year, value]`.
    #[schema(value_type = Object, nullable)]
    baseline: (),
    /// `[from, to]`: the years the baseline covers (the previous five for a total or an average).
    #[schema(value_type = Object, nullable)]
    baseline_period: (),
    /// `[year, value]`.
    #[schema(value_type = Object, nullable)]
    target: (),
    /// The decimals the indicator is written in; projections and totals are rounded to them.
    precision: u32,
    /// How a five-year total adds up: `sum` (counts) or `compound` (rates chain); null for an
    /// average or a level.
    accumulation: Option<String>,
    /// Each yearly figure with its `evidence` (the sentence and its document).
    #[schema(value_type = Vec<Object>)]
    observations: (),
    /// Targets of the plan's years for the same metric.
    #[schema(value_type = Vec<Object>)]
    yearly_targets: (),
    cagr_observed: Option<f64>,
    cagr_required: Option<f64>,
    ratio: Option<f64>,
    projection: Option<f64>,
    /// A total's or an average's standing: `years_reported`, `missing`, `so_far`, `due`,
    /// `needed_rest`, `running`.
    #[schema(value_type = Object, nullable)]
    aggregate: (),
    /// `[year, value]` a year: where the indicator should stand to be on track.
    #[schema(value_type = Vec<Object>)]
    schedule: (),
    /// `target_achieved`, `on_track`, `needs_acceleration`, `limited_progress`,
    /// `deterioration` or `not_available`.
    status: String,
    reason: String,
    /// The reason in Chinese.
    reason_zh: String,
}

/// A metric's targets against its results, year by year.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct HistoryJson {
    metric: String,
    region: String,
    /// The measure asked for (`growth_rate`, `level`, …), or null for any.
    measure: Option<String>,
    years: Vec<HistoryYearJson>,
}

/// One year of a metric's history: the verdict of its target (null when none was read), and
/// the other targets of the metric that year that state a different figure.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct HistoryYearJson {
    year: i32,
    #[schema(value_type = Object, nullable)]
    verdict: (),
    #[schema(value_type = Vec<Object>)]
    others: (),
}

/// A key task with its status and the evidence behind it.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct TaskJson {
    index: usize,
    source: String,
    /// The title of the table the task is read from.
    title: String,
    seq: u32,
    plan_year: Option<i32>,
    #[schema(value_type = Object)]
    task: (),
    #[schema(value_type = Vec<Object>)]
    dues: (),
    /// The final deadline: the table's, or an approved extension's.
    final_due: Option<String>,
    /// The deadline an approved extension request (延期申请) set, if any.
    extended_to: Option<String>,
    #[schema(value_type = Vec<Object>)]
    linked: (),
    /// The latest published progress report, if any.
    #[schema(value_type = Object, nullable)]
    report: (),
    /// `not_started`, `on_track`, `at_risk`, `unreported` (no progress report by a reporting
    /// round or by the deadline: 未按期反馈 / 逾期未反馈), `overdue` (reported on, not completed,
    /// past the deadline: 逾期未完成) or `completed` (办结).
    status: String,
    /// No unit has acknowledged the task (未签收) or reported on it.
    not_acknowledged: bool,
    /// The day of the latest progress report waiting for its review, if any.
    report_waiting: Option<String>,
    /// Urges (催办) the urged unit has not answered with a published report since.
    #[schema(value_type = Vec<Object>)]
    urged: (),
    reason: String,
    /// The reason in Chinese.
    reason_zh: String,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct ScorecardJson {
    name: String,
    led: usize,
    cooperating: usize,
    #[schema(value_type = Object)]
    tasks: (),
    #[schema(value_type = Object)]
    cooperating_tasks: (),
    targets: TallyJson,
    completion: f64,
    achievement: Option<f64>,
    /// The assessment score, 0–100 (units and leaders; for signed-in users unless the office
    /// publishes rankings).
    score: Option<f64>,
    /// Whom the card is ranked against: `department` (市级部门), `district` (区人民政府),
    /// `leader`, `region`, or `group` (a placeholder for several units, never ranked).
    peer_group: String,
    /// The rank among the peer group, equal scores sharing one; null when unranked (or not
    /// shown).
    rank: Option<usize>,
    /// Why unranked: `few_tasks` (fewer than the rules' `min_tasks`) or `group`; null when ranked.
    unranked: Option<String>,
    unranked_reason: Option<String>,
    /// The same in Chinese.
    unranked_reason_zh: Option<String>,
    /// How the score was made from `rules/assessment.tsv`: `terms` (part, rule, count, points,
    /// weight, subtotal), `points`, `max`, `score`, `text`, `text_zh`.
    #[schema(value_type = Object, nullable)]
    basis: (),
    /// The units a group stands for (`各区人民政府`: the region's district governments).
    members: Vec<String>,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct DocumentJson {
    id: Option<i64>,
    /// The file the document was read from.
    source: String,
    /// The document's title: its title line, else made from its region, year and kind
    /// (`天津市2024年政府工作报告`).
    title: String,
    kind: String,
    region: Option<String>,
    year: Option<i32>,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct DocumentTextJson {
    document: DocumentJson,
    text: String,
    #[schema(value_type = Vec<Object>)]
    quantities: (),
    #[schema(value_type = Vec<Object>)]
    milestones: (),
    #[schema(value_type = Vec<Object>)]
    tasks: (),
    #[schema(value_type = Vec<Object>)]
    indicators: (),
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct SearchHitJson {
    source: String,
    /// The document's title: its title line, else made from its region, year and kind.
    title: String,
    section: Option<String>,
    start: i64,
    end: i64,
    snippet: String,
}

/// A table for CSV or XLSX: header and rows of cells.
pub struct Table {
    pub name: &'static str,
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// A CSV cell the way every export of plantrack writes one: never a formula (see
/// [`plantrack_store::csv_cell`]).
fn csv_cell(s: &str) -> String {
    plantrack_store::csv_cell(s)
}

/// JSON for the public: every `source` (the path a document was read from on the server) is
/// reduced to its file name, wherever it sits in the value (documents, the items' documents,
/// indicators, tasks, search hits), and has the document's `title` beside it, the name a person
/// reads ([`plantrack_model::DocumentRef::display_title`]). The server's directories are
/// nobody's business.
/// The public JSON of `value`: sources cut to file names, with their documents' titles.
fn public_json<T: Serialize>(value: &T, meta: &Meta) -> Result<Response, Failure> {
    let body = crate::public_json::to_vec(value, &meta.titles)
        .map_err(|e| Failure::Internal(format!("json: {e}")))?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response())
}

/// JSON, or the table as CSV (UTF-8 with a BOM, so that Excel reads the Chinese) or XLSX.
/// Headers in the page's language (`?lang=en` for English) and statuses in its words: a
/// spreadsheet is read by people, not by scripts (those take the JSON).
pub(crate) fn table_or_json<T: Serialize>(
    format: Option<&str>,
    json: &T,
    meta: &Meta,
    words: &crate::i18n::Words,
    table: impl FnOnce() -> Table,
) -> Result<Response, Failure> {
    let table = || {
        let mut t = table();
        let status_columns: Vec<usize> = t
            .header
            .iter()
            .enumerate()
            .filter(|(_, h)| matches!(**h, "status" | "状态"))
            .map(|(i, _)| i)
            .collect();
        for row in &mut t.rows {
            for &i in &status_columns {
                if let Some(cell) = row.get_mut(i) {
                    let label = crate::i18n::status(words, cell);
                    if label != "?" {
                        *cell = label.to_string();
                    }
                }
            }
        }
        t.header = t
            .header
            .iter()
            .map(|h| crate::i18n::column(words, h))
            .collect();
        t
    };
    match format.unwrap_or("json") {
        "json" | "" => public_json(json, meta),
        "csv" => {
            let t = table();
            let mut out = String::from("\u{feff}");
            out.push_str(
                &t.header
                    .iter()
                    .map(|h| csv_cell(h))
                    .collect::<Vec<_>>()
                    .join(","),
            );
            out.push_str("\r\n");
            for r in &t.rows {
                out.push_str(&r.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
                out.push_str("\r\n");
            }
            let mut resp = out.into_response();
            let h = resp.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            h.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!(
                    "attachment; filename=\"plantrack-{}.csv\"",
                    t.name
                ))
                .map_err(|e| Failure::Internal(e.to_string()))?,
            );
            Ok(resp)
        }
        "xlsx" => {
            let t = table();
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            let bold = rust_xlsxwriter::Format::new().set_bold();
            let fail = |e: rust_xlsxwriter::XlsxError| Failure::Internal(format!("xlsx: {e}"));
            for (c, h) in t.header.iter().enumerate() {
                sheet
                    .write_string_with_format(0, c as u16, *h, &bold)
                    .map_err(fail)?;
            }
            for (r, row) in t.rows.iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    sheet
                        .write_string((r + 1) as u32, c as u16, v)
                        .map_err(fail)?;
                }
            }
            let bytes = book.save_to_buffer().map_err(fail)?;
            let mut resp = bytes.into_response();
            let h = resp.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
            );
            h.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!(
                    "attachment; filename=\"plantrack-{}.xlsx\"",
                    t.name
                ))
                .map_err(|e| Failure::Internal(e.to_string()))?,
            );
            Ok(resp)
        }
        other => Err(Failure::BadRequest(format!(
            "format={other}: json, csv or xlsx"
        ))),
    }
}

/// The year's targets against results for a region.
#[utoipa::path(get, path = "/api/overview", params(
    ("year" = Option<i32>, Query, description = "The year (default: the latest reviewed)"),
    ("region" = Option<String>, Query, description = "The region (default: the main issuer)"),
    ("as_of" = Option<String>, Query, description = "Evaluation date, YYYY-MM-DD (default today)")),
    responses((status = 200, body = OverviewJson)))]
pub async fn overview(
    State(app): State<Arc<App>>,
    Query(p): Query<Params>,
    headers: HeaderMap,
) -> Response {
    respond_with(&app, &headers, async {
        let s = scope(&app, &p, &headers).await?;
        let view = app.data.year(s.year, &s.region, s.today).await?;
        let plan = app.data.plan(&s.region).await?;
        let mut tasks = std::collections::BTreeMap::new();
        for e in &view.tasks {
            *tasks.entry(e.status.as_str()).or_insert(0usize) += 1;
        }
        let body = serde_json::json!({
            "year": s.year,
            "region": s.region,
            "as_of": s.today,
            "targets": plantrack_evaluate::Tally::of(&view.verdicts),
            "tasks": tasks,
            "indicators": plan.evals.iter().filter(|e| !e.observations.is_empty()).collect::<Vec<_>>(),
        });
        public_json(&body, &s.meta)
    })
    .await
}

/// Every target of the year with the result linked to it and the verdict: those not achieved
/// first, then those achieved, then those without a result, each in the documents' order.
#[utoipa::path(get, path = "/api/targets", params(
    ("year" = Option<i32>, Query, description = "The year"),
    ("region" = Option<String>, Query, description = "The region"),
    ("status" = Option<String>, Query, description = "achieved, not_achieved or no_data"),
    ("q" = Option<String>, Query, description = "Words of the metric or subject"),
    ("doc" = Option<i64>, Query, description = "Only the targets this document sets (its id)"),
    ("format" = Option<String>, Query, description = "json (default), csv or xlsx")),
    responses((status = 200, body = [VerdictJson])))]
pub async fn targets(
    State(app): State<Arc<App>>,
    Query(p): Query<Params>,
    headers: HeaderMap,
) -> Response {
    respond_with(&app, &headers, async {
        let s = scope(&app, &p, &headers).await?;
        let view = app.data.year(s.year, &s.region, s.today).await?;
        let vs = filtered_verdicts(&view, &p)?;
        let t = p.t();
        table_or_json(p.format.as_deref(), &vs, &s.meta, p.t(), || Table {
            name: "targets",
            header: vec![
                "status",
                "region",
                "metric",
                "target",
                "result",
                "target_document",
                "target_sentence",
                "result_document",
                "result_sentence",
                "reason",
            ],
            rows: vs
                .iter()
                .map(|v| {
                    let r = verdict_row(v, t);
                    vec![
                        r.status.to_string(),
                        r.region,
                        r.metric,
                        r.target,
                        r.result,
                        v.target.document.display_title(),
                        v.target.sentence().to_string(),
                        v.actual
                            .as_ref()
                            .map(|a| a.document.display_title())
                            .unwrap_or_default(),
                        v.actual
                            .as_ref()
                            .map(|a| a.sentence().to_string())
                            .unwrap_or_default(),
                        r.reason,
                    ]
                })
                .collect(),
        })
    })
    .await
}

/// The region's five-year plan indicators against their trajectory.
#[utoipa::path(get, path = "/api/plan", params(
    ("region" = Option<String>, Query, description = "The region"),
    ("format" = Option<String>, Query, description = "json (default), csv or xlsx")),
    responses((status = 200, body = [IndicatorJson])))]
pub async fn plan(
    State(app): State<Arc<App>>,
    Query(p): Query<Params>,
    headers: HeaderMap,
) -> Response {
    respond_with(&app, &headers, async {
        let s = scope(&app, &p, &headers).await?;
        let view = app.data.plan(&s.region).await?;
        table_or_json(p.format.as_deref(), &view.evals, &s.meta, p.t(), || Table {
            name: "plan",
            header: vec![
                "seq",
                "category",
                "indicator",
                "attribute",
                "aggregation",
                "unit",
                "baseline_year",
                "baseline",
                "target",
                "latest_year",
                "latest",
                "ratio",
                "projection",
                "status",
                "reason",
            ],
            rows: view
                .evals
                .iter()
                .map(|e| {
                    let last = e.observations.last();
                    let unit = e.indicator.unit.clone().unwrap_or_default();
                    vec![
                        e.indicator.seq.to_string(),
                        e.indicator.category.clone().unwrap_or_default(),
                        e.indicator.name.clone(),
                        crate::pages::attribute(e.indicator.attribute, p.t()).to_string(),
                        crate::pages::aggregation_label(e.indicator.aggregation, p.t()).to_string(),
                        unit.clone(),
                        e.baseline_period.map_or(String::new(), |(a, b)| {
                            if a == b {
                                b.to_string()
                            } else {
                                format!("{a}-{b}")
                            }
                        }),
                        e.baseline.map_or(String::new(), |b| num(b.1)),
                        e.indicator.target.as_ref().map_or(String::new(), |t| {
                            crate::pages::table_figure(t, &unit, p.t())
                        }),
                        last.map_or(String::new(), |o| o.year.to_string()),
                        last.map_or(String::new(), |o| num(o.value)),
                        e.ratio.map_or(String::new(), num),
                        e.projection.map_or(String::new(), num),
                        e.status.as_str().to_string(),
                        crate::views::reason(p.t(), &e.reason, &e.reason_zh),
                    ]
                })
                .collect(),
        })
    })
    .await
}

/// One indicator of a five-year plan with every input of its evaluation: the JSON of its page
/// `/plan/{document}/{seq}`.
#[utoipa::path(get, path = "/api/plan/{document}/{seq}", params(
    ("document" = i64, Path, description = "The plan's document id"),
    ("seq" = u32, Path, description = "The indicator's number in the plan's table")),
    responses((status = 200, body = IndicatorJson), (status = 404)))]
pub async fn indicator(
    State(app): State<Arc<App>>,
    Path((doc, seq)): Path<(i64, u32)>,
    headers: HeaderMap,
) -> Response {
    respond_with(&app, &headers, async {
        let (view, i) = crate::pages::find_indicator(&app, doc, seq).await?;
        let meta = app.data.meta().await?;
        public_json(&view.evals[i], &meta)
    })
    .await
}

/// A metric's targets against its results in one region, every year of the ledger: the JSON
/// of `/history`. Each year's pair is that year's reconciliation.
#[utoipa::path(get, path = "/api/history", params(
    ("metric" = String, Query, description = "The metric, e.g. 国内生产总值"),
    ("region" = Option<String>, Query, description = "The region"),
    ("measure" = Option<String>, Query, description = "growth_rate, level, share, increment, cumulative or point_change (default any)"),
    ("as_of" = Option<String>, Query, description = "Evaluation date, YYYY-MM-DD")),
    responses((status = 200, body = HistoryJson), (status = 400)))]
pub async fn history(
    State(app): State<Arc<App>>,
    Query(p): Query<Params>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    respond_with(&app, &headers, async {
        let q = crate::pages::HistoryQuery::of(&uri)?;
        let measure = q.measure()?;
        let metric = q.metric.clone().unwrap_or_default().trim().to_string();
        if metric.is_empty() {
            return Err(Failure::BadRequest(
                "缺少 metric：要查看的指标，如 国内生产总值".into(),
            ));
        }
        let s = scope(&app, &p, &headers).await?;
        let years = crate::pages::metric_history(&app, &s, &metric, measure).await?;
        let body = serde_json::json!({
            "metric": metric,
            "region": s.region,
            "measure": q.measure.filter(|m| !m.is_empty()),
            "years": years,
        });
        public_json(&body, &s.meta)
    })
    .await
}

/// The key tasks of the year with their status.
#[utoipa::path(get, path = "/api/tasks", params(
    ("year" = Option<i32>, Query, description = "The plan year"),
    ("region" = Option<String>, Query, description = "The issuing region"),
    ("status" = Option<String>, Query, description = "not_started, on_track, at_risk, overdue or completed"),
    ("category" = Option<String>, Query, description = "主要任务"),
    ("unit" = Option<String>, Query, description = "A unit leading or cooperating"),
    ("leader" = Option<String>, Query, description = "A supervising leader"),
    ("due" = Option<String>, Query, description = "Due on or before, YYYY-MM-DD"),
    ("as_of" = Option<String>, Query, description = "Evaluation date, YYYY-MM-DD"),
    ("format" = Option<String>, Query, description = "json (default), csv or xlsx")),
    responses((status = 200, body = [TaskJson])))]
pub async fn tasks(
    State(app): State<Arc<App>>,
    Query(p): Query<Params>,
    headers: HeaderMap,
) -> Response {
    respond_with(&app, &headers, async {
        let s = scope(&app, &p, &headers).await?;
        let view = app.data.year(s.year, &s.region, s.today).await?;
        let f = TaskFilter::of(&p);
        let shown: Vec<_> = view.tasks.iter().filter(|e| f.keeps(e)).collect();
        // The layout of a responsibility table, with the status after it.
        table_or_json(p.format.as_deref(), &shown, &s.meta, p.t(), || Table {
            name: "tasks",
            header: vec![
                "序号",
                "主要任务",
                "重点工作",
                "完成时限",
                "分管领导",
                "责任单位",
                // The latest published report, or the evidence behind the status.
                "进展",
                "状态",
            ],
            rows: shown
                .iter()
                .map(|e| {
                    vec![
                        e.seq.to_string(),
                        e.task.category.clone().unwrap_or_default(),
                        e.task.text.clone(),
                        e.task.deadline.clone().unwrap_or_default(),
                        e.task.leaders.join("\n"),
                        e.task.units.join("\n"),
                        // The latest published report, else the evidence behind the status.
                        e.report.as_ref().map_or_else(
                            || crate::views::reason(p.t(), &e.reason, &e.reason_zh),
                            |r| r.narrative.clone(),
                        ),
                        e.status.as_str().to_string(),
                    ]
                })
                .collect(),
        })
    })
    .await
}

/// One task by its document and number.
#[utoipa::path(get, path = "/api/tasks/{document}/{seq}", params(
    ("document" = i64, Path, description = "The document's id"),
    ("seq" = u32, Path, description = "The task's number"),
    ("as_of" = Option<String>, Query, description = "Evaluation date, YYYY-MM-DD")),
    responses((status = 200, body = TaskJson), (status = 404, description = "No such task")))]
pub async fn task(
    State(app): State<Arc<App>>,
    Path((doc, seq)): Path<(i64, u32)>,
    Query(p): Query<Params>,
    headers: HeaderMap,
) -> Response {
    respond_with(&app, &headers, async {
        let (year, region) = app
            .data
            .meta()
            .await?
            .plan_of(doc)
            .ok_or(Failure::NotFound)?;
        let s = scope(&app, &p, &headers).await?;
        let view = app.data.year(year, &region, s.today).await?;
        let e = view.task(doc, seq).ok_or(Failure::NotFound)?;
        public_json(e, &s.meta)
    })
    .await
}

/// Scorecards of units, leaders or regions, ranked among their peers: departments and district
/// governments apart, each best first; then the cards not ranked (too few tasks; groups of
/// units). Unit and leader ranks and scores are for signed-in users unless the office publishes
/// them (`PLANTRACK_PUBLISH_RANKINGS`).
#[utoipa::path(get, path = "/api/scorecards", params(
    ("year" = Option<i32>, Query, description = "The year"),
    ("region" = Option<String>, Query, description = "The region"),
    ("by" = Option<String>, Query, description = "unit (default), leader or region"),
    ("as_of" = Option<String>, Query, description = "Evaluation date, YYYY-MM-DD"),
    ("format" = Option<String>, Query, description = "json (default), csv or xlsx")),
    responses((status = 200, body = [ScorecardJson])))]
pub async fn scorecards(
    State(app): State<Arc<App>>,
    Query(p): Query<Params>,
    headers: HeaderMap,
) -> Response {
    crate::respond_with_private(&app, &headers, async {
        let by = By::parse(p.by.as_deref())?;
        let s = scope(&app, &p, &headers).await?;
        let cards_of_year = app.data.scorecards(s.year, &s.region, s.today).await?;
        let cs = cards(&cards_of_year, by, rankings_shown(&app, &s, by));
        let t = p.t();
        table_or_json(p.format.as_deref(), &cs, &s.meta, p.t(), || Table {
            name: "scorecards",
            header: vec![
                "rank",
                "peer_group",
                "name",
                "led",
                "cooperating",
                "completed",
                "overdue",
                "at_risk",
                "targets (achieved/not/no data)",
                "completion",
                "achievement",
                "score",
                "basis",
            ],
            rows: cs
                .iter()
                .map(|c| {
                    let r = card_row(c, &cs, by, &s, t);
                    vec![
                        if c.rank.is_some() {
                            r.rank
                        } else {
                            r.rank_text
                        },
                        r.peer.to_string(),
                        r.name,
                        r.led.to_string(),
                        r.cooperating.to_string(),
                        r.completed.to_string(),
                        r.overdue.to_string(),
                        r.at_risk.to_string(),
                        r.targets,
                        r.completion,
                        r.achievement,
                        r.score,
                        r.basis,
                    ]
                })
                .collect(),
        })
    })
    .await
}

/// Every ingested document.
#[utoipa::path(get, path = "/api/documents", responses((status = 200, body = [DocumentJson])))]
pub async fn documents(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    respond_with(&app, &headers, async {
        let meta = app.data.meta().await?;
        public_json(&meta.documents, &meta)
    })
    .await
}

/// One document with its text and every item extracted from it (spans are byte offsets).
#[utoipa::path(get, path = "/api/documents/{id}", params(("id" = i64, Path, description = "The document's id")),
    responses((status = 200, body = DocumentTextJson), (status = 404, description = "No such document")))]
pub async fn document(
    State(app): State<Arc<App>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    respond_with(&app, &headers, async {
        let meta = app.data.meta().await?;
        let (d, text, l) = app.data.document(id).await?.ok_or(Failure::NotFound)?;
        let body = serde_json::json!({
            "document": d,
            "text": text,
            "quantities": l.quantities.iter().map(|x| &x.item).collect::<Vec<_>>(),
            "milestones": l.milestones.iter().map(|x| &x.item).collect::<Vec<_>>(),
            "tasks": l.tasks.iter().map(|x| &x.item).collect::<Vec<_>>(),
            "indicators": l.indicators.iter().map(|x| &x.item).collect::<Vec<_>>(),
        });
        public_json(&body, &meta)
    })
    .await
}

#[derive(Serialize)]
struct Hit {
    source: String,
    title: String,
    section: Option<String>,
    start: i64,
    end: i64,
    snippet: String,
}

/// Paragraphs of the documents holding every word of the query.
#[utoipa::path(get, path = "/api/search", params(("q" = String, Query, description = "Words")),
    responses((status = 200, body = [SearchHitJson])))]
pub async fn search(
    State(app): State<Arc<App>>,
    Query(p): Query<Params>,
    headers: HeaderMap,
) -> Response {
    respond_with(&app, &headers, async {
        let q = p.q.clone().unwrap_or_default();
        let meta = app.data.meta().await?;
        let hits: Vec<Hit> = if q.trim().is_empty() {
            Vec::new()
        } else {
            app.data
                .store
                .search(q.trim(), 100)
                .await?
                .into_iter()
                .map(|h| Hit {
                    title: meta
                        .documents
                        .iter()
                        .find(|d| d.source == h.source)
                        .map_or_else(
                            || h.title.clone().unwrap_or_default(),
                            |d| d.display_title(),
                        ),
                    source: file_name(&h.source).to_string(),
                    section: h.section,
                    start: h.start,
                    end: h.end,
                    snippet: h.snippet,
                })
                .collect()
        };
        Ok(Json(hits).into_response())
    })
    .await
}
