//! `plantrack regions FILE`: an office's region table (CSV or XLSX, columns `地区,上级地区` or
//! `region,parent`) loaded into the ledger's hierarchy, over what the documents implied.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use plantrack_store::{Store, StoreError};

use crate::UsageError;
use crate::ledger::runtime;

/// The rows of a region table: `(region, parent)`, a bad row named by its number.
fn rows(table: &[Vec<String>]) -> Result<Vec<(String, Option<String>)>, String> {
    let header = table.first().ok_or("the table is empty (表格是空的)")?;
    let at = |zh: &str, en: &str| {
        header
            .iter()
            .position(|h| h.trim() == zh || h.trim().eq_ignore_ascii_case(en))
    };
    let (Some(region), parent) = (at("地区", "region"), at("上级地区", "parent")) else {
        return Err("第1行：表头应为 地区,上级地区（region,parent）".into());
    };
    let parent = parent.ok_or("第1行：表头缺少“上级地区”列（parent）")?;
    let cell =
        |row: &[String], i: usize| row.get(i).map(|c| c.trim().to_string()).unwrap_or_default();
    let mut out = Vec::new();
    for (i, row) in table.iter().enumerate().skip(1) {
        let (name, up) = (cell(row, region), cell(row, parent));
        if name.is_empty() && up.is_empty() {
            continue;
        }
        if name.is_empty() {
            return Err(format!("第{}行：地区为空", i + 1));
        }
        if name == up {
            return Err(format!("第{}行：“{name}”不能是自己的上级", i + 1));
        }
        out.push((name, (!up.is_empty()).then_some(up)));
    }
    if out.is_empty() {
        return Err("第2行：表头之后没有数据行".into());
    }
    Ok(out)
}

pub fn regions_cmd(file: &Path, db: &str) -> anyhow::Result<ExitCode> {
    let name = file.display();
    let bytes = std::fs::read(file).map_err(|e| UsageError(format!("{name}: {e}")))?;
    let table =
        plantrack_read::read_rows(&bytes).map_err(|e| UsageError(format!("{name}: {e}")))?;
    let rows = rows(&table)
        .map_err(|e| UsageError(format!("{name}: {e}; nothing of the file was loaded")))?;
    runtime()?.block_on(async {
        let store = Store::open(db).await.context("opening the database")?;
        let loaded = match store.load_regions(&rows).await {
            Err(StoreError::Refused(why)) => {
                return Err(
                    UsageError(format!("{name}: {why}; nothing of the file was loaded")).into(),
                );
            }
            other => other.context("writing the regions")?,
        };
        store.close().await;
        println!(
            "{name}: {} regions, {} new, {} given a new parent",
            rows.len(),
            loaded.added,
            loaded.reparented
        );
        Ok(ExitCode::SUCCESS)
    })
}

#[cfg(test)]
mod tests {
    fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn rows_are_read_by_their_header_and_refused_by_number() {
        let ok = super::rows(&table(&[
            &["上级地区", "地区"],
            &["全国", "天津市"],
            &["天津市", "西青区"],
            &["", "全国"],
        ]))
        .unwrap();
        assert_eq!(ok[0], ("天津市".into(), Some("全国".into())));
        assert_eq!(ok[2], ("全国".into(), None));
        let err = super::rows(&table(&[
            &["region", "parent"],
            &["西青区", "天津市"],
            &["", "天津市"],
        ]))
        .unwrap_err();
        assert!(err.starts_with("第3行"), "{err}");
        let err = super::rows(&table(&[&["地区"], &["西青区"]])).unwrap_err();
        assert!(err.contains("上级地区"), "{err}");
        let err = super::rows(&table(&[&["地区", "上级地区"], &["西青区", "西青区"]])).unwrap_err();
        assert!(err.contains("自己的上级"), "{err}");
    }
}
