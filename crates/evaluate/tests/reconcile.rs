//! The 2023 reconciliation of the samples — targets in 000 (the 2023 plan report) and 003 (the
//! 2023 key-task notice) against results in 001 (the 2024 work report) and 004 (the district's
//! 2023 review) — checked pair by pair against `tests/gold/reconcile-2023.tsv`.
//!
//! The gold file says, for every target, the result it must be linked to (or none) and the
//! status. `UPDATE_GOLD=1` rewrites it from the current output: review every changed line
//! against the documents before committing (see `tests/gold/README.md`).

mod common;

use std::collections::HashMap;

use plantrack_evaluate::{Evidence, Item, Lexicon, Scope, TargetStatus, Verdict, reconcile};

fn key(v: &Verdict) -> String {
    format!(
        "{}\t{}\t{}\t{}",
        &v.target.document.source[..3],
        v.target.kind,
        v.region.as_deref().unwrap_or("-"),
        describe(&v.target)
    )
}

fn describe(e: &Evidence) -> String {
    match &e.item {
        Item::Quantity(q) => format!(
            "{}\t{}{}",
            q.metric,
            q.value,
            q.unit.as_deref().unwrap_or("")
        ),
        Item::Milestone(m) => format!("{}\t{}", m.subject, m.event),
    }
}

fn link(v: &Verdict) -> String {
    match &v.actual {
        None => "-\t-\t-".to_string(),
        Some(a) => format!("{}\t{}", &a.document.source[..3], describe(a)),
    }
}

#[test]
fn reconciliation_of_2023_against_gold() {
    let ledger = common::samples(&["000", "001", "003", "004"]);
    let verdicts = reconcile(
        &ledger,
        &Lexicon::built_in(),
        &Scope {
            year: 2023,
            region: None,
        },
    );
    let gold_path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gold/reconcile-2023.tsv");
    if std::env::var_os("UPDATE_GOLD").is_some() {
        let mut out = String::from(
            "# target_doc\tkind\tregion\ttarget\tvalue_or_event\tstatus\tactual_doc\tactual\tactual_value_or_event\n",
        );
        for v in &verdicts {
            out.push_str(&format!("{}\t{}\t{}\n", key(v), v.status.as_str(), link(v)));
        }
        std::fs::write(&gold_path, out).unwrap();
    }
    let gold = std::fs::read_to_string(&gold_path).unwrap();
    // Several targets may share a key (the same fragment in two places): a multiset.
    let mut expected: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for line in gold
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 9, "gold line with {} fields: {line}", f.len());
        expected
            .entry(f[..5].join("\t"))
            .or_default()
            .push((f[5].to_string(), f[6..].join("\t")));
    }
    let total: usize = expected.values().map(Vec::len).sum();
    let (mut right, mut wrong_links, mut failures) = (0, 0, Vec::new());
    for v in &verdicts {
        let k = key(v);
        let Some(list) = expected.get_mut(&k) else {
            failures.push(format!("not in gold: {k}"));
            continue;
        };
        let Some((status, actual)) = list.pop() else {
            failures.push(format!("more targets than gold: {k}"));
            continue;
        };
        let got_link = link(v);
        if got_link != actual && v.actual.is_some() {
            wrong_links += 1;
        }
        if status == v.status.as_str() && got_link == actual {
            right += 1;
        } else {
            failures.push(format!(
                "{k}\n    expected {status} with {actual}\n    got      {} with {got_link} ({})",
                v.status.as_str(),
                v.reason
            ));
        }
    }
    for (k, rest) in &expected {
        for _ in rest {
            failures.push(format!("missing target: {k}"));
        }
    }
    let accuracy = right as f64 / total as f64;
    println!(
        "2023 reconciliation: {right} of {total} right ({:.3}), {wrong_links} wrong links; {} achieved, {} not achieved, {} without data",
        accuracy,
        verdicts
            .iter()
            .filter(|v| v.status == TargetStatus::Achieved)
            .count(),
        verdicts
            .iter()
            .filter(|v| v.status == TargetStatus::NotAchieved)
            .count(),
        verdicts
            .iter()
            .filter(|v| v.status == TargetStatus::NoData)
            .count(),
    );
    for f in &failures {
        println!("{f}");
    }
    assert_eq!(wrong_links, 0, "a wrong link is worse than none");
    assert!(accuracy >= 0.95, "accuracy {accuracy:.3} below 0.95");
}

