//! The five-year plan pages: `/plan` (the plan's indicator table, by its groups), an indicator's
//! page (`/plan/{doc}/{seq}`: what the indicator is, how it adds up, every yearly figure with its
//! source, the status with its inputs, a chart and the chart's data), and a metric's history
//! (`/history?metric=…&region=…&measure=…`: the targets of one metric against their results,
//! year by year).
//!
//! Every figure, status and link comes from `plantrack-evaluate` (`trajectory` for indicators,
//! `reconcile` year by year and `history` for a metric); this module only says them in words.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use plantrack_evaluate::history::HistoryYear;
use plantrack_evaluate::trajectory::{Accumulation, IndicatorEvaluation};
use plantrack_evaluate::{Evidence, Item, Verdict};
use plantrack_model::{Aggregation, Attribute, DocumentRef, Measure, Qualifier, TableFigure};
use serde_json::{Value, json};

use crate::charts::{ChartTable, values_of, y_axis};
use crate::data::PlanView;
use crate::i18n::{Words, status};
use crate::util::{enc, href, num};
use crate::views::{doc_href, item_href, lang_param, reason};
use crate::{App, Failure, respond};

use super::*;

/// The Chinese or the English of a label.
fn tr(t: &Words, zh: &'static str, en: &'static str) -> &'static str {
    if t.lang == "zh" { zh } else { en }
}

fn zh(t: &Words) -> bool {
    t.lang == "zh"
}

/// `（…）` in Chinese, ` (…)` in English.
fn paren(t: &Words, inner: impl std::fmt::Display) -> String {
    if zh(t) {
        format!("（{inner}）")
    } else {
        format!(" ({inner})")
    }
}

/// The clause separator of the page's language.
fn semi(t: &Words) -> &'static str {
    tr(t, "；", "; ")
}

/// A number rounded to `precision` decimals, without trailing zeros.
pub fn fixed(v: f64, precision: u32) -> String {
    let m = 10f64.powi(precision as i32);
    num((v * m).round() / m)
}

/// A figure with its unit: `4.3%`, `14302家`.
fn with_unit(v: f64, precision: u32, unit: &str) -> String {
    format!("{}{unit}", fixed(v, precision))
}

/// A plan table's figure as a person says it: `6%左右`, `30%以上`, `5.5%以内`, `11600家`; a cell
/// without a number as written, without its markers (`完成国家下达的目标`). The markers `〔 〕`
/// and `*` are said by the aggregation, never left in the number (`6*左右` → `6%左右`).
pub fn table_figure(f: &TableFigure, unit: &str, t: &Words) -> String {
    let Some(v) = f.value else {
        return f
            .text
            .replace("\\*", "")
            .trim_matches(['〔', '〕', '[', ']', '【', '】', '*', '＊'])
            .to_string();
    };
    let upper = f.upper.map_or(String::new(), |u| format!("–{}", num(u)));
    let n = format!("{}{upper}{unit}", num(v));
    match (f.qualifier, zh(t)) {
        (Some(Qualifier::About), true) => format!("{n}左右"),
        (Some(Qualifier::AtLeast), true) => format!("{n}以上"),
        (Some(Qualifier::AtMost), true) => format!("{n}以内"),
        (Some(Qualifier::MoreThan), true) => format!("超过{n}"),
        (Some(Qualifier::About), false) => format!("about {n}"),
        (Some(Qualifier::AtLeast), false) => format!("at least {n}"),
        (Some(Qualifier::AtMost), false) => format!("at most {n}"),
        (Some(Qualifier::MoreThan), false) => format!("more than {n}"),
        _ => n,
    }
}

pub fn attribute(a: Option<Attribute>, t: &Words) -> &'static str {
    match a {
        Some(Attribute::Binding) => tr(t, "约束性", "binding"),
        Some(Attribute::Expected) => tr(t, "预期性", "expected"),
        None => "",
    }
}

/// `五年平均`, `五年累计`, or nothing for a level.
pub fn aggregation_label(a: Option<Aggregation>, t: &Words) -> &'static str {
    match a {
        Some(Aggregation::FiveYearAverage) => tr(t, "五年平均", "five-year average"),
        Some(Aggregation::FiveYearCumulative) => tr(t, "五年累计", "five-year total"),
        None => "",
    }
}

/// The years a figure covers, said: `2016—2020年平均`, `2020年`.
fn period(a: Option<Aggregation>, (from, to): (i32, i32), t: &Words) -> String {
    match (a, zh(t)) {
        (Some(Aggregation::FiveYearAverage), true) => format!("{from}—{to}年平均"),
        (Some(Aggregation::FiveYearCumulative), true) => format!("{from}—{to}年累计"),
        (None, true) => format!("{to}年"),
        (Some(Aggregation::FiveYearAverage), false) => format!("{from}–{to} average"),
        (Some(Aggregation::FiveYearCumulative), false) => format!("{from}–{to} total"),
        (None, false) => to.to_string(),
    }
}

fn unit_of(e: &IndicatorEvaluation) -> &str {
    e.indicator.unit.as_deref().unwrap_or("")
}

/// The baseline cell: `3.8%（2016—2020年平均）`, `83.6%（2020年）`.
fn baseline_text(e: &IndicatorEvaluation, t: &Words) -> String {
    let Some(b) = e.indicator.baseline.as_ref() else {
        return "—".into();
    };
    let figure = table_figure(b, unit_of(e), t);
    match e.baseline_period {
        Some(p) => format!(
            "{figure}{}",
            paren(t, period(e.indicator.aggregation, p, t))
        ),
        None => figure,
    }
}

/// The target cell: `6%左右（2021—2025年平均）`, `85%（2025年）`.
fn target_text(e: &IndicatorEvaluation, t: &Words) -> String {
    let Some(f) = e.indicator.target.as_ref() else {
        return "—".into();
    };
    let figure = table_figure(f, unit_of(e), t);
    let year = f.year.or(e.target.map(|x| x.0));
    match (year, e.baseline_period) {
        (Some(y), Some((from, to))) if e.indicator.aggregation.is_some() => format!(
            "{figure}{}",
            paren(t, period(e.indicator.aggregation, (to + 1, y.max(from)), t))
        ),
        (Some(y), _) => format!("{figure}{}", paren(t, period(None, (y, y), t))),
        _ => figure,
    }
}

