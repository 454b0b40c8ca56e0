//! The evaluations in the form they are kept in (the store's `evaluations` table, beside the
//! part of the ledger they were computed from): every piece of evidence as a reference into
//! that ledger instead of a copy of the document and the item, so that a verdict's sentence is
//! kept once. [`StoredVerdict::verdict`] and [`StoredIndicator::evaluation`] give back exactly
//! what was stored, or `None` when a reference does not fit the ledger given (a body kept for
//! another ledger: evaluate again).

use plantrack_model::{DocumentKind, Indicator, Ledger, Measure};
use serde::{Deserialize, Deserializer, Serialize};

use crate::milestones::evidence_m;
use crate::reconcile::evidence_q;
use crate::trajectory::{Accumulation, Aggregate, Observation};
use crate::{Evidence, IndicatorEvaluation, TargetStatus, TrajectoryStatus, Verdict};

/// Reads `quantity` or `milestone` (the kinds of item a piece of evidence or a linked target
/// names) into the static word the evaluations use.
pub fn item_kind<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let s = String::deserialize(d)?;
    match s.as_str() {
        "quantity" => Ok("quantity"),
        "milestone" => Ok("milestone"),
        other => Err(serde::de::Error::custom(format!(
            "not a kind of item: {other}"
        ))),
    }
}

/// The words a scorecard counts by — the task statuses and the parts of a score (`led`,
/// `cooperating`, `targets`) — read back into the static words the evaluations make them with.
pub fn card_word<'de, D: Deserializer<'de>>(d: D) -> Result<CardWord, D::Error> {
    let s = String::deserialize(d)?;
    known_card_word(&s)
        .ok_or_else(|| serde::de::Error::custom(format!("not a word of a scorecard: {s}")))
}

/// The counts by status of a scorecard, their keys read as [`card_word`] reads them.
pub fn card_counts<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<std::collections::BTreeMap<CardWord, usize>, D::Error> {
    let raw = std::collections::BTreeMap::<String, usize>::deserialize(d)?;
    raw.into_iter()
        .map(|(k, n)| {
            known_card_word(&k)
                .map(|w| (w, n))
                .ok_or_else(|| serde::de::Error::custom(format!("not a task status: {k}")))
        })
        .collect()
}

fn known_card_word(s: &str) -> Option<CardWord> {
    const PARTS: [&str; 3] = ["led", "cooperating", "targets"];
    crate::tasks::TaskStatus::ALL
        .iter()
        .map(|t| t.as_str())
        .chain(PARTS)
        .find(|w| *w == s)
}

/// A task status or a part of a score, as a scorecard names it.
pub type CardWord = &'static str;

/// `quantity` or `milestone`. (A name, so that the derived readers of the types holding it do
/// not take it for text borrowed from their input.)
pub type ItemKind = &'static str;

/// A piece of evidence by reference: the kind of item and its position in the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cited {
    #[serde(deserialize_with = "item_kind")]
    pub kind: ItemKind,
    pub index: usize,
}

impl Cited {
    pub fn of(e: &Evidence) -> Cited {
        Cited {
            kind: e.kind,
            index: e.index,
        }
    }

    /// The evidence this names in `ledger`, if the ledger has such an item.
    pub fn evidence(self, ledger: &Ledger) -> Option<Evidence> {
        match self.kind {
            "quantity" => (self.index < ledger.quantities.len()
                && ledger.quantities[self.index].document < ledger.documents.len())
            .then(|| evidence_q(ledger, self.index)),
            _ => (self.index < ledger.milestones.len()
                && ledger.milestones[self.index].document < ledger.documents.len())
            .then(|| evidence_m(ledger, self.index)),
        }
    }
}

/// A [`Verdict`] as kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredVerdict {
    pub year: i32,
    pub region: Option<String>,
    pub cascade: bool,
    pub target: Cited,
    pub actual: Option<Cited>,
    pub status: TargetStatus,
    pub reason: String,
    pub reason_zh: String,
    pub confidence: Option<f64>,
    pub vague: bool,
    pub source: Option<DocumentKind>,
    pub disagreeing: Vec<Cited>,
}

impl StoredVerdict {
    pub fn of(v: &Verdict) -> StoredVerdict {
        StoredVerdict {
            year: v.year,
            region: v.region.clone(),
            cascade: v.cascade,
            target: Cited::of(&v.target),
            actual: v.actual.as_ref().map(Cited::of),
            status: v.status,
            reason: v.reason.clone(),
            reason_zh: v.reason_zh.clone(),
            confidence: v.confidence,
            vague: v.vague,
            source: v.source,
            disagreeing: v.disagreeing.iter().map(Cited::of).collect(),
        }
    }