#[test]
fn cascade_city_target_for_a_district_meets_the_district_review() {
    let ledger = common::samples(&["000", "004"]);
    let verdicts = reconcile(
        &ledger,
        &Lexicon::built_in(),
        &Scope {
            year: 2023,
            region: Some("西青区"),
        },
    );
    let growth: Vec<&Verdict> = verdicts
        .iter()
        .filter(|v| matches!(&v.target.item, Item::Quantity(q) if q.value == 5.0))
        .collect();
    assert_eq!(growth.len(), 1, "{verdicts:#?}");
    let v = growth[0];
    assert!(v.cascade);
    assert_eq!(v.status, TargetStatus::NotAchieved);
    let a = v.actual.as_ref().unwrap();
    assert!(a.document.source.starts_with("004"));
    assert!(a.sentence().contains("3%"), "{}", a.sentence());
    // Only the district's targets were reconciled.
    assert!(
        verdicts
            .iter()
            .all(|v| v.region.as_deref() == Some("西青区"))
    );
}

#[test]
fn no_result_from_another_region_or_a_five_year_average() {
    // The 2023 city targets without the city's review: nothing may be linked, though the
    // district's review has figures under the same names (雏鹰, 技术合同).
    let ledger = common::samples(&["003", "004"]);
    let verdicts = reconcile(
        &ledger,
        &Lexicon::built_in(),
        &Scope {
            year: 2023,
            region: Some("天津市"),
        },
    );
    assert!(!verdicts.is_empty());
    for v in &verdicts {
        assert!(v.actual.is_none(), "{} linked to {:?}", key(v), link(v));
        assert_eq!(v.status, TargetStatus::NoData);
    }
}

/// One target's expected verdict when a speech and a bulletin both report on it: the target's
/// metric (a part of its name) and value, the result taken, its status, the kind of document it
/// is taken from, and the other sources' figures that disagree.
struct Expect {
    metric: &'static str,
    target: f64,
    result: Option<f64>,
    status: TargetStatus,
    source: Option<plantrack_model::DocumentKind>,
    disagreeing: &'static [f64],
}

