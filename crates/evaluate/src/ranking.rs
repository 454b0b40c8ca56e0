//! Fair rankings: who a task counts for, who is ranked, and against whom.
//!
//! - A placeholder for every district (`各区人民政府`, rule `all_districts`) counts the task for
//!   every district government of the table's region, in the part it has (lead or cooperating),
//!   and stays listed itself as a group. The district governments of a region are those the
//!   ledger knows: the child regions of the region (`西青区` in `天津市` →
//!   `西青区人民政府`), and the district governments named in the tasks of the region's
//!   documents.
//! - A group (`相关区人民政府`, `按职责分工负责`, `各有关单位`: rules `group`, `group_prefix`,
//!   `all_districts`) is listed, never ranked.
//! - A unit or leader with fewer than `min_tasks` tasks (led and cooperating) is listed, not
//!   ranked: one cooperating task completed is not a year's record.
//! - The others are ranked among their peers: city departments apart from district
//!   governments (rule `district_government`); leaders among leaders, regions among regions.
//!   Equal scores share a rank.
//!
//! The words live in `rules/ranking.tsv`, read with the assessment rules ([`Rules`]).

use std::collections::{BTreeMap, BTreeSet};

use plantrack_model::Ledger;
use serde::{Deserialize, Serialize};

use crate::assessment::Rules;
pub use crate::assessment::{Basis, Term, status_zh};
use crate::reconcile::Verdict;
use crate::tasks::{self, Scorecard, TaskEvaluation};

pub(crate) const BUILT_IN: &str = include_str!("../rules/ranking.tsv");

/// The kinds of `rules/ranking.tsv`.
pub const KINDS: [&str; 6] = [
    "all_districts",
    "group",
    "group_prefix",
    "district_government",
    "government_suffix",
    "min_tasks",
];

/// Who is ranked, and against whom.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnitRules {
    /// Names standing for every district government of the table's region.
    pub all_districts: Vec<String>,
    /// Names that stand for no one unit.
    pub groups: Vec<String>,
    /// Words opening a group's name.
    pub group_prefixes: Vec<String>,
    /// Endings of a district (county) government's name.
    pub district_endings: Vec<String>,
    /// What a district's name takes to name its government.
    pub government_suffix: String,
    /// Fewer tasks than this: listed, not ranked.
    pub min_tasks: usize,
}

/// Whom a card is ranked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeerGroup {
    /// The city's departments and other units.
    Department,
    /// District (county) governments.
    District,
    /// Supervising leaders.
    Leader,
    /// Regions.
    Region,
    /// A placeholder for several units: never ranked.
    Group,
}

impl PeerGroup {
    pub fn as_str(self) -> &'static str {
        match self {
            PeerGroup::Department => "department",
            PeerGroup::District => "district",
            PeerGroup::Leader => "leader",
            PeerGroup::Region => "region",
            PeerGroup::Group => "group",
        }
    }

    /// The peer group's name on the pages.
    pub fn zh(self) -> &'static str {
        match self {
            PeerGroup::Department => "市级部门",
            PeerGroup::District => "区人民政府",
            PeerGroup::Leader => "市领导",
            PeerGroup::Region => "地区",
            PeerGroup::Group => "泛指单位",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            PeerGroup::Department => "City departments",
            PeerGroup::District => "District governments",
            PeerGroup::Leader => "Leaders",
            PeerGroup::Region => "Regions",
            PeerGroup::Group => "Groups of units",
        }
    }
}

/// Why a card is listed without a rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unranked {
    /// A placeholder for several units.
    Group,
    /// Fewer tasks than the rules' `min_tasks`.
    FewTasks,
}

