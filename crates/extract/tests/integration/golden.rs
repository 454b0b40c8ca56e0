//! Golden JSON of every sample: `tests/golden/<sample>.json` holds the reviewed output of
//! `plantrack extract`. A change in extraction shows up as a diff here; after reviewing it, bless
//! the new output with `UPDATE_GOLDEN=1 cargo test -p plantrack-extract golden`.

use std::path::Path;

fn check(prefix: &str) {
    let path = crate::sample_path(prefix);
    let got = serde_json::to_string_pretty(&crate::extract_sample(prefix)).unwrap() + "\n";
    let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{stem}.json"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&golden).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_GOLDEN=1 to create it",
            golden.display()
        )
    });
    if got != want {
        let first = got
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(got.lines().count().min(want.lines().count()));
        panic!(
            "{} differs from the extraction at line {}:\n  golden: {}\n  now:    {}\nReview, then bless with UPDATE_GOLDEN=1.",
            golden.display(),
            first + 1,
            want.lines().nth(first).unwrap_or("<end>"),
            got.lines().nth(first).unwrap_or("<end>")
        );
    }
}

#[test]
fn golden_000_annual_plan_report() {
    check("000");
}

#[test]
fn golden_001_work_report() {
    check("001");
}

#[test]
fn golden_002_five_year_plan() {
    check("002");
}

#[test]
fn golden_003_task_table() {
    check("003");
}

#[test]
fn golden_004_district_plan_report() {
    check("004");
}
