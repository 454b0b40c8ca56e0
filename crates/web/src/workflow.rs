//! Signing in and out, and the supervision workflow on a task: a unit reports progress, a
//! supervisor accepts or returns the report. Every change goes through the store with its audit
//! event; every form carries its session's CSRF token.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use plantrack_store::NewReport;
use serde::Deserialize;

use crate::auth::{self, User};
use crate::pages::{Layout, Params, layout_for, scope};
use crate::{App, Failure, current_user, error_page};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    l: Layout,
    message: String,
    next: String,
    name: String,
}

fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

async fn login_page(
    app: &App,
    p: &Params,
    headers: &HeaderMap,
    uri: &Uri,
    message: &str,
    name: &str,
) -> Result<String, Failure> {
    let t = p.t();
    let s = scope(app, p, headers).await?;
    let mut l = layout_for(t, &s, uri, t.login.to_string(), "login");
    l.selectors = false;
    LoginPage {
        l,
        message: message.to_string(),
        next: safe_next(p.q.as_deref().or(p.next.as_deref())),
        name: name.to_string(),
    }
    .render()
    .map_err(|e| Failure::Internal(format!("template: {e}")))
}

fn html(status: axum::http::StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

pub async fn login_form(
    State(app): State<Arc<App>>,
    Query(p): Query<Params>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    match login_page(&app, &p, &headers, &uri, "", "").await {
        Ok(body) => html(axum::http::StatusCode::OK, body),
        Err(f) => error_page(f),
    }
}

#[derive(Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
    next: Option<String>,
    lang: Option<String>,
}

/// A form posted from another site is refused (the browser says where it came from).
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    origin.split("://").nth(1) == Some(host)
}

pub async fn login(
    State(app): State<Arc<App>>,
    uri: Uri,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let p = Params {
        lang: f.lang.clone(),
        next: f.next.clone(),
        ..Default::default()
    };
    let t = p.t();
    if !same_origin(&headers) {
        return error_page(Failure::Forbidden("a sign-in from another site".into()));
    }
    if app.limiter.blocked(&f.name) {
        return match login_page(&app, &p, &headers, &uri, t.too_many, &f.name).await {
            Ok(body) => html(axum::http::StatusCode::TOO_MANY_REQUESTS, body),
            Err(e) => error_page(e),
        };
    }
    let account = match app.data.store.account(&f.name).await {
        Ok(a) => a,
        Err(e) => return error_page(e.into()),
    };
    let Some(account) = account.filter(|a| auth::verify_password(&f.password, &a.password_hash))
    else {
        app.limiter.failed(&f.name);
        return match login_page(&app, &p, &headers, &uri, t.bad_login, &f.name).await {
            Ok(body) => html(axum::http::StatusCode::UNAUTHORIZED, body),
            Err(e) => error_page(e),
        };
    };
    app.limiter.succeeded(&f.name);
    // A new session id at every sign-in (an id planted before it is worthless), and the old
    // session, if any, ended.
    if let Some(old) = auth::session_cookie(&headers) {
        let _ = app.data.store.end_session(&old).await;
    }
    let id = auth::token(32);
    if let Err(e) = app
        .data
        .store
        .create_session(
            &id,
            account.id,
            &auth::token(16),
            auth::now_secs(),
            auth::SESSION_SECS,
        )
        .await
    {
        return error_page(e.into());
    }
    let mut r = Redirect::to(&safe_next(f.next.as_deref())).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{}={id}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
        auth::COOKIE,
        auth::SESSION_SECS
    )) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// The signed-in user whose form carries their session's token.
async fn checked(app: &App, headers: &HeaderMap, csrf: &str) -> Result<User, Failure> {
    if !same_origin(headers) {
        return Err(Failure::Forbidden("a form from another site".into()));
    }
    let user = current_user(app, headers)
        .await?
        .ok_or(Failure::Unauthorized)?;
    if csrf.is_empty() || csrf != user.csrf {
        return Err(Failure::Forbidden(
            "the form's token does not match the session".into(),
        ));
    }
    Ok(user)
}

