//! Extraction on real documents of other governments (`tests/corpus/`: the State Council's work
//! reports, clean and as scraped GBK web pages, and a district's in GBK with CRLF), scored against
//! answer keys written by reading the documents before the extractor ran on them
//! (`tests/corpus/gold/`, whose README gives the form and how they were made).
//!
//! Some documents were kept unseen while the rules were changed ([`UNSEEN`]); their figures are
//! printed apart, as the honest measure for documents nobody has tuned the rules to.
//!
//! Run with `cargo test -p plantrack-extract --test integration corpus -- --nocapture` for the
//! per-document figures and every miss.

use std::path::{Path, PathBuf};

use plantrack_model::{
    Aggregation, DocumentKind, Extraction, PartRole, Qualifier, Quantity, QuantityRole,
};

use crate::accuracy::{pair, rows, same_text};

/// Answer keys of documents whose extraction was not looked at while the rules were changed.
const UNSEEN: &[&str] = &[
    "national-1999",
    "national-2002",
    "national-2024",
    "national-web-2002",
    "hailar-2013",
    "hailar-2018",
    "hailar-2019",
];

/// Of [`UNSEEN`], the documents added on 2026-12-07 (海拉尔区 2012–2019), whose figures are
/// printed apart again: nobody has read the extractor's output on them.
const FRESH: &[&str] = &["hailar-2013", "hailar-2018", "hailar-2019"];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

struct Doc {
    /// `national-2023`.
    name: String,
    text: String,
    got: Extraction,
    /// The answer key's lines, split at tabs.
    key: Vec<Vec<String>>,
    /// The quantity lines: the key's own, or for a web copy those of the clean copy.
    quantities: Vec<Vec<String>>,
}

impl Doc {
    fn unseen(&self) -> bool {
        UNSEEN.contains(&self.name.as_str())
    }

    fn fresh(&self) -> bool {
        FRESH.contains(&self.name.as_str())
    }

    fn field(&self, kind: &str, name: &str) -> Option<&str> {
        self.key
            .iter()
            .find(|l| l[0] == kind && l.get(1).is_some_and(|n| n == name))
            .and_then(|l| l.get(2))
            .map(String::as_str)
    }

    fn lines<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Vec<String>> + 'a {
        self.key.iter().filter(move |l| l[0] == kind)
    }
}

fn docs() -> Vec<Doc> {
    let gold = corpus().join("gold");
    let mut keys: Vec<PathBuf> = std::fs::read_dir(&gold)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    keys.sort();
    keys.into_iter()
        .map(|key_path| {
            let name = key_path.file_stem().unwrap().to_string_lossy().into_owned();
            let (folder, year) = name.rsplit_once('-').unwrap();
            let file = corpus().join(folder).join(format!("{year}.txt"));
            let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let source = plantrack_read::read(&bytes, Some(&name)).unwrap();
            let got = crate::extract_bytes(&bytes, &name);
            let key = rows(&key_path);
            let quantities = if folder == "national-web" {
                rows(&gold.join(format!("national-{year}.tsv")))
            } else {
                key.clone()
            }
            .into_iter()
            .filter(|l| l[0] == "target" || l[0] == "actual")
            .collect();
            Doc {
                name,
                text: source.text,
                got,
                key,
                quantities,
            }
        })
        .collect()
}

fn kind_name(k: DocumentKind) -> String {
    serde_json::to_value(k)
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn metadata_of_every_corpus_file_without_hints() {
    let mut wrong = Vec::new();
    for d in docs() {
        let m = &d.got.document;
        let mut check = |what: &str, want: Option<&str>, got: Option<String>| {
            if let Some(w) = want
                && w != "-"
                && Some(w) != got.as_deref()
            {
                wrong.push(format!("{}: {what} {got:?}, want {w}", d.name));
            }
        };
        check("kind", d.field("meta", "kind"), Some(kind_name(m.kind)));
        check("region", d.field("meta", "region"), m.region.clone());
        check(
            "year",
            d.field("meta", "year"),
            m.year.map(|y| y.to_string()),
        );
        check("title", d.field("meta", "title"), m.title.clone());
    }
    for w in &wrong {
        println!("{w}");
    }
    assert!(wrong.is_empty(), "{} metadata fields wrong", wrong.len());
}

fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .map(fold_digit)
        .collect()
}

fn fold_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap(),
        c => c,
    }
}