/// The latest cell: the latest yearly figure with its year, and for a total the running total.
fn latest_text(e: &IndicatorEvaluation, t: &Words) -> String {
    let Some(o) = e.observations.last() else {
        return tr(t, "暂无年度数据", "no yearly figure").into();
    };
    let (p, u) = (e.precision, unit_of(e));
    let yearly = if zh(t) {
        format!("{}（{}年）", with_unit(o.value, p, u), o.year)
    } else {
        format!("{} ({})", with_unit(o.value, p, u), o.year)
    };
    match &e.aggregate {
        Some(a) if e.accumulation.is_some() => {
            if zh(t) {
                format!("{yearly}；累计{}", with_unit(a.so_far, p, u))
            } else {
                format!("{yearly}; total {}", with_unit(a.so_far, p, u))
            }
        }
        Some(a) => {
            if zh(t) {
                format!(
                    "{yearly}；{}个年度平均{}",
                    a.years_reported,
                    with_unit(a.so_far, p, u)
                )
            } else {
                format!(
                    "{yearly}; mean of {} year(s) {}",
                    a.years_reported,
                    with_unit(a.so_far, p, u)
                )
            }
        }
        None => yearly,
    }
}

/// The key of the document a plan's evaluations came from.
fn plan_doc<'a>(view: &'a PlanView, e: &IndicatorEvaluation) -> Option<&'a DocumentRef> {
    view.ledger.documents.iter().find(|d| d.source == e.source)
}

/// An indicator's page.
pub fn indicator_href(doc: i64, seq: u32, t: &Words) -> String {
    href(
        &format!("/plan/{doc}/{seq}"),
        &[("lang", lang_param(t.lang))],
    )
}

/// The serde name of a measure (`growth_rate`), as URLs carry it.
fn measure_name(m: Measure) -> String {
    serde_json::to_value(m)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn measure_label(m: Measure, t: &Words) -> &'static str {
    match m {
        Measure::GrowthRate => tr(t, "增速", "growth rate"),
        Measure::PointChange => tr(t, "百分点变化", "change in points"),
        Measure::Increment => tr(t, "新增量", "addition"),
        Measure::Level | Measure::Share | Measure::Cumulative => {
            tr(t, "总量、水平或比重", "level, stock or share")
        }
    }
}

/// The history page of a metric in a region.
pub fn history_href(metric: &str, region: &str, measure: Option<Measure>, t: &Words) -> String {
    let m = measure.map(measure_name).unwrap_or_default();
    href(
        "/history",
        &[
            ("metric", metric),
            ("region", region),
            ("measure", &m),
            ("lang", lang_param(t.lang)),
        ],
    )
}

/// The history page of a target's metric (empty for a milestone).
pub fn target_history_href(v: &Verdict, t: &Words) -> String {
    match &v.target.item {
        Item::Quantity(q) => history_href(
            &q.metric,
            v.region.as_deref().unwrap_or(""),
            Some(q.measure),
            t,
        ),
        Item::Milestone(_) => String::new(),
    }
}

/// The indicator each yearly target of the region's plans belongs to, by the target's
/// document key and byte offset: its page and `序号. 名称`. The belonging is the evaluation's
/// (`IndicatorEvaluation::yearly_targets`); this is only its index.
pub fn indicators_of_targets(
    view: &PlanView,
    t: &Words,
) -> std::collections::HashMap<(i64, usize), (String, String)> {
    let mut out = std::collections::HashMap::new();
    for e in &view.evals {
        let doc = plan_doc(view, e).and_then(|d| d.id).unwrap_or(0);
        for ev in &e.yearly_targets {
            out.entry((ev.document.id.unwrap_or(0), ev.start()))
                .or_insert_with(|| {
                    (
                        indicator_href(doc, e.indicator.seq, t),
                        format!("{}. {}", e.indicator.seq, e.indicator.name),
                    )
                });
        }
    }
    out
}

/// The verdict's row with the plan indicator its target belongs to.
pub fn with_indicator(
    mut row: crate::views::VerdictRow,
    v: &Verdict,
    links: &std::collections::HashMap<(i64, usize), (String, String)>,
) -> crate::views::VerdictRow {
    row.indicator = links
        .get(&(v.target.document.id.unwrap_or(0), v.target.start()))
        .cloned();
    row
}

// ---------------------------------------------------------------- /plan

/// One row of the plan's table.
pub struct PlanRow {
    pub seq: u32,
    pub name: String,
    pub href: String,
    pub attribute: &'static str,
    pub binding: bool,
    pub aggregation: &'static str,
    pub unit: String,
    pub baseline: String,
    pub latest: String,
    pub target: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub reason: String,
}

pub struct PlanGroup {
    pub name: String,
    pub rows: Vec<PlanRow>,
}

/// One five-year plan of the region, its indicators by the table's groups.
pub struct PlanDoc {
    pub title: String,
    pub href: String,
    pub groups: Vec<PlanGroup>,
    pub binding: usize,
    pub total: usize,
}

/// An indicator with yearly figures, drawn.
pub struct ChartCard {
    pub seq: u32,
    pub name: String,
    pub href: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub reason: String,
    pub chart: String,
    pub table: ChartTable,
}

pub fn plan_row(e: &IndicatorEvaluation, doc: i64, t: &Words) -> PlanRow {
    PlanRow {
        seq: e.indicator.seq,
        name: e.indicator.name.clone(),
        href: indicator_href(doc, e.indicator.seq, t),
        attribute: attribute(e.indicator.attribute, t),
        binding: e.indicator.attribute == Some(Attribute::Binding),
        aggregation: aggregation_label(e.indicator.aggregation, t),
        unit: unit_of(e).to_string(),
        baseline: baseline_text(e, t),
        latest: latest_text(e, t),
        target: target_text(e, t),
        status: e.status.as_str(),
        status_label: status(t, e.status.as_str()),
        reason: reason(t, &e.reason, &e.reason_zh),
    }
}

