//! A metric's history: the targets of one metric in one region against their results, year by
//! year across a ledger (a country's GDP growth target against the growth reported, 1993–2025).
//!
//! Nothing is linked here: each year's target–result pairs are [`crate::reconcile`]'s verdicts
//! for that year, and this module only picks, among them, the target that is the metric asked
//! for. Its name must mean the same thing by [`crate::metric`]'s rule (so `单位国内生产总值能耗`
//! is never `国内生产总值`, `经济` is `国内生产总值`), and it must measure the same kind of figure:
//! a growth rate is not a level, an addition is not a stock.
//!
//! When a year holds several such targets (a report that names the growth target twice), the
//! closest name is taken, then one with a result, then the first in the ledger; the others that
//! say something different are kept beside it, never merged into it.

use plantrack_model::Measure;
use serde::Serialize;

use crate::Lexicon;
use crate::metric::Name;
use crate::reconcile::{Item, Verdict};

/// One year of a metric's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryYear {
    pub year: i32,
    /// The year's target of the metric with its result and verdict; `None` when no target of
    /// the metric was read for the year.
    pub verdict: Option<Verdict>,
    /// Other targets of the metric that year that state a different figure.
    pub others: Vec<Verdict>,
}

/// Kinds of figure that can stand for one another in a history: a level, a share and a stock
/// are where something stands; a growth rate, a change in points and an addition are not.
fn class(m: Measure) -> u8 {
    match m {
        Measure::GrowthRate => 0,
        Measure::PointChange => 1,
        Measure::Increment => 2,
        Measure::Level | Measure::Share | Measure::Cumulative => 3,
    }
}

/// The target of `v` when it is a figure of the metric `name` measured as `measure`, with how
/// closely its name matches.
fn fit(lexicon: &Lexicon, name: &Name, measure: Option<Measure>, v: &Verdict) -> Option<f64> {
    let Item::Quantity(q) = &v.target.item else {
        return None;
    };
    if v.vague || measure.is_some_and(|m| class(m) != class(q.measure)) {
        return None;
    }
    name.similarity(&Name::of(lexicon, &q.metric))
}

/// Whether two targets of a year say the same (the same figure, with the same result).
fn same(a: &Verdict, b: &Verdict) -> bool {
    let figure = |v: &Verdict| v.target.figure().1;
    let result = |v: &Verdict| v.actual.as_ref().map(|a| a.figure().1);
    figure(a) == figure(b) && result(a) == result(b)
}

/// The history of `metric` (`measure`: the kind of figure, any when `None`) over `years`, each
/// year with the verdicts [`crate::reconcile`] gave for it in the region asked for.
pub fn history(
    lexicon: &Lexicon,
    metric: &str,
    measure: Option<Measure>,
    years: &[(i32, &[Verdict])],
) -> Vec<HistoryYear> {
    let name = Name::of(lexicon, metric);
    let mut out: Vec<HistoryYear> = years
        .iter()
        .map(|&(year, verdicts)| {
            let mut fits: Vec<(f64, &Verdict)> = verdicts
                .iter()
                .filter_map(|v| Some((fit(lexicon, &name, measure, v)?, v)))
                .collect();
            fits.sort_by(|a, b| {
                b.0.total_cmp(&a.0)
                    .then(b.1.actual.is_some().cmp(&a.1.actual.is_some()))
                    .then(a.1.target.index.cmp(&b.1.target.index))
            });
            let mut it = fits.into_iter().map(|(_, v)| v);
            let verdict = it.next().cloned();
            let mut others: Vec<Verdict> = Vec::new();
            for v in it {
                let repeated = verdict.as_ref().is_some_and(|b| same(b, v))
                    || others.iter().any(|o| same(o, v));
                if !repeated {
                    others.push(v.clone());
                }
            }
            HistoryYear {
                year,
                verdict,
                others,
            }
        })
        .collect();
    out.sort_by_key(|h| h.year);
    out
}

#[cfg(test)]
mod tests {
    use plantrack_model::{
        Direction, DocumentKind, DocumentRef, Ledger, Located, Measure, Quantity, QuantityRole,
    };

    use super::*;
    use crate::reconcile::{Scope, reconcile};

    fn q(
        role: QuantityRole,
        year: i32,
        metric: &str,
        value: f64,
        unit: &str,
        m: Measure,
    ) -> Quantity {
        Quantity {
            role,
            year: Some(year),
            region: Some("全国".into()),
            metric: metric.into(),
            value,
            unit: Some(unit.into()),
            normalized: value,
            base_unit: Some(unit.into()),
            qualifier: None,
            upper: None,
            direction: (m == Measure::GrowthRate).then_some(Direction::Increase),
            measure: m,
            action: None,
            estimated: false,
            aggregation: None,
            text: format!("{metric}{value}{unit}。"),
            span: Default::default(),
            sentence: Default::default(),
        }
    }

