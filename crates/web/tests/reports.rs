//! The report drafts on the web: for signed-in users only, as a printable page whose notes link
//! to the sentences in the viewer, or as a DOCX download named by the report's title; linked from
//! the pages they summarise (overview, plan, units).

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use plantrack_extract::{Hints, Origin};
use plantrack_store::Store;
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery";

async fn app() -> Arc<plantrack_web::App> {
    let store = Store::open("sqlite::memory:").await.unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/tianjin");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
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
    let hash = plantrack_web::auth::hash_password(PASSWORD);
    store
        .add_user("li", &hash, "supervisor", &[], "test")
        .await
        .unwrap();
    plantrack_web::app_always_fresh(store, plantrack_evaluate::Lexicon::built_in())
}

struct Got {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Got {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn send(app: &Arc<plantrack_web::App>, req: Request<Body>) -> Got {
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

async fn get(app: &Arc<plantrack_web::App>, uri: &str, cookie: Option<&str>) -> Got {
    let mut r = Request::builder().uri(uri);
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    send(app, r.body(Body::empty()).unwrap()).await
}

async fn login(app: &Arc<plantrack_web::App>) -> String {
    let body = format!("name=li&password={}", PASSWORD.replace(' ', "+"));
    let got = send(
        app,
        Request::builder()
            .method("POST")
            .uri("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "plantrack.test")
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.text());
    let set = got.headers[header::SET_COOKIE].to_str().unwrap();
    set.split(';').next().unwrap().to_string()
}

#[tokio::test]
async fn reports_are_for_signed_in_users_and_cite_their_sources() {
    let app = app().await;
    // Anonymous: sent to sign in, and no link to a report on the pages.
    let anon = get(&app, "/reports/annual?year=2023&region=天津市", None).await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
    assert!(
        anon.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/login?next=")
    );
    let home = get(&app, "/?year=2023&region=天津市", None).await.text();
    assert!(!home.contains("/reports/"));

    let cookie = login(&app).await;
    for (page, kind) in [
        ("/?year=2023&region=天津市", "annual"),
        ("/plan?year=2023&region=天津市", "midterm"),
        ("/units?year=2023&region=天津市", "bulletin"),
    ] {
        let html = get(&app, page, Some(&cookie)).await.text();
        assert!(
            html.contains(&format!("/reports/{kind}?year=2023&#38;region=")),
            "{page} links to its {kind} report"
        );
    }

    let page = get(
        &app,
        "/reports/annual?year=2023&region=%E5%A4%A9%E6%B4%A5%E5%B8%82&as_of=2024-03-01",
        Some(&cookie),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers[header::CACHE_CONTROL], "private, no-store");
    let html = page.text();
    assert!(html.contains("<h1>天津市2023年国民经济和社会发展计划执行情况监测报告</h1>"));
    assert!(html.contains("地区生产总值增长4.3%"));
    // Notes name documents by title and link to the sentence in the viewer.
    assert!(
        html.contains("《天津市2024年政府工作报告》"),
        "a title made for the untitled work report"
    );
    assert!(html.contains("href=\"/documents/"));
    assert!(!html.contains(".txt"), "no file name where a title belongs");

    let docx = get(
        &app,
        "/reports/bulletin?year=2023&region=%E5%A4%A9%E6%B4%A5%E5%B8%82&format=docx",
        Some(&cookie),
    )
    .await;
    assert_eq!(docx.status, StatusCode::OK);
    let disposition = docx.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.starts_with("attachment; filename=\"plantrack-bulletin-2023.docx\""));
    assert!(disposition.contains("filename*=UTF-8''"));
    let text = plantrack_read_docx(&docx.body);
    assert!(text.contains("关于天津市2023年重点工作任务推进情况的督查通报"));
    assert!(text.contains("市发展改革委"));

    let bad = get(&app, "/reports/annual?year=2023&format=pdf", Some(&cookie)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        get(&app, "/reports/weekly", Some(&cookie)).await.status,
        StatusCode::NOT_FOUND
    );
}

/// The text of a DOCX's paragraphs (the web crate's tests have no reader of their own).
fn plantrack_read_docx(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml.split("<w:t")
        .skip(1)
        .filter_map(|t| Some(&t[t.find('>')? + 1..t.find("</w:t>")?]))
        .collect()
}
