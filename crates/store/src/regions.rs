//! The region hierarchy an office loads (全国 → province → city → district/county): each row a
//! region and its parent, which the table decides over what the documents implied.

use std::collections::HashMap;

use sqlx::Row;

use crate::{Store, StoreError};

/// What loading a region table changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RegionsLoaded {
    /// Regions new to the ledger.
    pub added: usize,
    /// Regions whose parent the table set or changed.
    pub reparented: usize,
}

impl Store {
    /// Loads `(region, parent)` rows in one transaction. A row whose parent chain would lead
    /// back to itself is refused, naming it, and nothing is written.
    pub async fn load_regions(
        &self,
        rows: &[(String, Option<String>)],
    ) -> Result<RegionsLoaded, StoreError> {
        let existing = self.regions().await?;
        let mut parent: HashMap<String, Option<String>> = existing
            .iter()
            .map(|r| (r.name.clone(), r.parent.clone()))
            .collect();
        let mut changed = RegionsLoaded::default();
        for (name, p) in rows {
            match parent.get(name) {
                None => changed.added += 1,
                Some(old) if old != p && p.is_some() => changed.reparented += 1,
                _ => {}
            }
            if let Some(p) = p {
                parent.entry(p.clone()).or_insert_with(|| {
                    changed.added += 1;
                    None
                });
            }
            if p.is_some() || !parent.contains_key(name) {
                parent.insert(name.clone(), p.clone());
            }
        }
        // A loop the table makes passes through one of its rows: the first row whose chain of
        // parents comes back to it is named.
        for (name, _) in rows {
            let mut seen = std::collections::HashSet::new();
            let mut at = name.clone();
            while let Some(Some(up)) = parent.get(&at) {
                if up == name {
                    return Err(StoreError::Refused(format!(
                        "地区“{name}”的上级链回到了它自己（经{at}）"
                    )));
                }
                if !seen.insert(up.clone()) {
                    break;
                }
                at = up.clone();
            }
        }
        let mut tx = self.begin_write().await?;
        for (name, p) in rows {
            let parent_id: Option<i64> = match p {
                None => None,
                Some(p) => Some(
                    sqlx::query(
                        "INSERT INTO regions (name) VALUES ($1) \
                         ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id",
                    )
                    .bind(p)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get(0)?,
                ),
            };
            // The table decides a region's parent; a row without one keeps what is known.
            sqlx::query(
                "INSERT INTO regions (name, parent_id) VALUES ($1, $2) \
                 ON CONFLICT (name) DO UPDATE SET parent_id = COALESCE(excluded.parent_id, regions.parent_id)",
            )
            .bind(name)
            .bind(parent_id)
            .execute(&mut *tx)
            .await?;
        }
        // A region given another parent changes every ledger that names it.
        if changed.reparented > 0 {
            crate::evaluations::stale_all(&mut tx).await?;
        }
        tx.commit().await?;
        Ok(changed)
    }
}
