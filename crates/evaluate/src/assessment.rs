//! Year-end assessment: scores of units and leaders from the status of their tasks and the
//! verdicts of the targets linked to them, by rules an office can change
//! (`rules/assessment.tsv` is the default).
//!
//! score = 100 × points / the points of a year where every task was completed and every target
//! achieved; points = Σ led tasks' status points + cooperating weight × Σ cooperating tasks'
//! status points + Σ target points. A negative total scores 0.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::LexiconError;
use crate::ranking::UnitRules;
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
    /// Who is ranked, and against whom (`rules/ranking.tsv`).
    pub units: UnitRules,
}

const STATUSES: [&str; 6] = [
    "completed",
    "on_track",
    "at_risk",
    "not_started",
    "unreported",
    "overdue",
];

impl Rules {
    pub fn built_in() -> Rules {
        let mut r = Rules {
            status: BTreeMap::new(),
            target_achieved: 0.0,
            target_not_achieved: 0.0,
            cooperating_weight: 0.0,
            units: UnitRules::default(),
        };
        r.extend(BUILT_IN).expect("the built-in rules parse");
        r.extend(crate::ranking::BUILT_IN)
            .expect("the built-in ranking rules parse");
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
            let fields: Vec<&str> = line
                .split('\t')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .collect();
            if let Some((kind, words)) = fields.split_first()
                && let Some(read) = self.units.rule(kind, words)
            {
                read.map_err(err)?;
                continue;
            }
            let mut f = fields.into_iter();
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
                        "unknown rule {other:?} ({}, target_achieved, target_not_achieved, cooperating_weight, {})",
                        STATUSES.join(", "),
                        crate::ranking::KINDS.join(", ")
                    )));
                }
            }
        }
        Ok(())
    }

    /// The rules every score follows, written out in English (for pages and the API).
    pub fn describe(&self) -> String {
        let n = crate::reconcile::trim;
        let statuses: Vec<String> = STATUSES
            .iter()
            .filter_map(|s| self.status.get(*s).map(|v| format!("{s} {}", n(*v))))
            .collect();
        format!(
            "Points per task led: {}; a cooperating task counts {} of one led; a target achieved {}, not achieved {}; score = 100 × points / the points of every task completed and every target achieved. Fewer than {} tasks: not ranked; groups of units are not ranked; city departments and district governments are ranked apart.",
            statuses.join(", "),
            n(self.cooperating_weight),
            n(self.target_achieved),
            n(self.target_not_achieved),
            self.units.min_tasks,
        )
    }

    /// The same in Chinese.
    pub fn describe_zh(&self) -> String {
        let n = crate::reconcile::trim;
        let statuses: Vec<String> = STATUSES
            .iter()
            .filter_map(|s| {
                self.status
                    .get(*s)
                    .map(|v| format!("{}{}分", status_zh(s), n(*v)))
            })
            .collect();
        format!(
            "计分规则：牵头任务每项按状态计分（{}）；配合任务按牵头的{}计；关联目标实现每个{}分，未实现每个{}分；得分＝100×所得分÷全部完成、目标全部实现时的分数。任务少于{}项的不排名，泛指单位不排名，市级部门与区人民政府分别排名。",
            statuses.join("，"),
            n(self.cooperating_weight),
            n(self.target_achieved),
            n(self.target_not_achieved),
            self.units.min_tasks,
        )
    }

    /// How a card's score is made: every rule that counted, with its count and points.
    /// `None` when nothing can be scored (no task, no judged target).
    pub fn basis(&self, c: &Scorecard) -> Option<Basis> {
        let best = self.status.values().copied().fold(0.0f64, f64::max);
        let mut terms = Vec::new();
        let mut n_led = 0;
        let mut n_coop = 0;
        for (part, counts, weight) in [
            ("led", &c.tasks, 1.0),
            ("cooperating", &c.cooperating_tasks, self.cooperating_weight),
        ] {
            for (s, k) in counts.iter().filter(|(_, k)| **k > 0) {
                let points = self.status.get(*s).copied().unwrap_or(0.0);
                if part == "led" {
                    n_led += k;
                } else {
                    n_coop += k;
                }
                terms.push(Term {
                    part,
                    rule: s.to_string(),
                    count: *k,
                    points,
                    weight,
                    subtotal: weight * points * *k as f64,
                });
            }
        }
        for (rule, count, points) in [
            ("target_achieved", c.targets.achieved, self.target_achieved),
            (
                "target_not_achieved",
                c.targets.not_achieved,
                self.target_not_achieved,
            ),
        ] {
            if count > 0 {
                terms.push(Term {
                    part: "targets",
                    rule: rule.to_string(),
                    count,
                    points,
                    weight: 1.0,
                    subtotal: points * count as f64,
                });
            }
        }
        let points: f64 = terms.iter().map(|t| t.subtotal).sum();
        let judged = c.targets.achieved + c.targets.not_achieved;
        let max = best * (n_led as f64 + self.cooperating_weight * n_coop as f64)
            + self.target_achieved.max(0.0) * judged as f64;
        if max <= 0.0 {
            return None;
        }
        let score = ((1000.0 * points.max(0.0) / max).round() / 10.0).min(100.0);
        let n = |v: f64| crate::reconcile::trim(v);
        let term_en = |t: &Term| {
            let w = if t.part == "cooperating" {
                format!("{} × ", n(t.weight))
            } else {
                String::new()
            };
            format!("{w}{} {} × {}", t.rule, t.count, n(t.points))
        };
        let term_zh = |t: &Term| {
            let w = if t.part == "cooperating" {
                format!("配合权重{}×", n(t.weight))
            } else if t.part == "led" {
                "牵头".to_string()
            } else {
                String::new()
            };
            let what = status_zh(&t.rule);
            let each = if t.part == "targets" { "个" } else { "项" };
            format!("{w}{what}{}{each}×{}分", t.count, n(t.points))
        };
        let en_terms: Vec<String> = terms.iter().map(term_en).collect();
        let zh_terms: Vec<String> = terms.iter().map(term_zh).collect();
        let max_en = format!(
            "full marks {} = {} × ({n_led} led + {} × {n_coop} cooperating) + {} × {judged} judged targets",
            n(max),
            n(best),
            n(self.cooperating_weight),
            n(self.target_achieved.max(0.0)),
        );
        let max_zh = format!(
            "满分{}分＝{}分×（牵头{n_led}项＋{}×配合{n_coop}项）＋{}分×已判定目标{judged}个",
            n(max),
            n(best),
            n(self.cooperating_weight),
            n(self.target_achieved.max(0.0)),
        );
        Some(Basis {
            text: format!(
                "{} = {} points; {max_en}; score 100 × {} / {} = {score:.1}",
                if en_terms.is_empty() {
                    "nothing counted".to_string()
                } else {
                    en_terms.join(" + ")
                },
                n(points),
                n(points.max(0.0)),
                n(max),
            ),
            text_zh: format!(
                "{}＝{}分；{max_zh}；得分＝100×{}÷{}＝{score:.1}",
                if zh_terms.is_empty() {
                    "无计分项".to_string()
                } else {
                    zh_terms.join("＋")
                },
                n(points),
                n(points.max(0.0)),
                n(max),
            ),
            terms,
            points,
            max,
            score,
        })
    }

    /// Scores the cards and orders them best first (then by name).
    pub fn apply(&self, cards: &mut [Scorecard]) {
        for c in cards.iter_mut() {
            c.score = self.basis(c).map(|b| b.score);
        }
        cards.sort_by(|a, b| {
            b.score
                .unwrap_or(-1.0)
                .total_cmp(&a.score.unwrap_or(-1.0))
                .then_with(|| a.name.cmp(&b.name))
        });
    }
}

