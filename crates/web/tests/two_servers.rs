//! Several web processes on one PostgreSQL database, as behind a load balancer: two apps, each
//! with its own connection pool and caches, share sessions, the sign-in limiter and the ledger.
//! A user signed in on one is signed in on the other; a guesser refused by one is refused by the
//! other; signing out on one ends the session on both; a document ingested through one is on the
//! other's pages once its cache rechecks the store.
//!
//! PostgreSQL comes from `PLANTRACK_TEST_PG` (default `postgres://postgres@127.0.0.1:5432/test`);
//! when it cannot be reached the test fails — it never skips.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use plantrack_extract::{Hints, Origin};
use plantrack_store::Store;
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery";

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

fn sample(prefix: &str) -> (String, String) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/tianjin");
    let f = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap();
    (
        format!(
            "samples/tianjin/{}",
            f.file_name().unwrap().to_string_lossy()
        ),
        std::fs::read_to_string(&f).unwrap(),
    )
}

async fn ingest(store: &Store, prefix: &str) {
    let (source, text) = sample(prefix);
    let x = plantrack_extract::extract(&text, Origin::default(), &Hints::default());
    store.ingest(&source, &text, &x).await.unwrap();
}

struct Got {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn send(app: &Arc<plantrack_web::App>, mut req: Request<Body>, from: &str) -> Got {
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo::<SocketAddr>(
            from.parse().unwrap(),
        ));
    let resp = plantrack_web::router(app.clone())
        .oneshot(req)
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body =
        String::from_utf8_lossy(&resp.into_body().collect().await.unwrap().to_bytes()).into_owned();
    Got {
        status,
        headers,
        body,
    }
}

async fn get(app: &Arc<plantrack_web::App>, uri: &str, cookie: Option<&str>) -> Got {
    let mut r = Request::builder().uri(uri);
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    send(app, r.body(Body::empty()).unwrap(), "192.0.2.10:4000").await
}

async fn post(
    app: &Arc<plantrack_web::App>,
    uri: &str,
    cookie: Option<&str>,
    body: String,
    from: &str,
) -> Got {
    let mut r = Request::builder()
        .method("POST")
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "plantrack.test");
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    send(app, r.body(Body::from(body)).unwrap(), from).await
}

async fn sign_in(app: &Arc<plantrack_web::App>, name: &str, password: &str, from: &str) -> Got {
    let body = format!("name={name}&password={}", password.replace(' ', "+"));
    post(app, "/login", None, body, from).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_share_sessions_the_limiter_and_the_ledger() {
    let url = database().await;
    // Two processes' worth of state: a pool and caches each.
    let store_a = Store::open(&url).await.unwrap();
    let store_b = Store::open(&url).await.unwrap();
    ingest(&store_a, "003").await;
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
    let got = sign_in(&a, "li", PASSWORD, "192.0.2.10:4000").await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    let cookie = got.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let me = get(&b, "/me", Some(&cookie)).await;
    assert_eq!(me.status, StatusCode::OK, "B knows A's session");
    assert!(me.body.contains("id=\"who\">li"), "signed in as li on B");

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
    let page = get(&b, "/me", Some(&cookie)).await.body;
    let at = page
        .find("name=\"csrf\" value=\"")
        .expect("a form with a token")
        + 19;
    let csrf = page[at..at + 32].to_string();
    let out = post(
        &b,
        "/logout",
        Some(&cookie),
        format!("csrf={csrf}"),
        "192.0.2.10:4000",
    )
    .await;
    assert!(out.status.is_redirection(), "{}", out.status);
    let after = get(&a, "/me", Some(&cookie)).await;
    assert!(
        !after.body.contains("id=\"who\">li"),
        "A no longer knows the session ended on B"
    );

    // The ledger: A has served its pages; a document ingested through B reaches A's pages once
    // A's cache rechecks the store's version.
    let before = get(&a, "/documents", None).await.body;
    assert!(
        !before.contains("政府工作报告"),
        "the work report is not there yet"
    );
    ingest(&store_b, "001").await;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let now = get(&a, "/documents", None).await.body;
    assert!(
        now.contains("天津市2024年政府工作报告"),
        "A shows what B ingested"
    );
}