pub fn chart_card(e: &IndicatorEvaluation, doc: i64, t: &Words) -> Option<ChartCard> {
    let (chart, table) = indicator_chart(e, t)?;
    Some(ChartCard {
        seq: e.indicator.seq,
        name: e.indicator.name.clone(),
        href: indicator_href(doc, e.indicator.seq, t),
        status: e.status.as_str(),
        status_label: status(t, e.status.as_str()),
        reason: reason(t, &e.reason, &e.reason_zh),
        chart: chart.to_string(),
        table,
    })
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    l: Layout,
    w: PlanLabels,
    plans: Vec<PlanDoc>,
    cards: Vec<ChartCard>,
    csv: String,
    xlsx: String,
    json: String,
}

/// The headings and column names of the plan pages.
struct PlanLabels {
    attribute: &'static str,
    binding_note: &'static str,
    charts: &'static str,
    chart_data: &'static str,
    none: &'static str,
}

fn labels(t: &Words) -> PlanLabels {
    PlanLabels {
        attribute: tr(t, "属性", "Attribute"),
        binding_note: tr(
            t,
            "约束性指标是必须完成的指标，以粗体和“约束性”标出；预期性指标是引导方向的指标。",
            "Binding indicators must be met; they are marked in bold. Expected indicators give the direction.",
        ),
        charts: tr(t, "已有年度数据的指标", "Indicators with yearly figures"),
        chart_data: tr(t, "图表数据", "Chart data"),
        none: tr(t, "（未分类）", "(no group)"),
    }
}

pub async fn plan(
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
        let view = app.data.plan(&s.region).await?;
        let w = labels(t);
        let mut plans: Vec<PlanDoc> = Vec::new();
        let mut cards = Vec::new();
        let mut current: Option<String> = None;
        for e in &view.evals {
            let doc = plan_doc(&view, e);
            let id = doc.and_then(|d| d.id).unwrap_or(0);
            if current.as_deref() != Some(e.source.as_str()) {
                current = Some(e.source.clone());
                plans.push(PlanDoc {
                    title: doc.map(DocumentRef::display_title).unwrap_or_default(),
                    href: doc.map_or(String::new(), |d| {
                        doc_href(d, e.indicator.span.start, t.lang)
                    }),
                    groups: Vec::new(),
                    binding: 0,
                    total: 0,
                });
            }
            let Some(plan) = plans.last_mut() else {
                continue;
            };
            let group = e
                .indicator
                .category
                .clone()
                .unwrap_or_else(|| w.none.to_string());
            if plan.groups.last().is_none_or(|g| g.name != group) {
                plan.groups.push(PlanGroup {
                    name: group,
                    rows: Vec::new(),
                });
            }
            let row = plan_row(e, id, t);
            plan.binding += usize::from(row.binding);
            plan.total += 1;
            if let Some(g) = plan.groups.last_mut() {
                g.rows.push(row);
            }
            if !e.observations.is_empty()
                && let Some(card) = chart_card(e, id, t)
            {
                cards.push(card);
            }
        }
        let title = match plans.as_slice() {
            [one] => one.title.clone(),
            _ => format!("{} · {}", t.plan, s.region),
        };
        let mut l = layout(t, &s, &uri, title, "plan");
        l.charts = !cards.is_empty();
        let (csv, xlsx, json) = downloads("/api/plan", &s, &p);
        render(PlanPage {
            l,
            w,
            plans,
            cards,
            csv,
            xlsx,
            json,
        })
    })
    .await
}

// ---------------------------------------------------------------- charts

/// A year's cell of a series: the value at `precision`, or empty.
fn cell(v: Option<f64>, precision: u32) -> String {
    v.map_or(String::new(), |v| fixed(v, precision))
}

