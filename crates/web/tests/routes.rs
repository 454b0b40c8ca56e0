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
        (format!("/targets?{as_of}"), vec!["达到目标：不低于"]),
        // Targets without a result come last, past the first page.
        (
            format!("/targets?status=no_data&{as_of}"),
            vec!["该指标在此地区、此年度没有报告结果"],
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
            vec!["天津市2024年政府工作报告"],
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
    // A download names documents by their titles.
    let targets = get(&app, &format!("/api/targets?format=csv&{as_of}"))
        .await
        .text();
    assert!(targets.contains(",天津市2024年政府工作报告,"), "{targets}");
    assert!(!targets.contains(".txt"), "{targets}");
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

/// The HTML of a page without its tags: what a reader sees.
fn shown(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Issue 15: documents were named by their files (`001_52f7147cf002561a.txt`) on the pages a
/// person reads. Every one is named by its title; one without a title line by its region, year
/// and kind; the API says the title beside every `source`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_are_named_by_their_titles() {
    let app = app().await;
    let as_of = "as_of=2024-03-01";
    for uri in [
        format!("/?{as_of}"),
        format!("/targets?{as_of}"),
        format!("/targets?status=achieved&{as_of}"),
        format!("/targets?page=2&{as_of}"),
        "/documents".into(),
        "/documents/2".into(),
        "/plan".into(),
        format!("/tasks/4/1?{as_of}"),
        "/items/quantity/2/11381".into(),
        format!("/search?q={}", enc("高新技术企业")),
        format!("/api/targets?format=csv&{as_of}"),
        format!("/api/plan?format=csv&{as_of}"),
    ] {
        let got = get(&app, &uri).await;
        assert_eq!(got.status, StatusCode::OK, "{uri}");
        let text = got.text();
        assert!(!text.contains(".txt"), "{uri} names a file");
    }
    let documents = get(&app, "/documents").await.text();
    for title in [
        "天津市2024年政府工作报告",
        "天津市人民政府关于切实做好2023年市政府重点工作的通知",
    ] {
        assert!(documents.contains(title), "/documents lacks {title}");
    }
    // The viewer's heading is the title too.
    let viewer = get(&app, "/documents/2").await.text();
    assert!(
        viewer.contains("<h1>天津市2024年政府工作报告</h1>"),
        "{viewer}"
    );
    let achieved = get(&app, &format!("/targets?status=achieved&{as_of}"))
        .await
        .text();
    assert!(achieved.contains(">天津市2024年政府工作报告</a>"));
    let task = get(&app, &format!("/tasks/4/1?{as_of}")).await.text();
    assert!(task.contains("天津市人民政府关于切实做好2023年市政府重点工作的通知"));
    let search = get(&app, &format!("/search?q={}", enc("高新技术企业")))
        .await
        .text();
    assert!(
        search.contains(">天津市2024年政府工作报告</a></h3>"),
        "{search}"
    );
    // The API: `title` beside every `source`, the file name kept as `source`.
    let json = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).unwrap();
    let docs = json(&get(&app, "/api/documents").await.body);
    let report = docs
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["source"] == "001_52f7147cf002561a.txt")
        .unwrap();
    assert_eq!(report["title"], "天津市2024年政府工作报告");
    let targets = json(
        &get(&app, &format!("/api/targets?status=achieved&{as_of}"))
            .await
            .body,
    );
    let v = &targets.as_array().unwrap()[0];
    assert!(v["target"]["document"]["title"].is_string(), "{v}");
    assert!(v["actual"]["document"]["title"].is_string(), "{v}");
    let plan = json(&get(&app, "/api/plan").await.body);
    assert!(
        plan[0]["title"]
            .as_str()
            .unwrap()
            .starts_with("天津市国民经济和社会发展第十四个五年规划"),
        "{}",
        plan[0]
    );
    let hits = json(
        &get(&app, &format!("/api/search?q={}", enc("高新技术企业")))
            .await
            .body,
    );
    assert!(
        hits.as_array()
            .unwrap()
            .iter()
            .any(|h| h["title"] == "天津市2024年政府工作报告"),
        "{hits}"
    );
}

/// The statuses of a targets page's rows, in order, and its row count.
fn row_statuses(page: &str) -> Vec<String> {
    page.split("<tr id=\"v")
        .skip(1)
        .map(|row| {
            let at = row.find("<span class=\"status ").unwrap() + 20;
            row[at..at + row[at..].find('"').unwrap()].to_string()
        })
        .collect()
}

