//! The store suite, run on in-memory SQLite and on PostgreSQL (a fresh schema per test).
//!
//! PostgreSQL comes from `PLANTRACK_TEST_PG` (default `postgres://postgres@127.0.0.1:5432/test`);
//! when it cannot be reached the PostgreSQL tests fail — they never skip.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use plantrack_extract::{Hints, Origin};
use plantrack_model::Extraction;
use plantrack_store::{Backend, IngestOutcome, LedgerFilter, Store, StoreError};
use sqlx::Row;

fn sample(prefix: &str) -> (String, String, Extraction) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/tianjin");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    paths.sort();
    let path = paths.remove(0);
    let source = plantrack_read::read(&std::fs::read(&path).unwrap(), None).unwrap();
    let x = plantrack_extract::extract(&source.text, Origin::default(), &Hints::default());
    (path.display().to_string(), source.text, x)
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
        "plantrack_test_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&pg_url())
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {} is unreachable: {e}", pg_url()));
    sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .execute(&admin)
        .await
        .unwrap();
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let sep = if pg_url().contains('?') { '&' } else { '?' };
    Store::open(&format!(
        "{}{sep}options=-c%20search_path%3D{schema}",
        pg_url()
    ))
    .await
    .expect("PostgreSQL store")
}

/// Runs one async test body on both backends.
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
    a_new_store_is_empty,
    ingest_is_idempotent,
    a_changed_document_replaces_its_extraction_and_keeps_progress,
    a_failed_ingest_leaves_nothing_behind,
    regions_units_and_roles,
    every_sample_ingests,
    the_ledger_reads_back_as_extracted,
    scorecards_are_kept_and_replaced,
    accounts_sessions_reports_and_their_audit,
    accounts_are_disabled_and_rebound_with_their_audit,
    urges_and_extensions_reach_the_ledger_with_their_audit,
);