/// An indicator's chart and its data, or `None` when there is nothing to draw (no yearly figure,
/// or no numeric target).
///
/// - A level: the baseline and the yearly figures, the growth path the target calls for, the
///   target, and the projection; the axis spans at least a tenth of the values.
/// - A five-year average: the yearly figures (bars) against the target mean, with the mean so
///   far; the axis starts at zero. The previous five years' average is no point of the chart.
/// - A five-year total: the running total against what is due each year, with the yearly
///   figures as bars and the target; the axis starts at zero. The previous five years' total is
///   no point of the chart.
pub fn indicator_chart(e: &IndicatorEvaluation, t: &Words) -> Option<(Value, ChartTable)> {
    let (ty, tv) = e.target?;
    if e.observations.is_empty() {
        return None;
    }
    let p = e.precision;
    let unit = unit_of(e);
    let at = |v: &[(i32, f64)], y: i32| v.iter().find(|x| x.0 == y).map(|x| x.1);
    let yearly: Vec<(i32, f64)> = e.observations.iter().map(|o| (o.year, o.value)).collect();
    let y_yearly = tr(t, "年度数值", "Yearly figure");
    let y_target = tr(t, "目标", "Target");
    let series_of = |years: &[i32], v: &[(i32, f64)]| -> Vec<Value> {
        years
            .iter()
            .map(|&y| at(v, y).map_or(Value::Null, |x| json!(x)))
            .collect()
    };
    let target_line = json!({"symbol": "none", "silent": true, "data": [{"yAxis": tv}],
        "lineStyle": {"color": "#8a4b00", "type": "solid"},
        "label": {"position": "insideEndTop", "formatter": format!("{y_target} {}", with_unit(tv, p, unit))}});
    let caption = format!(
        "{}{}{}",
        tr(t, "图表数据", "Chart data"),
        tr(t, "：", ": "),
        e.indicator.name
    );
    match e.indicator.aggregation {
        Some(agg) => {
            let a = e.aggregate.as_ref()?;
            let from = e.baseline_period.map_or(ty - 4, |b| b.1 + 1);
            let years: Vec<i32> = (from..=ty).collect();
            let total = agg == Aggregation::FiveYearCumulative;
            let (run_name, due_name) = if total {
                (
                    tr(t, "累计完成", "Running total"),
                    tr(t, "按进度应累计", "Due by then"),
                )
            } else {
                (
                    tr(t, "平均至今", "Mean so far"),
                    tr(t, "目标平均值", "Target mean"),
                )
            };
            let bars = series_of(&years, &yearly);
            let running = series_of(&years, &a.running);
            let due = series_of(&years, &e.schedule);
            let values = {
                let mut v = values_of(&[&bars, &running, &due]);
                v.push(tv);
                v
            };
            let option = json!({
                "tooltip": {"trigger": "axis"},
                "legend": {"top": 0},
                "grid": {"left": 56, "right": 24, "top": 36, "bottom": 28},
                "xAxis": {"type": "category", "data": years.iter().map(|y| y.to_string()).collect::<Vec<_>>()},
                "yAxis": y_axis(&values, true, unit),
                "series": [
                    {"name": y_yearly, "type": "bar", "data": bars, "barMaxWidth": 28,
                     "itemStyle": {"color": "#5b8fc7"}},
                    {"name": run_name, "type": "line", "data": running, "connectNulls": true,
                     "symbolSize": 8, "lineStyle": {"width": 3}, "itemStyle": {"color": "#0b5cad"}},
                    {"name": due_name, "type": "line", "data": due, "connectNulls": true,
                     "symbol": "diamond", "lineStyle": {"type": "dashed"}, "itemStyle": {"color": "#8a4b00"},
                     "markLine": target_line},
                ],
            });
            let table = ChartTable {
                caption,
                header: vec![
                    tr(t, "年份", "Year").into(),
                    format!("{y_yearly}{}", paren(t, unit)),
                    format!("{run_name}{}", paren(t, unit)),
                    format!("{due_name}{}", paren(t, unit)),
                ],
                rows: years
                    .iter()
                    .map(|&y| {
                        vec![
                            y.to_string(),
                            cell(at(&yearly, y), p),
                            cell(at(&a.running, y), p),
                            cell(at(&e.schedule, y), p),
                        ]
                    })
                    .collect(),
            };
            Some((option, table))
        }
        None => {
            let (y0, v0) = e.baseline?;
            if ty <= y0 {
                return None;
            }
            let years: Vec<i32> = (y0..=ty).collect();
            let mut observed = vec![(y0, v0)];
            observed.extend(yearly.iter().copied());
            let mut projection = Vec::new();
            if let (Some(pr), Some(last)) = (e.projection, yearly.last())
                && last.0 < ty
            {
                projection = vec![*last, (ty, pr)];
            }
            let y_path = tr(t, "所需路径", "Path to the target");
            let y_proj = tr(t, "按当前速度预测", "At the current pace");
            let obs = series_of(&years, &observed);
            let path = series_of(&years, &e.schedule);
            let proj = series_of(&years, &projection);
            let mut values = values_of(&[&obs, &path, &proj]);
            values.push(tv);
            let mut series = vec![
                json!({"name": y_yearly, "type": "line", "data": obs, "connectNulls": true,
                       "symbolSize": 8, "lineStyle": {"width": 3}, "itemStyle": {"color": "#0b5cad"}}),
                json!({"name": y_path, "type": "line", "data": path, "connectNulls": true,
                       "symbol": "none", "lineStyle": {"type": "dashed"}, "itemStyle": {"color": "#8a4b00"},
                       "markLine": target_line}),
            ];
            if !projection.is_empty() {
                series.push(json!({"name": y_proj, "type": "line", "data": proj, "connectNulls": true,
                                   "lineStyle": {"type": "dotted"}, "itemStyle": {"color": "#555"}}));
            }
            let option = json!({
                "tooltip": {"trigger": "axis"},
                "legend": {"top": 0},
                "grid": {"left": 56, "right": 24, "top": 36, "bottom": 28},
                "xAxis": {"type": "category", "data": years.iter().map(|y| y.to_string()).collect::<Vec<_>>()},
                "yAxis": y_axis(&values, false, unit),
                "series": series,
            });
            let mut header = vec![
                tr(t, "年份", "Year").to_string(),
                format!("{y_yearly}{}", paren(t, unit)),
                format!("{y_path}{}", paren(t, unit)),
            ];
            if !projection.is_empty() {
                header.push(format!("{y_proj}{}", paren(t, unit)));
            }
            let table = ChartTable {
                caption,
                header,
                rows: years
                    .iter()
                    .map(|&y| {
                        let mut r = vec![
                            y.to_string(),
                            cell(at(&observed, y), p),
                            cell(at(&e.schedule, y), p),
                        ];
                        if !projection.is_empty() {
                            r.push(cell(at(&projection, y), p));
                        }
                        r
                    })
                    .collect(),
            };
            Some((option, table))
        }
    }
}

// ---------------------------------------------------------------- an indicator

/// A yearly figure or target with the sentence it came from.
pub struct SourceRow {
    pub year: String,
    pub value: String,
    pub written: String,
    pub title: String,
    pub href: String,
    pub sentence: String,
}

fn source_row(year: i32, value: String, ev: &Evidence, t: &Words) -> SourceRow {
    SourceRow {
        year: year.to_string(),
        value,
        written: ev.figure().1,
        title: ev.document.display_title(),
        href: doc_href(&ev.document, ev.start(), t.lang),
        sentence: ev.excerpt(140),
    }
}

/// An input of the status: its name, its value, and what it is.
pub struct Input {
    pub label: String,
    pub value: String,
    pub note: String,
}

fn input(label: impl Into<String>, value: impl Into<String>, note: impl Into<String>) -> Input {
    Input {
        label: label.into(),
        value: value.into(),
        note: note.into(),
    }
}

fn pct(v: f64) -> String {
    format!("{}%", fixed(v * 100.0, 2))
}

