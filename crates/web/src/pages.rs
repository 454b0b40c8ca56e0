//! The HTML pages: server-rendered, one template each, with the charts as data for `app.js`.

use std::collections::BTreeSet;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use plantrack_evaluate::ranking::{self, Ranked};
use plantrack_evaluate::{Date, Tally, TaskStatus};
use plantrack_model::{DocumentKind, QuantityRole, Span};
use serde::Deserialize;

use crate::data::{Meta, YearView};
use crate::i18n::{Words, status, words};
use crate::util::{cut, esc, file_name, href};
use crate::views::{
    IndicatorRow, TaskRow, VerdictRow, doc_href, indicator_chart, indicator_row, item_href,
    lang_param, status_pie, task_row, verdict_row,
};
use crate::{App, Failure, respond};

/// The query parameters every page understands.
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    pub year: Option<i32>,
    pub region: Option<String>,
    pub lang: Option<String>,
    pub status: Option<String>,
    pub q: Option<String>,
    pub category: Option<String>,
    pub unit: Option<String>,
    pub leader: Option<String>,
    pub due: Option<String>,
    pub as_of: Option<String>,
    pub format: Option<String>,
    pub by: Option<String>,
    pub next: Option<String>,
}

impl Params {
    pub fn t(&self) -> &'static Words {
        words(self.lang.as_deref())
    }
}

pub struct Nav {
    pub overview: String,
    pub warnings: String,
    pub targets: String,
    pub plan: String,
    pub tasks: String,
    pub units: String,
    pub leaders: String,
    pub regions: String,
    pub documents: String,
    pub search: String,
}

/// What the base template shows around every page.
pub struct Layout {
    pub t: &'static Words,
    pub title: String,
    pub active: &'static str,
    pub nav: Nav,
    pub lang_href: String,
    pub selectors: bool,
    pub charts: bool,
    pub years: Vec<i32>,
    pub regions: Vec<String>,
    pub year: i32,
    pub region: String,
    /// The signed-in user's name and role.
    pub user: Option<(String, String)>,
    pub csrf: String,
    pub login_href: String,
}

/// The year, region and date a page is for: from the query, else the ledger's defaults.
pub struct Scope {
    pub user: Option<crate::auth::User>,
    pub meta: Arc<Meta>,
    pub year: i32,
    pub region: String,
    pub today: Date,
}

pub async fn scope(app: &App, p: &Params, headers: &HeaderMap) -> Result<Scope, Failure> {
    let user = crate::current_user(app, headers).await?;
    let meta = app.data.meta().await?;
    let year = p
        .year
        .or(meta.default_year)
        .unwrap_or_else(|| Date::today_in(app.data.supervision.zone).year);
    let region = p
        .region
        .clone()
        .filter(|r| !r.is_empty())
        .or_else(|| meta.default_region.clone())
        .unwrap_or_default();
    let today = match p.as_of.as_deref().filter(|s| !s.is_empty()) {
        None => Date::today_in(app.data.supervision.zone),
        Some(s) => Date::parse(s)
            .ok_or_else(|| Failure::BadRequest(format!("as_of {s}: not a date (YYYY-MM-DD)")))?,
    };
    Ok(Scope {
        user,
        meta,
        year,
        region,
        today,
    })
}

pub(crate) fn layout(
    t: &'static Words,
    s: &Scope,
    uri: &Uri,
    title: String,
    active: &'static str,
) -> Layout {
    let y = s.year.to_string();
    let lang = lang_param(t.lang);
    let at = |path: &str| href(path, &[("year", &y), ("region", &s.region), ("lang", lang)]);
    // The same page in the other language.
    let mut pairs: Vec<(String, String)> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|kv| !kv.is_empty() && !kv.starts_with("lang="))
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k.to_string(), v.to_string())
        })
        .collect();
    if t.lang == "zh" {
        pairs.push(("lang".into(), "en".into()));
    }
    let q: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let lang_href = if q.is_empty() {
        uri.path().to_string()
    } else {
        format!("{}?{}", uri.path(), q.join("&"))
    };
    let mut years = s.meta.years.clone();
    if !years.contains(&s.year) {
        years.push(s.year);
        years.sort_unstable();
    }
    Layout {
        t,
        title,
        active,
        nav: Nav {
            overview: at("/"),
            warnings: at("/warnings"),
            targets: at("/targets"),
            plan: at("/plan"),
            tasks: at("/tasks"),
            units: at("/units"),
            leaders: at("/leaders"),
            regions: at("/regions"),
            documents: href("/documents", &[("lang", lang)]),
            search: href("/search", &[("lang", lang)]),
        },
        lang_href,
        selectors: true,
        charts: false,
        years,
        regions: s.meta.nearby(&s.region),
        year: s.year,
        region: s.region.clone(),
        user: s.user.as_ref().map(|u| {
            (
                u.account.name.clone(),
                crate::i18n::role(t, &u.account.role).to_string(),
            )
        }),
        csrf: s.user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default(),
        login_href: href("/login", &[("next", uri.path()), ("lang", lang)]),
    }
}