/// A scorecard in its ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "FlatRanked")]
pub struct Ranked {
    #[serde(flatten)]
    pub card: Scorecard,
    pub peer_group: PeerGroup,
    /// The rank among the peer group, 1 the best, equal scores sharing one; `None` unranked.
    pub rank: Option<usize>,
    pub unranked: Option<Unranked>,
    /// Why unranked, in English and Chinese (`None` when ranked).
    pub unranked_reason: Option<String>,
    pub unranked_reason_zh: Option<String>,
    /// How the score was made (units and leaders).
    pub basis: Option<Basis>,
    /// The units a group stands for, when the ledger knows them (`各区人民政府`).
    pub members: Vec<String>,
}

/// A [`Ranked`] as written: its card's fields beside its own, as `#[serde(flatten)]` writes
/// them. Read through this rather than through `flatten`, which first buffers every card into
/// a map of values (a quarter of a region's kept year, decoded as slowly as the rest of it).
#[derive(Deserialize)]
struct FlatRanked {
    name: String,
    led: usize,
    cooperating: usize,
    #[serde(deserialize_with = "crate::stored::card_counts")]
    tasks: BTreeMap<crate::stored::CardWord, usize>,
    #[serde(deserialize_with = "crate::stored::card_counts")]
    cooperating_tasks: BTreeMap<crate::stored::CardWord, usize>,
    targets: crate::reconcile::Tally,
    completion: f64,
    achievement: Option<f64>,
    score: Option<f64>,
    peer_group: PeerGroup,
    rank: Option<usize>,
    unranked: Option<Unranked>,
    unranked_reason: Option<String>,
    unranked_reason_zh: Option<String>,
    basis: Option<Basis>,
    members: Vec<String>,
}

impl From<FlatRanked> for Ranked {
    fn from(f: FlatRanked) -> Ranked {
        Ranked {
            // Every field named: a field added to the card and not here does not compile.
            card: Scorecard {
                name: f.name,
                led: f.led,
                cooperating: f.cooperating,
                tasks: f.tasks,
                cooperating_tasks: f.cooperating_tasks,
                targets: f.targets,
                completion: f.completion,
                achievement: f.achievement,
                score: f.score,
            },
            peer_group: f.peer_group,
            rank: f.rank,
            unranked: f.unranked,
            unranked_reason: f.unranked_reason,
            unranked_reason_zh: f.unranked_reason_zh,
            basis: f.basis,
            members: f.members,
        }
    }
}

impl UnitRules {
    /// Reads one rule of `rules/ranking.tsv`'s kinds; `None` for a kind of another file.
    pub(crate) fn rule(&mut self, kind: &str, words: &[&str]) -> Option<Result<(), String>> {
        let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        let list = match kind {
            "all_districts" => &mut self.all_districts,
            "group" => &mut self.groups,
            "group_prefix" => &mut self.group_prefixes,
            "district_government" => &mut self.district_endings,
            "government_suffix" => {
                return Some(match words.as_slice() {
                    [w] => {
                        self.government_suffix = w.clone();
                        Ok(())
                    }
                    _ => Err("government_suffix takes one word".into()),
                });
            }
            "min_tasks" => {
                return Some(match words.as_slice() {
                    [n] => n
                        .parse()
                        .map(|n| self.min_tasks = n)
                        .map_err(|_| format!("min_tasks {n:?}: a whole number")),
                    _ => Err("min_tasks takes one number".into()),
                });
            }
            _ => return None,
        };
        if words.is_empty() {
            return Some(Err(format!("{kind} needs at least one word")));
        }
        for w in words {
            if !list.contains(&w) {
                list.push(w);
            }
        }
        Some(Ok(()))
    }

    /// Whether the name stands for every district government of the table's region.
    pub fn is_all_districts(&self, name: &str) -> bool {
        self.all_districts.iter().any(|w| w == name)
    }

    /// The peer group a unit's name puts it in.
    pub fn peer_group(&self, name: &str) -> PeerGroup {
        if self.is_all_districts(name)
            || self.groups.iter().any(|w| w == name)
            || self
                .group_prefixes
                .iter()
                .any(|w| name.starts_with(w.as_str()))
        {
            PeerGroup::Group
        } else if self
            .district_endings
            .iter()
            .any(|w| name.ends_with(w.as_str()) && name.len() > w.len())
        {
            PeerGroup::District
        } else {
            PeerGroup::Department
        }
    }

