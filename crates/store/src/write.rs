//! Writing an extraction into the ledger: one transaction per document.

use plantrack_model::{Extraction, Span, UnitNames};
use sha2::{Digest, Sha256};
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, Row, Transaction};

/// Binding an optional float through the `Any` driver.
///
/// sqlx 0.8.6 sends a NULL of kind `Double` to PostgreSQL as a `float4` NULL (and a NULL of
/// kind `Real` as `float8`: the two are swapped in `sqlx-core/src/any/arguments.rs`), which
/// PostgreSQL rejects for a `double precision` column ("incorrect binary data format"). A missing
/// value is therefore bound as an `f32` NULL, which arrives as the `float8` NULL it should be.
pub(crate) trait BindFloat<'q> {
    fn bind_f64(self, value: Option<f64>) -> Self;
}

impl<'q> BindFloat<'q> for Query<'q, Any, AnyArguments<'q>> {
    fn bind_f64(self, value: Option<f64>) -> Self {
        match value {
            Some(v) => self.bind(v),
            None => self.bind(None::<f32>),
        }
    }
}

use crate::search::Prepared;
use crate::{Store, StoreError};

/// What an ingest did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IngestOutcome {
    /// A new document.
    Inserted { id: i64 },
    /// The same content was there already: nothing changed.
    Unchanged { id: i64 },
    /// The document changed: its extraction was replaced, and `flagged` progress reports
    /// attached to its tasks were kept and marked for review.
    Replaced { id: i64, version: i64, flagged: u64 },
}

/// The content hash a document is recognised by.
pub fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn now() -> String {
    // Seconds since the epoch, written as text so that both engines store it the same way.
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    secs.to_string()
}

fn opt_i(v: Option<i32>) -> Option<i64> {
    v.map(i64::from)
}

fn to_str<T: serde_like::AsSnake>(v: &T) -> String {
    v.as_snake()
}

/// Enum to its JSON name (`five_year_plan`), without a JSON dependency.
pub(crate) mod serde_like {
    use plantrack_model::*;

    pub trait AsSnake: Sized {
        fn as_snake(&self) -> String;
        /// The value a stored name stands for.
        fn from_snake(s: &str) -> Option<Self>;
    }

    macro_rules! snake {
        ($($t:ty => { $($v:path => $s:literal),* $(,)? })*) => {
            $(impl AsSnake for $t {
                fn as_snake(&self) -> String {
                    match self { $($v => $s,)* }.to_string()
                }
                fn from_snake(s: &str) -> Option<Self> {
                    match s { $($s => Some($v),)* _ => None }
                }
            })*
        };
    }

    snake! {
        QuantityRole => { QuantityRole::Target => "target", QuantityRole::Actual => "actual" }
        Qualifier => {
            Qualifier::About => "about", Qualifier::AtLeast => "at_least",
            Qualifier::MoreThan => "more_than", Qualifier::AtMost => "at_most",
            Qualifier::Range => "range",
        }
        Direction => { Direction::Increase => "increase", Direction::Decrease => "decrease" }
        Measure => {
            Measure::Level => "level", Measure::GrowthRate => "growth_rate",
            Measure::PointChange => "point_change", Measure::Increment => "increment",
            Measure::Share => "share", Measure::Cumulative => "cumulative",
        }
        Aggregation => {
            Aggregation::FiveYearAverage => "five_year_average",
            Aggregation::FiveYearCumulative => "five_year_cumulative",
        }
        Attribute => { Attribute::Expected => "expected", Attribute::Binding => "binding" }
        MilestoneStatus => { MilestoneStatus::Done => "done", MilestoneStatus::InProgress => "in_progress" }
        PartRole => { PartRole::Review => "review", PartRole::Plan => "plan" }
        HeadingStyle => {
            HeadingStyle::Markdown => "markdown", HeadingStyle::Part => "part",
            HeadingStyle::Chapter => "chapter", HeadingStyle::Section => "section",
            HeadingStyle::ChineseOrdinal => "chinese_ordinal",
            HeadingStyle::ParenChineseOrdinal => "paren_chinese_ordinal",
            HeadingStyle::ArabicOrdinal => "arabic_ordinal",
            HeadingStyle::ParenArabicOrdinal => "paren_arabic_ordinal",
            HeadingStyle::Column => "column",
        }
    }
}

/// Who imported a file, for its audit event: the account's name and the file's.
#[derive(Debug, Clone, Copy)]
pub struct ImportedBy<'a> {
    pub actor: &'a str,
    pub file: &'a str,
}