/// The titles a targets page's rows cite for their targets.
fn row_target_docs(page: &str) -> Vec<String> {
    page.split("class=\"evidence target-evidence\"")
        .skip(1)
        .map(|row| {
            let at = row.find('>').unwrap() + 1;
            row[at..at + row[at..].find("</a>").unwrap()].to_string()
        })
        .collect()
}

/// `/targets`: not achieved first, then achieved, then no data; filtered by status, metric and
/// source document through a plain GET form; 50 rows a page with links to every page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn targets_are_sorted_filtered_and_paged() {
    let app = app().await;
    let as_of = "as_of=2024-03-01";
    let total = serde_json::from_slice::<serde_json::Value>(
        &get(&app, &format!("/api/targets?{as_of}")).await.body,
    )
    .unwrap()
    .as_array()
    .unwrap()
    .len();
    assert!(total > 100, "{total}");
    let pages = total.div_ceil(50);
    let rank = |s: &str| match s {
        "not_achieved" => 0,
        "achieved" => 1,
        "no_data" => 2,
        other => panic!("{other}"),
    };
    let mut all = Vec::new();
    for n in 1..=pages {
        let page = get(&app, &format!("/targets?page={n}&{as_of}"))
            .await
            .text();
        let statuses = row_statuses(&page);
        let expected = if n < pages {
            50
        } else {
            total - 50 * (pages - 1)
        };
        assert_eq!(statuses.len(), expected, "page {n}");
        // Links to every page, this one marked.
        for k in 1..=pages {
            assert!(page.contains(&format!(">{k}</a>")), "page {n} links to {k}");
        }
        assert!(
            page.contains(&format!("aria-current=\"page\">{n}</a>")),
            "page {n} is marked"
        );
        assert_eq!(page.contains("rel=\"next\""), n < pages);
        assert_eq!(page.contains("rel=\"prev\""), n > 1);
        all.extend(statuses);
    }
    assert_eq!(all.len(), total);
    assert_eq!(all[0], "not_achieved");
    assert!(
        all.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])),
        "{all:?}"
    );
    assert!(all.iter().any(|s| s == "achieved") && all.iter().any(|s| s == "no_data"));
    // The download is in the page's order.
    let json = serde_json::from_slice::<serde_json::Value>(
        &get(&app, &format!("/api/targets?{as_of}")).await.body,
    )
    .unwrap();
    let api: Vec<String> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["status"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(api, all);
    // The page links keep the filters.
    let first = get(&app, &format!("/targets?status=no_data&{as_of}"))
        .await
        .text();
    let no_data = all.iter().filter(|s| *s == "no_data").count();
    if no_data > 50 {
        assert!(
            first.contains("status=no_data&#38;as_of=2024-03-01&#38;page=2"),
            "{first}"
        );
    }
    assert!(row_statuses(&first).iter().all(|s| s == "no_data"));
    // A page past the last shows the last; a page that is no number is refused, in Chinese.
    let last = get(&app, &format!("/targets?page=99&{as_of}")).await.text();
    assert_eq!(row_statuses(&last).len(), total - 50 * (pages - 1));
    for bad in ["abc", "0", "-1"] {
        let got = get(&app, &format!("/targets?page={bad}")).await;
        assert_eq!(got.status, StatusCode::BAD_REQUEST, "page={bad}");
        assert!(got.text().contains("页码"), "page={bad}");
    }
    assert_eq!(
        get(&app, "/targets?doc=x").await.status,
        StatusCode::BAD_REQUEST
    );
    // Filters: the form's fields, by GET, with no script.
    let form = get(&app, &format!("/targets?{as_of}")).await.text();
    for field in [
        "name=\"status\"",
        "name=\"q\"",
        "name=\"doc\"",
        "method=\"get\"",
    ] {
        assert!(form.contains(field), "{field}");
    }
    let achieved = get(&app, &format!("/targets?status=achieved&{as_of}"))
        .await
        .text();
    assert!(row_statuses(&achieved).iter().all(|s| s == "achieved"));
    let gdp = get(&app, &format!("/targets?q={}&{as_of}", enc("地区生产总值")))
        .await
        .text();
    let metrics: Vec<&str> = gdp
        .split("<tr id=\"v")
        .skip(1)
        .map(|r| r.split("<td>").nth(3).unwrap())
        .collect();
    assert!(
        !metrics.is_empty() && metrics.iter().all(|m| m.contains("地区生产总值")),
        "{metrics:?}"
    );
    // The source filter: only the targets the task table (document 4) sets.
    let table = get(&app, &format!("/targets?doc=4&{as_of}")).await.text();
    let docs = row_target_docs(&table);
    assert!(!docs.is_empty());
    assert!(
        docs.iter()
            .all(|d| d.starts_with("天津市人民政府关于切实做好2023年")),
        "{docs:?}"
    );
    assert!(
        table.contains("<option value=\"4\" selected>"),
        "the choice is kept"
    );
    let everything = row_target_docs(
        &get(&app, &format!("/targets?status=not_achieved&{as_of}"))
            .await
            .text(),
    );
    assert!(
        everything
            .iter()
            .any(|d| !d.starts_with("天津市人民政府关于切实做好2023年"))
    );
    // The reason is text of the page's size, not small grey print.
    assert!(form.contains("<p class=\"reason\">") && !form.contains("<small class=\"why\">"));
}

