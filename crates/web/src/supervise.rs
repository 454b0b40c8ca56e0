//! 催办 and 延期申请 on the web: a supervisor urges a unit on a task; a lead unit asks for a new
//! deadline with its reason, which a supervisor approves or refuses. Every change goes through
//! the store with its audit event; an approved deadline drives the task's status (the
//! evaluation reads it from the ledger).

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use plantrack_evaluate::Date;
use serde::Deserialize;

use crate::workflow::{checked, see_other, task_units};
use crate::{App, Failure};

/// The longest urge and the longest reason taken, in characters.
pub const MAX_MESSAGE: usize = 500;

/// What an urge says when the supervisor writes nothing.
pub const DEFAULT_URGE: &str = "请尽快报送这项任务的进展";

#[derive(Deserialize)]
pub struct UrgeForm {
    csrf: String,
    /// One of the task's units; its lead unit when not given.
    unit: Option<String>,
    message: Option<String>,
}

/// `POST /tasks/{doc}/{seq}/urge`: a supervisor urges a unit of the task.
pub async fn urge(
    State(app): State<Arc<App>>,
    Path((doc, seq)): Path<(i64, u32)>,
    headers: HeaderMap,
    Form(f): Form<UrgeForm>,
) -> Response {
    let done = async {
        let user = checked(&app, &headers, &f.csrf).await?;
        if !user.supervises() {
            return Err(Failure::Forbidden("只有督查员可以催办".into()));
        }
        let (source, units) = task_units(&app, doc, seq).await?;
        let unit = match f.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(u) if units.iter().any(|x| x == u) => u.to_string(),
            Some(u) => return Err(Failure::BadRequest(format!("“{u}”不是这项任务的责任单位"))),
            None => units.first().cloned().ok_or(Failure::NotFound)?,
        };
        let message = f.message.as_deref().map(str::trim).unwrap_or("");
        let message = if message.is_empty() {
            DEFAULT_URGE
        } else {
            message
        };
        if message.chars().count() > MAX_MESSAGE {
            return Err(Failure::BadRequest(format!("催办意见最多{MAX_MESSAGE}字")));
        }
        app.data
            .store
            .add_urge(
                &source,
                i64::from(seq),
                &unit,
                user.account.id,
                message,
                &user.account.name,
            )
            .await?;
        Ok(format!("/tasks/{doc}/{seq}#supervision"))
    }
    .await;
    see_other(done)
}

#[derive(Deserialize)]
pub struct ExtensionForm {
    csrf: String,
    /// `YYYY-MM-DD`.
    deadline: String,
    reason: String,
}

/// `POST /tasks/{doc}/{seq}/extension`: the lead unit asks for a new deadline.
pub async fn request(
    State(app): State<Arc<App>>,
    Path((doc, seq)): Path<(i64, u32)>,
    headers: HeaderMap,
    Form(f): Form<ExtensionForm>,
) -> Response {
    let done = async {
        let user = checked(&app, &headers, &f.csrf).await?;
        let (source, units) = task_units(&app, doc, seq).await?;
        let lead = units.first().ok_or(Failure::NotFound)?;
        if !user.actor().may_request_extension(&units) {
            return Err(Failure::Forbidden("只有牵头单位可以申请延期".into()));
        }
        let deadline = Date::parse(f.deadline.trim()).ok_or_else(|| {
            Failure::BadRequest(format!("新的完成时限“{}”不是日期（年-月-日）", f.deadline))
        })?;
        let today = Date::today_in(app.data.supervision.zone);
        if deadline <= today {
            return Err(Failure::BadRequest(format!(
                "新的完成时限{deadline}须晚于今天（{today}）"
            )));
        }
        let reason = f.reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_MESSAGE {
            return Err(Failure::BadRequest(format!(
                "延期理由须填写，最多{MAX_MESSAGE}字"
            )));
        }
        let asked = app
            .data
            .store
            .request_extension(
                &source,
                i64::from(seq),
                lead,
                user.account.id,
                &deadline.to_string(),
                reason,
                &user.account.name,
            )
            .await?;
        if asked.is_none() {
            return Err(Failure::BadRequest(
                "这项任务已有一份待审批的延期申请".into(),
            ));
        }
        Ok(format!("/tasks/{doc}/{seq}#supervision"))
    }
    .await;
    see_other(done)
}

#[derive(Deserialize)]
pub struct DecisionForm {
    csrf: String,
    /// `approve` or `refuse`.
    decision: String,
    comment: Option<String>,
}

/// `POST /extensions/{id}/decide`: a supervisor approves or refuses a request.
pub async fn decide(
    State(app): State<Arc<App>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(f): Form<DecisionForm>,
) -> Response {
    let done = async {
        let user = checked(&app, &headers, &f.csrf).await?;
        if !user.supervises() {
            return Err(Failure::Forbidden("只有督查员可以审批延期申请".into()));
        }
        let approve = match f.decision.as_str() {
            "approve" => true,
            "refuse" => false,
            other => {
                return Err(Failure::BadRequest(format!(
                    "审批意见“{other}”无效，应为批准或不批准"
                )));
            }
        };
        let comment = f.comment.as_deref().map(str::trim).unwrap_or("");
        if comment.chars().count() > MAX_MESSAGE {
            return Err(Failure::BadRequest(format!("审批意见最多{MAX_MESSAGE}字")));
        }
        let waiting = app.data.store.extension_requests(None).await?;
        let Some(x) = waiting.iter().find(|x| x.id == id) else {
            return Err(Failure::BadRequest("这份延期申请已审批或不存在".into()));
        };
        // Whoever asked does not decide, admins included.
        if !user.actor().may_decide_extension(x.by.as_deref()) {
            return Err(Failure::Forbidden("不能审批自己提交的延期申请".into()));
        }
        let doc = app.data.meta().await?.doc_id(&x.source);
        let seq = x.task_seq;
        if !app
            .data
            .store
            .decide_extension(id, approve, comment, user.account.id, &user.account.name)
            .await?
        {
            return Err(Failure::BadRequest("这份延期申请已审批或不存在".into()));
        }
        Ok(format!("/tasks/{doc}/{seq}#supervision"))
    }
    .await;
    see_other(done)
}
