//! Writing an extraction into the ledger: one transaction per document.

use plantrack_model::{Extraction, Span, Task};
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
trait BindFloat<'q> {
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

/// Units written under another name (`市发改委` = `市发展改革委`): alias, canonical name.
const UNIT_ALIASES: &[(&str, &str)] = &[
    ("市发改委", "市发展改革委"),
    ("市发展和改革委员会", "市发展改革委"),
    ("市工信局", "市工业和信息化局"),
    ("市人力社保局", "市人社局"),
    ("市住建委", "市住房城乡建设委"),
    ("市卫健委", "市卫生健康委"),
    ("市市场监管局", "市市场监管委"),
    ("市农委", "市农业农村委"),
];

/// The content hash a document is recognised by.
pub fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn now() -> String {
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
mod serde_like {
    use plantrack_model::*;

    pub trait AsSnake {
        fn as_snake(&self) -> String;
    }

    macro_rules! snake {
        ($($t:ty => { $($v:path => $s:literal),* $(,)? })*) => {
            $(impl AsSnake for $t {
                fn as_snake(&self) -> String {
                    match self { $($v => $s,)* }.to_string()
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
        let mut attempt = 0;
        loop {
            match self.ingest_once(source, text, x).await {
                Err(e) if is_contention(&e) && attempt < 8 => {
                    attempt += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(20 << attempt.min(5)))
                        .await;
                }
                other => return other,
            }
        }
    }

    /// Starts a write transaction. SQLite takes the write lock at once (`BEGIN IMMEDIATE`), so
    /// that two writers queue on the busy timeout instead of failing when a read turns into a
    /// write; PostgreSQL's default is already right.
    async fn begin_write(&self) -> Result<Transaction<'static, Any>, StoreError> {
        Ok(match self.backend {
            crate::Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            crate::Backend::Postgres => self.pool.begin().await?,
        })
    }

    async fn ingest_once(
        &self,
        source: &str,
        text: &str,
        x: &Extraction,
    ) -> Result<IngestOutcome, StoreError> {
        let hash = content_hash(text);
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
            // Cascades to every extracted row; what people attached refers to the source and
            // stays, flagged for a person to check against the new text.
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
        for t in &x.tasks {
            write_task(&mut tx, id, t, doc_region).await?;
        }
        sqlx::query(
            "INSERT INTO audit_events (at, actor, action, entity, entity_id, before_json, after_json) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(now())
        .bind("ingest")
        .bind(if replaced { "replace" } else { "insert" })
        .bind("document")
        .bind(source)
        .bind(None::<String>)
        .bind(format!("{{\"content_hash\":\"{hash}\",\"version\":{version}}}"))
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

async fn region_id(
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

async fn write_sections(
    tx: &mut Transaction<'static, Any>,
    doc: i64,
    x: &Extraction,
) -> Result<(), StoreError> {
    for (seq, s) in x.sections.iter().enumerate() {
        let (a, b) = span(s.span);
        let (c, d) = span(s.extent);
        sqlx::query(
            "INSERT INTO sections (document_id, seq, parent_seq, level, style, marker, title, \
             span_start, span_end, extent_start, extent_end, part_role, part_year) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(doc)
        .bind(seq as i64)
        .bind(s.parent.map(|p| p as i64))
        .bind(i64::from(s.level))
        .bind(to_str(&s.style))
        .bind(&s.marker)
        .bind(&s.title)
        .bind(a)
        .bind(b)
        .bind(c)
        .bind(d)
        .bind(s.part.map(|p| to_str(&p.role)))
        .bind(s.part.and_then(|p| opt_i(p.year)))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn write_indicators(
    tx: &mut Transaction<'static, Any>,
    doc: i64,
    x: &Extraction,
) -> Result<(), StoreError> {
    for i in &x.indicators {
        let (a, b) = span(i.span);
        let base = i.baseline.as_ref();
        let target = i.target.as_ref();
        sqlx::query(
            "INSERT INTO indicators (document_id, seq, name, unit, category, baseline_year, \
             baseline_value, baseline_text, target_year, target_value, target_qualifier, \
             target_upper, target_text, attribute, aggregation, span_start, span_end) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        )
        .bind(doc)
        .bind(i64::from(i.seq))
        .bind(&i.name)
        .bind(i.unit.as_deref())
        .bind(i.category.as_deref())
        .bind(base.and_then(|f| opt_i(f.year)))
        .bind_f64(base.and_then(|f| f.value))
        .bind(base.map(|f| f.text.as_str()))
        .bind(target.and_then(|f| opt_i(f.year)))
        .bind_f64(target.and_then(|f| f.value))
        .bind(target.and_then(|f| f.qualifier.map(|q| to_str(&q))))
        .bind_f64(target.and_then(|f| f.upper))
        .bind(target.map(|f| f.text.as_str()))
        .bind(i.attribute.map(|v| to_str(&v)))
        .bind(i.aggregation.map(|v| to_str(&v)))
        .bind(a)
        .bind(b)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn write_quantities(
    tx: &mut Transaction<'static, Any>,
    doc: i64,
    x: &Extraction,
    doc_region: Option<i64>,
) -> Result<(), StoreError> {
    for q in &x.quantities {
        let region = match &q.region {
            Some(r) if Some(r) != x.document.region.as_ref() => {
                Some(region_id(tx, r, doc_region).await?)
            }
            Some(_) => doc_region,
            None => None,
        };
        let (a, b) = span(q.span);
        let (c, d) = span(q.sentence);
        sqlx::query(
            "INSERT INTO quantities (document_id, role, year, region_id, metric, value, unit, \
             normalized, base_unit, qualifier, upper, direction, measure, action, estimated, \
             aggregation, sentence, span_start, span_end, sentence_start, sentence_end) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
             $18, $19, $20, $21)",
        )
        .bind(doc)
        .bind(to_str(&q.role))
        .bind(opt_i(q.year))
        .bind(region)
        .bind(&q.metric)
        .bind(q.value)
        .bind(q.unit.as_deref())
        .bind(q.normalized)
        .bind(q.base_unit.as_deref())
        .bind(q.qualifier.map(|v| to_str(&v)))
        .bind_f64(q.upper)
        .bind(q.direction.map(|v| to_str(&v)))
        .bind(to_str(&q.measure))
        .bind(q.action.as_deref())
        .bind(i64::from(q.estimated))
        .bind(q.aggregation.map(|v| to_str(&v)))
        .bind(&q.text)
        .bind(a)
        .bind(b)
        .bind(c)
        .bind(d)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn write_milestones(
    tx: &mut Transaction<'static, Any>,
    doc: i64,
    x: &Extraction,
    doc_region: Option<i64>,
) -> Result<(), StoreError> {
    for m in &x.milestones {
        let region = match &m.region {
            Some(r) if Some(r) != x.document.region.as_ref() => {
                Some(region_id(tx, r, doc_region).await?)
            }
            Some(_) => doc_region,
            None => None,
        };
        let (a, b) = span(m.span);
        let (c, d) = span(m.sentence);
        sqlx::query(
            "INSERT INTO milestones (document_id, role, year, region_id, subject, event, status, \
             due, sentence, span_start, span_end, sentence_start, sentence_end) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(doc)
        .bind(to_str(&m.role))
        .bind(opt_i(m.year))
        .bind(region)
        .bind(&m.subject)
        .bind(&m.event)
        .bind(m.status.map(|v| to_str(&v)))
        .bind(m.due.as_deref())
        .bind(&m.text)
        .bind(a)
        .bind(b)
        .bind(c)
        .bind(d)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The kind of a responsible unit, from its name: a group of governments (`各区人民政府`), a
/// district government (`西青区人民政府`) or a department.
fn unit_kind(name: &str) -> &'static str {
    if name.starts_with('各') || name.starts_with("相关") {
        "group"
    } else if name.ends_with("人民政府") {
        "government"
    } else {
        "unit"
    }
}

/// The canonical name of a unit written under an alias.
pub fn canonical_unit(name: &str) -> &str {
    UNIT_ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map_or(name, |(_, canonical)| canonical)
}

async fn unit_id(
    tx: &mut Transaction<'static, Any>,
    name: &str,
    doc_region: Option<i64>,
) -> Result<i64, StoreError> {
    let name = canonical_unit(name);
    let kind = unit_kind(name);
    // A district government belongs to its district, a child of the document's region.
    let region = match name.strip_suffix("人民政府") {
        Some(r) if kind == "government" && !r.is_empty() => {
            Some(region_id(tx, r, doc_region).await?)
        }
        _ => None,
    };
    let row = sqlx::query(
        "INSERT INTO units (name, kind, region_id) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO UPDATE SET kind = excluded.kind RETURNING id",
    )
    .bind(name)
    .bind(kind)
    .bind(region)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get(0)?)
}

async fn write_task(
    tx: &mut Transaction<'static, Any>,
    doc: i64,
    t: &Task,
    doc_region: Option<i64>,
) -> Result<(), StoreError> {
    let (a, b) = span(t.span);
    let task_id: i64 = sqlx::query(
        "INSERT INTO tasks (document_id, seq, category, text, deadline, joint, span_start, span_end) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(doc)
    .bind(i64::from(t.seq))
    .bind(t.category.as_deref())
    .bind(&t.text)
    .bind(t.deadline.as_deref())
    .bind(i64::from(t.joint))
    .bind(a)
    .bind(b)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    for (position, name) in t.units.iter().enumerate() {
        let unit = unit_id(tx, name, doc_region).await?;
        let role = if t.joint {
            "joint"
        } else if t.lead_unit.as_deref() == Some(name.as_str()) {
            "lead"
        } else {
            "cooperating"
        };
        // A unit listed twice in one cell is one responsibility.
        sqlx::query(
            "INSERT INTO task_units (task_id, unit_id, position, role) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (task_id, unit_id) DO NOTHING",
        )
        .bind(task_id)
        .bind(unit)
        .bind(position as i64)
        .bind(role)
        .execute(&mut **tx)
        .await?;
    }
    for (position, name) in t.leaders.iter().enumerate() {
        let leader: i64 = sqlx::query(
            "INSERT INTO leaders (name) VALUES ($1) \
             ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id",
        )
        .bind(name)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
        sqlx::query(
            "INSERT INTO task_leaders (task_id, leader_id, position) VALUES ($1, $2, $3) \
             ON CONFLICT (task_id, leader_id) DO NOTHING",
        )
        .bind(task_id)
        .bind(leader)
        .bind(position as i64)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_names() {
        assert_eq!(canonical_unit("市发改委"), "市发展改革委");
        assert_eq!(canonical_unit("市财政局"), "市财政局");
        assert_eq!(unit_kind("各区人民政府"), "group");
        assert_eq!(unit_kind("相关区人民政府"), "group");
        assert_eq!(unit_kind("西青区人民政府"), "government");
        assert_eq!(unit_kind("市教委"), "unit");
    }

    #[test]
    fn hashes_are_stable() {
        assert_eq!(
            content_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
