//! Task status from deadlines, progress reports and linked targets, and scorecards of units,
//! leaders and regions.
//!
//! A task's linked targets are the targets read from its row of the responsibility table. The
//! status, as of a date, tells silence from failure:
//! - `completed` (办结): an accepted report says so, or every linked target was achieved;
//! - `overdue` (逾期未完成): past the final deadline, reported on but not completed;
//! - `unreported` (逾期未反馈 / 未按期反馈): past the final deadline with no progress report at
//!   all, or a reporting round's date passed with no report since the round before (see
//!   [`crate::rounds`]);
//! - `at_risk`: within [`AT_RISK_DAYS`] of a deadline, reported at risk or delayed, past a
//!   sub-milestone's date without evidence, or a linked target not achieved;
//! - `not_started` before the plan year begins; otherwise `on_track`.
//!
//! An acknowledgement (签收) is no progress report: a task acknowledged and then left silent is
//! `unreported`. `not_acknowledged` says the task's units have sent nothing at all.

use std::collections::BTreeMap;

use plantrack_model::{Ledger, Moment, ProgressReport, ReportStatus, Task, Urge};
use serde::{Deserialize, Serialize};

use crate::Why;
use crate::date::{Date, Zone};
use crate::deadline::{self, Due};
use crate::reconcile::{Tally, TargetStatus, Verdict};
use crate::rounds::Supervision;

/// Days before a deadline at which an unfinished task turns yellow.
pub const AT_RISK_DAYS: i64 = 30;

/// How many days ahead the reminder digest names what falls due, unless its caller says
/// otherwise (the warnings page, `plantrack remind`).
pub const REMIND_WITHIN_DAYS: i64 = AT_RISK_DAYS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    NotStarted,
    OnTrack,
    AtRisk,
    Unreported,
    Overdue,
    Completed,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 6] = [
        TaskStatus::NotStarted,
        TaskStatus::OnTrack,
        TaskStatus::AtRisk,
        TaskStatus::Unreported,
        TaskStatus::Overdue,
        TaskStatus::Completed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "not_started",
            TaskStatus::OnTrack => "on_track",
            TaskStatus::AtRisk => "at_risk",
            TaskStatus::Unreported => "unreported",
            TaskStatus::Overdue => "overdue",
            TaskStatus::Completed => "completed",
        }
    }
}

/// A linked target and its verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkedTarget {
    /// `quantity` or `milestone`.
    #[serde(deserialize_with = "crate::stored::item_kind")]
    pub kind: crate::stored::ItemKind,
    pub index: usize,
    pub status: TargetStatus,
    pub what: String,
}

/// A task with its status and the evidence behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskEvaluation {
    /// The task's position in the ledger's list of tasks.
    pub index: usize,
    pub source: String,
    pub seq: u32,
    pub plan_year: Option<i32>,
    pub task: Task,
    pub dues: Vec<Due>,
    /// The final deadline: the table's, or the one an approved extension set.
    pub final_due: Option<Date>,
    /// The deadline an approved extension (延期申请) set, when one did by the evaluation date.
    pub extended_to: Option<Date>,
    pub linked: Vec<LinkedTarget>,
    /// The latest published report (an acknowledgement or progress) made by the evaluation date.
    pub report: Option<ProgressReport>,
    pub status: TaskStatus,
    /// No unit of the task has acknowledged it (签收) or reported on it by the evaluation date.
    pub not_acknowledged: bool,
    /// The day of the latest progress report waiting for its review, if any: the unit has
    /// reported, though the report is not evidence yet.
    pub report_waiting: Option<Date>,
    /// Urges (催办) made by the evaluation date that the urged unit has not answered with a
    /// published progress report since.
    pub urged: Vec<Urge>,
    pub reason: String,
    /// The reason in Chinese.
    pub reason_zh: String,
}