pub async fn logout(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Response {
    let user = match checked(&app, &headers, &f.csrf).await {
        Ok(u) => u,
        Err(e) => return error_page(e),
    };
    if let Err(e) = app.data.store.end_session(&user.session).await {
        return error_page(e.into());
    }
    let mut r = Redirect::to("/").into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("pt_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    );
    r
}

#[derive(Deserialize)]
pub struct ReportForm {
    csrf: String,
    status: String,
    percent: Option<String>,
    narrative: String,
}

/// What a unit may say of its task.
pub const REPORT_STATUSES: [&str; 4] = ["on_track", "at_risk", "delayed", "completed"];

/// The task a document id and number name, with its units.
async fn task_units(app: &App, doc: i64, seq: u32) -> Result<(String, Vec<String>), Failure> {
    app.data
        .store
        .task_units(doc, i64::from(seq))
        .await?
        .ok_or(Failure::NotFound)
}

pub async fn report(
    State(app): State<Arc<App>>,
    Path((doc, seq)): Path<(i64, u32)>,
    headers: HeaderMap,
    Form(f): Form<ReportForm>,
) -> Response {
    let done = async {
        let user = checked(&app, &headers, &f.csrf).await?;
        let (source, units) = task_units(&app, doc, seq).await?;
        let unit = user
            .reports_for(&units)
            .ok_or_else(|| Failure::Forbidden("only the task's units report on it".into()))?
            .clone();
        if !REPORT_STATUSES.contains(&f.status.as_str()) {
            return Err(Failure::BadRequest(format!(
                "status {}: one of {}",
                f.status,
                REPORT_STATUSES.join(", ")
            )));
        }
        let percent = match f
            .percent
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => Some(
                s.parse::<f64>()
                    .ok()
                    .filter(|v| (0.0..=100.0).contains(v))
                    .ok_or_else(|| {
                        Failure::BadRequest(format!("percent {s}: a number from 0 to 100"))
                    })?,
            ),
        };
        let narrative = f.narrative.trim();
        if narrative.is_empty() || narrative.chars().count() > 4000 {
            return Err(Failure::BadRequest(
                "the progress text: 1 to 4000 characters".into(),
            ));
        }
        app.data
            .store
            .add_report(
                &NewReport {
                    source,
                    task_seq: i64::from(seq),
                    unit,
                    user_id: user.account.id,
                    status: f.status.clone(),
                    percent,
                    value: None,
                    narrative: narrative.to_string(),
                },
                &user.account.name,
            )
            .await?;
        Ok(format!("/tasks/{doc}/{seq}#history"))
    }
    .await;
    match done {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(e) => error_page(e),
    }
}

#[derive(Deserialize)]
pub struct ReviewForm {
    csrf: String,
    decision: String,
    comment: Option<String>,
}

pub async fn review(
    State(app): State<Arc<App>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(f): Form<ReviewForm>,
) -> Response {
    let done = async {
        let user = checked(&app, &headers, &f.csrf).await?;
        if !user.supervises() {
            return Err(Failure::Forbidden(
                "only a supervisor reviews reports".into(),
            ));
        }
        let accept = match f.decision.as_str() {
            "accept" => true,
            "return" => false,
            other => {
                return Err(Failure::BadRequest(format!(
                    "decision {other}: accept or return"
                )));
            }
        };
        let (source, seq) = app
            .data
            .store
            .report_task(id)
            .await?
            .ok_or(Failure::NotFound)?;
        let comment = f.comment.clone().unwrap_or_default();
        if comment.chars().count() > 2000 {
            return Err(Failure::BadRequest(
                "the comment: at most 2000 characters".into(),
            ));
        }
        if !app
            .data
            .store
            .review_report(
                id,
                accept,
                comment.trim(),
                user.account.id,
                &user.account.name,
            )
            .await?
        {
            return Err(Failure::BadRequest(
                "the report was reviewed already".into(),
            ));
        }
        let meta = app.data.meta().await?;
        let doc = meta
            .documents
            .iter()
            .find(|d| d.source == source)
            .and_then(|d| d.id)
            .unwrap_or(0);
        Ok(format!("/tasks/{doc}/{seq}#history"))
    }
    .await;
    match done {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(e) => error_page(e),
    }
}

/// The lead unit acknowledges its task (签收).
pub async fn acknowledge(
    State(app): State<Arc<App>>,
    Path((doc, seq)): Path<(i64, u32)>,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Response {
    let done = async {
        let user = checked(&app, &headers, &f.csrf).await?;
        let (source, units) = task_units(&app, doc, seq).await?;
        let lead = units.first().ok_or(Failure::NotFound)?;
        // The lead unit's reporter (or an admin) acknowledges; cooperating units do not.
        if user.reports_for(std::slice::from_ref(lead)).is_none() {
            return Err(Failure::Forbidden(
                "only the lead unit acknowledges its task".into(),
            ));
        }
        if !app
            .data
            .store
            .acknowledge(
                &source,
                i64::from(seq),
                lead,
                user.account.id,
                &user.account.name,
            )
            .await?
        {
            return Err(Failure::BadRequest(
                "the task was acknowledged already".into(),
            ));
        }
        Ok(format!("/tasks/{doc}/{seq}#history"))
    }
    .await;
    match done {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(e) => error_page(e),
    }
}
