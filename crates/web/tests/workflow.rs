//! Accounts and the supervision workflow through the router: sign-in, rate limiting, session
//! fixation, CSRF, who may report and review, what the public sees, the audit trail, and an
//! authorisation table of every route for every role.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use plantrack_extract::{Hints, Origin};
use plantrack_store::Store;
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery";

async fn app() -> Arc<plantrack_web::App> {
    app_over(plantrack_web::auth::Transport::default()).await
}

/// The test ledger and accounts, reached as `transport` says.
async fn app_over(transport: plantrack_web::auth::Transport) -> Arc<plantrack_web::App> {
    plantrack_web::app_always_fresh_over(
        accounts().await,
        plantrack_evaluate::Lexicon::built_in(),
        transport,
    )
}

/// The test ledger (samples 001 and 003) and its accounts.
async fn accounts() -> Store {
    let store = Store::open("sqlite::memory:").await.unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/tianjin");
    for prefix in ["001", "003"] {
        let f = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
            .unwrap();
        let text = std::fs::read_to_string(&f).unwrap();
        let x = plantrack_extract::extract(&text, Origin::default(), &Hints::default());
        let source = format!(
            "samples/tianjin/{}",
            f.file_name().unwrap().to_string_lossy()
        );
        store.ingest(&source, &text, &x).await.unwrap();
    }
    let hash = plantrack_web::auth::hash_password(PASSWORD);
    for (name, role, units) in [
        ("boss", "admin", vec![]),
        ("li", "supervisor", vec![]),
        ("zhang", "reporter", vec!["市科技局".to_string()]),
        ("wang", "reporter", vec!["市财政局".to_string()]),
        ("chen", "leader", vec![]),
        // A leader of task 17, named as the table names him.
        ("刘桂平", "leader", vec![]),
        ("zhao", "reporter", vec!["市教委".to_string()]),
    ] {
        store
            .add_user(name, &hash, role, &units, "test")
            .await
            .unwrap();
    }
    store
}

