//! Signing in and out, and the supervision workflow on a task: a unit reports progress, a
//! supervisor accepts or returns the report. Every change goes through the store with its audit
//! event; every form carries its session's CSRF token.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use plantrack_model::ReportStatus;
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

/// Where to go after signing in: a path of this site, else `/`. A path starts with one `/` and
/// holds no `//`, no `\`, no whitespace and no control character: browsers drop tabs and
/// newlines from a URL and read `\` as `/`, so `/\t/evil.example` or `/\evil.example` would
/// leave the site, and a newline cannot go in a header at all. Letters beyond ASCII
/// (`/units/市科技局`) are percent-encoded, as a `Location` header must be.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.contains("//")
                && !n.contains('\\')
                && !n.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            n.chars()
                .map(|c| {
                    if c.is_ascii() {
                        c.to_string()
                    } else {
                        crate::util::enc(c.encode_utf8(&mut [0; 4]))
                    }
                })
                .collect()
        }
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

pub async fn login(
    State(app): State<Arc<App>>,
    uri: Uri,
    headers: HeaderMap,
    peer: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    Form(f): Form<LoginForm>,
) -> Response {
    // The connection's peer, or the client a trusted proxy names.
    let peer = peer.map(|axum::Extension(axum::extract::ConnectInfo(a))| a.ip());
    let from = app.transport.client(&headers, peer);
    let p = Params {
        lang: f.lang.clone(),
        next: f.next.clone(),
        ..Default::default()
    };
    let t = p.t();
    if !app.transport.same_origin(&headers) {
        return error_page(Failure::Forbidden("登录请求来自其他网站，已拒绝".into()));
    }
    let blocked = match app.limiter.blocked(&app.data.store, &f.name, from).await {
        Ok(b) => b,
        Err(e) => return error_page(e.into()),
    };
    if blocked {
        return match login_page(&app, &p, &headers, &uri, t.too_many, &f.name).await {
            Ok(body) => html(axum::http::StatusCode::TOO_MANY_REQUESTS, body),
            Err(e) => error_page(e),
        };
    }
    let account = match app.data.store.account(&f.name).await {
        Ok(a) => a,
        Err(e) => return error_page(e.into()),
    };
    let Some(account) = auth::check_password(account, &f.password) else {
        if let Err(e) = app.limiter.failed(&app.data.store, &f.name, from).await {
            return error_page(e.into());
        }
        return match login_page(&app, &p, &headers, &uri, t.bad_login, &f.name).await {
            Ok(body) => html(axum::http::StatusCode::UNAUTHORIZED, body),
            Err(e) => error_page(e),
        };
    };
    if let Err(e) = app.limiter.succeeded(&app.data.store, &f.name).await {
        return error_page(e.into());
    }
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
    // Every account lands on its work queue, unless it came to sign in from another page.
    let next = match safe_next(f.next.as_deref()) {
        n if n == "/" => "/me".to_string(),
        n => n,
    };
    let mut r = Redirect::to(&next).into_response();
    if let Ok(v) = HeaderValue::from_str(&app.transport.session_cookie(
        &headers,
        &id,
        auth::SESSION_SECS,
    )) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

/// After a form: to the page it names, or the error.
pub(crate) fn see_other(done: Result<String, Failure>) -> Response {
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
pub(crate) async fn checked(app: &App, headers: &HeaderMap, csrf: &str) -> Result<User, Failure> {
    if !app.transport.same_origin(headers) {
        return Err(Failure::Forbidden("表单来自其他网站，已拒绝".into()));
    }
    let user = current_user(app, headers)
        .await?
        .ok_or(Failure::Unauthorized)?;
    if csrf.is_empty() || csrf != user.csrf {
        return Err(Failure::Forbidden(
            "表单已过期或与登录会话不符，请刷新页面后重试".into(),
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
    if let Ok(v) = HeaderValue::from_str(&app.transport.session_cookie(&headers, "", 0)) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
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
pub const REPORT_STATUSES: [&str; 4] = [
    ReportStatus::PROGRESS[0].as_str(),
    ReportStatus::PROGRESS[1].as_str(),
    ReportStatus::PROGRESS[2].as_str(),
    ReportStatus::PROGRESS[3].as_str(),
];

/// The task a document id and number name, with its units.
pub(crate) async fn task_units(
    app: &App,
    doc: i64,
    seq: u32,
) -> Result<(String, Vec<String>), Failure> {
    let (source, units, _) = app
        .data
        .store
        .task_units(doc, i64::from(seq))
        .await?
        .ok_or(Failure::NotFound)?;
    Ok((source, units))
}

/// A report as the rules of review and of its evidence need it: its task, its unit, who wrote
/// it, and the task's units.
struct Reported {
    source: String,
    seq: i64,
    /// The task's document key.
    doc: i64,
    /// `submitted`, `accepted` or `returned`.
    review: String,
    unit: String,
    /// The name of the account that submitted it.
    author: String,
    units: Vec<String>,
    joint: bool,
}

/// The report `id` with its task (not found when either is gone).
async fn reported(app: &App, id: i64) -> Result<Reported, Failure> {
    let (source, seq, review, unit) = app
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
    let author = app
        .data
        .store
        .reports(&source, seq)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .and_then(|r| r.user)
        .unwrap_or_default();
    Ok(Reported {
        source,
        seq,
        doc,
        review,
        unit: unit.unwrap_or_default(),
        author,
        units,
        joint,
    })
}

/// Who reviews a report: a supervisor; the lead unit too when a cooperating unit wrote it
/// (cooperating units report to the lead; under joint responsibility there is no lead). Never
/// its own author, an admin included: a report is accepted by someone else.
pub fn may_review(
    user: &User,
    author: &str,
    report_unit: &str,
    units: &[String],
    joint: bool,
) -> bool {
    user.actor().may_review(author, report_unit, units, joint)
}

/// A file of the report form, read as it came: its given name and its bytes, or why it was
/// refused (checked once the sender is known, so that a stranger learns nothing from it).
struct Upload {
    given: String,
    data: Result<Vec<u8>, Failure>,
}

/// Whether a request body is a multipart form.
fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// A broken or oversized report form.
fn report_upload_failure(e: axum::extract::multipart::MultipartError) -> Failure {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        Failure::TooLarge(format!(
            "上传的内容过大：每份进展报告最多附{MAX_EVIDENCE_FILES}个文件，每个不超过{}MB",
            MAX_EVIDENCE >> 20
        ))
    } else {
        Failure::BadRequest(format!("上传失败：{e}"))
    }
}

/// The report form sent as `multipart/form-data`: its fields and its files (the `file` inputs;
/// an input left empty sends a nameless empty part, which is no file). A file over
/// [`MAX_EVIDENCE`] is not read to its end, nor any beyond the [`MAX_EVIDENCE_FILES`]th.
async fn report_multipart(
    mut form: axum::extract::Multipart,
) -> Result<(ReportForm, Vec<Upload>), Failure> {
    let mut f = ReportForm {
        csrf: String::new(),
        status: String::new(),
        percent: None,
        value: None,
        narrative: String::new(),
    };
    let mut files = Vec::new();
    while let Some(mut field) = form.next_field().await.map_err(report_upload_failure)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let given = field.file_name().unwrap_or("").to_string();
            if files.len() >= MAX_EVIDENCE_FILES {
                files.push(Upload {
                    given,
                    data: Err(Failure::BadRequest(format!(
                        "每份进展报告最多附 {MAX_EVIDENCE_FILES} 个佐证材料文件，请减少所选文件后重新提交。"
                    ))),
                });
                continue;
            }
            let mut data = Vec::new();
            let mut over = false;
            while let Some(chunk) = field.chunk().await.map_err(report_upload_failure)? {
                if data.len() + chunk.len() > MAX_EVIDENCE {
                    over = true;
                    break;
                }
                data.extend_from_slice(&chunk);
            }
            if given.is_empty() && data.is_empty() && !over {
                continue;
            }
            let data = if over {
                Err(Failure::TooLarge(format!(
                    "{}：超过{}MB，报告未提交",
                    evidence_stem(&given),
                    MAX_EVIDENCE >> 20
                )))
            } else {
                Ok(data)
            };
            files.push(Upload { given, data });
            continue;
        }
        let text = field.text().await.map_err(report_upload_failure)?;
        match name.as_str() {
            "csrf" => f.csrf = text,
            "status" => f.status = text,
            "percent" => f.percent = Some(text),
            "value" => f.value = Some(text),
            "narrative" => f.narrative = text,
            _ => {}
        }
    }
    Ok((f, files))
}

/// An evidence file checked: its stored name, its type, its bytes; or the refusal, naming it.
fn checked_evidence(
    given: &str,
    data: Vec<u8>,
) -> Result<(String, &'static str, Vec<u8>), Failure> {
    let stem = evidence_stem(given);
    if data.is_empty() {
        return Err(Failure::BadRequest(format!("{stem}：文件是空的")));
    }
    if data.len() > MAX_EVIDENCE {
        return Err(Failure::TooLarge(format!(
            "{stem}：超过{}MB",
            MAX_EVIDENCE >> 20
        )));
    }
    let (kind, extension) = evidence_type(given, &data).ok_or_else(|| {
        Failure::Unsupported(format!("{stem}：不是PDF、PNG、JPEG、DOCX或XLSX文件"))
    })?;
    Ok((format!("{stem}.{extension}"), kind, data))
}

/// The largest report form taken: its files at their limits, and room for its fields.
pub const MAX_REPORT_BODY: usize = MAX_EVIDENCE_FILES * (MAX_EVIDENCE + 16 * 1024) + 64 * 1024;

/// A progress report, from the task's unit: the form's fields, urlencoded, or the same fields
/// with its evidence files as `multipart/form-data`. The report and its files are stored
/// together: a file refused (its type, its size, one too many) stores nothing, and the refusal
/// names the file.
pub async fn report(
    State(app): State<Arc<App>>,
    Path((doc, seq)): Path<(i64, u32)>,
    headers: HeaderMap,
    req: axum::extract::Request,
) -> Response {
    use axum::extract::FromRequest;
    let done = async {
        let (f, uploads) = if is_multipart(&headers) {
            let form = axum::extract::Multipart::from_request(req, &app)
                .await
                .map_err(|e| Failure::BadRequest(format!("上传失败：{e}")))?;
            report_multipart(form).await?
        } else {
            let Form(f) = Form::<ReportForm>::from_request(req, &app)
                .await
                .map_err(|_| {
                    Failure::BadRequest(
                        "表单无法读取：须为 application/x-www-form-urlencoded 或 multipart/form-data"
                            .into(),
                    )
                })?;
            (f, Vec::new())
        };
        let user = checked(&app, &headers, &f.csrf).await?;
        let (source, units) = task_units(&app, doc, seq).await?;
        let unit = user
            .reports_for(&units)
            .ok_or_else(|| Failure::Forbidden("只有这项任务的责任单位可以填报进展".into()))?
            .clone();
        if !REPORT_STATUSES.contains(&f.status.as_str()) {
            return Err(Failure::BadRequest(format!(
                "进展状态“{}”无效，应为正常推进、有风险、滞后或已完成",
                f.status
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
                        Failure::BadRequest(format!("完成比例“{s}”无效，应为0到100之间的数"))
                    })?,
            ),
        };
        let value = match f.value.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(
                s.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| Failure::BadRequest(format!("实际值“{s}”不是数字")))?,
            ),
        };
        let narrative = f.narrative.trim();
        if narrative.is_empty() || narrative.chars().count() > 4000 {
            return Err(Failure::BadRequest("进展情况须填写，最多4000字".into()));
        }
        let mut files = Vec::with_capacity(uploads.len());
        for u in uploads {
            files.push(checked_evidence(&u.given, u.data?)?);
        }
        let report = NewReport {
            source,
            task_seq: i64::from(seq),
            unit,
            user_id: user.account.id,
            status: f.status.clone(),
            percent,
            value,
            narrative: narrative.to_string(),
        };
        let id = if files.is_empty() {
            app.data
                .store
                .add_report(&report, &user.account.name)
                .await?
        } else {
            let files: Vec<(&str, &str, &[u8])> = files
                .iter()
                .map(|(name, kind, data)| (name.as_str(), *kind, data.as_slice()))
                .collect();
            app.data
                .store
                .add_report_with_evidence(&report, &files, &user.account.name)
                .await?
        };
        Ok(format!("/tasks/{doc}/{seq}#report-{id}"))
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
                    "审核意见“{other}”无效，应为通过或退回"
                )));
            }
        };
        let r = reported(&app, id).await?;
        if user.account.name == r.author {
            return Err(Failure::Forbidden("不能审核自己提交的进展报告".into()));
        }
        if !may_review(&user, &r.author, &r.unit, &r.units, r.joint) {
            return Err(Failure::Forbidden(
                "进展报告由督查员审核；配合单位的报告由牵头单位审核".into(),
            ));
        }
        let comment = f.comment.clone().unwrap_or_default();
        if comment.chars().count() > 2000 {
            return Err(Failure::BadRequest("审核意见最多2000字".into()));
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
            return Err(Failure::BadRequest("这份报告已经审核过".into()));
        }
        Ok(format!("/tasks/{}/{}#history", r.doc, r.seq))
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
            return Err(Failure::Forbidden("只有牵头单位可以签收任务".into()));
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
            return Err(Failure::BadRequest("这项任务已经签收".into()));
        }
        Ok(format!("/tasks/{doc}/{seq}#history"))
    }
    .await;
    see_other(done)
}