fn render(t: impl Template) -> Result<String, Failure> {
    t.render()
        .map_err(|e| Failure::Internal(format!("template: {e}")))
}

// ---------------------------------------------------------------- overview

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    l: Layout,
    today: String,
    tally: Tally,
    words: StatusWords,
    links: StatusLinks,
    verdict_chart: String,
    task_chart: String,
    indicators: Vec<IndicatorRow>,
}

struct StatusWords {
    achieved: &'static str,
    not_achieved: &'static str,
    no_data: &'static str,
}

struct StatusLinks {
    achieved: String,
    not_achieved: String,
    no_data: String,
}

pub async fn overview(
    State(app): State<Arc<App>>,
    Query(p): Query<Params>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    respond(&app, &headers, async {
        let t = p.t();
        let s = scope(&app, &p, &headers).await?;
        let view = app.data.year(s.year, &s.region, s.today).await?;
        let plan = app.data.plan(&s.region).await?;
        let tally = Tally::of(&view.verdicts);
        let mut l = layout(
            t,
            &s,
            &uri,
            format!("{} · {} {}", t.overview, s.region, s.year),
            "overview",
        );
        l.charts = true;
        let y = s.year.to_string();
        let link = |st: &str| {
            href(
                "/targets",
                &[
                    ("year", &y),
                    ("region", &s.region),
                    ("status", st),
                    ("lang", lang_param(t.lang)),
                ],
            )
        };
        let mut task_counts: Vec<(&str, usize)> = Vec::new();
        for st in [
            TaskStatus::Completed,
            TaskStatus::OnTrack,
            TaskStatus::AtRisk,
            TaskStatus::Unreported,
            TaskStatus::Overdue,
            TaskStatus::NotStarted,
        ] {
            let n = view.tasks.iter().filter(|x| x.status == st).count();
            if n > 0 {
                task_counts.push((st.as_str(), n));
            }
        }
        let indicators = plan
            .evals
            .iter()
            .filter(|e| !e.observations.is_empty() && indicator_chart(e, t).is_some())
            .map(|e| indicator_row(e, t))
            .collect();
        render(OverviewPage {
            today: s.today.to_string(),
            words: StatusWords {
                achieved: status(t, "achieved"),
                not_achieved: status(t, "not_achieved"),
                no_data: status(t, "no_data"),
            },
            links: StatusLinks {
                achieved: link("achieved"),
                not_achieved: link("not_achieved"),
                no_data: link("no_data"),
            },
            verdict_chart: status_pie(
                &[
                    ("achieved", tally.achieved),
                    ("not_achieved", tally.not_achieved),
                    ("no_data", tally.no_data),
                ],
                t,
            )
            .to_string(),
            task_chart: status_pie(&task_counts, t).to_string(),
            tally,
            indicators,
            l,
        })
    })
    .await
}

// ---------------------------------------------------------------- targets

#[derive(Template)]
#[template(path = "targets.html")]
struct TargetsPage {
    l: Layout,
    statuses: Vec<(&'static str, &'static str)>,
    status: String,
    q: String,
    rows: Vec<VerdictRow>,
    total: usize,
    csv: String,
    xlsx: String,
    json: String,
}

/// The verdicts a targets page or download shows.
pub fn filtered_verdicts<'a>(
    view: &'a YearView,
    p: &Params,
) -> Vec<&'a plantrack_evaluate::Verdict> {
    let q = p.q.as_deref().unwrap_or("");
    view.verdicts
        .iter()
        .filter(|v| {
            p.status
                .as_deref()
                .is_none_or(|s| s.is_empty() || v.status.as_str() == s)
        })
        .filter(|v| q.is_empty() || v.target.figure().0.contains(q))
        .collect()
}

fn downloads(path: &str, s: &Scope, p: &Params) -> (String, String, String) {
    let y = s.year.to_string();
    let mk = |format: &str| {
        href(
            path,
            &[
                ("year", &y),
                ("region", &s.region),
                ("status", p.status.as_deref().unwrap_or("")),
                ("q", p.q.as_deref().unwrap_or("")),
                ("category", p.category.as_deref().unwrap_or("")),
                ("unit", p.unit.as_deref().unwrap_or("")),
                ("leader", p.leader.as_deref().unwrap_or("")),
                ("due", p.due.as_deref().unwrap_or("")),
                ("as_of", p.as_of.as_deref().unwrap_or("")),
                ("by", p.by.as_deref().unwrap_or("")),
                ("format", format),
            ],
        )
    };
    (mk("csv"), mk("xlsx"), mk(""))
}