struct Got {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn send(app: &Arc<plantrack_web::App>, req: Request<Body>) -> Got {
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
    send(app, r.body(Body::empty()).unwrap()).await
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            let enc: String = v
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect();
            format!("{k}={enc}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

async fn post(
    app: &Arc<plantrack_web::App>,
    uri: &str,
    cookie: Option<&str>,
    pairs: &[(&str, &str)],
) -> Got {
    let mut r = Request::builder()
        .method("POST")
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "plantrack.test");
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    send(app, r.body(Body::from(form(pairs))).unwrap()).await
}

/// A sign-in form posted from a client at `addr`, as the server sees its peer.
async fn login_from(
    app: &Arc<plantrack_web::App>,
    addr: &str,
    name: &str,
    password: &str,
) -> StatusCode {
    let mut r = Request::builder()
        .method("POST")
        .uri("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "plantrack.test")
        .body(Body::from(form(&[("name", name), ("password", password)])))
        .unwrap();
    r.extensions_mut()
        .insert(axum::extract::ConnectInfo::<std::net::SocketAddr>(
            addr.parse().unwrap(),
        ));
    send(app, r).await.status
}

/// Signs in and returns the cookie to send.
async fn login(app: &Arc<plantrack_web::App>, name: &str) -> String {
    let got = post(
        app,
        "/login",
        None,
        &[("name", name), ("password", PASSWORD), ("next", "/tasks")],
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{name}: {}", got.body);
    let set = got.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    set.split(';').next().unwrap().to_string()
}

/// The CSRF token on a page the user sees.
async fn csrf(app: &Arc<plantrack_web::App>, cookie: &str) -> String {
    let page = get(app, "/tasks/2/17", Some(cookie)).await.body;
    let at = page
        .find("name=\"csrf\" value=\"")
        .expect("a form with a token")
        + 19;
    page[at..at + 32].to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_rate_limit_and_session_fixation() {
    let app = app().await;
    let bad = post(
        &app,
        "/login",
        None,
        &[("name", "zhang"), ("password", "wrong")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert!(bad.body.contains("用户名或密码不正确"));
    assert!(bad.headers.get(header::SET_COOKIE).is_none());
    for _ in 0..4 {
        post(
            &app,
            "/login",
            None,
            &[("name", "zhang"), ("password", "wrong")],
        )
        .await;
    }
    // Five failures: even the right password is refused for a while; other names are not.
    let limited = post(
        &app,
        "/login",
        None,
        &[("name", "zhang"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    login(&app, "wang").await;
    // Failures are counted per address: a guesser at one address does not lock the user out
    // at another.
    for _ in 0..5 {
        assert_eq!(
            login_from(&app, "192.0.2.7:4000", "li", "wrong").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        login_from(&app, "192.0.2.7:4001", "li", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        login_from(&app, "198.51.100.3:5000", "li", PASSWORD).await,
        StatusCode::SEE_OTHER
    );
    // Unknown names fail like wrong passwords.
    assert_eq!(
        post(
            &app,
            "/login",
            None,
            &[("name", "nobody"), ("password", PASSWORD)]
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
    // A session id planted before sign-in is not the one after it.
    let planted = format!("pt_session={}", "ab".repeat(32));
    let got = post(
        &app,
        "/login",
        Some(&planted),
        &[
            ("name", "li"),
            ("password", PASSWORD),
            ("next", "//evil.example"),
        ],
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER);
    assert_eq!(
        got.headers[header::LOCATION],
        "/me",
        "an outside `next` is not followed: the account's queue instead"
    );
    let cookie = got.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert_ne!(cookie, planted);
    assert!(
        get(&app, "/tasks", Some(&cookie))
            .await
            .body
            .contains("li（督查员）")
    );
    assert!(
        !get(&app, "/tasks", Some(&planted))
            .await
            .body
            .contains("li（督查员）")
    );
    // Signed-in pages are private.
    assert_eq!(
        get(&app, "/tasks", Some(&cookie)).await.headers[header::CACHE_CONTROL],
        "private, no-store"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_review_publish_and_audit() {
    let app = app().await;
    let zhang = login(&app, "zhang").await;
    let token = csrf(&app, &zhang).await;
    let report = [
        ("csrf", token.as_str()),
        ("status", "on_track"),
        ("percent", "60"),
        ("narrative", "核心区建设已启动"),
    ];
    // Task 17 is led by 市科技局: zhang reports for it.
    let got = post(&app, "/tasks/2/17/reports", Some(&zhang), &report).await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    assert!(
        get(&app, "/tasks/2/17", Some(&zhang))
            .await
            .body
            .contains("核心区建设已启动")
    );
    // Not yet published: the public and another unit do not see the draft.
    assert!(
        !get(&app, "/tasks/2/17", None)
            .await
            .body
            .contains("核心区建设已启动")
    );
    let wang = login(&app, "wang").await;
    assert!(
        !get(&app, "/tasks/2/17", Some(&wang))
            .await
            .body
            .contains("核心区建设已启动")
    );
    // …and cannot report on a task of 市科技局's.
    let wang_token = csrf(&app, &wang).await;
    let mut theirs = report;
    theirs[0].1 = &wang_token;
    assert_eq!(
        post(&app, "/tasks/2/17/reports", Some(&wang), &theirs)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Without the token, with another session's token, or signed out: refused.
    let mut no_token = report;
    no_token[0].1 = "";
    assert_eq!(
        post(&app, "/tasks/2/17/reports", Some(&zhang), &no_token)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(&app, "/tasks/2/17/reports", Some(&zhang), &theirs)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(&app, "/tasks/2/17/reports", None, &report)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // Bad values are named.
    let mut bad = report;
    bad[2].1 = "150";
    assert_eq!(
        post(&app, "/tasks/2/17/reports", Some(&zhang), &bad)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    // A reporter does not review; a supervisor does, once.
    let page = get(&app, "/tasks/2/17", Some(&login(&app, "li").await))
        .await
        .body;
    let at = page.find("/reports/").unwrap() + 9;
    let id: String = page[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let review = format!("/reports/{id}/review");
    assert_eq!(
        post(
            &app,
            &review,
            Some(&zhang),
            &[("csrf", &token), ("decision", "accept")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let li = login(&app, "li").await;
    let li_token = csrf(&app, &li).await;
    let got = post(
        &app,
        &review,
        Some(&li),
        &[
            ("csrf", &li_token),
            ("decision", "accept"),
            ("comment", "同意"),
        ],
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    assert_eq!(
        post(
            &app,
            &review,
            Some(&li),
            &[("csrf", &li_token), ("decision", "return")]
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
    // Published: the public sees it now; the trail shows who did what.
    let public = get(&app, "/tasks/2/17", None).await.body;
    assert!(public.contains("核心区建设已启动") && public.contains("同意"));
    assert!(
        !public.contains("report.submit"),
        "the public does not see the trail"
    );
    let trail = get(&app, "/tasks/2/17", Some(&li)).await.body;
    // In words, never as codes.
    assert!(
        trail.contains("市科技局 zhang 提交了进展报告")
            && trail.contains("li 审核通过了进展报告")
            && !trail.contains("report.submit"),
        "{trail}"
    );
    // A value for a quantified target; a value that is not a number is named.
    let got = post(
        &app,
        "/tasks/2/17/reports",
        Some(&zhang),
        &[
            ("csrf", &token),
            ("status", "on_track"),
            ("value", "38"),
            ("narrative", "已建成38个"),
        ],
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER);
    let got = post(
        &app,
        "/tasks/2/17/reports",
        Some(&zhang),
        &[
            ("csrf", &token),
            ("status", "on_track"),
            ("value", "many"),
            ("narrative", "x"),
        ],
    )
    .await;
    assert_eq!(got.status, StatusCode::BAD_REQUEST);
    // Signing out ends the session.
    let out = post(&app, "/logout", Some(&li), &[("csrf", &li_token)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(
        out.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(
        post(
            &app,
            &review,
            Some(&li),
            &[("csrf", &li_token), ("decision", "accept")]
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
}

/// Every route for every role: what each may do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorisation_of_every_route_for_every_role() {
    let app = app().await;
    let reads = [
        "/",
        "/targets",
        "/plan",
        "/tasks",
        "/tasks/2/17",
        "/warnings",
        "/units",
        "/units/%E5%B8%82%E7%A7%91%E6%8A%80%E5%B1%80",
        "/units/%E5%B8%82%E7%A7%91%E6%8A%80%E5%B1%80/report",
        "/assets/app.css",
        "/assets/app.js",
        "/assets/vendor/echarts/echarts.min.js",
        "/leaders",
        "/regions",
        "/documents",
        "/documents/1",
        "/search?q=%E6%8A%95%E8%B5%84",
        "/login",
        "/api/overview",
        "/api/targets",
        "/api/plan",
        "/api/tasks",
        "/api/tasks/2/17",
        "/api/scorecards",
        "/api/documents",
        "/api/documents/1",
        "/api/search?q=x",
        "/openapi.json",
    ];
    let mut roles: Vec<(&str, Option<String>)> = vec![("anonymous", None)];
    for name in ["boss", "li", "zhang", "wang", "chen"] {
        roles.push((name, Some(login(&app, name).await)));
    }
    for (who, cookie) in &roles {
        for uri in reads {
            let got = get(&app, uri, cookie.as_deref()).await;
            assert_eq!(got.status, StatusCode::OK, "{who} reads {uri}");
        }
        // Reporting on task 17 (市科技局's): admin and zhang only.
        let token = match cookie {
            Some(c) => csrf(&app, c).await,
            None => String::new(),
        };
        let got = post(
            &app,
            "/tasks/2/17/reports",
            cookie.as_deref(),
            &[
                ("csrf", &token),
                ("status", "on_track"),
                ("narrative", &format!("{who} 报送")),
            ],
        )
        .await;
        let want = match *who {
            "anonymous" => StatusCode::UNAUTHORIZED,
            "boss" | "zhang" => StatusCode::SEE_OTHER,
            _ => StatusCode::FORBIDDEN,
        };
        assert_eq!(got.status, want, "{who} reports on task 17");
        // Acknowledging task 17 for its lead unit: the admin first, then it is done.
        let got = post(
            &app,
            "/tasks/2/17/ack",
            cookie.as_deref(),
            &[("csrf", &token)],
        )
        .await;
        let want = match *who {
            "anonymous" => StatusCode::UNAUTHORIZED,
            "boss" => StatusCode::SEE_OTHER,
            "zhang" => StatusCode::BAD_REQUEST,
            _ => StatusCode::FORBIDDEN,
        };
        assert_eq!(got.status, want, "{who} acknowledges task 17");
    }
    // Evidence on the first report (the admin's, for 市科技局): its unit and the admin attach;
    // those who see drafts download.
    let first = report_ids(&get(&app, "/tasks/2/17", roles[1].1.as_deref()).await.body)
        .last()
        .unwrap()
        .clone();
    let mut file = String::new();
    for (who, cookie) in &roles {
        let token = match cookie {
            Some(c) => csrf(&app, c).await,
            None => String::new(),
        };
        let got = upload(
            &app,
            &first,
            cookie.as_deref(),
            &token,
            "证明.pdf",
            b"%PDF-1.4 evidence",
        )
        .await;
        let want = match *who {
            "anonymous" => StatusCode::UNAUTHORIZED,
            "boss" | "zhang" => StatusCode::SEE_OTHER,
            _ => StatusCode::FORBIDDEN,
        };
        assert_eq!(got.status, want, "{who} attaches evidence");
        if file.is_empty() && got.status == StatusCode::SEE_OTHER {
            let page = get(&app, "/tasks/2/17", cookie.as_deref()).await.body;
            let at = page.find("/evidence/").unwrap() + 10;
            file = page[at..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
        }
    }
    for (who, cookie) in &roles {
        let got = get(&app, &format!("/evidence/{file}"), cookie.as_deref()).await;
        // chen leads no part of task 17: its drafts are not his to read.
        let want = match *who {
            "anonymous" | "wang" | "chen" => StatusCode::NOT_FOUND,
            _ => StatusCode::OK,
        };
        assert_eq!(got.status, want, "{who} downloads a draft's evidence");
    }
    // Task 17's leader reads its drafts; another leader does not.
    let leader = login(&app, "刘桂平").await;
    assert_eq!(
        get(&app, &format!("/evidence/{file}"), Some(&leader))
            .await
            .status,
        StatusCode::OK
    );
    let draft = format!("report-{first}");
    assert!(
        get(&app, "/tasks/2/17", Some(&leader))
            .await
            .body
            .contains(&draft)
    );
    let chen = roles.iter().find(|(w, _)| *w == "chen").unwrap().1.clone();
    assert!(
        !get(&app, "/tasks/2/17", chen.as_deref())
            .await
            .body
            .contains(&draft)
    );
    // Reviewing: admin and supervisor only (each takes one of the two reports).
    let page = get(&app, "/tasks/2/17", roles[1].1.as_deref()).await.body;
    let ids: Vec<String> = page
        .match_indices("/reports/")
        .map(|(at, _)| {
            page[at + 9..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect()
        })
        .collect();
    // Each report has a review form and, for the admin, an upload form: count each once.
    let mut ids = ids;
    ids.dedup();
    assert_eq!(ids.len(), 2, "two reports to review");
    for (who, cookie) in &roles {
        let token = match cookie {
            Some(c) => csrf(&app, c).await,
            None => String::new(),
        };
        let id = if *who == "li" { &ids[1] } else { &ids[0] };
        let got = post(
            &app,
            &format!("/reports/{id}/review"),
            cookie.as_deref(),
            &[("csrf", &token), ("decision", "return")],
        )
        .await;
        let want = match *who {
            "anonymous" => StatusCode::UNAUTHORIZED,
            "boss" | "li" => StatusCode::SEE_OTHER,
            _ => StatusCode::FORBIDDEN,
        };
        assert_eq!(got.status, want, "{who} reviews");
    }
    // Signing out needs the session's own token.
    for (who, cookie) in roles.iter().skip(1) {
        let got = post(
            &app,
            "/logout",
            cookie.as_deref(),
            &[("csrf", "0".repeat(32).as_str())],
        )
        .await;
        assert_eq!(
            got.status,
            StatusCode::FORBIDDEN,
            "{who} signs out with a wrong token"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledgement_and_a_completed_report_set_the_task_status() {
    let app = app().await;
    let json = |g: Got| serde_json::from_str::<serde_json::Value>(&g.body).unwrap();
    let before = json(get(&app, "/api/tasks/2/17", None).await);
    assert_eq!(
        before["status"], "unreported",
        "2023's task, evaluated today, with no report: silence, not failure"
    );
    assert_eq!(before["not_acknowledged"], true);
    // The lead unit's reporter acknowledges it once; another unit cannot.
    let zhang = login(&app, "zhang").await;
    let token = csrf(&app, &zhang).await;
    assert_eq!(
        post(&app, "/tasks/2/17/ack", Some(&zhang), &[("csrf", &token)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        post(&app, "/tasks/2/17/ack", Some(&zhang), &[("csrf", &token)])
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    let wang = login(&app, "wang").await;
    let wang_token = csrf(&app, &wang).await;
    assert_eq!(
        post(
            &app,
            "/tasks/2/17/ack",
            Some(&wang),
            &[("csrf", &wang_token)]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(&app, "/tasks/2/17/ack", None, &[("csrf", "")])
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // The acknowledgement is published and is evidence.
    let acked = json(get(&app, "/api/tasks/2/17", None).await);
    assert_eq!(acked["report"]["status"], "acknowledged");
    assert_eq!(acked["not_acknowledged"], false);
    // An acknowledgement is no progress report: still unreported.
    assert_eq!(acked["status"], "unreported");
    // A completed report, once accepted, completes the task.
    let got = post(
        &app,
        "/tasks/2/17/reports",
        Some(&zhang),
        &[
            ("csrf", &token),
            ("status", "completed"),
            ("percent", "100"),
            ("narrative", "核心区全面建成"),
        ],
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER);
    assert_eq!(
        json(get(&app, "/api/tasks/2/17", None).await)["status"],
        "overdue",
        "submitted, not yet accepted: the unit is not silent, and the task is not completed"
    );
    let li = login(&app, "li").await;
    let page = get(&app, "/tasks/2/17", Some(&li)).await.body;
    let at = page.find("/reports/").unwrap() + 9;
    let id: String = page[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let li_token = csrf(&app, &li).await;
    post(
        &app,
        &format!("/reports/{id}/review"),
        Some(&li),
        &[("csrf", &li_token), ("decision", "accept")],
    )
    .await;
    let done = json(get(&app, "/api/tasks/2/17", None).await);
    assert_eq!(done["status"], "completed");
    assert!(
        done["reason"].as_str().unwrap().contains("市科技局"),
        "{}",
        done["reason"]
    );
    // Evaluated as of a day before the report, the task was not completed.
    let earlier = json(get(&app, "/api/tasks/2/17?as_of=2024-01-05", None).await);
    assert_eq!(earlier["status"], "unreported");
}

fn multipart(csrf: &str, name: &str, data: &[u8]) -> (String, Vec<u8>) {
    let boundary = "plantrackboundary7MA4YWxk";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(
    app: &Arc<plantrack_web::App>,
    report: &str,
    cookie: Option<&str>,
    csrf: &str,
    name: &str,
    data: &[u8],
) -> Got {
    let (kind, body) = multipart(csrf, name, data);
    let mut r = Request::builder()
        .method("POST")
        .uri(format!("/reports/{report}/evidence"))
        .header(header::CONTENT_TYPE, kind)
        .header(header::HOST, "plantrack.test");
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    send(app, r.body(Body::from(body)).unwrap()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_files_limits_and_downloads() {
    let app = app().await;
    let zhang = login(&app, "zhang").await;
    let token = csrf(&app, &zhang).await;
    post(
        &app,
        "/tasks/2/17/reports",
        Some(&zhang),
        &[
            ("csrf", &token),
            ("status", "on_track"),
            ("narrative", "附验收材料"),
        ],
    )
    .await;
    let page = get(&app, "/tasks/2/17", Some(&zhang)).await.body;
    let at = page.find("/reports/").unwrap() + 9;
    let report: String = page[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert!(
        page.contains(&format!("/reports/{report}/evidence")),
        "an upload form for the report's unit"
    );
    let pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n".to_vec();
    // The report's unit attaches a PDF; the name keeps only its last component.
    let got = upload(
        &app,
        &report,
        Some(&zhang),
        &token,
        "../../etc/验收报告.pdf",
        &pdf,
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    let page = get(&app, "/tasks/2/17", Some(&zhang)).await.body;
    let at = page.find("/evidence/").unwrap() + 10;
    let file: String = page[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert!(page.contains(">验收报告.pdf<"));
    // A draft's evidence is not public; the unit downloads it as an attachment.
    assert_eq!(
        get(&app, &format!("/evidence/{file}"), None).await.status,
        StatusCode::NOT_FOUND
    );
    let got = get(&app, &format!("/evidence/{file}"), Some(&zhang)).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body.as_bytes(), pdf.as_slice());
    assert_eq!(got.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(
        got.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    // Refused: a program named .pdf, a file over 5 MB, another unit, no token, no session.
    assert_eq!(
        upload(
            &app,
            &report,
            Some(&zhang),
            &token,
            "x.pdf",
            b"MZ\x90\x00 program"
        )
        .await
        .status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(5 * 1024 * 1024 + 1, b'0');
    assert_eq!(
        upload(&app, &report, Some(&zhang), &token, "big.pdf", &big)
            .await
            .status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let mut huge = big.clone();
    huge.resize(7 * 1024 * 1024, b'0');
    assert_eq!(
        upload(&app, &report, Some(&zhang), &token, "huge.pdf", &huge)
            .await
            .status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let wang = login(&app, "wang").await;
    let wang_token = csrf(&app, &wang).await;
    assert_eq!(
        upload(&app, &report, Some(&wang), &wang_token, "w.pdf", &pdf)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        upload(&app, &report, Some(&zhang), "", "n.pdf", &pdf)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        upload(&app, &report, None, "", "n.pdf", &pdf).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        get(&app, &format!("/evidence/{file}"), Some(&wang))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Paths are ids, never names: traversal finds nothing.
    for path in [
        "/evidence/..%2F..%2Fetc%2Fpasswd",
        "/evidence/../../etc/passwd",
        "/evidence/999999",
        "/evidence/-1",
    ] {
        let got = get(&app, path, Some(&zhang)).await;
        assert!(
            matches!(got.status, StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST),
            "{path}: {}",
            got.status
        );
        assert!(!got.body.contains("root:"), "{path}");
    }
    // Accepted, the report's evidence is public.
    let li = login(&app, "li").await;
    let li_token = csrf(&app, &li).await;
    post(
        &app,
        &format!("/reports/{report}/review"),
        Some(&li),
        &[("csrf", &li_token), ("decision", "accept")],
    )
    .await;
    assert_eq!(
        get(&app, &format!("/evidence/{file}"), None).await.status,
        StatusCode::OK
    );
    // …and takes no more files.
    assert_eq!(
        upload(&app, &report, Some(&zhang), &token, "late.pdf", &pdf)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}

/// The ids of the reports a page lists, in order.
fn report_ids(page: &str) -> Vec<String> {
    let mut ids: Vec<String> = page
        .match_indices("id=\"report-")
        .map(|(at, _)| {
            page[at + 11..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect()
        })
        .collect();
    ids.dedup();
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cooperating_units_report_to_the_lead() {
    let app = app().await;
    // 市教委 cooperates on task 17, which 市科技局 leads.
    let zhao = login(&app, "zhao").await;
    let zhao_token = csrf(&app, &zhao).await;
    let got = post(
        &app,
        "/tasks/2/17/reports",
        Some(&zhao),
        &[
            ("csrf", &zhao_token),
            ("status", "on_track"),
            ("narrative", "配合完成师资培训"),
        ],
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER);
    let zhang = login(&app, "zhang").await;
    let zhang_token = csrf(&app, &zhang).await;
    let page = get(&app, "/tasks/2/17", Some(&zhang)).await.body;
    assert!(
        page.contains("配合完成师资培训"),
        "the lead sees its cooperating unit's draft"
    );
    let cooperating = report_ids(&page)[0].clone();
    // The lead's own report goes to the supervisor.
    post(
        &app,
        "/tasks/2/17/reports",
        Some(&zhang),
        &[
            ("csrf", &zhang_token),
            ("status", "on_track"),
            ("narrative", "牵头单位报送"),
        ],
    )
    .await;
    let ids = report_ids(&get(&app, "/tasks/2/17", Some(&zhang)).await.body);
    let own = ids.iter().find(|i| **i != cooperating).unwrap().clone();
    let review = |id: &str| format!("/reports/{id}/review");
    assert_eq!(
        post(
            &app,
            &review(&own),
            Some(&zhang),
            &[("csrf", &zhang_token), ("decision", "accept")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN,
        "the lead does not review itself"
    );
    assert_eq!(
        post(
            &app,
            &review(&own),
            Some(&zhao),
            &[("csrf", &zhao_token), ("decision", "accept")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN,
        "nor does a cooperating unit"
    );
    let wang = login(&app, "wang").await;
    let wang_token = csrf(&app, &wang).await;
    assert_eq!(
        post(
            &app,
            &review(&cooperating),
            Some(&wang),
            &[("csrf", &wang_token), ("decision", "accept")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    // The lead accepts its cooperating unit's report; it is published.
    let got = post(
        &app,
        &review(&cooperating),
        Some(&zhang),
        &[
            ("csrf", &zhang_token),
            ("decision", "accept"),
            ("comment", "已汇总"),
        ],
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    assert!(
        get(&app, "/tasks/2/17", None)
            .await
            .body
            .contains("配合完成师资培训")
    );
    assert!(
        !get(&app, "/tasks/2/17", None)
            .await
            .body
            .contains("牵头单位报送")
    );
}

async fn add_task(app: &Arc<plantrack_web::App>, cookie: &str, token: &str) -> Got {
    post(
        app,
        "/tasks/new",
        Some(cookie),
        &[
            ("csrf", token),
            ("year", "2023"),
            ("region", "天津市"),
            ("category", "十、加强政府自身建设"),
            ("text", "建设重点工作智慧督办平台"),
            ("deadline", "9月底前完成"),
            ("leaders", "李文海"),
            ("units", "市科技局\n市政务服务办"),
        ],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supervisors_add_tasks_by_hand() {
    let app = app().await;
    let li = login(&app, "li").await;
    let zhang = login(&app, "zhang").await;
    assert_eq!(
        get(&app, "/tasks/new", Some(&li)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        get(&app, "/tasks/new", Some(&zhang)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get(&app, "/tasks/new", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let boss = login(&app, "boss").await;
    assert_eq!(
        get(&app, "/tasks/new", Some(&boss)).await.status,
        StatusCode::OK
    );
    let chen = login(&app, "chen").await;
    assert_eq!(
        get(&app, "/tasks/new", Some(&chen)).await.status,
        StatusCode::FORBIDDEN
    );
    let chen_token = csrf(&app, &chen).await;
    assert_eq!(
        add_task(&app, &chen, &chen_token).await.status,
        StatusCode::FORBIDDEN
    );
    let li_token = csrf(&app, &li).await;
    let zhang_token = csrf(&app, &zhang).await;
    assert_eq!(
        add_task(&app, &zhang, &zhang_token).await.status,
        StatusCode::FORBIDDEN
    );
    let got = add_task(&app, &li, &li_token).await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    let at = got.headers[header::LOCATION].to_str().unwrap().to_string();
    let page = get(&app, &at, Some(&zhang)).await.body;
    assert!(
        page.contains("建设重点工作智慧督办平台")
            && page.contains("市政务服务办")
            && page.contains("2023-09-30")
    );
    // Its lead unit reports on it like on any task.
    let report = format!("{at}/reports");
    let got = post(
        &app,
        &report,
        Some(&zhang),
        &[
            ("csrf", &zhang_token),
            ("status", "on_track"),
            ("narrative", "平台已上线试运行"),
        ],
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER);
    let all = serde_json::from_str::<serde_json::Value>(
        &get(&app, "/api/tasks?year=2023", None).await.body,
    )
    .unwrap();
    assert_eq!(all.as_array().unwrap().len(), 161);
    // The trail says who added it.
    assert!(
        get(&app, &at, Some(&li))
            .await
            .body
            .contains("li 新增了这项任务")
    );
}

/// A form posted with extra headers (an `Origin`, a proxy's `X-Forwarded-…`).
async fn post_with(
    app: &Arc<plantrack_web::App>,
    uri: &str,
    cookie: Option<&str>,
    extra: &[(&str, &str)],
    pairs: &[(&str, &str)],
) -> Got {
    let mut r = Request::builder()
        .method("POST")
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "plantrack.test");
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    for (k, v) in extra {
        r = r.header(*k, *v);
    }
    send(app, r.body(Body::from(form(pairs))).unwrap()).await
}

/// The id of the newest report on task 17 that `cookie`'s user sees.
async fn newest_report(app: &Arc<plantrack_web::App>, cookie: &str) -> String {
    report_ids(&get(app, "/tasks/2/17", Some(cookie)).await.body)[0].clone()
}

/// Issue 14: `next=/%09/evil.example` answered `Location: /\t/evil.example` (Chromium went to
/// evil.example), and a newline in `next` gave a 500 after a right password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_goes_only_to_paths_of_this_site() {
    let app = app().await;
    for (next, to) in [
        ("/\t/evil.example", "/me"),
        ("/\n/evil.example", "/me"),
        ("/tasks\r\nSet-Cookie: x=y", "/me"),
        ("/\\evil.example", "/me"),
        ("/tasks//evil.example", "/me"),
        ("https://evil.example/", "/me"),
        ("/tasks?year=2023", "/tasks?year=2023"),
        (
            "/units/市科技局",
            "/units/%E5%B8%82%E7%A7%91%E6%8A%80%E5%B1%80",
        ),
    ] {
        let got = post(
            &app,
            "/login",
            None,
            &[("name", "li"), ("password", PASSWORD), ("next", next)],
        )
        .await;
        assert_eq!(got.status, StatusCode::SEE_OTHER, "{next:?}: {}", got.body);
        assert_eq!(got.headers[header::LOCATION], to, "{next:?}");
    }
    // The sign-in form carries only a safe `next` too.
    let page = get(&app, "/login?next=%2F%09%2Fevil.example", None)
        .await
        .body;
    assert!(page.contains("name=\"next\" value=\"/\""), "{page}");
}

/// Issue 14: 100,010 failed sign-ins with made-up names from one address emptied the limiter.
/// Now one address has a budget for all names together, and other addresses keep signing in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_trying_many_names_is_refused() {
    let app = app().await;
    let guesser = "203.0.113.9:4000";
    for _ in 0..plantrack_web::auth::MAX_FAILURES {
        login_from(&app, guesser, "zhang", "wrong").await;
    }
    for k in plantrack_web::auth::MAX_FAILURES..plantrack_web::auth::MAX_FAILURES_PER_ADDRESS {
        assert_eq!(
            login_from(&app, guesser, &format!("nobody{k}"), "wrong").await,
            StatusCode::UNAUTHORIZED
        );
    }
    for name in ["nobody-else", "wang"] {
        assert_eq!(
            login_from(&app, guesser, name, PASSWORD).await,
            StatusCode::TOO_MANY_REQUESTS,
            "{name}"
        );
    }
    assert_eq!(
        login_from(&app, guesser, "zhang", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // The guesser locks no one out elsewhere.
    assert_eq!(
        login_from(&app, "198.51.100.3:5000", "zhang", PASSWORD).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        login_from(&app, "198.51.100.3:5000", "wang", PASSWORD).await,
        StatusCode::SEE_OTHER
    );
}

/// Issue 14: an admin accepted their own report. Whoever wrote a report never accepts it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_one_accepts_their_own_report() {
    let app = app().await;
    let boss = login(&app, "boss").await;
    let token = csrf(&app, &boss).await;
    let got = post(
        &app,
        "/tasks/2/17/reports",
        Some(&boss),
        &[
            ("csrf", &token),
            ("status", "on_track"),
            ("narrative", "管理员代报"),
        ],
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    let id = newest_report(&app, &boss).await;
    let page = get(&app, "/tasks/2/17", Some(&boss)).await.body;
    assert!(
        !page.contains(&format!("/reports/{id}/review")),
        "no review form for its author"
    );
    let review = format!("/reports/{id}/review");
    for decision in ["accept", "return"] {
        assert_eq!(
            post(
                &app,
                &review,
                Some(&boss),
                &[("csrf", &token), ("decision", decision)]
            )
            .await
            .status,
            StatusCode::FORBIDDEN,
            "{decision}"
        );
    }
    // Another supervisor accepts it.
    let li = login(&app, "li").await;
    let li_token = csrf(&app, &li).await;
    assert!(
        get(&app, "/tasks/2/17", Some(&li))
            .await
            .body
            .contains(&review)
    );
    assert_eq!(
        post(
            &app,
            &review,
            Some(&li),
            &[("csrf", &li_token), ("decision", "accept")]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
}

/// Issue 14: the lead unit saw the review form of its cooperating unit's report but got a 404
/// for the evidence it had to judge. Whoever may review a report reads its evidence.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reviewer_reads_the_evidence() {
    let app = app().await;
    // 市教委 (zhao) cooperates on task 17, which 市科技局 (zhang) leads.
    let zhao = login(&app, "zhao").await;
    let zhao_token = csrf(&app, &zhao).await;
    post(
        &app,
        "/tasks/2/17/reports",
        Some(&zhao),
        &[
            ("csrf", &zhao_token),
            ("status", "on_track"),
            ("narrative", "配合单位报送材料"),
        ],
    )
    .await;
    let report = newest_report(&app, &zhao).await;
    let pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n".to_vec();
    let got = upload(
        &app,
        &report,
        Some(&zhao),
        &zhao_token,
        "培训记录.pdf",
        &pdf,
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    let zhang = login(&app, "zhang").await;
    let page = get(&app, "/tasks/2/17", Some(&zhang)).await.body;
    assert!(page.contains(&format!("/reports/{report}/review")));
    let at = page.find("/evidence/").unwrap() + 10;
    let file: String = page[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let evidence = format!("/evidence/{file}");
    let got = get(&app, &evidence, Some(&zhang)).await;
    assert_eq!(got.status, StatusCode::OK, "the lead reviews, so it reads");
    assert_eq!(got.body.as_bytes(), pdf.as_slice());
    // Still not for another unit, nor the public, before acceptance.
    let wang = login(&app, "wang").await;
    assert_eq!(
        get(&app, &evidence, Some(&wang)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, &evidence, None).await.status,
        StatusCode::NOT_FOUND
    );
    // The author and the supervisors read it as before.
    assert_eq!(
        get(&app, &evidence, Some(&zhao)).await.status,
        StatusCode::OK
    );
    let li = login(&app, "li").await;
    assert_eq!(get(&app, &evidence, Some(&li)).await.status, StatusCode::OK);
}

/// Issue 14: `x.html` holding `%PDF-…<script>` kept its name, U+202E stayed in names, and a
/// report took any number of files.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_names_and_the_number_of_files() {
    let app = app().await;
    let zhang = login(&app, "zhang").await;
    let token = csrf(&app, &zhang).await;
    post(
        &app,
        "/tasks/2/17/reports",
        Some(&zhang),
        &[
            ("csrf", &token),
            ("status", "on_track"),
            ("narrative", "附材料"),
        ],
    )
    .await;
    let report = newest_report(&app, &zhang).await;
    let pdf = b"%PDF-1.4\n<script>alert(1)</script>\n".to_vec();
    let got = upload(&app, &report, Some(&zhang), &token, "x.html", &pdf).await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    let got = upload(
        &app,
        &report,
        Some(&zhang),
        &token,
        "验收\u{202E}fdp.exe",
        &pdf,
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    let page = get(&app, "/tasks/2/17", Some(&zhang)).await.body;
    assert!(
        page.contains(">x.pdf<") && !page.contains("x.html"),
        "{page}"
    );
    assert!(page.contains(">验收fdp.pdf<") && !page.contains('\u{202E}'));
    let at = page.find("/evidence/").unwrap() + 10;
    let file: String = page[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let got = get(&app, &format!("/evidence/{file}"), Some(&zhang)).await;
    assert_eq!(got.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(
        got.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .ends_with(".pdf"),
        "{:?}",
        got.headers[header::CONTENT_DISPOSITION]
    );
    // Ten files a report; the eleventh is refused with a word the unit reads.
    for k in 2..plantrack_web::MAX_EVIDENCE_FILES {
        let got = upload(
            &app,
            &report,
            Some(&zhang),
            &token,
            &format!("{k}.pdf"),
            &pdf,
        )
        .await;
        assert_eq!(got.status, StatusCode::SEE_OTHER, "{k}: {}", got.body);
    }
    let page = get(&app, "/tasks/2/17", Some(&zhang)).await.body;
    assert!(
        !page.contains(&format!("/reports/{report}/evidence")),
        "no upload form on a full report"
    );
    let got = upload(&app, &report, Some(&zhang), &token, "11.pdf", &pdf).await;
    assert_eq!(got.status, StatusCode::BAD_REQUEST);
    assert!(got.body.contains("最多附 10 个"), "{}", got.body);
}

/// Issue 14: no page said it must not be framed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_response_may_be_framed() {
    let app = app().await;
    let li = login(&app, "li").await;
    let mut answers = Vec::new();
    for (uri, cookie) in [
        ("/", None),
        ("/tasks/2/17", Some(li.as_str())),
        ("/api/tasks?format=csv", None),
        ("/api/documents", None),
        ("/assets/app.css", None),
        ("/no/such/page", None),
        ("/evidence/999", Some(li.as_str())),
        ("/login", None),
    ] {
        answers.push((uri, get(&app, uri, cookie).await));
    }
    answers.push((
        "POST /login",
        post(
            &app,
            "/login",
            None,
            &[("name", "li"), ("password", PASSWORD)],
        )
        .await,
    ));
    for (uri, got) in answers {
        assert_eq!(got.headers[header::X_FRAME_OPTIONS], "DENY", "{uri}");
        assert_eq!(
            got.headers[header::CONTENT_SECURITY_POLICY],
            "frame-ancestors 'none'",
            "{uri}"
        );
    }
}

/// Issue 14: cookies were never `Secure`, and the Origin check ignored the scheme.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_cookies_and_origins_with_their_scheme() {
    use plantrack_web::auth::Transport;
    let sign_in = [("name", "li"), ("password", PASSWORD)];
    let cookie_of = |got: &Got| {
        got.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .to_string()
    };
    // Plain HTTP: no `Secure` (the browser would drop the cookie), and an https origin is
    // another site.
    let plain = app().await;
    let got = post_with(&plain, "/login", None, &[], &sign_in).await;
    assert!(!cookie_of(&got).contains("Secure"));
    let forwarded = [("x-forwarded-proto", "https")];
    let got = post_with(&plain, "/login", None, &forwarded, &sign_in).await;
    assert!(
        !cookie_of(&got).contains("Secure"),
        "a proxy's word is believed only when it is trusted"
    );
    for (origin, status) in [
        ("http://plantrack.test", StatusCode::SEE_OTHER),
        ("https://plantrack.test", StatusCode::FORBIDDEN),
        ("http://evil.example", StatusCode::FORBIDDEN),
        ("null", StatusCode::FORBIDDEN),
    ] {
        let got = post_with(&plain, "/login", None, &[("origin", origin)], &sign_in).await;
        assert_eq!(got.status, status, "{origin}");
    }
    // Served over HTTPS: `Secure`, and forms only from the https origin.
    let https = app_over(Transport {
        https: true,
        trusted_proxy: false,
        ..Default::default()
    })
    .await;
    let got = post_with(&https, "/login", None, &[], &sign_in).await;
    assert!(cookie_of(&got).contains("; Secure"), "{}", cookie_of(&got));
    let li = cookie_of(&got).split(';').next().unwrap().to_string();
    let token = csrf(&https, &li).await;
    let logout = [("csrf", token.as_str())];
    let got = post_with(
        &https,
        "/logout",
        Some(&li),
        &[("origin", "http://plantrack.test")],
        &logout,
    )
    .await;
    assert_eq!(got.status, StatusCode::FORBIDDEN, "http is another origin");
    let got = post_with(
        &https,
        "/logout",
        Some(&li),
        &[("origin", "https://plantrack.test")],
        &logout,
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER);
    assert!(cookie_of(&got).contains("Max-Age=0; Secure"));
    // Behind a trusted proxy: its scheme and host are the request's.
    let proxied = app_over(Transport {
        https: false,
        trusted_proxy: true,
        ..Default::default()
    })
    .await;
    let via = [
        ("x-forwarded-proto", "https"),
        ("x-forwarded-host", "plan.example.gov.cn"),
        ("origin", "https://plan.example.gov.cn"),
    ];
    let got = post_with(&proxied, "/login", None, &via, &sign_in).await;
    assert_eq!(got.status, StatusCode::SEE_OTHER);
    assert!(cookie_of(&got).contains("; Secure"));
    let got = post_with(
        &proxied,
        "/login",
        None,
        &[
            ("x-forwarded-proto", "https"),
            ("origin", "http://plantrack.test"),
        ],
        &sign_in,
    )
    .await;
    assert_eq!(got.status, StatusCode::FORBIDDEN);
}

/// Issue 14: a report `=HYPERLINK("http://evil.example/","详情")`, once accepted, was a live
/// formula in `/api/tasks?format=csv`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_accepted_report_is_no_formula_in_the_csv() {
    let app = app().await;
    let zhang = login(&app, "zhang").await;
    let token = csrf(&app, &zhang).await;
    let formula = "=HYPERLINK(\"http://evil.example/\",\"详情\")";
    post(
        &app,
        "/tasks/2/17/reports",
        Some(&zhang),
        &[
            ("csrf", &token),
            ("status", "on_track"),
            ("narrative", formula),
        ],
    )
    .await;
    let id = newest_report(&app, &zhang).await;
    let li = login(&app, "li").await;
    let li_token = csrf(&app, &li).await;
    let got = post(
        &app,
        &format!("/reports/{id}/review"),
        Some(&li),
        &[("csrf", &li_token), ("decision", "accept")],
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER);
    let csv = get(&app, "/api/tasks?year=2023&format=csv", None)
        .await
        .body;
    assert!(
        csv.contains(",\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"详情\"\")\","),
        "{csv}"
    );
    assert!(!csv.contains(",\"=HYPERLINK") && !csv.contains(",=HYPERLINK"));
}

/// A disabled account is refused at sign-in like an unknown name, and gets no cookie.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disabled_account_does_not_sign_in() {
    let app = app().await;
    app.data
        .store
        .set_user_disabled("wang", true, "test")
        .await
        .unwrap();
    let got = post(
        &app,
        "/login",
        None,
        &[("name", "wang"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(got.status, StatusCode::UNAUTHORIZED);
    assert!(got.headers.get(header::SET_COOKIE).is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_work_queue_follows_a_report_from_unit_to_review_and_back() {
    let app = app().await;
    let queue = |cookie: Option<String>| {
        let app = app.clone();
        async move {
            let got = get(&app, "/api/me/queue?year=2023", cookie.as_deref()).await;
            assert_eq!(
                got.headers.get(header::CACHE_CONTROL).unwrap(),
                "private, no-store"
            );
            (
                got.status,
                serde_json::from_str::<serde_json::Value>(&got.body).unwrap(),
            )
        }
    };
    let kinds = |q: &serde_json::Value, seq: u64| -> Vec<String> {
        q["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["seq"] == seq && i["doc"] == 2)
            .map(|i| i["kind"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(queue(None).await.0, StatusCode::UNAUTHORIZED);

    // A reporter who signs in from the home page lands on the queue.
    let landing = post(
        &app,
        "/login",
        None,
        &[("name", "zhang"), ("password", PASSWORD), ("next", "/")],
    )
    .await;
    assert_eq!(landing.headers.get(header::LOCATION).unwrap(), "/me");

    // 市科技局 leads task 17: to acknowledge, and its 2023 report is late.
    let zhang = login(&app, "zhang").await;
    let (_, q) = queue(Some(zhang.clone())).await;
    let mut first = kinds(&q, 17);
    first.sort();
    assert_eq!(first, ["acknowledge", "report"], "{q}");
    let late = q["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["seq"] == 17 && i["kind"] == "report")
        .unwrap();
    assert_eq!(late["late"], true);
    assert_eq!(late["date"], "2023-12-31");
    let page = get(&app, "/me?year=2023", Some(&zhang)).await;
    assert!(
        page.body.contains("待签收") && page.body.contains("未按期反馈"),
        "{}",
        page.body
    );

    let token = csrf(&app, &zhang).await;
    let ack = post(&app, "/tasks/2/17/ack", Some(&zhang), &[("csrf", &token)]).await;
    assert_eq!(ack.status, StatusCode::SEE_OTHER, "{}", ack.body);
    let (_, q) = queue(Some(zhang.clone())).await;
    assert_eq!(kinds(&q, 17), ["report"], "acknowledged: {q}");

    // A report waits in the supervisor's queue, not in the author's.
    post(
        &app,
        "/tasks/2/17/reports",
        Some(&zhang),
        &[
            ("csrf", &token),
            ("status", "on_track"),
            ("percent", "40"),
            ("narrative", "推进中"),
        ],
    )
    .await;
    let li = login(&app, "li").await;
    let (_, q) = queue(Some(li.clone())).await;
    assert_eq!(kinds(&q, 17), ["review"], "{q}");
    let id = q["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["seq"] == 17)
        .unwrap()["report"]
        .as_i64()
        .unwrap();
    assert!(
        kinds(&queue(Some(zhang.clone())).await.1, 17)
            .iter()
            .all(|k| k != "review")
    );

    // Returned: it is the unit's to fix, and no longer the supervisor's to review.
    let li_token = csrf(&app, &li).await;
    post(
        &app,
        &format!("/reports/{id}/review"),
        Some(&li),
        &[
            ("csrf", &li_token),
            ("decision", "return"),
            ("comment", "请补充数据"),
        ],
    )
    .await;
    let (_, q) = queue(Some(zhang.clone())).await;
    assert!(kinds(&q, 17).contains(&"fix".to_string()), "{q}");
    let fix = q["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "fix")
        .unwrap();
    assert_eq!(fix["what"], "报告被退回：请补充数据");
    assert!(kinds(&queue(Some(li.clone())).await.1, 17).is_empty());

    // Fixed by a new report: the returned one leaves the queue, the new one waits for review.
    post(
        &app,
        "/tasks/2/17/reports",
        Some(&zhang),
        &[
            ("csrf", &token),
            ("status", "on_track"),
            ("percent", "50"),
            ("narrative", "已补充"),
        ],
    )
    .await;
    assert!(!kinds(&queue(Some(zhang.clone())).await.1, 17).contains(&"fix".to_string()));
    assert_eq!(kinds(&queue(Some(li.clone())).await.1, 17), ["review"]);
    // Another unit's reporter sees none of it.
    let wang = login(&app, "wang").await;
    assert!(kinds(&queue(Some(wang)).await.1, 17).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_urge_reaches_the_unit_and_an_approved_extension_moves_the_deadline() {
    let app = app().await;
    let json = |g: Got| serde_json::from_str::<serde_json::Value>(&g.body).unwrap();
    let li = login(&app, "li").await;
    let li_token = csrf(&app, &li).await;
    let zhang = login(&app, "zhang").await;
    let token = csrf(&app, &zhang).await;
    let wang = login(&app, "wang").await;
    let wang_token = csrf(&app, &wang).await;
    let items = |q: &serde_json::Value, kind: &str| -> Vec<serde_json::Value> {
        q["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["kind"] == kind && i["seq"] == 17)
            .cloned()
            .collect()
    };

    // 催办: only a supervisor urges; the urge waits in the unit's queue until it reports.
    let refused = post(
        &app,
        "/tasks/2/17/urge",
        Some(&wang),
        &[("csrf", &wang_token)],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let urged = post(
        &app,
        "/tasks/2/17/urge",
        Some(&li),
        &[
            ("csrf", &li_token),
            ("unit", "市科技局"),
            ("message", "请于本周内报送进展"),
        ],
    )
    .await;
    assert_eq!(urged.status, StatusCode::SEE_OTHER, "{}", urged.body);
    let q = json(get(&app, "/api/me/queue?year=2023", Some(&zhang)).await);
    let urge = items(&q, "urge");
    assert_eq!(urge.len(), 1, "{q}");
    assert_eq!(urge[0]["what"], "li催办：请于本周内报送进展");
    assert!(
        items(
            &json(get(&app, "/api/me/queue?year=2023", Some(&wang)).await),
            "urge"
        )
        .is_empty()
    );
    let page = get(&app, "/tasks/2/17", Some(&li)).await.body;
    assert!(
        page.contains("li 催办市科技局：请于本周内报送进展"),
        "the trail says it"
    );

    // The unit reports; the supervisor accepts: past the deadline, reported, not done: overdue.
    post(
        &app,
        "/tasks/2/17/reports",
        Some(&zhang),
        &[
            ("csrf", &token),
            ("status", "on_track"),
            ("percent", "70"),
            ("narrative", "主体完工"),
        ],
    )
    .await;
    assert!(
        items(
            &json(get(&app, "/api/me/queue?year=2023", Some(&zhang)).await),
            "urge"
        )
        .is_empty()
    );
    let page = get(&app, "/tasks/2/17", Some(&li)).await.body;
    let at = page.find("/reports/").unwrap() + 9;
    let id: String = page[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    post(
        &app,
        &format!("/reports/{id}/review"),
        Some(&li),
        &[("csrf", &li_token), ("decision", "accept")],
    )
    .await;
    assert_eq!(
        json(get(&app, "/api/tasks/2/17", None).await)["status"],
        "overdue"
    );

    // 延期申请: the lead unit asks; a cooperating unit cannot; a date in the past is refused.
    let ask = |cookie: String, tok: String, deadline: &'static str| {
        let app = app.clone();
        async move {
            post(
                &app,
                "/tasks/2/17/extension",
                Some(&cookie),
                &[
                    ("csrf", &tok),
                    ("deadline", deadline),
                    ("reason", "受施工季节影响"),
                ],
            )
            .await
        }
    };
    assert_eq!(
        ask(wang.clone(), wang_token.clone(), "2099-06-30")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let past = ask(zhang.clone(), token.clone(), "2020-06-30").await;
    assert_eq!(past.status, StatusCode::BAD_REQUEST);
    assert!(past.body.contains("须晚于今天"), "{}", past.body);
    assert_eq!(
        ask(zhang.clone(), token.clone(), "2099-06-30").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        ask(zhang.clone(), token.clone(), "2099-09-30").await.status,
        StatusCode::BAD_REQUEST,
        "one request waits at a time"
    );
    // Waiting: the deadline is the table's still; the supervisor's queue holds the request.
    assert_eq!(
        json(get(&app, "/api/tasks/2/17", None).await)["status"],
        "overdue"
    );
    let q = json(get(&app, "/api/me/queue?year=2023", Some(&li)).await);
    let waiting = items(&q, "extension");
    assert_eq!(waiting.len(), 1, "{q}");
    assert_eq!(
        waiting[0]["what"],
        "市科技局申请延期至2099-06-30：受施工季节影响"
    );
    let page = get(&app, "/tasks/2/17", Some(&li)).await.body;
    let at = page.find("/extensions/").unwrap() + 12;
    let xid: String = page[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    // The reporter does not decide; the supervisor approves, once.
    let decide = |cookie: String, tok: String| {
        let app = app.clone();
        let xid = xid.clone();
        async move {
            post(
                &app,
                &format!("/extensions/{xid}/decide"),
                Some(&cookie),
                &[("csrf", &tok), ("decision", "approve"), ("comment", "同意")],
            )
            .await
            .status
        }
    };
    assert_eq!(
        decide(zhang.clone(), token.clone()).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        decide(li.clone(), li_token.clone()).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        decide(li.clone(), li_token.clone()).await,
        StatusCode::BAD_REQUEST
    );
    // Approved: the new deadline drives the status, and says so.
    let task = json(get(&app, "/api/tasks/2/17", None).await);
    assert_eq!(task["status"], "on_track", "{task}");
    assert_eq!(task["final_due"], "2099-06-30");
    assert_eq!(task["extended_to"], "2099-06-30");
    assert!(
        task["reason_zh"]
            .as_str()
            .unwrap()
            .ends_with("已批准延期至2099-06-30"),
        "{task}"
    );
    let page = get(&app, "/tasks/2/17", Some(&li)).await.body;
    assert!(
        page.contains("li 批准延期至2099-06-30：同意"),
        "the trail says it"
    );
    assert!(
        items(
            &json(get(&app, "/api/me/queue?year=2023", Some(&li)).await),
            "extension"
        )
        .is_empty()
    );
}

/// The report form as a browser sends it with files: its fields, then a `file` part for each
/// file (name, bytes); a file input left empty sends one nameless empty part.
fn report_multipart(fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "plantrackreport9XkQ2";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (name, data) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Posts the report form of task 17 with its files.
async fn report_with_files(
    app: &Arc<plantrack_web::App>,
    cookie: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &[u8])],
) -> Got {
    let (kind, body) = report_multipart(fields, files);
    let r = Request::builder()
        .method("POST")
        .uri("/tasks/2/17/reports")
        .header(header::CONTENT_TYPE, kind)
        .header(header::HOST, "plantrack.test")
        .header(header::COOKIE, cookie);
    send(app, r.body(Body::from(body)).unwrap()).await
}

/// The part of a task page that shows report `id`.
fn report_item<'a>(page: &'a str, id: &str) -> &'a str {
    let at = page
        .find(&format!("id=\"report-{id}\""))
        .expect("the report");
    let end = page[at..].find("</li>\n").map_or(page.len(), |e| at + e);
    &page[at..end]
}

/// Issue 13 item 5: a report reached review without its evidence, which could be attached only
/// after it was submitted. The report form takes its files, stored with it in one go.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_and_its_files_go_in_together() {
    let app = app().await;
    let zhang = login(&app, "zhang").await;
    let token = csrf(&app, &zhang).await;
    let page = get(&app, "/tasks/2/17", Some(&zhang)).await.body;
    assert!(
        page.contains("enctype=\"multipart/form-data\" class=\"report-form\"")
            && page.contains("name=\"file\" multiple"),
        "the report form takes several files"
    );
    let pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n".to_vec();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let got = report_with_files(
        &app,
        &zhang,
        &[
            ("csrf", &token),
            ("status", "on_track"),
            ("percent", "40"),
            ("narrative", "已完成验收，附验收报告和现场照片"),
        ],
        &[("验收报告.pdf", &pdf), ("现场照片.png", &png)],
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    let id = newest_report(&app, &zhang).await;
    assert_eq!(
        got.headers[header::LOCATION],
        format!("/tasks/2/17#report-{id}").as_str()
    );
    let page = get(&app, "/tasks/2/17", Some(&zhang)).await.body;
    let item = report_item(&page, &id);
    assert!(item.contains("已完成验收"), "{item}");
    assert!(
        item.contains(">验收报告.pdf<") && item.contains(">现场照片.png<"),
        "both files under the report: {item}"
    );
    assert_eq!(item.matches("href=\"/evidence/").count(), 2, "{item}");
    // Each downloads as it was sent, and the trail says each in words.
    let at = item.find("/evidence/").unwrap() + 10;
    let file: String = item[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let got = get(&app, &format!("/evidence/{file}"), Some(&zhang)).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body.as_bytes(), pdf.as_slice());
    assert!(page.contains("zhang 上传了佐证材料《验收报告.pdf》"));
    assert!(page.contains("zhang 上传了佐证材料《现场照片.png》"));
    // Still open to more files until reviewed.
    assert!(page.contains(&format!("/reports/{id}/evidence")));
    // A file input left empty is no file; the urlencoded form is still taken.
    let got = report_with_files(
        &app,
        &zhang,
        &[
            ("csrf", &token),
            ("status", "at_risk"),
            ("narrative", "本月无新材料"),
        ],
        &[("", b"")],
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    let bare = newest_report(&app, &zhang).await;
    let page = get(&app, "/tasks/2/17", Some(&zhang)).await.body;
    assert!(!report_item(&page, &bare).contains("/evidence/"));
    let got = post(
        &app,
        "/tasks/2/17/reports",
        Some(&zhang),
        &[
            ("csrf", &token),
            ("status", "on_track"),
            ("narrative", "脚本报送"),
        ],
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    // No token, nothing stored, whatever the files.
    let before = report_ids(&get(&app, "/tasks/2/17", Some(&zhang)).await.body);
    let got = report_with_files(
        &app,
        &zhang,
        &[("status", "on_track"), ("narrative", "无令牌")],
        &[("a.pdf", &pdf)],
    )
    .await;
    assert_eq!(got.status, StatusCode::FORBIDDEN);
    assert_eq!(
        report_ids(&get(&app, "/tasks/2/17", Some(&zhang)).await.body),
        before
    );
    // The author never accepts their own report, files or not: an admin reports for the unit.
    let boss = login(&app, "boss").await;
    let boss_token = csrf(&app, &boss).await;
    let got = report_with_files(
        &app,
        &boss,
        &[
            ("csrf", &boss_token),
            ("status", "completed"),
            ("narrative", "管理员代报并附材料"),
        ],
        &[("代报.pdf", &pdf)],
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    let own = newest_report(&app, &boss).await;
    for decision in ["accept", "return"] {
        assert_eq!(
            post(
                &app,
                &format!("/reports/{own}/review"),
                Some(&boss),
                &[("csrf", &boss_token), ("decision", decision)]
            )
            .await
            .status,
            StatusCode::FORBIDDEN,
            "{decision}"
        );
    }
}

/// A refused file (its type, its size) stores no report, and the refusal names the file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_file_stores_no_report() {
    let app = app().await;
    let zhang = login(&app, "zhang").await;
    let token = csrf(&app, &zhang).await;
    let before = report_ids(&get(&app, "/tasks/2/17", Some(&zhang)).await.body);
    let pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n".to_vec();
    let fields = [
        ("csrf", token.as_str()),
        ("status", "on_track"),
        ("narrative", "附材料，其中一个不是文档"),
    ];
    let got = report_with_files(
        &app,
        &zhang,
        &fields,
        &[
            ("验收报告.pdf", &pdf),
            ("安装程序.pdf", b"MZ\x90\x00 program"),
        ],
    )
    .await;
    assert_eq!(
        got.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        got.body
    );
    assert!(
        got.body
            .contains("安装程序：不是PDF、PNG、JPEG、DOCX或XLSX文件"),
        "{}",
        got.body
    );
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(5 * 1024 * 1024 + 1, b'0');
    let got = report_with_files(
        &app,
        &zhang,
        &fields,
        &[("扫描件.pdf", &big), ("验收报告.pdf", &pdf)],
    )
    .await;
    assert_eq!(got.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", got.body);
    assert!(got.body.contains("扫描件：超过5MB"), "{}", got.body);
    let got = report_with_files(&app, &zhang, &fields, &[("空白.pdf", b"")]).await;
    assert_eq!(got.status, StatusCode::BAD_REQUEST, "{}", got.body);
    assert!(got.body.contains("空白：文件是空的"), "{}", got.body);
    let page = get(&app, "/tasks/2/17", Some(&zhang)).await.body;
    assert_eq!(report_ids(&page), before, "no report stored");
    assert!(!page.contains("附材料，其中一个不是文档"));
    assert!(!page.contains("验收报告.pdf"), "nor any of its files");
}

/// At most ten files a report, in the form as after it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_form_takes_at_most_ten_files() {
    let app = app().await;
    let zhang = login(&app, "zhang").await;
    let token = csrf(&app, &zhang).await;
    let before = report_ids(&get(&app, "/tasks/2/17", Some(&zhang)).await.body);
    let pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n".to_vec();
    let names: Vec<String> = (1..=plantrack_web::MAX_EVIDENCE_FILES + 1)
        .map(|k| format!("附件{k}.pdf"))
        .collect();
    let files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), pdf.as_slice())).collect();
    let fields = [
        ("csrf", token.as_str()),
        ("status", "on_track"),
        ("narrative", "附全部材料"),
    ];
    let got = report_with_files(&app, &zhang, &fields, &files).await;
    assert_eq!(got.status, StatusCode::BAD_REQUEST, "{}", got.body);
    assert!(got.body.contains("最多附 10 个"), "{}", got.body);
    assert_eq!(
        report_ids(&get(&app, "/tasks/2/17", Some(&zhang)).await.body),
        before,
        "eleven files: no report"
    );
    let got = report_with_files(
        &app,
        &zhang,
        &fields,
        &files[..plantrack_web::MAX_EVIDENCE_FILES],
    )
    .await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    let id = newest_report(&app, &zhang).await;
    let page = get(&app, "/tasks/2/17", Some(&zhang)).await.body;
    let item = report_item(&page, &id);
    assert_eq!(item.matches("href=\"/evidence/").count(), 10, "{item}");
    assert!(
        !item.contains(&format!("/reports/{id}/evidence")),
        "a full report takes no more"
    );
    let got = upload(&app, &id, Some(&zhang), &token, "附件11.pdf", &pdf).await;
    assert_eq!(got.status, StatusCode::BAD_REQUEST);
}

/// The web's conversion of an uploaded table of figures: the same as `plantrack import`'s
/// (crates/cli/src/ingest.rs `figures`), which the binary gives the app.
struct Figures;

impl plantrack_web::Importer for Figures {
    fn import(
        &self,
        file: &str,
        bytes: &[u8],
    ) -> Result<(String, plantrack_model::Extraction), String> {
        let rows = plantrack_read::read_rows(bytes).map_err(|e| e.to_string())?;
        plantrack_extract::import::results_from_rows(&rows, file).map_err(|e| e.to_string())
    }
}

async fn import_file(
    app: &Arc<plantrack_web::App>,
    cookie: Option<&str>,
    csrf: &str,
    name: &str,
    data: &[u8],
) -> Got {
    let (kind, body) = multipart(csrf, name, data);
    let mut r = Request::builder()
        .method("POST")
        .uri("/documents/import")
        .header(header::CONTENT_TYPE, kind)
        .header(header::HOST, "plantrack.test");
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    send(app, r.body(Body::from(body)).unwrap()).await
}

const FIGURES: &str = "地区,年份,指标,数值,单位,口径,来源\n\
    天津市,2023,粮食播种面积,577.6,万亩,总量,天津市2023年国民经济和社会发展统计公报\n\
    天津市,2023,城镇污水集中处理率,95.5,%,比重,天津市2023年国民经济和社会发展统计公报\n\
    天津市,2023,固定资产投资,-16.4,%,增速,天津市2023年国民经济和社会发展统计公报\n";

/// Issue 15 item 1 on the web: a supervisor uploads a table of figures; it is stored as the
/// command line stores it, audited with the file and its rows; the same file again changes
/// nothing, a changed one replaces its rows, a bad row refuses the file (named, nothing
/// stored); reporters and the public cannot.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supervisors_upload_tables_of_figures() {
    let app = app().await;
    let json = |g: Got| serde_json::from_str::<serde_json::Value>(&g.body).unwrap();
    assert!(app.set_importer(Arc::new(Figures)));
    let li = login(&app, "li").await;
    let token = csrf(&app, &li).await;
    // The form is on /documents for a supervisor only.
    let page = get(&app, "/documents", Some(&li)).await.body;
    assert!(page.contains("action=\"/documents/import\""), "{page}");
    assert!(page.contains("enctype=\"multipart/form-data\""));
    let zhang = login(&app, "zhang").await;
    for cookie in [None, Some(zhang.as_str())] {
        let page = get(&app, "/documents", cookie).await.body;
        assert!(!page.contains("action=\"/documents/import\""), "{cookie:?}");
    }
    let before = app.data.store.counts().await.unwrap();

    // Neither the public nor a reporter may import.
    let got = import_file(&app, None, "", "figures.csv", FIGURES.as_bytes()).await;
    assert_eq!(got.status, StatusCode::UNAUTHORIZED);
    let zhang_token = csrf(&app, &zhang).await;
    let got = import_file(
        &app,
        Some(&zhang),
        &zhang_token,
        "figures.csv",
        FIGURES.as_bytes(),
    )
    .await;
    assert_eq!(got.status, StatusCode::FORBIDDEN);
    assert!(
        got.body.contains("只有督查员可以导入数据文件"),
        "{}",
        got.body
    );
    // Nor a supervisor's form without its token.
    let got = import_file(&app, Some(&li), "forged", "figures.csv", FIGURES.as_bytes()).await;
    assert_eq!(got.status, StatusCode::FORBIDDEN);
    assert_eq!(app.data.store.counts().await.unwrap(), before);

    // Accepted: the document and its three results, audited.
    let got = import_file(&app, Some(&li), &token, "figures.csv", FIGURES.as_bytes()).await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
    let to = got.headers[header::LOCATION].to_str().unwrap().to_string();
    assert!(to.contains("imported=inserted"), "{to}");
    let after = app.data.store.counts().await.unwrap();
    assert_eq!(after.documents, before.documents + 1);
    assert_eq!(after.quantities, before.quantities + 3);
    let trail = app
        .data
        .store
        .audit_of("document", "upload/figures.csv")
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].actor, "li");
    assert_eq!(trail[0].action, "insert");
    let detail = trail[0].after.as_deref().unwrap();
    assert!(
        detail.contains("\"file\":\"figures.csv\"") && detail.contains("\"rows\":3"),
        "{detail}"
    );
    let viewer = get(&app, &to, Some(&li)).await.body;
    assert!(viewer.contains("已导入"), "{viewer}");
    assert!(viewer.contains("li 导入了figures.csv的3行数据"), "{viewer}");
    // Its figures are results of 2023, citing the file and the row.
    let results = json(get(&app, "/api/documents/3", None).await);
    assert_eq!(results["document"]["source"], "figures.csv");
    assert_eq!(results["quantities"].as_array().unwrap().len(), 3);

    // The same file again: nothing changes, nothing is audited.
    let got = import_file(&app, Some(&li), &token, "figures.csv", FIGURES.as_bytes()).await;
    assert_eq!(got.status, StatusCode::SEE_OTHER);
    assert!(
        got.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .contains("imported=unchanged")
    );
    assert_eq!(app.data.store.counts().await.unwrap(), after);
    assert_eq!(
        app.data
            .store
            .audit_of("document", "upload/figures.csv")
            .await
            .unwrap()
            .len(),
        1
    );
    let viewer = get(&app, "/documents/3?imported=unchanged", Some(&li))
        .await
        .body;
    assert!(viewer.contains("台账没有变化"), "{viewer}");

    // A changed file replaces its rows.
    let changed = format!("{FIGURES}天津市,2023,规上工业增加值,3.7,%,增速,统计公报\n");
    let got = import_file(&app, Some(&li), &token, "figures.csv", changed.as_bytes()).await;
    assert!(
        got.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .contains("imported=replaced")
    );
    let replaced = app.data.store.counts().await.unwrap();
    assert_eq!(replaced.documents, after.documents);
    assert_eq!(replaced.quantities, after.quantities + 1);
    let trail = app
        .data
        .store
        .audit_of("document", "upload/figures.csv")
        .await
        .unwrap();
    assert_eq!(trail.len(), 2);
    assert!(
        trail
            .iter()
            .any(|e| e.action == "replace" && e.after.as_deref().unwrap().contains("\"rows\":4"))
    );

    // A bad row refuses the whole file, named with its number; nothing of it is stored, and
    // the file imported before is untouched.
    let bad = format!("{FIGURES}天津市,2023,规上工业增加值,三点七,%,增速,统计公报\n");
    for name in ["figures.csv", "other.csv"] {
        let got = import_file(&app, Some(&li), &token, name, bad.as_bytes()).await;
        assert_eq!(got.status, StatusCode::BAD_REQUEST, "{name}");
        assert!(got.body.contains("第5行"), "{}", got.body);
        assert!(got.body.contains("文件中的数据均未导入"), "{}", got.body);
        assert_eq!(app.data.store.counts().await.unwrap(), replaced, "{name}");
    }
    assert!(
        app.data
            .store
            .audit_of("document", "upload/other.csv")
            .await
            .unwrap()
            .is_empty()
    );
    // No file, or an empty one.
    let got = import_file(&app, Some(&li), &token, "empty.csv", b"").await;
    assert_eq!(got.status, StatusCode::BAD_REQUEST);
    assert!(got.body.contains("文件是空的"), "{}", got.body);
}

/// A form's answer shows what it changed, on the server as it is run (which trusts a reading of
/// the store's version for a moment, for the writes of other processes): the urge is in the
/// unit's queue at once, not after the next reading. (A browser check once read the page after
/// an approved extension without the approval.)
#[tokio::test]
async fn the_page_after_a_form_shows_what_it_changed() {
    let app = plantrack_web::app(accounts().await, plantrack_evaluate::Lexicon::built_in());
    let li = login(&app, "li").await;
    let li_token = csrf(&app, &li).await;
    let zhang = login(&app, "zhang").await;
    // The queue evaluated (maybe slowly), then read again: the version was just read.
    for _ in 0..2 {
        let q = get(&app, "/api/me/queue?year=2023", Some(&zhang)).await;
        assert!(!q.body.contains("urge"), "{}", q.body);
    }
    let urged = post(
        &app,
        "/tasks/2/17/urge",
        Some(&li),
        &[
            ("csrf", &li_token),
            ("unit", "市科技局"),
            ("message", "请于本周内报送进展"),
        ],
    )
    .await;
    assert_eq!(urged.status, StatusCode::SEE_OTHER, "{}", urged.body);
    let q = get(&app, "/api/me/queue?year=2023", Some(&zhang)).await;
    assert!(
        q.body.contains("li催办：请于本周内报送进展"),
        "the queue right after the urge: {}",
        q.body
    );
}
