//! The evaluations kept in the store, on SQLite and on PostgreSQL: what the incremental path
//! keeps (each write marks what it touches, a refresh computes it) is what a rebuild from
//! scratch computes; a body read back is the evaluation computed afresh; a body computed while
//! a write touched it is not kept.
//!
//! PostgreSQL comes from `PLANTRACK_TEST_PG` (default `postgres://postgres@127.0.0.1:5432/test`);
//! when it cannot be reached the PostgreSQL tests fail — they never skip.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use plantrack_evaluate::{
    Date, Lexicon, Scope, Supervision, compare, evaluate_tasks, ranking, reconcile,
};
use plantrack_extract::{Hints, Origin};
use plantrack_store::{EvaluationKey, EvaluationKind, LedgerFilter, NewReport, Store};
use plantrack_views::Evaluator;

/// The samples, in order: (source, text).
fn samples() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/tianjin");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = plantrack_read::read(&std::fs::read(p).unwrap(), None)
                .unwrap()
                .text;
            (p.file_name().unwrap().to_string_lossy().into_owned(), text)
        })
        .collect()
}

async fn ingest(store: &Store, source: &str, text: &str) {
    let x = plantrack_extract::extract(text, Origin::default(), &Hints::default());
    store.ingest(source, text, &x).await.unwrap();
}

async fn sqlite() -> Store {
    Store::open("sqlite::memory:")
        .await
        .expect("in-memory SQLite")
}

fn pg_url() -> String {
    std::env::var("PLANTRACK_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// A store in a schema of its own, so that tests run in parallel on one database.
async fn postgres() -> Store {
    static N: AtomicU32 = AtomicU32::new(0);
    let schema = format!(
        "plantrack_views_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&pg_url())
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {} is unreachable: {e}", pg_url()));
    for q in [
        format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
        format!("CREATE SCHEMA {schema}"),
    ] {
        sqlx::query(&q).execute(&admin).await.unwrap();
    }
    admin.close().await;
    let sep = if pg_url().contains('?') { '&' } else { '?' };
    Store::open(&format!(
        "{}{sep}options=-c%20search_path%3D{schema}",
        pg_url()
    ))
    .await
    .expect("PostgreSQL store")
}

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "current_thread")]
            async fn $name() { super::$name(super::sqlite().await).await })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "current_thread")]
            async fn $name() { super::$name(super::postgres().await).await })*
        }
    };
}

on_both!(
    the_incremental_path_keeps_what_a_rebuild_computes,
    a_body_computed_across_a_write_is_not_kept,
    a_region_table_touches_what_it_changes,
    a_refresh_computes_again_what_another_basis_kept,
);

fn day() -> Date {
    Date::parse("2024-03-01").unwrap()
}

fn evaluator() -> Evaluator {
    Evaluator::new(Lexicon::built_in(), Supervision::default())
}

