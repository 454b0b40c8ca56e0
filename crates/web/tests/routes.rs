//! Every route of the web app on the samples, through the router (no network): status, content,
//! cache headers, errors, downloads, and the API against its `openapi.json`.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use plantrack_extract::{Hints, Origin};
use plantrack_store::Store;
use tower::ServiceExt;

async fn app() -> Arc<plantrack_web::App> {
    app_from("samples/tianjin/").await
}

/// The samples, ingested as if read from files under `dir` on the server.
async fn app_from(dir_name: &str) -> Arc<plantrack_web::App> {
    app_from_over(dir_name, plantrack_web::auth::Transport::default()).await
}

/// The same, for an office whose settings are `transport`'s.
async fn app_from_over(
    dir_name: &str,
    transport: plantrack_web::auth::Transport,
) -> Arc<plantrack_web::App> {
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
        let source = format!("{dir_name}{}", f.file_name().unwrap().to_string_lossy());
        store.ingest(&source, &text, &x).await.unwrap();
    }
    plantrack_web::app_always_fresh_over(store, plantrack_evaluate::Lexicon::built_in(), transport)
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

async fn get(app: &Arc<plantrack_web::App>, uri: &str) -> Got {
    get_with(app, uri, None).await
}

async fn get_with(app: &Arc<plantrack_web::App>, uri: &str, etag: Option<&str>) -> Got {
    let mut req = Request::builder().uri(uri);
    if let Some(e) = etag {
        req = req.header(header::IF_NONE_MATCH, e);
    }
    let resp = plantrack_web::router(app.clone())
        .oneshot(req.body(Body::empty()).unwrap())
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

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_answers_with_its_content() {
    let app = app().await;
    let as_of = "as_of=2024-03-01";
    for (uri, must) in [
        (
            format!("/?{as_of}"),
            vec!["天津市", "2023", "chart-verdicts", "国家高新技术企业数量"],
        ),
        (
            format!("/targets?{as_of}"),
            vec!["地区生产总值", "4.3%", "5G基站", "未完成"],
        ),
        (
            format!("/targets?status=not_achieved&{as_of}"),
            vec!["南港120万吨乙烯"],
        ),
        // Reasons in the page's language.
        (
            "/plan".into(),
            vec!["国家高新技术企业数量", "年均14.02%", "data-chart"],
        ),
        ("/plan?lang=en".into(), vec!["14.02 % a year"]),
        (
            format!("/targets?{as_of}"),
            vec!["达到目标：不低于", "该指标在此地区、此年度没有报告结果"],
        ),
        (
            format!("/targets?lang=en&{as_of}"),
            vec!["meets target at least"],
        ),
        (
            format!("/tasks?{as_of}"),
            vec!["市发展改革委", "逾期", "已完成"],
        ),
        (format!("/tasks?status=completed&{as_of}"), vec!["已完成"]),
        (format!("/units?{as_of}"), vec!["市发展改革委", "完成率"]),
        (
            "/warnings?as_of=2023-06-15".into(),
            vec!["预警", "即将到期", "市国防动员办公室", "6月底前完成"],
        ),
        ("/warnings?as_of=2024-01-05".into(), vec!["逾期未反馈 5 天"]),
        (format!("/leaders?{as_of}"), vec!["分管领导"]),
        (format!("/regions?{as_of}"), vec!["西青区"]),
        (
            format!("/units/{}?{as_of}", enc("市科技局")),
            vec!["市科技局", "重点工作"],
        ),
        (
            format!("/regions/{}?year=2023&{as_of}", enc("西青区")),
            vec!["西青区", "未完成"],
        ),
        ("/documents".into(), vec!["规划纲要", "政府工作报告"]),
        (
            "/documents/2".into(),
            vec!["<mark class=\"q actual\"", "id=\"b11381\""],
        ),
        (
            "/items/quantity/2/11381".into(),
            vec!["5G基站", "7.2万个", "/documents/1#b3048"],
        ),
        (
            format!("/tasks/4/1?{as_of}"),
            vec!["地区生产总值", "已完成"],
        ),
        (
            format!("/search?q={}", enc("高新技术企业")),
            vec!["001_52f7147cf002561a.txt"],
        ),
        ("/?lang=en".into(), vec!["Overview", "lang=\"en\"", "中文"]),
        ("/openapi.json".into(), vec!["\"openapi\"", "/api/targets"]),
        (
            "/assets/vendor/echarts/echarts.min.js".into(),
            vec!["echarts"],
        ),
        (
            "/assets/vendor/echarts/LICENSE".into(),
            vec!["Apache License"],
        ),
    ] {
        let got = get(&app, &uri).await;
        assert_eq!(got.status, StatusCode::OK, "{uri}");
        let text = got.text();
        for m in must {
            assert!(text.contains(m), "{uri} lacks {m:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_clear_and_never_a_crash() {
    let app = app().await;
    for (uri, status) in [
        ("/no-such-page", StatusCode::NOT_FOUND),
        ("/documents/999", StatusCode::NOT_FOUND),
        ("/tasks/4/999", StatusCode::NOT_FOUND),
        ("/items/quantity/2/1", StatusCode::NOT_FOUND),
        ("/items/nonsense/2/1", StatusCode::NOT_FOUND),
        ("/units/%E6%B2%A1%E6%9C%89", StatusCode::NOT_FOUND),
        ("/targets?as_of=2023-02-30", StatusCode::BAD_REQUEST),
        ("/api/targets?format=pdf", StatusCode::BAD_REQUEST),
        ("/api/scorecards?by=planet", StatusCode::BAD_REQUEST),
        ("/targets?year=abc", StatusCode::BAD_REQUEST),
        ("/documents/abc", StatusCode::BAD_REQUEST),
    ] {
        assert_eq!(get(&app, uri).await.status, status, "{uri}");
    }
    // Every page's error is the site's page, in Chinese, with its navigation: a query that does
    // not parse included (it was axum's plain English text), a missing page too.
    for (uri, words) in [
        ("/targets?year=abc", "网址中的查询参数有误"),
        ("/tasks/4/17?year=abc", "网址中的查询参数有误"),
        ("/targets?as_of=2023-02-30", "请求有误"),
        ("/no-such-page", "找不到这个页面"),
    ] {
        let page = get(&app, uri).await.text();
        assert!(
            page.contains(words) && page.contains("重点任务"),
            "{uri}: {page}"
        );
    }
    // A year without data is an empty page, not an error.
    let got = get(&app, "/targets?year=1999").await;
    assert_eq!(got.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cache_headers_and_conditional_requests() {
    let app = app().await;
    let first = get(&app, "/targets").await;
    let etag = first.headers[header::ETAG].to_str().unwrap().to_string();
    assert_eq!(first.headers[header::CACHE_CONTROL], "no-cache");
    let again = get_with(&app, "/targets", Some(&etag)).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    // A new document changes the version: the old tag no longer matches.
    let text = "天津市2025年政府工作报告\n一、2024年工作回顾\n全市地区生产总值增长5.1%。\n";
    let x = plantrack_extract::extract(text, Origin::default(), &Hints::default());
    app.data.store.ingest("extra.txt", text, &x).await.unwrap();
    assert_eq!(
        get_with(&app, "/targets", Some(&etag)).await.status,
        StatusCode::OK
    );
    let asset = get(&app, "/assets/app.css").await;
    assert!(
        asset.headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("max-age")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn downloads_of_every_table() {
    let app = app().await;
    for path in [
        "/api/targets",
        "/api/plan",
        "/api/tasks",
        "/api/scorecards",
        "/api/scorecards?by=leader",
    ] {
        let sep = if path.contains('?') { '&' } else { '?' };
        let csv = get(&app, &format!("{path}{sep}format=csv")).await;
        assert_eq!(csv.status, StatusCode::OK, "{path}");
        assert!(
            csv.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let text = csv.text();
        assert!(text.starts_with('\u{feff}'), "{path}: a BOM for Excel");
        assert!(text.lines().count() > 2, "{path}");
        let xlsx = get(&app, &format!("{path}{sep}format=xlsx")).await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert!(
            xlsx.body.starts_with(b"PK\x03\x04"),
            "{path}: an XLSX is a ZIP"
        );
    }
    let tasks = get(&app, "/api/tasks?format=csv").await.text();
    assert!(tasks.contains("序号,主要任务,重点工作,完成时限,分管领导,责任单位,进展,状态"));
    // Downloads speak the page's language: headers and statuses in words, never codes.
    let targets = get(&app, "/api/targets?format=csv&as_of=2024-03-01")
        .await
        .text();
    let head = targets.lines().next().unwrap();
    assert!(
        head.starts_with("\u{feff}状态,地区,指标,目标,结果"),
        "{head}"
    );
    assert!(
        targets.contains("\n已完成,") && !targets.contains("\nachieved,"),
        "{targets}"
    );
    let tasks = get(&app, "/api/tasks?format=csv&as_of=2024-03-01")
        .await
        .text();
    assert!(tasks.contains(",未按期反馈") && !tasks.contains(",unreported"));
    let english = get(&app, "/api/targets?format=csv&as_of=2024-03-01&lang=en")
        .await
        .text();
    assert!(
        english.starts_with("\u{feff}status,region,metric"),
        "{english}"
    );
    assert!(english.contains("\nachieved,"));
    let english = get(&app, "/api/tasks?format=csv&lang=en").await.text();
    assert!(
        english.starts_with("\u{feff}seq,category,task,deadline"),
        "{english}"
    );
}

/// The properties the schema names for an object, sorted.
fn properties(spec: &serde_json::Value, name: &str) -> Vec<String> {
    let mut p: Vec<String> = spec["components"]["schemas"][name]["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("schema {name}"))
        .keys()
        .cloned()
        .collect();
    p.sort();
    p
}

fn keys(v: &serde_json::Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_returns_what_openapi_json_describes() {
    let app = app().await;
    let spec: serde_json::Value =
        serde_json::from_slice(&get(&app, "/openapi.json").await.body).unwrap();
    for path in [
        "/api/overview",
        "/api/targets",
        "/api/plan",
        "/api/tasks",
        "/api/tasks/{document}/{seq}",
        "/api/scorecards",
        "/api/documents",
        "/api/documents/{id}",
        "/api/search",
    ] {
        assert!(spec["paths"].get(path).is_some(), "{path} is not described");
    }
    let json = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).unwrap();
    let first = |v: serde_json::Value| v.as_array().unwrap()[0].clone();
    let as_of = "as_of=2024-03-01";
    for (uri, schema) in [
        (format!("/api/targets?{as_of}"), "VerdictJson"),
        (format!("/api/plan?{as_of}"), "IndicatorJson"),
        (format!("/api/tasks?{as_of}"), "TaskJson"),
        (format!("/api/scorecards?{as_of}"), "ScorecardJson"),
        ("/api/documents".into(), "DocumentJson"),
        (
            format!("/api/search?q={}", enc("地区生产总值")),
            "SearchHitJson",
        ),
    ] {
        let got = first(json(&get(&app, &uri).await.body));
        assert_eq!(
            keys(&got),
            properties(&spec, schema),
            "{uri} against {schema}"
        );
    }
    let overview = json(&get(&app, "/api/overview").await.body);
    assert_eq!(keys(&overview), properties(&spec, "OverviewJson"));
    let task = json(&get(&app, "/api/tasks/4/1").await.body);
    assert_eq!(keys(&task), properties(&spec, "TaskJson"));
    let doc = json(&get(&app, "/api/documents/1").await.body);
    assert_eq!(keys(&doc), properties(&spec, "DocumentTextJson"));
    // The evidence of a verdict: both sentences and where they are.
    let gdp = json(
        &get(
            &app,
            &format!("/api/targets?q={}&status=achieved", enc("地区生产总值")),
        )
        .await
        .body,
    );
    let v = &gdp.as_array().unwrap()[0];
    assert_eq!(v["actual"]["value"], 4.3);
    assert!(v["actual"]["text"].as_str().unwrap().contains("4.3%"));
    assert!(v["target"]["document"]["id"].is_i64());
    // The reason in both languages.
    assert!(
        v["reason"].as_str().unwrap().starts_with("result 4.3%"),
        "{v}"
    );
    assert!(
        v["reason_zh"].as_str().unwrap().starts_with("结果4.3%"),
        "{v}"
    );
}

/// Issue 14: `/api/documents` showed anyone the absolute paths documents were read from on the
/// server. No page, API answer or download names more than the file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_answer_shows_a_server_path() {
    let app = app_from("/srv/plantrack-secret/inbox/").await;
    let as_of = "as_of=2024-03-01";
    let mut uris: Vec<String> = [
        "/",
        "/targets",
        "/plan",
        "/tasks",
        "/tasks/4/1",
        "/warnings",
        "/units",
        "/units/%E5%B8%82%E7%A7%91%E6%8A%80%E5%B1%80",
        "/units/%E5%B8%82%E7%A7%91%E6%8A%80%E5%B1%80/report",
        "/leaders",
        "/regions",
        "/documents",
        "/documents/1",
        "/documents/2",
        "/items/quantity/2/11381",
        "/search?q=%E9%AB%98%E6%96%B0%E6%8A%80%E6%9C%AF%E4%BC%81%E4%B8%9A",
        "/api/overview",
        "/api/targets",
        "/api/plan",
        "/api/tasks",
        "/api/tasks/4/1",
        "/api/scorecards",
        "/api/scorecards?by=leader",
        "/api/scorecards?by=region",
        "/api/documents",
        "/api/documents/1",
        "/api/documents/2",
        "/api/search?q=%E5%9C%B0%E5%8C%BA%E7%94%9F%E4%BA%A7%E6%80%BB%E5%80%BC",
    ]
    .iter()
    .map(|u| {
        let sep = if u.contains('?') { '&' } else { '?' };
        format!("{u}{sep}{as_of}")
    })
    .collect();
    for table in ["targets", "plan", "tasks", "scorecards"] {
        uris.push(format!("/api/{table}?format=csv&{as_of}"));
    }
    for uri in &uris {
        let got = get(&app, uri).await;
        assert_eq!(got.status, StatusCode::OK, "{uri}");
        let text = got.text();
        assert!(!text.contains("/srv/"), "{uri} shows a server path");
        assert!(
            !text.contains("plantrack-secret"),
            "{uri} shows a server path"
        );
    }
    // The file name is what names a document.
    let docs = get(&app, "/api/documents").await.text();
    assert!(
        docs.contains("\"source\":\"001_52f7147cf002561a.txt\""),
        "{docs}"
    );
    let targets = get(&app, &format!("/api/targets?format=csv&{as_of}"))
        .await
        .text();
    assert!(targets.contains(",001_52f7147cf002561a.txt,"), "{targets}");
}

/// Fair rankings on the demo (Tianjin's 2023 table): placeholders for several units are shown
/// as groups, never ranked; a unit with fewer than 3 tasks is listed, not ranked; departments and
/// district governments are ranked apart; every district counts the tasks of `各区人民政府`; every
/// score carries its basis; and ranks and scores are public only when the office publishes them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unit_rankings_are_fair_on_the_demo() {
    let published = app_from_over(
        "samples/tianjin/",
        plantrack_web::auth::Transport {
            publish_rankings: true,
            ..Default::default()
        },
    )
    .await;
    let json = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).unwrap();
    let as_of = "as_of=2024-03-01";
    let rows = json(
        &get(&published, &format!("/api/scorecards?by=unit&{as_of}"))
            .await
            .body,
    );
    let rows = rows.as_array().unwrap();
    let row = |name: &str| {
        rows.iter()
            .find(|r| r["name"] == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let tasks_of =
        |r: &serde_json::Value| r["led"].as_u64().unwrap() + r["cooperating"].as_u64().unwrap();
    for g in ["各区人民政府", "相关区人民政府"] {
        assert_eq!(row(g)["peer_group"], "group", "{g}");
        assert!(row(g)["rank"].is_null(), "{g}");
    }
    for r in rows {
        assert!(
            r.get("rank").is_some() && r.get("peer_group").is_some(),
            "{r}"
        );
        if r["rank"].is_null() {
            continue;
        }
        assert_ne!(r["peer_group"], "group", "{r}");
        assert!(tasks_of(r) >= 3, "ranked with fewer than 3 tasks: {r}");
        // Every score says how it was made.
        let zh = r["basis"]["text_zh"].as_str().unwrap();
        assert!(zh.contains("满分") && zh.contains("得分"), "{zh}");
    }
    // 东丽区: its one cooperating task plus the three of 各区人民政府, ranked among the
    // district governments on those four; no longer first of all with 100.
    let dongli = row("东丽区人民政府");
    assert_eq!(dongli["peer_group"], "district");
    assert_eq!(tasks_of(dongli), 4);
    assert_ne!(dongli["score"], 100.0);
    assert_ne!(rows[0]["name"], "东丽区人民政府");
    assert_eq!(rows[0]["peer_group"], "department");
    // A unit of one task is listed, not ranked.
    let one = row("市科协");
    assert!(one["rank"].is_null());
    assert_eq!(one["unranked"], "few_tasks");
    // 西青区 counts the tasks of 各区人民政府 beside its own.
    let tasks = json(&get(&published, &format!("/api/tasks?{as_of}")).await.body);
    let named = |t: &serde_json::Value, u: &str| {
        t["task"]["units"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x == u)
    };
    let expected = tasks
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| named(t, "西青区人民政府") || named(t, "各区人民政府"))
        .count() as u64;
    let own = tasks
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| named(t, "西青区人民政府"))
        .count() as u64;
    assert!(expected > own, "{expected} > {own}");
    assert_eq!(tasks_of(row("西青区人民政府")), expected);
    // Ranked apart: each peer group has its own first.
    for peer in ["department", "district"] {
        let firsts = rows
            .iter()
            .filter(|r| r["peer_group"] == peer && r["rank"] == 1)
            .count();
        assert!(firsts >= 1, "{peer}");
    }
    let page = get(&published, &format!("/units?{as_of}")).await.text();
    for must in [
        "市级部门",
        "区人民政府",
        "未排名（任务少于3项）",
        "泛指单位（不排名）",
        "计分规则",
        "配合任务按牵头的0.3计",
        "牵头已完成",
    ] {
        assert!(page.contains(must), "/units lacks {must}");
    }
    assert!(!page.contains(">few_tasks<") && !page.contains(">department<"));
    let xq = get(
        &published,
        &format!("/units/{}?{as_of}", enc("西青区人民政府")),
    )
    .await
    .text();
    assert!(
        xq.contains("id=\"basis\"") && xq.contains("区人民政府）"),
        "{xq}"
    );

    // Not published: the public sees the records, not the ranks and scores.
    let public = app().await;
    let rows = json(
        &get(&public, &format!("/api/scorecards?by=unit&{as_of}"))
            .await
            .body,
    );
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["rank"].is_null() && r["score"].is_null() && r["basis"].is_null())
    );
    let leaders = json(
        &get(&public, &format!("/api/scorecards?by=leader&{as_of}"))
            .await
            .body,
    );
    assert!(
        leaders
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["score"].is_null())
    );
    let page = get(&public, &format!("/units?{as_of}")).await.text();
    assert!(page.contains("仅对登录用户显示"), "{page}");
    // Regions stay public.
    let regions = json(
        &get(&public, &format!("/api/scorecards?by=region&{as_of}"))
            .await
            .body,
    );
    assert_eq!(regions[0]["rank"], 1);
}

// ---------------------------------------------------------------- sources (issue 15 item 3)

/// 江州市's 2023 targets with two sources of results, its 2024 work report (预计 figures) and
/// its 2023 bulletin (`crates/extract/tests/bulletins/`): the API says which source each verdict
/// used and lists the speech's figure where it differs; the targets page and the item page show
/// both and say which was used.
#[tokio::test]
async fn a_target_whose_sources_disagree_shows_both() {
    let store = Store::open("sqlite::memory:").await.unwrap();
    let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../extract/tests");
    for path in [
        "bulletins/jiangzhou-2023-work-report.txt",
        "heldout/jiangzhou-2024-work-report.txt",
        "bulletins/jiangzhou-2023.txt",
    ] {
        let text = std::fs::read_to_string(tests.join(path)).unwrap();
        let x = plantrack_extract::extract(&text, Origin::default(), &Hints::default());
        store.ingest(path, &text, &x).await.unwrap();
    }
    let app = plantrack_web::app_always_fresh(store, plantrack_evaluate::Lexicon::built_in());
    let api: serde_json::Value = serde_json::from_str(
        &get(&app, "/api/targets?year=2023&region=江州市")
            .await
            .text(),
    )
    .unwrap();
    let rows = api.as_array().unwrap();
    let gdp = rows
        .iter()
        .find(|r| r["target"]["metric"] == "地区生产总值" && r["target"]["value"] == 6.5)
        .expect("the GDP target of 2023");
    assert_eq!(gdp["source"], "statistical_bulletin");
    assert_eq!(gdp["actual"]["value"], 6.0);
    assert_eq!(gdp["status"], "not_achieved");
    assert_eq!(gdp["disagreeing"][0]["value"], 6.2);
    assert_eq!(gdp["disagreeing"][0]["document"]["kind"], "work_report");
    // Sources that agree list nothing.
    let revenue = rows
        .iter()
        .find(|r| r["target"]["metric"] == "一般公共预算收入")
        .unwrap();
    assert_eq!(revenue["source"], "statistical_bulletin");
    assert_eq!(revenue["disagreeing"].as_array().unwrap().len(), 0);

    let page = get(&app, "/targets?year=2023&region=江州市").await.text();
    assert!(page.contains("采用统计公报的数据"), "{page}");
    assert!(
        page.contains("江州市2024年政府工作报告</a>：6.2%"),
        "{page}"
    );
    let id = gdp["target"]["document"]["id"].as_i64().unwrap();
    let start = gdp["target"]["span"][0].as_u64().unwrap();
    let item = get(&app, &format!("/items/quantity/{id}/{start}")).await;
    assert_eq!(item.status, StatusCode::OK);
    let item = item.text();
    assert!(item.contains("采用统计公报的数据"), "{item}");
    assert!(item.contains("6.2%"), "{item}");
}

/// A bulletin reports on its own year: with 江州市's 2024 work report (targets of 2024) and a
/// bulletin of 2024, the default year is 2024, the latest whose targets have results; without
/// the bulletin it is 2023, reviewed by the 2024 report.
#[tokio::test]
async fn a_bulletin_makes_its_own_year_the_reviewed_one() {
    let year_shown = |with_bulletin: bool| async move {
        let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../extract/tests");
        let store = Store::open("sqlite::memory:").await.unwrap();
        let mut docs: Vec<(String, String)> = [
            "bulletins/jiangzhou-2023-work-report.txt",
            "heldout/jiangzhou-2024-work-report.txt",
        ]
        .iter()
        .map(|p| {
            (
                p.to_string(),
                std::fs::read_to_string(tests.join(p)).unwrap(),
            )
        })
        .collect();
        if with_bulletin {
            docs.push((
                "jiangzhou-2024-bulletin.txt".into(),
                "江州市2024年国民经济和社会发展统计公报\n一、综合\n初步核算，全年地区生产总值6192.5亿元，比上年增长5.8%。\n"
                    .into(),
            ));
        }
        for (name, text) in &docs {
            let x = plantrack_extract::extract(text, Origin::default(), &Hints::default());
            store.ingest(name, text, &x).await.unwrap();
        }
        let app = plantrack_web::app_always_fresh(store, plantrack_evaluate::Lexicon::built_in());
        let overview: serde_json::Value =
            serde_json::from_str(&get(&app, "/api/overview").await.text()).unwrap();
        overview["year"].as_i64()
    };
    assert_eq!(year_shown(false).await, Some(2023));
    assert_eq!(year_shown(true).await, Some(2024));
}