/// Every top-level part of the key is a top-level section with its role and year.
#[test]
fn review_and_plan_parts_of_every_corpus_file() {
    let mut missing = Vec::new();
    let (mut found, mut total) = (0, 0);
    for d in docs() {
        for l in d.lines("part") {
            total += 1;
            let role = if l[1] == "review" {
                PartRole::Review
            } else {
                PartRole::Plan
            };
            let year: Option<i32> = l[2].parse().ok();
            let heading = squeeze(&l[3]);
            let ok = d.got.sections.iter().any(|s| {
                let text = squeeze(&format!("{}{}", s.marker, s.title));
                !text.is_empty()
                    && (heading.starts_with(&text) || text.starts_with(&heading))
                    && s.part.is_some_and(|p| p.role == role && p.year == year)
            });
            if ok {
                found += 1;
            } else {
                missing.push(format!("{}: {} {:?} {}", d.name, l[1], year, l[3]));
            }
        }
        // Every file has its review and its plan.
        for role in [PartRole::Review, PartRole::Plan] {
            if !d
                .got
                .sections
                .iter()
                .any(|s| s.part.is_some_and(|p| p.role == role))
            {
                missing.push(format!("{}: no {role:?} part at all", d.name));
            }
        }
    }
    for m in &missing {
        println!("missed part: {m}");
    }
    println!("parts: {found}/{total}");
    assert!(
        missing.iter().all(|m| !m.contains("at all")),
        "a file without its review or plan part"
    );
    assert!(found as f64 / total as f64 >= 0.9, "parts {found}/{total}");
}

/// The byte ranges of the paragraphs a key marks: the line that opens with the given words and
/// the lines after it up to a blank line.
fn marked(d: &Doc, which: &str) -> Vec<(usize, usize)> {
    let blank = |l: &str| squeeze(&l.replace("<U+00A0>", "").replace("&nbsp;", "")).is_empty();
    let mut out = Vec::new();
    for l in d.lines("paragraph").filter(|l| l[1] == which) {
        let want = squeeze(&l[2]);
        let before = out.len();
        let mut at = 0;
        let mut start = None;
        for line in d.text.split_inclusive('\n') {
            let here = at;
            at += line.len();
            if let Some(s) = start {
                // A paragraph runs on over unindented lines (a bold lead sentence and its body).
                if blank(line) || line.starts_with(['\u{3000}', ' ', '\t']) {
                    out.push((s, here));
                    start = None;
                    break;
                }
                continue;
            }
            if squeeze(&line.replace("<U+00A0>", "")).starts_with(&want) {
                start = Some(here);
            }
        }
        if let Some(s) = start {
            out.push((s, at));
        }
        if out.len() == before {
            panic!("{}: no paragraph opens with {}", d.name, l[2]);
        }
    }
    out
}

pub(crate) struct Key {
    pub(crate) role: QuantityRole,
    pub(crate) year: Option<i32>,
    pub(crate) metric: String,
    pub(crate) value: f64,
    pub(crate) unit: String,
    pub(crate) qualifier: Option<Qualifier>,
    pub(crate) upper: Option<f64>,
    pub(crate) aggregation: Option<Aggregation>,
}

pub(crate) fn key(l: &[String]) -> Key {
    let (qualifier, upper) = match l[6].as_str() {
        "about" => (Some(Qualifier::About), None),
        "at_least" => (Some(Qualifier::AtLeast), None),
        "more_than" => (Some(Qualifier::MoreThan), None),
        "at_most" => (Some(Qualifier::AtMost), None),
        r if r.starts_with("range:") => (Some(Qualifier::Range), r[6..].parse().ok()),
        _ => (None, None),
    };
    Key {
        role: if l[0] == "actual" {
            QuantityRole::Actual
        } else {
            QuantityRole::Target
        },
        year: l[1].parse().ok(),
        metric: l[2].clone(),
        value: l[3].parse().unwrap_or(f64::NAN),
        unit: l[4].clone(),
        qualifier,
        upper,
        aggregation: match l.get(7).map(String::as_str) {
            Some("five_year_average") => Some(Aggregation::FiveYearAverage),
            Some("five_year_cumulative") => Some(Aggregation::FiveYearCumulative),
            _ => None,
        },
    }
}

/// A key line as the misses print it.
pub(crate) fn show_key(k: &Key) -> String {
    format!(
        "{:?} {:?} {} {} {} {:?} {:?}",
        k.role, k.year, k.metric, k.value, k.unit, k.qualifier, k.aggregation
    )
}

