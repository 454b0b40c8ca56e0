//! Five-year plan indicators against their trajectory, by the growth-rate method of national SDG
//! platforms (Statistics Canada / Open SDG), as `DESIGN.md` describes:
//!
//! CAGR_obs = (v_t / v_0)^(1/(t − t0)) − 1, CAGR_req = (target / v_0)^(1/(T − t0)) − 1,
//! ratio = CAGR_obs / |CAGR_req| (sign flipped when lower is better): ≥ 0.95 on track, 0.6–0.95
//! needs acceleration, 0–0.6 limited progress, below 0 deterioration; a target already met is
//! achieved; fewer than two observations (the baseline counts) is not available.
//!
//! Five-year figures are judged on their own terms, never as levels:
//!
//! - A five-year average (`*`: `3.8*` → `6*左右`) by the mean of the yearly figures so far
//!   against the target mean; the table's baseline is the previous five years' average, not the
//!   last year's figure. The years still to come need the mean that makes up the rest.
//! - A five-year total (`〔 〕`: `〔17〕` → `〔15〕`) by the running total of the yearly figures
//!   against the share of the target the reported years call for; the baseline is the previous
//!   five years' total. Rates of change chain (`能耗降低` 3.2 % and 3.1 % make 1 − 0.968 × 0.969
//!   = 6.2 %, not 6.3 %); counts and amounts add up. A year without a figure is missing, not
//!   zero: the share due is that of the years reported.
//!
//! Every figure given (projection, running total, what is due) is rounded to the precision the
//! indicator is written in (its table's and its yearly figures' decimals), so that a table of
//! whole numbers does not get a projection of `14301.62`.

use plantrack_model::{
    Aggregation, Direction, Indicator, Ledger, Measure, Qualifier, Quantity, QuantityRole,
};
use serde::{Deserialize, Serialize};

use crate::metric::similarity;
use crate::reconcile::{Evidence, evidence_q};
use crate::{Lexicon, Why};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrajectoryStatus {
    TargetAchieved,
    OnTrack,
    NeedsAcceleration,
    LimitedProgress,
    Deterioration,
    NotAvailable,
}

impl TrajectoryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TrajectoryStatus::TargetAchieved => "target_achieved",
            TrajectoryStatus::OnTrack => "on_track",
            TrajectoryStatus::NeedsAcceleration => "needs_acceleration",
            TrajectoryStatus::LimitedProgress => "limited_progress",
            TrajectoryStatus::Deterioration => "deterioration",
            TrajectoryStatus::NotAvailable => "not_available",
        }
    }

    fn of_ratio(r: f64) -> TrajectoryStatus {
        if r >= 0.95 {
            TrajectoryStatus::OnTrack
        } else if r >= 0.6 {
            TrajectoryStatus::NeedsAcceleration
        } else if r >= 0.0 {
            TrajectoryStatus::LimitedProgress
        } else {
            TrajectoryStatus::Deterioration
        }
    }
}

/// One yearly figure of an indicator, with the sentence it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    pub year: i32,
    pub value: f64,
    pub evidence: Evidence,
}

/// How a five-year total adds up its yearly figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Accumulation {
    /// Counts and amounts (`城镇新增就业`): the yearly figures add up.
    Sum,
    /// Rates of change (`单位地区生产总值能源消耗降低`): the yearly rates chain,
    /// 1 − (1 − r₁)(1 − r₂)… for a fall, (1 + r₁)(1 + r₂)… − 1 for a rise.
    Compound,
}

/// Where a five-year total (`〔 〕`) or average (`*`) stands after the years reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aggregate {
    /// The years with a figure.
    pub years_reported: usize,
    /// The years of the period up to the latest figure that have none.
    pub missing: Vec<i32>,
    /// The running total, or the mean, of the yearly figures so far.
    pub so_far: f64,
    /// What the reported years call for: the target's share for that many years (a total), or
    /// the target mean (an average).
    pub due: f64,
    /// For an average: the mean the years without a figure need for the target to be met
    /// (`None` when none remain).
    pub needed_rest: Option<f64>,
    /// After each reported year: the running total (a total) or the mean so far (an average).
    pub running: Vec<(i32, f64)>,
}