/// The largest evidence file taken.
pub const MAX_EVIDENCE: usize = 5 * 1024 * 1024;

/// The most evidence files one report holds.
pub const MAX_EVIDENCE_FILES: usize = 10;

/// The type of an evidence file from its first bytes (never from its name alone), with the
/// extension its stored name gets: PDF, PNG, JPEG, or a Word or Excel file (a ZIP named
/// `.docx` or `.xlsx`).
pub fn evidence_type(name: &str, data: &[u8]) -> Option<(&'static str, &'static str)> {
    let lower = name.to_lowercase();
    if data.starts_with(b"%PDF-") {
        Some(("application/pdf", "pdf"))
    } else if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", "png"))
    } else if data.starts_with(b"\xff\xd8\xff") {
        Some(("image/jpeg", "jpg"))
    } else if data.starts_with(b"PK\x03\x04") && lower.ends_with(".docx") {
        Some((
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ))
    } else if data.starts_with(b"PK\x03\x04") && lower.ends_with(".xlsx") {
        Some((
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ))
    } else {
        None
    }
}

/// Characters a stored evidence name keeps: Chinese letters and digits, ASCII letters and
/// digits, and `-_.()（）` and space.
fn keeps(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || " -_.()（）〇".contains(c)
        || matches!(c,
            '\u{4E00}'..='\u{9FFF}'          // CJK unified ideographs
            | '\u{3400}'..='\u{4DBF}'        // extension A
            | '\u{F900}'..='\u{FAFF}'        // compatibility ideographs
            | '\u{20000}'..='\u{2FA1F}'      // extensions B–F and their compatibility supplement
            | '\u{FF10}'..='\u{FF19}') // full-width digits
}