/// How an indicator adds up its years, in words.
fn how_it_adds_up(e: &IndicatorEvaluation, t: &Words) -> String {
    let (from, to) = e.baseline_period.unwrap_or((0, 0));
    let target_year = e.target.map_or(to + 5, |x| x.0);
    let accumulation = e.accumulation;
    match (e.indicator.aggregation, zh(t)) {
        (Some(Aggregation::FiveYearCumulative), true) => format!(
            "〔 〕内为五年累计数：目标是{}—{target_year}年五年合计，不是哪一年的数值；基期〔 〕是上一个五年（{from}—{to}年）的累计数，不是{to}年的水平。{}图中画的是逐年累计值与目标的对比。",
            to + 1,
            match accumulation {
                Some(Accumulation::Compound) =>
                    "各年降低（或增长）率逐年连乘累计：五年累计 = 1 −（1 − r₁）（1 − r₂）…，而不是简单相加。",
                _ => "各年数值逐年相加。",
            }
        ),
        (Some(Aggregation::FiveYearAverage), true) => format!(
            "*为五年平均数：目标是{}—{target_year}年各年数值的平均，不是{target_year}年一年的数值；基期*是上一个五年（{from}—{to}年）的平均数，不是{to}年一年的数值。图中画的是各年数值与目标平均值的对比。",
            to + 1
        ),
        (None, true) => format!(
            "年度水平值：目标是{target_year}年要达到的数值，基期是{to}年的数值；按复合年均增长率衡量进度。"
        ),
        (Some(Aggregation::FiveYearCumulative), false) => format!(
            "〔 〕 marks a five-year total: the target is the sum over {}–{target_year}, and the baseline in brackets the total of the previous five years ({from}–{to}), not a level of {to}. {}The chart draws the running total against it.",
            to + 1,
            match accumulation {
                Some(Accumulation::Compound) =>
                    "Yearly rates chain: 1 − (1 − r₁)(1 − r₂)…, not their sum. ",
                _ => "Yearly figures add up. ",
            }
        ),
        (Some(Aggregation::FiveYearAverage), false) => format!(
            "* marks a five-year average: the target is the mean over {}–{target_year}, and the starred baseline the mean of {from}–{to}, not the figure of {to}. The chart draws the yearly figures against it.",
            to + 1
        ),
        (None, false) => format!(
            "A level: the target is the figure to reach in {target_year}, the baseline that of {to}; progress is measured by compound annual growth."
        ),
    }
}

/// The inputs of the status, each named and explained.
fn inputs(e: &IndicatorEvaluation, t: &Words) -> Vec<Input> {
    let (p, u) = (e.precision, unit_of(e));
    let z = zh(t);
    let mut out = Vec::new();
    let ratio_note = tr(
        t,
        "≥0.95 进度正常，0.6—0.95 需加快，0—0.6 进展有限，小于0 倒退",
        "≥ 0.95 on track, 0.6–0.95 needs acceleration, 0–0.6 limited progress, below 0 deterioration",
    );
    let reported = |a: &plantrack_evaluate::trajectory::Aggregate| {
        let years: Vec<String> = e.observations.iter().map(|o| o.year.to_string()).collect();
        let mut s = if z {
            format!("{}个（{}年）", a.years_reported, years.join("、"))
        } else {
            format!("{} ({})", a.years_reported, years.join(", "))
        };
        if !a.missing.is_empty() {
            let m: Vec<String> = a.missing.iter().map(|y| y.to_string()).collect();
            if z {
                s.push_str(&format!("；{}年无数据", m.join("、")));
            } else {
                s.push_str(&format!("; none for {}", m.join(", ")));
            }
        }
        s
    };
    match (e.indicator.aggregation, &e.aggregate) {
        (Some(Aggregation::FiveYearAverage), Some(a)) => {
            out.push(input(
                tr(t, "已报告年度", "Years reported"),
                reported(a),
                "",
            ));
            out.push(input(
                tr(t, "平均值（至今）", "Mean so far"),
                with_unit(a.so_far, p, u),
                tr(
                    t,
                    "已报告年度数值的平均",
                    "the mean of the yearly figures reported",
                ),
            ));
            out.push(input(
                tr(t, "目标平均值", "Target mean"),
                with_unit(a.due, p, u),
                "",
            ));
            if let Some(r) = e.ratio {
                out.push(input(
                    tr(t, "进度比", "Progress ratio"),
                    format!("{r:.2}"),
                    format!(
                        "{}{}{ratio_note}",
                        tr(t, "平均值 ÷ 目标平均值", "mean so far ÷ target mean"),
                        semi(t)
                    ),
                ));
            }
            if let Some(r) = a.needed_rest {
                out.push(input(
                    tr(t, "其余年度需平均", "The other years need"),
                    with_unit(r, p, u),
                    tr(t, "为使五年平均达到目标，尚无数据的年度需要达到的平均值", "the mean the years without a figure need for the five-year mean to reach the target"),
                ));
            }
            if let Some(pr) = e.projection {
                out.push(input(
                    tr(t, "预测（五年平均）", "Projection (five-year mean)"),
                    with_unit(pr, p, u),
                    tr(
                        t,
                        "若其余年度与已报告年度持平",
                        "if the other years are like those reported",
                    ),
                ));
            }
        }
        (Some(Aggregation::FiveYearCumulative), Some(a)) => {
            out.push(input(
                tr(t, "累计方式", "How it adds up"),
                match e.accumulation {
                    Some(Accumulation::Compound) => tr(t, "逐年连乘", "rates chained"),
                    _ => tr(t, "逐年相加", "summed"),
                },
                match e.accumulation {
                    Some(Accumulation::Compound) => tr(
                        t,
                        "累计 = 1 −（1 − r₁）（1 − r₂）…",
                        "total = 1 − (1 − r₁)(1 − r₂)…",
                    ),
                    _ => "",
                },
            ));
            out.push(input(
                tr(t, "已报告年度", "Years reported"),
                reported(a),
                "",
            ));
            out.push(input(
                tr(t, "累计完成", "Running total"),
                with_unit(a.so_far, p, u),
                "",
            ));
            out.push(input(
                tr(t, "按进度应累计", "Due by then"),
                with_unit(a.due, p, u),
                if z {
                    format!(
                        "五年累计目标在已报告的{}个年度中按均匀进度应完成的部分",
                        a.years_reported
                    )
                } else {
                    format!(
                        "the part of the five-year target due in {} year(s) at an even pace",
                        a.years_reported
                    )
                },
            ));
            if let Some(r) = e.ratio {
                out.push(input(
                    tr(t, "进度比", "Progress ratio"),
                    format!("{r:.2}"),
                    format!(
                        "{}{}{ratio_note}",
                        tr(t, "累计完成 ÷ 按进度应累计", "running total ÷ due by then"),
                        semi(t)
                    ),
                ));
            }
            if let Some(pr) = e.projection {
                out.push(input(
                    tr(t, "预测（五年累计）", "Projection (five-year total)"),
                    with_unit(pr, p, u),
                    tr(
                        t,
                        "按已报告年度的速度推算五年",
                        "the five years at the pace of those reported",
                    ),
                ));
            }
        }
        // A total or an average without a yearly figure has nothing to show but its table row.
        (Some(_), None) => {}
        (None, _) => {
            if let Some((y, v)) = e.baseline {
                out.push(input(
                    tr(t, "基期值", "Baseline"),
                    if z {
                        format!("{}（{y}年）", with_unit(v, p, u))
                    } else {
                        format!("{} ({y})", with_unit(v, p, u))
                    },
                    "",
                ));
            }
            if let Some(o) = e.observations.last() {
                out.push(input(
                    tr(t, "最新值", "Latest"),
                    if z {
                        format!("{}（{}年）", with_unit(o.value, p, u), o.year)
                    } else {
                        format!("{} ({})", with_unit(o.value, p, u), o.year)
                    },
                    "",
                ));
            }
            if let Some(c) = e.cagr_observed {
                out.push(input(
                    tr(t, "实际年均增速", "Observed annual growth"),
                    pct(c),
                    tr(t, "从基期到最新年份的复合年均增长率：（最新值 ÷ 基期值）^(1/年数) − 1", "compound annual growth from the baseline to the latest year: (latest ÷ baseline)^(1/years) − 1"),
                ));
            }
            if let Some(c) = e.cagr_required {
                out.push(input(
                    tr(t, "所需年均增速", "Required annual growth"),
                    pct(c),
                    tr(
                        t,
                        "从基期到目标年达到目标所需的复合年均增长率",
                        "the compound annual growth that reaches the target in the target year",
                    ),
                ));
            }
            if let Some(r) = e.ratio {
                out.push(input(
                    tr(t, "进度比", "Progress ratio"),
                    format!("{r:.2}"),
                    format!(
                        "{}{}{ratio_note}",
                        if e.lower_is_better {
                            tr(
                                t,
                                "实际年均增速 ÷ 所需年均增速（越低越好的指标取反）",
                                "observed ÷ required annual growth (sign flipped: lower is better)",
                            )
                        } else {
                            tr(
                                t,
                                "实际年均增速 ÷ 所需年均增速",
                                "observed ÷ required annual growth",
                            )
                        },
                        semi(t)
                    ),
                ));
            }
            if let (Some(pr), Some((ty, _))) = (e.projection, e.target) {
                out.push(input(
                    if z { format!("预测（{ty}年）") } else { format!("Projection ({ty})") },
                    with_unit(pr, p, u),
                    if z {
                        format!("按实际年均增速推算到{ty}年，按指标的精度（{}位小数）取整", p)
                    } else {
                        format!("the observed growth carried to {ty}, rounded to the indicator's {p} decimal(s)")
                    },
                ));
            }
        }
    }
    out
}

