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
use crate::pages::{Layout, Params, layout, scope};
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
    let mut l = layout(t, &s, uri, t.login.to_string(), "login");
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
    peer: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    Form(f): Form<LoginForm>,
) -> Response {
    // The connection's peer (a proxy in front of the server shows as one address).
    let from = peer.map(|axum::Extension(axum::extract::ConnectInfo(a))| a.ip());
    let p = Params {
        lang: f.lang.clone(),
        next: f.next.clone(),
        ..Default::default()
    };
    let t = p.t();
    if !same_origin(&headers) {
        return error_page(Failure::Forbidden("a sign-in from another site".into()));
    }
    if app.limiter.blocked(&f.name, from) {
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
        app.limiter.failed(&f.name, from);
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

/// After a form: to the page it names, or the error.
fn see_other(done: Result<String, Failure>) -> Response {
    match done {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(e) => error_page(e),
    }
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
    /// The figure reached, for a quantified target (`新建口袋公园…`: 38).
    value: Option<String>,
    narrative: String,
}

/// What a unit may say of its task.
pub const REPORT_STATUSES: [&str; 4] = ["on_track", "at_risk", "delayed", "completed"];

/// The task a document id and number name, with its units.
async fn task_units(app: &App, doc: i64, seq: u32) -> Result<(String, Vec<String>), Failure> {
    let (source, units, _) = app
        .data
        .store
        .task_units(doc, i64::from(seq))
        .await?
        .ok_or(Failure::NotFound)?;
    Ok((source, units))
}

/// Who reviews a report: a supervisor always; the lead unit too when a cooperating unit wrote it
/// (cooperating units report to the lead; under joint responsibility there is no lead).
pub fn may_review(user: &User, report_unit: &str, units: &[String], joint: bool) -> bool {
    if user.supervises() {
        return true;
    }
    match units.first() {
        Some(lead) if !joint && lead != report_unit && units.iter().any(|u| u == report_unit) => {
            user.reports_for(std::slice::from_ref(lead)).is_some()
        }
        _ => false,
    }
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
        let value = match f.value.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(
                s.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| Failure::BadRequest(format!("value {s}: a number")))?,
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
                    value,
                    narrative: narrative.to_string(),
                },
                &user.account.name,
            )
            .await?;
        Ok(format!("/tasks/{doc}/{seq}#history"))
    }
    .await;
    see_other(done)
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
        let accept = match f.decision.as_str() {
            "accept" => true,
            "return" => false,
            other => {
                return Err(Failure::BadRequest(format!(
                    "decision {other}: accept or return"
                )));
            }
        };
        let (source, seq, _, report_unit) = app
            .data
            .store
            .report_state(id)
            .await?
            .ok_or(Failure::NotFound)?;
        let doc = app.data.meta().await?.doc_id(&source);
        let (_, units, joint) = app
            .data
            .store
            .task_units(doc, seq)
            .await?
            .ok_or(Failure::NotFound)?;
        if !may_review(&user, &report_unit.unwrap_or_default(), &units, joint) {
            return Err(Failure::Forbidden(
                "a supervisor reviews reports; the lead unit those of its cooperating units".into(),
            ));
        }
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
        Ok(format!("/tasks/{doc}/{seq}#history"))
    }
    .await;
    see_other(done)
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
    see_other(done)
}

/// The largest evidence file taken.
pub const MAX_EVIDENCE: usize = 5 * 1024 * 1024;

/// The type of an evidence file from its first bytes (never from its name alone): PDF, PNG,
/// JPEG, or a Word or Excel file (a ZIP named `.docx` or `.xlsx`).
pub fn evidence_type(name: &str, data: &[u8]) -> Option<&'static str> {
    let lower = name.to_lowercase();
    if data.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if data.starts_with(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if data.starts_with(b"PK\x03\x04") && lower.ends_with(".docx") {
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    } else if data.starts_with(b"PK\x03\x04") && lower.ends_with(".xlsx") {
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    } else {
        None
    }
}

