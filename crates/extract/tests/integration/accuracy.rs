//! Precision and recall of quantities against the gold annotations in `tests/gold/`.

use std::path::Path;

use plantrack_model::{Quantity, QuantityRole};

struct Gold {
    role: QuantityRole,
    year: Option<i32>,
    region: Option<String>,
    metric: String,
    value: f64,
    unit: String,
}

fn gold(prefix: &str) -> Vec<Gold> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gold");
    let stem = crate::sample_path(prefix)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    std::fs::read_to_string(dir.join(format!("{stem}.tsv")))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Gold {
                role: if f[0] == "actual" {
                    QuantityRole::Actual
                } else {
                    QuantityRole::Target
                },
                year: f[1].parse().ok(),
                region: (f[2] != "None").then(|| f[2].to_string()),
                metric: f[3].to_string(),
                value: f[4].parse().unwrap(),
                unit: f[5].to_string(),
            }
        })
        .collect()
}

fn same_metric(a: &str, b: &str) -> bool {
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
        && same_metric(&g.metric, &q.metric)
}

/// (precision, recall) of the extraction of one sample, printed with the misses.
fn score(prefix: &str) -> (f64, f64) {
    let gold = gold(prefix);
    let got = crate::extract_sample(prefix).quantities;
    let mut used = vec![false; got.len()];
    let mut found = 0;
    for g in &gold {
        match (0..got.len()).find(|&i| !used[i] && matches(g, &got[i])) {
            Some(i) => {
                used[i] = true;
                found += 1;
            }
            None => println!(
                "{prefix} missed: {} {:?} {} {} {}",
                g.metric,
                g.year,
                g.value,
                g.unit,
                g.role == QuantityRole::Actual
            ),
        }
    }
    for (q, u) in got.iter().zip(&used) {
        if !u {
            println!(
                "{prefix} extra:  {} {:?} {} {:?}",
                q.metric, q.year, q.value, q.unit
            );
        }
    }
    let precision = found as f64 / got.len().max(1) as f64;
    let recall = found as f64 / gold.len().max(1) as f64;
    println!(
        "{prefix}: {} gold, {} extracted, {found} right — precision {precision:.3}, recall {recall:.3}",
        gold.len(),
        got.len()
    );
    (precision, recall)
}

#[test]
fn quantities_precision_and_recall_on_gold() {
    let mut failed = Vec::new();
    for prefix in ["000", "001", "002"] {
        let (p, r) = score(prefix);
        if p < 0.95 || r < 0.95 {
            failed.push(format!("{prefix}: precision {p:.3}, recall {r:.3}"));
        }
    }
    assert!(failed.is_empty(), "below 0.95: {failed:?}");
}