#[derive(Template)]
#[template(path = "indicator.html")]
struct IndicatorPage {
    l: Layout,
    plan_title: String,
    plan_href: String,
    plan_list: String,
    binding: bool,
    facts: Vec<(String, String)>,
    how: String,
    status: &'static str,
    status_label: &'static str,
    reason: String,
    inputs: Vec<Input>,
    chart: String,
    table: ChartTable,
    no_chart: String,
    /// Without a chart: what each year calls for, as a table (year, value with its unit).
    schedule: Vec<(i32, String)>,
    observations: Vec<SourceRow>,
    targets: Vec<SourceRow>,
    history: String,
    json: String,
}

/// The plan view of the document `doc` and the position of its indicator `seq` in it.
pub(crate) async fn find_indicator(
    app: &App,
    doc: i64,
    seq: u32,
) -> Result<(std::sync::Arc<PlanView>, usize), Failure> {
    let meta = app.data.meta().await?;
    let d = meta
        .documents
        .iter()
        .find(|d| d.id == Some(doc))
        .ok_or(Failure::NotFound)?;
    let region = d.region.clone().unwrap_or_default();
    let view = app.data.plan(&region).await?;
    let i = view
        .evals
        .iter()
        .position(|e| e.source == d.source && e.indicator.seq == seq)
        .ok_or(Failure::NotFound)?;
    Ok((view, i))
}

pub async fn indicator(
    Path((doc, seq)): Path<(i64, u32)>,
    Page {
        app,
        p,
        uri,
        headers,
    }: Page,
) -> Response {
    respond(&app, &headers, async {
        let t = p.t();
        let (view, i) = find_indicator(&app, doc, seq).await?;
        let e = &view.evals[i];
        let mut s = scope(&app, &p, &headers).await?;
        if let Some(r) = &e.region {
            s.region = r.clone();
        }
        let d = plan_doc(&view, e);
        let w = labels(t);
        let chart = indicator_chart(e, t);
        let mut l = layout(
            t,
            &s,
            &uri,
            format!("{}. {}", e.indicator.seq, e.indicator.name),
            "plan",
        );
        l.charts = chart.is_some();
        l.selectors = false;
        let unit = unit_of(e);
        let mut facts = vec![
            (
                tr(t, "类别", "Group").to_string(),
                e.indicator.category.clone().unwrap_or_else(|| w.none.into()),
            ),
            (
                tr(t, "属性", "Attribute").to_string(),
                match e.indicator.attribute {
                    Some(Attribute::Binding) => tr(t, "约束性（必须完成）", "binding (must be met)").into(),
                    Some(Attribute::Expected) => tr(t, "预期性（引导方向）", "expected (gives the direction)").into(),
                    None => "—".into(),
                },
            ),
            (tr(t, "单位", "Unit").into(), if unit.is_empty() { "—".into() } else { unit.into() }),
            (t.baseline.into(), baseline_text(e, t)),
            (t.target.into(), target_text(e, t)),
        ];
        let agg = aggregation_label(e.indicator.aggregation, t);
        facts.push((
            tr(t, "统计方式", "Aggregation").into(),
            if agg.is_empty() { tr(t, "年度水平值", "a level").into() } else { agg.into() },
        ));
        if e.lower_is_better {
            facts.push((tr(t, "方向", "Direction").into(), tr(t, "越低越好", "lower is better").into()));
        }
        let (p_, u) = (e.precision, unit);
        let observations = e
            .observations
            .iter()
            .map(|o| source_row(o.year, with_unit(o.value, p_, u), &o.evidence, t))
            .collect();
        let targets = e
            .yearly_targets
            .iter()
            .map(|ev| {
                let year = match &ev.item {
                    Item::Quantity(q) => q.year.unwrap_or(0),
                    Item::Milestone(m) => m.year.unwrap_or(0),
                };
                let mut r = source_row(year, ev.figure().1, ev, t);
                r.href = item_href(ev, t.lang);
                r
            })
            .collect();
        let no_chart = if chart.is_some() {
            String::new()
        } else if e.target.is_none() {
            tr(t, "目标不是数值，没有可画的进度。", "The target is not a number: there is no progress to draw.").into()
        } else {
            tr(t, "暂无年度数据，没有可画的进度。导入统计数据（plantrack import）或收录统计公报后即可显示。", "No yearly figure yet: nothing to draw. Import statistics (plantrack import) or ingest a statistical bulletin to see it.").into()
        };
        let schedule = if chart.is_none() {
            e.schedule
                .iter()
                .filter(|(y, _)| e.baseline.is_none_or(|b| *y > b.0))
                .map(|&(y, v)| (y, with_unit(v, e.precision, unit)))
                .collect()
        } else {
            Vec::new()
        };
        let (chart, table) = chart.map_or((String::new(), ChartTable::default()), |(c, t)| (c.to_string(), t));
        let region = e.region.clone().unwrap_or_default();
        render(IndicatorPage {
            plan_title: d.map(DocumentRef::display_title).unwrap_or_default(),
            plan_href: d.map_or(String::new(), |d| doc_href(d, e.indicator.span.start, t.lang)),
            plan_list: href("/plan", &[("region", &region), ("lang", lang_param(t.lang))]),
            binding: e.indicator.attribute == Some(Attribute::Binding),
            facts,
            how: how_it_adds_up(e, t),
            status: e.status.as_str(),
            status_label: status(t, e.status.as_str()),
            reason: reason(t, &e.reason, &e.reason_zh),
            inputs: inputs(e, t),
            chart,
            table,
            schedule,
            no_chart,
            observations,
            targets,
            history: history_href(&e.metric, &region, Some(e.measure), t),
            json: href(&format!("/api/plan/{doc}/{seq}"), &[]),
            l,
        })
    })
    .await
}

