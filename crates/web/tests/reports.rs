//! The report drafts on the web: for signed-in users only, as a printable page whose notes link
//! to the sentences in the viewer, or as a DOCX download named by the report's title; linked from
//! the pages they summarise (overview, plan, units).

mod common;

use std::sync::Arc;

use axum::http::{StatusCode, header};
use common::{CLIENT, PASSWORD, get, samples, sign_in};

async fn app() -> Arc<plantrack_web::App> {
    let store = samples().await;
    let hash = plantrack_web::auth::hash_password(PASSWORD);
    store
        .add_user("li", &hash, "supervisor", &[], "test")
        .await
        .unwrap();
    plantrack_web::app_always_fresh(store, plantrack_evaluate::Lexicon::built_in())
}

async fn login(app: &Arc<plantrack_web::App>) -> String {
    let got = sign_in(app, "li", PASSWORD, CLIENT).await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.text());
    got.cookie()
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
