//! What the web's test files share: the samples ingested into a store, and requests through the
//! router with their answers. (Each test file uses a part of it.)
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use plantrack_extract::{Hints, Origin};
use plantrack_store::Store;
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery";

/// The samples (`samples/tianjin`) whose file names start with one of `prefixes` (all of them
/// when empty), each read and ingested as `plantrack ingest` does.
pub async fn ingest_samples(store: &Store, prefixes: &[&str]) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/tianjin");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            prefixes.is_empty() || prefixes.iter().any(|x| name.starts_with(x))
        })
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let x = plantrack_extract::extract(&text, Origin::default(), &Hints::default());
        let source = format!(
            "samples/tianjin/{}",
            f.file_name().unwrap().to_string_lossy()
        );
        store.ingest(&source, &text, &x).await.unwrap();
    }
}

/// An in-memory store with every sample.
pub async fn samples() -> Store {
    let store = Store::open("sqlite::memory:").await.unwrap();
    ingest_samples(&store, &[]).await;
    store
}

/// An answer: status, headers and body.
pub struct Got {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Got {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The session cookie a sign-in set.
    pub fn cookie(&self) -> String {
        self.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string()
    }
}

/// A request through the router, as from a client at `from`.
pub async fn send(app: &Arc<plantrack_web::App>, mut req: Request<Body>, from: &str) -> Got {
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
    let body = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Got {
        status,
        headers,
        body,
    }
}

pub const CLIENT: &str = "192.0.2.10:4000";

pub async fn get(app: &Arc<plantrack_web::App>, uri: &str, cookie: Option<&str>) -> Got {
    let mut r = Request::builder().uri(uri);
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    send(app, r.body(Body::empty()).unwrap(), CLIENT).await
}

/// A form posted to this site.
pub async fn post(
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

/// A sign-in with `password`, from `from`.
pub async fn sign_in(app: &Arc<plantrack_web::App>, name: &str, password: &str, from: &str) -> Got {
    let body = format!("name={name}&password={}", password.replace(' ', "+"));
    post(app, "/login", None, body, from).await
}
