//! Five-year plan indicators against their trajectory, by the growth-rate method of national SDG
//! platforms (Statistics Canada / Open SDG), as `DESIGN.md` describes:
//!
//! CAGR_obs = (v_t / v_0)^(1/(t − t0)) − 1, CAGR_req = (target / v_0)^(1/(T − t0)) − 1,
//! ratio = CAGR_obs / |CAGR_req| (sign flipped when lower is better): ≥ 0.95 on track, 0.6–0.95
//! needs acceleration, 0–0.6 limited progress, below 0 deterioration; a target already met is
//! achieved; fewer than two observations (the baseline counts) is not available.
//!
//! Five-year averages (`*`) are judged by the mean of the yearly figures so far against the
//! target mean, and five-year totals (`〔 〕`) by the sum so far against the share of the target
//! the elapsed years call for; the same thresholds apply to their ratios.

use plantrack_model::{Aggregation, Indicator, Ledger, Measure, Qualifier, Quantity, QuantityRole};
use serde::Serialize;

use crate::metric::similarity;
use crate::reconcile::{Evidence, Item};
use crate::{Lexicon, Why};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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

/// An indicator's evaluation with every input that produced it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorEvaluation {
    pub source: String,
    pub region: Option<String>,
    pub indicator: Indicator,
    pub lower_is_better: bool,
    pub baseline: Option<(i32, f64)>,
    pub target: Option<(i32, f64)>,
    pub observations: Vec<Observation>,
    pub cagr_observed: Option<f64>,
    pub cagr_required: Option<f64>,
    pub ratio: Option<f64>,
    /// The value the observed trend reaches in the target year.
    pub projection: Option<f64>,
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
    /// A level: a stock, a share, a rate.
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

