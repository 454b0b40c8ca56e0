//! Several web processes on one PostgreSQL database, as behind a load balancer: two apps, each
//! with its own connection pool and caches, share sessions, the sign-in limiter and the ledger.
//! A user signed in on one is signed in on the other; a guesser refused by one is refused by the
//! other; signing out on one ends the session on both; a document ingested through one is on the
//! other's pages once its cache rechecks the store.
//!
//! PostgreSQL comes from `PLANTRACK_TEST_PG` (default `postgres://postgres@127.0.0.1:5432/test`);
//! when it cannot be reached the test fails — it never skips.

mod common;

use axum::http::StatusCode;
use common::{CLIENT, PASSWORD, get, ingest_samples, post, sign_in};
use plantrack_store::Store;

fn pg_url() -> String {
    std::env::var("PLANTRACK_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// A fresh schema of the test database, and its URL.
async fn database() -> String {
    let schema = format!("plantrack_two_servers_{}", std::process::id());
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&pg_url())
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {} is unreachable: {e}", pg_url()));
    for sql in [
        format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
        format!("CREATE SCHEMA {schema}"),
    ] {
        sqlx::query(&sql).execute(&admin).await.unwrap();
    }
    admin.close().await;
    let sep = if pg_url().contains('?') { '&' } else { '?' };
    format!("{}{sep}options=-c%20search_path%3D{schema}", pg_url())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_share_sessions_the_limiter_and_the_ledger() {
    let url = database().await;
    // Two processes' worth of state: a pool and caches each.
    let store_a = Store::open(&url).await.unwrap();
    let store_b = Store::open(&url).await.unwrap();
    ingest_samples(&store_a, &["003"]).await;
    let hash = plantrack_web::auth::hash_password(PASSWORD);
    store_a
        .add_user("li", &hash, "supervisor", &[], "test")
        .await
        .unwrap();
    store_a
        .add_user(
            "zhang",
            &hash,
            "reporter",
            &["市科技局".to_string()],
            "test",
        )
        .await
        .unwrap();
    let lexicon = plantrack_evaluate::Lexicon::built_in;
    let a = plantrack_web::app(store_a.clone(), lexicon());
    let b = plantrack_web::app(store_b.clone(), lexicon());

    // Signed in on A, known on B.
    let got = sign_in(&a, "li", PASSWORD, CLIENT).await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.text());
    let cookie = got.cookie();
    let me = get(&b, "/me", Some(&cookie)).await;
    assert_eq!(me.status, StatusCode::OK, "B knows A's session");
    assert!(me.text().contains("id=\"who\">li"), "signed in as li on B");

    // A guesser: five wrong passwords through A, the sixth try through B is refused, though
    // B never saw the first five; another address still signs in on either.
    let guesser = "203.0.113.7:5000";
    for _ in 0..plantrack_web::auth::MAX_FAILURES {
        let got = sign_in(&a, "zhang", "wrong", guesser).await;
        assert_eq!(got.status, StatusCode::UNAUTHORIZED);
    }
    let refused = sign_in(&b, "zhang", PASSWORD, guesser).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "B refuses A's guesser"
    );
    let office = sign_in(&b, "zhang", PASSWORD, "198.51.100.20:6000").await;
    assert_eq!(
        office.status,
        StatusCode::SEE_OTHER,
        "another address signs in"
    );

    // Signing out on B ends the session on A.
    let page = get(&b, "/me", Some(&cookie)).await.text();
    let at = page
        .find("name=\"csrf\" value=\"")
        .expect("a form with a token")
        + 19;
    let csrf = page[at..at + 32].to_string();
    let out = post(&b, "/logout", Some(&cookie), format!("csrf={csrf}"), CLIENT).await;
    assert!(out.status.is_redirection(), "{}", out.status);
    let after = get(&a, "/me", Some(&cookie)).await;
    assert!(
        !after.text().contains("id=\"who\">li"),
        "A no longer knows the session ended on B"
    );

    // The ledger: A has served its pages; a document ingested through B reaches A's pages once
    // A's cache rechecks the store's version.
    let before = get(&a, "/documents", None).await.text();
    assert!(
        !before.contains("政府工作报告"),
        "the work report is not there yet"
    );
    ingest_samples(&store_b, &["001"]).await;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let now = get(&a, "/documents", None).await.text();
    assert!(
        now.contains("天津市2024年政府工作报告"),
        "A shows what B ingested"
    );
}
