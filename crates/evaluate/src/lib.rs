//! Evaluation: targets linked to reported results, five-year indicators against their
//! trajectory, task status from deadlines and evidence, and scorecards of units, leaders and
//! regions.
//!
//! Architecture invariant: this crate reads a [`plantrack_model::Ledger`] and returns verdicts,
//! each with the evidence that produced it. It does no I/O (the lexicon file is passed in as
//! text), knows nothing of databases, HTTP or the command line, and no evaluation reads the
//! clock: its date is an argument (`Date::today` is there for callers).

pub mod access;
mod assessment;
pub mod compare;
pub mod date;
pub mod deadline;
pub mod history;
mod lexicon;
pub mod metric;
mod milestones;
pub mod ranking;
pub mod reconcile;
pub mod rounds;
pub mod stored;
pub mod tasks;
pub mod trajectory;

pub use access::Actor;
pub use assessment::Rules;
pub use date::{Date, Zone};
pub use lexicon::{Lexicon, LexiconError};
pub use reconcile::{Evidence, Item, Scope, Tally, TargetStatus, Verdict, reconcile};
pub use rounds::{Rounds, Supervision};
pub use tasks::{
    Light, Reminder, ReminderKind, ReportDue, Scorecard, TaskEvaluation, TaskStatus,
    evaluate_tasks, reminders,
};
pub use trajectory::{IndicatorEvaluation, TrajectoryStatus, evaluate_plan};

/// Why a verdict is what it is, in the product's two languages: English for the command line and
/// the API's `reason`, Chinese for the pages and the API's `reason_zh`. Each evaluation writes
/// both from the same figures.
#[derive(Debug, Clone)]
pub(crate) struct Why {
    pub en: String,
    pub zh: String,
}

impl Why {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Why {
        Why {
            en: en.into(),
            zh: zh.into(),
        }
    }
}

/// A progress report's status in Chinese, as reasons and pages write it.
pub fn report_status_zh(status: &str) -> Option<&'static str> {
    Some(match status {
        "acknowledged" => "已签收",
        "on_track" => "正常推进",
        "at_risk" => "有风险",
        "delayed" => "滞后",
        "completed" => "已完成",
        _ => return None,
    })
}

/// Any status an evaluation or a review gives (targets, plan indicators, tasks, reports), in
/// Chinese as pages, downloads and reports write it; `None` for a code no evaluation gives.
pub fn status_zh(status: &str) -> Option<&'static str> {
    if let Some(label) = report_status_zh(status) {
        return Some(label);
    }
    Some(match status {
        "achieved" => "已完成",
        "not_achieved" => "未完成",
        "no_data" => "无数据",
        "not_started" => "未开始",
        "overdue" => "逾期未完成",
        "unreported" => "未按期反馈",
        "submitted" => "待审核",
        "accepted" => "已通过",
        "returned" => "已退回",
        "target_achieved" => "已达目标",
        "needs_acceleration" => "需加快",
        "limited_progress" => "进展有限",
        "deterioration" => "倒退",
        "not_available" => "数据不足",
        _ => return None,
    })
}