/// An extracted quantity as the extras print it, with the head of its sentence.
pub(crate) fn show_quantity(q: &Quantity) -> String {
    format!(
        "{:?} {:?} {} {} {:?} {:?} {:?}   « {} »",
        q.role,
        q.year,
        q.metric,
        q.value,
        q.unit,
        q.qualifier,
        q.aggregation,
        q.text.chars().take(40).collect::<String>()
    )
}

/// Names of the headline metric that reports write in several ways.
const SAME_METRIC: &[&[&str]] = &[&["国内生产总值", "国民生产总值", "经济增长", "经济"]];

fn same_metric(a: &str, b: &str) -> bool {
    same_text(a, b)
        || SAME_METRIC
            .iter()
            .any(|names| names.iter().any(|n| a.contains(n)) && names.iter().any(|n| b.contains(n)))
}

pub(crate) fn matches(k: &Key, q: &Quantity) -> bool {
    k.role == q.role
        && k.year == q.year
        && (k.value - q.value).abs() < 1e-9
        && Some(k.unit.as_str()) == q.unit.as_deref()
        && same_metric(&k.metric, &q.metric)
        && k.qualifier == q.qualifier
        && (k.upper.is_none() || k.upper == q.upper)
        && k.aggregation == q.aggregation
}

#[derive(Default)]
pub(crate) struct Tally {
    pub(crate) gold: usize,
    pub(crate) got: usize,
    pub(crate) right: usize,
    pub(crate) gold_targets: usize,
    pub(crate) got_targets: usize,
    pub(crate) right_targets: usize,
}

impl Tally {
    pub(crate) fn add(&mut self, o: &Tally) {
        self.gold += o.gold;
        self.got += o.got;
        self.right += o.right;
        self.gold_targets += o.gold_targets;
        self.got_targets += o.got_targets;
        self.right_targets += o.right_targets;
    }

    pub(crate) fn figures(&self) -> (f64, f64, f64, f64) {
        let r = |a: usize, b: usize| a as f64 / b.max(1) as f64;
        (
            r(self.right, self.got),
            r(self.right, self.gold),
            r(self.right_targets, self.got_targets),
            r(self.right_targets, self.gold_targets),
        )
    }

    pub(crate) fn show(&self, name: &str) -> String {
        let (p, r, pt, rt) = self.figures();
        format!(
            "{name}: all {}/{} gold, {} extracted: P {p:.3} R {r:.3}; targets {}/{} gold, {} extracted: P {pt:.3} R {rt:.3}",
            self.right,
            self.gold,
            self.got,
            self.right_targets,
            self.gold_targets,
            self.got_targets
        )
    }
}

fn score(d: &Doc) -> Tally {
    let targets = marked(d, "targets");
    let results = marked(d, "results");
    let inside = |q: &Quantity, ranges: &[(usize, usize)]| {
        ranges
            .iter()
            .any(|&(s, e)| s <= q.span.start && q.span.start < e)
    };
    let got: Vec<&Quantity> = d
        .got
        .quantities
        .iter()
        .filter(|q| inside(q, &targets) || inside(q, &results))
        .collect();
    let keys: Vec<Key> = d.quantities.iter().map(|l| key(l)).collect();
    pair(
        &d.name,
        &keys,
        &got,
        |k, q| matches(k, q),
        show_key,
        |q| show_quantity(q),
    );
    // The pairing again, to count targets: a key line is matched by at most one quantity.
    let mut used = vec![false; got.len()];
    let mut t = Tally {
        gold: keys.len(),
        got: got.len(),
        ..Tally::default()
    };
    let mut matched_actual = vec![false; got.len()];
    for k in &keys {
        if let Some(i) = (0..got.len()).find(|&i| !used[i] && matches(k, got[i])) {
            used[i] = true;
            t.right += 1;
            if k.role == QuantityRole::Target {
                t.right_targets += 1;
            } else {
                matched_actual[i] = true;
            }
        }
        if k.role == QuantityRole::Target {
            t.gold_targets += 1;
        }
    }
    // Extracted targets, and whatever else the targets paragraphs gave that is no result of the key.
    t.got_targets = got
        .iter()
        .enumerate()
        .filter(|(i, q)| {
            !matched_actual[*i] && (q.role == QuantityRole::Target || inside(q, &targets))
        })
        .count();
    t
}