// ---------------------------------------------------------------- a metric's history

/// What `/history` and `/api/history` take beyond the shared parameters.
#[derive(Debug, Default, serde::Deserialize)]
pub struct HistoryQuery {
    pub metric: Option<String>,
    pub measure: Option<String>,
}

impl HistoryQuery {
    pub fn of(uri: &axum::http::Uri) -> Result<HistoryQuery, Failure> {
        axum::extract::Query::<HistoryQuery>::try_from_uri(uri)
            .map(|q| q.0)
            .map_err(|e| Failure::BadRequest(format!("网址中的查询参数有误：{}", e.body_text())))
    }

    /// The measure asked for, if any; a name plantrack does not know is refused in Chinese.
    pub fn measure(&self) -> Result<Option<Measure>, Failure> {
        match self.measure.as_deref().filter(|m| !m.is_empty()) {
            None => Ok(None),
            Some(m) => serde_json::from_value(Value::String(m.to_string())).map(Some).map_err(|_| {
                Failure::BadRequest(format!(
                    "measure={m}：不是已知的口径（growth_rate 增速、level 水平、share 比重、increment 新增、cumulative 累计、point_change 百分点）"
                ))
            }),
        }
    }
}

/// The metric's history in the scope's region over every year of the ledger: each year's
/// verdicts from the cached reconciliation, the metric's target picked by the evaluation.
pub(crate) async fn metric_history(
    app: &App,
    s: &Scope,
    metric: &str,
    measure: Option<Measure>,
) -> Result<Vec<HistoryYear>, Failure> {
    // Every year something targets, and every year a document of the region plans (a report
    // whose targets were not read still has its year).
    let mut all: Vec<i32> = s.meta.years.clone();
    all.extend(
        s.meta
            .documents
            .iter()
            .filter(|d| d.region.as_deref() == Some(s.region.as_str()))
            .filter_map(|d| d.year),
    );
    all.sort_unstable();
    all.dedup();
    let mut views = Vec::new();
    for &y in &all {
        views.push((y, app.data.year(y, &s.region, s.today).await?));
    }
    let years: Vec<(i32, &[Verdict])> = views
        .iter()
        .map(|(y, v)| (*y, v.verdicts.as_slice()))
        .collect();
    let mut history =
        plantrack_evaluate::history::history(&app.data.lexicon, metric, measure, &years);
    // A year is listed when the region has a document that plans it, or a target of the metric
    // was set for it elsewhere: not every year some target of anything names (`到2010年`).
    let planned = |y: i32| {
        s.meta
            .documents
            .iter()
            .any(|d| d.year == Some(y) && d.region.as_deref() == Some(s.region.as_str()))
    };
    history.retain(|h| h.verdict.is_some() || planned(h.year));
    Ok(history)
}

pub struct HistoryRow {
    pub year: i32,
    pub target: String,
    pub target_title: String,
    pub target_href: String,
    pub target_sentence: String,
    pub result: String,
    pub result_title: String,
    pub result_href: String,
    pub result_sentence: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub reason: String,
    pub others: Vec<String>,
}

fn history_row(h: &HistoryYear, t: &Words) -> HistoryRow {
    let Some(v) = &h.verdict else {
        return HistoryRow {
            year: h.year,
            target: String::new(),
            target_title: String::new(),
            target_href: String::new(),
            target_sentence: String::new(),
            result: String::new(),
            result_title: String::new(),
            result_href: String::new(),
            result_sentence: String::new(),
            status: "none",
            status_label: tr(t, "未读到目标", "no target read"),
            reason: tr(
                t,
                "该年的文件中没有读到这一指标的目标",
                "no target of this metric was read for the year",
            )
            .into(),
            others: Vec::new(),
        };
    };
    HistoryRow {
        year: h.year,
        target: v.target.figure().1,
        target_title: v.target.document.display_title(),
        target_href: item_href(&v.target, t.lang),
        target_sentence: v.target.excerpt(100),
        result: v.actual.as_ref().map(|a| a.figure().1).unwrap_or_default(),
        result_title: v
            .actual
            .as_ref()
            .map(|a| a.document.display_title())
            .unwrap_or_default(),
        result_href: v
            .actual
            .as_ref()
            .map(|a| doc_href(&a.document, a.start(), t.lang))
            .unwrap_or_default(),
        result_sentence: v
            .actual
            .as_ref()
            .map(|a| a.excerpt(100))
            .unwrap_or_default(),
        status: v.status.as_str(),
        status_label: status(t, v.status.as_str()),
        reason: reason(t, &v.reason, &v.reason_zh),
        others: h.others.iter().map(|o| o.target.figure().1).collect(),
    }
}

