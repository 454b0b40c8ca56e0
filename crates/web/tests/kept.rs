//! The web app reads the evaluations the store keeps instead of evaluating on each request: what
//! it computes for a page of the office's day is kept, and a kept body is what a later process
//! shows (here, one altered in the store on purpose shows altered), until a write touches it.

mod common;

use axum::http::StatusCode;
use common::{get, samples};
use plantrack_evaluate::Lexicon;
use plantrack_store::EvaluationKey;

#[tokio::test]
async fn pages_read_the_kept_evaluations() {
    let store = samples().await;
    let key = EvaluationKey::year(2023, "天津市");
    let page = "/targets?year=2023&region=%E5%A4%A9%E6%B4%A5%E5%B8%82";

    // Nothing computed yet: the first request computes the year and keeps it (today's).
    assert!(
        store
            .kept_evaluation(&key)
            .await
            .unwrap()
            .unwrap()
            .body
            .is_none()
    );
    let app = plantrack_web::app_always_fresh(store.clone(), Lexicon::built_in());
    let first = get(&app, page, None).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.text().contains("居民消费价格"));
    let kept = store.kept_evaluation(&key).await.unwrap().unwrap();
    let body = kept.body.clone().expect("the year was kept");
    assert!(!kept.as_of.is_empty());

    // Another process (a fresh app, nothing in memory) shows the kept body: altered here, it
    // shows altered, so it was read, not computed again.
    let altered = body.replace("居民消费价格", "居民消费价格（已保存）");
    assert_ne!(altered, body);
    assert!(
        store
            .keep_evaluation(&key, kept.generation, &kept.basis, &kept.as_of, &altered)
            .await
            .unwrap()
    );
    let other = plantrack_web::app_always_fresh(store.clone(), Lexicon::built_in());
    assert!(
        get(&other, page, None)
            .await
            .text()
            .contains("居民消费价格（已保存）")
    );

    // A write touching the year makes it wait; the next request computes it from the ledger.
    let (source, text) = ("samples/tianjin/001_52f7147cf002561a.txt", {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../samples/tianjin/001_52f7147cf002561a.txt");
        std::fs::read_to_string(path).unwrap() + "\n"
    });
    let x = plantrack_extract::extract(&text, Default::default(), &Default::default());
    store.ingest(source, &text, &x).await.unwrap();
    assert!(
        store
            .kept_evaluation(&key)
            .await
            .unwrap()
            .unwrap()
            .body
            .is_none()
    );
    let third = plantrack_web::app_always_fresh(store.clone(), Lexicon::built_in());
    let page_now = get(&third, page, None).await.text();
    assert!(page_now.contains("居民消费价格") && !page_now.contains("（已保存）"));
    assert!(
        store
            .kept_evaluation(&key)
            .await
            .unwrap()
            .unwrap()
            .body
            .is_some()
    );
}