/// The status of every task of the ledger as of `today`, given the verdicts of the targets
/// (of all the tasks' plan years) and the office's clock and reporting rounds.
pub fn evaluate_tasks(
    ledger: &Ledger,
    verdicts: &[Verdict],
    today: Date,
    supervision: &Supervision,
) -> Vec<TaskEvaluation> {
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
    // Each task's latest published report, and latest progress report, made by the evaluation
    // date (reports come oldest first), read in one pass over the reports.
    let zone = supervision.zone;
    let mut latest: BTreeMap<(usize, u32), &ProgressReport> = BTreeMap::new();
    let mut progress: BTreeMap<(usize, u32), &ProgressReport> = BTreeMap::new();
    for r in &ledger.reports {
        if report_day(&r.item, zone).is_some_and(|d| d <= today) {
            let key = (r.document, r.item.task_seq);
            latest.insert(key, &r.item);
            if r.item.is_progress() {
                progress.insert(key, &r.item);
            }
        }
    }
    // Each task's latest report waiting for review, made by the evaluation date.
    let mut waiting: BTreeMap<(usize, u32), Date> = BTreeMap::new();
    for w in &ledger.submitted {
        if let Some(day) = Moment::parse(&w.item.reported_at).map(|m| Date::of(m, zone))
            && day <= today
        {
            waiting.insert((w.document, w.item.task_seq), day);
        }
    }
    // Each task's open urges: made by the evaluation date, not answered by a progress report
    // of the urged unit at or after them.
    let mut urged: BTreeMap<(usize, u32), Vec<Urge>> = BTreeMap::new();
    for g in &ledger.urges {
        let Some(at) = Moment::parse(&g.item.urged_at) else {
            continue;
        };
        if Date::of(at, zone) > today {
            continue;
        }
        // Answered by a report of the urged unit at or after the urge: published, or submitted
        // and waiting for its review (the unit has spoken either way).
        let answers = |document: usize, seq: u32, unit: Option<&str>, reported_at: &str| {
            document == g.document
                && seq == g.item.task_seq
                && unit == Some(g.item.unit.as_str())
                && Moment::parse(reported_at).is_some_and(|m| m >= at && Date::of(m, zone) <= today)
        };
        let answered = ledger.reports.iter().any(|r| {
            r.item.is_progress()
                && answers(
                    r.document,
                    r.item.task_seq,
                    r.item.unit.as_deref(),
                    &r.item.reported_at,
                )
        }) || ledger.submitted.iter().any(|w| {
            answers(
                w.document,
                w.item.task_seq,
                w.item.unit.as_deref(),
                &w.item.reported_at,
            )
        });
        if !answered {
            urged
                .entry((g.document, g.item.task_seq))
                .or_default()
                .push(g.item.clone());
        }
    }
    // Each task's latest extension approved by the evaluation date.
    let mut extended: BTreeMap<(usize, u32), Date> = BTreeMap::new();
    for x in &ledger.extensions {
        let decided = Moment::parse(&x.item.decided_at).map(|m| Date::of(m, zone));
        if let (Some(day), Some(to)) = (decided, Date::parse(&x.item.deadline))
            && day <= today
        {
            extended.insert((x.document, x.item.task_seq), to);
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
            let key = (t.document, t.item.seq);
            let extended_to = extended.get(&key).copied();
            let final_due = extended_to.or_else(|| deadline::final_date(&dues));
            let links = linked.remove(&i).unwrap_or_default();
            let report = latest.get(&key).map(|r| (*r).clone());
            let facts = Facts {
                dues: &dues,
                final_due,
                links: &links,
                report: progress.get(&key).copied(),
                waiting: waiting.get(&key).copied(),
                plan_year,
                today,
                supervision,
            };
            let (status, mut why) = status_of(&facts);
            if let Some(to) = extended_to {
                why.en
                    .push_str(&format!("; deadline extended to {to} (approved)"));
                why.zh.push_str(&format!("；已批准延期至{to}"));
            }
            TaskEvaluation {
                index: i,
                source: doc.source.clone(),
                seq: t.item.seq,
                plan_year,
                task: t.item.clone(),
                dues,
                final_due,
                extended_to,
                linked: links,
                not_acknowledged: report.is_none() && !waiting.contains_key(&key),
                report_waiting: waiting.get(&key).copied(),
                urged: urged.remove(&key).unwrap_or_default(),
                report,
                status,
                reason: why.en,
                reason_zh: why.zh,
            }
        })
        .collect()
}

/// The day, in the office's zone, a report was made (its time is seconds since the epoch).
fn report_day(r: &ProgressReport, zone: Zone) -> Option<Date> {
    Moment::parse(&r.reported_at).map(|m| Date::of(m, zone))
}

/// What a task's status is decided from.
struct Facts<'a> {
    dues: &'a [Due],
    final_due: Option<Date>,
    links: &'a [LinkedTarget],
    /// The latest published progress report (not an acknowledgement) made by `today`.
    report: Option<&'a ProgressReport>,
    /// The day of the latest report waiting for review: the unit reported, the report is a
    /// draft.
    waiting: Option<Date>,
    plan_year: Option<i32>,
    today: Date,
    supervision: &'a Supervision,
}

