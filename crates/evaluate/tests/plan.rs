//! Five-year indicators against their trajectory: the samples' plan (002) with the yearly
//! figures of the later reports, and constructed ledgers for the cases the samples lack.

mod common;

use plantrack_evaluate::{Lexicon, TrajectoryStatus, evaluate_plan};
use plantrack_model::{
    Aggregation, Direction, DocumentKind, DocumentRef, Indicator, Ledger, Located, Measure,
    Quantity, QuantityRole, TableFigure,
};

#[test]
fn the_samples_plan_with_the_2023_figures() {
    let ledger = common::samples(&["000", "001", "002", "004"]);
    let doc = ledger
        .documents
        .iter()
        .position(|d| d.source.starts_with("002"))
        .unwrap();
    let evals = evaluate_plan(&ledger, &Lexicon::built_in(), doc);
    assert_eq!(evals.len(), 25);
    let by = |name: &str| evals.iter().find(|e| e.indicator.name == name).unwrap();

    // 7420 (2020) → more than 11,000 (2023) against 11,600 in 2025: 14.0 % a year observed,
    // 9.35 % needed.
    let hte = by("国家高新技术企业数量");
    assert_eq!(hte.status, TrajectoryStatus::OnTrack);
    assert_eq!(hte.observations.len(), 1);
    assert_eq!(hte.observations[0].year, 2023);
    assert_eq!(hte.observations[0].value, 11000.0);
    assert!(
        hte.observations[0]
            .evidence
            .document
            .source
            .starts_with("001")
    );
    assert_eq!(hte.cagr_observed, Some(0.1402));
    assert_eq!(hte.cagr_required, Some(0.0935));
    assert!((hte.ratio.unwrap() - 1.5).abs() < 0.01);
    assert!((hte.projection.unwrap() - 14301.6).abs() < 1.0);

    // A five-year average: 4.3 % in 2023 against 6 % a year.
    let gdp = by("地区生产总值增长");
    assert_eq!(gdp.status, TrajectoryStatus::NeedsAcceleration);
    assert_eq!(gdp.ratio, Some(0.717));

    // A ceiling already kept.
    let unemployment = by("城镇调查失业率");
    assert_eq!(unemployment.status, TrajectoryStatus::TargetAchieved);
    assert!(unemployment.lower_is_better);

    // A qualitative target, and indicators nobody reported on.
    assert_eq!(
        by("地表水达到或好于Ⅲ类水体比例").status,
        TrajectoryStatus::NotAvailable
    );
    assert_eq!(by("森林覆盖率").status, TrajectoryStatus::NotAvailable);
    // The district's figures are not the city's: 004 reports 西青区's PM2.5 and shares.
    assert!(evals.iter().all(|e| {
        e.observations
            .iter()
            .all(|o| !o.evidence.document.source.starts_with("004"))
    }));
}

fn figure(year: i32, value: f64) -> Option<TableFigure> {
    Some(TableFigure {
        year: Some(year),
        value: Some(value),
        qualifier: None,
        upper: None,
        text: value.to_string(),
    })
}

fn indicator(
    name: &str,
    unit: &str,
    base: f64,
    target: f64,
    aggregation: Option<Aggregation>,
) -> Indicator {
    Indicator {
        seq: 1,
        name: name.into(),
        unit: Some(unit.into()),
        category: None,
        baseline: figure(2020, base),
        target: figure(2025, target),
        attribute: None,
        aggregation,
        span: Default::default(),
    }
}

fn result(
    year: i32,
    metric: &str,
    value: f64,
    unit: &str,
    measure: Measure,
    direction: Option<Direction>,
) -> Quantity {
    Quantity {
        role: QuantityRole::Actual,
        year: Some(year),
        region: Some("某市".into()),
        metric: metric.into(),
        value,
        unit: Some(unit.into()),
        normalized: value,
        base_unit: Some(unit.into()),
        qualifier: None,
        upper: None,
        direction,
        measure,
        action: None,
        estimated: false,
        aggregation: None,
        text: format!("{metric}{value}{unit}。"),
        span: Default::default(),
        sentence: Default::default(),
    }
}

fn ledger(ind: Indicator, results: Vec<Quantity>) -> Ledger {
    let doc = |kind, year| DocumentRef {
        id: None,
        source: format!("{year}.txt"),
        title: None,
        kind,
        region: Some("某市".into()),
        year: Some(year),
    };
    Ledger {
        documents: vec![
            doc(DocumentKind::FiveYearPlan, 2021),
            doc(DocumentKind::WorkReport, 2024),
        ],
        indicators: vec![Located {
            document: 0,
            item: ind,
        }],
        quantities: results
            .into_iter()
            .map(|item| Located { document: 1, item })
            .collect(),
        ..Default::default()
    }
}

