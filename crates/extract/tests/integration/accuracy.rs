//! Precision and recall of quantities and milestones against hand-written gold annotations:
//! `tests/gold/` for the samples, `tests/heldout/` for documents written in the genre of other
//! governments (another city, a county in GBK with CRLF, web-page noise and hard-wrapped lines,
//! a province's annual plan report) that the rules were not written from.

use std::path::{Path, PathBuf};

use plantrack_model::{
    Aggregation, Extraction, Milestone, MilestoneStatus, Quantity, QuantityRole,
};

pub(crate) fn rows(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

fn role(field: &str) -> QuantityRole {
    if field == "actual" {
        QuantityRole::Actual
    } else {
        QuantityRole::Target
    }
}

struct Gold {
    role: QuantityRole,
    year: Option<i32>,
    region: Option<String>,
    metric: String,
    value: f64,
    unit: String,
    /// Checked when the gold line gives it: `five_year_average`, `five_year_cumulative`, `-`.
    aggregation: Option<Option<Aggregation>>,
}

fn gold(path: &Path) -> Vec<Gold> {
    rows(path)
        .into_iter()
        .map(|f| Gold {
            role: role(&f[0]),
            year: f[1].parse().ok(),
            region: (f[2] != "None").then(|| f[2].clone()),
            metric: f[3].clone(),
            value: f[4].parse().unwrap(),
            unit: f[5].clone(),
            aggregation: f.get(6).map(|a| match a.as_str() {
                "five_year_average" => Some(Aggregation::FiveYearAverage),
                "five_year_cumulative" => Some(Aggregation::FiveYearCumulative),
                _ => None,
            }),
        })
        .collect()
}

pub(crate) fn same_text(a: &str, b: &str) -> bool {
    let clean = |s: &str| s.replace([' ', '“', '”'], "");
    let (a, b) = (clean(a), clean(b));
    !a.is_empty() && !b.is_empty() && (a.contains(&b) || b.contains(&a))
}

fn matches(g: &Gold, q: &Quantity) -> bool {
    g.role == q.role
        && g.year == q.year
        && g.region == q.region
        && (g.value - q.value).abs() < 1e-9
        && Some(g.unit.as_str()) == q.unit.as_deref()
        && same_text(&g.metric, &q.metric)
        && g.aggregation.is_none_or(|a| a == q.aggregation)
}

struct GoldMilestone {
    role: QuantityRole,
    year: Option<i32>,
    subject: String,
    event: String,
    status: Option<MilestoneStatus>,
    due: Option<String>,
}

fn gold_milestones(path: &Path) -> Vec<GoldMilestone> {
    rows(path)
        .into_iter()
        .map(|f| GoldMilestone {
            role: role(&f[0]),
            year: f[1].parse().ok(),
            subject: f[2].clone(),
            event: f[3].clone(),
            status: match f[4].as_str() {
                "done" => Some(MilestoneStatus::Done),
                "in_progress" => Some(MilestoneStatus::InProgress),
                _ => None,
            },
            due: (f[5] != "-").then(|| f[5].clone()),
        })
        .collect()
}

fn matches_milestone(g: &GoldMilestone, m: &Milestone) -> bool {
    g.role == m.role
        && g.year == m.year
        && same_text(&g.subject, &m.subject)
        && same_text(&g.event, &m.event)
        && g.status == m.status
        && match (&g.due, &m.due) {
            (Some(a), Some(b)) => same_text(a, b),
            (None, None) => true,
            _ => false,
        }
}

/// Pairs gold lines with extracted items one to one; prints the misses and the extras and
/// returns (precision, recall).
pub(crate) fn pair<G, T>(
    name: &str,
    gold: &[G],
    got: &[T],
    same: impl Fn(&G, &T) -> bool,
    show_gold: impl Fn(&G) -> String,
    show_got: impl Fn(&T) -> String,
) -> (f64, f64) {
    let mut used = vec![false; got.len()];
    let mut found = 0;
    for g in gold {
        match (0..got.len()).find(|&i| !used[i] && same(g, &got[i])) {
            Some(i) => {
                used[i] = true;
                found += 1;
            }
            None => println!("{name} missed: {}", show_gold(g)),
        }
    }
    for (t, u) in got.iter().zip(&used) {
        if !u {
            println!("{name} extra:  {}", show_got(t));
        }
    }
    let precision = found as f64 / got.len().max(1) as f64;
    let recall = found as f64 / gold.len().max(1) as f64;
    println!(
        "{name}: {} gold, {} extracted, {found} right — precision {precision:.3}, recall {recall:.3}",
        gold.len(),
        got.len()
    );
    (precision, recall)
}

fn score_quantities(name: &str, gold_path: &Path, got: &Extraction) -> (f64, f64) {
    pair(
        name,
        &gold(gold_path),
        &got.quantities,
        matches,
        |g| {
            format!(
                "{:?} {:?} {:?} {} {} {}",
                g.role, g.year, g.region, g.metric, g.value, g.unit
            )
        },
        |q| {
            format!(
                "{:?} {:?} {:?} {} {} {:?}",
                q.role, q.year, q.region, q.metric, q.value, q.unit
            )
        },
    )
}

fn score_milestones(name: &str, gold_path: &Path, got: &Extraction) -> (f64, f64) {
    pair(
        name,
        &gold_milestones(gold_path),
        &got.milestones,
        matches_milestone,
        |g| {
            format!(
                "{:?} {:?} {} {} {:?} {:?}",
                g.role, g.year, g.subject, g.event, g.status, g.due
            )
        },
        |m| {
            format!(
                "{:?} {:?} {} {} {:?} {:?}",
                m.role, m.year, m.subject, m.event, m.status, m.due
            )
        },
    )
}

fn check(scores: Vec<(String, (f64, f64))>, bar: f64) {
    let failed: Vec<String> = scores
        .iter()
        .filter(|(_, (p, r))| *p < bar || *r < bar)
        .map(|(n, (p, r))| format!("{n}: precision {p:.3}, recall {r:.3}"))
        .collect();
    assert!(failed.is_empty(), "below {bar}: {failed:?}");
}

#[test]
fn quantities_precision_and_recall_on_gold() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gold");
    let scores = ["000", "001", "002"]
        .iter()
        .map(|prefix| {
            let path = crate::sample_path(prefix);
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let got = crate::extract_sample(prefix);
            let gold = dir.join(format!("{stem}.tsv"));
            (prefix.to_string(), score_quantities(prefix, &gold, &got))
        })
        .collect();
    check(scores, 0.95);
}

fn heldout() -> Vec<(String, PathBuf, Extraction)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/heldout");
    let mut texts: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    texts.sort();
    texts
        .into_iter()
        .map(|path| {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let got = crate::extract_bytes(&std::fs::read(&path).unwrap(), &name);
            (name, path, got)
        })
        .collect()
}

/// The bar for documents the rules were not written from.
const HELDOUT_BAR: f64 = 0.9;

#[test]
fn quantities_precision_and_recall_on_heldout_documents() {
    let docs = heldout();
    assert!(docs.len() >= 3);
    let scores = docs
        .iter()
        .map(|(name, path, got)| {
            let gold = path.with_extension("tsv");
            (name.clone(), score_quantities(name, &gold, got))
        })
        .collect();
    check(scores, HELDOUT_BAR);
}

#[test]
fn milestones_precision_and_recall_on_heldout_documents() {
    let scores = heldout()
        .iter()
        .map(|(name, path, got)| {
            let gold = path.with_extension("milestones.tsv");
            (name.clone(), score_milestones(name, &gold, got))
        })
        .collect();
    check(scores, HELDOUT_BAR);
}