/// A file name as given, reduced to its last component, without control characters.
pub fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>'))
        .take(100)
        .collect();
    let clean = clean.trim().trim_start_matches('.').to_string();
    if clean.is_empty() {
        "evidence".into()
    } else {
        clean
    }
}

/// A broken or oversized upload, with the status the multipart reader gives it.
fn upload_failure(e: axum::extract::multipart::MultipartError) -> Failure {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        Failure::TooLarge(format!(
            "the upload is larger than {} MB",
            MAX_EVIDENCE >> 20
        ))
    } else {
        Failure::BadRequest(format!("the upload: {e}"))
    }
}

/// Attaches a file to a submitted report: the report's unit (or an admin) only.
pub async fn upload_evidence(
    State(app): State<Arc<App>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    mut form: axum::extract::Multipart,
) -> Response {
    let done = async {
        let (mut csrf, mut file): (String, Option<(String, Vec<u8>)>) = (String::new(), None);
        while let Some(field) = form.next_field().await.map_err(upload_failure)? {
            match field.name() {
                Some("csrf") => csrf = field.text().await.map_err(upload_failure)?,
                Some("file") => {
                    let name = clean_name(field.file_name().unwrap_or("evidence"));
                    let data = field.bytes().await.map_err(upload_failure)?;
                    file = Some((name, data.to_vec()));
                }
                _ => {}
            }
        }
        let user = checked(&app, &headers, &csrf).await?;
        let (source, seq, review, unit) = app
            .data
            .store
            .report_state(id)
            .await?
            .ok_or(Failure::NotFound)?;
        let unit = unit.unwrap_or_default();
        if user.reports_for(std::slice::from_ref(&unit)).is_none() {
            return Err(Failure::Forbidden(
                "only the report's unit attaches evidence".into(),
            ));
        }
        if review != "submitted" {
            return Err(Failure::BadRequest(
                "evidence goes with a report before its review".into(),
            ));
        }
        let (name, data) = file.ok_or_else(|| Failure::BadRequest("no file".into()))?;
        if data.is_empty() {
            return Err(Failure::BadRequest("an empty file".into()));
        }
        if data.len() > MAX_EVIDENCE {
            return Err(Failure::TooLarge(format!(
                "{name}: more than {} MB",
                MAX_EVIDENCE >> 20
            )));
        }
        let kind = evidence_type(&name, &data).ok_or_else(|| {
            Failure::Unsupported(format!("{name}: not a PDF, PNG, JPEG, DOCX or XLSX file"))
        })?;
        app.data
            .store
            .add_evidence(id, &name, kind, &data, &user.account.name)
            .await?;
        let doc = app.data.meta().await?.doc_id(&source);
        Ok(format!("/tasks/{doc}/{seq}#report-{id}"))
    }
    .await;
    see_other(done)
}

