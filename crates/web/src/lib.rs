//! The web layer: the dashboard a planning office puts on its wall, the portal it publishes, and
//! the JSON API under both.
//!
//! Pages are rendered on the server (askama templates under `templates/`); the only script draws
//! the charts (Apache ECharts, vendored under `assets/vendor/echarts`) from data the server wrote
//! into the page. Every response carries an ETag made of the store's version, so an unchanged
//! ledger costs a browser one small round trip; static assets are cached for a day.
//!
//! Architecture invariant: this crate knows HTTP, HTML and the shapes of the API; it reads the
//! ledger through `plantrack-store` and evaluates it through `plantrack-evaluate`, and holds no
//! evaluation rule of its own.

mod api;
pub mod auth;
mod charts;
mod compare;
mod compress;
#[cfg(test)]
mod contrast;
mod data;
mod i18n;
mod pages;
mod public_json;
mod queue;
mod reports;
mod supervise;
mod upload;
mod util;
mod viewer;
mod views;
mod workflow;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use plantrack_evaluate::Lexicon;
use plantrack_store::{Store, StoreError};

pub use api::ApiDoc;
pub use data::Data;
pub use upload::Importer;
pub use workflow::MAX_EVIDENCE_FILES;

/// What the handlers share.
pub struct App {
    pub data: Data,
    pub limiter: auth::Limiter,
    /// How browsers reach the server (HTTPS, a proxy in front).
    pub transport: auth::Transport,
    /// Whether the office publishes unit and leader rankings (`PLANTRACK_PUBLISH_RANKINGS`);
    /// otherwise ranks and scores are for signed-in users.
    pub publish_rankings: bool,
    /// How an uploaded table of figures becomes results (the binary's `plantrack import`);
    /// without one, uploads are refused.
    pub importer: std::sync::OnceLock<Arc<dyn Importer>>,
}

impl App {
    /// Gives the app the conversion of uploaded tables of figures; `false` when it has one
    /// already.
    pub fn set_importer(&self, importer: Arc<dyn Importer>) -> bool {
        self.importer.set(importer).is_ok()
    }
}

/// The signed-in user of a request, if its session cookie names a live session.
pub(crate) async fn current_user(
    app: &App,
    headers: &HeaderMap,
) -> Result<Option<auth::User>, Failure> {
    let Some(id) = auth::session_cookie(headers) else {
        return Ok(None);
    };
    Ok(app
        .data
        .store
        .session(&id, auth::now_secs())
        .await?
        .map(|(account, csrf)| auth::User {
            account,
            session: id,
            csrf,
        }))
}

/// Why a request could not be answered.
#[derive(Debug)]
pub enum Failure {
    NotFound,
    /// Not signed in.
    Unauthorized,
    /// Signed in, but not allowed; or a form without its session's token.
    Forbidden(String),
    TooManyRequests(String),
    TooLarge(String),
    Unsupported(String),
    BadRequest(String),
    Internal(String),
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        Failure::Internal(e.to_string())
    }
}

