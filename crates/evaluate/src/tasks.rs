//! Task status from deadlines and linked targets, and scorecards of units, leaders and regions.
//!
//! A task's linked targets are the targets read from its row of the responsibility table. The
//! status, as of a date: `completed` when every linked target was achieved; past the final
//! deadline without that, `overdue` (with the missed or unproven targets as evidence); within
//! [`AT_RISK_DAYS`] of a deadline, or past a sub-milestone's date without evidence, `at_risk`;
//! before the plan year begins, `not_started`; otherwise `on_track`.

use std::collections::BTreeMap;

use plantrack_model::{Ledger, Task};
use serde::Serialize;

use crate::date::Date;
use crate::deadline::{self, Due};
use crate::reconcile::{Tally, TargetStatus, Verdict};

/// Days before a deadline at which an unfinished task turns yellow.
pub const AT_RISK_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    NotStarted,
    OnTrack,
    AtRisk,
    Overdue,
    Completed,
}

impl TaskStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "not_started",
            TaskStatus::OnTrack => "on_track",
            TaskStatus::AtRisk => "at_risk",
            TaskStatus::Overdue => "overdue",
            TaskStatus::Completed => "completed",
        }
    }
}

/// A linked target and its verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkedTarget {
    /// `quantity` or `milestone`.
    pub kind: &'static str,
    pub index: usize,
    pub status: TargetStatus,
    pub what: String,
}

/// A task with its status and the evidence behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskEvaluation {
    /// The task's position in the ledger's list of tasks.
    pub index: usize,
    pub source: String,
    pub seq: u32,
    pub plan_year: Option<i32>,
    pub task: Task,
    pub dues: Vec<Due>,
    pub final_due: Option<Date>,
    pub linked: Vec<LinkedTarget>,
    pub status: TaskStatus,
    pub reason: String,
}

/// The status of every task of the ledger as of `today`, given the verdicts of the targets
/// (of all the tasks' plan years).
pub fn evaluate_tasks(ledger: &Ledger, verdicts: &[Verdict], today: Date) -> Vec<TaskEvaluation> {
    // Where each task's row begins, by document, to find the targets read from the row.
    let mut rows: BTreeMap<usize, Vec<(usize, usize)>> = BTreeMap::new();
    for (i, t) in ledger.tasks.iter().enumerate() {
        rows.entry(t.document)
            .or_default()
            .push((t.item.span.start, i));
    }
    for r in rows.values_mut() {
        r.sort_unstable();
    }
    let row_of = |doc: usize, at: usize| -> Option<usize> {
        let r = rows.get(&doc)?;
        let k = r.partition_point(|&(s, _)| s <= at);
        (k > 0).then(|| r[k - 1].1)
    };
    let mut linked: BTreeMap<usize, Vec<LinkedTarget>> = BTreeMap::new();
    for v in verdicts.iter().filter(|v| !v.vague) {
        let (doc, at) = match &v.target.item {
            crate::reconcile::Item::Quantity(q) => (
                ledger.quantities[v.target.index].document,
                q.sentence.start.max(q.span.start),
            ),
            crate::reconcile::Item::Milestone(m) => {
                (ledger.milestones[v.target.index].document, m.span.start)
            }
        };
        let what = match &v.target.item {
            crate::reconcile::Item::Quantity(q) => format!(
                "{} {}{}",
                q.metric,
                crate::reconcile::trim(q.value),
                q.unit.as_deref().unwrap_or("")
            ),
            crate::reconcile::Item::Milestone(m) => format!("{}{}", m.subject, m.event),
        };
        if let Some(task) = row_of(doc, at) {
            linked.entry(task).or_default().push(LinkedTarget {
                kind: v.target.kind,
                index: v.target.index,
                status: v.status,
                what,
            });
        }
    }
    ledger
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let doc = &ledger.documents[t.document];
            let plan_year = doc.year;
            let dues = match (&t.item.deadline, plan_year) {
                (Some(d), Some(y)) => deadline::parse(d, y),
                _ => Vec::new(),
            };
            let final_due = deadline::final_date(&dues);
            let links = linked.remove(&i).unwrap_or_default();
            let (status, reason) = status_of(&dues, final_due, &links, plan_year, today);
            TaskEvaluation {
                index: i,
                source: doc.source.clone(),
                seq: t.item.seq,
                plan_year,
                task: t.item.clone(),
                dues,
                final_due,
                linked: links,
                status,
                reason,
            }
        })
        .collect()
}