#[test]
fn quantities_of_the_main_target_and_result_paragraphs() {
    let (mut seen, mut unseen, mut fresh) = (Tally::default(), Tally::default(), Tally::default());
    let mut lines = Vec::new();
    for d in docs().iter().filter(|d| !d.quantities.is_empty()) {
        let t = score(d);
        lines.push(t.show(&d.name));
        if d.unseen() {
            unseen.add(&t);
        } else {
            seen.add(&t);
        }
        if d.fresh() {
            fresh.add(&t);
        }
    }
    for l in &lines {
        println!("{l}");
    }
    println!("{}", seen.show("DEVELOPMENT"));
    println!("{}", unseen.show("UNSEEN"));
    println!("{}", fresh.show("UNSEEN, added 2026-12-07"));
    // Floors: the targets at the aim (0.988 / 1.000 when set), everything read from the
    // two paragraphs just under the figures reached (0.758 / 0.712), so that a change that loses
    // ground fails. The unseen documents are reported, never asserted: they are not tuned on.
    let (p, r, pt, rt) = seen.figures();
    assert!(pt >= 0.95 && rt >= 0.95, "targets P {pt:.3} R {rt:.3}");
    assert!(p >= 0.74 && r >= 0.70, "all P {p:.3} R {r:.3}");
}

/// A web page holding its report several times over is read once, and says so.
#[test]
fn a_repeated_text_is_read_once() {
    let docs = docs();
    for d in docs.iter().filter(|d| d.name.starts_with("national-web")) {
        let copies: usize = d
            .lines("copies")
            .next()
            .and_then(|l| l[1].parse().ok())
            .unwrap_or(1);
        let clean = docs
            .iter()
            .find(|c| c.name == d.name.replace("national-web", "national"))
            .unwrap();
        let (n, m) = (d.got.quantities.len(), clean.got.quantities.len());
        println!(
            "{}: {copies} copies, {n} quantities (clean copy {m})",
            d.name
        );
        assert!(
            n as f64 <= m as f64 * 1.25 + 10.0,
            "{}: {n} quantities against {m} in the clean copy",
            d.name
        );
        if copies > 1 {
            assert!(
                d.got
                    .diagnostics
                    .iter()
                    .any(|x| x.message.contains("repeat")),
                "{}: no diagnostic for the repeated text",
                d.name
            );
        }
    }
}

/// A report whose line breaks were lost (one line of 50,000 characters) reads as the report does.
#[test]
fn a_report_on_one_line_reads_as_with_its_lines() {
    for name in ["national-2023", "national-2019"] {
        let (folder, year) = name.rsplit_once('-').unwrap();
        let path = corpus().join(folder).join(format!("{year}.txt"));
        let text = std::fs::read_to_string(&path).unwrap();
        let one_line: String = text.lines().map(str::trim).collect();
        let lined = crate::extract_bytes(text.as_bytes(), name);
        let flat = crate::extract_bytes(one_line.as_bytes(), name);
        let figures = |x: &Extraction| {
            let mut v: Vec<String> = x
                .quantities
                .iter()
                .map(|q| format!("{:?} {:?} {} {:?}", q.role, q.year, q.value, q.unit))
                .collect();
            v.sort();
            v
        };
        let (a, b) = (figures(&lined), figures(&flat));
        let common = a.iter().filter(|f| b.contains(f)).count();
        println!(
            "{name}: {} quantities with lines, {} on one line, {common} the same",
            a.len(),
            b.len()
        );
        assert!(
            common as f64 >= 0.95 * a.len() as f64,
            "{name}: {common}/{}",
            a.len()
        );
        assert!(b.len() as f64 <= 1.05 * a.len() as f64);
        assert_eq!(lined.document.year, flat.document.year);
        assert_eq!(lined.document.region, flat.document.region);
        for role in [PartRole::Review, PartRole::Plan] {
            assert!(
                flat.sections
                    .iter()
                    .any(|s| s.part.is_some_and(|p| p.role == role)),
                "{name}: {role:?}"
            );
        }
        // Every span still points at its number.
        for q in &flat.quantities {
            let at = &one_line[q.span.start..q.span.end];
            assert!(at.chars().any(|c| c.is_ascii_digit() || "零〇一二两三四五六七八九十百千万亿".contains(c)), "{at}");
        }
    }
}
