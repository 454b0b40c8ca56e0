//! The evaluations as the store keeps them: the samples' verdicts, plan indicators and tasks,
//! written in their stored form and read back against the same ledger, are what was computed.

mod common;

use plantrack_evaluate::stored::{Cited, StoredIndicator, StoredVerdict};
use plantrack_evaluate::{
    Date, Lexicon, Scope, Supervision, TaskEvaluation, evaluate_plan, evaluate_tasks, reconcile,
};

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(x: &T) -> T {
    serde_json::from_str(&serde_json::to_string(x).unwrap()).unwrap()
}

#[test]
fn stored_evaluations_read_back_as_computed() {
    let ledger = common::samples(&["000", "001", "002", "003", "004"]);
    // The ledger itself goes into the store beside its evaluations.
    let ledger = round_trip(&ledger);
    let lexicon = Lexicon::built_in();
    let verdicts = reconcile(
        &ledger,
        &lexicon,
        &Scope {
            year: 2023,
            region: Some("天津市"),
        },
    );
    assert!(verdicts.len() > 100, "{} verdicts", verdicts.len());
    assert!(verdicts.iter().any(|v| v.actual.is_some()));
    assert!(
        verdicts
            .iter()
            .any(|v| !v.disagreeing.is_empty() || v.actual.is_none())
    );
    let kept: Vec<StoredVerdict> = round_trip(&verdicts.iter().map(StoredVerdict::of).collect());
    let back: Vec<_> = kept.iter().map(|s| s.verdict(&ledger).unwrap()).collect();
    assert_eq!(back, verdicts);

    let plan = (0..ledger.documents.len())
        .filter(|&i| ledger.indicators.iter().any(|x| x.document == i))
        .flat_map(|i| evaluate_plan(&ledger, &lexicon, i))
        .collect::<Vec<_>>();
    assert!(plan.iter().any(|e| !e.observations.is_empty()));
    let kept: Vec<StoredIndicator> = round_trip(&plan.iter().map(StoredIndicator::of).collect());
    let back: Vec<_> = kept
        .iter()
        .map(|s| s.evaluation(&ledger).unwrap())
        .collect();
    assert_eq!(back, plan);

    let tasks = evaluate_tasks(
        &ledger,
        &verdicts,
        Date::parse("2023-09-30").unwrap(),
        &Supervision::default(),
    );
    assert!(tasks.iter().any(|t| !t.linked.is_empty()));
    let back: Vec<TaskEvaluation> = round_trip(&tasks);
    assert_eq!(back, tasks);
}

#[test]
fn a_reference_the_ledger_does_not_hold_gives_nothing() {
    let ledger = common::samples(&["000"]);
    let last = Cited {
        kind: "quantity",
        index: ledger.quantities.len() - 1,
    };
    assert!(last.evidence(&ledger).is_some());
    for bad in [
        Cited {
            kind: "quantity",
            index: ledger.quantities.len(),
        },
        Cited {
            kind: "milestone",
            index: ledger.milestones.len(),
        },
    ] {
        assert!(bad.evidence(&ledger).is_none());
    }
    assert_eq!(
        serde_json::to_string(&last).unwrap(),
        format!(r#"{{"kind":"quantity","index":{}}}"#, last.index)
    );
    assert!(serde_json::from_str::<Cited>(r#"{"kind":"task","index":0}"#).is_err());
}
