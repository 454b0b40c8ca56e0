//! The command line as scripts see it: output shape, exit codes, and one clear line for input
//! that cannot be read.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

// The store's runtime for checking ledgers from a test.

fn plantrack(args: &[&str]) -> Output {
    plantrack_with(args, &[])
}

/// The binary run with variables of its environment set.
fn plantrack_with(args: &[&str], vars: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plantrack"))
        .args(args)
        .envs(vars.iter().copied())
        .output()
        .expect("the binary runs")
}

fn sample(prefix: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/tianjin");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    found.sort();
    found.remove(0)
}

/// A scratch directory for this test process.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("plantrack-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn extract_json_follows_the_contract() {
    let out = plantrack(&["extract", sample("003").to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "document",
        "sections",
        "indicators",
        "tasks",
        "quantities",
        "milestones",
        "diagnostics",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    for key in ["title", "kind", "region", "year", "encoding"] {
        assert!(v["document"].get(key).is_some(), "missing document.{key}");
    }
    let task = &v["tasks"][2];
    for key in [
        "seq",
        "category",
        "text",
        "deadline",
        "leaders",
        "units",
        "lead_unit",
        "joint",
    ] {
        assert!(task.get(key).is_some(), "missing task.{key}");
    }
    assert_eq!(task["joint"], true);
    assert_eq!(task["lead_unit"], serde_json::Value::Null);
}

#[test]
fn extract_text_is_an_outline() {
    let out = plantrack(&[
        "extract",
        sample("002").to_str().unwrap(),
        "--format",
        "text",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("kind five_year_plan  region 天津市  year 2021–2025"),
        "{text}"
    );
    assert!(
        text.contains("国家高新技术企业数量（家）  7420 (2020) → 11600 (2025)  expected"),
        "{text}"
    );
}

#[test]
fn hints_override_inference() {
    let out = plantrack(&[
        "extract",
        sample("001").to_str().unwrap(),
        "--kind",
        "work_report",
        "--region",
        "天津市",
        "--year",
        "2024",
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["document"]["year"], 2024);
    let bad = plantrack(&[
        "extract",
        sample("001").to_str().unwrap(),
        "--kind",
        "novel",
    ]);
    assert_eq!(bad.status.code(), Some(2));
}

/// Exit code 2 and one line on stderr naming the file and the reason.
fn refused(path: &Path, reason: &str) {
    let out = plantrack(&["extract", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{}: {stderr}", path.display());
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains(&*path.to_string_lossy()), "{stderr}");
    assert!(stderr.contains(reason), "expected {reason:?} in {stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_input_is_refused_with_one_clear_line() {
    let empty = scratch("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    refused(&empty, "empty");

    let binary = scratch("image.bin");
    std::fs::write(&binary, [0x89, b'P', b'N', b'G', 0, 0, 0, 0x0d, 1, 2, 3]).unwrap();
    refused(&binary, "binary");

    let docx = scratch("truncated.docx");
    std::fs::write(&docx, b"PK\x03\x04\x14\x00\x06\x00\x08\x00garbage").unwrap();
    refused(&docx, "corrupt or truncated");

    let pdf = scratch("truncated.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog").unwrap();
    refused(&pdf, "corrupt or truncated PDF");

    // Latin-1 text: decodes, but not to Chinese.
    let latin = scratch("latin1.txt");
    let (bytes, _, _) = encoding_rs::WINDOWS_1252
        .encode("Rapport annuel: la croissance économique a été très élevée à Paris.");
    std::fs::write(&latin, &bytes).unwrap();
    refused(&latin, "does not decode as Chinese");

    // Japanese in Shift_JIS, which the Chinese hint would read as GB18030 mojibake.
    let japanese = scratch("japanese.txt");
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(
        "政府は今年の経済成長率の目標を５％前後とし、物価の安定を図る。デジタル化を推進する。",
    );
    std::fs::write(&japanese, &bytes).unwrap();
    refused(&japanese, "does not decode as Chinese");

    // English in UTF-8: read, but not Chinese.
    let english = scratch("english.txt");
    std::fs::write(&english, "Annual plan: GDP grew by 5% in 2024.").unwrap();
    refused(&english, "not Chinese");

    // A 200 MB file is refused before it is read (the file is sparse: nothing is written).
    let huge = scratch("huge.txt");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(200 * 1024 * 1024).unwrap();
    refused(&huge, "MB");
    std::fs::remove_file(&huge).unwrap();

    refused(&scratch("missing.txt"), "No such file");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(plantrack(&["extract"]).status.code(), Some(2));
    assert_eq!(plantrack(&["no-such-command"]).status.code(), Some(2));
}

#[test]
fn ingest_twice_then_a_bad_file() {
    let dir = scratch("ingest");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    std::fs::copy(sample("003"), dir.join("docs/tasks.txt")).unwrap();
    std::fs::copy(sample("001"), dir.join("docs/report.txt")).unwrap();
    let db = dir.join("ledger.db");
    let docs = dir.join("docs");
    let args = [
        "ingest",
        docs.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ];
    let first = plantrack(&args);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let out = String::from_utf8(first.stdout).unwrap();
    assert!(
        out.contains("2 documents: 2 new, 0 replaced, 0 unchanged"),
        "{out}"
    );
    assert!(out.contains("160 tasks"), "{out}");
    let second = plantrack(&args);
    let out = String::from_utf8(second.stdout).unwrap();
    assert!(out.contains("0 new, 0 replaced, 2 unchanged"), "{out}");
    // An unreadable file is named, the rest still goes in, and the exit code says so.
    std::fs::write(dir.join("docs/broken.docx"), b"PK\x03\x04 not really").unwrap();
    std::fs::copy(sample("004"), dir.join("docs/district.txt")).unwrap();
    let third = plantrack(&args);
    assert_eq!(third.status.code(), Some(2));
    let err = String::from_utf8(third.stderr).unwrap();
    assert!(
        err.contains("broken.docx") && err.contains("corrupt"),
        "{err}"
    );
    let out = String::from_utf8(third.stdout).unwrap();
    assert!(
        out.contains("1 new, 0 replaced, 2 unchanged (skipped), 1 unreadable"),
        "{out}"
    );
}

#[test]
fn ingest_with_a_bad_database_url_fails_clearly() {
    let out = plantrack(&[
        "ingest",
        sample("003").to_str().unwrap(),
        "--db",
        "mysql://nowhere/x",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("mysql://nowhere/x"), "{err}");
}

/// Counts per document of an ingested ledger, checked for consistency: every document present
/// has all of its tasks and sections, and SQLite's own integrity check passes.
fn ledger_state(db: &Path) -> Vec<(String, i64, i64)> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = plantrack_store::Store::open(db.to_str().unwrap()).await.unwrap();
        use sqlx::Row;
        let ok: String = sqlx::query("PRAGMA integrity_check")
            .fetch_one(store.pool())
            .await
            .unwrap()
            .get(0);
        assert_eq!(ok, "ok");
        let rows = sqlx::query(
            "SELECT d.source, (SELECT COUNT(*) FROM tasks t WHERE t.document_id = d.id), \
             (SELECT COUNT(*) FROM sections s WHERE s.document_id = d.id) FROM documents d ORDER BY d.source",
        )
        .fetch_all(store.pool())
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.get::<String, _>(0), r.get::<i64, _>(1), r.get::<i64, _>(2)))
        .collect();
        store.close().await;
        rows
    })
}

/// SIGKILL at many moments of an ingest: the ledger stays consistent (a document is all there
/// or not there) and the next ingest completes.
#[test]
fn ingest_killed_at_any_moment_leaves_a_consistent_ledger() {
    let dir = scratch("killed");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    for (i, prefix) in ["000", "001", "002", "003", "004"].iter().enumerate() {
        std::fs::copy(sample(prefix), dir.join(format!("docs/{i}.txt"))).unwrap();
    }
    let db = dir.join("ledger.db");
    let docs = dir.join("docs");
    // The complete ledger, for reference.
    let reference_db = dir.join("reference.db");
    let done = plantrack(&[
        "ingest",
        docs.to_str().unwrap(),
        "--db",
        reference_db.to_str().unwrap(),
    ]);
    assert!(done.status.success());
    let complete = ledger_state(&reference_db);
    assert_eq!(complete.len(), 5);
    let mut kills = 0;
    for i in 0..20u64 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_plantrack"))
            .args([
                "ingest",
                docs.to_str().unwrap(),
                "--db",
                db.to_str().unwrap(),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Spread the kills over the run: a fixed pseudo-random sequence of delays.
        let delay = (i * 7919 + 13) % 400;
        std::thread::sleep(std::time::Duration::from_millis(delay));
        if child.try_wait().unwrap().is_none() {
            kills += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        for (source, tasks, sections) in ledger_state(&db) {
            let want = complete
                .iter()
                .find(|(s, _, _)| {
                    std::path::Path::new(s).file_name() == std::path::Path::new(&source).file_name()
                })
                .unwrap_or_else(|| panic!("unknown document {source}"));
            assert_eq!(
                (tasks, sections),
                (want.1, want.2),
                "{source} half-written after kill {i}"
            );
        }
    }
    assert!(
        kills >= 5,
        "only {kills} ingests were still running when killed"
    );
    let last = plantrack(&[
        "ingest",
        docs.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert!(
        last.status.success(),
        "{}",
        String::from_utf8_lossy(&last.stderr)
    );
    assert_eq!(ledger_state(&db).len(), 5);
}

/// Two ingests of the same folder at once into one SQLite file: both finish, nothing doubles.
#[test]
fn concurrent_ingests_do_not_corrupt_the_ledger() {
    let dir = scratch("concurrent");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    for (i, prefix) in ["001", "003", "004"].iter().enumerate() {
        std::fs::copy(sample(prefix), dir.join(format!("docs/{i}.txt"))).unwrap();
    }
    let db = dir.join("ledger.db");
    let docs = dir.join("docs");
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_plantrack"))
            .args([
                "ingest",
                docs.to_str().unwrap(),
                "--db",
                db.to_str().unwrap(),
            ])
            .output()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    let state = ledger_state(&db);
    assert_eq!(state.len(), 3);
    assert!(state.iter().any(|(_, tasks, _)| *tasks == 160));
}

#[test]
fn a_read_only_database_is_a_clear_error() {
    let dir = scratch("readonly");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("ledger.db");
    let first = plantrack(&[
        "ingest",
        sample("001").to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert!(first.status.success());
    let url = format!("sqlite://{}?mode=ro", db.display());
    let out = plantrack(&["ingest", sample("003").to_str().unwrap(), "--db", &url]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("readonly") || err.contains("read-only") || err.contains("read only"),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
}

#[test]
fn search_and_export_after_ingest() {
    let dir = scratch("export");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("ledger.db");
    let db = db.to_str().unwrap();
    for prefix in ["001", "003"] {
        assert!(
            plantrack(&["ingest", sample(prefix).to_str().unwrap(), "--db", db])
                .status
                .success()
        );
    }
    let found = plantrack(&["search", "津兴城际 通车", "--db", db]);
    let text = String::from_utf8(found.stdout).unwrap();
    assert!(
        text.contains("001_") && text.contains("津兴城际正式通车"),
        "{text}"
    );
    let none = plantrack(&["search", "火星基地", "--db", db]);
    assert!(
        String::from_utf8(none.stdout)
            .unwrap()
            .contains("no paragraph")
    );

    let csv = plantrack(&["export", "--format", "csv", "--db", db]);
    let csv = String::from_utf8(csv.stdout).unwrap();
    // One record per task; deadlines with two lines are quoted fields spanning two lines.
    // Each record names its document by file name, never by the server's path.
    let records = csv.lines().filter(|l| l.starts_with("003_")).count();
    assert_eq!(records, 160);
    assert!(!csv.contains("/tmp/"), "{}", &csv[..600]);
    assert!(
        csv.contains("\"年底前取得明显进展。\n6月底前"),
        "multi-line fields are quoted"
    );
    assert!(csv.contains(",3,一、经济社会发展主要预期目标,居民人均可支配收入保持与经济增长基本同步。,年底前完成,刘桂平、李文海、谢元,,市人社局、市农业农村委、市发展改革委,是"), "{}", &csv[..600]);

    let json = plantrack(&["export", "--db", db]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["tasks"].as_array().unwrap().len(), 160);
    assert!(
        v["quantities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["metric"] == "地区生产总值" && q["value"] == 4.3 && q["role"] == "actual")
    );

    let xlsx = dir.join("ledger.xlsx");
    let out = plantrack(&[
        "export",
        "--format",
        "xlsx",
        "--out",
        xlsx.to_str().unwrap(),
        "--db",
        db,
    ]);
    assert!(out.status.success());
    // The workbook reads back as a responsibility table.
    let bytes = std::fs::read(&xlsx).unwrap();
    let source = plantrack_read::read(&bytes, None).unwrap();
    assert!(
        source.text.contains("\t重点工作\n")
            && source
                .text
                .contains("\t市人社局、市农业农村委、市发展改革委\n")
    );
}

#[test]
fn the_outline_lists_quantities_and_milestones() {
    let out = plantrack(&[
        "extract",
        sample("001").to_str().unwrap(),
        "--format",
        "text",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("  result   2023  地区生产总值  4.3%  (GrowthRate)"),
        "{text}"
    );
    assert!(
        text.contains("  target   2024  地区生产总值  4.5% about  (GrowthRate)"),
        "{text}"
    );
    assert!(text.contains("津兴城际 正式通车 (done)"), "{text}");
}

/// The samples in a fresh SQLite file, for the evaluation commands.
fn ingested(name: &str) -> String {
    let db = scratch(name);
    let _ = std::fs::remove_file(&db);
    let db = db.to_str().unwrap().to_string();
    let dir = sample("000").parent().unwrap().to_path_buf();
    let out = plantrack(&["ingest", "--db", &db, dir.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

fn stdout_of(args: &[&str]) -> String {
    let out = plantrack(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn reconcile_follows_the_contract() {
    let db = ingested("reconcile.db");
    let json = stdout_of(&[
        "reconcile",
        "--db",
        &db,
        "--year",
        "2023",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let all = v.as_array().unwrap();
    assert!(all.len() > 100);
    for x in all {
        for key in ["target", "actual", "status", "region"] {
            assert!(x.get(key).is_some(), "missing {key}");
        }
        assert!(x["target"]["document"]["source"].is_string());
    }
    // GDP: 4% 左右 in the task notice, 4.3% in the work report, with both sentences.
    let gdp = all
        .iter()
        .find(|x| x["target"]["metric"] == "地区生产总值" && x["region"] == "天津市")
        .unwrap();
    assert_eq!(gdp["status"], "achieved");
    assert_eq!(gdp["actual"]["value"], 4.3);
    assert!(gdp["actual"]["text"].as_str().unwrap().contains("4.3%"));
    assert!(gdp["target"]["text"].as_str().unwrap().contains("4%左右"));

    // The district: the city's target against the district's own review.
    let text = stdout_of(&[
        "reconcile",
        "--db",
        &db,
        "--year",
        "2023",
        "--region",
        "西青区",
    ]);
    assert!(text.contains("not_achieved"), "{text}");
    assert!(text.contains("004_313d8db390bab93c.txt@"), "{text}");
    assert!(
        text.contains("1 targets — 0 achieved, 1 not achieved"),
        "{text}"
    );

    // A year nobody planned: an empty array, not an error.
    let none = stdout_of(&[
        "reconcile",
        "--db",
        &db,
        "--year",
        "1999",
        "--format",
        "json",
    ]);
    assert_eq!(none.trim(), "[]");
}

#[test]
fn a_users_lexicon_links_what_the_built_in_one_does_not() {
    let db = ingested("lexicon.db");
    let count = |extra: &[&str]| {
        let mut args = vec![
            "reconcile",
            "--db",
            db.as_str(),
            "--year",
            "2023",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let v: serde_json::Value = serde_json::from_str(&stdout_of(&args)).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .filter(|x| x["status"] == "achieved")
            .count()
    };
    let before = count(&[]);
    let lexicon = scratch("lexicon.tsv");
    // A user's rule that a metric is too general removes its links (口袋公园, in 000 and 003).
    std::fs::write(&lexicon, "# ours\nvague\t口袋公园\n").unwrap();
    assert_eq!(count(&["--lexicon", lexicon.to_str().unwrap()]), before - 2);
    // Declaring nursing beds lower-is-better turns 3168 against 3000 into a miss.
    std::fs::write(&lexicon, "lower\t养老床位\n").unwrap();
    assert_eq!(count(&["--lexicon", lexicon.to_str().unwrap()]), before - 1);
    // A broken lexicon names the file and the line.
    std::fs::write(&lexicon, "same\tA\nsimilar\tB\tC\n").unwrap();
    let out = plantrack(&[
        "reconcile",
        "--db",
        &db,
        "--year",
        "2023",
        "--lexicon",
        lexicon.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("lexicon.tsv") && err.contains("line 2"),
        "{err}"
    );
}

/// A speech and a bulletin on one year (江州市, `crates/extract/tests/bulletins/`): the bulletin's
/// figure is taken and the speech's kept (JSON `source`, `disagreeing`; the text names both);
/// an office's `source_order` row in PLANTRACK_LEXICON puts its speeches first.
#[test]
fn reconcile_takes_the_bulletin_before_the_speech_and_shows_both() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("../extract/tests");
    let db = scratch("sources.db");
    let db = db.to_str().unwrap();
    let files: Vec<String> = [
        "bulletins/jiangzhou-2023-work-report.txt",
        "heldout/jiangzhou-2024-work-report.txt",
        "bulletins/jiangzhou-2023.txt",
    ]
    .iter()
    .map(|f| tests.join(f).to_string_lossy().into_owned())
    .collect();
    let mut args = vec!["ingest", "--db", db];
    args.extend(files.iter().map(String::as_str));
    assert!(plantrack(&args).status.success());
    let gdp = |vars: &[(&str, &str)]| {
        let out = plantrack_with(
            &[
                "reconcile",
                "--db",
                db,
                "--year",
                "2023",
                "--format",
                "json",
            ],
            vars,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .find(|x| x["target"]["metric"] == "地区生产总值" && x["target"]["value"] == 6.5)
            .cloned()
            .expect("the GDP target")
    };
    let v = gdp(&[]);
    assert_eq!(v["source"], "statistical_bulletin");
    assert_eq!(v["status"], "not_achieved");
    assert_eq!(v["disagreeing"][0]["document"]["kind"], "work_report");
    assert_eq!(v["disagreeing"][0]["value"], 6.2);
    let text = stdout_of(&["reconcile", "--db", db, "--year", "2023"]);
    assert!(text.contains("sources that disagree"), "{text}");
    assert!(text.contains("6.2%（预计）"), "{text}");
    // The office's order.
    let lexicon = scratch("sources.tsv");
    std::fs::write(
        &lexicon,
        "source_order\twork_report\tstatistical_bulletin\n",
    )
    .unwrap();
    let v = gdp(&[("PLANTRACK_LEXICON", lexicon.to_str().unwrap())]);
    assert_eq!(v["source"], "work_report");
    assert_eq!(v["status"], "achieved");
    assert_eq!(
        v["disagreeing"][0]["document"]["kind"],
        "statistical_bulletin"
    );
    // An order naming a kind plantrack does not know is refused, naming the line.
    std::fs::write(&lexicon, "source_order\tyearbook\n").unwrap();
    let out = plantrack_with(
        &["reconcile", "--db", db, "--year", "2023"],
        &[("PLANTRACK_LEXICON", lexicon.to_str().unwrap())],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("yearbook"));
}

#[test]
fn plan_tasks_and_scorecards() {
    let db = ingested("evaluate.db");
    let plan = stdout_of(&["plan", "--db", &db]);
    assert!(plan.contains("国家高新技术企业数量"), "{plan}");
    assert!(plan.contains("on_track"), "{plan}");
    assert!(
        plan.contains("14.02 % a year against 9.35 % a year"),
        "{plan}"
    );
    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(&["plan", "--db", &db, "--format", "json"])).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 25);

    // Mid-year nothing is overdue; after the year every task is completed or unreported.
    let mid: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "tasks",
        "--db",
        &db,
        "--year",
        "2023",
        "--as-of",
        "2023-05-01",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(mid.as_array().unwrap().len(), 160);
    assert!(
        mid.as_array()
            .unwrap()
            .iter()
            .all(|t| t["status"] != "overdue")
    );
    let after: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "tasks",
        "--db",
        &db,
        "--year",
        "2023",
        "--as-of",
        "2024-03-01",
        "--format",
        "json",
    ]))
    .unwrap();
    let after = after.as_array().unwrap();
    // No unit has reported: past the deadline that is silence (unreported), never overdue.
    assert!(
        after
            .iter()
            .all(|t| t["status"] == "unreported" || t["status"] == "completed")
    );
    assert!(after.iter().all(|t| t["not_acknowledged"] == true));
    // Task 1 (GDP growth and the other main targets) is completed by the 2023 results.
    let first = after.iter().find(|t| t["seq"] == 1).unwrap();
    assert_eq!(first["status"], "completed", "{first}");
    let overdue = stdout_of(&[
        "tasks",
        "--db",
        &db,
        "--year",
        "2023",
        "--as-of",
        "2024-03-01",
        "--status",
        "unreported",
        "--unit",
        "市科技局",
    ]);
    assert!(overdue.contains("市科技局"), "{overdue}");
    let bad = plantrack(&[
        "tasks",
        "--db",
        &db,
        "--year",
        "2023",
        "--as-of",
        "2023-02-30",
    ]);
    assert_eq!(bad.status.code(), Some(2));

    // The reminder digest: June deadlines two weeks ahead, then overdue after the year.
    let soon = stdout_of(&[
        "remind",
        "--db",
        &db,
        "--year",
        "2023",
        "--as-of",
        "2023-06-15",
    ]);
    assert!(
        soon.contains("市国防动员办公室") && soon.contains("due 2023-06-30 (in 15 days)"),
        "{soon}"
    );
    let late: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "remind",
        "--db",
        &db,
        "--year",
        "2023",
        "--as-of",
        "2024-01-05",
        "--unit",
        "市科技局",
        "--format",
        "json",
    ]))
    .unwrap();
    let items = late["市科技局"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|i| i["kind"] == "overdue"));
    // Most were due at the year's end; one (no. 33) on 31 October.
    assert!(items.iter().any(|i| i["days"] == -5));
    assert!(items.iter().any(|i| i["seq"] == 33 && i["days"] == -66));
    // The same digest for a spreadsheet: Chinese headers, silence named as silence.
    let csv = stdout_of(&[
        "remind",
        "--db",
        &db,
        "--year",
        "2023",
        "--as-of",
        "2024-01-05",
        "--unit",
        "市科技局",
        "--format",
        "csv",
    ]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("\u{feff}单位,角色,事项,日期,天数,序号,完成时限或催办意见,任务")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), items.len());
    assert!(
        rows.iter()
            .all(|r| r.starts_with("市科技局,") && r.contains(",逾期未反馈,")),
        "{csv}"
    );

    // Scorecards, kept in the store when asked.
    let cards = stdout_of(&[
        "scorecard",
        "--db",
        &db,
        "--year",
        "2023",
        "--as-of",
        "2024-03-01",
        "--by",
        "unit",
        "--save",
    ]);
    assert!(cards.contains("市发展改革委"), "{cards}");
    assert!(cards.contains("saved in the store"), "{cards}");
    // Saved with where each stood: ranked among peers, groups listed without a rank.
    let saved = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let store = plantrack_store::Store::open(&db).await.unwrap();
            let rows = store.scorecards(2023, "unit").await.unwrap();
            store.close().await;
            rows
        });
    assert!(
        saved
            .iter()
            .any(|r| r.rank == Some(1) && r.peer_group.as_deref() == Some("department"))
    );
    assert!(
        saved
            .iter()
            .filter(|r| r.peer_group.as_deref() == Some("group"))
            .all(|r| r.rank.is_none())
    );
    assert!(
        saved.iter().any(|r| r.name == "各区人民政府"),
        "groups are kept, unranked"
    );
    assert!(
        saved
            .iter()
            .all(|r| r.rank.is_none() || r.led + r.cooperating >= 3)
    );
    let leaders: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "scorecard",
        "--db",
        &db,
        "--year",
        "2023",
        "--as-of",
        "2024-03-01",
        "--by",
        "leader",
        "--format",
        "json",
    ]))
    .unwrap();
    let total: u64 = leaders
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["led"].as_u64().unwrap())
        .sum();
    assert!(
        total >= 160,
        "every task has at least one supervising leader: {total}"
    );
}

/// Starts `plantrack ARGS` (a server) and returns it with the lines it printed up to the URL.
fn start_server(args: &[&str]) -> (std::process::Child, Vec<String>) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_plantrack"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = Vec::new();
    let out = std::io::BufReader::new(child.stdout.take().unwrap());
    for line in out.lines() {
        let line = line.unwrap();
        let done = line.contains("serving http://");
        lines.push(line);
        if done {
            break;
        }
    }
    (child, lines)
}

fn http_get(url: &str) -> String {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(
        s,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn demo_ingests_once_and_serves() {
    let db = scratch("demo.db");
    let _ = std::fs::remove_file(&db);
    let db = db.to_str().unwrap();
    let (mut first, lines) = start_server(&["demo", "--db", db, "--addr", "127.0.0.1:0"]);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("5 sample documents ingested, 0 already there")),
        "{lines:?}"
    );
    let url = lines
        .last()
        .unwrap()
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .to_string();
    let page = http_get(&format!("{url}targets?year=2023"));
    assert!(page.starts_with("HTTP/1.1 200"), "{page:.200}");
    assert!(page.contains("地区生产总值"));
    first.kill().unwrap();
    first.wait().unwrap();
    // A second run finds the samples and starts at once.
    let started = std::time::Instant::now();
    let (mut second, lines) = start_server(&["demo", "--db", db, "--addr", "127.0.0.1:0"]);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("0 sample documents ingested, 5 already there")),
        "{lines:?}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    second.kill().unwrap();
    second.wait().unwrap();
    // A port that cannot be had is a clear error.
    let out = plantrack(&["serve", "--db", db, "--addr", "256.0.0.1:80"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot listen on 256.0.0.1:80"));
}

#[test]
fn scores_follow_the_offices_rules() {
    let db = ingested("rules.db");
    let score_of = |extra: &[&str]| -> f64 {
        let mut args = vec![
            "scorecard",
            "--db",
            db.as_str(),
            "--year",
            "2023",
            "--as-of",
            "2024-03-01",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let v: serde_json::Value = serde_json::from_str(&stdout_of(&args)).unwrap();
        let cards = v.as_array().unwrap();
        // Best first among peers (departments apart from district governments), ranks
        // following the scores.
        for peer in ["department", "district"] {
            let ranked: Vec<(f64, u64)> = cards
                .iter()
                .filter(|c| c["peer_group"] == peer && !c["rank"].is_null())
                .map(|c| (c["score"].as_f64().unwrap(), c["rank"].as_u64().unwrap()))
                .collect();
            assert!(!ranked.is_empty(), "{peer}");
            assert!(
                ranked
                    .windows(2)
                    .all(|w| w[0].0 >= w[1].0 && w[0].1 <= w[1].1),
                "{ranked:?}"
            );
        }
        cards.iter().find(|c| c["name"] == "市发展改革委").unwrap()["score"]
            .as_f64()
            .unwrap()
    };
    let built_in = score_of(&[]);
    // An office that rewards a task nobody reported on as much as a completed one.
    let rules = scratch("rules.tsv");
    std::fs::write(&rules, "# ours\nunreported\t10\n").unwrap();
    let lenient = score_of(&["--rules", rules.to_str().unwrap()]);
    assert!(lenient > built_in, "{lenient} > {built_in}");
    std::fs::write(&rules, "completed\t10\nlate\t1\n").unwrap();
    let out = plantrack(&[
        "scorecard",
        "--db",
        &db,
        "--year",
        "2023",
        "--rules",
        rules.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rules.tsv") && err.contains("line 2"), "{err}");
}

#[test]
fn a_users_lexicon_adds_language_rules() {
    let dir = scratch("lexicon");
    std::fs::create_dir_all(&dir).unwrap();
    let doc = dir.join("tasks.txt");
    let task = |n: u32| {
        format!(
            "{n}.推进第{n}项重点工作。（牵头单位：盟发展改革委；配合单位：盟财政局、各旗、县、市区）\n"
        )
    };
    std::fs::write(
        &doc,
        format!(
            "2026年盟政府工作报告重点工作任务分工\n一、扩大有效需求\n{}{}{}",
            task(1),
            task(2),
            task(3)
        ),
    )
    .unwrap();
    let units = |out: Output| {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["tasks"][0]["units"].clone()
    };
    // A league's group of its banners, counties and cities is no group the built-in rules know.
    let before = units(plantrack(&["extract", doc.to_str().unwrap()]));
    assert_eq!(before.as_array().unwrap().len(), 5, "{before}");
    let rules = dir.join("rules.tsv");
    std::fs::write(
        &rules,
        "# our league's groups\ngroup_unit\t各旗、县、市区\nsame\t地区生产总值\t经济总量\n",
    )
    .unwrap();
    let after = units(plantrack(&[
        "extract",
        doc.to_str().unwrap(),
        "--lexicon",
        rules.to_str().unwrap(),
    ]));
    assert_eq!(
        after,
        serde_json::json!(["盟发展改革委", "盟财政局", "各旗、县、市区"])
    );
    // A bad rule names the file and the line.
    std::fs::write(&rules, "group_unit\t各旗、县、市区\nregion_word\t盟\n").unwrap();
    let out = plantrack(&[
        "extract",
        doc.to_str().unwrap(),
        "--lexicon",
        rules.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rules.tsv") && err.contains("line 2"), "{err}");
}

/// Which day it is comes from the office's clock (`PLANTRACK_TZ`, Asia/Shanghai by default); a
/// zone plantrack cannot read is refused, never taken for UTC.
#[test]
fn the_offices_clock_is_configured_or_refused() {
    let db = ingested("zone.db");
    let with_zone = |zone: &str| {
        plantrack_with(
            &["tasks", "--db", &db, "--year", "2023", "--format", "json"],
            &[("PLANTRACK_TZ", zone)],
        )
    };
    let bad = with_zone("Mars/Olympus_Mons");
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("PLANTRACK_TZ=Mars/Olympus_Mons"), "{err}");
    for zone in ["Asia/Shanghai", "+08:00", "UTC"] {
        let ok = with_zone(zone);
        assert!(
            ok.status.success(),
            "{zone}: {}",
            String::from_utf8_lossy(&ok.stderr)
        );
    }
    // `--as-of` names the day, but the zone still says which day a report was made: a zone
    // plantrack cannot read is refused then too.
    let out = plantrack_with(
        &[
            "tasks",
            "--db",
            &db,
            "--year",
            "2023",
            "--as-of",
            "2023-05-01",
        ],
        &[("PLANTRACK_TZ", "Mars/Olympus_Mons")],
    );
    assert_eq!(out.status.code(), Some(2));
    // So are reporting rounds it cannot read; quarterly ones are read.
    let rounds = |v: &str| {
        plantrack_with(
            &[
                "tasks",
                "--db",
                &db,
                "--year",
                "2023",
                "--as-of",
                "2023-05-01",
            ],
            &[("PLANTRACK_ROUNDS", v)],
        )
    };
    let bad = rounds("weekly");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("PLANTRACK_ROUNDS=weekly"));
    assert!(rounds("quarterly:25").status.success());
}

/// An archive entry: its name, then its content as `head`, `body` written `repeat` times, `tail`.
type Entry<'a> = (&'a str, &'a [u8], &'a [u8], usize, &'a [u8]);

/// A ZIP archive of the entries.
fn zip_entries(entries: &[Entry<'_>]) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    for (name, head, body, repeat, tail) in entries {
        w.start_file(*name, options).unwrap();
        w.write_all(head).unwrap();
        for _ in 0..*repeat {
            w.write_all(body).unwrap();
        }
        w.write_all(tail).unwrap();
    }
    w.finish().unwrap();
    buf.into_inner()
}

/// An XLSX of one sheet whose `sheetData` holds `rows` written `repeat` times.
fn xlsx_of(rows: &[u8], repeat: usize) -> Vec<u8> {
    let ns = "http://schemas.openxmlformats.org";
    let types = format!(
        r#"<Types xmlns="{ns}/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#
    );
    let package = format!(
        r#"<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let workbook = format!(
        r#"<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let rels = format!(
        r#"<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
    );
    let head = format!(r#"<worksheet xmlns="{ns}/spreadsheetml/2006/main"><sheetData>"#);
    zip_entries(&[
        ("[Content_Types].xml", types.as_bytes(), b"", 0, b""),
        ("_rels/.rels", package.as_bytes(), b"", 0, b""),
        ("xl/workbook.xml", workbook.as_bytes(), b"", 0, b""),
        ("xl/_rels/workbook.xml.rels", rels.as_bytes(), b"", 0, b""),
        (
            "xl/worksheets/sheet1.xml",
            head.as_bytes(),
            rows,
            repeat,
            b"</sheetData></worksheet>",
        ),
    ])
}

/// The largest resident memory of the children this test process has waited for, in bytes.
fn peak_child_memory() -> u64 {
    // SAFETY: getrusage writes into the struct it is given and reads nothing else.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        assert_eq!(libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage), 0);
        usage
    };
    usage.ru_maxrss as u64 * 1024
}

#[test]
fn hostile_archives_are_refused_and_the_good_file_beside_them_is_stored() {
    let dir = scratch("hostile");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    let docs = dir.join("docs");
    // 250 MB of text in a DOCX of about a megabyte.
    let para =
        "<w:p><w:r><w:t>全市地区生产总值增长5%左右，城镇新增就业40万人以上。</w:t></w:r></w:p>"
            .repeat(10_000);
    let docx = zip_entries(&[(
        "word/document.xml",
        br#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
        para.as_bytes(),
        250 * 1024 * 1024 / para.len(),
        b"</w:body></w:document>",
    )]);
    assert!(docx.len() < 4 * 1024 * 1024, "{}", docx.len());
    std::fs::write(docs.join("bomb.docx"), &docx).unwrap();
    // Three million rows in an XLSX of a few megabytes.
    let rows = xlsx_of(br#"<row><c t="n"><v>1</v></c></row>"#, 3_000_000);
    assert!(rows.len() < 4 * 1024 * 1024, "{}", rows.len());
    std::fs::write(docs.join("rows.xlsx"), &rows).unwrap();
    // Two cells at the sheet's far corners: read as the two cells they are.
    let corners = xlsx_of(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>天津市2023年重点工作</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>全市地区生产总值增长4%左右</t></is></c></row>"#
            .as_bytes(),
        1,
    );
    assert!(corners.len() < 2048, "{}", corners.len());
    std::fs::write(docs.join("corners.xlsx"), &corners).unwrap();
    std::fs::copy(sample("003"), docs.join("tasks.txt")).unwrap();

    let db = dir.join("ledger.db");
    let started = std::time::Instant::now();
    let out = plantrack(&[
        "ingest",
        docs.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    let elapsed = started.elapsed();
    let peak = peak_child_memory();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stdout.contains("4 documents: 2 new, 0 replaced, 0 unchanged (skipped), 2 unreadable"),
        "{stdout}"
    );
    assert!(stdout.contains("160 tasks"), "{stdout}");
    for (name, limit) in [("bomb.docx", "128 MB"), ("rows.xlsx", "1,000,000 cells")] {
        let line = stderr
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_default();
        assert!(
            line.contains(&format!("limit of {limit}")),
            "{name}: {stderr}"
        );
    }
    eprintln!(
        "hostile folder ingested in {:.1} s, peak memory {} MB",
        elapsed.as_secs_f64(),
        peak / 1024 / 1024
    );
    assert!(elapsed.as_secs() < 30, "{elapsed:?}");
    assert!(
        peak < 1024 * 1024 * 1024,
        "peak memory {} MB",
        peak / 1024 / 1024
    );
}

#[test]
fn years_outside_the_republic_are_refused() {
    let file = sample("001");
    for year in ["99999", "1948", "2101"] {
        let out = plantrack(&["extract", file.to_str().unwrap(), "--year", year]);
        assert_eq!(out.status.code(), Some(2), "--year {year}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("1949..=2100"));
    }
    assert!(
        plantrack(&["extract", file.to_str().unwrap(), "--year", "2100"])
            .status
            .success()
    );
}

#[test]
fn users_are_bound_to_named_units_disabled_and_rebound() {
    let dir = scratch("users");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("ledger.db");
    let db = db.to_str().unwrap();
    let tasks = sample("003");
    assert!(
        plantrack(&["ingest", tasks.to_str().unwrap(), "--db", db])
            .status
            .success()
    );
    let pw = [("PLANTRACK_PASSWORD", "a-long-password")];
    let user = |args: &[&str]| {
        let mut all = vec!["user"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--db", db]);
        plantrack_with(&all, &pw)
    };
    // A unit no table names is refused, named; --force binds it with a warning.
    let typo = user(&["add", "li", "--role", "reporter", "--unit", "市发展改委"]);
    assert_eq!(typo.status.code(), Some(2));
    let err = String::from_utf8_lossy(&typo.stderr);
    assert!(
        err.contains("市发展改委") && err.contains("--force"),
        "{err}"
    );
    let forced = user(&[
        "add",
        "li",
        "--role",
        "reporter",
        "--unit",
        "市发展改委",
        "--force",
    ]);
    assert!(forced.status.success());
    assert!(String::from_utf8_lossy(&forced.stderr).contains("warning"));
    // Rebound to a unit the tables name, under its full name.
    let rebound = user(&["units", "li", "--unit", "市发改委"]);
    assert!(
        rebound.status.success(),
        "{}",
        String::from_utf8_lossy(&rebound.stderr)
    );
    assert!(String::from_utf8_lossy(&rebound.stdout).contains("市发展改革委"));
    assert_eq!(
        user(&["units", "li", "--unit", "市无此局"]).status.code(),
        Some(2)
    );
    // Disabled, listed so, enabled again; an unknown name is an error.
    assert!(user(&["disable", "li"]).status.success());
    let list = String::from_utf8(user(&["list"]).stdout).unwrap();
    assert!(
        list.contains("li\treporter\t市发展改革委\tdisabled"),
        "{list}"
    );
    assert!(user(&["enable", "li"]).status.success());
    let list = String::from_utf8(user(&["list"]).stdout).unwrap();
    assert!(!list.contains("disabled"), "{list}");
    assert_eq!(user(&["disable", "nobody"]).status.code(), Some(2));
}

/// `plantrack bench-serve` briefly (two clients, a second a scenario) with `more` arguments:
/// its standard output, and the scenarios of its last line of JSON (with `--json`).
fn bench_serve(more: &[&str]) -> (String, Vec<serde_json::Value>) {
    let mut args = vec!["bench-serve", "--clients", "2", "--seconds", "1"];
    args.extend_from_slice(more);
    let out = plantrack(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let scenarios = serde_json::from_str::<serde_json::Value>(stdout.lines().last().unwrap())
        .ok()
        .and_then(|last| last["scenarios"].as_array().cloned())
        .unwrap_or_default();
    (stdout, scenarios)
}

#[test]
fn bench_serve_ends_with_its_scenarios_as_json() {
    let (_, scenarios) = bench_serve(&["--regions", "0", "--json"]);
    let s = &scenarios[0];
    assert_eq!(s["name"], "demo");
    for k in ["p50_ms", "p99_ms", "requests_per_s"] {
        assert!(s[k].as_f64().is_some_and(|v| v > 0.0), "{k}: {s}");
    }
}

#[test]
fn bench_serve_serves_a_national_ledger_prepared_by_a_process_of_its_own() {
    let db = scratch("bench-national-2.db");
    let _ = std::fs::remove_file(&db);
    let national = ["--regions", "2", "--national-db", db.to_str().unwrap()];
    let (stdout, scenarios) = bench_serve(&[&national[..], &["--json"]].concat());
    // The ledger was built once (by the preparing process) and every scenario answered.
    assert_eq!(
        stdout.matches("building 10 documents of 2 regions").count(),
        1,
        "{stdout}"
    );
    let names: Vec<&str> = scenarios
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    // (A region's first request is timed apart only past 100 regions.)
    assert_eq!(
        names,
        [
            "demo",
            "random-region",
            "hot-100-regions",
            "region-comparison"
        ]
    );
    // A second run reuses the ledger.
    let (stdout, _) = bench_serve(&national);
    assert!(stdout.contains("10 documents (reused)"), "{stdout}");
    assert!(!stdout.contains("building"), "{stdout}");
}

/// The status of the 2023 target on `metric` (the first target naming it), from `reconcile`.
fn status_of_target(db: &str, metric: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "reconcile",
        "--year",
        "2023",
        "--db",
        db,
        "--format",
        "json",
    ]))
    .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .find(|x| x["target"]["metric"] == metric)
        .map(|x| x["status"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

#[test]
fn imported_figures_are_results_of_their_year_and_region() {
    let dir = scratch("import");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("ledger.db");
    let db = db.to_str().unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/tianjin");
    assert!(
        plantrack(&["ingest", samples.to_str().unwrap(), "--db", db])
            .status
            .success()
    );
    for m in ["粮食播种面积", "城镇污水集中处理率", "固定资产投资"] {
        assert_eq!(
            status_of_target(db, m),
            "no_data",
            "{m}: a work report reviews only the headlines"
        );
    }
    let csv = dir.join("统计公报2023.csv");
    std::fs::write(
        &csv,
        "地区,年份,指标,数值,单位,口径,来源\n\
         天津市,2023,粮食播种面积,577.6,万亩,总量,2023年统计公报\n\
         天津市,2023,城镇污水集中处理率,95.5,%,比重,2023年统计公报\n\
         天津市,2023,固定资产投资,-16.4,%,增速,2023年统计公报\n",
    )
    .unwrap();
    let import = |file: &Path| plantrack(&["import", file.to_str().unwrap(), "--db", db]);
    let first = import(&csv);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("3 figures imported"));
    assert_eq!(status_of_target(db, "粮食播种面积"), "achieved");
    assert_eq!(status_of_target(db, "城镇污水集中处理率"), "not_achieved");
    assert_eq!(status_of_target(db, "固定资产投资"), "not_achieved");
    // Each verdict cites the import: the file and its row.
    let v = stdout_of(&[
        "reconcile",
        "--year",
        "2023",
        "--db",
        db,
        "--format",
        "json",
    ]);
    assert!(
        v.contains("第2行：天津市2023年粮食播种面积577.6万亩"),
        "the row is the sentence"
    );
    // The same file again changes nothing; a changed file replaces its rows.
    assert!(String::from_utf8_lossy(&import(&csv).stdout).contains("unchanged"));
    std::fs::write(
        &csv,
        "地区,年份,指标,数值,单位,口径\n天津市,2023,城镇污水集中处理率,96.2,%,比重\n",
    )
    .unwrap();
    assert!(String::from_utf8_lossy(&import(&csv).stdout).contains("replacing"));
    assert_eq!(status_of_target(db, "城镇污水集中处理率"), "achieved");
    assert_eq!(
        status_of_target(db, "粮食播种面积"),
        "no_data",
        "the replaced rows are gone"
    );
    // A bad row refuses the file, naming the row; nothing of it is stored.
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "地区,年份,指标,数值\n天津市,2023,粮食播种面积,577.6\n天津市,2023,固定资产投资,约负十六\n",
    )
    .unwrap();
    let out = import(&bad);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.csv") && err.contains("第3行") && err.contains("不是数字"),
        "{err}"
    );
    assert_eq!(status_of_target(db, "粮食播种面积"), "no_data");
    // An XLSX of the same columns.
    let cell = |r: usize, c: char, v: &str| {
        format!(r#"<c r="{c}{r}" t="inlineStr"><is><t>{v}</t></is></c>"#)
    };
    let row = |r: usize, cells: [&str; 6]| {
        let cs: String = cells
            .iter()
            .zip(['A', 'B', 'C', 'D', 'E', 'F'])
            .map(|(v, c)| cell(r, c, v))
            .collect();
        format!(r#"<row r="{r}">{cs}</row>"#)
    };
    let sheet = row(1, ["地区", "年份", "指标", "数值", "单位", "口径"])
        + &row(
            2,
            ["天津市", "2023", "粮食播种面积", "577.6", "万亩", "总量"],
        );
    let xlsx = dir.join("figures.xlsx");
    std::fs::write(&xlsx, xlsx_of(sheet.as_bytes(), 1)).unwrap();
    let out = import(&xlsx);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(status_of_target(db, "粮食播种面积"), "achieved");
}
