//! The sentence cases kept as data: `tests/sentences/*.tsv`, one sentence a line, with what it
//! must give. Adding a case (or the trap a rule must not fall into) is adding a line; every file
//! of the folder is run by `sentence_cases_of_the_data_files`.
//!
//! A line is `part<TAB>year<TAB>sentence<TAB>expected`: the file's name says what is expected
//! (`quantities*.tsv` or `milestones*.tsv`), `part` is `target` or `result` (the part of a work
//! report of 天津市 the sentence is read in) or `bulletin` (a statistical bulletin of 天津市)
//! and `year` that part's (or bulletin's) year. `expected` is `-`
//! for nothing, or the items in order separated by ` ; `, the last one `...` when more may follow.
//! An item is fields separated by `|`: first the positional ones (a quantity's metric, value and
//! unit; a milestone's subject, event and due date), `*` for any and `-` for none; then checks of
//! any field by its JSON name: `key=v`, `key!=v`, `key^=v` (starts with), `key!^=v`, `key*=v`
//! (contains). Lines starting with `#` are comments.

use std::path::{Path, PathBuf};

use plantrack_model::{Milestone, Quantity, QuantityRole, Span};
use serde_json::Value;

use super::sentence::read_sentence;
use super::{Context, Place};
use crate::lexicon::Lexicon;

#[derive(Clone, Copy, PartialEq)]
enum Expect {
    Quantities,
    Milestones,
}

fn read(
    sentence: &str,
    role: QuantityRole,
    year: i32,
    bulletin: bool,
    expect: Expect,
) -> Vec<Value> {
    let lex = Lexicon::built_in();
    // A bulletin's year is the year it reports on; a work report's the year after its review.
    let (kind, document_year) = if bulletin {
        (plantrack_model::DocumentKind::StatisticalBulletin, year)
    } else {
        (
            plantrack_model::DocumentKind::WorkReport,
            year + i32::from(role == QuantityRole::Actual),
        )
    };
    let ctx = Context::new(lex, kind, Some(document_year), None, Some("天津市"), &[]);
    let place = Place {
        role,
        year: Some(year),
        region: Some("天津市".into()),
        five_years: false,
        five_year_review: false,
    };
    let span_of = |a: usize, b: usize| Span::new(a, b);
    let (mut quantities, mut milestones): (Vec<Quantity>, Vec<Milestone>) =
        (Vec::new(), Vec::new());
    // As the extractor reads a sentence, both readings on whatever the scan would have flagged.
    let scanned = super::scan(lex, sentence);
    let events: Vec<u32> = scanned
        .sentences
        .iter()
        .flat_map(|s| scanned.events(s).iter().map(|&e| e + s.start as u32))
        .collect();
    read_sentence(
        sentence,
        true,
        &events,
        &place,
        &ctx,
        &span_of,
        &mut quantities,
        &mut milestones,
    );
    match expect {
        Expect::Quantities => quantities
            .iter()
            .map(|q| serde_json::to_value(q).unwrap())
            .collect(),
        Expect::Milestones => milestones
            .iter()
            .map(|m| serde_json::to_value(m).unwrap())
            .collect(),
    }
}

fn text_of(v: Option<&Value>) -> Option<String> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(v) => Some(v.to_string()),
    }
}

fn same(got: Option<&Value>, want: &str) -> bool {
    if want == "-" || want == "null" {
        return text_of(got).is_none();
    }
    match got {
        Some(Value::Number(n)) => want
            .parse::<f64>()
            .is_ok_and(|w| (n.as_f64().unwrap_or(f64::NAN) - w).abs() <= 1e-9 * w.abs().max(1.0)),
        other => text_of(other).as_deref() == Some(want),
    }
}

/// Why `got` is not the item `spec`, or None when it is.
fn mismatch(spec: &str, got: &Value, expect: Expect) -> Option<String> {
    let positional: &[&str] = match expect {
        Expect::Quantities => &["metric", "value", "unit"],
        Expect::Milestones => &["subject", "event", "due"],
    };
    let mut at = 0;
    for field in spec.split('|') {
        let check = ["!^=", "^=", "*=", "!=", "="]
            .iter()
            .find_map(|op| field.split_once(op).map(|(k, v)| (k, *op, v)));
        let (key, op, want) = match check {
            Some(c) => c,
            None => {
                let Some(key) = positional.get(at) else {
                    return Some(format!("too many fields in `{spec}`"));
                };
                at += 1;
                if field == "*" {
                    continue;
                }
                (*key, "=", field)
            }
        };
        let have = got.get(key);
        let shown = text_of(have).unwrap_or_else(|| "-".into());
        let ok = match op {
            "=" => same(have, want),
            "!=" => !same(have, want),
            "^=" => shown.starts_with(want),
            "!^=" => !shown.starts_with(want),
            _ => shown.contains(want),
        };
        if !ok {
            return Some(format!("{key}: want {op}{want}, got {shown}"));
        }
    }
    None
}