/// Characters dropped without a trace: controls, and the invisible marks that reorder or hide
/// text (`报告\u{202E}fdp.exe` shows as `报告exe.pdf`): zero-width and direction marks,
/// embeddings, overrides and isolates, word joiners, the byte-order mark, the soft hyphen.
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{AD}')
}

/// The name an evidence file is stored under, before its extension: the last component of the
/// given name, its own extension dropped (the stored one comes from the detected type), the
/// invisible characters dropped, and every other character not kept made `_`.
pub fn evidence_stem(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let mut out = String::new();
    for c in last.chars().filter(|c| !invisible(*c)) {
        let c = if keeps(c) { c } else { '_' };
        if !(c == '_' && out.ends_with('_')) {
            out.push(c);
        }
    }
    // The given extension: a short run of ASCII letters and digits after the last dot.
    if let Some((stem, ext)) = out.rsplit_once('.')
        && (1..=8).contains(&ext.len())
        && ext.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        out.truncate(stem.len());
    }
    let stem: String = out
        .trim_matches(|c: char| c == ' ' || c == '.' || c == '_')
        .chars()
        .take(80)
        .collect();
    if stem.is_empty() {
        "evidence".into()
    } else {
        stem
    }
}

/// A broken or oversized upload, with the status the multipart reader gives it.
fn upload_failure(e: axum::extract::multipart::MultipartError) -> Failure {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        Failure::TooLarge(format!("上传的文件超过{}MB", MAX_EVIDENCE >> 20))
    } else {
        Failure::BadRequest(format!("上传失败：{e}"))
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
                    let name = field.file_name().unwrap_or("evidence").to_string();
                    let data = field.bytes().await.map_err(upload_failure)?;
                    file = Some((name, data.to_vec()));
                }
                _ => {}
            }
        }
        let user = checked(&app, &headers, &csrf).await?;
        let r = reported(&app, id).await?;
        if user.reports_for(std::slice::from_ref(&r.unit)).is_none() {
            return Err(Failure::Forbidden(
                "只有报告单位可以上传佐证材料".into(),
            ));
        }
        if r.review != "submitted" {
            return Err(Failure::BadRequest(
                "报告审核后不能再补充佐证材料".into(),
            ));
        }
        if app.data.store.evidence_of(id).await?.len() >= MAX_EVIDENCE_FILES {
            return Err(Failure::BadRequest(format!(
                "每份进展报告最多附 {MAX_EVIDENCE_FILES} 个佐证材料文件，这份报告已附满，不能再上传。"
            )));
        }
        let (given, data) = file.ok_or_else(|| Failure::BadRequest("没有选择文件".into()))?;
        let stem = evidence_stem(&given);
        if data.is_empty() {
            return Err(Failure::BadRequest("文件是空的".into()));
        }
        if data.len() > MAX_EVIDENCE {
            return Err(Failure::TooLarge(format!(
                "{stem}：超过{}MB",
                MAX_EVIDENCE >> 20
            )));
        }
        let (kind, extension) = evidence_type(&given, &data).ok_or_else(|| {
            Failure::Unsupported(format!("{stem}：不是PDF、PNG、JPEG、DOCX或XLSX文件"))
        })?;
        app.data
            .store
            .add_evidence(
                id,
                &format!("{stem}.{extension}"),
                kind,
                &data,
                &user.account.name,
            )
            .await?;
        Ok(format!("/tasks/{}/{}#report-{id}", r.doc, r.seq))
    }
    .await;
    see_other(done)
}