/// How a score was made from the rules: the terms, the points, the full marks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Basis {
    pub terms: Vec<Term>,
    /// Σ subtotals.
    pub points: f64,
    /// The points of the same tasks all completed and the same targets all achieved.
    pub max: f64,
    /// 100 × points / max, 0–100, to one decimal.
    pub score: f64,
    /// The computation written out, in English and Chinese.
    pub text: String,
    pub text_zh: String,
}

/// One rule of `rules/assessment.tsv` as it counted for a card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Term {
    /// `led` (tasks led or supervised), `cooperating` or `targets`.
    #[serde(deserialize_with = "crate::stored::card_word")]
    pub part: crate::stored::CardWord,
    /// The rule's name: a task status, `target_achieved` or `target_not_achieved`.
    pub rule: String,
    pub count: usize,
    /// The rule's points for one.
    pub points: f64,
    /// 1, or the cooperating weight for cooperating tasks.
    pub weight: f64,
    /// weight × points × count.
    pub subtotal: f64,
}

/// A rule's name in Chinese, as the score's basis writes it.
pub fn status_zh(rule: &str) -> &str {
    match rule {
        "completed" => "已完成",
        "on_track" => "正常推进",
        "at_risk" => "有风险",
        "not_started" => "未开始",
        "unreported" => "未按期反馈",
        "overdue" => "逾期未完成",
        "target_achieved" => "目标实现",
        "target_not_achieved" => "目标未实现",
        other => other,
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