/// Search: each paragraph under its document's title, the words marked, everything else
/// escaped (a document's own markup included).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_results_are_titled_and_highlighted() {
    let app = app().await;
    let text = "天津市2025年政府工作报告\n\n一、2024年工作回顾\n\n全市<script>alert(1)</script>地区生产总值增长5.1%。\n";
    let x = plantrack_extract::extract(text, Origin::default(), &Hints::default());
    app.data
        .store
        .ingest("extra/005.txt", text, &x)
        .await
        .unwrap();
    let page = get(&app, &format!("/search?q={}", enc("地区生产总值")))
        .await
        .text();
    assert!(page.contains("<mark>地区生产总值</mark>"), "{page}");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(
        page.contains(">天津市2025年政府工作报告</a></h3>"),
        "{page}"
    );
    assert!(!page.contains(".txt"));
    // Each hit opens the viewer at its line.
    assert!(page.contains("/documents/6#p"), "{page}");
    // A query of markup is text.
    let page = get(&app, &format!("/search?q={}", enc("<b>地区</b>")))
        .await
        .text();
    assert!(!page.contains("<b>地区</b>"));
}

/// The viewer renders the document's Markdown — headings, tables, `<sub>` — with a table of
/// contents from its headings, and keeps every anchor: items at `#b{byte}`, tasks at
/// `#t{byte}`, lines at `#p{byte}`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_viewer_renders_markdown_with_contents_and_keeps_its_anchors() {
    let app = app().await;
    let json = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).unwrap();
    for id in 1..=5 {
        let page = get(&app, &format!("/documents/{id}")).await.text();
        let body = &page[page.find("id=\"doc-text\"").unwrap()..];
        let doc = json(&get(&app, &format!("/api/documents/{id}")).await.body);
        let text = doc["text"].as_str().unwrap();
        // Every line's anchor.
        for (k, _) in text.match_indices('\n') {
            assert!(
                body.contains(&format!("id=\"p{}\"", k + 1)),
                "/documents/{id}: p{}",
                k + 1
            );
        }
        // Every item's, but those inside another item's span (shown as one).
        let mut spans: Vec<(u64, u64)> = ["quantities", "milestones"]
            .iter()
            .flat_map(|k| doc[*k].as_array().unwrap().iter())
            .map(|q| {
                (
                    q["span"][0].as_u64().unwrap(),
                    q["span"][1].as_u64().unwrap(),
                )
            })
            .collect();
        spans.sort_by_key(|&(s, e)| (s, std::cmp::Reverse(e)));
        let mut end = 0;
        for (s, e) in spans {
            if s < end || s == e {
                continue;
            }
            assert_eq!(
                body.matches(&format!("id=\"b{s}\"")).count(),
                1,
                "/documents/{id}: b{s}"
            );
            end = e;
        }
        for t in doc["tasks"].as_array().unwrap() {
            let s = t["span"][0].as_u64().unwrap();
            assert!(
                body.contains(&format!("id=\"t{s}\"")),
                "/documents/{id}: t{s}"
            );
        }
        // Marks are balanced.
        assert_eq!(
            body.matches("<mark").count(),
            body.matches("</mark>").count()
        );
        // Contents link to lines that are there.
        if let Some(at) = page.find("<nav class=\"toc\"") {
            let toc = &page[at..at + page[at..].find("</nav>").unwrap()];
            let links: Vec<&str> = toc
                .split("href=\"#")
                .skip(1)
                .map(|l| &l[..l.find('"').unwrap()])
                .collect();
            assert!(links.len() >= 2, "/documents/{id}");
            for l in links {
                assert!(
                    body.contains(&format!("id=\"{l}\"")),
                    "/documents/{id}: #{l}"
                );
            }
        }
    }
    // The five-year plan: Markdown headings as headings, no `#` shown, its contents, its
    // indicator table as a table, PM2.5 with its subscript.
    let plan = get(&app, "/documents/3").await.text();
    let body = &plan[plan.find("id=\"doc-text\"").unwrap()..];
    assert!(!shown(body).contains('#'), "a raw # on the plan's page");
    assert!(plan.contains("<nav class=\"toc\""));
    assert!(plan.contains("第一章 全面建成高质量小康社会"));
    assert!(body.contains("<h3><span id=\"p"), "chapters are headings");
    assert!(body.contains("PM<sub>2.5</sub>"), "PM2.5");
    assert!(!shown(body).contains("<sub>") && !shown(body).contains("&lt;sub&gt;"));
    assert!(
        body.contains("<table class=\"doc-table\">") && body.contains("<th>序号</th>")
            || body.contains("序号</th>")
    );
    // The work report: its parts are headings (the extractor's), the task table a table.
    let report = get(&app, "/documents/2").await.text();
    assert!(
        report.contains("<h2><span id=\"p"),
        "一、2023年工作回顾 is a heading"
    );
    let toc = &report[report.find("<nav class=\"toc\"").unwrap()..];
    assert!(toc.contains("一、2023年工作回顾"), "{}", &toc[..400]);
    let table = get(&app, "/documents/4").await.text();
    assert!(table.contains("<table class=\"doc-table\">"));
    assert!(table.contains("市财政局<br>"), "a cell's second line");
}

