//! Every field of the 160 tasks of sample 003 and the 25 indicators of sample 002, against tables
//! written from the documents (`tests/expected/*.tsv`, reviewed by hand).

use plantrack_model::{Aggregation, Attribute, Qualifier, TableFigure};

use crate::extract_sample;

fn rows(name: &str) -> Vec<Vec<String>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expected")
        .join(name);
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

fn list(s: &str) -> Vec<String> {
    if s.is_empty() {
        Vec::new()
    } else {
        s.split('|').map(str::to_owned).collect()
    }
}

fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

#[test]
fn all_160_tasks_of_the_responsibility_table() {
    let x = extract_sample("003");
    let expected = rows("003_tasks.tsv");
    assert_eq!(expected.len(), 160);
    assert_eq!(x.tasks.len(), 160);
    for (t, e) in x.tasks.iter().zip(&expected) {
        let at = format!("task {}", e[0]);
        assert_eq!(t.seq.to_string(), e[0], "{at}");
        assert_eq!(t.category.as_deref(), Some(e[1].as_str()), "{at}");
        assert_eq!(t.text, e[2], "{at}");
        assert_eq!(
            t.deadline.as_deref().map(|d| d.replace('\n', "\\n")),
            opt(&e[3]),
            "{at}"
        );
        assert_eq!(t.leaders, list(&e[4]), "{at}");
        assert_eq!(t.units, list(&e[5]), "{at}");
        assert_eq!(t.lead_unit, opt(&e[6]), "{at}");
        assert_eq!(t.joint, e[7] == "joint", "{at}");
        // The span points at the task's text in the original.
        let text = std::fs::read_to_string(crate::sample_path("003")).unwrap();
        assert_eq!(&text[t.span.start..t.span.end], t.text, "{at}");
    }
    // The footnote under the table is not a unit.
    assert!(
        x.tasks
            .iter()
            .all(|t| t.units.iter().all(|u| !u.starts_with("注")))
    );
}

fn qualifier(s: &str) -> Option<Qualifier> {
    match s {
        "" => None,
        "about" => Some(Qualifier::About),
        "at_least" => Some(Qualifier::AtLeast),
        "at_most" => Some(Qualifier::AtMost),
        other => panic!("unknown qualifier {other}"),
    }
}

fn value(s: &str) -> Option<f64> {
    (!s.is_empty()).then(|| s.parse().unwrap())
}

#[test]
fn all_25_indicators_of_the_five_year_plan() {
    let x = extract_sample("002");
    let expected = rows("002_indicators.tsv");
    assert_eq!(expected.len(), 25);
    assert_eq!(x.indicators.len(), 25);
    for (i, e) in x.indicators.iter().zip(&expected) {
        let at = format!("indicator {}", e[0]);
        assert_eq!(i.seq.to_string(), e[0], "{at}");
        assert_eq!(i.name, e[1], "{at}");
        assert_eq!(i.unit.as_deref(), Some(e[2].as_str()), "{at}");
        assert_eq!(i.category.as_deref(), Some(e[3].as_str()), "{at}");
        assert_eq!(
            i.baseline,
            Some(TableFigure {
                year: Some(e[4].parse().unwrap()),
                value: value(&e[5]),
                qualifier: None,
                upper: None,
                text: e[6].clone(),
            }),
            "{at}"
        );
        assert_eq!(
            i.target,
            Some(TableFigure {
                year: Some(e[7].parse().unwrap()),
                value: value(&e[8]),
                qualifier: qualifier(&e[9]),
                upper: None,
                text: e[10].clone(),
            }),
            "{at}"
        );
        let attribute = match e[11].as_str() {
            "binding" => Attribute::Binding,
            _ => Attribute::Expected,
        };
        assert_eq!(i.attribute, Some(attribute), "{at}");
        let aggregation = match e[12].as_str() {
            "five_year_average" => Some(Aggregation::FiveYearAverage),
            "five_year_cumulative" => Some(Aggregation::FiveYearCumulative),
            _ => None,
        };
        assert_eq!(i.aggregation, aggregation, "{at}");
    }
}

#[test]
fn document_metadata_of_every_sample() {
    use plantrack_model::DocumentKind::*;
    let cases = [
        ("000", AnnualPlanReport, "天津市", None, Some(2023), None),
        ("001", WorkReport, "天津市", None, Some(2024), None),
        ("002", FiveYearPlan, "天津市", None, Some(2021), Some(2025)),
        ("003", TaskTable, "天津市", None, Some(2023), None),
        (
            "004",
            AnnualPlanReport,
            "西青区",
            Some("天津市"),
            Some(2024),
            None,
        ),
    ];
    for (prefix, kind, region, parent, year, year_end) in cases {
        let d = extract_sample(prefix).document;
        assert_eq!(d.kind, kind, "{prefix}");
        assert_eq!(d.region.as_deref(), Some(region), "{prefix}");
        assert_eq!(d.region_parent.as_deref(), parent, "{prefix}");
        assert_eq!((d.year, d.year_end), (year, year_end), "{prefix}");
        assert_eq!(d.encoding, "UTF-8", "{prefix}");
    }
    assert_eq!(extract_sample("001").document.title, None);
}

