//! Statistical bulletins (`tests/bulletins/`): a real one (the national bulletin of 2022,
//! abridged) and one written for the test in their form, each with an answer key written by
//! reading it before the extractor ran on it (`tests/bulletins/README.md` gives the form). Every
//! figure of a bulletin must be a result of the year it reports on; the traps (a figure of the
//! year before, a plan inside the bulletin, a target restated, names and footnote marks) must give
//! nothing.
//!
//! `cargo test -p plantrack-extract --test integration bulletins -- --nocapture` prints the
//! figures and every miss.

use std::path::{Path, PathBuf};

use plantrack_model::{DocumentKind, QuantityRole};

use crate::accuracy::{rows, same_text};

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bulletins")
}

/// A figure the key lists: `actual YEAR REGION METRIC VALUE UNIT`.
struct Figure {
    role: QuantityRole,
    year: i32,
    region: String,
    metric: String,
    value: f64,
    unit: String,
}

#[test]
fn bulletins_give_results_of_their_year_and_nothing_of_their_traps() {
    let mut names: Vec<PathBuf> = std::fs::read_dir(folder())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    names.sort();
    assert!(names.len() >= 2);
    let (mut all_gold, mut all_got, mut all_right, mut traps) = (0, 0, 0, 0);
    for key_path in names {
        let name = key_path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = folder().join(format!("{name}.txt"));
        let got = crate::extract_bytes(&std::fs::read(&text).unwrap(), &name);
        let key = rows(&key_path);
        let meta = |field: &str| {
            key.iter()
                .find(|l| l[0] == "meta" && l[1] == field)
                .map(|l| l[2].clone())
                .unwrap()
        };
        let d = &got.document;
        assert_eq!(d.title.as_deref(), Some(meta("title").as_str()), "{name}");
        assert_eq!(d.kind, DocumentKind::StatisticalBulletin, "{name}");
        assert_eq!(d.kind.as_str(), meta("kind"), "{name}");
        assert_eq!(d.region.as_deref(), Some(meta("region").as_str()), "{name}");
        let year: i32 = meta("year").parse().unwrap();
        assert_eq!(d.year, Some(year), "{name}");
        // Every figure and event is a result of the bulletin's year.
        let mut elsewhere = 0;
        for q in &got.quantities {
            if (q.role, q.year) != (QuantityRole::Actual, Some(year)) {
                println!(
                    "{name} NOT A RESULT OF {year}: {:?} {:?} {} {} « {} »",
                    q.role, q.year, q.metric, q.value, q.text
                );
                elsewhere += 1;
            }
        }
        for m in &got.milestones {
            if (m.role, m.year) != (QuantityRole::Actual, Some(year)) {
                println!(
                    "{name} NOT A RESULT OF {year}: {} {} « {} »",
                    m.subject, m.event, m.text
                );
                elsewhere += 1;
            }
        }
        assert_eq!(
            elsewhere, 0,
            "{name}: figures or events that are no results of {year}"
        );
        // The traps.
        for l in key.iter().filter(|l| l[0] == "none") {
            let value: f64 = l[1].parse().unwrap();
            let hit = got.quantities.iter().find(|q| {
                (q.value - value).abs() < 1e-9
                    && (l[2] == "-" || q.unit.as_deref() == Some(l[2].as_str()))
                    && q.text.contains(l[3].as_str())
            });
            if let Some(q) = hit {
                println!(
                    "{name} TRAP {} {} ({}) gave {} {} {:?} « {} »",
                    l[1], l[2], l[3], q.metric, q.value, q.unit, q.text
                );
                traps += 1;
            }
        }
        let gold: Vec<Figure> = key
            .iter()
            .filter(|l| l[0] == "actual" || l[0] == "target")
            .map(|l| Figure {
                role: if l[0] == "actual" {
                    QuantityRole::Actual
                } else {
                    QuantityRole::Target
                },
                year: l[1].parse().unwrap(),
                region: l[2].clone(),
                metric: l[3].clone(),
                value: l[4].parse().unwrap(),
                unit: l[5].clone(),
            })
            .collect();
        let fits = |g: &Figure, q: &plantrack_model::Quantity| {
            g.role == q.role
                && Some(g.year) == q.year
                && Some(g.region.as_str()) == q.region.as_deref()
                && (g.value - q.value).abs() < 1e-9
                && Some(g.unit.as_str()) == q.unit.as_deref()
                && same_text(&g.metric, &q.metric)
        };
        let mut taken = vec![false; got.quantities.len()];
        let mut right = 0;
        for g in &gold {
            match (0..got.quantities.len()).find(|&i| !taken[i] && fits(g, &got.quantities[i])) {
                Some(i) => {
                    taken[i] = true;
                    right += 1;
                }
                None => println!("{name} missed: {} {} {}", g.metric, g.value, g.unit),
            }
        }
        for (i, q) in got.quantities.iter().enumerate() {
            if !taken[i] {
                println!(
                    "{name} extra:  {} {} {:?} {:?}  « {} »",
                    q.metric,
                    q.value,
                    q.unit,
                    q.measure,
                    q.text.chars().take(40).collect::<String>()
                );
            }
        }
        let (p, r) = (
            right as f64 / got.quantities.len().max(1) as f64,
            right as f64 / gold.len().max(1) as f64,
        );
        println!(
            "{name}: {} gold, {} extracted, {right} right — precision {p:.3}, recall {r:.3}",
            gold.len(),
            got.quantities.len()
        );
        all_gold += gold.len();
        all_got += got.quantities.len();
        all_right += right;
    }
    let (p, r) = (
        all_right as f64 / all_got.max(1) as f64,
        all_right as f64 / all_gold.max(1) as f64,
    );
    println!("bulletins: {all_right}/{all_gold} gold, {all_got} extracted: P {p:.3} R {r:.3}");
    assert_eq!(traps, 0, "traps that gave a figure");
    assert!(p >= 0.85 && r >= 0.85, "bulletins: P {p:.3} R {r:.3}");
}