async fn get_encoded(
    app: &Arc<plantrack_web::App>,
    uri: &str,
    encoding: &str,
    etag: Option<&str>,
) -> Got {
    let mut req = Request::builder()
        .uri(uri)
        .header(header::ACCEPT_ENCODING, encoding);
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

/// Responses are compressed as the browser asks (gzip, brotli), decompress to the page, and
/// their ETag still answers 304.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_are_compressed() {
    use std::io::Read;
    let app = app().await;
    for uri in [
        "/targets?as_of=2024-03-01",
        "/documents/3",
        "/api/targets",
        "/assets/app.css",
        "/assets/vendor/echarts/echarts.min.js",
    ] {
        let plain = get(&app, uri).await;
        assert!(
            plain.headers.get(header::CONTENT_ENCODING).is_none(),
            "{uri}"
        );
        let gz = get_encoded(&app, uri, "gzip, deflate", None).await;
        assert_eq!(gz.status, StatusCode::OK);
        assert_eq!(gz.headers[header::CONTENT_ENCODING], "gzip", "{uri}");
        assert!(
            gz.headers[header::VARY]
                .to_str()
                .unwrap()
                .to_ascii_lowercase()
                .contains("accept-encoding")
        );
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&gz.body[..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, plain.body, "{uri}: gzip decompresses to the page");
        assert!(
            gz.body.len() * 2 < plain.body.len(),
            "{uri}: {} of {}",
            gz.body.len(),
            plain.body.len()
        );
        let br = get_encoded(&app, uri, "gzip, deflate, br", None).await;
        assert_eq!(br.headers[header::CONTENT_ENCODING], "br", "{uri}");
        let mut out = Vec::new();
        brotli::Decompressor::new(&br.body[..], 4096)
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, plain.body, "{uri}: brotli decompresses to the page");
    }
    // The page's tag, weak once compressed, still answers 304, compressed or not.
    let gz = get_encoded(&app, "/targets", "gzip", None).await;
    let tag = gz.headers[header::ETAG].to_str().unwrap().to_string();
    assert!(tag.starts_with("W/\"p"), "{tag}");
    assert_eq!(
        get_encoded(&app, "/targets", "gzip", Some(&tag))
            .await
            .status,
        StatusCode::NOT_MODIFIED
    );
    assert_eq!(
        get_with(&app, "/targets", Some(&tag)).await.status,
        StatusCode::NOT_MODIFIED
    );
    let plain_tag = get(&app, "/targets").await.headers[header::ETAG]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(
        get_encoded(&app, "/targets", "br", Some(&plain_tag))
            .await
            .status,
        StatusCode::NOT_MODIFIED
    );
    // Small answers and downloads that are compressed already are sent as they are.
    let xlsx = get_encoded(&app, "/api/targets?format=xlsx", "gzip", None).await;
    assert!(xlsx.headers.get(header::CONTENT_ENCODING).is_none());
    let small = get_encoded(&app, "/api/search?q=", "gzip", None).await;
    assert!(small.headers.get(header::CONTENT_ENCODING).is_none());
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