pub async fn targets(
    State(app): State<Arc<App>>,
    Query(p): Query<Params>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    respond(&app, &headers, async {
        let t = p.t();
        let s = scope(&app, &p, &headers).await?;
        let view = app.data.year(s.year, &s.region, s.today).await?;
        let rows: Vec<VerdictRow> = filtered_verdicts(&view, &p)
            .into_iter()
            .map(|v| verdict_row(v, t))
            .collect();
        let (csv, xlsx, json) = downloads("/api/targets", &s, &p);
        render(TargetsPage {
            l: layout(
                t,
                &s,
                &uri,
                format!("{} · {} {}", t.targets, s.region, s.year),
                "targets",
            ),
            statuses: ["achieved", "not_achieved", "no_data"]
                .into_iter()
                .map(|x| (x, status(t, x)))
                .collect(),
            status: p.status.clone().unwrap_or_default(),
            q: p.q.clone().unwrap_or_default(),
            total: view.verdicts.len(),
            rows,
            csv,
            xlsx,
            json,
        })
    })
    .await
}

// ---------------------------------------------------------------- plan

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    l: Layout,
    rows: Vec<IndicatorRow>,
    csv: String,
    xlsx: String,
    json: String,
}

pub async fn plan(
    State(app): State<Arc<App>>,
    Query(p): Query<Params>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    respond(&app, &headers, async {
        let t = p.t();
        let s = scope(&app, &p, &headers).await?;
        let view = app.data.plan(&s.region).await?;
        let title = view
            .evals
            .first()
            .and_then(|e| {
                view.ledger
                    .documents
                    .iter()
                    .find(|d| d.source == e.source)
                    .and_then(|d| d.title.clone())
            })
            .unwrap_or_else(|| format!("{} · {}", t.plan, s.region));
        let mut l = layout(t, &s, &uri, title, "plan");
        l.charts = true;
        let (csv, xlsx, json) = downloads("/api/plan", &s, &p);
        render(PlanPage {
            rows: view.evals.iter().map(|e| indicator_row(e, t)).collect(),
            l,
            csv,
            xlsx,
            json,
        })
    })
    .await
}

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
    State(app): State<Arc<App>>,
    Query(p): Query<Params>,
    uri: Uri,
    headers: HeaderMap,
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

/// Seconds since the epoch as a UTC date and time.
/// A stored moment (seconds since the epoch) on the office's clock: `2024-03-05 10:12`.
fn when(secs: &str, zone: plantrack_evaluate::Zone) -> String {
    match secs.parse::<i64>() {
        Ok(s) => Date::minute_at(s, zone),
        Err(_) => secs.to_string(),
    }
}

