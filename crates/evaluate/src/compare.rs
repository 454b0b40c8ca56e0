//! Regions side by side: for each region under a parent, the targets the parent set for it
//! (a city's growth targets for its districts) against its results, its own targets' verdicts,
//! and its key tasks' completion. What a province's office reads across its cities, a city's
//! across its districts.

use serde::{Deserialize, Serialize};

use plantrack_model::Ledger;

use crate::reconcile::{Tally, TargetStatus, Verdict};
use crate::tasks::{TaskEvaluation, TaskStatus};

/// One region's line of a comparison: what is shown of it, owned, so that it is kept with the
/// region's evaluation and read without it (a province's first look across its cities reads ten
/// lines, not ten years' evaluations).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionComparison {
    pub region: String,
    /// The targets the parent set for this region, each with its result and verdict.
    pub set_by_parent: Vec<SetTarget>,
    /// Of those, how many were achieved, not achieved, without data.
    pub parent_targets: Tally,
    /// The region's own targets of the year (vague ones left out).
    pub own_targets: Tally,
    /// Achieved as a share of own and parent-set targets with data, 0–100.
    pub achievement: Option<f64>,
    /// The key tasks of the region's own documents planning the year.
    pub tasks: usize,
    pub completed: usize,
    /// Completed tasks as a share of the tasks, 0–100; `None` without tasks.
    pub completion: Option<f64>,
}

/// A target the parent set for a region, with its result and verdict, as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetTarget {
    /// What is measured.
    pub metric: String,
    /// The target as written (`增长6%左右`).
    pub target: String,
    /// The result as written, when one was found.
    pub actual: Option<String>,
    pub status: TargetStatus,
    pub reason: String,
    pub reason_zh: String,
}

impl SetTarget {
    fn of(v: &Verdict) -> SetTarget {
        let (metric, target) = v.target.figure();
        SetTarget {
            metric,
            target,
            actual: v.actual.as_ref().map(|a| a.figure().1),
            status: v.status,
            reason: v.reason.clone(),
            reason_zh: v.reason_zh.clone(),
        }
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The comparison line of `region`, from its evaluation of the year: the verdicts of its scope
/// (its own targets and those set for it, `Verdict::cascade`) and its task evaluations.
pub fn compare_region(
    ledger: &Ledger,
    region: &str,
    verdicts: &[Verdict],
    tasks: &[TaskEvaluation],
) -> RegionComparison {
    let mine = |v: &&Verdict| v.region.as_deref() == Some(region) && !v.vague;
    let set_by_parent: Vec<&Verdict> = verdicts.iter().filter(mine).filter(|v| v.cascade).collect();
    let own: Vec<&Verdict> = verdicts
        .iter()
        .filter(mine)
        .filter(|v| !v.cascade)
        .collect();
    let mut parent_targets = Tally::default();
    for v in &set_by_parent {
        parent_targets.add(v.status);
    }
    let mut own_targets = Tally::default();
    for v in &own {
        own_targets.add(v.status);
    }
    let judged = |s: TargetStatus| {
        set_by_parent.iter().filter(|v| v.status == s).count()
            + own.iter().filter(|v| v.status == s).count()
    };
    let (yes, no) = (
        judged(TargetStatus::Achieved),
        judged(TargetStatus::NotAchieved),
    );
    let region_tasks: Vec<&TaskEvaluation> = tasks
        .iter()
        .filter(|t| {
            ledger
                .tasks
                .get(t.index)
                .and_then(|x| ledger.documents[x.document].region.as_deref())
                == Some(region)
        })
        .collect();
    let completed = region_tasks
        .iter()
        .filter(|t| t.status == TaskStatus::Completed)
        .count();
    RegionComparison {
        region: region.to_string(),
        parent_targets,
        own_targets,
        achievement: (yes + no > 0).then(|| round1(100.0 * yes as f64 / (yes + no) as f64)),
        tasks: region_tasks.len(),
        completed,
        completion: (!region_tasks.is_empty())
            .then(|| round1(100.0 * completed as f64 / region_tasks.len() as f64)),
        set_by_parent: set_by_parent.into_iter().map(SetTarget::of).collect(),
    }
}

/// How a comparison is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Best achievement first (no data last), then completion, then name.
    Achievement,
    /// Best completion first, then achievement, then name.
    Completion,
    /// Most parent-set targets not achieved first, then most parent-set targets, then name.
    Shortfalls,
    Name,
}

impl Order {
    pub fn parse(s: &str) -> Option<Order> {
        Some(match s {
            "achievement" => Order::Achievement,
            "completion" => Order::Completion,
            "shortfalls" => Order::Shortfalls,
            "name" => Order::Name,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Order::Achievement => "achievement",
            Order::Completion => "completion",
            Order::Shortfalls => "shortfalls",
            Order::Name => "name",
        }
    }
}

/// Sorts the lines of a comparison.
pub fn sort(rows: &mut [RegionComparison], order: Order) {
    let key = |v: Option<f64>| v.unwrap_or(-1.0);
    rows.sort_by(|a, b| {
        let by = match order {
            Order::Achievement => key(b.achievement)
                .total_cmp(&key(a.achievement))
                .then(key(b.completion).total_cmp(&key(a.completion))),
            Order::Completion => key(b.completion)
                .total_cmp(&key(a.completion))
                .then(key(b.achievement).total_cmp(&key(a.achievement))),
            Order::Shortfalls => b
                .parent_targets
                .not_achieved
                .cmp(&a.parent_targets.not_achieved)
                .then(b.set_by_parent.len().cmp(&a.set_by_parent.len())),
            Order::Name => std::cmp::Ordering::Equal,
        };
        by.then_with(|| a.region.cmp(&b.region))
    });
}