/// Whether an error is a collision with a concurrent writer, worth trying again: SQLite busy or
/// locked, or another ingest that inserted the same document first.
fn is_contention(e: &StoreError) -> bool {
    let StoreError::Query(sqlx::Error::Database(db)) = e else {
        return false;
    };
    let busy = matches!(
        db.code().as_deref(),
        Some("5" | "6" | "517" | "40001" | "40P01")
    );
    busy || (db.is_unique_violation() && db.message().contains("documents"))
}

impl Store {
    /// Writes one document's extraction, atomically. `source` identifies the document across
    /// versions (the path it was read from); `text` is the text the spans point into.
    ///
    /// Concurrent ingests into one database are safe: a write that collides with another
    /// (SQLite busy, or the same new document inserted by both) is rolled back and tried again.
    pub async fn ingest(
        &self,
        source: &str,
        text: &str,
        x: &Extraction,
    ) -> Result<IngestOutcome, StoreError> {
        self.ingest_with(source, text, x, None, None).await
    }

    /// The same with the document's search entries made beforehand ([`Prepared::of`] on the
    /// same text and extraction: its hash is the document's), so that a caller can split the
    /// words of the next document while this one is written.
    pub async fn ingest_prepared(
        &self,
        source: &str,
        text: &str,
        x: &Extraction,
        prepared: &Prepared,
    ) -> Result<IngestOutcome, StoreError> {
        // Entries made from another text (of another length: the check costs no second hash
        // of the text) would index the wrong words: made again.
        if prepared.len != text.len() {
            return self.ingest(source, text, x).await;
        }
        self.ingest_with(source, text, x, Some(prepared), None)
            .await
    }

    /// The same, for a file a person imported (a table of figures uploaded on the web): the
    /// audit event names them as its actor and the file and its rows (figures) in its
    /// `after_json`. An unchanged file writes nothing, its event included.
    pub async fn ingest_as(
        &self,
        source: &str,
        text: &str,
        x: &Extraction,
        by: &ImportedBy<'_>,
    ) -> Result<IngestOutcome, StoreError> {
        self.ingest_with(source, text, x, None, Some(by)).await
    }