#[test]
fn review_and_plan_parts_carry_their_years() {
    use plantrack_model::PartRole;
    // 001's third part (`三、努力提升政府治理效能和水平`) names no time: it follows the plan part.
    for (prefix, parts_after_plan) in [("001", 1), ("004", 0)] {
        let x = extract_sample(prefix);
        let parts: Vec<(PartRole, Option<i32>)> = x
            .sections
            .iter()
            .filter(|s| s.parent.is_none())
            .filter_map(|s| s.part.map(|p| (p.role, p.year)))
            .collect();
        let mut want = vec![(PartRole::Review, Some(2023)), (PartRole::Plan, Some(2024))];
        want.extend(std::iter::repeat_n(
            (PartRole::Plan, Some(2024)),
            parts_after_plan,
        ));
        assert_eq!(parts, want, "{prefix}");
    }
}

#[test]
fn wrapped_newspaper_text_reflows_into_its_columns() {
    let x = extract_sample("000");
    let columns: Vec<(Option<u32>, &str)> = x
        .sections
        .iter()
        .filter(|s| s.style == plantrack_model::HeadingStyle::Column)
        .map(|s| (s.number, s.title.as_str()))
        .collect();
    assert_eq!(columns.len(), 8, "{columns:?}");
    assert_eq!(columns[0], (Some(3), "2023年天津金融街建设重点任务"));
    assert_eq!(columns[2], (Some(5), "2023年服务业高质量发展行动重点任务"));
    assert_eq!(columns[7], (Some(10), "2023年高品质生活创造行动重点任务"));
    // The district items of 专栏6 are sections of that column.
    let col6 = x
        .sections
        .iter()
        .position(|s| s.number == Some(6) && s.style == plantrack_model::HeadingStyle::Column)
        .unwrap();
    let districts: Vec<&str> = x
        .sections
        .iter()
        .filter(|s| s.parent == Some(col6))
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(
        districts,
        ["滨海新区", "河西区", "西青区", "武清区", "北辰区", "和平区"]
    );
}

#[test]
fn every_span_of_every_sample_points_at_its_text() {
    for prefix in ["000", "001", "002", "003", "004"] {
        let text = std::fs::read_to_string(crate::sample_path(prefix)).unwrap();
        let x = extract_sample(prefix);
        let slice = |s: plantrack_model::Span| {
            text.get(s.start..s.end)
                .unwrap_or_else(|| panic!("{prefix}: span {s:?} is not on character boundaries"))
        };
        for s in &x.sections {
            let heading = slice(s.span);
            let first = s.title.chars().next().unwrap();
            assert!(
                heading.contains(first),
                "{prefix}: {heading:?} for {:?}",
                s.title
            );
            slice(s.extent);
        }
        for q in &x.quantities {
            // The number's digits, as written (spaces and full-width forms aside).
            let written: String = slice(q.span)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let digits = format!("{}", q.value);
            let lead = digits.split('.').next().unwrap();
            assert!(
                written.contains(lead)
                    || written
                        .chars()
                        .any(|c| "一二三四五六七八九十百千两".contains(c)),
                "{prefix}: {written:?} for {}",
                q.value
            );
            assert!(slice(q.sentence).contains(slice(q.span)));
        }
        for m in &x.milestones {
            // A span may cross a hard wrap in the original: compare without line breaks.
            let flat: String = slice(m.span)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            assert!(
                flat.contains(m.event.as_str()),
                "{prefix}: {flat:?} {}",
                m.event
            );
        }
    }
}

/// Every span of an extraction lies on character boundaries of its text.
fn assert_spans_on_boundaries(name: &str, text: &str) {
    let x = plantrack_extract::extract(text, Default::default(), &Default::default());
    let ok = |s: plantrack_model::Span| s.start <= s.end && text.get(s.start..s.end).is_some();
    for s in &x.sections {
        assert!(
            ok(s.span) && ok(s.extent),
            "{name}: section {:?} {:?}",
            s.span,
            s.extent
        );
    }
    for q in &x.quantities {
        assert!(
            ok(q.span) && ok(q.sentence),
            "{name}: quantity {:?}",
            q.span
        );
    }
    for m in &x.milestones {
        assert!(
            ok(m.span) && ok(m.sentence),
            "{name}: milestone {:?}",
            m.span
        );
    }
    for t in &x.tasks {
        assert!(ok(t.span), "{name}: task {:?}", t.span);
    }
}

/// Found by the `extract_text` fuzz target on its first run: a heading's span ended one byte into
/// its last character, because every byte of a character mapped to the character's start.
#[test]
fn regression_fuzz_heading_span_inside_character() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/regressions/fuzz-heading-span-inside-character.txt");
    let text = std::fs::read_to_string(path).unwrap();
    assert_spans_on_boundaries("fuzz-heading-span-inside-character", &text);
}

/// Found by the `extract_text` fuzz target once held-out texts seeded its corpus: the noun
/// counted by `3个` ran over the next number (`百百%`), and the next number's subject was sliced
/// from past its own start.
#[test]
fn regression_fuzz_counted_noun_over_the_next_number() {
    let text = "\n#`\n\n#\0\n3个百百%";
    assert_spans_on_boundaries("fuzz-counted-noun-over-the-next-number", text);
}
