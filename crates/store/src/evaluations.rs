//! The evaluations kept in the store (`evaluations`): bodies the evaluation layer computed for a
//! kind of evaluation and a key, marked waiting whenever something they depend on is written,
//! in the same transaction as that write. The store knows the keys and what touches them, not
//! what a body holds.
//!
//! - `year` (plan year, region): the items of that year set for or reported by the region and
//!   the tasks of its documents that plan the year ([`crate::LedgerFilter`] with both), with
//!   the progress reports, urges and extensions of those tasks.
//! - `plan` (0, region): every item and indicator of the region (the filter with the region only).
//!
//! A document touches the keys of its items (year, and region: the item's own, else the
//! document's) and its own (its year and region), before a new version replaces it and after.

use sqlx::any::Any;
use sqlx::{Row, Transaction};

use crate::{Store, StoreError};

/// Which evaluation a body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EvaluationKind {
    /// A region's targets, verdicts and task statuses of one plan year.
    Year,
    /// A region's five-year plans' indicators (year 0).
    Plan,
}

impl EvaluationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EvaluationKind::Year => "year",
            EvaluationKind::Plan => "plan",
        }
    }

    fn of(s: &str) -> Option<EvaluationKind> {
        match s {
            "year" => Some(EvaluationKind::Year),
            "plan" => Some(EvaluationKind::Plan),
            _ => None,
        }
    }
}

/// What an evaluation is of: its kind, year (0 for a plan) and region.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EvaluationKey {
    pub kind: EvaluationKind,
    pub year: i32,
    pub region: String,
}

impl EvaluationKey {
    pub fn year(year: i32, region: &str) -> EvaluationKey {
        EvaluationKey {
            kind: EvaluationKind::Year,
            year,
            region: region.to_string(),
        }
    }

    pub fn plan(region: &str) -> EvaluationKey {
        EvaluationKey {
            kind: EvaluationKind::Plan,
            year: 0,
            region: region.to_string(),
        }
    }
}

/// A kept evaluation's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptEvaluation {
    /// How many writes have touched it; a body is kept only for the generation it was computed at.
    pub generation: i64,
    pub basis: String,
    pub as_of: String,
    /// `None` while it waits to be computed again.
    pub body: Option<Body>,
}

/// A kept evaluation's body: JSON, read as bytes and checked as UTF-8 when its text is asked
/// for, by a vectorised check (`simdutf8`) rather than the driver's (see
/// `Backend::text_as_bytes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body(Vec<u8>);

impl Body {
    /// The body's text, or `None` when its bytes are not UTF-8 (no body the store kept).
    pub fn text(&self) -> Option<&str> {
        simdutf8::basic::from_utf8(&self.0).ok()
    }
}

fn key_of(r: &sqlx::any::AnyRow) -> Result<Option<EvaluationKey>, StoreError> {
    let kind: String = r.try_get(0)?;
    let Some(kind) = EvaluationKind::of(&kind) else {
        return Ok(None);
    };
    Ok(Some(EvaluationKey {
        kind,
        year: r.try_get::<i64, _>(1)? as i32,
        region: r.try_get(2)?,
    }))
}