    async fn ingest_with(
        &self,
        source: &str,
        text: &str,
        x: &Extraction,
        prepared: Option<&Prepared>,
        by: Option<&ImportedBy<'_>>,
    ) -> Result<IngestOutcome, StoreError> {
        let mut attempt = 0;
        loop {
            match self.ingest_once(source, text, x, prepared, by).await {
                Err(e) if is_contention(&e) && attempt < 8 => {
                    attempt += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(20 << attempt.min(5)))
                        .await;
                }
                other => return other,
            }
        }
    }

    /// The content hash of every stored document by its source: what tells a caller that a
    /// document is unchanged before it splits its words.
    pub async fn content_hashes(
        &self,
    ) -> Result<std::collections::HashMap<String, String>, StoreError> {
        let rows = sqlx::query("SELECT source, content_hash FROM documents")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    /// Whether the document from `source` is stored with exactly this text.
    pub async fn has_content(&self, source: &str, text: &str) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT content_hash FROM documents WHERE source = $1")
            .bind(source)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => r.try_get::<String, _>(0)? == content_hash(text),
            None => false,
        })
    }

    /// Starts a write transaction, taking the write lock at once where the engine needs it
    /// ([`crate::Backend::begin_write`]).
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Any>, StoreError> {
        Ok(match self.backend.begin_write() {
            Some(begin) => self.pool.begin_with(begin).await?,
            None => self.pool.begin().await?,
        })
    }

    async fn ingest_once(
        &self,
        source: &str,
        text: &str,
        x: &Extraction,
        prepared: Option<&Prepared>,
        by: Option<&ImportedBy<'_>>,
    ) -> Result<IngestOutcome, StoreError> {
        let hash = prepared.map_or_else(|| content_hash(text), |p| p.hash.clone());
        let mut tx = self.begin_write().await?;
        let existing =
            sqlx::query("SELECT id, content_hash, version FROM documents WHERE source = $1")
                .bind(source)
                .fetch_optional(&mut *tx)
                .await?;
        let mut version = 1i64;
        let mut flagged = 0u64;
        let mut replaced = false;
        if let Some(row) = existing {
            let id: i64 = row.try_get(0)?;
            let old_hash: String = row.try_get(1)?;
            if old_hash == hash {
                tx.rollback().await?;
                return Ok(IngestOutcome::Unchanged { id });
            }
            version = row.try_get::<i64, _>(2)? + 1;
            // What the old version fed is computed again.
            crate::evaluations::stale_document(&mut tx, id).await?;
            // Cascades to every extracted row; what people attached refers to the source and
            // stays, flagged for a person to check against the new text.
            self.backend.unindex_document(&mut tx, id).await?;
            sqlx::query("DELETE FROM documents WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            flagged = sqlx::query("UPDATE progress_reports SET needs_review = 1 WHERE source = $1")
                .bind(source)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            replaced = true;
        }

        let d = &x.document;
        let parent_id = match &d.region_parent {
            Some(p) => Some(region_id(&mut tx, p, None).await?),
            None => None,
        };
        // A region named before without a parent that this document gives one: every ledger
        // naming it reads its parent otherwise.
        let parent_given = match (&d.region, parent_id) {
            (Some(r), Some(_)) => sqlx::query("SELECT parent_id FROM regions WHERE name = $1")
                .bind(r)
                .fetch_optional(&mut *tx)
                .await?
                .map(|row| row.try_get::<Option<i64>, _>(0))
                .transpose()?
                .is_some_and(|p| p.is_none()),
            _ => false,
        };
        let doc_region = match &d.region {
            Some(r) => Some(region_id(&mut tx, r, parent_id).await?),
            None => None,
        };
        let id: i64 = sqlx::query(
            "INSERT INTO documents (source, content_hash, version, kind, title, region_id, year, \
             year_end, format, encoding, text, ingested_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(source)
        .bind(&hash)
        .bind(version)
        .bind(d.kind.as_str())
        .bind(d.title.as_deref())
        .bind(doc_region)
        .bind(opt_i(d.year))
        .bind(opt_i(d.year_end))
        .bind(&d.format)
        .bind(&d.encoding)
        .bind(text)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;

        write_sections(&mut tx, id, x).await?;
        write_indicators(&mut tx, id, x).await?;
        write_quantities(&mut tx, id, x, doc_region).await?;
        write_milestones(&mut tx, id, x, doc_region).await?;
        write_tasks(&mut tx, id, x, doc_region, &self.units).await?;
        // Words split here when the caller did not split them beforehand: after the unchanged
        // check, so that an unchanged document costs no splitting.
        let made;
        let prepared = match prepared {
            Some(p) => p,
            None => {
                made = Prepared::of(text, x);
                &made
            }
        };
        self.index_document(&mut tx, id, prepared).await?;
        if parent_given {
            crate::evaluations::stale_all(&mut tx).await?;
        }
        crate::evaluations::stale_document(&mut tx, id).await?;
        sqlx::query(
            "INSERT INTO audit_events (at, actor, action, entity, entity_id, before_json, after_json) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(now())
        .bind(by.map_or("ingest", |b| b.actor))
        .bind(if replaced { "replace" } else { "insert" })
        .bind("document")
        .bind(source)
        .bind(None::<String>)
        .bind(match by {
            None => format!("{{\"content_hash\":\"{hash}\",\"version\":{version}}}"),
            Some(b) => format!(
                "{{\"content_hash\":\"{hash}\",\"version\":{version},\"file\":{},\"rows\":{}}}",
                crate::accounts::js(b.file),
                x.quantities.len()
            ),
        })
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(if replaced {
            IngestOutcome::Replaced {
                id,
                version,
                flagged,
            }
        } else {
            IngestOutcome::Inserted { id }
        })
    }
}

pub(crate) async fn region_id(
    tx: &mut Transaction<'static, Any>,
    name: &str,
    parent: Option<i64>,
) -> Result<i64, StoreError> {
    // A region named again keeps the parent it was first given, unless it had none.
    let row = sqlx::query(
        "INSERT INTO regions (name, parent_id) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET parent_id = COALESCE(regions.parent_id, excluded.parent_id) \
         RETURNING id",
    )
    .bind(name)
    .bind(parent)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get(0)?)
}

fn span(s: Span) -> (i64, i64) {
    (s.start as i64, s.end as i64)
}

/// A value of a batch insert.
pub(crate) enum V {
    I(Option<i64>),
    F(Option<f64>),
    S(Option<String>),
}

impl From<i64> for V {
    fn from(v: i64) -> V {
        V::I(Some(v))
    }
}

impl From<Option<i64>> for V {
    fn from(v: Option<i64>) -> V {
        V::I(v)
    }
}

impl From<f64> for V {
    fn from(v: f64) -> V {
        V::F(Some(v))
    }
}

impl From<Option<f64>> for V {
    fn from(v: Option<f64>) -> V {
        V::F(v)
    }
}

impl From<String> for V {
    fn from(v: String) -> V {
        V::S(Some(v))
    }
}

impl From<&str> for V {
    fn from(v: &str) -> V {
        V::S(Some(v.to_string()))
    }
}

impl From<Option<String>> for V {
    fn from(v: Option<String>) -> V {
        V::S(v)
    }
}

impl From<Option<&str>> for V {
    fn from(v: Option<&str>) -> V {
        V::S(v.map(str::to_string))
    }
}

/// Parameters per statement: far below SQLite's and PostgreSQL's limits, large enough that a
/// document's rows go in a handful of statements. One statement per row would cost a round trip
/// to the database thread each, which is what made ingest slow.
const MAX_PARAMS: usize = 4000;

/// Inserts `rows` into `table` with multi-row `INSERT`s; `tail` follows the `VALUES` list
/// (`ON CONFLICT …`, `RETURNING …`). Returns the rows a `RETURNING` clause gave back.
pub(crate) async fn insert_rows(
    tx: &mut Transaction<'static, Any>,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<V>>,
    tail: &str,
) -> Result<Vec<sqlx::any::AnyRow>, StoreError> {
    let mut out = Vec::new();
    let engine = crate::Backend::of_connection(tx.backend_name());
    let per_statement = (MAX_PARAMS / columns.len().max(1)).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<V>> = rows.by_ref().take(per_statement).collect();
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (r, row) in chunk.iter().enumerate() {
            sql.push_str(if r == 0 { "(" } else { ", (" });
            for c in 0..row.len() {
                n += 1;
                if c > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&engine.batch_parameter(n));
            }
            sql.push(')');
        }
        sql.push(' ');
        sql.push_str(tail);
        let mut q = sqlx::query(&sql);
        for v in chunk.into_iter().flatten() {
            q = match v {
                V::I(x) => q.bind(x),
                V::F(x) => q.bind_f64(x),
                V::S(x) => q.bind(x),
            };
        }
        out.extend(q.fetch_all(&mut **tx).await?);
    }
    Ok(out)
}

