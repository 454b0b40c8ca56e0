//! `plantrack regions FILE`: an office's region table sets the hierarchy; a loop is refused with
//! the file named and nothing written.

use std::path::PathBuf;
use std::process::{Command, Output};

fn plantrack(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plantrack"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("plantrack-regions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn regions(db: &str) -> Vec<(String, Option<String>)> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = plantrack_store::Store::open(db).await.unwrap();
        let r = store.regions().await.unwrap();
        store.close().await;
        r.into_iter().map(|r| (r.name, r.parent)).collect()
    })
}

#[test]
fn a_region_table_sets_the_hierarchy_and_a_loop_is_refused() {
    let db = scratch("regions.db");
    let _ = std::fs::remove_file(&db);
    let db = db.to_str().unwrap();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../samples/tianjin/004_313d8db390bab93c.txt");
    let out = plantrack(&["ingest", "--db", db, sample.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = regions(db);
    assert!(before.contains(&("西青区".into(), Some("天津市".into()))));

    let table = scratch("regions.csv");
    std::fs::write(
        &table,
        "地区,上级地区\n天津市,全国\n西青区,天津市\n静海区,天津市\n",
    )
    .unwrap();
    let out = plantrack(&["regions", "--db", db, table.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = regions(db);
    for row in [
        ("天津市", Some("全国")),
        ("西青区", Some("天津市")),
        ("静海区", Some("天津市")),
        ("全国", None),
    ] {
        let want = (row.0.to_string(), row.1.map(str::to_string));
        assert!(after.contains(&want), "{want:?} in {after:?}");
    }

    // 全国 under 西青区 would make a loop: refused, naming the file, nothing written.
    std::fs::write(&table, "region,parent\n河北省,全国\n全国,西青区\n").unwrap();
    let out = plantrack(&["regions", "--db", db, table.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("regions.csv") && err.contains("全国"), "{err}");
    assert_eq!(
        regions(db),
        after,
        "nothing of the refused file was written"
    );
}