async fn urges_and_extensions_reach_the_ledger_with_their_audit(store: Store) {
    let store = store.with_units(plantrack_extract::Lexicon::built_in().units().clone());
    let (source, text, x) = sample("003");
    store.ingest(&source, &text, &x).await.unwrap();
    let li = store
        .add_user("li", "h", "supervisor", &[], "admin")
        .await
        .unwrap()
        .unwrap();
    let zhang = store
        .add_user("zhang", "h", "reporter", &["市科技局".to_string()], "admin")
        .await
        .unwrap()
        .unwrap();
    let v0 = store.version().await.unwrap();
    store
        .add_urge(&source, 17, "市科技局", li, "请报送进展", "li")
        .await
        .unwrap();
    let v1 = store.version().await.unwrap();
    assert_ne!(v0, v1, "an urge changes the version");
    let urges = store.urges().await.unwrap();
    assert_eq!(
        (
            urges[0].unit.as_str(),
            urges[0].by.as_deref(),
            urges[0].message.as_str()
        ),
        ("市科技局", Some("li"), "请报送进展")
    );
    // One request waits at a time; decided once.
    let id = store
        .request_extension(
            &source,
            17,
            "市科技局",
            zhang,
            "2099-06-30",
            "受季节影响",
            "zhang",
        )
        .await
        .unwrap()
        .unwrap();
    assert!(
        store
            .request_extension(
                &source,
                17,
                "市科技局",
                zhang,
                "2099-09-30",
                "再议",
                "zhang"
            )
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(store.extension_requests(None).await.unwrap().len(), 1);
    let ledger = store.ledger(&LedgerFilter::default()).await.unwrap();
    assert!(
        ledger.extensions.is_empty(),
        "a waiting request moves no deadline"
    );
    assert_eq!(ledger.urges.len(), 1);
    assert!(
        store
            .decide_extension(id, true, "同意", li, "li")
            .await
            .unwrap()
    );
    assert!(
        !store
            .decide_extension(id, false, "", li, "li")
            .await
            .unwrap()
    );
    assert!(store.extension_requests(None).await.unwrap().is_empty());
    let mine = store.extension_requests(Some((&source, 17))).await.unwrap();
    assert_eq!(
        (mine[0].decision.as_str(), mine[0].decided_by.as_deref()),
        ("approved", Some("li"))
    );
    let ledger = store.ledger(&LedgerFilter::default()).await.unwrap();
    assert_eq!(ledger.extensions.len(), 1);
    assert_eq!(ledger.extensions[0].item.deadline, "2099-06-30");
    let trail = store
        .audit_of("task", &format!("{source}#17"))
        .await
        .unwrap();
    let actions: Vec<&str> = trail.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(
        actions,
        ["task.urge", "extension.request", "extension.approve"]
    );
}

async fn accounts_are_disabled_and_rebound_with_their_audit(store: Store) {
    let store = store.with_units(plantrack_extract::Lexicon::built_in().units().clone());
    let (source, text, x) = sample("003");
    store.ingest(&source, &text, &x).await.unwrap();
    let id = store
        .add_user("li", "h", "reporter", &["市发改委".to_string()], "admin")
        .await
        .unwrap()
        .unwrap();
    store
        .create_session("s1", id, "c1", 1000, 600)
        .await
        .unwrap();
    assert!(store.session("s1", 1001).await.unwrap().is_some());

    // Disabled: kept, marked, and its sessions end (and would not count if any were left).
    assert!(store.set_user_disabled("li", true, "admin").await.unwrap());
    assert!(store.account("li").await.unwrap().unwrap().disabled);
    assert!(store.session("s1", 1002).await.unwrap().is_none());
    store
        .create_session("s2", id, "c2", 1000, 600)
        .await
        .unwrap();
    assert!(store.session("s2", 1003).await.unwrap().is_none());
    assert!(store.set_user_disabled("li", false, "admin").await.unwrap());
    assert!(!store.account("li").await.unwrap().unwrap().disabled);
    assert!(store.session("s2", 1004).await.unwrap().is_some());
    assert!(
        !store
            .set_user_disabled("nobody", true, "admin")
            .await
            .unwrap()
    );

    // Rebound: the units replaced, under their canonical names, once each.
    let units = ["市财政局", "市发改委", "市发展改革委"].map(String::from);
    assert!(store.set_user_units("li", &units, "admin").await.unwrap());
    assert_eq!(
        store.account("li").await.unwrap().unwrap().units,
        vec!["市发展改革委".to_string(), "市财政局".to_string()]
    );
    assert!(
        !store
            .set_user_units("nobody", &units, "admin")
            .await
            .unwrap()
    );

    // Which units the tables name.
    assert!(store.unit_is_named("市发改委").await.unwrap());
    assert!(!store.unit_is_named("市不存在局").await.unwrap());

    let trail = store.audit_of("user", "li").await.unwrap();
    let actions: Vec<&str> = trail.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(
        actions,
        ["user.add", "user.disable", "user.enable", "user.units"]
    );
    assert_eq!(
        trail[3].before.as_deref(),
        Some("{\"units\":[\"市发展改革委\"]}")
    );
}

async fn accounts_sessions_reports_and_their_audit(store: Store) {
    use plantrack_store::NewReport;
    let store = store.with_units(plantrack_extract::Lexicon::built_in().units().clone());
    let units = vec!["市发改委".to_string()];
    let id = store
        .add_user("zhang", "hash1", "reporter", &units, "admin")
        .await
        .unwrap()
        .unwrap();
    // A name is taken once.
    assert_eq!(
        store
            .add_user("zhang", "x", "admin", &[], "admin")
            .await
            .unwrap(),
        None
    );
    let a = store.account("zhang").await.unwrap().unwrap();
    // Units are bound under their canonical name.
    assert_eq!(
        (a.role.as_str(), a.units.clone()),
        ("reporter", vec!["市发展改革委".to_string()])
    );
    assert_eq!(store.accounts().await.unwrap().len(), 1);

    // Sessions live until they expire, and a new password ends them.
    store
        .create_session("s1", id, "c1", 1000, 60)
        .await
        .unwrap();
    assert_eq!(store.session("s1", 1030).await.unwrap().unwrap().1, "c1");
    assert!(store.session("s1", 1061).await.unwrap().is_none());
    store
        .create_session("s2", id, "c2", 2000, 60)
        .await
        .unwrap();
    assert!(store.set_password("zhang", "hash2", "admin").await.unwrap());
    assert!(store.session("s2", 2001).await.unwrap().is_none());
    assert!(!store.set_password("nobody", "h", "admin").await.unwrap());
    assert_eq!(
        store.account("zhang").await.unwrap().unwrap().password_hash,
        "hash2"
    );

    // A report, reviewed once; every change in the trail.
    let rid = store
        .add_report(
            &NewReport {
                source: "003.txt".into(),
                task_seq: 12,
                unit: "市发展改革委".into(),
                user_id: id,
                status: "on_track".into(),
                percent: Some(60.0),
                value: None,
                narrative: "已完成\"主体\"工程".into(),
            },
            "zhang",
        )
        .await
        .unwrap();
    let reports = store.reports("003.txt", 12).await.unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(
        (reports[0].review.as_str(), reports[0].percent),
        ("submitted", Some(60.0))
    );
    assert!(
        store
            .review_report(rid, false, "请补充证明材料", id, "li")
            .await
            .unwrap()
    );
    assert!(
        !store
            .review_report(rid, true, "again", id, "li")
            .await
            .unwrap()
    );
    assert!(!store.review_report(9999, true, "", id, "li").await.unwrap());
    let r = &store.reports("003.txt", 12).await.unwrap()[0];
    assert_eq!(
        (r.review.as_str(), r.review_comment.as_deref()),
        ("returned", Some("请补充证明材料"))
    );
    assert_eq!(
        store.report_task(rid).await.unwrap(),
        Some(("003.txt".to_string(), 12))
    );
    // Evidence: bytes in, the same bytes out, in the trail.
    let pdf = b"%PDF-1.4\n\x00\xff binary".to_vec();
    let eid = store
        .add_evidence(rid, "验收报告.pdf", "application/pdf", &pdf, "zhang")
        .await
        .unwrap();
    assert_eq!(
        store.evidence_of(rid).await.unwrap(),
        [(
            eid,
            "验收报告.pdf".to_string(),
            "application/pdf".to_string(),
            pdf.len() as i64
        )]
    );
    let (report, name, kind, bytes) = store.evidence(eid).await.unwrap().unwrap();
    assert_eq!(
        (report, name.as_str(), kind.as_str(), bytes),
        (rid, "验收报告.pdf", "application/pdf", pdf)
    );
    assert!(store.evidence(eid + 100).await.unwrap().is_none());
    let trail = store.audit_of("task", "003.txt#12").await.unwrap();
    let actions: Vec<(&str, &str)> = trail
        .iter()
        .map(|a| (a.action.as_str(), a.actor.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("report.submit", "zhang"),
            ("report.return", "li"),
            ("evidence.add", "zhang")
        ]
    );
    assert!(trail[0].after.as_deref().unwrap().contains("\\\"主体\\\""));
    assert!(trail[1].before.as_deref().unwrap().contains("submitted"));
    let users = store.audit_of("user", "zhang").await.unwrap();
    assert_eq!(
        users.iter().map(|a| a.action.as_str()).collect::<Vec<_>>(),
        ["user.add", "user.passwd"]
    );
    // The trail never holds a password or its hash.
    assert!(
        users
            .iter()
            .all(|a| !a.after.clone().unwrap_or_default().contains("hash"))
    );
}

async fn scorecards_are_kept_and_replaced(store: Store) {
    use plantrack_store::ScorecardRow;
    let row = |name: &str, completion: f64, achievement: Option<f64>| ScorecardRow {
        name: name.into(),
        led: 4,
        cooperating: 2,
        completed: 1,
        overdue: 3,
        at_risk: 0,
        achieved: 2,
        not_achieved: 1,
        no_data: 5,
        completion,
        achievement,
        // Ranked by score: here the completion, or none when nothing was achieved.
        score: achievement.map(|_| completion),
        unreported: 2,
        rank: achievement.map(|_| 1),
        peer_group: Some("department".into()),
    };
    store
        .save_scorecards(
            2023,
            "2024-03-01",
            "unit",
            &[
                row("市科技局", 25.0, Some(66.7)),
                row("市统计局", 0.0, None),
            ],
        )
        .await
        .unwrap();
    // The same evaluation again replaces, a later one is what is read back.
    store
        .save_scorecards(
            2023,
            "2024-03-01",
            "unit",
            &[row("市科技局", 25.0, Some(66.7))],
        )
        .await
        .unwrap();
    assert_eq!(store.scorecards(2023, "unit").await.unwrap().len(), 1);
    store
        .save_scorecards(
            2023,
            "2024-06-01",
            "unit",
            &[
                row("市科技局", 50.0, None),
                row("市统计局", 75.0, Some(100.0)),
            ],
        )
        .await
        .unwrap();
    let got = store.scorecards(2023, "unit").await.unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].name, "市统计局");
    assert_eq!(got[0].achievement, Some(100.0));
    assert_eq!(got[1].achievement, None);
    assert_eq!((got[0].score, got[1].score), (Some(75.0), None));
    // Where each stood is kept: the ranked first, then the one listed without a rank.
    assert_eq!((got[0].rank, got[1].rank), (Some(1), None));
    assert_eq!(got[0].peer_group.as_deref(), Some("department"));
    assert_eq!(got[1].unreported, 2);
    assert!(store.scorecards(2023, "leader").await.unwrap().is_empty());
    let rows: i64 = sqlx::query("SELECT COUNT(*) FROM scorecards")
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get(0);
    assert_eq!(rows, 3);
}