fn one(l: &Ledger) -> plantrack_evaluate::IndicatorEvaluation {
    evaluate_plan(l, &Lexicon::built_in(), 0).remove(0)
}

#[test]
fn levels_by_growth_rate_ratio() {
    // 100 → 150 needs 8.45 % a year; 110 after three years is 3.23 %: ratio 0.38.
    let ind = indicator("森林面积", "万亩", 100.0, 150.0, None);
    let e = one(&ledger(
        ind.clone(),
        vec![result(
            2023,
            "森林面积",
            110.0,
            "万亩",
            Measure::Level,
            None,
        )],
    ));
    assert_eq!(e.status, TrajectoryStatus::LimitedProgress);
    assert!((e.ratio.unwrap() - 0.382).abs() < 0.002, "{e:?}");
    // Falling is deterioration.
    let e = one(&ledger(
        ind.clone(),
        vec![result(2023, "森林面积", 95.0, "万亩", Measure::Level, None)],
    ));
    assert_eq!(e.status, TrajectoryStatus::Deterioration);
    // The latest year counts, not the first.
    let e = one(&ledger(
        ind.clone(),
        vec![
            result(2022, "森林面积", 105.0, "万亩", Measure::Level, None),
            result(2024, "森林面积", 150.0, "万亩", Measure::Level, None),
        ],
    ));
    assert_eq!(e.status, TrajectoryStatus::TargetAchieved);
    assert_eq!(e.observations.len(), 2);
    // A figure that is an addition is not the level.
    let e = one(&ledger(
        ind,
        vec![result(
            2023,
            "森林面积",
            10.0,
            "万亩",
            Measure::Increment,
            None,
        )],
    ));
    assert_eq!(e.status, TrajectoryStatus::NotAvailable);
}

#[test]
fn lower_is_better_levels() {
    // PM2.5 from 48 to 40: 39 already meets it; 46 in 2023 is slow progress.
    let ind = indicator("PM2.5浓度", "微克/立方米", 48.0, 40.0, None);
    let e = one(&ledger(
        ind.clone(),
        vec![result(
            2023,
            "PM2.5平均浓度",
            39.0,
            "微克/立方米",
            Measure::Level,
            None,
        )],
    ));
    assert_eq!(e.status, TrajectoryStatus::TargetAchieved);
    assert!(e.lower_is_better);
    let e = one(&ledger(
        ind.clone(),
        vec![result(
            2023,
            "PM2.5浓度",
            46.0,
            "微克/立方米",
            Measure::Level,
            None,
        )],
    ));
    assert_eq!(e.status, TrajectoryStatus::LimitedProgress, "{e:?}");
    let e = one(&ledger(
        ind,
        vec![result(
            2023,
            "PM2.5浓度",
            50.0,
            "微克/立方米",
            Measure::Level,
            None,
        )],
    ));
    assert_eq!(e.status, TrajectoryStatus::Deterioration);
}

#[test]
fn a_floor_below_the_baseline_is_held_or_broken() {
    // Grain capacity 228.2 → about 223: 225 holds the floor, 220 breaks it.
    let ind = indicator("粮食综合生产能力", "万吨", 228.2, 223.0, None);
    let grain = |v| {
        vec![result(
            2023,
            "粮食综合生产能力",
            v,
            "万吨",
            Measure::Level,
            None,
        )]
    };
    let e = one(&ledger(ind.clone(), grain(225.0)));
    assert_eq!(e.status, TrajectoryStatus::TargetAchieved);
    let e = one(&ledger(ind, grain(220.0)));
    assert_eq!(e.status, TrajectoryStatus::Deterioration);
}

#[test]
fn five_year_totals_and_averages_on_their_own_terms() {
    // 〔15〕% energy intensity reduction over five years: falls of 3.2, 3.1 and 2.9 % by 2023
    // chain to 8.9 % (1 − 0.968 × 0.969 × 0.971), against 9.3 % due (1 − 0.85^(3/5)).
    let ind = indicator(
        "单位地区生产总值能源消耗降低",
        "%",
        17.0,
        15.0,
        Some(Aggregation::FiveYearCumulative),
    );
    let down = |y, v| {
        result(
            y,
            "单位地区生产总值能源消耗",
            v,
            "%",
            Measure::GrowthRate,
            Some(Direction::Decrease),
        )
    };
    let e = one(&ledger(
        ind,
        vec![down(2021, 3.2), down(2022, 3.1), down(2023, 2.9)],
    ));
    assert_eq!(e.status, TrajectoryStatus::OnTrack, "{e:?}");
    assert_eq!(e.ratio, Some(0.96));
    // *6% average growth: 7, 3 and 4 average 4.67, ratio 0.78.
    let ind = indicator(
        "地区生产总值增长",
        "%",
        3.8,
        6.0,
        Some(Aggregation::FiveYearAverage),
    );
    let up = |y, v| {
        result(
            y,
            "地区生产总值",
            v,
            "%",
            Measure::GrowthRate,
            Some(Direction::Increase),
        )
    };
    let e = one(&ledger(
        ind,
        vec![up(2021, 7.0), up(2022, 3.0), up(2023, 4.0)],
    ));
    assert_eq!(e.status, TrajectoryStatus::NeedsAcceleration);
    assert_eq!(e.ratio, Some(0.778));
}

