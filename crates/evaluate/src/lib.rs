//! Evaluation: targets linked to reported results, five-year indicators against their
//! trajectory, task status from deadlines and evidence, and scorecards of units, leaders and
//! regions.
//!
//! Architecture invariant: this crate reads a [`plantrack_model::Ledger`] and returns verdicts,
//! each with the evidence that produced it. It does no I/O (the lexicon file is passed in as
//! text), knows nothing of databases, HTTP or the command line, and no evaluation reads the
//! clock: its date is an argument (`Date::today` is there for callers).

mod assessment;
pub mod date;
pub mod deadline;
mod lexicon;
pub mod metric;
mod milestones;
pub mod reconcile;
pub mod tasks;
pub mod trajectory;

pub use assessment::Rules;
pub use date::Date;
pub use lexicon::{Lexicon, LexiconError};
pub use reconcile::{Evidence, Item, Scope, Tally, TargetStatus, Verdict, reconcile};
pub use tasks::{
    Light, Reminder, ReminderKind, Scorecard, TaskEvaluation, TaskStatus, evaluate_tasks, reminders,
};
pub use trajectory::{IndicatorEvaluation, TrajectoryStatus, evaluate_plan};