fn check_sources(ledger: &plantrack_model::Ledger, year: i32, region: &str, expected: &[Expect]) {
    let verdicts = reconcile(
        ledger,
        &Lexicon::built_in(),
        &Scope {
            year,
            region: Some(region),
        },
    );
    let value = |e: &Evidence| match &e.item {
        Item::Quantity(q) => q.value,
        Item::Milestone(_) => f64::NAN,
    };
    let mut wrong = Vec::new();
    for x in expected {
        let Some(v) = verdicts.iter().find(|v| match &v.target.item {
            Item::Quantity(q) => q.metric.contains(x.metric) && (q.value - x.target).abs() < 1e-9,
            Item::Milestone(_) => false,
        }) else {
            wrong.push(format!("{} {}: no such target", x.metric, x.target));
            continue;
        };
        let got = (
            v.actual.as_ref().map(value),
            v.status,
            v.source,
            v.disagreeing.iter().map(value).collect::<Vec<f64>>(),
        );
        println!(
            "{} {}: {:?} {:?} from {:?}, others {:?} — {}",
            x.metric, x.target, got.0, got.1, got.2, got.3, v.reason_zh
        );
        if got != (x.result, x.status, x.source, x.disagreeing.to_vec()) {
            wrong.push(format!(
                "{} {}: want {:?} {:?} {:?} {:?}, got {got:?}",
                x.metric, x.target, x.result, x.status, x.source, x.disagreeing
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn bulletins() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../extract/tests")
}

/// 江州市 (invented; `crates/extract/tests/bulletins/README.md`): the 2023 targets against the
/// 2024 work report's 预计 figures and the 2023 bulletin's final ones. Expected by reading the
/// three texts: the bulletin's figure is taken, the speech's kept where it differs; GDP, met by
/// the speech's 6.2% (within 5 % of 6.5%左右), is missed by the bulletin's 6.0%.
#[test]
fn a_bulletin_before_a_speech_with_the_speech_kept() {
    use plantrack_model::DocumentKind::{StatisticalBulletin, WorkReport};
    let mut ledger = plantrack_model::Ledger::default();
    for (folder, name) in [
        ("bulletins", "jiangzhou-2023-work-report.txt"),
        ("heldout", "jiangzhou-2024-work-report.txt"),
        ("bulletins", "jiangzhou-2023.txt"),
    ] {
        let path = bulletins().join(folder).join(name);
        ledger.add(name, common::extract_file(&path, name));
    }
    let x = |metric, target, result, status, source, disagreeing| Expect {
        metric,
        target,
        result,
        status,
        source,
        disagreeing,
    };
    use TargetStatus::{Achieved, NotAchieved};
    let b = Some(StatisticalBulletin);
    check_sources(
        &ledger,
        2023,
        "江州市",
        &[
            x("地区生产总值", 6.5, Some(6.0), NotAchieved, b, &[6.2]),
            x("一般公共预算收入", 6.0, Some(8.1), Achieved, b, &[]),
            x("规模以上工业增加值", 8.0, Some(7.3), NotAchieved, b, &[7.5]),
            x("固定资产投资", 6.0, Some(5.8), NotAchieved, b, &[]),
            x("社会消费品零售总额", 9.0, Some(9.1), Achieved, b, &[9.3]),
            x("城镇新增就业", 6.5, Some(6.83), Achieved, b, &[6.8]),
            x("城镇调查失业率", 5.5, Some(5.1), Achieved, b, &[]),
            x("居民消费价格", 3.0, Some(0.3), Achieved, b, &[]),
            x("单位地区生产总值能耗", 3.0, Some(3.1), Achieved, b, &[]),
        ],
    );
    // The same ledger with the office's order, speeches first: the speech's 预计 figure is taken.
    let mut office = Lexicon::built_in();
    office
        .extend("source_order\twork_report\tstatistical_bulletin\n")
        .unwrap();
    let verdicts = reconcile(
        &ledger,
        &office,
        &Scope {
            year: 2023,
            region: Some("江州市"),
        },
    );
    let gdp = verdicts
        .iter()
        .find(|v| matches!(&v.target.item, Item::Quantity(q) if q.metric.contains("地区生产总值") && q.value == 6.5))
        .unwrap();
    assert_eq!(gdp.source, Some(WorkReport));
    assert_eq!(gdp.status, Achieved);
    assert_eq!(gdp.disagreeing.len(), 1);
}

/// The State Council's 2022 targets (`corpus/national/2022.txt`) against its 2023 work report and
/// the real 2022 bulletin (abridged). Expected by reading them: they agree where both report
/// (3% and 3.0%, 1206万人, 2% and 2.0%), so the bulletin's figure is taken with nothing
/// disagreeing; the grain target in 万亿斤 is met by the speech's figure, the excerpt of the
/// bulletin having none. The unemployment ceiling meets the year-end rate (5.5%) of both; the
/// bulletin's average for the year (`平均值为5.6%`) is another metric to these rules and is not
/// taken.
#[test]
fn the_national_bulletin_of_2022_with_the_work_report_of_2023() {
    use plantrack_model::DocumentKind::{StatisticalBulletin, WorkReport};
    let mut ledger = plantrack_model::Ledger::default();
    for (folder, name) in [
        ("corpus/national", "2022.txt"),
        ("corpus/national", "2023.txt"),
        ("bulletins", "national-2022.txt"),
    ] {
        let path = bulletins().join(folder).join(name);
        ledger.add(
            &format!("{folder}/{name}"),
            common::extract_file(&path, name),
        );
    }
    let x = |metric, target, result, status, source| Expect {
        metric,
        target,
        result,
        status,
        source,
        disagreeing: &[],
    };
    use TargetStatus::{Achieved, NotAchieved};
    let b = Some(StatisticalBulletin);
    check_sources(
        &ledger,
        2022,
        "全国",
        &[
            x("国内生产总值", 5.5, Some(3.0), NotAchieved, b),
            x("城镇新增就业", 1100.0, Some(1206.0), Achieved, b),
            x("城镇调查失业率", 5.5, Some(5.5), Achieved, b),
            x("居民消费价格", 3.0, Some(2.0), Achieved, b),
            x("粮食产量", 1.3, Some(1.37), Achieved, Some(WorkReport)),
        ],
    );
}