fn status_of(f: &Facts<'_>) -> (TaskStatus, Why) {
    let Facts {
        dues,
        final_due,
        links,
        report,
        waiting,
        plan_year,
        today,
        supervision,
    } = *f;
    let zone = supervision.zone;
    if let Some(r) = report
        && r.kind() == Some(ReportStatus::Completed)
    {
        let day = report_day(r, zone).map_or(String::new(), |d| d.to_string());
        return (
            TaskStatus::Completed,
            Why::new(
                format!(
                    "reported completed by {} on {day} and accepted",
                    r.unit.as_deref().unwrap_or("the unit")
                ),
                format!(
                    "{}于{day}报告完成，已审核发布",
                    r.unit.as_deref().unwrap_or("责任单位")
                ),
            ),
        );
    }
    let tally = {
        let mut t = Tally::default();
        for l in links {
            t.add(l.status);
        }
        t
    };
    if !links.is_empty() && tally.achieved == links.len() {
        let n = links.len();
        return (
            TaskStatus::Completed,
            Why::new(
                format!("all {n} linked targets achieved"),
                format!("关联的{n}个目标全部实现"),
            ),
        );
    }
    let mut evidence = if links.is_empty() {
        Why::new("no linked target", "无关联目标")
    } else {
        let (a, n, d) = (tally.achieved, tally.not_achieved, tally.no_data);
        Why::new(
            format!("linked targets: {a} achieved, {n} not achieved, {d} without data"),
            format!("关联目标：实现{a}个，未实现{n}个，无数据{d}个"),
        )
    };
    match report {
        None => {
            evidence.en.push_str(" and no report");
            evidence.zh.push_str("，尚无进展报告");
        }
        Some(r) => {
            let day = report_day(r, zone).map_or(String::new(), |d| d.to_string());
            let (percent, percent_zh) = r.percent.map_or((String::new(), String::new()), |p| {
                (format!(", {p}%"), format!("，{p}%"))
            });
            evidence
                .en
                .push_str(&format!("; last report {day} ({}{percent})", r.status));
            evidence.zh.push_str(&format!(
                "；最近报告{day}（{}{percent_zh}）",
                crate::report_status_zh(&r.status).unwrap_or(&r.status)
            ));
        }
    }
    // `prefix; evidence` in both languages.
    let with = |en: String, zh: String| {
        Why::new(
            format!("{en}; {}", evidence.en),
            format!("{zh}；{}", evidence.zh),
        )
    };
    if let Some(due) = final_due
        && today > due
    {
        return match (report, waiting) {
            (None, Some(day)) => (
                TaskStatus::Overdue,
                with(
                    format!(
                        "deadline {due} passed, not completed (a report of {day} awaits review)"
                    ),
                    format!("期限{due}已过，逾期未完成（{day}的进展报告待审核）"),
                ),
            ),
            (Some(_), _) => (
                TaskStatus::Overdue,
                with(
                    format!("deadline {due} passed, not completed"),
                    format!("期限{due}已过，逾期未完成"),
                ),
            ),
            (None, None) => (
                TaskStatus::Unreported,
                with(
                    format!("deadline {due} passed with no progress report"),
                    format!("期限{due}已过，逾期未反馈"),
                ),
            ),
        };
    }
    if let Some(y) = plan_year
        && let Some((round, before)) = supervision.rounds.last_passed(y, today)
    {
        let since = report
            .and_then(|r| report_day(r, zone))
            .into_iter()
            .chain(waiting)
            .any(|d| before.is_none_or(|b| d > b));
        if !since {
            return (
                TaskStatus::Unreported,
                with(
                    format!("the reporting round of {round} passed with no report"),
                    format!("{round}填报期已过，未按期反馈"),
                ),
            );
        }
    }
    if let Some(due) = final_due
        && today.days_until(due) <= AT_RISK_DAYS
    {
        return (
            TaskStatus::AtRisk,
            with(format!("deadline {due} is near"), format!("期限{due}临近")),
        );
    }
    if let Some(r) = report
        && matches!(r.kind(), Some(ReportStatus::AtRisk | ReportStatus::Delayed))
    {
        return (
            TaskStatus::AtRisk,
            with(
                format!("the unit reports it {}", r.status),
                format!(
                    "责任单位报告{}",
                    crate::report_status_zh(&r.status).unwrap_or(&r.status)
                ),
            ),
        );
    }
    if let Some(missed) = dues.iter().find(|d| d.date < today && !d.progress_only) {
        return (
            TaskStatus::AtRisk,
            with(
                format!("milestone {} passed ({})", missed.date, missed.text),
                format!("节点{}已过（{}）", missed.date, missed.text),
            ),
        );
    }
    if tally.not_achieved > 0 {
        return (TaskStatus::AtRisk, evidence.clone());
    }
    if let Some(y) = plan_year.filter(|y| today.year < *y) {
        return (
            TaskStatus::NotStarted,
            Why::new(
                format!("the plan year {y} has not begun"),
                format!("计划年度{y}尚未开始"),
            ),
        );
    }
    (
        TaskStatus::OnTrack,
        with("before the deadline".into(), "期限未到".into()),
    )
}

