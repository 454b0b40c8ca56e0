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