pub async fn task(
    State(app): State<Arc<App>>,
    Path((doc, seq)): Path<(i64, u32)>,
    Query(p): Query<Params>,
    uri: Uri,
    headers: HeaderMap,
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

// ---------------------------------------------------------------- scorecards

#[derive(Template)]
#[template(path = "scorecards.html")]
struct ScorecardsPage {
    l: Layout,
    who: &'static str,
    today: String,
    /// The rules every score follows, written out.
    rules: String,
    /// Why ranks and scores are not shown (empty when they are).
    private_note: String,
    sections: Vec<CardSection>,
    csv: String,
    xlsx: String,
    json: String,
}

/// A peer group's ranking, or the cards listed without a rank.
pub struct CardSection {
    pub title: String,
    pub id: &'static str,
    pub rows: Vec<CardRow>,
}

pub struct CardRow {
    pub name: String,
    pub href: String,
    /// The rank among the peer group, or `-`.
    pub rank: String,
    /// `2 / 40（市级部门）`, or why unranked.
    pub rank_text: String,
    /// The peer group, in the page's language.
    pub peer: &'static str,
    pub peer_group: &'static str,
    pub led: usize,
    pub cooperating: usize,
    pub completed: usize,
    pub overdue: usize,
    pub at_risk: usize,
    pub targets: String,
    pub completion: String,
    pub achievement: String,
    pub score: String,
    /// How the score was made, in the page's language.
    pub basis: String,
    /// The units a group stands for.
    pub members: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum By {
    Unit,
    Leader,
    Region,
}

impl By {
    pub fn path(self) -> &'static str {
        match self {
            By::Unit => "/units",
            By::Leader => "/leaders",
            By::Region => "/regions",
        }
    }

    pub fn parse(s: Option<&str>) -> Result<By, Failure> {
        match s.unwrap_or("unit") {
            "unit" | "" => Ok(By::Unit),
            "leader" => Ok(By::Leader),
            "region" => Ok(By::Region),
            other => Err(Failure::BadRequest(format!(
                "by={other}: unit, leader or region"
            ))),
        }
    }
}

/// Whether the request may see ranks and scores: region rankings are public; unit and leader
/// rankings are for signed-in users unless the office publishes them.
pub fn rankings_shown(app: &App, s: &Scope, by: By) -> bool {
    by == By::Region || app.publish_rankings || s.user.is_some()
}

/// The scorecards ranked by the evaluation's rules (who is ranked, among whom). When ranks may
/// not be shown, ranks, scores and their basis are dropped and the cards come in name order
/// within each part, so that the order tells nothing either.
pub fn cards(
    view: &YearView,
    by: By,
    rules: &plantrack_evaluate::Rules,
    shown: bool,
) -> Vec<Ranked> {
    let mut cards = match by {
        By::Unit => ranking::rank_units(&view.ledger, &view.tasks, rules),
        By::Leader => ranking::rank_leaders(&view.tasks, rules),
        By::Region => ranking::rank_regions(&view.ledger, &view.verdicts, &view.tasks),
    };
    if !shown {
        for c in &mut cards {
            c.rank = None;
            c.card.score = None;
            c.basis = None;
        }
        cards.sort_by(|a, b| {
            let part = |c: &Ranked| (c.unranked.map(|u| u as u8 + 1).unwrap_or(0), c.peer_group);
            part(a)
                .cmp(&part(b))
                .then_with(|| a.card.name.cmp(&b.card.name))
        });
    }
    cards
}

/// The units a task counts for (a placeholder for every district counted for each of them).
pub fn task_units(
    view: &YearView,
    rules: &plantrack_evaluate::Rules,
) -> impl Fn(&plantrack_evaluate::TaskEvaluation) -> Vec<(String, bool)> {
    let districts = rules.units.districts(&view.ledger);
    move |e| rules.units.units_of(&view.ledger, &districts, e)
}

pub fn card_row(r: &Ranked, all: &[Ranked], by: By, s: &Scope, t: &Words) -> CardRow {
    let c = &r.card;
    let zh = t.lang == "zh";
    let n = |k: &str| c.tasks.get(k).copied().unwrap_or(0);
    let y = s.year.to_string();
    let region = if by == By::Region {
        c.name.as_str()
    } else {
        s.region.as_str()
    };
    let peer = if zh {
        r.peer_group.zh()
    } else {
        r.peer_group.en()
    };
    let rank_text = match (r.rank, &r.unranked_reason, &r.unranked_reason_zh) {
        (Some(k), _, _) => {
            let of = all
                .iter()
                .filter(|x| x.peer_group == r.peer_group && x.rank.is_some())
                .count();
            if zh {
                format!("{k} / {of}（{peer}）")
            } else {
                format!("{k} / {of} ({peer})")
            }
        }
        (None, Some(en), Some(zh_reason)) => (if zh { zh_reason } else { en }).clone(),
        _ => String::new(),
    };
    CardRow {
        name: c.name.clone(),
        href: href(
            &format!("{}/{}", by.path(), crate::util::enc(&c.name)),
            &[
                ("year", &y),
                ("region", region),
                ("lang", lang_param(t.lang)),
            ],
        ),
        rank: r.rank.map_or("-".into(), |k| k.to_string()),
        rank_text,
        peer,
        peer_group: r.peer_group.as_str(),
        led: c.led,
        cooperating: c.cooperating,
        completed: n("completed"),
        overdue: n("overdue"),
        at_risk: n("at_risk"),
        targets: format!(
            "{}/{}/{}",
            c.targets.achieved, c.targets.not_achieved, c.targets.no_data
        ),
        completion: format!("{:.1}%", c.completion),
        achievement: c.achievement.map_or("-".into(), |a| format!("{a:.1}%")),
        score: c.score.map_or("-".into(), |a| format!("{a:.1}")),
        basis: r.basis.as_ref().map_or(String::new(), |b| {
            if zh {
                b.text_zh.clone()
            } else {
                b.text.clone()
            }
        }),
        members: r.members.join(if zh { "、" } else { ", " }),
    }
}

/// The cards in their parts: each peer group's ranking, then the cards with too few tasks,
/// then the groups.
fn sections(cards: &[Ranked], by: By, s: &Scope, t: &Words, min: usize) -> Vec<CardSection> {
    let zh = t.lang == "zh";
    let mut out: Vec<CardSection> = Vec::new();
    for r in cards {
        let (id, title) = match r.unranked {
            None => (
                r.peer_group.as_str(),
                if zh {
                    r.peer_group.zh().to_string()
                } else {
                    r.peer_group.en().to_string()
                },
            ),
            Some(ranking::Unranked::FewTasks) => ("few_tasks", crate::i18n::unranked_few(t, min)),
            Some(ranking::Unranked::Group) => ("group", crate::i18n::unranked_groups(t)),
        };
        if out.last().is_none_or(|x| x.id != id) {
            out.push(CardSection {
                title,
                id,
                rows: Vec::new(),
            });
        }
        if let Some(last) = out.last_mut() {
            last.rows.push(card_row(r, cards, by, s, t));
        }
    }
    out
}

async fn scorecards(app: Arc<App>, p: Params, uri: Uri, headers: HeaderMap, by: By) -> Response {
    respond(&app, &headers, async {
        let t = p.t();
        let s = scope(&app, &p, &headers).await?;
        let view = app.data.year(s.year, &s.region, s.today).await?;
        let (who, active, title) = match by {
            By::Unit => (t.unit, "units", t.units),
            By::Leader => (t.leader, "leaders", t.leaders),
            By::Region => (t.region, "regions", t.regions),
        };
        let shown = rankings_shown(&app, &s, by);
        let rules = &app.data.rules;
        let all = cards(&view, by, rules, shown);
        let sections = sections(&all, by, &s, t, rules.units.min_tasks);
        let (csv, xlsx, json) = downloads(
            "/api/scorecards",
            &s,
            &Params {
                by: Some(active.trim_end_matches('s').to_string()),
                ..Default::default()
            },
        );
        render(ScorecardsPage {
            l: layout(
                t,
                &s,
                &uri,
                format!("{title} · {} {}", s.region, s.year),
                active,
            ),
            who,
            today: s.today.to_string(),
            rules: if by == By::Region {
                crate::i18n::region_order(t)
            } else if t.lang == "zh" {
                rules.describe_zh()
            } else {
                rules.describe()
            },
            private_note: if shown {
                String::new()
            } else {
                crate::i18n::rankings_private(t)
            },
            sections,
            csv,
            xlsx,
            json,
        })
    })
    .await
}

pub async fn units(
    State(app): State<Arc<App>>,
    Query(p): Query<Params>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    scorecards(app, p, uri, headers, By::Unit).await
}

pub async fn leaders(
    State(app): State<Arc<App>>,
    Query(p): Query<Params>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    scorecards(app, p, uri, headers, By::Leader).await
}

pub async fn regions(
    State(app): State<Arc<App>>,
    Query(p): Query<Params>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    scorecards(app, p, uri, headers, By::Region).await
}

#[derive(Template)]
#[template(path = "scorecard.html")]
struct ScorecardPage {
    l: Layout,
    /// A unit's year-end report (units only).
    report_href: String,
    card: Option<CardRow>,
    tasks: Vec<TaskRow>,
    verdicts: Vec<(&'static str, &'static str, String, String)>,
}

async fn scorecard(
    app: Arc<App>,
    name: String,
    p: Params,
    uri: Uri,
    headers: HeaderMap,
    by: By,
) -> Response {
    respond(&app, &headers, async {
        let t = p.t();
        let mut s = scope(&app, &p, &headers).await?;
        if by == By::Region {
            s.region = name.clone();
        }
        let view = app.data.year(s.year, &s.region, s.today).await?;
        let all = cards(&view, by, &app.data.rules, rankings_shown(&app, &s, by));
        let card = all
            .iter()
            .find(|c| c.card.name == name)
            .map(|c| card_row(c, &all, by, &s, t));
        let units_of = task_units(&view, &app.data.rules);
        let tasks = view
            .tasks
            .iter()
            .filter(|e| match by {
                By::Unit => units_of(e).iter().any(|(u, _)| *u == name),
                By::Leader => e.task.leaders.contains(&name),
                By::Region => true,
            })
            .map(|e| {
                task_row(
                    e,
                    &view.ledger.documents[view.ledger.tasks[e.index].document],
                    t,
                )
            })
            .collect();
        let verdicts = if by == By::Region {
            view.verdicts
                .iter()
                .filter(|v| v.region.as_deref() == Some(name.as_str()))
                .map(|v| {
                    let (m, f) = v.target.figure();
                    (
                        v.status.as_str(),
                        status(t, v.status.as_str()),
                        format!("{m} {f}"),
                        item_href(&v.target, t.lang),
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        let active = match by {
            By::Unit => "units",
            By::Leader => "leaders",
            By::Region => "regions",
        };
        if card.is_none() && by != By::Region {
            return Err(Failure::NotFound);
        }
        let report_href = if by == By::Unit {
            let y = s.year.to_string();
            href(
                &format!("/units/{}/report", crate::util::enc(&name)),
                &[
                    ("year", &y),
                    ("region", &s.region),
                    ("as_of", p.as_of.as_deref().unwrap_or("")),
                    ("lang", lang_param(t.lang)),
                ],
            )
        } else {
            String::new()
        };
        render(ScorecardPage {
            report_href,
            l: layout(t, &s, &uri, format!("{name} · {}", s.year), active),
            card,
            tasks,
            verdicts,
        })
    })
    .await
}

pub async fn unit(
    State(app): State<Arc<App>>,
    Path(name): Path<String>,
    Query(p): Query<Params>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    scorecard(app, name, p, uri, headers, By::Unit).await
}

pub async fn leader(
    State(app): State<Arc<App>>,
    Path(name): Path<String>,
    Query(p): Query<Params>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    scorecard(app, name, p, uri, headers, By::Leader).await
}

pub async fn region(
    State(app): State<Arc<App>>,
    Path(name): Path<String>,
    Query(p): Query<Params>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    scorecard(app, name, p, uri, headers, By::Region).await
}

// ---------------------------------------------------------------- documents

#[derive(Template)]
#[template(path = "documents.html")]
struct DocumentsPage {
    l: Layout,
    docs: Vec<DocRow>,
}

struct DocRow {
    href: String,
    title: String,
    kind: &'static str,
    region: String,
    year: String,
}

pub fn kind_label(t: &Words, k: DocumentKind) -> &'static str {
    match (k, t.lang == "zh") {
        (DocumentKind::FiveYearPlan, true) => "规划纲要",
        (DocumentKind::AnnualPlanReport, true) => "计划执行情况与计划草案的报告",
        (DocumentKind::WorkReport, true) => "政府工作报告",
        (DocumentKind::TaskTable, true) => "重点工作责任分解",
        (DocumentKind::Other, true) => "其他",
        (k, false) => k.as_str(),
    }
}

pub async fn documents(
    State(app): State<Arc<App>>,
    Query(p): Query<Params>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    respond(&app, &headers, async {
        let t = p.t();
        let s = scope(&app, &p, &headers).await?;
        let docs = s
            .meta
            .documents
            .iter()
            .map(|d| DocRow {
                href: href(
                    &format!("/documents/{}", d.id.unwrap_or(0)),
                    &[("lang", lang_param(t.lang))],
                ),
                title: d.title.clone().unwrap_or_else(|| file_name(&d.source)),
                kind: kind_label(t, d.kind),
                region: d.region.clone().unwrap_or_default(),
                year: d.year.map_or(String::new(), |y| y.to_string()),
            })
            .collect();
        let mut l = layout(t, &s, &uri, t.documents.to_string(), "documents");
        l.selectors = false;
        render(DocumentsPage { l, docs })
    })
    .await
}

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentPage {
    l: Layout,
    source: String,
    kind: &'static str,
    region: String,
    year: String,
    count: usize,
    body: String,
}

/// The document's text as HTML with every extracted item marked: quantities and milestones as
/// links to their ledger item, task rows as anchors. Item anchors are `b{byte}`; task anchors
/// `t{byte}`.
pub fn highlighted(
    text: &str,
    marks: &[(Span, String, &'static str, String)],
    tasks: &[usize],
) -> String {
    // (start, end, class, href, title), non-overlapping, in order.
    let mut spans: Vec<&(Span, String, &'static str, String)> = marks
        .iter()
        .filter(|(s, ..)| {
            s.start < s.end
                && s.end <= text.len()
                && text.is_char_boundary(s.start)
                && text.is_char_boundary(s.end)
        })
        .collect();
    spans.sort_by_key(|(s, ..)| (s.start, std::cmp::Reverse(s.end)));
    let mut task_starts: Vec<usize> = tasks
        .iter()
        .copied()
        .filter(|&s| s <= text.len() && text.is_char_boundary(s))
        .collect();
    task_starts.sort_unstable();
    task_starts.dedup();
    let mut out = String::with_capacity(text.len() * 2);
    out.push_str("<span id=\"p0\"></span>");
    let mut at = 0;
    let mut ti = 0;
    // Plain text, with an anchor at each line start (`p{byte}`) for search hits.
    let plain = |out: &mut String, from: usize, to: usize| {
        let mut last = from;
        for (k, _) in text[from..to].match_indices('\n') {
            let next = from + k + 1;
            out.push_str(&esc(&text[last..next]));
            out.push_str(&format!("<span id=\"p{next}\"></span>"));
            last = next;
        }
        out.push_str(&esc(&text[last..to]));
    };
    let mut flush_tasks = |out: &mut String, upto: usize, at: &mut usize| {
        while ti < task_starts.len() && task_starts[ti] <= upto {
            let s = task_starts[ti].max(*at);
            plain(out, *at, s);
            *at = s;
            out.push_str(&format!(
                "<span class=\"task-mark\" id=\"t{}\"></span>",
                task_starts[ti]
            ));
            ti += 1;
        }
    };
    for (span, href, class, title) in spans {
        if span.start < at {
            continue; // overlaps the previous mark
        }
        flush_tasks(&mut out, span.start, &mut at);
        plain(&mut out, at, span.start);
        out.push_str(&format!(
            "<mark class=\"{class}\" id=\"b{}\" title=\"{}\"><a href=\"{}\">{}</a></mark>",
            span.start,
            esc(title),
            esc(href),
            esc(&text[span.start..span.end])
        ));
        at = span.end;
    }
    flush_tasks(&mut out, text.len(), &mut at);
    plain(&mut out, at, text.len());
    out
}

pub async fn document(
    State(app): State<Arc<App>>,
    Path(id): Path<i64>,
    Query(p): Query<Params>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    respond(&app, &headers, async {
        let t = p.t();
        let s = scope(&app, &p, &headers).await?;
        let (d, text, ledger) = app.data.document(id).await?.ok_or(Failure::NotFound)?;
        let lang = lang_param(t.lang);
        let mut marks = Vec::new();
        for q in &ledger.quantities {
            let class = if q.item.role == QuantityRole::Target {
                "q target"
            } else {
                "q actual"
            };
            marks.push((
                q.item.span,
                href(
                    &format!("/items/quantity/{id}/{}", q.item.span.start),
                    &[("lang", lang)],
                ),
                class,
                q.item.metric.clone(),
            ));
        }
        for m in &ledger.milestones {
            marks.push((
                m.item.span,
                href(
                    &format!("/items/milestone/{id}/{}", m.item.span.start),
                    &[("lang", lang)],
                ),
                "m",
                format!("{} {}", m.item.subject, m.item.event),
            ));
        }
        let task_starts: Vec<usize> = ledger.tasks.iter().map(|t| t.item.span.start).collect();
        let count = marks.len() + task_starts.len();
        let body = highlighted(&text, &marks, &task_starts);
        let mut l = layout(
            t,
            &s,
            &uri,
            d.title.clone().unwrap_or_else(|| file_name(&d.source)),
            "documents",
        );
        l.selectors = false;
        render(DocumentPage {
            l,
            source: file_name(&d.source),
            kind: kind_label(t, d.kind),
            region: d.region.clone().unwrap_or_default(),
            year: d.year.map_or(String::new(), |y| y.to_string()),
            count,
            body,
        })
    })
    .await
}

/// An item's facts, its sentence, and the year and region of its verdicts.
type ItemFacts = (
    Vec<(&'static str, String)>,
    String,
    Option<i32>,
    Option<String>,
);

#[derive(Template)]
#[template(path = "item.html")]
struct ItemPage {
    l: Layout,
    back: String,
    document: String,
    fields: Vec<(&'static str, String)>,
    sentence: String,
    verdicts: Vec<VerdictRow>,
}

pub async fn item(
    State(app): State<Arc<App>>,
    Path((kind, doc, start)): Path<(String, i64, usize)>,
    Query(p): Query<Params>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    respond(&app, &headers, async {
        let t = p.t();
        let mut s = scope(&app, &p, &headers).await?;
        let ledger = app
            .data
            .store
            .ledger(&plantrack_store::LedgerFilter {
                document: Some(doc),
                ..Default::default()
            })
            .await?;
        let d = ledger
            .documents
            .iter()
            .find(|d| d.id == Some(doc))
            .ok_or(Failure::NotFound)?;
        let (fields, sentence, year, region): ItemFacts = match kind.as_str() {
            "quantity" => {
                let q = &ledger
                    .quantities
                    .iter()
                    .find(|q| q.item.span.start == start)
                    .ok_or(Failure::NotFound)?
                    .item;
                let role = if q.role == QuantityRole::Target {
                    t.target
                } else {
                    t.result
                };
                (
                    vec![
                        (t.kind, role.to_string()),
                        (t.metric, q.metric.clone()),
                        (
                            t.value,
                            format!(
                                "{}{}",
                                crate::util::num(q.value),
                                q.unit.clone().unwrap_or_default()
                            ),
                        ),
                        (t.year, q.year.map_or(String::new(), |y| y.to_string())),
                        (
                            t.region,
                            q.region.clone().or(d.region.clone()).unwrap_or_default(),
                        ),
                    ],
                    q.text.clone(),
                    q.year,
                    q.region.clone().or(d.region.clone()),
                )
            }
            "milestone" => {
                let m = &ledger
                    .milestones
                    .iter()
                    .find(|m| m.item.span.start == start)
                    .ok_or(Failure::NotFound)?
                    .item;
                let role = if m.role == QuantityRole::Target {
                    t.target
                } else {
                    t.result
                };
                (
                    vec![
                        (t.kind, role.to_string()),
                        (t.metric, m.subject.clone()),
                        (t.value, m.event.clone()),
                        (t.year, m.year.map_or(String::new(), |y| y.to_string())),
                        (
                            t.region,
                            m.region.clone().or(d.region.clone()).unwrap_or_default(),
                        ),
                    ],
                    m.text.clone(),
                    m.year,
                    m.region.clone().or(d.region.clone()),
                )
            }
            _ => return Err(Failure::NotFound),
        };
        // The verdicts this item takes part in, as target or as result.
        let mut verdicts = Vec::new();
        if let (Some(year), Some(region)) = (year, region) {
            s.year = year;
            s.region = region;
            let view = app.data.year(year, &s.region, s.today).await?;
            let is_it = |e: &plantrack_evaluate::Evidence| {
                e.kind == kind && e.document.id == Some(doc) && e.start() == start
            };
            verdicts = view
                .verdicts
                .iter()
                .filter(|v| is_it(&v.target) || v.actual.as_ref().is_some_and(is_it))
                .map(|v| verdict_row(v, t))
                .collect();
        }
        let mut l = layout(
            t,
            &s,
            &uri,
            format!("{} · {}", fields[1].1, fields[2].1),
            "targets",
        );
        l.selectors = false;
        render(ItemPage {
            l,
            back: doc_href(d, start, t.lang),
            document: d.title.clone().unwrap_or_else(|| file_name(&d.source)),
            fields,
            sentence,
            verdicts,
        })
    })
    .await
}

// ---------------------------------------------------------------- search

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    l: Layout,
    q: String,
    items: Vec<(String, String, String)>,
    hits: Vec<(String, String, String, String)>,
}

pub async fn search(
    State(app): State<Arc<App>>,
    Query(p): Query<Params>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    respond(&app, &headers, async {
        let t = p.t();
        let s = scope(&app, &p, &headers).await?;
        let q = p.q.clone().unwrap_or_default().trim().to_string();
        let mut hits = Vec::new();
        let mut items = Vec::new();
        if !q.is_empty() {
            let lang = lang_param(t.lang);
            for h in app.data.store.search(&q, 50).await? {
                let id = s.meta.doc_id(&h.source);
                hits.push((
                    format!(
                        "{}#p{}",
                        href(&format!("/documents/{id}"), &[("lang", lang)]),
                        h.start
                    ),
                    file_name(&h.source),
                    h.section.clone().unwrap_or_default(),
                    h.snippet.clone(),
                ));
            }
            // Items of the selected year and region whose metric or subject holds the words.
            let view = app.data.year(s.year, &s.region, s.today).await?;
            for v in &view.verdicts {
                let (m, f) = v.target.figure();
                if m.contains(&q) {
                    items.push((
                        format!("{m} {f}"),
                        item_href(&v.target, t.lang),
                        status(t, v.status.as_str()).to_string(),
                    ));
                }
            }
        }
        let mut l = layout(t, &s, &uri, t.search.to_string(), "search");
        l.selectors = false;
        render(SearchPage { l, q, items, hits })
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
    State(app): State<Arc<App>>,
    Query(p): Query<Params>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    respond(&app, &headers, async {
        let t = p.t();
        let s = scope(&app, &p, &headers).await?;
        let view = app.data.year(s.year, &s.region, s.today).await?;
        let count =
            |l: plantrack_evaluate::Light| view.tasks.iter().filter(|e| e.light() == l).count();
        let digest =
            plantrack_evaluate::reminders(&view.tasks, s.today, 30, app.data.supervision.zone);
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

// ---------------------------------------------------------------- year-end report of a unit

#[derive(Template)]
#[template(path = "unit_report.html")]
struct UnitReportPage {
    l: Layout,
    today: String,
    card: CardRow,
    led: Vec<ReportLine>,
    cooperating: Vec<ReportLine>,
}

struct ReportLine {
    seq: u32,
    text: String,
    href: String,
    due: String,
    status: &'static str,
    status_label: &'static str,
    progress: String,
    reason: String,
}

/// A unit's year: its score and rank, every task it led with its status, latest published
/// report and the evidence, and the tasks it cooperated on. Printable.
pub async fn unit_report(
    State(app): State<Arc<App>>,
    Path(name): Path<String>,
    Query(p): Query<Params>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    respond(&app, &headers, async {
        let t = p.t();
        let s = scope(&app, &p, &headers).await?;
        let view = app.data.year(s.year, &s.region, s.today).await?;
        let all = cards(
            &view,
            By::Unit,
            &app.data.rules,
            rankings_shown(&app, &s, By::Unit),
        );
        let mine = all
            .iter()
            .find(|c| c.card.name == name)
            .ok_or(Failure::NotFound)?;
        let card = card_row(mine, &all, By::Unit, &s, t);
        let units_of = task_units(&view, &app.data.rules);
        let line = |e: &plantrack_evaluate::TaskEvaluation| {
            let row = task_row(
                e,
                &view.ledger.documents[view.ledger.tasks[e.index].document],
                t,
            );
            ReportLine {
                seq: row.seq,
                text: e.task.text.clone(),
                href: row.href,
                due: row.due,
                status: row.status,
                status_label: row.status_label,
                progress: e.report.as_ref().map_or(String::new(), |r| {
                    format!(
                        "{}{}",
                        r.narrative,
                        r.percent
                            .map_or(String::new(), |p| format!("（{}%）", crate::util::num(p)))
                    )
                }),
                reason: crate::views::reason(t, &e.reason, &e.reason_zh),
            }
        };
        let led = view
            .tasks
            .iter()
            .filter(|e| units_of(e).contains(&(name.clone(), true)))
            .map(line)
            .collect();
        let cooperating = view
            .tasks
            .iter()
            .filter(|e| units_of(e).contains(&(name.clone(), false)))
            .map(line)
            .collect();
        let title = if t.lang == "zh" {
            format!("{name} {}年度重点工作完成情况", s.year)
        } else {
            format!("{name}: key tasks of {}", s.year)
        };
        let mut l = layout(t, &s, &uri, title, "units");
        l.selectors = false;
        render(UnitReportPage {
            l,
            today: s.today.to_string(),
            card,
            led,
            cooperating,
        })
    })
    .await
}