/// A unit's, a leader's or a region's record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    pub name: String,
    /// Tasks led (or shared, for joint responsibility) / cooperated on / supervised.
    pub led: usize,
    pub cooperating: usize,
    /// By status, of the tasks led (units), supervised (leaders) or of the region.
    #[serde(deserialize_with = "crate::stored::card_counts")]
    pub tasks: BTreeMap<crate::stored::CardWord, usize>,
    /// By status, of the tasks a unit cooperates on.
    #[serde(deserialize_with = "crate::stored::card_counts")]
    pub cooperating_tasks: BTreeMap<crate::stored::CardWord, usize>,
    /// Verdicts of the targets linked to those tasks (units, leaders) or set for the region.
    pub targets: Tally,
    /// Completed tasks as a share of the tasks counted, 0–100.
    pub completion: f64,
    /// Achieved targets as a share of the targets with data, 0–100; `None` without data.
    pub achievement: Option<f64>,
    /// The assessment score, 0–100, once rules were applied ([`crate::Rules::apply`]).
    pub score: Option<f64>,
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

/// The scorecard of a name, made empty when missing.
fn card<'a>(by: &'a mut BTreeMap<String, Scorecard>, name: &str) -> &'a mut Scorecard {
    by.entry(name.to_string()).or_insert_with(|| Scorecard {
        name: name.to_string(),
        ..Default::default()
    })
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
    unit_scorecards_by(tasks, |t| {
        t.task
            .units
            .iter()
            .enumerate()
            .map(|(k, u)| (u.clone(), t.task.joint || k == 0))
            .collect()
    })
}

