//! `/regions/{name}/compare` and `/api/regions/{name}/compare`: the regions under a parent side
//! by side for a year — the targets the parent set for each (专栏6's district growth targets)
//! against its results, its own targets' achievement, its key tasks' completion — sortable
//! (`sort=achievement|completion|shortfalls|name`) and downloadable (CSV, XLSX, JSON).

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use plantrack_evaluate::compare::{Order, RegionComparison, sort};
use serde::Serialize;

use crate::api::{Table, table_or_json};
use crate::i18n::status;
use crate::pages::{Layout, Page, Params, Scope, layout, scope};
use crate::util::{enc, href, num};
use crate::{App, Failure};

/// The comparison's lines of `parent`'s regions for the scope's year and date (each cached), in
/// the asked order.
async fn lines(
    app: &App,
    s: &Scope,
    parent: &str,
    order: Order,
) -> Result<Vec<RegionComparison>, Failure> {
    if !s.meta.regions.iter().any(|r| r.name == parent) {
        return Err(Failure::NotFound);
    }
    let mut out = Vec::new();
    for c in s
        .meta
        .children
        .get(&Some(parent.to_string()))
        .into_iter()
        .flatten()
    {
        out.push(RegionComparison::clone(
            &*app.data.comparison(s.year, c, s.today).await?,
        ));
    }
    sort(&mut out, order);
    Ok(out)
}

fn order_of(p: &Params) -> Result<Order, Failure> {
    match p.by.as_deref() {
        None => Ok(Order::Shortfalls),
        Some(s) => Order::parse(s).ok_or_else(|| {
            Failure::BadRequest(format!(
                "by={s}：排序应为 achievement、completion、shortfalls 或 name"
            ))
        }),
    }
}

fn percent(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{}%", num(v)))
}

/// A target the parent set, as a line: the metric, the target and the result as written.
struct SetTarget {
    what: String,
    target: String,
    actual: String,
    status: &'static str,
    label: &'static str,
    reason: String,
}