    /// The district governments of each region the ledger knows: its child regions' governments
    /// and the district governments named in the tasks of its documents.
    pub fn districts(&self, ledger: &Ledger) -> BTreeMap<Option<String>, BTreeSet<String>> {
        let mut by: BTreeMap<Option<String>, BTreeSet<String>> = BTreeMap::new();
        for r in &ledger.regions {
            let government = format!("{}{}", r.name, self.government_suffix);
            if r.parent.is_some() && self.peer_group(&government) == PeerGroup::District {
                by.entry(r.parent.clone()).or_default().insert(government);
            }
        }
        for t in &ledger.tasks {
            let region = &ledger.documents[t.document].region;
            for u in &t.item.units {
                if self.peer_group(u) == PeerGroup::District {
                    by.entry(region.clone()).or_default().insert(u.clone());
                }
            }
        }
        by
    }

    /// The units a task counts for, each with whether it leads (or shares) the task: the units
    /// named, and for a placeholder of every district, each district government of the region
    /// in the placeholder's part (a unit named twice keeps its first part).
    pub fn units_of(
        &self,
        ledger: &Ledger,
        districts: &BTreeMap<Option<String>, BTreeSet<String>>,
        t: &TaskEvaluation,
    ) -> Vec<(String, bool)> {
        let mut out: Vec<(String, bool)> = Vec::new();
        let push = |name: &str, leads: bool, out: &mut Vec<(String, bool)>| {
            if !out.iter().any(|(u, _)| u == name) {
                out.push((name.to_string(), leads));
            }
        };
        // The units named come first, so that a district named in its own right keeps its part.
        for (k, u) in t.task.units.iter().enumerate() {
            push(u, t.task.joint || k == 0, &mut out);
        }
        let region = ledger
            .tasks
            .get(t.index)
            .and_then(|x| ledger.documents[x.document].region.clone());
        for (k, u) in t.task.units.iter().enumerate() {
            if self.is_all_districts(u)
                && let Some(ds) = districts.get(&region)
            {
                for d in ds {
                    push(d, t.task.joint || k == 0, &mut out);
                }
            }
        }
        out
    }
}

/// The units' scorecards, with placeholders of every district counted for each district
/// government, scored by the rules and ranked.
pub fn rank_units(ledger: &Ledger, evaluations: &[TaskEvaluation], rules: &Rules) -> Vec<Ranked> {
    let u = &rules.units;
    let districts = u.districts(ledger);
    let cards = tasks::unit_scorecards_by(evaluations, |t| u.units_of(ledger, &districts, t));
    let members = |name: &str| -> Vec<String> {
        if !u.is_all_districts(name) {
            return Vec::new();
        }
        let mut all: BTreeSet<String> = BTreeSet::new();
        for t in evaluations
            .iter()
            .filter(|t| t.task.units.iter().any(|x| x == name))
        {
            let region = ledger
                .tasks
                .get(t.index)
                .and_then(|x| ledger.documents[x.document].region.clone());
            all.extend(districts.get(&region).into_iter().flatten().cloned());
        }
        all.into_iter().collect()
    };
    rank(cards, rules, |c| u.peer_group(&c.name), members)
}

/// The leaders' scorecards, scored by the rules and ranked.
pub fn rank_leaders(evaluations: &[TaskEvaluation], rules: &Rules) -> Vec<Ranked> {
    rank(
        tasks::leader_scorecards(evaluations),
        rules,
        |_| PeerGroup::Leader,
        |_| Vec::new(),
    )
}