/// The same, for the units `units_of` says a task counts for, each with whether it leads (or
/// shares) the task ([`crate::ranking`] adds every district for `各区人民政府`).
pub fn unit_scorecards_by(
    tasks: &[TaskEvaluation],
    units_of: impl Fn(&TaskEvaluation) -> Vec<(String, bool)>,
) -> Vec<Scorecard> {
    let mut by: BTreeMap<String, Scorecard> = BTreeMap::new();
    for t in tasks {
        for (u, leads) in units_of(t) {
            let s = card(&mut by, &u);
            if leads {
                s.led += 1;
                count(s, t);
            } else {
                s.cooperating += 1;
                *s.cooperating_tasks.entry(t.status.as_str()).or_default() += 1;
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
            let s = card(&mut by, l);
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
        let s = card(&mut by, r);
        s.targets.add(v.status);
    }
    for t in tasks {
        let Some(r) = &ledger.documents[ledger.tasks[t.index].document].region else {
            continue;
        };
        let s = card(&mut by, r);
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
    use crate::rounds::Rounds;

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

    fn report(status: &str, day: &str) -> ProgressReport {
        ProgressReport {
            task_seq: 1,
            unit: Some("市科技局".into()),
            status: status.into(),
            percent: Some(50.0),
            narrative: String::new(),
            // Noon in Beijing.
            reported_at: (d(day).days() * 86_400 + 4 * 3600).to_string(),
        }
    }

    /// The status of a task due `deadline` in 2023, with these links and this latest progress
    /// report, under `rounds`.
    fn status(
        deadline: &str,
        links: &[LinkedTarget],
        report: Option<&ProgressReport>,
        today: &str,
        rounds: Rounds,
    ) -> (TaskStatus, Why) {
        let dues = deadline::parse(deadline, 2023);
        let supervision = Supervision {
            rounds,
            ..Default::default()
        };
        status_of(&Facts {
            dues: &dues,
            final_due: deadline::final_date(&dues),
            links,
            report,
            waiting: None,
            plan_year: Some(2023),
            today: d(today),
            supervision: &supervision,
        })
    }

    /// No reporting rounds: deadlines and evidence alone.
    fn no_rounds() -> Rounds {
        Rounds::Dates(Vec::new())
    }

    #[test]
    fn statuses_follow_deadlines_and_evidence() {
        let st =
            |links: &[LinkedTarget], today| status("年底前完成", links, None, today, no_rounds()).0;
        assert_eq!(
            st(&[link(TargetStatus::Achieved)], "2023-03-01"),
            TaskStatus::Completed
        );
        assert_eq!(st(&[], "2023-12-10"), TaskStatus::AtRisk);
        assert_eq!(st(&[], "2023-05-10"), TaskStatus::OnTrack);
        assert_eq!(
            st(&[link(TargetStatus::NotAchieved)], "2023-05-10"),
            TaskStatus::AtRisk
        );
        assert_eq!(st(&[], "2022-11-10"), TaskStatus::NotStarted);
        // A passed sub-milestone turns the task yellow.
        let milestone = status(
            "6月底前完成设立；年底前完成",
            &[],
            None,
            "2023-08-01",
            no_rounds(),
        );
        assert_eq!(milestone.0, TaskStatus::AtRisk);
    }

    #[test]
    fn past_the_deadline_silence_is_not_failure() {
        // No report at all: unreported (逾期未反馈), whatever the targets say — never overdue.
        for links in [
            vec![],
            vec![link(TargetStatus::Achieved), link(TargetStatus::NoData)],
            vec![link(TargetStatus::NotAchieved)],
        ] {
            let (s, why) = status("年底前完成", &links, None, "2024-01-01", no_rounds());
            assert_eq!(s, TaskStatus::Unreported, "{links:?}");
            assert!(
                why.zh.starts_with("期限2023-12-31已过，逾期未反馈"),
                "{why:?}"
            );
        }
        // Reported on, not completed: overdue (逾期未完成), with the last report as evidence.
        let on_track = report("on_track", "2023-11-01");
        let (s, why) = status(
            "年底前完成",
            &[],
            Some(&on_track),
            "2024-01-01",
            no_rounds(),
        );
        assert_eq!(s, TaskStatus::Overdue);
        assert!(
            why.zh.starts_with("期限2023-12-31已过，逾期未完成"),
            "{why:?}"
        );
        assert!(
            why.zh.ends_with("最近报告2023-11-01（正常推进，50%）"),
            "{why:?}"
        );
        // Reported completed and accepted: done.
        let done = report("completed", "2023-04-01");
        let (s, why) = status("年底前完成", &[], Some(&done), "2024-02-01", no_rounds());
        assert_eq!(s, TaskStatus::Completed);
        assert_eq!(why.zh, "市科技局于2023-04-01报告完成，已审核发布");
        assert_eq!(
            status(
                "年底前完成",
                &[],
                Some(&report("delayed", "2023-05-01")),
                "2023-05-10",
                no_rounds()
            )
            .0,
            TaskStatus::AtRisk
        );
    }

    #[test]
    fn a_report_waiting_for_review_is_no_silence() {
        let dues = deadline::parse("年底前完成", 2023);
        let supervision = Supervision::default();
        let facts = |waiting: Option<&str>, today: &str| Facts {
            dues: &dues,
            final_due: deadline::final_date(&dues),
            links: &[],
            report: None,
            waiting: waiting.map(d),
            plan_year: Some(2023),
            today: d(today),
            supervision: &supervision,
        };
        // Submitted on 10 May, not yet reviewed: in time for the round of 25 May...
        assert_eq!(
            status_of(&facts(Some("2023-05-10"), "2023-05-20")).0,
            TaskStatus::OnTrack
        );
        assert_eq!(
            status_of(&facts(None, "2023-05-20")).0,
            TaskStatus::Unreported
        );
        // ...and past the deadline it is overdue (reported, not done), not unreported.
        let (s, why) = status_of(&facts(Some("2023-11-30"), "2024-01-05"));
        assert_eq!(s, TaskStatus::Overdue);
        assert!(why.zh.contains("2023-11-30的进展报告待审核"), "{why:?}");
    }

    #[test]
    fn a_reporting_round_passed_without_a_report_is_unreported() {
        let monthly = Rounds::default;
        // Before the first round, silence is in time.
        assert_eq!(
            status("年底前完成", &[], None, "2023-01-25", monthly()).0,
            TaskStatus::OnTrack
        );
        // The round of 25 January passed: no report since the year began.
        let (s, why) = status("年底前完成", &[], None, "2023-01-26", monthly());
        assert_eq!(s, TaskStatus::Unreported);
        assert!(
            why.zh.starts_with("2023-01-25填报期已过，未按期反馈"),
            "{why:?}"
        );
        // A report of 1 April answers the round of 25 April (the window after 25 March)...
        let april = report("on_track", "2023-04-01");
        assert_eq!(
            status("年底前完成", &[], Some(&april), "2023-05-10", monthly()).0,
            TaskStatus::OnTrack
        );
        // ...but not the round of 25 May.
        let (s, why) = status("年底前完成", &[], Some(&april), "2023-05-26", monthly());
        assert_eq!(s, TaskStatus::Unreported);
        assert!(why.zh.starts_with("2023-05-25填报期已过"), "{why:?}");
        // Quarterly rounds: the same report is in time until the round of 25 June passes.
        let quarterly = || Rounds::Quarterly { day: 25 };
        assert_eq!(
            status("年底前完成", &[], Some(&april), "2023-06-25", quarterly()).0,
            TaskStatus::OnTrack
        );
        assert_eq!(
            status("年底前完成", &[], Some(&april), "2023-09-26", quarterly()).0,
            TaskStatus::Unreported
        );
    }

    #[test]
    fn a_report_late_in_the_evening_in_beijing_is_that_days() {
        // 23:30 on 25 April in Beijing is 15:30 UTC: in time for the round of 25 April.
        let mut late = report("on_track", "2023-04-25");
        late.reported_at = (d("2023-04-25").days() * 86_400 + 15 * 3600 + 1800).to_string();
        assert_eq!(
            status(
                "年底前完成",
                &[],
                Some(&late),
                "2023-05-20",
                Rounds::default()
            )
            .0,
            TaskStatus::OnTrack
        );
        // Only the day matters, and it is the office's.
        let mut edge = report("on_track", "2023-03-25");
        edge.reported_at = (d("2023-03-25").days() * 86_400 + 16 * 3600 + 1800).to_string();
        // 00:30 on 26 March in Beijing: after the round of 25 March, so it answers 25 April's.
        assert_eq!(
            status(
                "年底前完成",
                &[],
                Some(&edge),
                "2023-04-26",
                Rounds::default()
            )
            .0,
            TaskStatus::OnTrack
        );
        // Had the office's clock been UTC, it would be 25 March's, and 25 April's round missed.
        let utc = Supervision {
            zone: Zone::UTC,
            rounds: Rounds::default(),
        };
        let dues = deadline::parse("年底前完成", 2023);
        let s = status_of(&Facts {
            dues: &dues,
            final_due: deadline::final_date(&dues),
            links: &[],
            report: Some(&edge),
            waiting: None,
            plan_year: Some(2023),
            today: d("2023-04-26"),
            supervision: &utc,
        });
        assert_eq!(s.0, TaskStatus::Unreported);
    }
}

/// A task's traffic light: green on schedule, yellow when a deadline is near or a milestone has
/// passed unproven, red when overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    Green,
    Yellow,
    Red,
}

impl Light {
    pub fn as_str(self) -> &'static str {
        match self {
            Light::Green => "green",
            Light::Yellow => "yellow",
            Light::Red => "red",
        }
    }
}

impl TaskEvaluation {
    pub fn light(&self) -> Light {
        match self.status {
            TaskStatus::Overdue => Light::Red,
            TaskStatus::AtRisk | TaskStatus::Unreported => Light::Yellow,
            TaskStatus::NotStarted | TaskStatus::OnTrack | TaskStatus::Completed => Light::Green,
        }
    }

    /// When the task's units owe their next progress report, as of `today`: `late` with the
    /// round's (or the deadline's) date that passed without one, or the next round's date when
    /// none has come since the last. `None` for a completed task, before its plan year, and
    /// when the report for the coming round is in.
    pub fn report_due(&self, today: Date, supervision: &Supervision) -> Option<ReportDue> {
        if self.status == TaskStatus::Completed {
            return None;
        }
        let year = self.plan_year?;
        if self.status == TaskStatus::Unreported {
            let date = match self.final_due {
                Some(due) if due < today => due,
                _ => supervision.rounds.last_passed(year, today)?.0,
            };
            return Some(ReportDue { date, late: true });
        }
        if today.year < year || self.final_due.is_some_and(|d| d < today) {
            return None;
        }
        let progress_day = self
            .report
            .as_ref()
            .filter(|r| r.is_progress())
            .and_then(|r| report_day(r, supervision.zone));
        let mut days = progress_day.into_iter().chain(self.report_waiting);
        let answered = match supervision.rounds.last_passed(year, today) {
            Some((round, _)) => days.any(|d| d > round),
            None => days.next().is_some(),
        };
        if answered {
            return None;
        }
        let next = supervision.rounds.next_due(year, today);
        let date = match (next, self.final_due) {
            (Some(n), Some(f)) => n.min(f),
            (n, f) => n.or(f)?,
        };
        Some(ReportDue { date, late: false })
    }
}

/// A progress report owed: by `date`, or since `date` when `late`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReportDue {
    pub date: Date,
    pub late: bool,
}

