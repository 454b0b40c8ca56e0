//! Regions as a hierarchy on the web: a region's page links up and down, and the comparison of
//! the regions under a parent (the city's targets for its districts against their results,
//! achievement, task completion), sortable and downloadable.

mod common;

use std::sync::Arc;

use axum::http::StatusCode;

async fn app() -> Arc<plantrack_web::App> {
    plantrack_web::app_always_fresh(
        common::samples().await,
        plantrack_evaluate::Lexicon::built_in(),
    )
}

async fn get(app: &Arc<plantrack_web::App>, uri: &str) -> (StatusCode, String) {
    let got = common::get(app, uri, None).await;
    (got.status, got.text())
}

const CITY: &str = "%E5%A4%A9%E6%B4%A5%E5%B8%82"; // 天津市
const XIQING: &str = "%E8%A5%BF%E9%9D%92%E5%8C%BA"; // 西青区

#[tokio::test]
async fn the_regions_under_a_city_side_by_side() {
    let app = app().await;
    let (status, html) = get(&app, &format!("/regions/{CITY}/compare?year=2023")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    // The city's 2023 growth target for 西青区 (专栏6: 5%) against the district's own review
    // (about 3%): not achieved, shown first (most shortfalls first by default).
    let first_row = &html[html.find("<tbody>").unwrap()..];
    let first_row = &first_row[..first_row.find("</tr>").unwrap()];
    assert!(first_row.contains("西青区"), "{first_row}");
    assert!(
        first_row.contains("5%") && first_row.contains("3%左右（预计）"),
        "{first_row}"
    );
    assert!(first_row.contains("未完成"), "{first_row}");
    // Every district the city named is there, those without results say so.
    for d in ["滨海新区", "河西区", "武清区", "北辰区", "和平区"] {
        assert!(html.contains(d), "{d}");
    }
    assert!(html.contains("无数据"));

    // The same as JSON and CSV.
    let (status, json) = get(&app, &format!("/api/regions/{CITY}/compare?year=2023")).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    let xiqing = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["region"] == "西青区")
        .expect("西青区 in the JSON");
    assert_eq!(xiqing["set_by_parent"][0]["status"], "not_achieved");
    assert_eq!(xiqing["achievement"], 0.0);
    let (_, csv) = get(
        &app,
        &format!("/api/regions/{CITY}/compare?year=2023&format=csv&by=name"),
    )
    .await;
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert!(
        lines[0].contains("地区") || lines[0].contains("region"),
        "{}",
        lines[0]
    );
    let names: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "by=name sorts by name");

    // Sort links work without JavaScript; a bad order and an unknown region are refused.
    assert!(html.contains("by=achievement"));
    let (status, _) = get(&app, &format!("/regions/{CITY}/compare?year=2023&by=luck")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = get(&app, "/regions/%E7%81%AB%E6%98%9F/compare?year=2023").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_regions_page_links_up_and_down() {
    let app = app().await;
    let (_, district) = get(&app, &format!("/regions/{XIQING}?year=2023")).await;
    assert!(district.contains("id=\"region-up\""), "西青区 links up");
    assert!(district.contains(&format!("/regions/{CITY}?year=2023")));
    assert!(
        !district.contains("id=\"region-compare\""),
        "a district has nothing below"
    );
    let (_, city) = get(&app, &format!("/regions/{CITY}?year=2023")).await;
    assert!(city.contains("id=\"region-compare\""));
    assert!(city.contains(&format!("/regions/{CITY}/compare?year=2023")));
    assert!(
        city.contains(&format!("/regions/{XIQING}?year=2023")),
        "the city links down"
    );
    // The comparison of the districts links to the level above when there is one.
    let (_, compare) = get(&app, &format!("/regions/{CITY}/compare?year=2023")).await;
    assert!(
        !compare.contains("id=\"compare-up\""),
        "天津市 has no parent in the ledger"
    );
}
