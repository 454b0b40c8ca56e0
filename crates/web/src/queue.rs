//! 我的待办: what a signed-in account owes, at `/me` and as JSON at `/api/me/queue`.
//!
//! A reporter's tasks to acknowledge (签收) and the progress reports its units owe (by the coming
//! reporting round, or late since one passed); its returned reports to fix; and, for whoever may
//! review (supervisors; a lead unit for its cooperating units), the reports waiting for review.
//! When a report is due is the evaluation crate's rule ([`TaskEvaluation::report_due`]); who may
//! review is the workflow's ([`crate::workflow::may_review`]); this module only gathers.

use std::collections::BTreeMap;

use askama::Template;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use plantrack_evaluate::TaskEvaluation;
use plantrack_model::Moment;
use serde::Serialize;

use crate::auth::User;
use crate::i18n::Words;
use crate::pages::{Layout, Page, Scope, layout, scope};
use crate::util::href;
use crate::views::lang_param;
use crate::{App, Failure, error_json, error_page};

/// One thing to do.
#[derive(Debug, Clone, Serialize)]
pub struct QueueItem {
    /// `urge` (催办), `acknowledge`, `report`, `fix` (a returned report), `review` or
    /// `extension` (a request for a new deadline to decide).
    pub kind: &'static str,
    /// The task: its document's key and its number there.
    pub doc: i64,
    pub seq: u32,
    pub task: String,
    /// The unit that owes it (or whose report waits).
    pub unit: String,
    /// By when (`report`: the round's or the deadline's date), or since when (a late report,
    /// a report waiting), `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Past its date.
    pub late: bool,
    /// The report concerned (`fix`, `review`).
    pub report: Option<i64>,
    pub href: String,
    /// What to do, in the page's language.
    pub what: String,
}

/// An account's work queue as of a day.
#[derive(Debug, Clone, Serialize)]
pub struct Queue {
    pub account: String,
    pub as_of: String,
    /// Items by kind.
    pub counts: BTreeMap<&'static str, usize>,
    /// Urges first, then what is late, then by date.
    pub items: Vec<QueueItem>,
}

/// A stored moment's day on the office's clock.
fn day_of(secs: &str, zone: plantrack_evaluate::Zone) -> Option<String> {
    Moment::parse(secs).map(|m| plantrack_evaluate::Date::of(m, zone).to_string())
}

fn task_href(doc: i64, seq: u32, anchor: &str, t: &Words) -> String {
    format!(
        "{}{anchor}",
        href(
            &format!("/tasks/{doc}/{seq}"),
            &[("lang", lang_param(t.lang))]
        )
    )
}