/// Why a unit is reminded of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    /// The final deadline has passed and the task is not completed.
    Overdue,
    /// A dated milestone of the task has passed without the task being completed.
    MilestonePassed,
    /// A deadline or milestone falls within the next days.
    DueSoon,
    /// A supervisor urged the unit (催办) and it has not reported since.
    Urged,
}

/// One line of a unit's digest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reminder {
    pub kind: ReminderKind,
    /// `lead`, `cooperating` or `joint`: the unit's part in the task.
    pub role: &'static str,
    pub source: String,
    pub seq: u32,
    pub task: String,
    pub date: Date,
    /// The deadline statement the date was read from.
    pub statement: String,
    /// Days from the evaluation date to `date` (negative when past).
    pub days: i64,
    /// The task's status: an overdue item of an `unreported` task is silence (逾期未反馈), of an
    /// `overdue` one failure (逾期未完成).
    pub status: TaskStatus,
}

/// The digest of due and overdue items per unit, units in name order, each unit's items most
/// urgent first. `within` is how many days ahead counts as due soon.
pub fn reminders(
    tasks: &[TaskEvaluation],
    today: Date,
    within: i64,
    zone: Zone,
) -> BTreeMap<String, Vec<Reminder>> {
    let mut by: BTreeMap<String, Vec<Reminder>> = BTreeMap::new();
    for t in tasks.iter().filter(|t| t.status != TaskStatus::Completed) {
        let mut items: Vec<(ReminderKind, &Due)> = Vec::new();
        let final_passed = t.final_due.is_some_and(|d| d < today);
        for d in &t.dues {
            let days = today.days_until(d.date);
            if final_passed && Some(d.date) == t.final_due {
                items.push((ReminderKind::Overdue, d));
            } else if !final_passed && days < 0 && !d.progress_only {
                items.push((ReminderKind::MilestonePassed, d));
            } else if (0..=within).contains(&days) {
                items.push((ReminderKind::DueSoon, d));
            }
        }
        for (k, u) in t.task.units.iter().enumerate() {
            let role = if t.task.joint {
                "joint"
            } else if k == 0 {
                "lead"
            } else {
                "cooperating"
            };
            for (kind, d) in &items {
                by.entry(u.clone()).or_default().push(Reminder {
                    kind: *kind,
                    role,
                    source: t.source.clone(),
                    seq: t.seq,
                    task: t.task.text.clone(),
                    date: d.date,
                    statement: d.text.clone(),
                    days: today.days_until(d.date),
                    status: t.status,
                });
            }
        }
    }
    // Urges, to the unit urged.
    for t in tasks.iter().filter(|t| t.status != TaskStatus::Completed) {
        for g in &t.urged {
            let Some(day) = Moment::parse(&g.urged_at).map(|m| Date::of(m, zone)) else {
                continue;
            };
            let k = t.task.units.iter().position(|u| *u == g.unit);
            let role = match k {
                _ if t.task.joint => "joint",
                Some(0) => "lead",
                _ => "cooperating",
            };
            by.entry(g.unit.clone()).or_default().push(Reminder {
                kind: ReminderKind::Urged,
                role,
                source: t.source.clone(),
                seq: t.seq,
                task: t.task.text.clone(),
                date: day,
                statement: match &g.by {
                    Some(b) => format!("{b}：{}", g.message),
                    None => g.message.clone(),
                },
                days: today.days_until(day),
                status: t.status,
            });
        }
    }
    for list in by.values_mut() {
        list.sort_by(|a, b| {
            a.kind
                .cmp(&b.kind)
                .then(a.date.cmp(&b.date))
                .then(a.seq.cmp(&b.seq))
        });
    }
    by
}