fn status_of(
    dues: &[Due],
    final_due: Option<Date>,
    links: &[LinkedTarget],
    plan_year: Option<i32>,
    today: Date,
) -> (TaskStatus, String) {
    let tally = {
        let mut t = Tally::default();
        for l in links {
            t.add(l.status);
        }
        t
    };
    if !links.is_empty() && tally.achieved == links.len() {
        return (
            TaskStatus::Completed,
            format!("all {} linked targets achieved", links.len()),
        );
    }
    let evidence = if links.is_empty() {
        "no linked target and no report".to_string()
    } else {
        format!(
            "linked targets: {} achieved, {} not achieved, {} without data",
            tally.achieved, tally.not_achieved, tally.no_data
        )
    };
    if let Some(due) = final_due
        && today > due
    {
        return (
            TaskStatus::Overdue,
            format!("deadline {due} passed; {evidence}"),
        );
    }
    if let Some(due) = final_due
        && today.days_until(due) <= AT_RISK_DAYS
    {
        return (
            TaskStatus::AtRisk,
            format!("deadline {due} is near; {evidence}"),
        );
    }
    if let Some(missed) = dues.iter().find(|d| d.date < today && !d.progress_only) {
        return (
            TaskStatus::AtRisk,
            format!(
                "milestone {} passed ({}); {evidence}",
                missed.date, missed.text
            ),
        );
    }
    if tally.not_achieved > 0 {
        return (TaskStatus::AtRisk, evidence);
    }
    if plan_year.is_some_and(|y| today.year < y) {
        return (
            TaskStatus::NotStarted,
            format!(
                "the plan year {} has not begun",
                plan_year.unwrap_or_default()
            ),
        );
    }
    (
        TaskStatus::OnTrack,
        format!("before the deadline; {evidence}"),
    )
}

/// A unit's, a leader's or a region's record.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Scorecard {
    pub name: String,
    /// Tasks led (or shared, for joint responsibility) / cooperated on / supervised.
    pub led: usize,
    pub cooperating: usize,
    /// By status, of the tasks led (units), supervised (leaders) or of the region.
    pub tasks: BTreeMap<&'static str, usize>,
    /// Verdicts of the targets linked to those tasks (units, leaders) or set for the region.
    pub targets: Tally,
    /// Completed tasks as a share of the tasks counted, 0–100.
    pub completion: f64,
    /// Achieved targets as a share of the targets with data, 0–100; `None` without data.
    pub achievement: Option<f64>,
}