/// Whether the user may read the evidence of a report not yet accepted: those who see its
/// drafts (its unit, supervisors, the task's leaders), and whoever may review it (the lead unit,
/// for a cooperating unit's report), who must read what they judge.
async fn may_read_evidence(app: &App, user: &User, r: &Reported) -> Result<bool, Failure> {
    if may_review(user, &r.author, &r.unit, &r.units, r.joint) {
        return Ok(true);
    }
    // Only a leader's access depends on the task's leaders: read them only then.
    let leaders = if user.is("leader") {
        app.data.store.task_leaders(&r.source, r.seq).await?
    } else {
        Vec::new()
    };
    Ok(user.sees_drafts_of(std::slice::from_ref(&r.unit), &leaders))
}

/// An evidence file: public once its report is accepted, else for those who see its drafts or
/// may review it.
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
        let (_, _, review, _) = app
            .data
            .store
            .report_state(report)
            .await?
            .ok_or(Failure::NotFound)?;
        if review != "accepted" {
            let user = current_user(&app, &headers)
                .await?
                .ok_or(Failure::NotFound)?;
            if !may_read_evidence(&app, &user, &reported(&app, report).await?).await? {
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
        let mime = |name, data| evidence_type(name, data).map(|(m, _)| m);
        assert_eq!(mime("a.pdf", b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(mime("a.jpg", b"\xff\xd8\xff\xe0"), Some("image/jpeg"));
        assert_eq!(mime("a.png", b"\x89PNG\r\n\x1a\n"), Some("image/png"));
        assert!(mime("a.docx", b"PK\x03\x04").is_some());
        // A ZIP that is not an Office file, a program named like a PDF, HTML named like a PNG.
        assert_eq!(mime("a.zip", b"PK\x03\x04"), None);
        assert_eq!(mime("a.pdf", b"MZ\x90"), None);
        assert_eq!(mime("a.png", b"<html><script>"), None);
        // The stored extension is the detected type's, whatever the name said.
        assert_eq!(
            evidence_type("x.html", b"%PDF-1.4 <script>"),
            Some(("application/pdf", "pdf"))
        );
    }

    #[test]
    fn names_lose_their_paths() {
        assert_eq!(evidence_stem("../../etc/passwd"), "passwd");
        assert_eq!(evidence_stem("C:\\Users\\x\\报告.pdf"), "报告");
        assert_eq!(evidence_stem("..."), "evidence");
        assert_eq!(evidence_stem("a\"<b>\n.pdf"), "a_b");
    }

    /// Issue 14: `x.html` holding a PDF, and a name turned around by U+202E.
    #[test]
    fn evidence_names_keep_safe_characters_only() {
        assert_eq!(evidence_stem("x.html"), "x");
        assert_eq!(evidence_stem("报告\u{202E}fdp.exe"), "报告fdp");
        assert_eq!(
            evidence_stem("2023年（第1季度）验收 报告-final_v2 (1).PDF"),
            "2023年（第1季度）验收 报告-final_v2 (1)"
        );
        assert_eq!(
            evidence_stem("关于《督办》的报告、附件.docx"),
            "关于_督办_的报告_附件"
        );
        assert_eq!(
            evidence_stem("a\u{200B}b\u{200F}c\u{2066}d\u{2069}e\u{FEFF}.pdf"),
            "abcde"
        );
        assert_eq!(
            evidence_stem("<img src=x onerror=alert(1)>.pdf"),
            "img src_x onerror_alert(1)"
        );
        assert_eq!(evidence_stem("\u{202E}"), "evidence");
        assert_eq!(evidence_stem(&"长".repeat(300)).chars().count(), 80);
    }

    /// Issue 14: `next=/%09/evil.example` led Chromium to http://evil.example/, and a newline
    /// gave a 500 after a right password.
    #[test]
    fn next_is_a_path_of_this_site() {
        for outside in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\\evil.example",
            "/a\\b",
            "/ /evil.example",
            "/x//evil.example",
            "/tasks\r\nSet-Cookie: a=b",
            "/\u{3000}/evil.example",
            "https://evil.example/",
            "evil.example",
            "",
        ] {
            assert_eq!(safe_next(Some(outside)), "/", "{outside:?}");
        }
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some("/tasks?year=2023")), "/tasks?year=2023");
        assert_eq!(
            safe_next(Some("/units/市科技局")),
            "/units/%E5%B8%82%E7%A7%91%E6%8A%80%E5%B1%80"
        );
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
            return Err(Failure::Forbidden("只有督查员可以新增任务".into()));
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
            return Err(Failure::Forbidden("只有督查员可以新增任务".into()));
        }
        let text = f.text.trim();
        let units = names(&f.units);
        if text.is_empty() || text.chars().count() > 4000 {
            return Err(Failure::BadRequest("任务内容须填写，最多4000字".into()));
        }
        if units.is_empty() || f.region.trim().is_empty() || !(2000..=2100).contains(&f.year) {
            return Err(Failure::BadRequest(
                "任务须有地区、年度和至少一个责任单位".into(),
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