fn fits(kind: Observed, q: &Quantity, unit: Option<&str>) -> bool {
    match kind {
        Observed::Growth => {
            q.measure == Measure::GrowthRate
                && q.direction != Some(plantrack_model::Direction::Decrease)
        }
        Observed::Decrease => {
            q.measure == Measure::GrowthRate
                && q.direction == Some(plantrack_model::Direction::Decrease)
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
    let lower = lexicon.lower_is_better(&ind.name)
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
    // The best figure of each year after the baseline.
    let mut best: Vec<(i32, f64, usize, f64)> = Vec::new();
    for (i, l) in ledger.quantities.iter().enumerate() {
        let q = &l.item;
        let (Some(y), Some(t0), Some(te)) = (q.year, t0, t_end) else {
            continue;
        };
        if q.role != QuantityRole::Actual || y <= t0 || y > te || q.aggregation.is_some() {
            continue;
        }
        let r = q
            .region
            .clone()
            .or_else(|| ledger.documents[l.document].region.clone());
        if r != region || !fits(kind, q, unit) {
            continue;
        }
        let Some(sim) = similarity(lexicon, metric, &q.metric) else {
            continue;
        };
        let score = sim + if q.estimated { 0.0 } else { 0.001 };
        match best.iter_mut().find(|b| b.0 == y) {
            Some(b) if b.3 >= score => {}
            Some(b) => *b = (y, observed_value(unit, q), i, score),
            None => best.push((y, observed_value(unit, q), i, score)),
        }
    }
    best.sort_by_key(|b| b.0);
    let observations: Vec<Observation> = best
        .iter()
        .map(|&(year, value, i, _)| Observation {
            year,
            value,
            evidence: Evidence {
                kind: "quantity",
                index: i,
                document: ledger.documents[ledger.quantities[i].document].clone(),
                item: Item::Quantity(ledger.quantities[i].item.clone()),
            },
        })
        .collect();
    let mut e = IndicatorEvaluation {
        source: String::new(),
        region,
        indicator: ind.clone(),
        lower_is_better: lower,
        baseline,
        target,
        observations,
        cagr_observed: None,
        cagr_required: None,
        ratio: None,
        projection: None,
        status: TrajectoryStatus::NotAvailable,
        reason: String::new(),
        reason_zh: String::new(),
    };
    let say = |e: &mut IndicatorEvaluation, why: Why| {
        e.reason = why.en;
        e.reason_zh = why.zh;
    };
    let Some((tv_year, tv)) = target else {
        say(
            &mut e,
            Why::new("the target is not a number", "目标值不是数值"),
        );
        return e;
    };
    let Some(last) = e.observations.last().map(|o| (o.year, o.value)) else {
        say(
            &mut e,
            Why::new(
                "no yearly figure reported since the baseline",
                "基期以来没有报告年度数值",
            ),
        );
        return e;
    };
    let Some(t0) = t0 else {
        say(&mut e, Why::new("no baseline year", "没有基期年份"));
        return e;
    };
    let span = f64::from(tv_year - t0).max(1.0);
    let sign = if lower { -1.0 } else { 1.0 };
    match ind.aggregation {
        Some(Aggregation::FiveYearAverage) => {
            let n = e.observations.len() as f64;
            let mean = e.observations.iter().map(|o| o.value).sum::<f64>() / n;
            let ratio = sign * mean / tv.abs();
            e.ratio = Some(round(ratio, 3));
            e.projection = Some(round(mean, 2));
            e.status = if last.0 >= tv_year && sign * (mean - tv) >= 0.0 {
                TrajectoryStatus::TargetAchieved
            } else {
                TrajectoryStatus::of_ratio(if lower { 2.0 - ratio.abs() } else { ratio })
            };
            let n = e.observations.len();
            let why = Why::new(
                format!(
                    "mean of {n} yearly figure(s) {} against the target mean {tv}",
                    round(mean, 2)
                ),
                format!("{n}个年度数值的平均值为{}，目标平均值{tv}", round(mean, 2)),
            );
            say(&mut e, why);
        }
        Some(Aggregation::FiveYearCumulative) => {
            let sum: f64 = e.observations.iter().map(|o| o.value).sum();
            let elapsed = f64::from(last.0 - t0);
            let due = tv * elapsed / span;
            let ratio = if due != 0.0 { sum / due } else { 0.0 };
            e.ratio = Some(round(ratio, 3));
            e.projection = Some(round(sum / elapsed * span, 2));
            e.status = if sum >= tv {
                TrajectoryStatus::TargetAchieved
            } else {
                TrajectoryStatus::of_ratio(ratio)
            };
            let (sum, due) = (round(sum, 2), round(due, 2));
            let why = Why::new(
                format!(
                    "{sum} over {elapsed} year(s) against {due} due by {} ({elapsed} of {span} years of the total {tv})",
                    last.0
                ),
                format!(
                    "{elapsed}年累计{sum}，按进度到{}年应达{due}（总目标{tv}，{span}年中的{elapsed}年）",
                    last.0
                ),
            );
            say(&mut e, why);
        }
        None => {
            let Some((_, v0)) = baseline else {
                say(&mut e, Why::new("no baseline value", "没有基期数值"));
                return e;
            };
            let met = if lower { last.1 <= tv } else { last.1 >= tv };
            let t = f64::from(last.0 - t0).max(1.0);
            if v0 > 0.0 && last.1 > 0.0 && tv > 0.0 {
                let obs = (last.1 / v0).powf(1.0 / t) - 1.0;
                let req = (tv / v0).powf(1.0 / span) - 1.0;
                e.cagr_observed = Some(round(obs, 4));
                e.cagr_required = Some(round(req, 4));
                e.projection = Some(round(v0 * (1.0 + obs).powf(span), 2));
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
            if met {
                e.status = TrajectoryStatus::TargetAchieved;
                let why = Why::new(
                    format!(
                        "{} in {} already {} the target {tv}",
                        last.1,
                        last.0,
                        if lower { "within" } else { "reaches" },
                    ),
                    format!(
                        "{}年为{}，已{}目标{tv}",
                        last.0,
                        last.1,
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
                let why = Why::new(
                    format!(
                        "from {v0} ({t0}) to {} ({}): {obs:.2} % a year against {req:.2} % a year needed for {tv} in {tv_year}",
                        last.1, last.0
                    ),
                    format!(
                        "从{v0}（{t0}年）到{}（{}年）：年均{obs:.2}%，{tv_year}年达到{tv}需年均{req:.2}%",
                        last.1, last.0
                    ),
                );
                say(&mut e, why);
            }
        }
    }
    e
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
