//! `plantrack report` on the samples: the annual report of 2023 for 天津市, the mid-term
//! evaluation of the 14th five-year plan as of 2023 and the bulletin on 2023's key tasks, each
//! compared with its reviewed golden text (`tests/golden/`; `PLANTRACK_UPDATE_GOLDEN=1` rewrites
//! them — then read the difference before committing it), written as DOCX and read back through
//! plantrack's own reader, and as HTML.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn plantrack(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plantrack"))
        .args(args)
        .env("PLANTRACK_TZ", "Asia/Shanghai")
        .output()
        .expect("the binary runs")
}

fn ok(args: &[&str]) -> String {
    let out = plantrack(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("plantrack-reports-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The samples ingested into a fresh SQLite file.
fn ledger() -> String {
    let db = scratch("reports.db");
    let _ = std::fs::remove_file(&db);
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/tianjin");
    ok(&[
        "ingest",
        "--db",
        db.to_str().unwrap(),
        samples.to_str().unwrap(),
    ]);
    db.to_str().unwrap().to_string()
}

fn golden(name: &str, text: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("PLANTRACK_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, text).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (PLANTRACK_UPDATE_GOLDEN=1 writes it)",
            path.display()
        )
    });
    if want != text {
        let line = want
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(want.lines().count().min(text.lines().count()));
        panic!(
            "{name} differs from its golden text at line {}:\n  golden: {:?}\n  now:    {:?}",
            line + 1,
            want.lines().nth(line),
            text.lines().nth(line)
        );
    }
}

/// The report's text, as a DOCX read back, and as HTML: the same words in each.
fn check_formats(db: &str, args: &[&str], text: &str) {
    let docx = scratch(&format!("{}.docx", args[0]));
    let html = scratch(&format!("{}.html", args[0]));
    for out in [&docx, &html] {
        let mut all: Vec<&str> = vec!["report"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--db", db, "--out", out.to_str().unwrap()]);
        ok(&all);
    }
    let bytes = std::fs::read(&docx).unwrap();
    let read = plantrack_read::read(&bytes, Some("report.docx"))
        .unwrap()
        .text;
    let page = std::fs::read_to_string(&html).unwrap();
    // Every paragraph of the text (notes as [n] aside) is in both.
    let mut checked = 0;
    for line in text.lines().skip(2) {
        if line.is_empty() || line.contains(" | ") || line.starts_with('[') || line == "注释" {
            continue;
        }
        let words: String = line
            .split(['[', ']'])
            .enumerate()
            .filter(|(i, _)| i % 2 == 0)
            .map(|(_, s)| s)
            .collect();
        let words = words.replace("【待撰写】", "");
        let flat: String = read.split_whitespace().collect();
        let needle: String = words.split_whitespace().collect();
        assert!(flat.contains(&needle), "DOCX lacks {needle:?}");
        checked += 1;
    }
    assert!(checked > 5, "{checked} paragraphs checked");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<section class=\"notes\">"));
    let _ = std::fs::remove_file(&docx);
    let _ = std::fs::remove_file(&html);
}

#[test]
fn the_three_reports_of_the_samples() {
    let db = ledger();

    let annual = ok(&[
        "report",
        "annual",
        "--year",
        "2023",
        "--region",
        "天津市",
        "--as-of",
        "2024-03-01",
        "--db",
        &db,
    ]);
    golden("annual_2023.txt", &annual);
    // Every target of the year is named with a verdict and cites its source by title.
    assert!(annual.contains("地区生产总值增长4.3%"));
    assert!(
        !annual.contains(".txt"),
        "a file name where a title belongs"
    );
    assert!(
        annual.contains("西青区："),
        "the city's target for the district"
    );
    check_formats(
        &db,
        &[
            "annual",
            "--year",
            "2023",
            "--region",
            "天津市",
            "--as-of",
            "2024-03-01",
        ],
        &annual,
    );

    let midterm = ok(&["report", "midterm", "--year", "2023", "--db", &db]);
    golden("midterm_2023.txt", &midterm);
    let table_rows = midterm
        .lines()
        .skip_while(|l| !l.starts_with("表1"))
        .skip(2)
        .take_while(|l| l.contains(" | "))
        .count();
    assert_eq!(table_rows, 25, "all 25 indicators of 专栏1");
    check_formats(&db, &["midterm", "--year", "2023"], &midterm);

    let bulletin = ok(&[
        "report",
        "bulletin",
        "--year",
        "2023",
        "--as-of",
        "2023-12-31",
        "--db",
        &db,
    ]);
    golden("bulletin_2023.txt", &bulletin);
    assert!(bulletin.contains("市发展改革委"), "responsible units named");
    check_formats(
        &db,
        &["bulletin", "--year", "2023", "--as-of", "2023-12-31"],
        &bulletin,
    );
}

#[test]
fn bad_requests_are_refused_with_the_reason() {
    let db = scratch("empty.db");
    let _ = std::fs::remove_file(&db);
    let db = db.to_str().unwrap();
    for (args, reason) in [
        (
            vec!["report", "annual", "--year", "2023", "--out", "x.pdf"],
            ".docx or .html",
        ),
        (vec!["report", "annual", "--year", "1800"], "1800"),
        (
            vec!["report", "annual", "--year", "2023", "--region", "火星市"],
            "火星市",
        ),
        (
            vec![
                "report",
                "bulletin",
                "--year",
                "2023",
                "--as-of",
                "2023-13-01",
            ],
            "not a date",
        ),
    ] {
        let mut all = args.clone();
        all.extend_from_slice(&["--db", db]);
        let out = plantrack(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(reason), "{args:?}: {err}");
    }
    // An empty ledger still gives a report that says what is missing.
    let text = ok(&["report", "annual", "--year", "2023", "--db", db]);
    assert!(text.contains("台账中没有"));
}