/// An indicator's evaluation with every input that produced it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorEvaluation {
    pub source: String,
    pub region: Option<String>,
    pub indicator: Indicator,
    /// The metric the yearly figures are read as (`地区生产总值` of `地区生产总值增长`) and
    /// their measure: what a history of the metric's yearly targets and results asks for.
    pub metric: String,
    pub measure: Measure,
    pub lower_is_better: bool,
    pub baseline: Option<(i32, f64)>,
    /// The years the baseline figure covers: the previous five years for a total or an average
    /// (`2016`–`2020` for `〔17〕` in a 2020 column), the one year for a level.
    pub baseline_period: Option<(i32, i32)>,
    pub target: Option<(i32, f64)>,
    /// The decimals the indicator is written in; every figure given is rounded to them.
    pub precision: u32,
    /// How a five-year total adds up its yearly figures; `None` for an average or a level.
    pub accumulation: Option<Accumulation>,
    pub observations: Vec<Observation>,
    /// Targets of the plan's years set for the same metric (a work report's `增长6%左右`).
    pub yearly_targets: Vec<Evidence>,
    pub cagr_observed: Option<f64>,
    pub cagr_required: Option<f64>,
    pub ratio: Option<f64>,
    /// The value the observed trend reaches in the target year (a total: the five years' total
    /// at the pace so far; an average: the mean so far).
    pub projection: Option<f64>,
    /// A five-year total's or average's standing; `None` for a level.
    pub aggregate: Option<Aggregate>,
    /// Where the indicator should stand each year to be on track: the required growth path of
    /// a level, the running total due of a total, the target mean of an average.
    pub schedule: Vec<(i32, f64)>,
    pub status: TrajectoryStatus,
    pub reason: String,
    /// The reason in Chinese.
    pub reason_zh: String,
}

/// Every indicator of the five-year plan `document` (an index into the ledger's documents).
pub fn evaluate_plan(
    ledger: &Ledger,
    lexicon: &Lexicon,
    document: usize,
) -> Vec<IndicatorEvaluation> {
    let doc = &ledger.documents[document];
    ledger
        .indicators
        .iter()
        .filter(|i| i.document == document)
        .map(|i| evaluate(ledger, lexicon, document, &i.item))
        .map(|mut e| {
            e.source = doc.source.clone();
            e
        })
        .collect()
}

/// What kind of yearly figure an indicator is observed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Observed {
    /// `地区生产总值增长`: yearly growth rates.
    Growth,
    /// `单位地区生产总值能源消耗降低`: yearly decreases.
    Decrease,
    /// A level: a stock, a share, a rate; for a five-year total, the year's addition.
    Level,
}

/// The indicator's name as a metric, and what observes it.
fn metric_of(name: &str) -> (&str, Observed) {
    for (suffix, kind) in [
        ("增长", Observed::Growth),
        ("增速", Observed::Growth),
        ("降低", Observed::Decrease),
        ("下降", Observed::Decrease),
    ] {
        if let Some(stem) = name.strip_suffix(suffix)
            && stem.chars().count() >= 2
        {
            return (stem, kind);
        }
    }
    (name, Observed::Level)
}

/// Whether `q` is a yearly figure of the kind the indicator is observed by. `total`: the
/// indicator is a five-year total, whose yearly figures are additions (`城镇新增就业1244万人`),
/// never a stock or a running total (`累计…`).
fn fits(kind: Observed, q: &Quantity, unit: Option<&str>, total: bool) -> bool {
    match kind {
        Observed::Growth => {
            q.measure == Measure::GrowthRate && q.direction != Some(Direction::Decrease)
        }
        Observed::Decrease => {
            q.measure == Measure::GrowthRate && q.direction == Some(Direction::Decrease)
        }
        Observed::Level if total => {
            (q.measure == Measure::Increment || (q.measure == Measure::Level && q.action.is_some()))
                && unit_matches(unit, q)
        }
        Observed::Level => {
            matches!(
                q.measure,
                Measure::Level | Measure::Share | Measure::Cumulative
            ) && q.action.is_none()
                && unit_matches(unit, q)
        }
    }
}