fn energy_down(year: i32, v: f64) -> Quantity {
    result(
        year,
        "单位地区生产总值能源消耗",
        v,
        "%",
        Measure::GrowthRate,
        Some(Direction::Decrease),
    )
}

fn energy() -> Indicator {
    indicator(
        "单位地区生产总值能源消耗降低",
        "%",
        17.0,
        15.0,
        Some(Aggregation::FiveYearCumulative),
    )
}

/// Issue 15: `〔17〕→〔15〕` was drawn and judged as a level falling from 17 to 15.
#[test]
fn a_five_year_total_is_a_running_total_never_a_level() {
    let e = one(&ledger(
        energy(),
        vec![
            energy_down(2021, 3.2),
            energy_down(2022, 3.1),
            energy_down(2023, 2.9),
        ],
    ));
    let agg = e.aggregate.as_ref().expect("a total has its standing");
    // Rates chain: 8.9 %, not the 9.2 % their sum would claim.
    assert_eq!(
        e.accumulation,
        Some(plantrack_evaluate::trajectory::Accumulation::Compound)
    );
    // A fall is better the larger it is, though less energy is better: no lower-is-better.
    assert!(!e.lower_is_better);
    assert_eq!(agg.so_far, 8.9);
    assert_eq!(agg.due, 9.3);
    assert_eq!(agg.running, vec![(2021, 3.2), (2022, 6.2), (2023, 8.9)]);
    // At this pace the five years make 14.4 %: short of 15.
    assert_eq!(e.projection, Some(14.4));
    // The trap: 〔17〕 is the previous five years' total, no starting level of a trend.
    assert_eq!(e.baseline_period, Some((2016, 2020)));
    assert_eq!(e.cagr_observed, None);
    assert_eq!(e.schedule.first(), Some(&(2021, 3.2)));
    assert_eq!(e.schedule.last(), Some(&(2025, 15.0)));
    assert!(e.reason_zh.contains("累计8.9%"), "{}", e.reason_zh);
    assert!(e.reason_zh.contains("应累计9.3%"), "{}", e.reason_zh);
    // The whole target reached is achieved.
    let e = one(&ledger(
        energy(),
        (2021..=2025).map(|y| energy_down(y, 3.3)).collect(),
    ));
    assert_eq!(e.status, TrajectoryStatus::TargetAchieved, "{e:?}");
}

#[test]
fn a_year_without_a_figure_is_missing_not_zero() {
    // 2021 and 2023 reported, 2022 not: two years' share is due, not three years'.
    let e = one(&ledger(
        energy(),
        vec![energy_down(2021, 3.2), energy_down(2023, 3.2)],
    ));
    let agg = e.aggregate.as_ref().unwrap();
    assert_eq!(agg.missing, vec![2022]);
    assert_eq!(agg.years_reported, 2);
    // Counting 2022 as zero would call it needs-acceleration (6.3 against 9.3 due).
    assert_eq!(e.status, TrajectoryStatus::OnTrack, "{e:?}");
    assert!(e.reason_zh.contains("2022年无数据"), "{}", e.reason_zh);
    // Before any figure, a total already knows how it adds up and what each year calls for.
    let e = one(&ledger(energy(), vec![]));
    assert_eq!(
        e.accumulation,
        Some(plantrack_evaluate::trajectory::Accumulation::Compound)
    );
    assert_eq!(e.schedule.len(), 5);
    assert_eq!(e.status, TrajectoryStatus::NotAvailable);
}