fn finish(mut s: Scorecard) -> Scorecard {
    let n: usize = s.tasks.values().sum();
    let done = s.tasks.get("completed").copied().unwrap_or(0);
    s.completion = if n > 0 {
        round1(100.0 * done as f64 / n as f64)
    } else {
        0.0
    };
    let judged = s.targets.achieved + s.targets.not_achieved;
    s.achievement = (judged > 0).then(|| round1(100.0 * s.targets.achieved as f64 / judged as f64));
    s
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn count(s: &mut Scorecard, t: &TaskEvaluation) {
    *s.tasks.entry(t.status.as_str()).or_default() += 1;
    for l in &t.linked {
        s.targets.add(l.status);
    }
}

/// One scorecard per unit: the tasks it leads or shares, and those it cooperates on (counted
/// apart, not in its statuses).
pub fn unit_scorecards(tasks: &[TaskEvaluation]) -> Vec<Scorecard> {
    let mut by: BTreeMap<String, Scorecard> = BTreeMap::new();
    for t in tasks {
        for (k, u) in t.task.units.iter().enumerate() {
            let s = by.entry(u.clone()).or_insert_with(|| Scorecard {
                name: u.clone(),
                ..Default::default()
            });
            if t.task.joint || k == 0 {
                s.led += 1;
                count(s, t);
            } else {
                s.cooperating += 1;
            }
        }
    }
    sorted(by)
}

/// One scorecard per supervising leader: the tasks they supervise.
pub fn leader_scorecards(tasks: &[TaskEvaluation]) -> Vec<Scorecard> {
    let mut by: BTreeMap<String, Scorecard> = BTreeMap::new();
    for t in tasks {
        for l in &t.task.leaders {
            let s = by.entry(l.clone()).or_insert_with(|| Scorecard {
                name: l.clone(),
                ..Default::default()
            });
            s.led += 1;
            count(s, t);
        }
    }
    sorted(by)
}

/// One scorecard per region: the verdicts of the targets set for it, and the tasks of the
/// documents it issued.
pub fn region_scorecards(
    ledger: &Ledger,
    verdicts: &[Verdict],
    tasks: &[TaskEvaluation],
) -> Vec<Scorecard> {
    let mut by: BTreeMap<String, Scorecard> = BTreeMap::new();
    for v in verdicts {
        let Some(r) = &v.region else { continue };
        let s = by.entry(r.clone()).or_insert_with(|| Scorecard {
            name: r.clone(),
            ..Default::default()
        });
        s.targets.add(v.status);
    }
    for t in tasks {
        let Some(r) = &ledger.documents[ledger.tasks[t.index].document].region else {
            continue;
        };
        let s = by.entry(r.clone()).or_insert_with(|| Scorecard {
            name: r.clone(),
            ..Default::default()
        });
        s.led += 1;
        *s.tasks.entry(t.status.as_str()).or_default() += 1;
    }
    sorted(by)
}

/// Best first: completion, then achievement, then name.
fn sorted(by: BTreeMap<String, Scorecard>) -> Vec<Scorecard> {
    let mut v: Vec<Scorecard> = by.into_values().map(finish).collect();
    v.sort_by(|a, b| {
        b.completion
            .total_cmp(&a.completion)
            .then(
                b.achievement
                    .unwrap_or(-1.0)
                    .total_cmp(&a.achievement.unwrap_or(-1.0)),
            )
            .then_with(|| a.name.cmp(&b.name))
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn link(status: TargetStatus) -> LinkedTarget {
        LinkedTarget {
            kind: "quantity",
            index: 0,
            status,
            what: String::new(),
        }
    }

    #[test]
    fn statuses_follow_deadlines_and_evidence() {
        let dues = deadline::parse("年底前完成", 2023);
        let due = deadline::final_date(&dues);
        let st = |links: &[LinkedTarget], today| status_of(&dues, due, links, Some(2023), today).0;
        assert_eq!(
            st(&[link(TargetStatus::Achieved)], d("2023-03-01")),
            TaskStatus::Completed
        );
        assert_eq!(st(&[], d("2024-01-01")), TaskStatus::Overdue);
        assert_eq!(
            st(
                &[link(TargetStatus::Achieved), link(TargetStatus::NoData)],
                d("2024-01-01")
            ),
            TaskStatus::Overdue
        );
        assert_eq!(st(&[], d("2023-12-10")), TaskStatus::AtRisk);
        assert_eq!(st(&[], d("2023-05-10")), TaskStatus::OnTrack);
        assert_eq!(
            st(&[link(TargetStatus::NotAchieved)], d("2023-05-10")),
            TaskStatus::AtRisk
        );
        assert_eq!(st(&[], d("2022-11-10")), TaskStatus::NotStarted);
        // A passed sub-milestone turns the task yellow.
        let dues = deadline::parse("6月底前完成设立；年底前完成", 2023);
        let due = deadline::final_date(&dues);
        assert_eq!(
            status_of(&dues, due, &[], Some(2023), d("2023-08-01")).0,
            TaskStatus::AtRisk
        );
    }
}
