//! Pages of the key tasks: the list, a task with its reports and supervision, the warnings.

use std::collections::BTreeSet;

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use plantrack_evaluate::{Date, TaskStatus};

use crate::i18n::status;
use crate::util::{cut, href};
use crate::views::{TaskRow, item_href, lang_param, task_row};
use crate::{Failure, respond};

use super::*;

// ---------------------------------------------------------------- tasks

#[derive(Template)]
#[template(path = "tasks.html")]
struct TasksPage {
    l: Layout,
    statuses: Vec<(&'static str, &'static str)>,
    categories: Vec<String>,
    units: Vec<String>,
    leaders: Vec<String>,
    f: TaskFilter,
    rows: Vec<TaskRow>,
    total: usize,
    today: String,
    csv: String,
    xlsx: String,
    json: String,
}

#[derive(Default)]
pub struct TaskFilter {
    pub status: String,
    pub category: String,
    pub unit: String,
    pub leader: String,
    pub due: String,
}

impl TaskFilter {
    pub fn of(p: &Params) -> TaskFilter {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        TaskFilter {
            status: s(&p.status),
            category: s(&p.category),
            unit: s(&p.unit),
            leader: s(&p.leader),
            due: s(&p.due),
        }
    }

    pub fn keeps(&self, e: &plantrack_evaluate::TaskEvaluation) -> bool {
        (self.status.is_empty() || e.status.as_str() == self.status)
            && (self.category.is_empty()
                || e.task.category.as_deref() == Some(self.category.as_str()))
            && (self.unit.is_empty() || e.task.units.contains(&self.unit))
            && (self.leader.is_empty() || e.task.leaders.contains(&self.leader))
            && (self.due.is_empty()
                || Date::parse(&self.due).is_none_or(|d| e.final_due.is_some_and(|f| f <= d)))
    }
}

pub async fn tasks(
    Page {
        app,
        p,
        uri,
        headers,
    }: Page,
) -> Response {
    respond(&app, &headers, async {
        let t = p.t();
        let s = scope(&app, &p, &headers).await?;
        let view = app.data.year(s.year, &s.region, s.today).await?;
        let f = TaskFilter::of(&p);
        let mut categories = BTreeSet::new();
        let mut units = BTreeSet::new();
        let mut leaders = BTreeSet::new();
        for e in &view.tasks {
            categories.extend(e.task.category.clone());
            units.extend(e.task.units.iter().cloned());
            leaders.extend(e.task.leaders.iter().cloned());
        }
        let rows = view
            .tasks
            .iter()
            .filter(|e| f.keeps(e))
            .map(|e| {
                task_row(
                    e,
                    &view.ledger.documents[view.ledger.tasks[e.index].document],
                    t,
                )
            })
            .collect();
        let (csv, xlsx, json) = downloads("/api/tasks", &s, &p);
        render(TasksPage {
            l: layout(
                t,
                &s,
                &uri,
                format!("{} · {} {}", t.tasks, s.region, s.year),
                "tasks",
            ),
            statuses: [
                "not_started",
                "on_track",
                "at_risk",
                "unreported",
                "overdue",
                "completed",
            ]
            .into_iter()
            .map(|x| (x, status(t, x)))
            .collect(),
            categories: categories.into_iter().collect(),
            units: units.into_iter().collect(),
            leaders: leaders.into_iter().collect(),
            f,
            rows,
            total: view.tasks.len(),
            today: s.today.to_string(),
            csv,
            xlsx,
            json,
        })
    })
    .await
}

#[derive(Template)]
#[template(path = "task.html")]
struct TaskPage {
    l: Layout,
    status: &'static str,
    status_label: &'static str,
    reason: String,
    seq: u32,
    category: String,
    text: String,
    text_href: String,
    /// The title of the table the task is read from.
    document: String,
    deadline: String,
    dues: Vec<(String, String)>,
    joint: bool,
    lead: Vec<(String, String)>,
    others: Vec<(String, String)>,
    leaders: Vec<(String, String)>,
    linked: Vec<(&'static str, &'static str, String, String)>,
    reports: Vec<ReportView>,
    /// The unit this user may report for, if any.
    report_unit: Option<String>,
    statuses: Vec<(&'static str, &'static str)>,
    /// (when, what happened in words) of each change.
    audit: Vec<(String, String)>,
    form_action: String,
    /// Set when this user may acknowledge the task for its lead unit and has not yet.
    ack_action: String,
    /// (when, unit, by whom, what) of each urge (催办), for those who see drafts.
    urges: Vec<(String, String, String, String)>,
    /// Extension requests (延期申请), newest first, for those who see drafts.
    extensions: Vec<ExtensionView>,
    /// Set for a supervisor: where the urge form posts, and the units it may urge.
    urge_action: String,
    units: Vec<String>,
    /// Set for the lead unit's reporter: where the extension request posts.
    extension_action: String,
    /// The approved new deadline, if any.
    extended_to: String,
}