/// What the evaluations read from the store is what the extractor wrote.
async fn the_ledger_reads_back_as_extracted(store: Store) {
    let mut memory = plantrack_model::Ledger::default();
    let mut outlines = Vec::new();
    for prefix in ["000", "001", "002", "003", "004"] {
        let (source, text, x) = sample(prefix);
        store.ingest(&source, &text, &x).await.unwrap();
        outlines.push(x.sections.clone());
        memory.add(&source, x);
    }
    let all = store.ledger(&LedgerFilter::default()).await.unwrap();
    // Each document's outline reads back as extracted (the heading's number is not kept).
    for (doc, outline) in all.documents.iter().zip(&outlines) {
        let read = store.sections(doc.id.unwrap()).await.unwrap();
        let unnumbered: Vec<_> = outline
            .iter()
            .map(|s| plantrack_model::Section {
                number: None,
                ..s.clone()
            })
            .collect();
        assert_eq!(read, unnumbered, "{}", doc.source);
    }
    assert!(outlines.iter().any(|o| o.len() > 20));
    let without_ids: Vec<_> = all
        .documents
        .iter()
        .map(|d| plantrack_model::DocumentRef {
            id: None,
            ..d.clone()
        })
        .collect();
    assert_eq!(without_ids, memory.documents);
    assert!(all.documents.iter().all(|d| d.id.is_some()));
    assert_eq!(all.indicators, memory.indicators);
    assert_eq!(all.tasks, memory.tasks);
    assert_eq!(all.quantities, memory.quantities);
    assert_eq!(all.milestones, memory.milestones);
    assert!(
        all.regions
            .iter()
            .any(|r| r.name == "西青区" && r.parent.as_deref() == Some("天津市"))
    );

    // One year and one region: the district's 2023 figures and the city's targets for it.
    let part = store
        .ledger(&LedgerFilter {
            year: Some(2023),
            region: Some("西青区".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(!part.quantities.is_empty());
    for q in &part.quantities {
        assert_eq!(q.item.year, Some(2023));
        let region = q
            .item
            .region
            .clone()
            .or(part.documents[q.document].region.clone());
        assert_eq!(region.as_deref(), Some("西青区"));
    }
    assert!(
        part.quantities
            .iter()
            .any(|q| part.documents[q.document].region.as_deref() == Some("天津市"))
    );
    // The task table plans 2023 for the city, not the district.
    assert!(part.tasks.is_empty());
    let tasks_2023 = store
        .ledger(&LedgerFilter {
            year: Some(2023),
            region: None,
            ..Default::default()
        })
        .await
        .unwrap()
        .tasks;
    assert_eq!(tasks_2023.len(), 160);
}

async fn every_sample_ingests(store: Store) {
    let mut expected = (0, 0, 0);
    for prefix in ["000", "001", "002", "003", "004"] {
        let (source, text, x) = sample(prefix);
        expected.0 += x.indicators.len() as i64;
        expected.1 += x.quantities.len() as i64;
        expected.2 += x.milestones.len() as i64;
        store.ingest(&source, &text, &x).await.unwrap();
    }
    let c = store.counts().await.unwrap();
    assert_eq!((c.indicators, c.quantities, c.milestones), expected);
    assert_eq!(c.documents, 5);
    // A qualitative target keeps a NULL value on both engines.
    let nulls: i64 = sqlx::query("SELECT COUNT(*) FROM indicators WHERE target_value IS NULL")
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get(0);
    assert_eq!(nulls, 3);
}

async fn a_new_store_is_empty(store: Store) {
    assert_eq!(store.counts().await.unwrap(), Default::default());
}

async fn ingest_is_idempotent(store: Store) {
    let (source, text, x) = sample("003");
    let first = store.ingest(&source, &text, &x).await.unwrap();
    assert!(matches!(first, IngestOutcome::Inserted { .. }), "{first:?}");
    let counts = store.counts().await.unwrap();
    assert_eq!(counts.documents, 1);
    assert_eq!(counts.tasks, 160);
    assert_eq!(counts.leaders, 8);
    assert_eq!(counts.quantities, x.quantities.len() as i64);
    assert_eq!(counts.sections, x.sections.len() as i64);
    let again = store.ingest(&source, &text, &x).await.unwrap();
    assert!(
        matches!(again, IngestOutcome::Unchanged { .. }),
        "{again:?}"
    );
    assert_eq!(store.counts().await.unwrap(), counts);
}

async fn a_changed_document_replaces_its_extraction_and_keeps_progress(store: Store) {
    let (source, text, x) = sample("003");
    store.ingest(&source, &text, &x).await.unwrap();
    sqlx::query(
        "INSERT INTO progress_reports (source, task_seq, reported_at, status, narrative) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&source)
    .bind(1i64)
    .bind("1700000000")
    .bind("on_track")
    .bind("一季度地区生产总值增长4.1%")
    .execute(store.pool())
    .await
    .unwrap();
    // The same file, edited: one task dropped.
    let mut changed = x.clone();
    changed.tasks.pop();
    let edited = format!("{text}\n（修订）");
    let outcome = store.ingest(&source, &edited, &changed).await.unwrap();
    assert!(
        matches!(
            outcome,
            IngestOutcome::Replaced {
                version: 2,
                flagged: 1,
                ..
            }
        ),
        "{outcome:?}"
    );
    let counts = store.counts().await.unwrap();
    assert_eq!(
        (counts.documents, counts.tasks, counts.progress_reports),
        (1, 159, 1)
    );
    let flagged: i64 = sqlx::query("SELECT needs_review FROM progress_reports")
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get(0);
    assert_eq!(flagged, 1);
}

async fn a_failed_ingest_leaves_nothing_behind(store: Store) {
    let (source, text, mut x) = sample("003");
    // Two tasks with one number violate a constraint halfway through the writes.
    let dup = x.tasks[0].clone();
    x.tasks.push(dup);
    let err = store.ingest(&source, &text, &x).await.unwrap_err();
    assert!(matches!(err, StoreError::Query(_)), "{err}");
    assert_eq!(store.counts().await.unwrap(), Default::default());
    // The store is still usable.
    x.tasks.pop();
    store.ingest(&source, &text, &x).await.unwrap();
    assert_eq!(store.counts().await.unwrap().tasks, 160);
}

async fn regions_units_and_roles(store: Store) {
    // The units' other names come from the extractor's lexicon, as the CLI gives them.
    let store = store.with_units(plantrack_extract::Lexicon::built_in().units().clone());
    for prefix in ["003", "004"] {
        let (source, text, x) = sample(prefix);
        store.ingest(&source, &text, &x).await.unwrap();
    }
    let parent: Option<String> = sqlx::query(
        "SELECT p.name FROM regions r LEFT JOIN regions p ON p.id = r.parent_id WHERE r.name = $1",
    )
    .bind("西青区")
    .fetch_one(store.pool())
    .await
    .unwrap()
    .get(0);
    assert_eq!(parent.as_deref(), Some("天津市"));
    // Task 3 is joint; task 2 has a lead and a cooperating unit.
    let roles = |seq: i64| {
        let pool = store.pool().clone();
        async move {
            sqlx::query(
                "SELECT u.name, tu.role FROM task_units tu JOIN units u ON u.id = tu.unit_id \
                 JOIN tasks t ON t.id = tu.task_id WHERE t.seq = $1 ORDER BY tu.position",
            )
            .bind(seq)
            .fetch_all(&pool)
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
            .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        roles(2).await,
        [
            ("市财政局".to_string(), "lead".to_string()),
            ("市税务局".into(), "cooperating".into())
        ]
    );
    assert!(roles(3).await.iter().all(|(_, r)| r == "joint"));
    // A task's leaders, in the table's order (what a leader's access to drafts is checked on).
    let (source_003, _, _) = sample("003");
    assert_eq!(
        store.task_leaders(&source_003, 17).await.unwrap(),
        ["刘桂平", "朱鹏", "杨兵", "范少军"]
    );
    assert!(
        store
            .task_leaders(&source_003, 9999)
            .await
            .unwrap()
            .is_empty()
    );
    let kind: String = sqlx::query("SELECT kind FROM units WHERE name = $1")
        .bind("各区人民政府")
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get(0);
    assert_eq!(kind, "group");
    // A unit written under an alias is the same unit, and the alias is recorded.
    let (source, text, mut x) = sample("003");
    x.tasks[0].units = vec!["市发改委".into()];
    x.tasks[0].lead_unit = Some("市发改委".into());
    store
        .ingest(&format!("{source}#alias"), &format!("{text}#"), &x)
        .await
        .unwrap();
    let canonical: String = sqlx::query(
        "SELECT u.name FROM unit_aliases a JOIN units u ON u.id = a.unit_id WHERE a.alias = $1",
    )
    .bind("市发改委")
    .fetch_one(store.pool())
    .await
    .unwrap()
    .get(0);
    assert_eq!(canonical, "市发展改革委");
    // District governments belong to their district.
    let region: Option<String> = sqlx::query(
        "SELECT r.name FROM units u JOIN regions r ON r.id = u.region_id WHERE u.name = $1",
    )
    .bind("西青区人民政府")
    .fetch_optional(store.pool())
    .await
    .unwrap()
    .map(|r| r.get(0));
    assert_eq!(region.as_deref(), Some("西青区"));
}

#[tokio::test(flavor = "current_thread")]
async fn a_database_migrated_by_another_build_is_refused() {
    let dir = std::env::temp_dir().join(format!("plantrack-store-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ledger.db");
    let _ = std::fs::remove_file(&path);
    let store = Store::open(path.to_str().unwrap()).await.unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    sqlx::query("UPDATE _sqlx_migrations SET checksum = X'00'")
        .execute(store.pool())
        .await
        .unwrap();
    store.close().await;
    let err = Store::open(path.to_str().unwrap()).await.unwrap_err();
    assert!(matches!(err, StoreError::Schema(_)), "{err}");
    assert!(err.to_string().contains("does not match"), "{err}");
}

#[tokio::test(flavor = "current_thread")]
async fn bad_urls_are_named() {
    let err = Store::open("mysql://localhost/x").await.unwrap_err();
    assert!(err.to_string().contains("mysql://localhost/x"), "{err}");
}

mod search {
    use super::*;

    async fn found_in_the_right_places(store: Store) {
        // 001 with its words split beforehand (as `plantrack ingest` does, on another thread),
        // 003 with words split from another text by mistake: made again from its own.
        let (s1, t1, x1) = sample("001");
        let p1 = plantrack_store::Prepared::of(&t1, &x1);
        store.ingest_prepared(&s1, &t1, &x1, &p1).await.unwrap();
        let (s3, t3, x3) = sample("003");
        store.ingest_prepared(&s3, &t3, &x3, &p1).await.unwrap();
        assert!(
            !store.search("按职责分工负责", 5).await.unwrap().is_empty(),
            "003 is indexed by its own words"
        );
        let hashes = store.content_hashes().await.unwrap();
        assert_eq!(hashes[&s1], plantrack_store::content_hash(&t1));
        let hits = store.search("集装箱吞吐量", 10).await.unwrap();
        assert!(!hits.is_empty());
        assert!(
            hits.iter().all(|h| h.snippet.contains("集装箱吞吐量")),
            "{hits:?}"
        );
        assert!(hits.iter().any(|h| h.source.contains("001")));
        // Review sentences carry their section.
        assert!(
            hits.iter()
                .any(|h| h.section.as_deref() == Some("2023年工作回顾")),
            "{hits:?}"
        );
        // Every word must match; an absent one finds nothing.
        assert!(
            store
                .search("集装箱吞吐量 火星基地", 10)
                .await
                .unwrap()
                .is_empty()
        );
        // A re-ingested changed document is found once, not twice.
        let (source, text, x) = sample("003");
        let edited = format!("{text}\n（修订）");
        store.ingest(&source, &edited, &x).await.unwrap();
        let hits = store.search("按职责分工负责", 50).await.unwrap();
        let mut spans: Vec<_> = hits.iter().map(|h| (h.source.clone(), h.start)).collect();
        let n = spans.len();
        spans.dedup();
        assert_eq!(spans.len(), n);
        assert!(n > 0);
        // Words the new version no longer has are not found in it; its new words are.
        let reworded = text.replace("按职责分工负责", "分头办理") + "\n推进月球车示范线建设\n";
        let x = plantrack_extract::extract(&reworded, Origin::default(), &Hints::default());
        store.ingest(&source, &reworded, &x).await.unwrap();
        let old = store.search("按职责分工负责", 50).await.unwrap();
        assert!(old.iter().all(|h| h.source != source), "{old:?}");
        let new = store.search("月球车示范线", 50).await.unwrap();
        assert_eq!(new.len(), 1, "{new:?}");
        assert_eq!(new[0].source, source);
        assert!(new[0].snippet.contains("月球车示范线"), "{new:?}");
    }

    #[tokio::test(flavor = "current_thread")]
    async fn sqlite() {
        let store = super::sqlite().await;
        found_in_the_right_places(store.clone()).await;
        // The words of replaced versions left the FTS5 table too (it has no foreign key to
        // cascade from): one entry of words per paragraph held.
        let count = |sql: &'static str| {
            let pool = store.pool().clone();
            async move {
                sqlx::query(sql)
                    .fetch_one(&pool)
                    .await
                    .unwrap()
                    .get::<i64, _>(0)
            }
        };
        let paragraphs = count("SELECT COUNT(*) FROM search_rows").await;
        assert!(paragraphs > 0);
        assert_eq!(
            count("SELECT COUNT(*) FROM search_words_docsize").await,
            paragraphs
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn postgres() {
        found_in_the_right_places(super::postgres().await).await
    }
}

/// A database that fills up mid-document refuses the document whole, says why, and keeps
/// working for what fits.
#[tokio::test(flavor = "current_thread")]
async fn a_full_database_refuses_the_document_whole() {
    let store = sqlite().await;
    let (small_source, small_text, small) = sample("004");
    store
        .ingest(&small_source, &small_text, &small)
        .await
        .unwrap();
    let pages: i64 = sqlx::query("PRAGMA page_count")
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get(0);
    // Room for a few more pages only: the 160-task table does not fit.
    sqlx::query(&format!("PRAGMA max_page_count = {}", pages + 8))
        .execute(store.pool())
        .await
        .unwrap();
    let before = store.counts().await.unwrap();
    let (source, text, x) = sample("003");
    let err = store.ingest(&source, &text, &x).await.unwrap_err();
    assert!(err.to_string().contains("full"), "{err}");
    assert_eq!(store.counts().await.unwrap(), before);
    // Unchanged content still answers.
    let again = store
        .ingest(&small_source, &small_text, &small)
        .await
        .unwrap();
    assert!(matches!(again, IngestOutcome::Unchanged { .. }));
}

/// PostgreSQL closing the connection in the middle of an ingest: a clear error, no half-written
/// document, and the next ingest succeeds on a fresh connection.
#[tokio::test(flavor = "current_thread")]
async fn postgres_going_away_mid_ingest_leaves_no_half_document() {
    sqlx::any::install_default_drivers();
    let schema = format!("plantrack_test_gone_{}", std::process::id());
    let app = format!("plantrack_gone_{}", std::process::id());
    let admin = sqlx::AnyPool::connect(&pg_url())
        .await
        .expect("PostgreSQL reachable");
    sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .execute(&admin)
        .await
        .unwrap();
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&admin)
        .await
        .unwrap();
    let sep = if pg_url().contains('?') { '&' } else { '?' };
    let url = format!(
        "{}{sep}options=-c%20search_path%3D{schema}&application_name={app}",
        pg_url()
    );
    let store = Store::open(&url).await.unwrap();
    let (source, text, x) = sample("003");
    let mut interrupted = 0;
    for delay in [2u64, 5, 10, 20, 40, 80] {
        // Each round starts from an empty ledger.
        store.clear("documents").await.ok();
        let killer = {
            let admin = admin.clone();
            let app = app.clone();
            tokio::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
                sqlx::query(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
                )
                .bind(app)
                .execute(&admin)
                .await
                .unwrap();
            })
        };
        let result = store.ingest(&source, &text, &x).await;
        killer.await.unwrap();
        if let Err(e) = &result {
            interrupted += 1;
            assert!(matches!(e, StoreError::Query(_)), "{e}");
        }
        // All or nothing, read back on a fresh connection.
        let tasks: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM {schema}.tasks"))
            .fetch_one(&admin)
            .await
            .unwrap()
            .get(0);
        let docs: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM {schema}.documents"))
            .fetch_one(&admin)
            .await
            .unwrap()
            .get(0);
        assert!(
            (docs, tasks) == (0, 0) || (docs, tasks) == (1, 160),
            "half-written after {delay} ms: {docs} documents, {tasks} tasks"
        );
    }
    assert!(interrupted > 0, "no ingest was interrupted");
    // The pool replaces the dead connections.
    store.clear("documents").await.ok();
    let mut ok = false;
    for _ in 0..3 {
        if store.ingest(&source, &text, &x).await.is_ok() {
            ok = true;
            break;
        }
    }
    assert!(ok, "the store did not recover");
    sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
        .execute(&admin)
        .await
        .unwrap();
}