#[cfg(test)]
mod reminder_tests {
    use super::*;

    fn task(seq: u32, deadline: &str, units: &[&str]) -> TaskEvaluation {
        let dues = deadline::parse(deadline, 2023);
        TaskEvaluation {
            index: 0,
            source: "003.txt".into(),
            seq,
            plan_year: Some(2023),
            task: Task {
                seq,
                category: None,
                text: format!("任务{seq}"),
                deadline: Some(deadline.into()),
                leaders: vec![],
                units: units.iter().map(|u| u.to_string()).collect(),
                lead_unit: units.first().map(|u| u.to_string()),
                joint: false,
                span: Default::default(),
            },
            final_due: deadline::final_date(&dues),
            extended_to: None,
            dues,
            linked: vec![],
            report: None,
            status: TaskStatus::OnTrack,
            not_acknowledged: true,
            report_waiting: None,
            urged: vec![],
            reason: String::new(),
            reason_zh: String::new(),
        }
    }

    #[test]
    fn an_open_urge_reaches_the_urged_unit() {
        let today = Date::parse("2023-07-10").unwrap();
        let mut t = task(7, "年底前完成", &["市科技局", "市财政局"]);
        t.urged = vec![Urge {
            task_seq: 7,
            unit: "市财政局".into(),
            message: "请报送资金到位情况".into(),
            by: Some("li".into()),
            urged_at: ((Date::parse("2023-07-03").unwrap().days()) * 86_400).to_string(),
        }];
        let r = reminders(&[t], today, 30, Zone::SHANGHAI);
        assert!(!r.contains_key("市科技局"));
        let got = &r["市财政局"][0];
        assert_eq!(
            (got.kind, got.role, got.days, got.statement.as_str()),
            (
                ReminderKind::Urged,
                "cooperating",
                -7,
                "li：请报送资金到位情况"
            )
        );
    }