fn brief(v: &Value, expect: Expect) -> String {
    let keys: &[&str] = match expect {
        Expect::Quantities => &["metric", "value", "unit", "role", "year", "measure"],
        Expect::Milestones => &["subject", "event", "due", "status"],
    };
    keys.iter()
        .map(|k| text_of(v.get(*k)).unwrap_or_else(|| "-".into()))
        .collect::<Vec<_>>()
        .join("|")
}

/// The failures of one line, or an empty list.
fn run_line(line: &str, expect: Expect) -> Result<Vec<String>, String> {
    let cols: Vec<&str> = line.split('\t').collect();
    let [part, year, sentence, expected] = cols[..] else {
        return Err(format!("want 4 columns, got {}", cols.len()));
    };
    let role = match part {
        "target" => QuantityRole::Target,
        "result" | "bulletin" => QuantityRole::Actual,
        _ => {
            return Err(format!(
                "part `{part}` is neither target, result nor bulletin"
            ));
        }
    };
    let year: i32 = year.parse().map_err(|_| format!("year `{year}`"))?;
    let got = read(sentence, role, year, part == "bulletin", expect);
    let mut items: Vec<&str> = if expected == "-" {
        Vec::new()
    } else {
        expected.split(" ; ").collect()
    };
    let open = items.last() == Some(&"...");
    if open {
        items.pop();
    }
    let shown = || {
        got.iter()
            .map(|v| brief(v, expect))
            .collect::<Vec<_>>()
            .join(" ; ")
    };
    let mut failures = Vec::new();
    if got.len() < items.len() || (!open && got.len() != items.len()) {
        failures.push(format!(
            "{sentence}: want {} items, got {}: {}",
            items.len(),
            got.len(),
            shown()
        ));
        return Ok(failures);
    }
    for (i, (spec, v)) in items.iter().zip(&got).enumerate() {
        if let Some(why) = mismatch(spec, v, expect) {
            failures.push(format!(
                "{sentence}: item {}: {why}; got {}",
                i + 1,
                shown()
            ));
        }
    }
    Ok(failures)
}

fn case_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sentences");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    files.sort();
    files
}

#[test]
fn sentence_cases_of_the_data_files() {
    let (mut cases, mut failures) = (0, Vec::new());
    for file in case_files() {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let expect = if name.starts_with("quantities") {
            Expect::Quantities
        } else if name.starts_with("milestones") {
            Expect::Milestones
        } else {
            panic!("{name}: a case file is named quantities*.tsv or milestones*.tsv");
        };
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            cases += 1;
            match run_line(line, expect) {
                Ok(f) => failures.extend(f.into_iter().map(|f| format!("{name}:{}: {f}", n + 1))),
                Err(e) => panic!("{name}:{}: {e}", n + 1),
            }
        }
    }
    assert!(cases > 100, "only {cases} sentence cases were found");
    assert!(
        failures.is_empty(),
        "{} of {cases} sentence cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_case_that_does_not_hold_fails() {
    // The runner itself: a wrong value, a missing item and an item too many are failures.
    let wrong = run_line(
        "result\t2023\t全市地区生产总值增长4.3%。\t地区生产总值|4.4|%",
        Expect::Quantities,
    );
    assert_eq!(wrong.unwrap().len(), 1);
    let missing = run_line(
        "result\t2023\t全市地区生产总值增长4.3%。\t-",
        Expect::Quantities,
    );
    assert_eq!(missing.unwrap().len(), 1);
    let more = run_line(
        "result\t2023\t全市地区生产总值增长4.3%。\t地区生产总值|4.3|% ; *",
        Expect::Quantities,
    );
    assert_eq!(more.unwrap().len(), 1);
    let right = run_line(
        "result\t2023\t全市地区生产总值增长4.3%。\t地区生产总值|4.3|%|measure=growth_rate|region!=北京市",
        Expect::Quantities,
    );
    assert!(right.unwrap().is_empty());
}