/// The value of a figure in the unit of the first target drawn (`万亿元` and `亿元` both shown
/// in the first one's).
fn scaled(e: &Evidence, scale: f64) -> Option<f64> {
    match &e.item {
        Item::Quantity(q) => Some(q.normalized / scale),
        Item::Milestone(_) => None,
    }
}

/// The history's chart (targets and results a year) and its data, or `None` when no year has
/// a target.
fn history_chart(
    years: &[HistoryYear],
    measure: Option<Measure>,
    t: &Words,
) -> Option<(Value, ChartTable)> {
    let first = years.iter().find_map(|h| h.verdict.as_ref())?;
    let Item::Quantity(q0) = &first.target.item else {
        return None;
    };
    let scale = if q0.value != 0.0 {
        q0.normalized / q0.value
    } else {
        1.0
    };
    let unit = q0.unit.clone().unwrap_or_default();
    let with_data: Vec<i32> = years
        .iter()
        .filter(|h| h.verdict.is_some())
        .map(|h| h.year)
        .collect();
    let (lo, hi) = (*with_data.first()?, *with_data.last()?);
    let span: Vec<i32> = (lo..=hi).collect();
    let at = |y: i32, f: &dyn Fn(&Verdict) -> Option<f64>| -> Value {
        years
            .iter()
            .find(|h| h.year == y)
            .and_then(|h| h.verdict.as_ref())
            .and_then(f)
            .map_or(Value::Null, |v| {
                json!(crate::util::num(v).parse::<f64>().unwrap_or(v))
            })
    };
    let targets: Vec<Value> = span
        .iter()
        .map(|&y| at(y, &|v| scaled(&v.target, scale)))
        .collect();
    let results: Vec<Value> = span
        .iter()
        .map(|&y| at(y, &|v| v.actual.as_ref().and_then(|a| scaled(a, scale))))
        .collect();
    let from_zero = matches!(
        measure,
        Some(Measure::GrowthRate | Measure::PointChange | Measure::Increment)
    );
    let y_t = tr(t, "目标", "Target");
    let y_r = tr(t, "结果", "Result");
    let option = json!({
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 56, "right": 24, "top": 36, "bottom": 28},
        "xAxis": {"type": "category", "data": span.iter().map(|y| y.to_string()).collect::<Vec<_>>()},
        "yAxis": y_axis(&values_of(&[&targets, &results]), from_zero, &unit),
        "series": [
            {"name": y_t, "type": "line", "data": targets, "connectNulls": false, "symbol": "diamond",
             "symbolSize": 9, "lineStyle": {"type": "dashed"}, "itemStyle": {"color": "#8a4b00"}},
            {"name": y_r, "type": "line", "data": results, "connectNulls": false, "symbolSize": 8,
             "lineStyle": {"width": 3}, "itemStyle": {"color": "#0b5cad"}},
        ],
    });
    let cell = |v: &Value| v.as_f64().map_or(String::new(), num);
    let table = ChartTable {
        caption: tr(t, "图表数据", "Chart data").into(),
        header: vec![
            tr(t, "年份", "Year").into(),
            format!("{y_t}{}", paren(t, &unit)),
            format!("{y_r}{}", paren(t, &unit)),
        ],
        rows: span
            .iter()
            .enumerate()
            .filter(|(i, _)| !targets[*i].is_null() || !results[*i].is_null())
            .map(|(i, y)| vec![y.to_string(), cell(&targets[i]), cell(&results[i])])
            .collect(),
    };
    Some((option, table))
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    l: Layout,
    metric: String,
    measure: String,
    measures: Vec<(String, &'static str)>,
    region: String,
    regions: Vec<String>,
    rows: Vec<HistoryRow>,
    with_target: usize,
    achieved: usize,
    not_achieved: usize,
    chart: String,
    table: ChartTable,
    json: String,
}

pub async fn history(
    Page {
        app,
        p,
        uri,
        headers,
    }: Page,
) -> Response {
    respond(&app, &headers, async {
        let t = p.t();
        let q = HistoryQuery::of(&uri)?;
        let measure = q.measure()?;
        let s = scope(&app, &p, &headers).await?;
        let metric = q.metric.clone().unwrap_or_default().trim().to_string();
        let years = if metric.is_empty() {
            Vec::new()
        } else {
            metric_history(&app, &s, &metric, measure).await?
        };
        let chart = history_chart(&years, measure, t);
        let heading = if metric.is_empty() {
            tr(
                t,
                "指标历年目标与结果",
                "A metric's targets and results by year",
            )
            .to_string()
        } else if zh(t) {
            format!(
                "{}{}：历年目标与结果 · {}",
                metric,
                measure.map_or("", |m| measure_label(m, t)),
                s.region
            )
        } else {
            format!("{metric}: targets and results by year · {}", s.region)
        };
        let mut l = layout(t, &s, &uri, heading, "targets");
        l.charts = chart.is_some();
        l.selectors = false;
        let rows: Vec<HistoryRow> = years.iter().map(|h| history_row(h, t)).collect();
        let (chart, table) = chart.map_or((String::new(), ChartTable::default()), |(c, t)| {
            (c.to_string(), t)
        });
        let m = measure.map(measure_name).unwrap_or_default();
        render(HistoryPage {
            measures: [
                Measure::GrowthRate,
                Measure::Level,
                Measure::Increment,
                Measure::PointChange,
            ]
            .into_iter()
            .map(|x| (measure_name(x), measure_label(x, t)))
            .collect(),
            with_target: rows.iter().filter(|r| r.status != "none").count(),
            achieved: rows.iter().filter(|r| r.status == "achieved").count(),
            not_achieved: rows.iter().filter(|r| r.status == "not_achieved").count(),
            json: format!(
                "/api/history?metric={}&region={}{}",
                enc(&metric),
                enc(&s.region),
                if m.is_empty() {
                    String::new()
                } else {
                    format!("&measure={m}")
                }
            ),
            regions: s.meta.nearby(&s.region),
            region: s.region.clone(),
            metric,
            measure: m,
            rows,
            chart,
            table,
            l,
        })
    })
    .await
}