async fn the_incremental_path_keeps_what_a_rebuild_computes(store: Store) {
    let ev = evaluator();
    let docs = samples();
    assert_eq!(docs.len(), 5);
    // Document by document, each followed by a refresh of what it touched.
    for (i, (source, text)) in docs.iter().enumerate() {
        ingest(&store, source, text).await;
        let waiting = store.waiting_evaluations().await.unwrap();
        assert!(!waiting.is_empty(), "{source} touched nothing");
        let done = ev.refresh(&store, day()).await.unwrap();
        assert_eq!(done, waiting.len());
        assert!(store.waiting_evaluations().await.unwrap().is_empty());
        if i == 1 {
            // A read between writes (of another day: computed, not kept).
            let v = ev.year(&store, 2023, "天津市", Date::parse("2023-12-31").unwrap());
            assert!(!v.await.unwrap().verdicts.is_empty());
        }
    }
    // A document replaced by a new version: the old one's keys and the new one's.
    let (source, text) = &docs[1];
    let changed = text.replacen("增长", "增长了", 1);
    assert_ne!(&changed, text);
    ingest(&store, source, &changed).await;
    assert!(!store.waiting_evaluations().await.unwrap().is_empty());
    ev.refresh(&store, day()).await.unwrap();
    // The supervision's writes touch the year and the plans of the task's region only.
    let task_table = &docs[3].0;
    let user = store
        .add_user(
            "zhang",
            "h",
            "reporter",
            &["市发展改革委".to_string()],
            "admin",
        )
        .await
        .unwrap()
        .unwrap();
    let report = store
        .add_report(
            &NewReport {
                source: task_table.clone(),
                task_seq: 1,
                unit: "市发展改革委".into(),
                user_id: user,
                status: "completed".into(),
                percent: Some(100.0),
                value: None,
                narrative: "已完成".into(),
            },
            "zhang",
        )
        .await
        .unwrap();
    store
        .review_report(report, true, "", user, "li")
        .await
        .unwrap();
    store
        .add_urge(task_table, 2, "市发展改革委", user, "请报送进展", "li")
        .await
        .unwrap();
    let waiting = store.waiting_evaluations().await.unwrap();
    assert!(
        !waiting.is_empty()
            && waiting.iter().all(|k| k.region == "天津市")
            && waiting.iter().any(|k| k.kind == EvaluationKind::Year),
        "{waiting:?}"
    );
    ev.refresh(&store, day()).await.unwrap();

    let incremental = store.kept_evaluations().await.unwrap();
    assert!(incremental.iter().all(|(_, _, body)| body.is_some()));
    let keys: Vec<&EvaluationKey> = incremental.iter().map(|(k, _, _)| k).collect();
    assert!(keys.contains(&&EvaluationKey::year(2023, "天津市")));
    assert!(keys.contains(&&EvaluationKey::plan("天津市")));
    assert!(keys.iter().any(|k| k.region != "天津市"), "{keys:?}");

    let n = ev.rebuild(&store, day()).await.unwrap();
    let rebuilt = store.kept_evaluations().await.unwrap();
    assert_eq!(n, rebuilt.len());
    assert_eq!(incremental.len(), rebuilt.len());
    for (a, b) in incremental.iter().zip(&rebuilt) {
        assert_eq!(
            a, b,
            "{:?}: the incremental body differs from the rebuilt",
            a.0
        );
    }

    // A kept body reads back as the evaluation computed afresh.
    for (year, region) in [(2023, "天津市"), (2024, "天津市"), (2023, "西青区")] {
        let kept = ev.year(&store, year, region, day()).await.unwrap();
        let ledger = store
            .ledger(&LedgerFilter {
                year: Some(year),
                region: Some(region.to_string()),
                ..Default::default()
            })
            .await
            .unwrap();
        let verdicts = reconcile(
            &ledger,
            &ev.lexicon,
            &Scope {
                year,
                region: Some(region),
            },
        );
        let tasks = evaluate_tasks(&ledger, &verdicts, day(), &ev.supervision);
        assert_eq!(kept.ledger, ledger, "{year} {region}");
        assert_eq!(kept.verdicts, verdicts, "{year} {region}");
        assert_eq!(kept.tasks, tasks, "{year} {region}");
        // The scorecards too, ranked by the evaluator's rules: kept for the day (the body's
        // first line), and ranked from the view read back.
        let cards = ev
            .year_scorecards(&store, year, region, day())
            .await
            .unwrap()
            .expect("the day's scorecards are kept");
        assert_eq!(ev.scorecards(&kept), cards, "{year} {region}");
        assert_eq!(
            cards.units,
            ranking::rank_units(&ledger, &tasks, &ev.rules),
            "{year} {region}"
        );
        assert_eq!(cards.leaders, ranking::rank_leaders(&tasks, &ev.rules));
        assert_eq!(
            cards.regions,
            ranking::rank_regions(&ledger, &verdicts, &tasks)
        );
        if region == "天津市" && year == 2023 {
            assert!(!cards.units.is_empty(), "{year} {region}");
        }
        // The comparison line too: kept for the day (the body's second line), drawn from the
        // view read back, and from the evaluation computed afresh.
        let line = ev
            .year_comparison(&store, year, region, day())
            .await
            .unwrap()
            .expect("the day's comparison line is kept");
        assert_eq!(ev.comparison(&kept), line, "{year} {region}");
        assert_eq!(
            line,
            compare::compare_region(&ledger, region, &verdicts, &tasks),
            "{year} {region}"
        );
        if region == "西青区" && year == 2023 {
            assert!(
                !line.set_by_parent.is_empty(),
                "天津市 sets 西青区's targets"
            );
        }
        // Another day's scorecards are not there to read.
        let other = Date::parse("2023-01-02").unwrap();
        let elsewhen = ev
            .year_scorecards(&store, year, region, other)
            .await
            .unwrap();
        assert!(elsewhen.is_none(), "{year} {region}");
        let elsewhen = ev
            .year_comparison(&store, year, region, other)
            .await
            .unwrap();
        assert!(elsewhen.is_none(), "{year} {region}");
        // Another day's tasks, and so its scorecards, are evaluated again from the kept body.
        let then = ev.year(&store, year, region, other).await.unwrap();
        let tasks = evaluate_tasks(&ledger, &verdicts, other, &ev.supervision);
        let then_cards = ev.scorecards(&then);
        assert_eq!(
            then_cards.units,
            ranking::rank_units(&ledger, &tasks, &ev.rules)
        );
        if region == "天津市" && year == 2023 {
            assert_ne!(then_cards.units, cards.units, "the day counts");
        }
    }
    let plan = ev.plan(&store, "天津市").await.unwrap();
    assert!(!plan.evals.is_empty());
    // A plan's view holds what its evaluations cite, not the region's tasks nor its other
    // figures; read back from its body it is the same.
    assert!(plan.ledger.tasks.is_empty() && !plan.ledger.quantities.is_empty());
    let full = store
        .ledger(&LedgerFilter {
            region: Some("天津市".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(!full.tasks.is_empty());
    assert!(plan.ledger.quantities.len() < full.quantities.len());
    let cited: Vec<&plantrack_evaluate::Evidence> = plan
        .evals
        .iter()
        .flat_map(|e| {
            e.observations
                .iter()
                .map(|o| &o.evidence)
                .chain(&e.yearly_targets)
        })
        .collect();
    for e in &cited {
        let plantrack_evaluate::Item::Quantity(q) = &e.item else {
            continue;
        };
        let held = &plan.ledger.quantities[e.index];
        assert_eq!(&held.item, q);
        assert!(full.quantities.iter().any(|f| f.item == *q));
    }
    for i in 0..plan.ledger.quantities.len() {
        assert!(
            cited.iter().any(|e| e.kind == "quantity" && e.index == i),
            "quantity {i} is held but cited by no evaluation"
        );
    }
    let again = ev.plan(&store, "天津市").await.unwrap();
    assert_eq!(again, plan);
}

async fn a_body_computed_across_a_write_is_not_kept(store: Store) {
    let ev = evaluator();
    let docs = samples();
    ingest(&store, &docs[0].0, &docs[0].1).await;
    ev.refresh(&store, day()).await.unwrap();
    let key = EvaluationKey::year(2023, "天津市");
    let generation = store.evaluation_generation(&key).await.unwrap();
    // A write touching the key lands while the body is computed.
    ingest(&store, &docs[1].0, &docs[1].1).await;
    assert!(
        !store
            .keep_evaluation(&key, generation, "b", "2024-03-01", "{}")
            .await
            .unwrap()
    );
    let kept = store.kept_evaluation(&key).await.unwrap().unwrap();
    assert!(kept.body.is_none() && kept.generation > generation);
    // Computed again, it is kept.
    let generation = store.evaluation_generation(&key).await.unwrap();
    assert!(
        store
            .keep_evaluation(&key, generation, "b", "2024-03-01", "{}")
            .await
            .unwrap()
    );
    // A body of another basis (another build or lexicon) is not read: computed again. The body
    // is a real one, altered, so that reading it would show.
    ev.compute(&store, &key, day()).await.unwrap();
    let kept = store.kept_evaluation(&key).await.unwrap().unwrap();
    assert!(
        kept.body
            .as_ref()
            .and_then(|b| b.text())
            .is_some_and(|b| b.contains("居民消费价格"))
    );
    let altered = kept
        .body
        .as_ref()
        .and_then(|b| b.text())
        .unwrap()
        .replace("居民消费价格", "居民消费价格（旧）");
    assert!(
        store
            .keep_evaluation(
                &key,
                kept.generation,
                "another build",
                &kept.as_of,
                &altered
            )
            .await
            .unwrap()
    );
    let v = ev.year(&store, 2023, "天津市", day()).await.unwrap();
    assert!(!v.verdicts.is_empty());
    assert!(
        v.ledger
            .quantities
            .iter()
            .all(|q| !q.item.text.contains("（旧）")),
        "a body of another basis was read"
    );
}

async fn a_region_table_touches_what_it_changes(store: Store) {
    let ev = evaluator();
    let docs = samples();
    ingest(&store, &docs[0].0, &docs[0].1).await;
    ev.refresh(&store, day()).await.unwrap();
    let table = vec![("天津市".to_string(), Some("全国".to_string()))];
    // 天津市 had no parent: every ledger naming it reads otherwise.
    store.load_regions(&table).await.unwrap();
    assert!(!store.waiting_evaluations().await.unwrap().is_empty());
    ev.refresh(&store, day()).await.unwrap();
    // The same table again changes nothing, and computes nothing again.
    store.load_regions(&table).await.unwrap();
    assert!(store.waiting_evaluations().await.unwrap().is_empty());
}

/// A new build, lexicon, clock or set of scoring rules reads no body kept by the one before: a
/// refresh (`plantrack serve` runs one at start) computes them all again, once.
async fn a_refresh_computes_again_what_another_basis_kept(store: Store) {
    let docs = samples();
    ingest(&store, &docs[0].0, &docs[0].1).await;
    let before = evaluator();
    let kept = before.refresh(&store, day()).await.unwrap();
    assert!(kept > 0);
    assert_eq!(before.refresh(&store, day()).await.unwrap(), 0);
    let mut rules = plantrack_evaluate::Rules::built_in();
    rules.cooperating_weight += 0.25;
    let after = Evaluator::with_rules(Lexicon::built_in(), Supervision::default(), rules);
    assert_eq!(after.refresh(&store, day()).await.unwrap(), kept);
    assert_eq!(after.refresh(&store, day()).await.unwrap(), 0);
    // What it kept is what it reads: scored by its rules.
    let v = after.year(&store, 2023, "天津市", day()).await.unwrap();
    let cards = after
        .year_scorecards(&store, 2023, "天津市", day())
        .await
        .unwrap()
        .expect("the day's scorecards are kept");
    assert_eq!(
        cards.units,
        ranking::rank_units(&v.ledger, &v.tasks, &after.rules)
    );
}