/// An evidence file: public once its report is accepted, else for those who see drafts.
pub async fn download_evidence(
    State(app): State<Arc<App>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let done = async {
        let (report, name, kind, data) = app
            .data
            .store
            .evidence(id)
            .await?
            .ok_or(Failure::NotFound)?;
        let (source, seq, review, unit) = app
            .data
            .store
            .report_state(report)
            .await?
            .ok_or(Failure::NotFound)?;
        if review != "accepted" {
            let user = current_user(&app, &headers)
                .await?
                .ok_or(Failure::NotFound)?;
            // Only a leader's access depends on the task's leaders: read them only then.
            let leaders = if user.is("leader") {
                app.data.store.task_leaders(&source, seq).await?
            } else {
                Vec::new()
            };
            if !user.sees_drafts_of(&[unit.unwrap_or_default()], &leaders) {
                return Err(Failure::NotFound);
            }
        }
        let mut r = data.into_response();
        let h = r.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(&kind).map_err(|e| Failure::Internal(e.to_string()))?,
        );
        h.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        h.insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&format!(
                "attachment; filename*=UTF-8''{}",
                crate::util::enc(&name)
            ))
            .map_err(|e| Failure::Internal(e.to_string()))?,
        );
        Ok(r)
    }
    .await;
    done.unwrap_or_else(error_page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_known_by_its_bytes() {
        assert_eq!(evidence_type("a.pdf", b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(
            evidence_type("a.jpg", b"\xff\xd8\xff\xe0"),
            Some("image/jpeg")
        );
        assert_eq!(
            evidence_type("a.png", b"\x89PNG\r\n\x1a\n"),
            Some("image/png")
        );
        assert!(evidence_type("a.docx", b"PK\x03\x04").is_some());
        // A ZIP that is not an Office file, a program named like a PDF, HTML named like a PNG.
        assert_eq!(evidence_type("a.zip", b"PK\x03\x04"), None);
        assert_eq!(evidence_type("a.pdf", b"MZ\x90"), None);
        assert_eq!(evidence_type("a.png", b"<html><script>"), None);
    }

    #[test]
    fn names_lose_their_paths() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\\\Users\\\\x\\\\报告.pdf"), "报告.pdf");
        assert_eq!(clean_name("..."), "evidence");
        assert_eq!(clean_name("a\"<b>\n.pdf"), "ab.pdf");
    }
}

#[derive(Template)]
#[template(path = "new_task.html")]
struct NewTaskPage {
    l: Layout,
}

/// The form for a task added by hand (supervisors).
pub async fn new_task_form(
    State(app): State<Arc<App>>,
    Query(p): Query<Params>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let page = async {
        let t = p.t();
        let s = scope(&app, &p, &headers).await?;
        let user = s.user.as_ref().ok_or(Failure::Unauthorized)?;
        if !user.supervises() {
            return Err(Failure::Forbidden("a supervisor adds tasks".into()));
        }
        let mut l = layout(t, &s, &uri, t.add_task.to_string(), "tasks");
        l.selectors = false;
        NewTaskPage { l }
            .render()
            .map_err(|e| Failure::Internal(format!("template: {e}")))
    }
    .await;
    match page {
        Ok(body) => html(axum::http::StatusCode::OK, body),
        Err(e) => error_page(e),
    }
}

#[derive(Deserialize)]
pub struct NewTaskForm {
    csrf: String,
    year: i32,
    region: String,
    category: Option<String>,
    text: String,
    deadline: Option<String>,
    leaders: Option<String>,
    units: String,
    joint: Option<String>,
}

/// Names one a line or separated by `、`.
fn names(s: &str) -> Vec<String> {
    s.split(['\n', '、', ','])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

pub async fn add_task(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(f): Form<NewTaskForm>,
) -> Response {
    let done = async {
        let user = checked(&app, &headers, &f.csrf).await?;
        if !user.supervises() {
            return Err(Failure::Forbidden("a supervisor adds tasks".into()));
        }
        let text = f.text.trim();
        let units = names(&f.units);
        if text.is_empty() || text.chars().count() > 4000 {
            return Err(Failure::BadRequest("the task: 1 to 4000 characters".into()));
        }
        if units.is_empty() || f.region.trim().is_empty() || !(2000..=2100).contains(&f.year) {
            return Err(Failure::BadRequest(
                "a task needs a region, a year and at least one unit".into(),
            ));
        }
        let blank = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let (doc, seq) = app
            .data
            .store
            .add_task(
                &plantrack_store::NewTask {
                    region: f.region.trim().to_string(),
                    year: f.year,
                    category: blank(&f.category),
                    text: text.to_string(),
                    deadline: blank(&f.deadline),
                    leaders: names(f.leaders.as_deref().unwrap_or("")),
                    units,
                    joint: f.joint.is_some(),
                },
                &user.account.name,
            )
            .await?;
        Ok(format!("/tasks/{doc}/{seq}"))
    }
    .await;
    see_other(done)
}
