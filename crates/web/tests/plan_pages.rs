//! Issue 15, items 4 and 5: the five-year plan's table by its groups, an indicator's page (a
//! five-year total, a five-year average, a binding level), and a metric's history over real
//! State Council reports, each page's charts with their data as tables that read without
//! JavaScript, and the JSON of each at its `/api` path.
//!
//! The seeds are the samples (`samples/tianjin`); where they have no yearly figure for an
//! indicator, an office's table of figures is imported the way `plantrack import` does, so that
//! the figures arrive by the product's own path.

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use plantrack_extract::{Hints, Origin};
use plantrack_store::Store;

/// The samples, plus an office's table of figures (`rows`, header first) when given.
async fn seeds_with(rows: &[&str]) -> Arc<plantrack_web::App> {
    let store = common::samples().await;
    if !rows.is_empty() {
        let table: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.split(',').map(str::to_string).collect())
            .collect();
        let (text, x) =
            plantrack_extract::import::results_from_rows(&table, "统计数据.csv").unwrap();
        store.ingest("统计数据.csv", &text, &x).await.unwrap();
    }
    plantrack_web::app_always_fresh(store, plantrack_evaluate::Lexicon::built_in())
}

/// State Council work reports of the real corpus, read as `plantrack ingest` reads them.
async fn national(years: &[&str]) -> Arc<plantrack_web::App> {
    let store = Store::open("sqlite::memory:").await.unwrap();
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../extract/tests/corpus/national");
    for y in years {
        let text = std::fs::read_to_string(dir.join(format!("{y}.txt"))).unwrap();
        let x = plantrack_extract::extract(&text, Origin::default(), &Hints::default());
        store
            .ingest(&format!("national/{y}.txt"), &text, &x)
            .await
            .unwrap();
    }
    plantrack_web::app_always_fresh(store, plantrack_evaluate::Lexicon::built_in())
}

const HEADER: &str = "地区,年份,指标,数值,单位,口径,来源";

async fn get(app: &Arc<plantrack_web::App>, uri: &str) -> (StatusCode, String) {
    let got = common::get(app, uri, None).await;
    (got.status, got.text())
}

async fn page(app: &Arc<plantrack_web::App>, uri: &str) -> String {
    let (status, body) = get(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    body
}

async fn json(app: &Arc<plantrack_web::App>, uri: &str) -> serde_json::Value {
    serde_json::from_str(&page(app, uri).await).unwrap()
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'_' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The page's text without its markup, entities read (`&#34;` and the like left alone: only
/// the ones askama writes for text).
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut tag = false;
    for c in html.chars() {
        match c {
            '<' => tag = true,
            '>' => tag = false,
            _ if !tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#37;", "%").replace("&#38;", "&")
}

/// The key of the five-year plan's document, from the links of `/plan`.
async fn plan_doc(app: &Arc<plantrack_web::App>) -> i64 {
    let html = page(app, "/plan").await;
    let at = html
        .find("href=\"/plan/")
        .expect("/plan links its indicators");
    let rest = &html[at + "href=\"/plan/".len()..];
    rest[..rest.find('/').unwrap()].parse().unwrap()
}

/// The options of every chart of a page (the `data-chart` attributes), parsed.
fn charts(html: &str) -> Vec<serde_json::Value> {
    html.match_indices("data-chart=\"")
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            let raw = &rest[..rest.find('"').unwrap()];
            let raw = raw
                .replace("&#34;", "\"")
                .replace("&quot;", "\"")
                .replace("&#38;", "&")
                .replace("&amp;", "&")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">");
            serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{e}: {raw}"))
        })
        .collect()
}

/// The rows of a page's chart-data tables: each row's cells as text.
fn chart_rows(html: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for (at, _) in html.match_indices("<table class=\"chart-data\">") {
        let table = &html[at..at + html[at..].find("</table>").unwrap()];
        let body = &table[table.find("<tbody>").unwrap()..];
        for tr in body.split("<tr>").skip(1) {
            let tr = tr.split("</tr>").next().unwrap_or("");
            let pieces: Vec<&str> = tr.split("</t").collect();
            // Each piece but the last ends a cell: its text follows the last `>`.
            let cells = pieces[..pieces.len().saturating_sub(1)]
                .iter()
                .map(|c| text(&c[c.rfind('>').map_or(0, |i| i + 1)..]))
                .collect();
            rows.push(cells);
        }
    }
    rows
}