    /// The verdict again, its evidence taken from `ledger` (the one it was computed from).
    pub fn verdict(&self, ledger: &Ledger) -> Option<Verdict> {
        Some(Verdict {
            year: self.year,
            region: self.region.clone(),
            cascade: self.cascade,
            target: self.target.evidence(ledger)?,
            actual: match self.actual {
                Some(c) => Some(c.evidence(ledger)?),
                None => None,
            },
            status: self.status,
            reason: self.reason.clone(),
            reason_zh: self.reason_zh.clone(),
            confidence: self.confidence,
            vague: self.vague,
            source: self.source,
            disagreeing: self
                .disagreeing
                .iter()
                .map(|c| c.evidence(ledger))
                .collect::<Option<_>>()?,
        })
    }
}

/// An [`IndicatorEvaluation`] as kept: its observations and yearly targets by reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredIndicator {
    pub source: String,
    pub region: Option<String>,
    pub indicator: Indicator,
    pub metric: String,
    pub measure: Measure,
    pub lower_is_better: bool,
    pub baseline: Option<(i32, f64)>,
    pub baseline_period: Option<(i32, i32)>,
    pub target: Option<(i32, f64)>,
    pub precision: u32,
    pub accumulation: Option<Accumulation>,
    /// Year, value and evidence of each observation.
    pub observations: Vec<(i32, f64, Cited)>,
    pub yearly_targets: Vec<Cited>,
    pub cagr_observed: Option<f64>,
    pub cagr_required: Option<f64>,
    pub ratio: Option<f64>,
    pub projection: Option<f64>,
    pub aggregate: Option<Aggregate>,
    pub schedule: Vec<(i32, f64)>,
    pub status: TrajectoryStatus,
    pub reason: String,
    pub reason_zh: String,
}

impl StoredIndicator {
    pub fn of(e: &IndicatorEvaluation) -> StoredIndicator {
        StoredIndicator {
            source: e.source.clone(),
            region: e.region.clone(),
            indicator: e.indicator.clone(),
            metric: e.metric.clone(),
            measure: e.measure,
            lower_is_better: e.lower_is_better,
            baseline: e.baseline,
            baseline_period: e.baseline_period,
            target: e.target,
            precision: e.precision,
            accumulation: e.accumulation,
            observations: e
                .observations
                .iter()
                .map(|o| (o.year, o.value, Cited::of(&o.evidence)))
                .collect(),
            yearly_targets: e.yearly_targets.iter().map(Cited::of).collect(),
            cagr_observed: e.cagr_observed,
            cagr_required: e.cagr_required,
            ratio: e.ratio,
            projection: e.projection,
            aggregate: e.aggregate.clone(),
            schedule: e.schedule.clone(),
            status: e.status,
            reason: e.reason.clone(),
            reason_zh: e.reason_zh.clone(),
        }
    }

    /// Every piece of evidence it names, to be moved when the ledger it refers into is cut.
    pub fn cited_mut(&mut self) -> impl Iterator<Item = &mut Cited> {
        self.observations
            .iter_mut()
            .map(|(_, _, c)| c)
            .chain(self.yearly_targets.iter_mut())
    }

    /// The evaluation again, its evidence taken from `ledger` (the one it was computed from).
    pub fn evaluation(&self, ledger: &Ledger) -> Option<IndicatorEvaluation> {
        Some(IndicatorEvaluation {
            source: self.source.clone(),
            region: self.region.clone(),
            indicator: self.indicator.clone(),
            metric: self.metric.clone(),
            measure: self.measure,
            lower_is_better: self.lower_is_better,
            baseline: self.baseline,
            baseline_period: self.baseline_period,
            target: self.target,
            precision: self.precision,
            accumulation: self.accumulation,
            observations: self
                .observations
                .iter()
                .map(|&(year, value, c)| {
                    Some(Observation {
                        year,
                        value,
                        evidence: c.evidence(ledger)?,
                    })
                })
                .collect::<Option<_>>()?,
            yearly_targets: self
                .yearly_targets
                .iter()
                .map(|c| c.evidence(ledger))
                .collect::<Option<_>>()?,
            cagr_observed: self.cagr_observed,
            cagr_required: self.cagr_required,
            ratio: self.ratio,
            projection: self.projection,
            aggregate: self.aggregate.clone(),
            schedule: self.schedule.clone(),
            status: self.status,
            reason: self.reason.clone(),
            reason_zh: self.reason_zh.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Card {
        #[serde(deserialize_with = "card_word")]
        part: CardWord,
        #[serde(deserialize_with = "card_counts")]
        tasks: std::collections::BTreeMap<CardWord, usize>,
    }

    #[test]
    fn scorecard_words_read_back_and_others_are_refused() {
        let c: Card =
            serde_json::from_str(r#"{"part":"cooperating","tasks":{"overdue":2,"completed":1}}"#)
                .unwrap();
        assert_eq!(c.part, "cooperating");
        assert_eq!(c.tasks["overdue"], 2);
        assert!(serde_json::from_str::<Card>(r#"{"part":"lead","tasks":{}}"#).is_err());
        assert!(serde_json::from_str::<Card>(r#"{"part":"led","tasks":{"late":1}}"#).is_err());
    }
}