struct Line {
    region: String,
    href: String,
    set: Vec<SetTarget>,
    own: String,
    achievement: String,
    tasks: String,
    completion: String,
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage {
    l: Layout,
    parent: String,
    parent_href: String,
    up: Option<(String, String)>,
    sorts: Vec<(&'static str, String, bool)>,
    csv: String,
    xlsx: String,
    json: String,
    lines: Vec<Line>,
}

fn set_targets(r: &RegionComparison, t: &'static crate::i18n::Words) -> Vec<SetTarget> {
    r.set_by_parent
        .iter()
        .map(|v| SetTarget {
            what: v.metric.clone(),
            target: v.target.clone(),
            actual: v.actual.clone().unwrap_or_else(|| "—".into()),
            status: v.status.as_str(),
            label: status(t, v.status.as_str()),
            reason: if t.lang == "zh" {
                v.reason_zh.clone()
            } else {
                v.reason.clone()
            },
        })
        .collect()
}

pub async fn page(
    Path(parent): Path<String>,
    Page {
        app,
        p,
        uri,
        headers,
    }: Page,
) -> Response {
    crate::respond(&app, &headers, async {
        let t = p.t();
        let order = order_of(&p)?;
        let s = scope(&app, &p, &headers).await?;
        let rows = lines(&app, &s, &parent, order).await?;
        let y = s.year.to_string();
        let lang = if t.lang == "zh" { "" } else { "en" };
        let at = |path: &str, extra: &[(&str, &str)]| {
            let mut q = vec![("year", y.as_str()), ("lang", lang)];
            q.extend_from_slice(extra);
            href(path, &q)
        };
        let base = format!("/regions/{}/compare", enc(&parent));
        let api = format!("/api/regions/{}/compare", enc(&parent));
        let zh = t.lang == "zh";
        let sorts = [
            (
                Order::Shortfalls,
                "上级目标未完成多的在前",
                "most shortfalls first",
            ),
            (Order::Achievement, "目标完成率", "achievement"),
            (Order::Completion, "任务完成率", "task completion"),
            (Order::Name, "地区名称", "name"),
        ]
        .into_iter()
        .map(|(o, z, e)| {
            (
                if zh { z } else { e },
                at(&base, &[("by", o.as_str())]),
                o == order,
            )
        })
        .collect();
        let lines = rows
            .iter()
            .map(|r| Line {
                region: r.region.clone(),
                href: at(&format!("/regions/{}", enc(&r.region)), &[]),
                set: set_targets(r, t),
                own: if r.own_targets.achieved + r.own_targets.not_achieved + r.own_targets.no_data
                    == 0
                {
                    "—".into()
                } else if zh {
                    format!(
                        "完成{}　未完成{}　无数据{}",
                        r.own_targets.achieved, r.own_targets.not_achieved, r.own_targets.no_data
                    )
                } else {
                    format!(
                        "{} achieved, {} not, {} no data",
                        r.own_targets.achieved, r.own_targets.not_achieved, r.own_targets.no_data
                    )
                },
                achievement: percent(r.achievement),
                tasks: if r.tasks == 0 {
                    "—".into()
                } else if zh {
                    format!("{}项，完成{}项", r.tasks, r.completed)
                } else {
                    format!("{} tasks, {} completed", r.tasks, r.completed)
                },
                completion: percent(r.completion),
            })
            .collect();
        let up = s
            .meta
            .parents
            .get(&parent)
            .map(|g| (g.clone(), at(&format!("/regions/{}/compare", enc(g)), &[])));
        let title = if zh {
            format!("{parent}下级地区对比 · {}", s.year)
        } else {
            format!("Regions under {parent} · {}", s.year)
        };
        let l = layout(t, &s, &uri, title, "regions");
        ComparePage {
            l,
            parent_href: at(&format!("/regions/{}", enc(&parent)), &[]),
            parent,
            up,
            sorts,
            csv: at(&api, &[("by", order.as_str()), ("format", "csv")]),
            xlsx: at(&api, &[("by", order.as_str()), ("format", "xlsx")]),
            json: at(&api, &[("by", order.as_str())]),
            lines,
        }
        .render()
        .map_err(|e| Failure::Internal(format!("template: {e}")))
    })
    .await
}

/// A line of the comparison as JSON.
#[derive(Serialize)]
pub struct ComparisonJson {
    region: String,
    /// The targets the parent set for the region, with their results and verdicts.
    set_by_parent: Vec<SetTargetJson>,
    /// The region's own targets by verdict.
    own_targets: plantrack_evaluate::Tally,
    /// Achieved as a share of the targets with data (own and set by the parent), 0–100.
    achievement: Option<f64>,
    tasks: usize,
    completed: usize,
    completion: Option<f64>,
}

#[derive(Serialize)]
pub struct SetTargetJson {
    metric: String,
    target: String,
    actual: Option<String>,
    status: String,
    reason: String,
    reason_zh: String,
}

pub async fn api(
    Path(parent): Path<String>,
    Page {
        app,
        p,
        uri: _,
        headers,
    }: Page,
) -> Response {
    crate::respond_with(&app, &headers, async {
        let order = order_of(&p)?;
        let s = scope(&app, &p, &headers).await?;
        let rows = lines(&app, &s, &parent, order).await?;
        let json: Vec<ComparisonJson> = rows
            .iter()
            .map(|r| ComparisonJson {
                region: r.region.clone(),
                set_by_parent: r
                    .set_by_parent
                    .iter()
                    .map(|v| SetTargetJson {
                        metric: v.metric.clone(),
                        target: v.target.clone(),
                        actual: v.actual.clone(),
                        status: v.status.as_str().into(),
                        reason: v.reason.clone(),
                        reason_zh: v.reason_zh.clone(),
                    })
                    .collect(),
                own_targets: r.own_targets,
                achievement: r.achievement,
                tasks: r.tasks,
                completed: r.completed,
                completion: r.completion,
            })
            .collect();
        let t = p.t();
        table_or_json(p.format.as_deref(), &json, &s.meta, t, || Table {
            name: "regions-compare",
            header: vec![
                "region",
                "targets set by the parent",
                "own targets (achieved/not/no data)",
                "achievement",
                "tasks",
                "completed",
                "completion",
            ],
            rows: rows
                .iter()
                .map(|r| {
                    vec![
                        r.region.clone(),
                        set_targets(r, t)
                            .iter()
                            .map(|x| {
                                format!("{} {} → {}（{}）", x.what, x.target, x.actual, x.label)
                            })
                            .collect::<Vec<_>>()
                            .join("；"),
                        format!(
                            "{}/{}/{}",
                            r.own_targets.achieved,
                            r.own_targets.not_achieved,
                            r.own_targets.no_data
                        ),
                        percent(r.achievement),
                        r.tasks.to_string(),
                        r.completed.to_string(),
                        percent(r.completion),
                    ]
                })
                .collect(),
        })
    })
    .await
}