    #[test]
    fn the_next_report_is_due_by_the_coming_round() {
        let sup = Supervision::default();
        let d = |s: &str| Date::parse(s).unwrap();
        let mut t = task(1, "年底前完成", &["市科技局"]);
        // Nothing since the round of 25 April: due by 25 May.
        assert_eq!(
            t.report_due(d("2023-05-10"), &sup),
            Some(ReportDue {
                date: d("2023-05-25"),
                late: false
            })
        );
        // A report of 1 May answers it.
        t.report = Some(ProgressReport {
            task_seq: 1,
            unit: Some("市科技局".into()),
            status: "on_track".into(),
            percent: None,
            narrative: String::new(),
            reported_at: (d("2023-05-01").days() * 86_400).to_string(),
        });
        assert_eq!(t.report_due(d("2023-05-10"), &sup), None);
        // An acknowledgement does not.
        t.report.as_mut().unwrap().status = "acknowledged".into();
        assert!(t.report_due(d("2023-05-10"), &sup).is_some());
        // Unreported: late since the round that passed; past the deadline, since the deadline.
        t.status = TaskStatus::Unreported;
        assert_eq!(
            t.report_due(d("2023-05-26"), &sup),
            Some(ReportDue {
                date: d("2023-05-25"),
                late: true
            })
        );
        assert_eq!(
            t.report_due(d("2024-02-01"), &sup),
            Some(ReportDue {
                date: d("2023-12-31"),
                late: true
            })
        );
        t.status = TaskStatus::Completed;
        assert_eq!(t.report_due(d("2024-02-01"), &sup), None);
    }

    #[test]
    fn digests_name_overdue_passed_and_coming_dates_per_unit() {
        let today = Date::parse("2023-07-10").unwrap();
        let mut overdue = task(1, "6月底前完成", &["市发展改革委", "市财政局"]);
        overdue.status = TaskStatus::Overdue;
        let milestone = task(2, "6月底前完成设立；年底前完成", &["市科技局"]);
        let soon = task(3, "7月底前完成", &["市科技局"]);
        let later = task(4, "年底前完成", &["市科技局"]);
        let mut done = task(5, "6月底前完成", &["市科技局"]);
        done.status = TaskStatus::Completed;
        let r = reminders(
            &[overdue.clone(), milestone, soon, later, done],
            today,
            30,
            Zone::SHANGHAI,
        );
        let kinds = |u: &str| -> Vec<(ReminderKind, u32, &'static str)> {
            r[u].iter().map(|x| (x.kind, x.seq, x.role)).collect()
        };
        assert_eq!(kinds("市发展改革委"), [(ReminderKind::Overdue, 1, "lead")]);
        assert_eq!(
            kinds("市财政局"),
            [(ReminderKind::Overdue, 1, "cooperating")]
        );
        assert_eq!(
            kinds("市科技局"),
            [
                (ReminderKind::MilestonePassed, 2, "lead"),
                (ReminderKind::DueSoon, 3, "lead")
            ]
        );
        assert_eq!(r["市科技局"][1].days, 21);
        assert_eq!(overdue.light(), Light::Red);
    }
}
