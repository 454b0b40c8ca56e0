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
    let body = kept
        .body
        .as_ref()
        .and_then(|b| b.text())
        .expect("the year was kept")
        .to_string();
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

/// Public answers are kept until the store changes, and never mixed with a signed-in user's:
/// the public's page after a supervisor's is the public's, the supervisor's after the public's
/// is theirs, and a browser's tag still gets its 304.
#[tokio::test]
async fn public_answers_are_kept_apart_from_private_ones() {
    let store = samples().await;
    let hash = plantrack_web::auth::hash_password(common::PASSWORD);
    store
        .add_user("liuyang", &hash, "supervisor", &[], "test")
        .await
        .unwrap();
    let app = plantrack_web::app_always_fresh(store.clone(), Lexicon::built_in());
    let page = "/targets?year=2023&region=%E5%A4%A9%E6%B4%A5%E5%B8%82";
    let public = get(&app, page, None).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(!public.text().contains("liuyang"));
    let signed = common::sign_in(&app, "liuyang", common::PASSWORD, common::CLIENT).await;
    let cookie = signed.cookie();
    let private = get(&app, page, Some(&cookie)).await;
    assert!(
        private.text().contains("liuyang"),
        "the supervisor's own page"
    );
    let again = get(&app, page, None).await;
    assert_eq!(again.body, public.body, "the public's page, as before");
    assert!(!again.text().contains("liuyang"));
    let tag = again.headers[axum::http::header::ETAG]
        .to_str()
        .unwrap()
        .to_string();
    let mut req = axum::http::Request::builder().uri(page);
    req = req.header(axum::http::header::IF_NONE_MATCH, &tag);
    let cached = common::send(
        &app,
        req.body(axum::body::Body::empty()).unwrap(),
        common::CLIENT,
    )
    .await;
    assert_eq!(cached.status, StatusCode::NOT_MODIFIED);
    // A new document: the page is made again.
    let text = "2023年天津市统计公报\n\n全年地区生产总值增长4.3%。\n".to_string();
    let x = plantrack_extract::extract(&text, Default::default(), &Default::default());
    store.ingest("bulletin.txt", &text, &x).await.unwrap();
    let after = get(&app, page, None).await;
    assert_ne!(
        after.headers[axum::http::header::ETAG].to_str().unwrap(),
        tag
    );
}

/// A year's scorecards are read from its kept body (its first line) even when the year's view
/// is already held: ranking the view's units again costs several times reading them. Altered in
/// the store after the view is held, the scorecards page shows them altered.
#[tokio::test]
async fn scorecards_are_read_from_the_kept_body_when_the_view_is_held() {
    let store = samples().await;
    let key = EvaluationKey::year(2023, "天津市");
    let targets = "/targets?year=2023&region=%E5%A4%A9%E6%B4%A5%E5%B8%82";
    let units = "/units?year=2023&region=%E5%A4%A9%E6%B4%A5%E5%B8%82";
    let first = plantrack_web::app_always_fresh(store.clone(), Lexicon::built_in());
    assert_eq!(get(&first, targets, None).await.status, StatusCode::OK);

    // A new app holds the year's view (read from the kept body) before the body is altered.
    let app = plantrack_web::app_always_fresh(store.clone(), Lexicon::built_in());
    assert_eq!(get(&app, targets, None).await.status, StatusCode::OK);
    let kept = store.kept_evaluation(&key).await.unwrap().unwrap();
    let body = kept.body.as_ref().and_then(|b| b.text()).unwrap();
    let (line, rest) = body.split_once('\n').unwrap();
    let cards: plantrack_views::Scorecards = serde_json::from_str(line).unwrap();
    let unit = cards
        .units
        .first()
        .expect("the year ranks units")
        .card
        .name
        .clone();
    let altered = format!("{}\n{rest}", line.replace(&unit, "已保存的单位"));
    assert!(
        store
            .keep_evaluation(&key, kept.generation, &kept.basis, &kept.as_of, &altered)
            .await
            .unwrap()
    );
    let page = get(&app, units, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("已保存的单位"), "the kept line, read");
}