impl Failure {
    fn status(&self) -> StatusCode {
        match self {
            Failure::NotFound => StatusCode::NOT_FOUND,
            Failure::Unauthorized => StatusCode::UNAUTHORIZED,
            Failure::Forbidden(_) => StatusCode::FORBIDDEN,
            Failure::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Failure::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Failure::Unsupported(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Failure::BadRequest(_) => StatusCode::BAD_REQUEST,
            Failure::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn message(&self) -> String {
        match self {
            Failure::NotFound => "not found".into(),
            Failure::Unauthorized => "sign in first".into(),
            Failure::BadRequest(m)
            | Failure::Internal(m)
            | Failure::Forbidden(m)
            | Failure::TooManyRequests(m)
            | Failure::TooLarge(m)
            | Failure::Unsupported(m) => m.clone(),
        }
    }
}

/// `If-None-Match` compares weakly (RFC 9110 13.1.2): a compressed answer's `W/"…"` tag
/// matches the page's.
fn etag_matches(headers: &HeaderMap, etag: &str) -> bool {
    let weak = |t: &str| t.trim().trim_start_matches("W/").to_string();
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| weak(t) == weak(etag)))
}

fn not_modified(etag: &str) -> Response {
    let mut r = StatusCode::NOT_MODIFIED.into_response();
    if let Ok(v) = HeaderValue::from_str(etag) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r
}

fn with_cache_headers(mut r: Response, etag: &str) -> Response {
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    r
}

/// Answers a page: 304 when the browser's copy is current, else the HTML or an error page.
pub(crate) async fn respond(
    app: &App,
    headers: &HeaderMap,
    page: impl Future<Output = Result<String, Failure>>,
) -> Response {
    let version = match app.data.version().await {
        Ok(v) => v,
        Err(e) => return error_page(Failure::from(e)),
    };
    // A signed-in user's pages are theirs alone: never stored, never answered from a tag.
    let private = auth::session_cookie(headers).is_some();
    let etag = format!("\"p{version:x}\"");
    if !private && etag_matches(headers, &etag) {
        return not_modified(&etag);
    }
    match page.await {
        Ok(html) => {
            let mut r = html.into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            if private {
                r.headers_mut().insert(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("private, no-store"),
                );
                r
            } else {
                with_cache_headers(r, &etag)
            }
        }
        Err(f) => error_page(f),
    }
}

/// Answers an API call the same way, with errors as JSON.
pub(crate) async fn respond_with(
    app: &App,
    headers: &HeaderMap,
    answer: impl Future<Output = Result<Response, Failure>>,
) -> Response {
    let version = match app.data.version().await {
        Ok(v) => v,
        Err(e) => return error_json(Failure::from(e)),
    };
    let etag = format!("\"a{version:x}\"");
    if etag_matches(headers, &etag) {
        return not_modified(&etag);
    }
    match answer.await {
        Ok(r) => with_cache_headers(r, &etag),
        Err(f) => error_json(f),
    }
}

/// Answers an API request whose answer depends on who asks (ranks and scores): a signed-in
/// user's answer is never stored nor answered from a tag, like their pages; the public one is
/// cached as [`respond_with`] does.
pub(crate) async fn respond_with_private(
    app: &App,
    headers: &HeaderMap,
    answer: impl Future<Output = Result<Response, Failure>>,
) -> Response {
    if auth::session_cookie(headers).is_none() {
        return respond_with(app, headers, answer).await;
    }
    match answer.await {
        Ok(mut r) => {
            r.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            r
        }
        Err(f) => error_json(f),
    }
}

/// A failure as a page in the site's language, with the site's navigation, so that whoever
/// lands on it finds their way on.
pub(crate) fn error_page(f: Failure) -> Response {
    let heading = match f {
        Failure::NotFound => "找不到这个页面",
        Failure::Unauthorized => "请先登录",
        Failure::Forbidden(_) => "无权进行这项操作",
        Failure::TooManyRequests(_) => "尝试过于频繁，请稍后再试",
        Failure::TooLarge(_) => "文件过大",
        Failure::Unsupported(_) => "不支持这种文件",
        Failure::BadRequest(_) => "请求有误",
        Failure::Internal(_) => "服务器出错",
    };
    let detail = match &f {
        Failure::NotFound => "地址可能有误，或者这项内容已不在台账中。".to_string(),
        Failure::Unauthorized => "登录后才能进行这项操作。".to_string(),
        _ => f.message(),
    };
    let nav = [
        ("/", "总览"),
        ("/tasks", "重点任务"),
        ("/warnings", "预警"),
        ("/documents", "文件"),
        ("/search", "检索"),
        ("/login", "登录"),
    ]
    .iter()
    .map(|(href, name)| format!("<a href=\"{href}\">{name}</a>"))
    .collect::<Vec<_>>()
    .join(" ");
    let body = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{heading} · plantrack</title><link rel=\"stylesheet\" href=\"/assets/app.css\">\
         </head><body><header><div class=\"brand\"><a href=\"/\">plantrack</a> \
         <span>规划实施监测</span></div><nav aria-label=\"main\">{nav}</nav></header>\
         <main id=\"main\"><h1>{heading}</h1><p>{}</p><p class=\"muted\">{}</p></main></body></html>",
        util::esc(&detail),
        f.status().as_u16(),
    );
    let mut r = (f.status(), body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

pub(crate) fn error_json(f: Failure) -> Response {
    (
        f.status(),
        axum::Json(serde_json::json!({"error": f.message()})),
    )
        .into_response()
}

const CSS: &str = include_str!("../assets/app.css");
static CSS_ASSET: compress::Asset = compress::Asset::new(CSS, "text/css; charset=utf-8");
static JS_ASSET: compress::Asset = compress::Asset::new(
    include_str!("../assets/app.js"),
    "text/javascript; charset=utf-8",
);
static ECHARTS: compress::Asset = compress::Asset::new(
    include_str!("../assets/vendor/echarts/echarts.min.js"),
    "text/javascript; charset=utf-8",
);
static ECHARTS_LICENSE: compress::Asset = compress::Asset::new(
    include_str!("../assets/vendor/echarts/LICENSE"),
    "text/plain; charset=utf-8",
);

/// Every route of the dashboard, the portal and the API.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(pages::overview))
        .route("/targets", get(pages::targets))
        .route("/plan", get(pages::plan))
        .route("/plan/{doc}/{seq}", get(pages::indicator))
        .route("/history", get(pages::history))
        .route("/tasks", get(pages::tasks))
        .route(
            "/tasks/new",
            get(workflow::new_task_form).post(workflow::add_task),
        )
        .route("/warnings", get(pages::warnings))
        .route("/me", get(queue::page))
        .route("/api/me/queue", get(queue::api))
        .route("/tasks/{doc}/{seq}", get(pages::task))
        .route("/units", get(pages::units))
        .route("/units/{name}", get(pages::unit))
        .route("/units/{name}/report", get(pages::unit_report))
        .route("/leaders", get(pages::leaders))
        .route("/leaders/{name}", get(pages::leader))
        .route("/regions", get(pages::regions))
        .route("/regions/{name}", get(pages::region))
        .route("/regions/{name}/compare", get(compare::page))
        .route("/documents", get(pages::documents))
        .route("/documents/{id}", get(pages::document))
        .route(
            "/documents/import",
            axum::routing::post(upload::import).layer(axum::extract::DefaultBodyLimit::max(
                upload::MAX_IMPORT + 64 * 1024,
            )),
        )
        .route("/items/{kind}/{doc}/{start}", get(pages::item))
        .route("/search", get(pages::search))
        .route("/reports/{kind}", get(reports::report))
        .route("/login", get(workflow::login_form).post(workflow::login))
        .route("/logout", axum::routing::post(workflow::logout))
        .route(
            "/tasks/{doc}/{seq}/reports",
            axum::routing::post(workflow::report).layer(axum::extract::DefaultBodyLimit::max(
                workflow::MAX_REPORT_BODY,
            )),
        )
        .route(
            "/tasks/{doc}/{seq}/ack",
            axum::routing::post(workflow::acknowledge),
        )
        .route(
            "/tasks/{doc}/{seq}/urge",
            axum::routing::post(supervise::urge),
        )
        .route(
            "/tasks/{doc}/{seq}/extension",
            axum::routing::post(supervise::request),
        )
        .route(
            "/extensions/{id}/decide",
            axum::routing::post(supervise::decide),
        )
        .route(
            "/reports/{id}/evidence",
            axum::routing::post(workflow::upload_evidence).layer(
                axum::extract::DefaultBodyLimit::max(workflow::MAX_EVIDENCE + 64 * 1024),
            ),
        )
        .route("/evidence/{id}", get(workflow::download_evidence))
        .route(
            "/reports/{id}/review",
            axum::routing::post(workflow::review),
        )
        .route("/api/overview", get(api::overview))
        .route("/api/targets", get(api::targets))
        .route("/api/plan", get(api::plan))
        .route("/api/plan/{doc}/{seq}", get(api::indicator))
        .route("/api/history", get(api::history))
        .route("/api/tasks", get(api::tasks))
        .route("/api/tasks/{doc}/{seq}", get(api::task))
        .route("/api/scorecards", get(api::scorecards))
        .route("/api/regions/{name}/compare", get(compare::api))
        .route("/api/documents", get(api::documents))
        .route("/api/documents/{id}", get(api::document))
        .route("/api/search", get(api::search))
        .route("/openapi.json", get(api::openapi))
        .route(
            "/assets/app.css",
            get(|h: HeaderMap| async move { CSS_ASSET.respond(&h) }),
        )
        .route(
            "/assets/app.js",
            get(|h: HeaderMap| async move { JS_ASSET.respond(&h) }),
        )
        .route(
            "/assets/vendor/echarts/echarts.min.js",
            get(|h: HeaderMap| async move { ECHARTS.respond(&h) }),
        )
        .route(
            "/assets/vendor/echarts/LICENSE",
            get(|h: HeaderMap| async move { ECHARTS_LICENSE.respond(&h) }),
        )
        .fallback(|| async { error_page(Failure::NotFound) })
        .layer(axum::middleware::map_response(never_framed))
        .layer(axum::middleware::from_fn(compress::layer))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            written_here,
        ))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            public_answers,
        ))
        .with_state(app)
}