/// Marks these keys waiting (a row made for a key not kept yet, so that a refresh finds it).
async fn stale(
    tx: &mut Transaction<'static, Any>,
    keys: &[(String, i64, String)],
) -> Result<(), StoreError> {
    for (kind, year, region) in keys {
        sqlx::query(
            "INSERT INTO evaluations (kind, year, region) VALUES ($1, $2, $3) \
             ON CONFLICT (kind, year, region) DO UPDATE \
             SET generation = evaluations.generation + 1, body = NULL",
        )
        .bind(kind)
        .bind(year)
        .bind(region)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The keys a stored document touches, by its key in the store.
async fn keys_of_document(
    tx: &mut Transaction<'static, Any>,
    id: i64,
) -> Result<Vec<(String, i64, String)>, StoreError> {
    let mut keys = Vec::new();
    for r in sqlx::query(
        "SELECT x.year, r.name FROM quantities x JOIN documents d ON d.id = x.document_id \
         JOIN regions r ON r.id = COALESCE(x.region_id, d.region_id) WHERE x.document_id = $1 \
         UNION SELECT x.year, r.name FROM milestones x JOIN documents d ON d.id = x.document_id \
         JOIN regions r ON r.id = COALESCE(x.region_id, d.region_id) WHERE x.document_id = $1 \
         UNION SELECT d.year, r.name FROM documents d JOIN regions r ON r.id = d.region_id \
         WHERE d.id = $1",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?
    {
        let year: Option<i64> = r.try_get(0)?;
        let region: String = r.try_get(1)?;
        if let Some(y) = year {
            keys.push(("year".to_string(), y, region.clone()));
        }
        keys.push(("plan".to_string(), 0, region));
    }
    keys.sort();
    keys.dedup();
    Ok(keys)
}

/// Marks waiting what the document with key `id` touches (called before it is replaced and
/// after it is written).
pub(crate) async fn stale_document(
    tx: &mut Transaction<'static, Any>,
    id: i64,
) -> Result<(), StoreError> {
    let keys = keys_of_document(tx, id).await?;
    stale(tx, &keys).await
}

/// Marks waiting the year and the plans of the region of the document read from `source` (what
/// its tasks' progress reports, urges and extensions change).
pub(crate) async fn stale_source(
    tx: &mut Transaction<'static, Any>,
    source: &str,
) -> Result<(), StoreError> {
    let mut keys = Vec::new();
    for r in sqlx::query(
        "SELECT d.year, r.name FROM documents d JOIN regions r ON r.id = d.region_id \
         WHERE d.source = $1 AND d.year IS NOT NULL",
    )
    .bind(source)
    .fetch_all(&mut **tx)
    .await?
    {
        let region: String = r.try_get(1)?;
        keys.push(("year".to_string(), r.try_get::<i64, _>(0)?, region.clone()));
        // The region's plan ledger holds the same tasks with what supervision added.
        keys.push(("plan".to_string(), 0, region));
    }
    stale(tx, &keys).await
}

/// Marks every kept evaluation waiting (the regions' hierarchy changed: every ledger's regions
/// may read otherwise).
pub(crate) async fn stale_all(tx: &mut Transaction<'static, Any>) -> Result<(), StoreError> {
    sqlx::query("UPDATE evaluations SET generation = generation + 1, body = NULL")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// The kept evaluation of `key`, if there is a row for it.
    pub async fn kept_evaluation(
        &self,
        key: &EvaluationKey,
    ) -> Result<Option<KeptEvaluation>, StoreError> {
        let sql = format!(
            "SELECT generation, basis, as_of, {} FROM evaluations \
             WHERE kind = $1 AND year = $2 AND region = $3",
            self.backend.text_as_bytes("body")
        );
        let row = sqlx::query(&sql)
            .bind(key.kind.as_str())
            .bind(key.year as i64)
            .bind(&key.region)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(KeptEvaluation {
                generation: r.try_get(0)?,
                basis: r.try_get(1)?,
                as_of: r.try_get(2)?,
                body: r.try_get::<Option<Vec<u8>>, _>(3)?.map(Body),
            })
        })
        .transpose()
    }

    /// The generation a computation of `key` starts from: read before the ledger is, so that a
    /// write in between makes [`Store::keep_evaluation`] refuse the body. Makes the row when
    /// there is none.
    pub async fn evaluation_generation(&self, key: &EvaluationKey) -> Result<i64, StoreError> {
        sqlx::query(
            "INSERT INTO evaluations (kind, year, region) VALUES ($1, $2, $3) \
             ON CONFLICT (kind, year, region) DO NOTHING",
        )
        .bind(key.kind.as_str())
        .bind(key.year as i64)
        .bind(&key.region)
        .execute(&self.pool)
        .await?;
        Ok(sqlx::query(
            "SELECT generation FROM evaluations WHERE kind = $1 AND year = $2 AND region = $3",
        )
        .bind(key.kind.as_str())
        .bind(key.year as i64)
        .bind(&key.region)
        .fetch_one(&self.pool)
        .await?
        .try_get(0)?)
    }

    /// Keeps `body` for `key` if nothing it depends on was written since `generation` was read;
    /// says whether it was kept.
    pub async fn keep_evaluation(
        &self,
        key: &EvaluationKey,
        generation: i64,
        basis: &str,
        as_of: &str,
        body: &str,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE evaluations SET basis = $1, as_of = $2, body = $3 \
             WHERE kind = $4 AND year = $5 AND region = $6 AND generation = $7",
        )
        .bind(basis)
        .bind(as_of)
        .bind(body)
        .bind(key.kind.as_str())
        .bind(key.year as i64)
        .bind(&key.region)
        .bind(generation)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The keys waiting to be computed (touched by a write since they were).
    pub async fn waiting_evaluations(&self) -> Result<Vec<EvaluationKey>, StoreError> {
        self.evaluation_keys_where(None).await
    }

    /// The keys to compute again for an evaluator of `basis`: those waiting, and those kept by an
    /// evaluator of another basis (another build, lexicon, clock or scoring rules), which it
    /// would not read.
    pub async fn evaluations_to_refresh(
        &self,
        basis: &str,
    ) -> Result<Vec<EvaluationKey>, StoreError> {
        self.evaluation_keys_where(Some(basis)).await
    }

    /// The keys without a body, and with a basis other than `basis` when one is given.
    async fn evaluation_keys_where(
        &self,
        basis: Option<&str>,
    ) -> Result<Vec<EvaluationKey>, StoreError> {
        // Two parts, each read from its own index (`evaluations_waiting`; `evaluations_basis`,
        // searched on both sides of the basis) rather than one scan of the rows and their
        // bodies; a key in both is listed once. No basis: the second part finds nothing.
        let rows = sqlx::query(
            "SELECT kind, year, region FROM evaluations WHERE body IS NULL \
             UNION ALL SELECT kind, year, region FROM evaluations \
             WHERE basis < $1 OR basis > $1",
        )
        .bind(basis)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            out.extend(key_of(r)?);
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// Every key the ledger holds something for, whatever is kept: what a rebuild computes.
    pub async fn evaluation_keys(&self) -> Result<Vec<EvaluationKey>, StoreError> {
        let rows = sqlx::query(
            "SELECT x.year, r.name FROM quantities x JOIN documents d ON d.id = x.document_id \
             JOIN regions r ON r.id = COALESCE(x.region_id, d.region_id) \
             UNION SELECT x.year, r.name FROM milestones x JOIN documents d ON d.id = x.document_id \
             JOIN regions r ON r.id = COALESCE(x.region_id, d.region_id) \
             UNION SELECT d.year, r.name FROM documents d JOIN regions r ON r.id = d.region_id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut keys = Vec::new();
        for r in &rows {
            let year: Option<i64> = r.try_get(0)?;
            let region: String = r.try_get(1)?;
            if let Some(y) = year {
                keys.push(EvaluationKey::year(y as i32, &region));
            }
            keys.push(EvaluationKey::plan(&region));
        }
        keys.sort();
        keys.dedup();
        Ok(keys)
    }

    /// Every kept body with its key and day, in key order (what a rebuild is compared with).
    pub async fn kept_evaluations(
        &self,
    ) -> Result<Vec<(EvaluationKey, String, Option<String>)>, StoreError> {
        let rows = sqlx::query(
            "SELECT kind, year, region, as_of, body FROM evaluations ORDER BY kind, year, region",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            if let Some(k) = key_of(r)? {
                out.push((k, r.try_get(3)?, r.try_get(4)?));
            }
        }
        Ok(out)
    }

    /// How many evaluations are kept (with a body) and how many wait. (Not their bytes: to
    /// count those SQLite reads every body through, seconds at a national ledger.)
    pub async fn evaluation_counts(&self) -> Result<(i64, i64), StoreError> {
        let r = sqlx::query("SELECT COUNT(body), COUNT(*) - COUNT(body) FROM evaluations")
            .fetch_one(&self.pool)
            .await?;
        Ok((r.try_get(0)?, r.try_get(1)?))
    }

    /// Forgets every kept evaluation (a rebuild starts from nothing).
    pub async fn forget_evaluations(&self) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM evaluations")
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