#[test]
fn a_total_of_counts_adds_the_years_additions() {
    // 〔250〕万人 new urban jobs: 50 and 52 by 2022 against 100 due.
    let ind = indicator(
        "城镇新增就业",
        "万人",
        270.0,
        250.0,
        Some(Aggregation::FiveYearCumulative),
    );
    let added = |y, v| result(y, "城镇新增就业", v, "万人", Measure::Increment, None);
    let e = one(&ledger(
        ind.clone(),
        vec![added(2021, 50.0), added(2022, 52.0)],
    ));
    let agg = e.aggregate.as_ref().unwrap();
    assert_eq!(
        e.accumulation,
        Some(plantrack_evaluate::trajectory::Accumulation::Sum)
    );
    assert_eq!(agg.so_far, 102.0);
    assert_eq!(agg.due, 100.0);
    assert_eq!(e.projection, Some(255.0));
    assert_eq!(e.status, TrajectoryStatus::OnTrack);
    assert_eq!(e.measure, Measure::Increment);
    // The trap: a running total stated in a report (`累计新增就业150万人`) is no year's addition.
    let e = one(&ledger(
        ind,
        vec![result(
            2023,
            "城镇新增就业",
            150.0,
            "万人",
            Measure::Cumulative,
            None,
        )],
    ));
    assert_eq!(e.status, TrajectoryStatus::NotAvailable, "{e:?}");
}

/// Issue 15: `3.8*` (2016–2020's average) was drawn as the 2020 value.
#[test]
fn a_five_year_average_is_yearly_figures_against_the_mean() {
    let ind = indicator(
        "地区生产总值增长",
        "%",
        3.8,
        6.0,
        Some(Aggregation::FiveYearAverage),
    );
    let up = |y, v| {
        result(
            y,
            "地区生产总值",
            v,
            "%",
            Measure::GrowthRate,
            Some(Direction::Increase),
        )
    };
    let e = one(&ledger(ind, vec![up(2023, 4.3)]));
    // The trap: 3.8 is no observation, and no growth rate is computed from it.
    assert_eq!(e.observations.len(), 1);
    assert_eq!(e.cagr_observed, None);
    assert_eq!(e.baseline_period, Some((2016, 2020)));
    let agg = e.aggregate.as_ref().unwrap();
    assert_eq!(agg.so_far, 4.3);
    assert_eq!(agg.due, 6.0);
    // The other four years need (30 − 4.3) / 4 = 6.4 % on average.
    assert_eq!(agg.needed_rest, Some(6.4));
    assert_eq!(
        e.schedule,
        (2021..=2025).map(|y| (y, 6.0)).collect::<Vec<_>>()
    );
    assert!(
        e.reason_zh.contains("其余4个年度需平均6.4%"),
        "{}",
        e.reason_zh
    );
    assert!(e.reason_zh.contains("进度比0.72"), "{}", e.reason_zh);
}

/// Issue 15: `预测 14301.62` for a table of whole numbers.
#[test]
fn figures_keep_the_indicators_precision() {
    // Whole numbers stay whole.
    let ind = indicator("国家高新技术企业数量", "家", 7420.0, 11600.0, None);
    let e = one(&ledger(
        ind,
        vec![result(
            2023,
            "国家高新技术企业",
            11000.0,
            "家",
            Measure::Level,
            None,
        )],
    ));
    assert_eq!(e.precision, 0);
    assert_eq!(e.projection, Some(14302.0));
    // The trap: rounding must not drop the decimals the table has (3.01 → 3.03).
    let ind = indicator("每千人口拥有执业（助理）医师数", "人", 3.01, 3.03, None);
    let e = one(&ledger(
        ind,
        vec![result(
            2023,
            "每千人口拥有执业（助理）医师数",
            3.015,
            "人",
            Measure::Level,
            None,
        )],
    ));
    assert_eq!(e.precision, 2);
    assert_eq!(e.projection, Some(3.02));
}

#[test]
fn yearly_targets_of_the_plans_years_belong_to_the_indicator() {
    let ind = indicator(
        "地区生产总值增长",
        "%",
        3.8,
        6.0,
        Some(Aggregation::FiveYearAverage),
    );
    let target = |metric: &str, region: &str, direction| {
        let mut q = result(2023, metric, 4.0, "%", Measure::GrowthRate, Some(direction));
        q.role = QuantityRole::Target;
        q.region = Some(region.into());
        q
    };
    let e = one(&ledger(
        ind,
        vec![
            target("地区生产总值", "某市", Direction::Increase),
            // Traps: another metric sharing the words, and another region's target.
            target("单位地区生产总值能耗", "某市", Direction::Decrease),
            target("地区生产总值", "某区", Direction::Increase),
        ],
    ));
    assert_eq!(e.yearly_targets.len(), 1, "{:?}", e.yearly_targets);
    assert_eq!(e.yearly_targets[0].figure().0, "地区生产总值");
    assert!(e.observations.is_empty());
}