/// The largest public answer kept.
const MAX_KEPT_ANSWER: usize = 4 << 20;

/// Public answers (a GET with no session) are kept until the store's version changes: the
/// same page, query, language, encoding and day answer the same bytes, so a page the public
/// asks for again is sent, not rendered again. A signed-in user's pages are never kept; a
/// browser's `If-None-Match` still gets its `304`.
async fn public_answers(
    axum::extract::State(app): axum::extract::State<Arc<App>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let public = req.method() == axum::http::Method::GET
        && !req.headers().contains_key(header::COOKIE)
        && !req.headers().contains_key(header::AUTHORIZATION);
    if !public {
        return next.run(req).await;
    }
    let Ok(version) = app.data.version().await else {
        return next.run(req).await;
    };
    let key = {
        let h = |name: header::HeaderName| -> String {
            req.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .chars()
                .take(200)
                .collect()
        };
        format!(
            "{}\n{}\n{}\n{}\n{}",
            req.uri(),
            h(header::HOST),
            h(header::ACCEPT_ENCODING),
            h(header::HeaderName::from_static("x-forwarded-proto")),
            plantrack_evaluate::Date::today_in(app.data.supervision.zone)
        )
    };
    if let Some(a) = app.data.answer(&key) {
        if let Some(tag) = a.headers.get(header::ETAG).and_then(|v| v.to_str().ok())
            && etag_matches(req.headers(), tag)
        {
            return not_modified(tag);
        }
        let mut r = Response::new(axum::body::Body::from(a.body.clone()));
        *r.headers_mut() = a.headers.clone();
        return r;
    }
    let r = next.run(req).await;
    // Only what any visitor may be sent: no cookie set, nothing marked private.
    let private = r.headers().contains_key(header::SET_COOKIE)
        || r.headers()
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("private") || v.contains("no-store"));
    if r.status() != StatusCode::OK || private {
        return r;
    }
    let (parts, body) = r.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_KEPT_ANSWER).await else {
        return error_page(Failure::Internal("an answer too large to send".into()));
    };
    app.data.keep_answer(
        version,
        key,
        data::Answer {
            headers: parts.headers.clone(),
            body: bytes.clone(),
        },
    );
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// After a form of this server has been answered (a report, a review, an urge, an extension, an
/// upload…), the next request reads the store's version again instead of trusting the last
/// reading for [`data::Data`]'s recheck interval: the page a form redirects to shows what the
/// form changed, never the evaluation from before it. (Writes by other processes still show
/// within the interval.)
async fn written_here(
    axum::extract::State(app): axum::extract::State<Arc<App>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let writes =
        req.method() != axum::http::Method::GET && req.method() != axum::http::Method::HEAD;
    let response = next.run(req).await;
    if writes {
        app.data.recheck_now();
    }
    response
}