fn unit_matches(unit: Option<&str>, q: &Quantity) -> bool {
    match unit {
        None => true,
        Some("%") => q.base_unit.as_deref() == Some("%"),
        // `万户` against `181.5万户`: the table's unit with its scale.
        Some(u) => q.unit.as_deref() == Some(u) || q.base_unit.as_deref() == Some(u),
    }
}

/// The table's value in the observation's terms: `万户` figures are compared as written.
fn observed_value(unit: Option<&str>, q: &Quantity) -> f64 {
    match unit {
        Some(u) if q.unit.as_deref() == Some(u) => q.value,
        _ => q.normalized,
    }
}

/// The decimals `v` is written with (at most four).
fn decimals(v: f64) -> u32 {
    let s = crate::reconcile::trim(v);
    s.split_once('.').map_or(0, |(_, d)| d.len() as u32)
}

/// A number at the indicator's precision, with its unit: `14302家`, `4.3%`.
fn shown(v: f64, precision: u32, unit: &str) -> String {
    format!(
        "{}{unit}",
        crate::reconcile::trim(round(v, precision as i32))
    )
}

fn evaluate(
    ledger: &Ledger,
    lexicon: &Lexicon,
    document: usize,
    ind: &Indicator,
) -> IndicatorEvaluation {
    let doc = &ledger.documents[document];
    let region = doc.region.clone();
    let (metric, kind) = metric_of(&ind.name);
    let unit = ind.unit.as_deref();
    let total = ind.aggregation == Some(Aggregation::FiveYearCumulative);
    // `能源消耗降低` names a fall: more of it is better, though less energy use is (the trap of
    // reading the metric's direction for the indicator's).
    let lower = (kind != Observed::Decrease && lexicon.lower_is_better(&ind.name))
        || ind
            .target
            .as_ref()
            .is_some_and(|t| t.qualifier == Some(Qualifier::AtMost));
    let baseline = ind
        .baseline
        .as_ref()
        .and_then(|b| Some((b.year.or(doc.year.map(|y| y - 1))?, b.value?)));
    let target = ind.target.as_ref().and_then(|t| Some((t.year?, t.value?)));
    let t0 = baseline.map(|b| b.0).or(doc.year.map(|y| y - 1));
    let t_end = target.map(|t| t.0).or(doc.year.map(|y| y + 4));
    let region_of = |l: &plantrack_model::Located<Quantity>| {
        l.item
            .region
            .clone()
            .or_else(|| ledger.documents[l.document].region.clone())
    };
    // The best figure of each year after the baseline, and the targets set for those years.
    let mut best: Vec<(i32, f64, usize, f64)> = Vec::new();
    let mut yearly_targets: Vec<usize> = Vec::new();
    for (i, l) in ledger.quantities.iter().enumerate() {
        let q = &l.item;
        let (Some(y), Some(t0), Some(te)) = (q.year, t0, t_end) else {
            continue;
        };
        if y <= t0 || y > te || q.aggregation.is_some() {
            continue;
        }
        if region_of(l) != region || !fits(kind, q, unit, total) {
            continue;
        }
        let Some(sim) = similarity(lexicon, metric, &q.metric) else {
            continue;
        };
        if q.role == QuantityRole::Target {
            yearly_targets.push(i);
            continue;
        }
        let score = sim + if q.estimated { 0.0 } else { 0.001 };
        match best.iter_mut().find(|b| b.0 == y) {
            Some(b) if b.3 >= score => {}
            Some(b) => *b = (y, observed_value(unit, q), i, score),
            None => best.push((y, observed_value(unit, q), i, score)),
        }
    }
    best.sort_by_key(|b| b.0);
    yearly_targets.sort_by_key(|&i| {
        let l = &ledger.quantities[i];
        (l.item.year, l.document, l.item.span.start)
    });
    let observations: Vec<Observation> = best
        .iter()
        .map(|&(year, value, i, _)| Observation {
            year,
            value,
            evidence: evidence_q(ledger, i),
        })
        .collect();
    let precision = [
        ind.baseline.as_ref().and_then(|b| b.value),
        ind.target.as_ref().and_then(|t| t.value),
    ]
    .into_iter()
    .flatten()
    .chain(observations.iter().map(|o| o.value))
    .map(decimals)
    .max()
    .unwrap_or(0)
    .min(2);
    let years = match (t0, t_end) {
        (Some(a), Some(b)) if b > a => b - a,
        _ => 5,
    };
    let baseline_period = baseline.map(|(y, _)| {
        if ind.aggregation.is_some() {
            (y - years + 1, y)
        } else {
            (y, y)
        }
    });
    let measure = match kind {
        Observed::Growth | Observed::Decrease => Measure::GrowthRate,
        Observed::Level if total => Measure::Increment,
        Observed::Level => Measure::Level,
    };
    let mut e = IndicatorEvaluation {
        source: String::new(),
        region,
        indicator: ind.clone(),
        metric: metric.to_string(),
        measure,
        lower_is_better: lower,
        baseline,
        baseline_period,
        target,
        precision,
        accumulation: total.then(|| accumulation(kind, unit)),
        observations,
        yearly_targets: yearly_targets
            .into_iter()
            .map(|i| evidence_q(ledger, i))
            .collect(),
        cagr_observed: None,
        cagr_required: None,
        ratio: None,
        projection: None,
        aggregate: None,
        schedule: Vec::new(),
        status: TrajectoryStatus::NotAvailable,
        reason: String::new(),
        reason_zh: String::new(),
    };
    let say = |e: &mut IndicatorEvaluation, why: Why| {
        e.reason = why.en;
        e.reason_zh = why.zh;
    };
    let Some((tv_year, tv)) = target else {
        let written = ind
            .target
            .as_ref()
            .map(|t| t.text.trim_matches(['〔', '〕', '[', ']']).to_string())
            .unwrap_or_default();
        say(
            &mut e,
            if written.is_empty() {
                Why::new("the plan gives no target", "规划没有给出目标值")
            } else {
                Why::new(
                    format!(
                        "the target {written:?} is not a number: it cannot be judged by figures"
                    ),
                    format!("目标“{written}”不是数值，无法按数值评估"),
                )
            },
        );
        return e;
    };
    let Some(t0) = t0 else {
        say(&mut e, Why::new("no baseline year", "没有基期年份"));
        return e;
    };
    let p = precision;
    let u = unit.unwrap_or("");
    let span = f64::from(years);
    let sign = if lower { -1.0 } else { 1.0 };
    // The path to the target, before any yearly figure: what each year calls for.
    match ind.aggregation {
        Some(Aggregation::FiveYearAverage) => {
            e.schedule = (t0 + 1..=tv_year).map(|y| (y, tv)).collect();
        }
        Some(Aggregation::FiveYearCumulative) => {
            let acc = accumulation(kind, unit);
            e.schedule = (1..=years)
                .map(|k| {
                    (
                        t0 + k,
                        round(due(acc, kind, tv, f64::from(k), span), p as i32),
                    )
                })
                .collect();
        }
        None => {
            if let Some((_, v0)) = baseline
                && v0 > 0.0
                && tv > 0.0
            {
                let req = (tv / v0).powf(1.0 / span) - 1.0;
                e.schedule = (0..=years)
                    .map(|k| (t0 + k, round(v0 * (1.0 + req).powi(k), p as i32 + 1)))
                    .collect();
            }
        }
    }
    let Some(last) = e.observations.last().map(|o| (o.year, o.value)) else {
        say(
            &mut e,
            Why::new(
                format!("no yearly figure reported since the baseline ({t0})"),
                format!("{}年以来的文件中没有该指标的年度数值", t0 + 1),
            ),
        );
        return e;
    };
    let missing: Vec<i32> = (t0 + 1..=last.0)
        .filter(|y| !e.observations.iter().any(|o| o.year == *y))
        .collect();
    let (missing_en, missing_zh) = if missing.is_empty() {
        (String::new(), String::new())
    } else {
        let list: Vec<String> = missing.iter().map(|y| y.to_string()).collect();
        (
            format!(" (no figure for {})", list.join(", ")),
            format!("（{}年无数据，不按零计）", list.join("、")),
        )
    };
    let n = e.observations.len();
    match ind.aggregation {
        Some(Aggregation::FiveYearAverage) => {
            let values: Vec<f64> = e.observations.iter().map(|o| o.value).collect();
            let sum: f64 = values.iter().sum();
            let mean = sum / n as f64;
            let ratio = sign * mean / tv.abs();
            let rest = (years as usize).saturating_sub(n);
            let needed_rest = (rest > 0).then(|| (tv * span - sum) / rest as f64);
            let mut running = Vec::new();
            let mut acc = 0.0;
            for (k, o) in e.observations.iter().enumerate() {
                acc += o.value;
                running.push((o.year, round(acc / (k + 1) as f64, p as i32)));
            }
            e.ratio = Some(round(ratio, 3));
            e.projection = Some(round(mean, p as i32));
            e.status = if last.0 >= tv_year && sign * (mean - tv) >= 0.0 {
                TrajectoryStatus::TargetAchieved
            } else {
                TrajectoryStatus::of_ratio(if lower { 2.0 - ratio.abs() } else { ratio })
            };
            let need = needed_rest.map_or((String::new(), String::new()), |r| {
                (
                    format!(
                        "; the {rest} year(s) without a figure need a mean of {}",
                        shown(r, p, u)
                    ),
                    format!("；其余{rest}个年度需平均{}", shown(r, p, u)),
                )
            });
            let why = Why::new(
                format!(
                    "mean of {n} yearly figure(s) {} against the target mean {}{missing_en}{}",
                    shown(mean, p, u),
                    shown(tv, p, u),
                    need.0
                ),
                format!(
                    "{n}个年度数值的平均值为{}，目标五年平均{}{missing_zh}；进度比{:.2}（平均值÷目标平均值）{}",
                    shown(mean, p, u),
                    shown(tv, p, u),
                    ratio,
                    need.1
                ),
            );
            e.aggregate = Some(Aggregate {
                years_reported: n,
                missing,
                so_far: round(mean, p as i32),
                due: tv,
                needed_rest: needed_rest.map(|r| round(r, p as i32)),
                running,
            });
            say(&mut e, why);
        }
        Some(Aggregation::FiveYearCumulative) => {
            let acc = accumulation(kind, unit);
            let mut running = Vec::new();
            let mut so_far = 0.0;
            for o in &e.observations {
                so_far = add(acc, kind, so_far, o.value);
                running.push((o.year, round(so_far, p as i32)));
            }
            let due_now = due(acc, kind, tv, n as f64, span);
            let ratio = if due_now != 0.0 {
                so_far / due_now
            } else {
                0.0
            };
            let projection = project(acc, kind, so_far, n as f64, span);
            e.ratio = Some(round(ratio, 3));
            e.projection = Some(round(projection, p as i32));
            e.status = if so_far >= tv {
                TrajectoryStatus::TargetAchieved
            } else {
                TrajectoryStatus::of_ratio(ratio)
            };
            let (how_en, how_zh) = match acc {
                Accumulation::Compound => ("chained", "逐年连乘"),
                Accumulation::Sum => ("summed", "逐年相加"),
            };
            let why = Why::new(
                format!(
                    "{} over {n} reported year(s) ({how_en}){missing_en} against {} due for {n} of {years} years of the total {}; at this pace {} over the five years",
                    shown(so_far, p, u),
                    shown(due_now, p, u),
                    shown(tv, p, u),
                    shown(projection, p, u),
                ),
                format!(
                    "已报告{n}个年度，累计{}（{how_zh}）{missing_zh}，按进度{n}年应累计{}（五年累计目标{}）；进度比{:.2}（累计÷应累计）；按此速度五年累计约{}",
                    shown(so_far, p, u),
                    shown(due_now, p, u),
                    shown(tv, p, u),
                    ratio,
                    shown(projection, p, u),
                ),
            );
            e.aggregate = Some(Aggregate {
                years_reported: n,
                missing,
                so_far: round(so_far, p as i32),
                due: round(due_now, p as i32),
                needed_rest: None,
                running,
            });
            say(&mut e, why);
        }
        None => {
            let Some((_, v0)) = baseline else {
                say(&mut e, Why::new("no baseline value", "没有基期数值"));
                return e;
            };
            let met = if lower { last.1 <= tv } else { last.1 >= tv };
            let t = f64::from(last.0 - t0).max(1.0);
            let mut projection = None;
            if v0 > 0.0 && last.1 > 0.0 && tv > 0.0 {
                let obs = (last.1 / v0).powf(1.0 / t) - 1.0;
                let req = (tv / v0).powf(1.0 / span) - 1.0;
                e.cagr_observed = Some(round(obs, 4));
                e.cagr_required = Some(round(req, 4));
                projection = Some(v0 * (1.0 + obs).powf(span));
                e.projection = projection.map(|v| round(v, p as i32));
                let ratio = if req.abs() > 1e-12 {
                    sign * obs / req.abs()
                } else {
                    0.0
                };
                e.ratio = Some(round(ratio, 3));
                if !met {
                    // A target no better than the baseline is a floor (or a ceiling) to hold:
                    // not holding it is deterioration, however the trend compares.
                    e.status = if sign * req <= 1e-12 {
                        TrajectoryStatus::Deterioration
                    } else {
                        TrajectoryStatus::of_ratio(ratio)
                    };
                }
            }
            let (v0s, lasts, tvs) = (shown(v0, p, u), shown(last.1, p, u), shown(tv, p, u));
            if met {
                e.status = TrajectoryStatus::TargetAchieved;
                let why = Why::new(
                    format!(
                        "{lasts} in {} already {} the target {tvs}",
                        last.0,
                        if lower { "within" } else { "reaches" },
                    ),
                    format!(
                        "{}年为{lasts}，已{}目标{tvs}",
                        last.0,
                        if lower { "控制在" } else { "达到" },
                    ),
                );
                say(&mut e, why);
            } else if e.ratio.is_none() {
                say(
                    &mut e,
                    Why::new(
                        "the growth rates cannot be computed from these values",
                        "无法由这些数值计算增长率",
                    ),
                );
            } else {
                let (obs, req) = (
                    e.cagr_observed.unwrap_or(0.0) * 100.0,
                    e.cagr_required.unwrap_or(0.0) * 100.0,
                );
                let proj = projection.map_or(String::new(), |v| shown(v, p, u));
                let ratio = e.ratio.unwrap_or(0.0);
                let why = Why::new(
                    format!(
                        "from {v0s} ({t0}) to {lasts} ({}): {obs:.2} % a year against {req:.2} % a year needed for {tvs} in {tv_year}; at this pace {proj} in {tv_year}",
                        last.0
                    ),
                    format!(
                        "从{v0s}（{t0}年）到{lasts}（{}年）：实际年均{obs:.2}%，{tv_year}年达到{tvs}需年均{req:.2}%；进度比{ratio:.2}（实际年均÷所需年均）；按此速度{tv_year}年约为{proj}",
                        last.0
                    ),
                );
                say(&mut e, why);
            }
        }
    }
    e
}

