//! Year-end assessment: scores of units and leaders from the status of their tasks and the
//! verdicts of the targets linked to them, by rules an office can change
//! (`rules/assessment.tsv` is the default).
//!
//! score = 100 × points / the points of a year where every task was completed and every target
//! achieved; points = Σ led tasks' status points + cooperating weight × Σ cooperating tasks'
//! status points + Σ target points. A negative total scores 0.

use std::collections::BTreeMap;

use crate::LexiconError;
use crate::tasks::Scorecard;

const BUILT_IN: &str = include_str!("../rules/assessment.tsv");

/// The scoring rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    /// Points by task status.
    pub status: BTreeMap<String, f64>,
    pub target_achieved: f64,
    pub target_not_achieved: f64,
    pub cooperating_weight: f64,
}

const STATUSES: [&str; 5] = ["completed", "on_track", "at_risk", "not_started", "overdue"];

impl Rules {
    pub fn built_in() -> Rules {
        let mut r = Rules {
            status: BTreeMap::new(),
            target_achieved: 0.0,
            target_not_achieved: 0.0,
            cooperating_weight: 0.0,
        };
        r.extend(BUILT_IN).expect("the built-in rules parse");
        r
    }

    /// Adds or replaces rules from a file of the same form.
    pub fn extend(&mut self, text: &str) -> Result<(), LexiconError> {
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let err = |reason: String| LexiconError {
                line: i + 1,
                reason,
            };
            let mut f = line.split('\t').map(str::trim).filter(|f| !f.is_empty());
            let (Some(name), Some(value), None) = (f.next(), f.next(), f.next()) else {
                return Err(err("a rule is a name, a tab and a number".into()));
            };
            let v: f64 = value
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| err(format!("{value:?} is not a number")))?;
            match name {
                s if STATUSES.contains(&s) => {
                    self.status.insert(s.to_string(), v);
                }
                "target_achieved" => self.target_achieved = v,
                "target_not_achieved" => self.target_not_achieved = v,
                "cooperating_weight" if (0.0..=1.0).contains(&v) => self.cooperating_weight = v,
                "cooperating_weight" => {
                    return Err(err("cooperating_weight is between 0 and 1".into()));
                }
                other => {
                    return Err(err(format!(
                        "unknown rule {other:?} ({}, target_achieved, target_not_achieved, cooperating_weight)",
                        STATUSES.join(", ")
                    )));
                }
            }
        }
        Ok(())
    }

    fn points(&self, counts: &BTreeMap<&'static str, usize>) -> (f64, usize) {
        let mut p = 0.0;
        let mut n = 0;
        for (s, k) in counts {
            p += self.status.get(*s).copied().unwrap_or(0.0) * *k as f64;
            n += k;
        }
        (p, n)
    }

    /// Scores the cards and orders them best first (then by name).
    pub fn apply(&self, cards: &mut [Scorecard]) {
        let best = self.status.values().copied().fold(0.0f64, f64::max);
        for c in cards.iter_mut() {
            let (led, n_led) = self.points(&c.tasks);
            let (coop, n_coop) = self.points(&c.cooperating_tasks);
            let points = led
                + self.cooperating_weight * coop
                + self.target_achieved * c.targets.achieved as f64
                + self.target_not_achieved * c.targets.not_achieved as f64;
            let max = best * (n_led as f64 + self.cooperating_weight * n_coop as f64)
                + self.target_achieved.max(0.0)
                    * (c.targets.achieved + c.targets.not_achieved) as f64;
            c.score =
                (max > 0.0).then(|| ((1000.0 * points.max(0.0) / max).round() / 10.0).min(100.0));
        }
        cards.sort_by(|a, b| {
            b.score
                .unwrap_or(-1.0)
                .total_cmp(&a.score.unwrap_or(-1.0))
                .then_with(|| a.name.cmp(&b.name))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::Tally;

    fn card(
        name: &str,
        led: &[(&'static str, usize)],
        coop: &[(&'static str, usize)],
        achieved: usize,
        missed: usize,
    ) -> Scorecard {
        Scorecard {
            name: name.into(),
            tasks: led.iter().copied().collect(),
            cooperating_tasks: coop.iter().copied().collect(),
            targets: Tally {
                achieved,
                not_achieved: missed,
                no_data: 3,
            },
            ..Default::default()
        }
    }

    #[test]
    fn scores_follow_the_rules_and_rank() {
        let r = Rules::built_in();
        let mut cards = vec![
            card("乙", &[("overdue", 2)], &[], 0, 0),
            card("甲", &[("completed", 2)], &[("completed", 1)], 2, 0),
            card("丙", &[("completed", 1), ("overdue", 1)], &[], 0, 1),
        ];
        r.apply(&mut cards);
        let got: Vec<(&str, Option<f64>)> =
            cards.iter().map(|c| (c.name.as_str(), c.score)).collect();
        // 甲: (20 + 0.3×10 + 4) / (10×2.3 + 2×2) = 27/27; 丙: (10 + 0 − 2) / (20 + 2) = 36.4;
        // 乙: 0.
        assert_eq!(
            got,
            [("甲", Some(100.0)), ("丙", Some(36.4)), ("乙", Some(0.0))]
        );
        // An office that does not count cooperation and punishes overdue tasks harder.
        let mut mine = Rules::built_in();
        mine.extend("cooperating_weight\t0\noverdue\t-5\n").unwrap();
        let mut cards = vec![card("丙", &[("completed", 1), ("overdue", 1)], &[], 0, 0)];
        mine.apply(&mut cards);
        assert_eq!(cards[0].score, Some(25.0));
    }

    #[test]
    fn bad_rules_name_their_line() {
        let mut r = Rules::built_in();
        assert_eq!(r.extend("completed\t10\nlate\t3\n").unwrap_err().line, 2);
        assert!(r.extend("completed\tten\n").is_err());
        assert!(r.extend("cooperating_weight\t2\n").is_err());
        assert!(r.extend("completed\n").is_err());
    }
}