/// No page of plantrack is shown inside another site's frame (a frame under a fake button
/// would make a signed-in supervisor's click accept a report): `X-Frame-Options` for older
/// browsers, `frame-ancestors` for the rest. The policy says nothing of scripts, so that the
/// pages' own inline data and chart scripts keep working.
async fn never_framed(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'none'"),
    );
    h.entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    r
}

/// The application over its data, reached as the environment says ([`auth::Transport`]).
fn new_app(data: Data, transport: auth::Transport) -> Arc<App> {
    auth::prepare();
    Arc::new(App {
        data,
        limiter: auth::Limiter::default(),
        publish_rankings: transport.publish_rankings,
        transport,
        importer: std::sync::OnceLock::new(),
    })
}

/// The application over a store, scoring by the office's rules, on the office's clock and
/// reporting rounds.
pub fn app_with_rules(
    store: Store,
    lexicon: Lexicon,
    rules: plantrack_evaluate::Rules,
    supervision: plantrack_evaluate::Supervision,
) -> Arc<App> {
    let data = Data::new(store, lexicon)
        .with_supervision(supervision)
        .with_rules(rules);
    new_app(data, auth::Transport::from_env())
}

/// The application over a store.
pub fn app(store: Store, lexicon: Lexicon) -> Arc<App> {
    new_app(Data::new(store, lexicon), auth::Transport::from_env())
}

/// The application over a store, reading the store's version on every request instead of at
/// most every 250 ms (for tests that ingest and look at once).
pub fn app_always_fresh(store: Store, lexicon: Lexicon) -> Arc<App> {
    app_always_fresh_over(store, lexicon, auth::Transport::default())
}

/// The same, reached as `transport` says (for tests of HTTPS and proxies).
pub fn app_always_fresh_over(
    store: Store,
    lexicon: Lexicon,
    transport: auth::Transport,
) -> Arc<App> {
    new_app(Data::new(store, lexicon).always_recheck(), transport)
}

/// Serves until the listener fails or Ctrl-C.
pub async fn serve(listener: tokio::net::TcpListener, app: Arc<App>) -> std::io::Result<()> {
    // The peer's address reaches the handlers (sign-in failures are counted per address).
    let service = router(app).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