/// Every chart of a page has its data as a table beside it: no figure is only on a canvas.
fn every_chart_has_its_table(html: &str, what: &str) {
    let drawn = html.matches("data-chart=\"").count();
    let tables = html.matches("<table class=\"chart-data\">").count();
    assert!(drawn > 0, "{what}: a chart");
    assert_eq!(drawn, tables, "{what}: one data table a chart");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plan_lists_its_indicators_by_the_tables_groups() {
    let app = seeds_with(&[]).await;
    let html = page(&app, "/plan").await;
    let t = text(&html);
    // The five groups as the document names them, in its order, each a heading row.
    let groups = ["经济发展", "创新驱动", "绿色生态", "民生福祉", "安全保障"];
    let at: Vec<usize> = groups
        .iter()
        .map(|g| {
            html.find(&format!("<th colspan=\"8\" scope=\"rowgroup\">{g}</th>"))
                .unwrap_or_else(|| panic!("group {g}"))
        })
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "groups in the table's order"
    );
    // Every indicator with its attribute; the eight binding ones marked.
    assert_eq!(html.matches("<tr id=\"ind").count(), 25);
    assert_eq!(html.matches("class=\"binding\"").count(), 8);
    assert_eq!(
        html.matches("<strong class=\"attr binding\">约束性</strong>")
            .count(),
        8
    );
    assert_eq!(
        html.matches("<span class=\"attr\">预期性</span>").count(),
        17
    );
    assert!(t.contains("主要指标25项，其中约束性指标8项"), "{t}");
    // Baseline, latest with its year, target, status in words.
    assert!(t.contains("3.8%（2016—2020年平均）"), "{t}");
    assert!(t.contains("6%左右（2021—2025年平均）"));
    assert!(t.contains("17%（2016—2020年累计）"));
    assert!(t.contains("15%（2021—2025年累计）"));
    assert!(t.contains("11000家（2023年）"));
    assert!(t.contains("30%以上（2025年）"));
    assert!(t.contains("正常推进") && t.contains("需加快") && t.contains("已达目标"));
    // The traps: no stray asterisk, no bracket left in a number.
    assert!(!t.contains("6*左右") && !t.contains("〔15〕"), "{t}");
    // Each indicator links its page.
    let doc = plan_doc(&app).await;
    for seq in 1..=25 {
        assert!(
            html.contains(&format!("href=\"/plan/{doc}/{seq}\"")),
            "link {seq}"
        );
    }
    every_chart_has_its_table(&html, "/plan");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_average_indicator_is_yearly_figures_against_its_mean() {
    let app = seeds_with(&[
        HEADER,
        "天津市,2021,地区生产总值,6.6,%,增速,天津市2021年统计公报",
    ])
    .await;
    let doc = plan_doc(&app).await;
    let html = page(&app, &format!("/plan/{doc}/1")).await;
    let t = text(&html);
    assert!(
        t.contains("经济发展") && t.contains("预期性（引导方向）"),
        "{t}"
    );
    // The aggregation in words.
    assert!(
        t.contains("*为五年平均数") && t.contains("不是2020年一年的数值"),
        "{t}"
    );
    // The status with its inputs, each named; the ratio explained.
    assert!(t.contains("2个年度数值的平均值为5.4%"), "{t}");
    assert!(t.contains("平均值 ÷ 目标平均值"), "{t}");
    assert!(t.contains("其余年度需平均") && t.contains("6.4%"), "{t}");
    // Every yearly figure with its source: the document's title, linked to the sentence.
    assert!(t.contains("天津市2024年政府工作报告") && t.contains("全市地区生产总值增长4.3%"));
    assert!(html.contains("href=\"/documents/"), "{html}");
    assert!(
        !t.contains("001_52f7147cf002561a.txt"),
        "a title, never a file name"
    );
    // The chart: the plan's five years, yearly bars against the target mean, from zero. The
    // trap: 3.8 (2016–2020's average) is no point of it.
    let c = &charts(&html)[0];
    assert_eq!(c["xAxis"]["data"][0], "2021");
    assert_eq!(c["yAxis"]["min"], 0.0);
    assert!(!c.to_string().contains("3.8"), "{c}");
    every_chart_has_its_table(&html, "indicator 1");
    let rows = chart_rows(&html);
    assert!(
        rows.iter().any(|r| r[0] == "2021" && r[1] == "6.6"),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r[0] == "2023" && r[1] == "4.3" && r[2] == "5.4"),
        "{rows:?}"
    );
    // The yearly targets of the plan's years, and the metric's history.
    assert!(t.contains("4%左右") && t.contains("4.5%左右"), "{t}");
    assert!(
        html.contains("id=\"history-link\" href=\"/history?metric="),
        "{html}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cumulative_indicator_is_a_running_total_against_its_target() {
    // Without a yearly figure the page still says what the indicator is.
    let app = seeds_with(&[]).await;
    let doc = plan_doc(&app).await;
    let t = text(&page(&app, &format!("/plan/{doc}/12")).await);
    assert!(
        t.contains("〔 〕内为五年累计数") && t.contains("逐年连乘"),
        "{t}"
    );
    assert!(t.contains("暂无年度数据"), "{t}");
    // With the statistics bureau's falls of energy intensity.
    let app = seeds_with(&[
        HEADER,
        "天津市,2021,单位地区生产总值能源消耗,-3.2,%,增速,统计公报",
        "天津市,2022,单位地区生产总值能源消耗,-3.1,%,增速,统计公报",
    ])
    .await;
    let doc = plan_doc(&app).await;
    let html = page(&app, &format!("/plan/{doc}/12")).await;
    let t = text(&html);
    assert!(t.contains("约束性（必须完成）"), "{t}");
    // 1 − 0.968 × 0.969 = 6.2 %, against 1 − 0.85^(2/5) = 6.3 % due.
    assert!(t.contains("累计6.2%"), "{t}");
    assert!(t.contains("应累计6.3%"), "{t}");
    assert!(t.contains("累计完成 ÷ 按进度应累计"), "{t}");
    // A fall is no lower-is-better indicator.
    assert!(!t.contains("越低越好"), "{t}");
    // The trap: 〔17〕 → 〔15〕 is no level falling from 17 to 15.
    let c = &charts(&html)[0];
    assert_eq!(c["xAxis"]["data"][0], "2021");
    assert_eq!(c["yAxis"]["min"], 0.0);
    assert!(!c.to_string().contains("17.0"), "{c}");
    let rows = chart_rows(&html);
    assert!(
        rows.iter().any(|r| r[..3] == ["2022", "3.1", "6.2"]),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|r| r[0] == "2025" && r[3] == "15"),
        "{rows:?}"
    );
    every_chart_has_its_table(&html, "indicator 12");
    // The figure cites the import, its row.
    assert!(
        t.contains("第2行：天津市2021年单位地区生产总值能源消耗"),
        "{t}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_binding_level_with_an_axis_that_does_not_exaggerate() {
    let app = seeds_with(&[
        HEADER,
        "天津市,2022,森林覆盖率,13.3,%,比重,统计公报",
        "天津市,2022,每千人口拥有执业（助理）医师数,3.02,人,总量,统计公报",
    ])
    .await;
    let doc = plan_doc(&app).await;
    let html = page(&app, &format!("/plan/{doc}/16")).await;
    let t = text(&html);
    assert!(
        html.contains("<strong class=\"attr binding\">约束性指标</strong>"),
        "{html}"
    );
    assert!(
        t.contains("约束性（必须完成）") && t.contains("绿色生态"),
        "{t}"
    );
    assert!(
        t.contains("13%（2020年）") && t.contains("13.6%（2025年）"),
        "{t}"
    );
    // The inputs named in Chinese, the ratio explained.
    for label in [
        "实际年均增速",
        "所需年均增速",
        "进度比",
        "实际年均增速 ÷ 所需年均增速",
        "预测（2025年）",
    ] {
        assert!(t.contains(label), "{label}: {t}");
    }
    every_chart_has_its_table(&html, "indicator 16");
    // 3.01 → 3.03: the axis spans at least a tenth of the values, so 0.02 is no climb.
    let html = page(&app, &format!("/plan/{doc}/21")).await;
    let y = &charts(&html)[0]["yAxis"];
    let span = y["max"].as_f64().unwrap() - y["min"].as_f64().unwrap();
    assert!(0.02 / span <= 0.1, "{y}");
    // Whole numbers stay whole: 国家高新技术企业数量's projection.
    let t = text(&page(&app, &format!("/plan/{doc}/7")).await);
    assert!(t.contains("14302家") && !t.contains("14301.62"), "{t}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_indicator_json_is_what_openapi_describes() {
    let app = seeds_with(&[]).await;
    let doc = plan_doc(&app).await;
    let spec = json(&app, "/openapi.json").await;
    assert!(spec["paths"].get("/api/plan/{document}/{seq}").is_some());
    assert!(spec["paths"].get("/api/history").is_some());
    let props = |name: &str| {
        let mut p: Vec<String> = spec["components"]["schemas"][name]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{name}"))
            .keys()
            .cloned()
            .collect();
        p.sort();
        p
    };
    let keys = |v: &serde_json::Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    let one = json(&app, &format!("/api/plan/{doc}/1")).await;
    assert_eq!(keys(&one), props("IndicatorJson"));
    assert_eq!(one["indicator"]["category"], "经济发展");
    assert_eq!(one["indicator"]["aggregation"], "five_year_average");
    assert_eq!(one["baseline_period"], serde_json::json!([2016, 2020]));
    let twelve = json(&app, &format!("/api/plan/{doc}/12")).await;
    assert_eq!(twelve["accumulation"], "compound");
    assert_eq!(twelve["indicator"]["attribute"], "binding");
    assert_eq!(
        get(&app, &format!("/api/plan/{doc}/99")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, &format!("/plan/{doc}/99")).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_metrics_history_over_real_state_council_reports() {
    // Three consecutive reports: each sets its year's targets and reviews the year before.
    let app = national(&["2022", "2023", "2024"]).await;
    let gdp = format!(
        "metric={}&region={}&measure=growth_rate",
        enc("国内生产总值"),
        enc("全国")
    );
    let html = page(&app, &format!("/history?{gdp}")).await;
    let t = text(&html);
    let row = |year: &str| {
        let at = html
            .find(&format!("<tr id=\"y{year}\">"))
            .unwrap_or_else(|| panic!("{year}"));
        text(&html[at..at + html[at..].find("</tr>").unwrap()])
    };
    // 2022: 5.5 % about, 3 % reported a year later.
    let r = row("2022");
    assert!(
        r.contains("5.5%左右") && r.contains("3%") && r.contains("未完成"),
        "{r}"
    );
    // 2023: 5 % about, 5.2 % reported.
    let r = row("2023");
    assert!(
        r.contains("5%左右") && r.contains("5.2%") && r.contains("已完成"),
        "{r}"
    );
    // 2024: set, not yet reported on in this ledger.
    let r = row("2024");
    assert!(r.contains("5%左右") && r.contains("无数据"), "{r}");
    // Sources by title, linked.
    assert!(html.contains("href=\"/items/quantity/") && html.contains("href=\"/documents/"));
    assert!(!t.contains("2023.txt"), "{t}");
    // The trap: energy intensity (单位国内生产总值能耗) is another metric's history.
    assert!(!t.contains("能耗"), "{t}");
    // The chart, from zero (growth rates), and its data as a table.
    every_chart_has_its_table(&html, "/history");
    let c = &charts(&html)[0];
    assert_eq!(c["yAxis"]["min"], 0.0);
    let rows = chart_rows(&html);
    assert!(
        rows.iter().any(|r| r[..3] == ["2022", "5.5", "3"]),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|r| r[..3] == ["2023", "5", "5.2"]),
        "{rows:?}"
    );
    // Linked from the target rows of a year.
    let targets = page(&app, &format!("/targets?year=2023&region={}", enc("全国"))).await;
    assert!(
        targets.contains(&format!("href=\"/history?{}", gdp.replace('&', "&#38;"))),
        "{targets}"
    );
    // The JSON, as openapi.json says.
    let j = json(&app, &format!("/api/history?{gdp}")).await;
    let spec = json(&app, "/openapi.json").await;
    let props = |name: &str| {
        let mut p: Vec<String> = spec["components"]["schemas"][name]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        p.sort();
        p
    };
    let keys = |v: &serde_json::Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&j), props("HistoryJson"));
    let years = j["years"].as_array().unwrap();
    assert_eq!(keys(&years[0]), props("HistoryYearJson"));
    let y2023 = years.iter().find(|y| y["year"] == 2023).unwrap();
    assert_eq!(y2023["verdict"]["status"], "achieved");
    assert_eq!(y2023["verdict"]["actual"]["value"], 5.2);
    // Bad input gets a clear Chinese error.
    let (status, body) = get(&app, "/history?metric=x&measure=bogus").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("不是已知的口径"), "{body}");
    let (status, body) = get(&app, "/api/history").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("缺少 metric"), "{body}");
    // Without a metric, the page asks for one (a form that works without JavaScript).
    let t = text(&page(&app, "/history").await);
    assert!(t.contains("输入一个指标"), "{t}");
}