struct ExtensionView {
    at: String,
    unit: String,
    by: String,
    deadline: String,
    reason: String,
    /// 待审批, 已批准 or 未批准.
    decision: &'static str,
    pending: bool,
    /// Who decided, with their comment.
    decided: String,
    /// Set for a supervisor who may decide it.
    decide_action: String,
}

struct ReportView {
    id: i64,
    at: String,
    unit: String,
    user: String,
    status: String,
    status_label: &'static str,
    percent: String,
    narrative: String,
    review: String,
    review_label: &'static str,
    comment: String,
    review_action: String,
    /// (link, name, size) of each evidence file.
    evidence: Vec<(String, String, String)>,
    /// Set when this user may attach evidence to the report.
    upload_action: String,
    /// Whether this user may accept or return the report.
    can_review: bool,
}

pub async fn task(
    Path((doc, seq)): Path<(i64, u32)>,
    Page {
        app,
        p,
        uri,
        headers,
    }: Page,
) -> Response {
    respond(&app, &headers, async {
        let t = p.t();
        let zone = app.data.supervision.zone;
        let (year, region) = app
            .data
            .meta()
            .await?
            .plan_of(doc)
            .ok_or(Failure::NotFound)?;
        let mut s = scope(&app, &p, &headers).await?;
        s.year = year;
        s.region = region;
        let view = app.data.year(s.year, &s.region, s.today).await?;
        let e = view.task(doc, seq).ok_or(Failure::NotFound)?;
        let lang = lang_param(t.lang);
        let y = s.year.to_string();
        let who = |path: &str, name: &str| {
            (
                name.to_string(),
                href(
                    &format!("{path}/{}", crate::util::enc(name)),
                    &[("year", &y), ("region", &s.region), ("lang", lang)],
                ),
            )
        };
        let (lead, others): (Vec<_>, Vec<_>) = if e.task.joint {
            (
                Vec::new(),
                e.task.units.iter().map(|u| who("/units", u)).collect(),
            )
        } else {
            let mut it = e.task.units.iter();
            (
                it.next().map(|u| who("/units", u)).into_iter().collect(),
                it.map(|u| who("/units", u)).collect(),
            )
        };
        let linked = e
            .linked
            .iter()
            .filter_map(|x| {
                let v = view
                    .verdicts
                    .iter()
                    .find(|v| v.target.kind == x.kind && v.target.index == x.index)?;
                Some((
                    x.status.as_str(),
                    status(t, x.status.as_str()),
                    x.what.clone(),
                    item_href(&v.target, t.lang),
                ))
            })
            .collect();
        // Reports: accepted ones are published; drafts are shown to the task's units, the
        // supervisors and the task's own leaders.
        let source = view.ledger.documents[view.ledger.tasks[e.index].document]
            .source
            .clone();
        let drafts = s
            .user
            .as_ref()
            .is_some_and(|u| u.sees_drafts_of(&e.task.units, &e.task.leaders));
        let stored = app.data.store.reports(&source, i64::from(seq)).await?;
        let acknowledged = e.report.is_some() || stored.iter().any(|r| r.status == "acknowledged");
        let mut reports: Vec<ReportView> = stored
            .into_iter()
            .filter(|r| drafts || r.review == "accepted")
            .map(|r| ReportView {
                can_review: s.user.as_ref().is_some_and(|u| {
                    crate::workflow::may_review(
                        u,
                        r.user.as_deref().unwrap_or(""),
                        r.unit.as_deref().unwrap_or(""),
                        &e.task.units,
                        e.task.joint,
                    )
                }),
                evidence: Vec::new(),
                upload_action: if r.review == "submitted"
                    && s.user.as_ref().is_some_and(|u| {
                        u.reports_for(std::slice::from_ref(&r.unit.clone().unwrap_or_default()))
                            .is_some()
                    }) {
                    format!("/reports/{}/evidence", r.id)
                } else {
                    String::new()
                },
                id: r.id,
                at: when(&r.reported_at, zone),
                unit: r.unit.unwrap_or_default(),
                user: r.user.unwrap_or_default(),
                status_label: crate::i18n::status(t, &r.status),
                review_label: crate::i18n::status(t, &r.review),
                status: r.status,
                percent: r
                    .percent
                    .map_or(String::new(), |p| format!("{}%", crate::util::num(p))),
                narrative: r.narrative,
                review: r.review,
                comment: r.review_comment.unwrap_or_default(),
                review_action: format!("/reports/{}/review", r.id),
            })
            .collect();
        for r in &mut reports {
            r.evidence = app
                .data
                .store
                .evidence_of(r.id)
                .await?
                .into_iter()
                .map(|(id, name, _, size)| {
                    (
                        format!("/evidence/{id}"),
                        name,
                        format!("{:.1} KB", size as f64 / 1024.0),
                    )
                })
                .collect();
            // A report holds so many files, and offers no upload form past them.
            if r.evidence.len() >= crate::workflow::MAX_EVIDENCE_FILES {
                r.upload_action.clear();
            }
        }
        // The trail holds drafts' words: it is shown to those who see drafts.
        let audit = if drafts {
            app.data
                .store
                .audit_of("task", &format!("{source}#{seq}"))
                .await?
                .into_iter()
                .map(|a| {
                    let what = crate::i18n::change(t, &a.action, &a.actor, a.after.as_deref());
                    (when(&a.at, zone), what)
                })
                .collect()
        } else {
            Vec::new()
        };
        let report_unit = s
            .user
            .as_ref()
            .and_then(|u| u.reports_for(&e.task.units))
            .cloned();
        let lead_unit = e.task.units.first().cloned().unwrap_or_default();
        let ack_action = if !acknowledged
            && s.user
                .as_ref()
                .is_some_and(|u| u.reports_for(std::slice::from_ref(&lead_unit)).is_some())
        {
            format!("/tasks/{doc}/{seq}/ack")
        } else {
            String::new()
        };
        let supervises = s.user.as_ref().is_some_and(|u| u.supervises());
        let (urges, extensions) = if drafts {
            let urges = app
                .data
                .store
                .urges()
                .await?
                .into_iter()
                .filter(|g| g.source == source && g.task_seq == i64::from(seq))
                .map(|g| {
                    (
                        when(&g.urged_at, zone),
                        g.unit,
                        g.by.unwrap_or_default(),
                        g.message,
                    )
                })
                .collect();
            let extensions =
                app.data
                    .store
                    .extension_requests(Some((&source, i64::from(seq))))
                    .await?
                    .into_iter()
                    .map(|x| {
                        let pending = x.decision == "pending";
                        ExtensionView {
                            at: when(&x.requested_at, zone),
                            decision: crate::i18n::extension_decision(t, &x.decision),
                            decided: match (&x.decided_by, &x.comment) {
                                (Some(b), Some(c)) if !c.is_empty() => format!("{b}：{c}"),
                                (Some(b), _) => b.clone(),
                                _ => String::new(),
                            },
                            decide_action: if pending
                                && s.user.as_ref().is_some_and(|u| {
                                    u.actor().may_decide_extension(x.by.as_deref())
                                }) {
                                format!("/extensions/{}/decide", x.id)
                            } else {
                                String::new()
                            },
                            pending,
                            unit: x.unit,
                            by: x.by.unwrap_or_default(),
                            deadline: x.deadline,
                            reason: x.reason,
                        }
                    })
                    .collect();
            (urges, extensions)
        } else {
            (Vec::new(), Vec::new())
        };
        let lead_reporter = s
            .user
            .as_ref()
            .is_some_and(|u| u.actor().may_request_extension(&e.task.units));
        render(TaskPage {
            urges,
            extensions,
            urge_action: if supervises {
                format!("/tasks/{doc}/{seq}/urge")
            } else {
                String::new()
            },
            units: e.task.units.clone(),
            extension_action: if lead_reporter && e.status != TaskStatus::Completed {
                format!("/tasks/{doc}/{seq}/extension")
            } else {
                String::new()
            },
            extended_to: e.extended_to.map(|d| d.to_string()).unwrap_or_default(),
            ack_action,
            reports,
            report_unit,
            statuses: crate::workflow::REPORT_STATUSES
                .iter()
                .map(|x| (*x, status(t, x)))
                .collect(),
            audit,
            form_action: format!("/tasks/{doc}/{seq}/reports"),
            l: layout(
                t,
                &s,
                &uri,
                format!("{} {} · {}", t.task, e.seq, cut(&e.task.text, 30)),
                "tasks",
            ),
            status: e.status.as_str(),
            status_label: status(t, e.status.as_str()),
            reason: crate::views::reason(t, &e.reason, &e.reason_zh),
            seq: e.seq,
            category: e.task.category.clone().unwrap_or_default(),
            text: e.task.text.clone(),
            text_href: format!(
                "{}#t{}",
                href(&format!("/documents/{doc}"), &[("lang", lang)]),
                e.task.span.start
            ),
            document: view.ledger.documents[view.ledger.tasks[e.index].document].display_title(),
            deadline: e.task.deadline.clone().unwrap_or_default(),
            dues: e
                .dues
                .iter()
                .map(|d| (d.date.to_string(), d.text.clone()))
                .collect(),
            joint: e.task.joint,
            lead,
            others,
            leaders: e.task.leaders.iter().map(|l| who("/leaders", l)).collect(),
            linked,
        })
    })
    .await
}