    /// Reports of 2022, 2023 and 2024, each setting its year's targets and reviewing the last.
    fn ledger(items: Vec<(usize, Quantity)>) -> Ledger {
        let doc = |year| DocumentRef {
            id: None,
            source: format!("{year}.txt"),
            title: None,
            kind: DocumentKind::WorkReport,
            region: Some("全国".into()),
            year: Some(year),
        };
        Ledger {
            documents: vec![doc(2022), doc(2023), doc(2024)],
            quantities: items
                .into_iter()
                .map(|(document, item)| Located { document, item })
                .collect(),
            ..Default::default()
        }
    }

    fn years(ledger: &Ledger) -> Vec<(i32, Vec<Verdict>)> {
        (2022..=2024)
            .map(|year| {
                let scope = Scope {
                    year,
                    region: Some("全国"),
                };
                (year, reconcile(ledger, &Lexicon::built_in(), &scope))
            })
            .collect()
    }

    fn of(years: &[(i32, Vec<Verdict>)], metric: &str, m: Option<Measure>) -> Vec<HistoryYear> {
        let slices: Vec<(i32, &[Verdict])> =
            years.iter().map(|(y, v)| (*y, v.as_slice())).collect();
        history(&Lexicon::built_in(), metric, m, &slices)
    }

    use QuantityRole::{Actual, Target};

    #[test]
    fn each_year_its_target_against_its_result() {
        let g = Measure::GrowthRate;
        let mut energy = q(Target, 2022, "单位国内生产总值能耗", 3.0, "%", g);
        energy.direction = Some(Direction::Decrease);
        let l = ledger(vec![
            (0, q(Target, 2022, "国内生产总值", 5.5, "%", g)),
            (1, q(Actual, 2022, "国内生产总值", 3.0, "%", g)),
            (1, q(Target, 2023, "国内生产总值", 5.0, "%", g)),
            // The same target said twice in the report, in other words: one row.
            (1, q(Target, 2023, "经济", 5.0, "%", g)),
            (2, q(Actual, 2023, "国内生产总值", 5.2, "%", g)),
            (2, q(Target, 2024, "国内生产总值", 5.0, "%", g)),
            // Traps: a metric sharing the words, and the economy's size (a level).
            (0, energy),
            (
                1,
                q(
                    Target,
                    2023,
                    "国内生产总值",
                    126.0,
                    "万亿元",
                    Measure::Level,
                ),
            ),
        ]);
        let y = years(&l);
        let h = of(&y, "国内生产总值", Some(g));
        assert_eq!(h.len(), 3);
        let pair = |h: &HistoryYear| {
            let v = h.verdict.as_ref().unwrap();
            (
                v.target.figure().1,
                v.actual.as_ref().map(|a| a.figure().1),
                v.status,
            )
        };
        use crate::TargetStatus::*;
        assert_eq!(pair(&h[0]), ("5.5%".into(), Some("3%".into()), NotAchieved));
        assert_eq!(pair(&h[1]), ("5%".into(), Some("5.2%".into()), Achieved));
        assert_eq!(pair(&h[2]), ("5%".into(), None, NoData));
        assert!(h.iter().all(|y| y.others.is_empty()), "{h:?}");
        // The level is its own history.
        let level = of(&y, "国内生产总值", Some(Measure::Level));
        assert!(level[0].verdict.is_none());
        assert_eq!(
            level[1].verdict.as_ref().unwrap().target.figure().1,
            "126万亿元"
        );
        // And energy intensity's is not GDP's.
        let energy = of(&y, "单位国内生产总值能耗", Some(g));
        assert_eq!(
            energy[0].verdict.as_ref().unwrap().target.figure().0,
            "单位国内生产总值能耗"
        );
        assert!(energy[1].verdict.is_none());
    }

    #[test]
    fn a_different_target_of_the_year_is_kept_beside_never_merged() {
        let g = Measure::GrowthRate;
        let l = ledger(vec![
            (1, q(Target, 2023, "国内生产总值", 5.0, "%", g)),
            (1, q(Target, 2023, "国内生产总值", 6.0, "%", g)),
        ]);
        let h = of(&years(&l), "国内生产总值", Some(g));
        assert_eq!(h[1].verdict.as_ref().unwrap().target.figure().1, "5%");
        assert_eq!(h[1].others.len(), 1);
        assert_eq!(h[1].others[0].target.figure().1, "6%");
    }
}