/// How a total of `kind` figures in `unit` adds up: rates chain, everything else sums.
fn accumulation(kind: Observed, unit: Option<&str>) -> Accumulation {
    match kind {
        Observed::Growth | Observed::Decrease if unit == Some("%") => Accumulation::Compound,
        _ => Accumulation::Sum,
    }
}

/// The running total after one more yearly figure `v`.
fn add(acc: Accumulation, kind: Observed, so_far: f64, v: f64) -> f64 {
    match (acc, kind) {
        (Accumulation::Sum, _) => so_far + v,
        (Accumulation::Compound, Observed::Decrease) => {
            100.0 * (1.0 - (1.0 - so_far / 100.0) * (1.0 - v / 100.0))
        }
        (Accumulation::Compound, _) => 100.0 * ((1.0 + so_far / 100.0) * (1.0 + v / 100.0) - 1.0),
    }
}

/// The share of the five-year total `tv` due after `k` of `span` years, at an even pace.
fn due(acc: Accumulation, kind: Observed, tv: f64, k: f64, span: f64) -> f64 {
    match (acc, kind) {
        (Accumulation::Sum, _) => tv * k / span,
        (Accumulation::Compound, Observed::Decrease) => {
            100.0 * (1.0 - (1.0 - tv / 100.0).max(0.0).powf(k / span))
        }
        (Accumulation::Compound, _) => 100.0 * ((1.0 + tv / 100.0).max(0.0).powf(k / span) - 1.0),
    }
}