// ---------------------------------------------------------------- warnings

#[derive(Template)]
#[template(path = "warnings.html")]
struct WarningsPage {
    l: Layout,
    today: String,
    red: usize,
    yellow: usize,
    green: usize,
    rows: Vec<WarningRow>,
}

struct WarningRow {
    light: &'static str,
    unit: String,
    role: String,
    what: String,
    date: String,
    statement: String,
    seq: u32,
    task: String,
    href: String,
}

/// Red and yellow tasks, unit by unit: what is overdue, which milestones passed, what falls due
/// within 30 days.
pub async fn warnings(
    Page {
        app,
        p,
        uri,
        headers,
    }: Page,
) -> Response {
    respond(&app, &headers, async {
        let t = p.t();
        let s = scope(&app, &p, &headers).await?;
        let view = app.data.year(s.year, &s.region, s.today).await?;
        let count =
            |l: plantrack_evaluate::Light| view.tasks.iter().filter(|e| e.light() == l).count();
        let digest = plantrack_evaluate::reminders(
            &view.tasks,
            s.today,
            plantrack_evaluate::tasks::REMIND_WITHIN_DAYS,
            app.data.supervision.zone,
        );
        let mut rows = Vec::new();
        for (unit, items) in &digest {
            for r in items {
                let (light, what) = match r.kind {
                    plantrack_evaluate::ReminderKind::Overdue => {
                        let since = match (r.status, t.lang == "zh") {
                            (TaskStatus::Unreported, true) => "逾期未反馈",
                            (TaskStatus::Unreported, false) => "not reported, overdue",
                            (_, true) => "逾期未完成",
                            (_, false) => t.overdue_since,
                        };
                        ("red", format!("{since} {} {}", -r.days, t.days))
                    }
                    plantrack_evaluate::ReminderKind::MilestonePassed => {
                        ("yellow", t.milestone_passed.to_string())
                    }
                    plantrack_evaluate::ReminderKind::DueSoon => {
                        ("yellow", format!("{} {} {}", t.due_in, r.days, t.days))
                    }
                    plantrack_evaluate::ReminderKind::Urged => (
                        "yellow",
                        if t.lang == "zh" {
                            format!("被催办：{}", r.statement)
                        } else {
                            format!("urged: {}", r.statement)
                        },
                    ),
                };
                let role = match (r.role, t.lang == "zh") {
                    ("lead", true) => t.lead_unit,
                    ("cooperating", true) => t.cooperating,
                    ("joint", _) => t.joint,
                    (other, _) => other,
                };
                rows.push(WarningRow {
                    light,
                    unit: unit.clone(),
                    role: role.to_string(),
                    what,
                    date: r.date.to_string(),
                    statement: cut(&r.statement, 30),
                    seq: r.seq,
                    task: cut(&r.task, 50),
                    href: href(
                        &format!("/tasks/{}/{}", s.meta.doc_id(&r.source), r.seq),
                        &[("lang", lang_param(t.lang))],
                    ),
                });
            }
        }
        render(WarningsPage {
            l: layout(
                t,
                &s,
                &uri,
                format!("{} · {} {}", t.warnings, s.region, s.year),
                "warnings",
            ),
            today: s.today.to_string(),
            red: count(plantrack_evaluate::Light::Red),
            yellow: count(plantrack_evaluate::Light::Yellow),
            green: count(plantrack_evaluate::Light::Green),
            rows,
        })
    })
    .await
}
