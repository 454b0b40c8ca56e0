//! Paragraphs of other governments' work reports as the web gives them (`tests/corpus/excerpts/`:
//! provinces `prov-*`, cities, districts and counties `city-*`), each a main-targets or a
//! headline-results paragraph copied from a stored public page, with the figures a reader wrote
//! for it before the extractor ran on it (`*.tsv`, the quantity lines of
//! `tests/corpus/gold/README.md`). A paragraph is read in the part it stands in: a document is
//! made of the region's title, the review of the year before and the plan of the year, with the
//! paragraph under its part, so that only the paragraph's own words are judged.
//!
//! Half of them were kept unseen while rules were changed ([`seen`]); their figures are printed
//! apart. `cargo test -p plantrack-extract --test integration excerpts -- --nocapture` prints
//! every miss of the others.

use std::path::{Path, PathBuf};

use plantrack_model::QuantityRole;

use crate::accuracy::{pair, rows};
use crate::corpus::{Tally, key, matches, show_key, show_quantity};

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/excerpts")
}

/// Excerpts whose misses were read while the rules were changed: the odd-numbered ones. The
/// even-numbered were not looked at.
fn seen(name: &str) -> bool {
    name.rsplit('-')
        .next()
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| n % 2 == 1)
}

struct Excerpt {
    name: String,
    region: String,
    year: i32,
    targets: bool,
    paragraph: String,
}

fn excerpts() -> Vec<Excerpt> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(folder())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).unwrap();
            let (head, body) = text
                .split_once("\n\n")
                .unwrap_or_else(|| panic!("{name}: no blank line after the header"));
            let field = |f: &str| {
                head.lines()
                    .find_map(|l| l.strip_prefix(f).and_then(|r| r.strip_prefix('\t')))
                    .unwrap_or_else(|| panic!("{name}: no {f}"))
                    .to_string()
            };
            Excerpt {
                region: field("region"),
                year: field("year").parse().unwrap(),
                targets: field("part") == "targets",
                paragraph: body.trim().to_string(),
                name,
            }
        })
        .collect()
}

#[test]
fn figures_of_other_governments_paragraphs() {
    let (mut seen_all, mut unseen_all) = (Tally::default(), Tally::default());
    for e in excerpts() {
        let (review, plan) = if e.targets {
            ("做好各项工作。", e.paragraph.as_str())
        } else {
            (e.paragraph.as_str(), "做好各项工作。")
        };
        let text = format!(
            "{}{}年政府工作报告\n\n一、{}年工作回顾\n\n{review}\n\n二、{}年工作安排\n\n{plan}\n",
            e.region,
            e.year,
            e.year - 1,
            e.year
        );
        let x = crate::extract_bytes(text.as_bytes(), &e.name);
        let keys: Vec<_> = rows(&folder().join(format!("{}.tsv", e.name)))
            .iter()
            .map(|l| key(l))
            .collect();
        let got = &x.quantities;
        let show = seen(&e.name);
        if show {
            pair(&e.name, &keys, got, matches, show_key, show_quantity);
        }
        let mut used = vec![false; got.len()];
        let mut t = Tally {
            gold: keys.len(),
            got: got.len(),
            ..Tally::default()
        };
        for k in &keys {
            let is_target = k.role == QuantityRole::Target;
            t.gold_targets += usize::from(is_target);
            if let Some(i) = (0..got.len()).find(|&i| !used[i] && matches(k, &got[i])) {
                used[i] = true;
                t.right += 1;
                t.right_targets += usize::from(is_target);
            }
        }
        t.got_targets = got
            .iter()
            .filter(|q| q.role == QuantityRole::Target)
            .count();
        println!("{}", t.show(&e.name));
        if show {
            seen_all.add(&t);
        } else {
            unseen_all.add(&t);
        }
    }
    println!("{}", seen_all.show("EXCERPTS, odd (looked at)"));
    println!("{}", unseen_all.show("EXCERPTS, even (UNSEEN)"));
    // Floors on the half looked at: the main targets at the aim, every figure just under
    // what it reached (0.964 / 0.976), so that a change losing ground fails. The unseen half is
    // reported, never asserted.
    let (p, r, pt, rt) = seen_all.figures();
    assert!(pt >= 0.95 && rt >= 0.95, "{}", seen_all.show("targets"));
    assert!(p >= 0.95 && r >= 0.95, "{}", seen_all.show("all"));
}