/// The total over `span` years if the pace of the `k` years so far goes on.
fn project(acc: Accumulation, kind: Observed, so_far: f64, k: f64, span: f64) -> f64 {
    match (acc, kind) {
        (Accumulation::Sum, _) => so_far / k * span,
        (Accumulation::Compound, Observed::Decrease) => {
            100.0 * (1.0 - (1.0 - so_far / 100.0).max(0.0).powf(span / k))
        }
        (Accumulation::Compound, _) => {
            100.0 * ((1.0 + so_far / 100.0).max(0.0).powf(span / k) - 1.0)
        }
    }
}

fn round(v: f64, digits: i32) -> f64 {
    let m = 10f64.powi(digits);
    (v * m).round() / m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_thresholds() {
        assert_eq!(TrajectoryStatus::of_ratio(1.2), TrajectoryStatus::OnTrack);
        assert_eq!(TrajectoryStatus::of_ratio(0.95), TrajectoryStatus::OnTrack);
        assert_eq!(
            TrajectoryStatus::of_ratio(0.7),
            TrajectoryStatus::NeedsAcceleration
        );
        assert_eq!(
            TrajectoryStatus::of_ratio(0.3),
            TrajectoryStatus::LimitedProgress
        );
        assert_eq!(
            TrajectoryStatus::of_ratio(-0.1),
            TrajectoryStatus::Deterioration
        );
    }

    #[test]
    fn totals_chain_rates_and_add_counts() {
        use Accumulation::{Compound, Sum};
        // Falls of 10 % and 10 % are a fall of 19 %, never 20 %.
        let fall = add(
            Compound,
            Observed::Decrease,
            add(Compound, Observed::Decrease, 0.0, 10.0),
            10.0,
        );
        assert!((fall - 19.0).abs() < 1e-9);
        // Rises of 10 % and 10 % are a rise of 21 %.
        let rise = add(
            Compound,
            Observed::Growth,
            add(Compound, Observed::Growth, 0.0, 10.0),
            10.0,
        );
        assert!((rise - 21.0).abs() < 1e-9);
        assert_eq!(add(Sum, Observed::Level, 50.0, 52.0), 102.0);
        // What is due of a 19 % fall over two years after one: 10 %, not 9.5 %.
        assert!((due(Compound, Observed::Decrease, 19.0, 1.0, 2.0) - 10.0).abs() < 1e-9);
        assert_eq!(due(Sum, Observed::Level, 250.0, 2.0, 5.0), 100.0);
        // The pace of one year of 10 % over two years.
        assert!((project(Compound, Observed::Decrease, 10.0, 1.0, 2.0) - 19.0).abs() < 1e-9);
        assert_eq!(project(Sum, Observed::Level, 102.0, 2.0, 5.0), 255.0);
        // Only rates in percent chain: a count with a 降低 name still adds up.
        assert_eq!(accumulation(Observed::Decrease, Some("%")), Compound);
        assert_eq!(accumulation(Observed::Decrease, Some("万吨")), Sum);
        assert_eq!(accumulation(Observed::Level, Some("%")), Sum);
    }

    #[test]
    fn precision_is_the_written_decimals() {
        assert_eq!(decimals(11600.0), 0);
        assert_eq!(decimals(3.8), 1);
        assert_eq!(decimals(139.68), 2);
        assert_eq!(shown(14301.62, 0, "家"), "14302家");
        assert_eq!(shown(6.0, 1, "%"), "6%");
    }

    #[test]
    fn indicator_names_as_metrics() {
        assert_eq!(
            metric_of("地区生产总值增长"),
            ("地区生产总值", Observed::Growth)
        );
        assert_eq!(
            metric_of("单位地区生产总值能源消耗降低"),
            ("单位地区生产总值能源消耗", Observed::Decrease)
        );
        assert_eq!(
            metric_of("国家高新技术企业数量"),
            ("国家高新技术企业数量", Observed::Level)
        );
    }
}
