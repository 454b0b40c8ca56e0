//! Scorecards of units, leaders and regions, a scorecard's page, a unit's year-end report.

use std::borrow::Cow;
use std::sync::Arc;

use askama::Template;
use axum::extract::Path;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use plantrack_evaluate::ranking::{self, Ranked};

use crate::data::{Scorecards, YearView};
use crate::i18n::{Words, status};
use crate::util::href;
use crate::views::{TaskRow, item_href, lang_param, task_row};
use crate::{App, Failure, respond};

use super::*;

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

/// The scorecards ranked by the evaluation's rules (who is ranked, among whom), as kept with
/// the view: borrowed as they are when ranks may be shown. When they may not, ranks, scores and
/// their basis are dropped and the cards come in name order within each part, so that the order
/// tells nothing either.
pub fn cards(scorecards: &Scorecards, by: By, shown: bool) -> Cow<'_, [Ranked]> {
    let kept = match by {
        By::Unit => &scorecards.units,
        By::Leader => &scorecards.leaders,
        By::Region => &scorecards.regions,
    };
    if shown {
        return Cow::Borrowed(kept);
    }
    let mut cards = kept.clone();
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
    Cow::Owned(cards)
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
        let view = app.data.scorecards(s.year, &s.region, s.today).await?;
        let (who, active, title) = match by {
            By::Unit => (t.unit, "units", t.units),
            By::Leader => (t.leader, "leaders", t.leaders),
            By::Region => (t.region, "regions", t.regions),
        };
        let shown = rankings_shown(&app, &s, by);
        let rules = &app.data.rules;
        let all = cards(&view, by, shown);
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
    Page {
        app,
        p,
        uri,
        headers,
    }: Page,
) -> Response {
    scorecards(app, p, uri, headers, By::Unit).await
}

pub async fn leaders(
    Page {
        app,
        p,
        uri,
        headers,
    }: Page,
) -> Response {
    scorecards(app, p, uri, headers, By::Leader).await
}

pub async fn regions(
    Page {
        app,
        p,
        uri,
        headers,
    }: Page,
) -> Response {
    scorecards(app, p, uri, headers, By::Region).await
}

#[derive(Template)]
#[template(path = "scorecard.html")]
struct ScorecardPage {
    l: Layout,
    /// A unit's year-end report (units only).
    report_href: String,
    /// A region's place in the hierarchy (regions only).
    hierarchy: Option<Hierarchy>,
    card: Option<CardRow>,
    tasks: Vec<TaskRow>,
    verdicts: Vec<(&'static str, &'static str, String, String)>,
}

/// A region's parent and children, each linked to its page, and the comparison of its
/// children.
struct Hierarchy {
    up: Option<(String, String)>,
    down: Vec<(String, String)>,
    compare: String,
}

fn hierarchy(s: &Scope, name: &str, t: &'static Words) -> Hierarchy {
    let y = s.year.to_string();
    let link = |path: String| href(&path, &[("year", &y), ("lang", lang_param(t.lang))]);
    let page = |r: &str| {
        (
            r.to_string(),
            link(format!("/regions/{}", crate::util::enc(r))),
        )
    };
    let down: Vec<(String, String)> = s
        .meta
        .children
        .get(&Some(name.to_string()))
        .map(|c| c.iter().map(|r| page(r)).collect())
        .unwrap_or_default();
    Hierarchy {
        up: s.meta.parents.get(name).map(|p| page(p)),
        compare: if down.is_empty() {
            String::new()
        } else {
            link(format!("/regions/{}/compare", crate::util::enc(name)))
        },
        down,
    }
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
        let scorecards = app.data.scorecards(s.year, &s.region, s.today).await?;
        let all = cards(&scorecards, by, rankings_shown(&app, &s, by));
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
            hierarchy: (by == By::Region).then(|| hierarchy(&s, &name, t)),
            l: layout(t, &s, &uri, format!("{name} · {}", s.year), active),
            card,
            tasks,
            verdicts,
        })
    })
    .await
}

pub async fn unit(
    Path(name): Path<String>,
    Page {
        app,
        p,
        uri,
        headers,
    }: Page,
) -> Response {
    scorecard(app, name, p, uri, headers, By::Unit).await
}

pub async fn leader(
    Path(name): Path<String>,
    Page {
        app,
        p,
        uri,
        headers,
    }: Page,
) -> Response {
    scorecard(app, name, p, uri, headers, By::Leader).await
}

pub async fn region(
    Path(name): Path<String>,
    Page {
        app,
        p,
        uri,
        headers,
    }: Page,
) -> Response {
    scorecard(app, name, p, uri, headers, By::Region).await
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
    Path(name): Path<String>,
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
        let scorecards = app.data.scorecards(s.year, &s.region, s.today).await?;
        let all = cards(&scorecards, By::Unit, rankings_shown(&app, &s, By::Unit));
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