/// The regions' scorecards, ranked by completion, then achievement (regions are not scored).
pub fn rank_regions(
    ledger: &Ledger,
    verdicts: &[Verdict],
    evaluations: &[TaskEvaluation],
) -> Vec<Ranked> {
    let cards = tasks::region_scorecards(ledger, verdicts, evaluations);
    let mut out: Vec<Ranked> = Vec::new();
    let key = |c: &Scorecard| (c.completion, c.achievement.unwrap_or(-1.0));
    for c in cards {
        let rank = match out.last() {
            Some(prev) if key(&prev.card) == key(&c) => prev.rank,
            _ => Some(out.len() + 1),
        };
        out.push(Ranked {
            card: c,
            peer_group: PeerGroup::Region,
            rank,
            unranked: None,
            unranked_reason: None,
            unranked_reason_zh: None,
            basis: None,
            members: Vec::new(),
        });
    }
    out
}

/// Scores the cards, then ranks each peer group apart: the ranked groups first (departments,
/// then district governments), best first, equal scores sharing a rank; then the cards with
/// too few tasks, then the groups, each by name.
fn rank(
    cards: Vec<Scorecard>,
    rules: &Rules,
    peer_of: impl Fn(&Scorecard) -> PeerGroup,
    members: impl Fn(&str) -> Vec<String>,
) -> Vec<Ranked> {
    let min = rules.units.min_tasks;
    let mut ranked: Vec<Ranked> = Vec::new();
    let mut few: Vec<Ranked> = Vec::new();
    let mut groups: Vec<Ranked> = Vec::new();
    for mut c in cards {
        let basis = rules.basis(&c);
        c.score = basis.as_ref().map(|b| b.score);
        let peer = peer_of(&c);
        let n = c.led + c.cooperating;
        let (unranked, en, zh) = if peer == PeerGroup::Group {
            (
                Some(Unranked::Group),
                Some("a group of units, not one unit: not ranked".to_string()),
                Some("泛指多个单位，不排名".to_string()),
            )
        } else if n < min {
            (
                Some(Unranked::FewTasks),
                Some(format!("not ranked ({n} tasks, fewer than {min})")),
                Some(format!("未排名（任务{n}项，少于{min}项）")),
            )
        } else {
            (None, None, None)
        };
        let r = Ranked {
            members: members(&c.name),
            card: c,
            peer_group: peer,
            rank: None,
            unranked,
            unranked_reason: en,
            unranked_reason_zh: zh,
            basis,
        };
        match unranked {
            None => ranked.push(r),
            Some(Unranked::FewTasks) => few.push(r),
            Some(Unranked::Group) => groups.push(r),
        }
    }
    let score = |r: &Ranked| r.card.score.unwrap_or(-1.0);
    ranked.sort_by(|a, b| {
        a.peer_group
            .cmp(&b.peer_group)
            .then(score(b).total_cmp(&score(a)))
            .then_with(|| a.card.name.cmp(&b.card.name))
    });
    for k in 0..ranked.len() {
        ranked[k].rank = Some(match k.checked_sub(1).map(|j| &ranked[j]) {
            Some(prev) if prev.peer_group == ranked[k].peer_group => {
                if score(prev) == score(&ranked[k]) {
                    prev.rank.unwrap_or(1)
                } else {
                    1 + ranked[..k]
                        .iter()
                        .filter(|r| r.peer_group == ranked[k].peer_group)
                        .count()
                }
            }
            _ => 1,
        });
    }
    few.sort_by(|a, b| a.card.name.cmp(&b.card.name));
    groups.sort_by(|a, b| a.card.name.cmp(&b.card.name));
    ranked.extend(few);
    ranked.extend(groups);
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::tasks::TaskStatus;
    use plantrack_model::{DocumentKind, DocumentRef, Located, Region, Task};

    /// A ledger of one table of 天津市 with its tasks (units, status), and their evaluations.
    fn table(rows: &[(&[&str], TaskStatus)]) -> (Ledger, Vec<TaskEvaluation>) {
        let mut ledger = Ledger {
            documents: vec![DocumentRef {
                id: None,
                source: "003.txt".into(),
                title: None,
                kind: DocumentKind::TaskTable,
                region: Some("天津市".into()),
                year: Some(2023),
            }],
            regions: vec![
                Region {
                    name: "天津市".into(),
                    parent: None,
                },
                Region {
                    name: "西青区".into(),
                    parent: Some("天津市".into()),
                },
            ],
            ..Default::default()
        };
        for (i, (units, _)) in rows.iter().enumerate() {
            ledger.tasks.push(Located {
                document: 0,
                item: Task {
                    seq: i as u32 + 1,
                    category: None,
                    text: format!("任务{}", i + 1),
                    deadline: Some("年底前完成".into()),
                    leaders: vec!["甲".into()],
                    units: units.iter().map(|u| u.to_string()).collect(),
                    lead_unit: units.first().map(|u| u.to_string()),
                    joint: false,
                    span: Default::default(),
                },
            });
        }
        let mut evals = crate::tasks::evaluate_tasks(
            &ledger,
            &[],
            Date::parse("2023-06-01").unwrap(),
            &Default::default(),
        );
        for (e, (_, status)) in evals.iter_mut().zip(rows) {
            e.status = *status;
        }
        (ledger, evals)
    }

    fn find<'a>(r: &'a [Ranked], name: &str) -> &'a Ranked {
        r.iter().find(|x| x.card.name == name).unwrap()
    }

    use TaskStatus::{Completed as Done, Overdue as Late};

    #[test]
    fn one_cooperating_task_done_is_listed_not_ranked_first() {
        let (ledger, evals) = table(&[
            (&["市发展改革委", "东丽区人民政府"], Done),
            (&["市发展改革委"], Done),
            (&["市发展改革委"], Late),
            (&["市科技局"], Done),
            (&["市科技局"], Late),
            (&["市科技局"], Late),
        ]);
        let r = rank_units(&ledger, &evals, &Rules::built_in());
        let dongli = find(&r, "东丽区人民政府");
        // Its one task, done: 100 points, but not a year's record.
        assert_eq!(dongli.card.score, Some(100.0));
        assert_eq!(dongli.rank, None);
        assert_eq!(dongli.unranked, Some(Unranked::FewTasks));
        assert_eq!(
            dongli.unranked_reason_zh.as_deref(),
            Some("未排名（任务1项，少于3项）")
        );
        assert_eq!(dongli.peer_group, PeerGroup::District);
        assert_eq!(r[0].card.name, "市发展改革委");
        assert_eq!(r[0].rank, Some(1));
        assert_eq!(find(&r, "市科技局").rank, Some(2));
        // The score says how it was made.
        let b = r[0].basis.as_ref().unwrap();
        assert_eq!((b.points, b.max, b.score), (20.0, 30.0, 66.7));
        assert_eq!(
            b.text_zh,
            "牵头已完成2项×10分＋牵头逾期未完成1项×0分＝20分；满分30分＝10分×（牵头3项＋0.3×配合0项）＋2分×已判定目标0个；得分＝100×20÷30＝66.7"
        );
        assert!(b.text.contains("completed 2 × 10"), "{}", b.text);
    }

    #[test]
    fn fewer_than_min_tasks_are_listed_and_the_rule_is_the_offices() {
        let (ledger, evals) = table(&[
            (&["市教委"], Done),
            (&["市教委"], Done),
            (&["市民政局"], Late),
            (&["市民政局"], Late),
            (&["市民政局", "市教委"], Late),
        ]);
        let r = rank_units(&ledger, &evals, &Rules::built_in());
        // 市教委: two led and one cooperating, 3 tasks: ranked. 市民政局: 3 led.
        assert_eq!(find(&r, "市教委").rank, Some(1));
        assert_eq!(find(&r, "市民政局").rank, Some(2));
        let mut strict = Rules::built_in();
        strict.extend("min_tasks\t4\n").unwrap();
        let r = rank_units(&ledger, &evals, &strict);
        assert!(r.iter().all(|x| x.rank.is_none()), "{r:?}");
        assert!(strict.extend("min_tasks\tmany\n").is_err());
    }

    #[test]
    fn groups_are_shown_never_ranked_and_peers_are_ranked_apart() {
        let (ledger, evals) = table(&[
            (&["市商务局", "相关区人民政府", "各有关单位"], Done),
            (&["市商务局", "按职责分工负责"], Done),
            (&["市商务局"], Late),
            (&["西青区人民政府", "相关区人民政府"], Late),
            (&["西青区人民政府"], Late),
            (&["西青区人民政府"], Late),
            (&["相关区人民政府"], Done),
        ]);
        let mut rules = Rules::built_in();
        // An office's own placeholder.
        rules.extend("group\t牵头单位会同有关单位\n").unwrap();
        assert_eq!(
            rules.units.peer_group("牵头单位会同有关单位"),
            PeerGroup::Group
        );
        let r = rank_units(&ledger, &evals, &rules);
        for g in ["相关区人民政府", "各有关单位", "按职责分工负责"] {
            let x = find(&r, g);
            assert_eq!((x.peer_group, x.rank), (PeerGroup::Group, None), "{g}");
            assert_eq!(
                x.unranked_reason_zh.as_deref(),
                Some("泛指多个单位，不排名")
            );
        }
        // 西青区 scores 0 but is first among the district governments; 市商务局 first among
        // the departments: each ranked among its peers.
        let xq = find(&r, "西青区人民政府");
        assert_eq!((xq.peer_group, xq.rank), (PeerGroup::District, Some(1)));
        let sw = find(&r, "市商务局");
        assert_eq!((sw.peer_group, sw.rank), (PeerGroup::Department, Some(1)));
        // Ranked first, groups last.
        assert_eq!(r.last().unwrap().peer_group, PeerGroup::Group);
        assert_eq!(
            rules.units.peer_group("市发展改革委"),
            PeerGroup::Department
        );
        assert_eq!(
            rules.units.peer_group("滨海新区人民政府"),
            PeerGroup::District
        );
        assert_eq!(rules.units.peer_group("各区人民政府"), PeerGroup::Group);
        // Written flat and read back, every card is the same: ranked and unranked, with their
        // reasons, bases and counts.
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"name\":\"市商务局\",\"led\":"), "{json}");
        let back: Vec<Ranked> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
        assert!(r.iter().any(|x| x.basis.is_some()) && r.iter().any(|x| x.unranked.is_some()));
    }

    #[test]
    fn every_district_counts_the_tasks_of_all_districts() {
        let (ledger, evals) = table(&[
            (&["市发展改革委", "各区人民政府"], Done),
            (&["市发展改革委", "各区人民政府", "西青区人民政府"], Late),
            (&["各区人民政府", "市财政局"], Done),
            (&["市发展改革委", "和平区人民政府"], Done),
        ]);
        let r = rank_units(&ledger, &evals, &Rules::built_in());
        // The districts: 西青区 (a child region of 天津市 and named) and 和平区 (named).
        let all = find(&r, "各区人民政府");
        assert_eq!(all.members, ["和平区人民政府", "西青区人民政府"]);
        assert_eq!(all.rank, None);
        let xq = find(&r, "西青区人民政府");
        // Tasks 1, 2 (named once, not twice) cooperating, task 3 led.
        assert_eq!((xq.card.led, xq.card.cooperating), (1, 2));
        let hp = find(&r, "和平区人民政府");
        assert_eq!((hp.card.led, hp.card.cooperating), (1, 3));
        // 和平区 (10 + 0.3 × 20) / (10 × 1.9) = 84.2 before 西青区 (10 + 0.3 × 10) / 16 = 81.3.
        assert_eq!((hp.card.score, hp.rank), (Some(84.2), Some(1)));
        assert_eq!((xq.card.score, xq.rank), (Some(81.3), Some(2)));
        // Another region's districts are not this table's.
        let districts = Rules::built_in().units.districts(&ledger);
        assert_eq!(districts.len(), 1);
    }
}