async fn write_sections(
    tx: &mut Transaction<'static, Any>,
    doc: i64,
    x: &Extraction,
) -> Result<(), StoreError> {
    let rows = x
        .sections
        .iter()
        .enumerate()
        .map(|(seq, s)| {
            let (a, b) = span(s.span);
            let (c, d) = span(s.extent);
            vec![
                doc.into(),
                (seq as i64).into(),
                s.parent.map(|p| p as i64).into(),
                i64::from(s.level).into(),
                to_str(&s.style).into(),
                s.marker.as_str().into(),
                s.title.as_str().into(),
                a.into(),
                b.into(),
                c.into(),
                d.into(),
                s.part.map(|p| to_str(&p.role)).into(),
                s.part.and_then(|p| opt_i(p.year)).into(),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "sections",
        &[
            "document_id",
            "seq",
            "parent_seq",
            "level",
            "style",
            "marker",
            "title",
            "span_start",
            "span_end",
            "extent_start",
            "extent_end",
            "part_role",
            "part_year",
        ],
        rows,
        "",
    )
    .await?;
    Ok(())
}

async fn write_indicators(
    tx: &mut Transaction<'static, Any>,
    doc: i64,
    x: &Extraction,
) -> Result<(), StoreError> {
    let rows = x
        .indicators
        .iter()
        .map(|i| {
            let (a, b) = span(i.span);
            let base = i.baseline.as_ref();
            let target = i.target.as_ref();
            vec![
                doc.into(),
                i64::from(i.seq).into(),
                i.name.as_str().into(),
                i.unit.as_deref().into(),
                i.category.as_deref().into(),
                base.and_then(|f| opt_i(f.year)).into(),
                base.and_then(|f| f.value).into(),
                base.map(|f| f.text.as_str()).into(),
                target.and_then(|f| opt_i(f.year)).into(),
                target.and_then(|f| f.value).into(),
                target.and_then(|f| f.qualifier.map(|q| to_str(&q))).into(),
                target.and_then(|f| f.upper).into(),
                target.map(|f| f.text.as_str()).into(),
                i.attribute.map(|v| to_str(&v)).into(),
                i.aggregation.map(|v| to_str(&v)).into(),
                a.into(),
                b.into(),
            ]
        })
        .collect();
    insert_rows(tx, "indicators", crate::ledger::INDICATOR_COLUMNS, rows, "").await?;
    Ok(())
}

/// Region ids of the regions other than the document's that items name, looked up once each.
async fn item_regions<'n>(
    tx: &mut Transaction<'static, Any>,
    names: impl Iterator<Item = &'n String>,
    x: &Extraction,
    doc_region: Option<i64>,
) -> Result<std::collections::HashMap<String, i64>, StoreError> {
    let mut ids = std::collections::HashMap::new();
    for name in names {
        if Some(name) != x.document.region.as_ref() && !ids.contains_key(name) {
            let id = region_id(tx, name, doc_region).await?;
            ids.insert(name.clone(), id);
        }
    }
    Ok(ids)
}

fn region_of(
    name: Option<&String>,
    others: &std::collections::HashMap<String, i64>,
    doc_region: Option<i64>,
) -> Option<i64> {
    name.map(|n| others.get(n).copied().or(doc_region))
        .unwrap_or(None)
}

async fn write_quantities(
    tx: &mut Transaction<'static, Any>,
    doc: i64,
    x: &Extraction,
    doc_region: Option<i64>,
) -> Result<(), StoreError> {
    let others = item_regions(
        tx,
        x.quantities.iter().filter_map(|q| q.region.as_ref()),
        x,
        doc_region,
    )
    .await?;
    let rows = x
        .quantities
        .iter()
        .map(|q| {
            let (a, b) = span(q.span);
            let (c, d) = span(q.sentence);
            vec![
                doc.into(),
                to_str(&q.role).into(),
                opt_i(q.year).into(),
                q.metric.as_str().into(),
                q.value.into(),
                q.unit.as_deref().into(),
                q.normalized.into(),
                q.base_unit.as_deref().into(),
                q.qualifier.map(|v| to_str(&v)).into(),
                q.upper.into(),
                q.direction.map(|v| to_str(&v)).into(),
                to_str(&q.measure).into(),
                q.action.as_deref().into(),
                i64::from(q.estimated).into(),
                q.aggregation.map(|v| to_str(&v)).into(),
                q.text.as_str().into(),
                a.into(),
                b.into(),
                c.into(),
                d.into(),
                region_of(q.region.as_ref(), &others, doc_region).into(),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "quantities",
        &[crate::ledger::QUANTITY_COLUMNS, &["region_id"]].concat(),
        rows,
        "",
    )
    .await?;
    Ok(())
}

async fn write_milestones(
    tx: &mut Transaction<'static, Any>,
    doc: i64,
    x: &Extraction,
    doc_region: Option<i64>,
) -> Result<(), StoreError> {
    let others = item_regions(
        tx,
        x.milestones.iter().filter_map(|m| m.region.as_ref()),
        x,
        doc_region,
    )
    .await?;
    let rows = x
        .milestones
        .iter()
        .map(|m| {
            let (a, b) = span(m.span);
            let (c, d) = span(m.sentence);
            vec![
                doc.into(),
                to_str(&m.role).into(),
                opt_i(m.year).into(),
                m.subject.as_str().into(),
                m.event.as_str().into(),
                m.status.map(|v| to_str(&v)).into(),
                m.due.as_deref().into(),
                m.text.as_str().into(),
                a.into(),
                b.into(),
                c.into(),
                d.into(),
                region_of(m.region.as_ref(), &others, doc_region).into(),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "milestones",
        &[crate::ledger::MILESTONE_COLUMNS, &["region_id"]].concat(),
        rows,
        "",
    )
    .await?;
    Ok(())
}

/// Upserts names into a registry table (`units`, `leaders`) and returns their ids by name.
async fn registry_ids(
    tx: &mut Transaction<'static, Any>,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<V>>,
    update: &str,
) -> Result<std::collections::HashMap<String, i64>, StoreError> {
    let returned = insert_rows(
        tx,
        table,
        columns,
        rows,
        &format!("ON CONFLICT (name) DO UPDATE SET {update} RETURNING id, name"),
    )
    .await?;
    returned
        .into_iter()
        .map(|r| Ok((r.try_get::<String, _>(1)?, r.try_get::<i64, _>(0)?)))
        .collect()
}

async fn write_tasks(
    tx: &mut Transaction<'static, Any>,
    doc: i64,
    x: &Extraction,
    doc_region: Option<i64>,
    rules: &UnitNames,
) -> Result<(), StoreError> {
    if x.tasks.is_empty() {
        return Ok(());
    }
    // The registries first: each distinct unit and leader once (a name twice in one multi-row
    // upsert is an error on PostgreSQL).
    let mut unit_names: Vec<&str> = x
        .tasks
        .iter()
        .flat_map(|t| t.units.iter())
        .map(|u| rules.canonical(u))
        .collect();
    unit_names.sort_unstable();
    unit_names.dedup();
    let mut unit_rows = Vec::new();
    for name in &unit_names {
        // A district government belongs to its district, a child of the document's region.
        let region = match rules.governed_region(name) {
            Some(r) => Some(region_id(tx, r, doc_region).await?),
            None => None,
        };
        unit_rows.push(vec![
            (*name).into(),
            rules.kind(name).as_str().into(),
            region.into(),
        ]);
    }
    let units = registry_ids(
        tx,
        "units",
        &["name", "kind", "region_id"],
        unit_rows,
        "kind = excluded.kind",
    )
    .await?;
    // Names written as an alias are recorded against the unit, so that either finds it.
    let mut aliases: Vec<&str> = x
        .tasks
        .iter()
        .flat_map(|t| t.units.iter())
        .map(String::as_str)
        .filter(|u| rules.canonical(u) != *u)
        .collect();
    aliases.sort_unstable();
    aliases.dedup();
    let alias_rows: Vec<Vec<V>> = aliases
        .iter()
        .map(|a| vec![(*a).into(), units[rules.canonical(a)].into()])
        .collect();
    insert_rows(
        tx,
        "unit_aliases",
        &["alias", "unit_id"],
        alias_rows,
        "ON CONFLICT (alias) DO NOTHING",
    )
    .await?;
    let mut leader_names: Vec<&str> = x
        .tasks
        .iter()
        .flat_map(|t| t.leaders.iter())
        .map(String::as_str)
        .collect();
    leader_names.sort_unstable();
    leader_names.dedup();
    let leaders = registry_ids(
        tx,
        "leaders",
        &["name"],
        leader_names.iter().map(|n| vec![(*n).into()]).collect(),
        "name = excluded.name",
    )
    .await?;

    let task_rows = x
        .tasks
        .iter()
        .map(|t| {
            let (a, b) = span(t.span);
            vec![
                doc.into(),
                i64::from(t.seq).into(),
                t.category.as_deref().into(),
                t.text.as_str().into(),
                t.deadline.as_deref().into(),
                i64::from(t.joint).into(),
                a.into(),
                b.into(),
            ]
        })
        .collect();
    let ids: std::collections::HashMap<i64, i64> = insert_rows(
        tx,
        "tasks",
        crate::ledger::TASK_COLUMNS,
        task_rows,
        "RETURNING id, seq",
    )
    .await?
    .into_iter()
    .map(|r| Ok((r.try_get::<i64, _>(1)?, r.try_get::<i64, _>(0)?)))
    .collect::<Result<_, StoreError>>()?;

    let mut unit_links = Vec::new();
    let mut leader_links = Vec::new();
    for t in &x.tasks {
        let task = ids[&i64::from(t.seq)];
        for (position, name) in t.units.iter().enumerate() {
            let role = if t.joint {
                "joint"
            } else if t.lead_unit.as_deref() == Some(name.as_str()) {
                "lead"
            } else {
                "cooperating"
            };
            let unit = units[rules.canonical(name)];
            unit_links.push(vec![
                task.into(),
                unit.into(),
                (position as i64).into(),
                role.into(),
            ]);
        }
        for (position, name) in t.leaders.iter().enumerate() {
            leader_links.push(vec![
                task.into(),
                leaders[name.as_str()].into(),
                (position as i64).into(),
            ]);
        }
    }
    // A unit or leader listed twice in one cell is one responsibility.
    insert_rows(
        tx,
        "task_units",
        &["task_id", "unit_id", "position", "role"],
        unit_links,
        "ON CONFLICT (task_id, unit_id) DO NOTHING",
    )
    .await?;
    insert_rows(
        tx,
        "task_leaders",
        &["task_id", "leader_id", "position"],
        leader_links,
        "ON CONFLICT (task_id, leader_id) DO NOTHING",
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable() {
        assert_eq!(
            content_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