/// The queue of `user` over the tasks of the scope's year and region.
pub async fn build(app: &App, user: &User, s: &Scope, t: &Words) -> Result<Queue, Failure> {
    // A queue is never answered from a stale evaluation: the ledger's version drops the caches
    // when a report or an acknowledgement came in.
    app.data.version().await?;
    let view = app.data.year(s.year, &s.region, s.today).await?;
    let supervision = &app.data.supervision;
    let zh = t.lang == "zh";
    let doc_of = |e: &TaskEvaluation| {
        view.ledger.documents[view.ledger.tasks[e.index].document]
            .id
            .unwrap_or(0)
    };
    let mut items = Vec::new();
    // A reporter's own: acknowledgements and reports its units owe.
    if user.is("reporter") {
        for e in &view.tasks {
            let Some(unit) = user.reports_for(&e.task.units) else {
                continue;
            };
            let doc = doc_of(e);
            let lead = e.task.units.first() == Some(unit) || e.task.joint;
            if lead && e.not_acknowledged {
                items.push(QueueItem {
                    kind: "acknowledge",
                    doc,
                    seq: e.seq,
                    task: e.task.text.clone(),
                    unit: unit.clone(),
                    date: None,
                    late: false,
                    report: None,
                    href: task_href(doc, e.seq, "", t),
                    what: if zh {
                        "签收任务"
                    } else {
                        "Acknowledge the task"
                    }
                    .into(),
                });
            }
            if let Some(due) = e.report_due(s.today, supervision) {
                let what = match (due.late, zh) {
                    (true, true) => format!("未按期反馈：{}的进展应已报送", due.date),
                    (true, false) => format!("Late: progress was due by {}", due.date),
                    (false, true) => format!("{}前报送进展", due.date),
                    (false, false) => format!("Report progress by {}", due.date),
                };
                items.push(QueueItem {
                    kind: "report",
                    doc,
                    seq: e.seq,
                    task: e.task.text.clone(),
                    unit: unit.clone(),
                    date: Some(due.date.to_string()),
                    late: due.late,
                    report: None,
                    href: task_href(doc, e.seq, "", t),
                    what,
                });
            }
        }
    }
    let tasks: BTreeMap<(&str, u32), &TaskEvaluation> = view
        .tasks
        .iter()
        .map(|e| ((e.source.as_str(), e.seq), e))
        .collect();
    let open = app.data.store.open_reports().await?;
    // Urges (催办) of the reporter's units still open (the evaluation's rule: until the unit
    // reports after them).
    if user.is("reporter") {
        for e in &view.tasks {
            for g in &e.urged {
                if user.reports_for(std::slice::from_ref(&g.unit)).is_none() {
                    continue;
                }
                let doc = doc_of(e);
                let by = g.by.clone().unwrap_or_default();
                items.push(QueueItem {
                    kind: "urge",
                    doc,
                    seq: e.seq,
                    task: e.task.text.clone(),
                    unit: g.unit.clone(),
                    date: day_of(&g.urged_at, supervision.zone),
                    late: true,
                    report: None,
                    href: task_href(doc, e.seq, "#supervision", t),
                    what: if zh {
                        format!("{by}催办：{}", g.message)
                    } else {
                        format!("Urged by {by}: {}", g.message)
                    },
                });
            }
        }
    }
    // Extension requests waiting for a supervisor.
    if user.supervises() {
        for x in app.data.store.extension_requests(None).await? {
            let Ok(seq) = u32::try_from(x.task_seq) else {
                continue;
            };
            let Some(e) = tasks.get(&(x.source.as_str(), seq)) else {
                continue;
            };
            if x.by.as_deref() == Some(user.account.name.as_str()) {
                continue;
            }
            let doc = doc_of(e);
            items.push(QueueItem {
                kind: "extension",
                doc,
                seq,
                task: e.task.text.clone(),
                what: if zh {
                    format!("{}申请延期至{}：{}", x.unit, x.deadline, x.reason)
                } else {
                    format!(
                        "{} asks for a new deadline, {}: {}",
                        x.unit, x.deadline, x.reason
                    )
                },
                unit: x.unit,
                date: day_of(&x.requested_at, supervision.zone),
                late: false,
                report: None,
                href: task_href(doc, seq, "#supervision", t),
            });
        }
    }
    // Open reports: returned ones to fix, submitted ones to review.
    for (source, seq, r) in open {
        let Ok(seq) = u32::try_from(seq) else {
            continue;
        };
        let Some(e) = tasks.get(&(source.as_str(), seq)) else {
            continue;
        };
        let unit = r.unit.clone().unwrap_or_default();
        let doc = doc_of(e);
        let day = day_of(&r.reported_at, supervision.zone);
        let anchor = format!("#report-{}", r.id);
        if r.review == "returned" {
            if user.is("reporter") && user.reports_for(std::slice::from_ref(&unit)).is_some() {
                let what = match (r.review_comment.as_deref().unwrap_or(""), zh) {
                    ("", true) => "报告被退回，请修改后重新报送".to_string(),
                    (c, true) => format!("报告被退回：{c}"),
                    ("", false) => "Returned: fix and report again".to_string(),
                    (c, false) => format!("Returned: {c}"),
                };
                items.push(QueueItem {
                    kind: "fix",
                    doc,
                    seq,
                    task: e.task.text.clone(),
                    unit,
                    date: day,
                    late: false,
                    report: Some(r.id),
                    href: task_href(doc, seq, &anchor, t),
                    what,
                });
            }
        } else if crate::workflow::may_review(
            user,
            r.user.as_deref().unwrap_or(""),
            &unit,
            &e.task.units,
            e.task.joint,
        ) {
            items.push(QueueItem {
                kind: "review",
                doc,
                seq,
                task: e.task.text.clone(),
                what: if zh {
                    format!("审核{unit}的进展报告")
                } else {
                    format!("Review the report of {unit}")
                },
                unit,
                date: day,
                late: false,
                report: Some(r.id),
                href: task_href(doc, seq, &anchor, t),
            });
        }
    }
    // Urges first (the office asked), then what is late, then by date.
    items.sort_by(|a, b| {
        (a.kind != "urge")
            .cmp(&(b.kind != "urge"))
            .then(b.late.cmp(&a.late))
            .then(a.date.cmp(&b.date))
            .then(a.doc.cmp(&b.doc))
            .then(a.seq.cmp(&b.seq))
    });
    let mut counts = BTreeMap::new();
    for i in &items {
        *counts.entry(i.kind).or_insert(0) += 1;
    }
    Ok(Queue {
        account: user.account.name.clone(),
        as_of: s.today.to_string(),
        counts,
        items,
    })
}

#[derive(Template)]
#[template(path = "me.html")]
struct QueuePage {
    l: Layout,
    queue: Queue,
    /// (label, count) of each kind with items.
    counts: Vec<(&'static str, usize)>,
}

fn private(mut r: Response) -> Response {
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    r
}

/// `/me`: the signed-in account's queue; the sign-in page for anyone else.
pub async fn page(
    Page {
        app,
        p,
        uri,
        headers,
    }: Page,
) -> Response {
    let answer = async {
        let t = p.t();
        let s = scope(&app, &p, &headers).await?;
        let Some(user) = s.user.clone() else {
            return Err(Failure::Unauthorized);
        };
        let queue = build(&app, &user, &s, t).await?;
        let counts = [
            "urge",
            "acknowledge",
            "report",
            "fix",
            "review",
            "extension",
        ]
        .iter()
        .filter_map(|k| {
            let n = queue.counts.get(k).copied()?;
            Some((crate::i18n::queue_kind(t, k), n))
        })
        .collect();
        let l = layout(t, &s, &uri, crate::i18n::my_queue(t).to_string(), "me");
        QueuePage { l, queue, counts }
            .render()
            .map_err(|e| Failure::Internal(format!("template: {e}")))
    };
    match answer.await {
        Ok(html) => {
            private(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
        }
        Err(Failure::Unauthorized) => {
            let next = crate::util::href("/login", &[("next", "/me")]);
            axum::response::Redirect::to(&next).into_response()
        }
        Err(f) => error_page(f),
    }
}

/// `/api/me/queue`: the same as JSON; 401 when not signed in. Never cached: it is one account's.
pub async fn api(
    Page {
        app,
        p,
        uri: _,
        headers,
    }: Page,
) -> Response {
    let answer = async {
        let s = scope(&app, &p, &headers).await?;
        let user = s.user.clone().ok_or(Failure::Unauthorized)?;
        build(&app, &user, &s, p.t()).await
    };
    match answer.await {
        Ok(q) => private(axum::Json(q).into_response()),
        Err(f) => private(error_json(f)),
    }
}
