//! Loading the ledger back as domain values, for the evaluations: documents, regions,
//! indicators, tasks, quantities and milestones, optionally for one year and one region.

use std::collections::HashMap;

use plantrack_model::{
    DocumentKind, DocumentRef, Extension, HeadingStyle, Indicator, Ledger, Located, Milestone,
    Part, ProgressReport, Quantity, Region, Section, Span, Submission, TableFigure, Task, Urge,
};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::write::serde_like::AsSnake;
use crate::{Store, StoreError};

/// Which part of the ledger to load.
#[derive(Debug, Clone, Default)]
pub struct LedgerFilter {
    /// Quantities and milestones of this year, and the tasks of documents that plan it.
    /// `None` loads every year (plan evaluations need them all).
    pub year: Option<i32>,
    /// Quantities and milestones set for or reported by this region, and its documents'
    /// tasks and indicators.
    pub region: Option<String>,
    /// Only the items of this document (its key in the store).
    pub document: Option<i64>,
}

fn enum_of<T: AsSnake>(s: Option<String>) -> Option<T> {
    s.as_deref().and_then(T::from_snake)
}

/// ` WHERE a AND b`, or nothing.
fn where_clause(conditions: &[String]) -> String {
    if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    }
}

/// The columns of a document as the ledger refers to it, from `documents d` joined to its
/// region `r`, read by [`doc_ref`] under these names.
const DOCUMENT_COLUMNS: &str = "d.id AS id, d.source AS source, d.title AS title, d.kind AS kind, r.name AS region, \
     d.year AS year";

/// A document as the ledger refers to it, from a row of [`DOCUMENT_COLUMNS`].
fn doc_ref(r: &AnyRow) -> Result<DocumentRef, StoreError> {
    Ok(DocumentRef {
        id: Some(get(r, "id")?),
        source: get(r, "source")?,
        title: get(r, "title")?,
        kind: DocumentKind::parse(&get::<String>(r, "kind")?).unwrap_or(DocumentKind::Other),
        region: get(r, "region")?,
        year: year_of(r, "year")?,
    })
}

/// The columns of a section, read by [`section`] under their own names.
const SECTION_COLUMNS: &str = "level, style, marker, title, span_start, span_end, extent_start, \
     extent_end, parent_seq, part_role, part_year";

/// A section from a row of [`SECTION_COLUMNS`].
fn section(r: &AnyRow) -> Result<Section, StoreError> {
    Ok(Section {
        level: get::<i64>(r, "level")? as u8,
        style: enum_of(get(r, "style")?).unwrap_or(HeadingStyle::Markdown),
        number: None,
        marker: get(r, "marker")?,
        title: get(r, "title")?,
        span: span_of(r, "span_start", "span_end")?,
        extent: span_of(r, "extent_start", "extent_end")?,
        parent: get::<Option<i64>>(r, "parent_seq")?.map(|p| p as usize),
        part: enum_of(get(r, "part_role")?).map(|role| Part {
            role,
            year: year_of(r, "part_year").ok().flatten(),
        }),
    })
}

impl Store {
    /// The key of a region by its name.
    pub async fn region_id(&self, name: &str) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query("SELECT id FROM regions WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.try_get::<i64, _>(0))
            .transpose()?)
    }

    /// A document with its full text, by its key.
    pub async fn document(&self, id: i64) -> Result<Option<(DocumentRef, String)>, StoreError> {
        let sql = format!(
            "SELECT {DOCUMENT_COLUMNS}, d.text AS text FROM documents d \
             LEFT JOIN regions r ON r.id = d.region_id WHERE d.id = {id}"
        );
        let Some(r) = sqlx::query(&sql).fetch_optional(&self.pool).await? else {
            return Ok(None);
        };
        Ok(Some((doc_ref(&r)?, get(&r, "text")?)))
    }

    /// A document's headings (its outline), in document order, as the extractor found them.
    pub async fn sections(&self, id: i64) -> Result<Vec<Section>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {SECTION_COLUMNS} FROM sections WHERE document_id = $1 ORDER BY seq"
        ))
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(section).collect()
    }

    /// The outline of each document (empty for one not in the store), in the given order: what
    /// a report that follows the documents' own sections reads.
    pub async fn outlines(
        &self,
        documents: &[DocumentRef],
    ) -> Result<Vec<Vec<Section>>, StoreError> {
        let mut out = Vec::with_capacity(documents.len());
        for d in documents {
            out.push(match d.id {
                Some(id) => self.sections(id).await?,
                None => Vec::new(),
            });
        }
        Ok(out)
    }

    /// Every document, without its text, by source.
    pub async fn documents(&self) -> Result<Vec<DocumentRef>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {DOCUMENT_COLUMNS} FROM documents d \
             LEFT JOIN regions r ON r.id = d.region_id ORDER BY d.source"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(doc_ref).collect()
    }

    /// The years that have targets, oldest first.
    pub async fn target_years(&self) -> Result<Vec<i32>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT year FROM quantities WHERE role = 'target' AND year IS NOT NULL \
             ORDER BY year",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok(r.try_get::<i64, _>(0)? as i32))
            .collect()
    }

    /// Every region with its parent.
    pub async fn regions(&self) -> Result<Vec<Region>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.name AS name, p.name AS parent FROM regions r \
             LEFT JOIN regions p ON p.id = r.parent_id ORDER BY r.name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Region {
                    name: get(r, "name")?,
                    parent: get(r, "parent")?,
                })
            })
            .collect()
    }

    /// A number that changes whenever a document is added, replaced or removed, or a progress
    /// report submitted or reviewed: caches compare it to know they are stale.
    pub async fn version(&self) -> Result<i64, StoreError> {
        let r = sqlx::query(
            "SELECT COUNT(*), COALESCE(MAX(id), 0), CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM documents",
        )
        .fetch_one(&self.pool)
        .await?;
        let (n, max, versions): (i64, i64, i64) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
        // Progress reports show on the pages too: a submission or a review changes the version.
        let p = sqlx::query(
            "SELECT COUNT(*), COALESCE(MAX(id), 0), COUNT(reviewed_at) FROM progress_reports",
        )
        .fetch_one(&self.pool)
        .await?;
        let (reports, last, reviewed): (i64, i64, i64) =
            (p.try_get(0)?, p.try_get(1)?, p.try_get(2)?);
        // So do urges and extension requests, asked and decided.
        let u = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM urges), (SELECT COUNT(*) FROM extension_requests), \
             (SELECT COUNT(decided_at) FROM extension_requests)",
        )
        .fetch_one(&self.pool)
        .await?;
        let (urges, asked, decided): (i64, i64, i64) =
            (u.try_get(0)?, u.try_get(1)?, u.try_get(2)?);
        Ok(n.wrapping_mul(1_000_003)
            ^ max.wrapping_mul(7_919)
            ^ versions
            ^ reports.wrapping_mul(104_729).rotate_left(21)
            ^ last.wrapping_mul(15_485_863).rotate_left(37)
            ^ reviewed.rotate_left(50)
            ^ urges.wrapping_mul(7_727).rotate_left(13)
            ^ asked.wrapping_mul(6_113).rotate_left(29)
            ^ decided.wrapping_mul(3_301).rotate_left(45))
    }

    /// The rows `sql` selects for each document (`$1` is its source), read by `read`, each with
    /// its document's index in the ledger.
    async fn per_document<T>(
        &self,
        documents: &[(usize, String)],
        sql: &str,
        read: impl Fn(&AnyRow) -> Result<T, StoreError>,
    ) -> Result<Vec<Located<T>>, StoreError> {
        let mut out = Vec::new();
        for (k, source) in documents {
            for r in sqlx::query(sql).bind(source).fetch_all(&self.pool).await? {
                out.push(Located {
                    document: *k,
                    item: read(&r)?,
                });
            }
        }
        Ok(out)
    }

    /// The ledger, or the part of it the filter names. Everything is selected in SQL, so that
    /// one region of a national ledger is read without the others; each table is read by its
    /// own loader (the `Loaded` impls below: its columns beside its row reader).
    pub async fn ledger(&self, filter: &LedgerFilter) -> Result<Ledger, StoreError> {
        let region_id = match &filter.region {
            Some(name) => Some(self.region_id(name).await?.unwrap_or(-1)),
            None => None,
        };
        let items = ItemFilter::new(filter, region_id);
        let quantities: Vec<(i64, Quantity)> = self.load(&items.select::<Quantity>()).await?;
        let milestones: Vec<(i64, Milestone)> = self.load(&items.select::<Milestone>()).await?;

        // Indicators and tasks: of the region's documents (tasks: of documents that plan the
        // year).
        let mut docs: Vec<String> = Vec::new();
        if let Some(id) = region_id {
            docs.push(format!("d.region_id = {id}"));
        }
        if let Some(id) = filter.document {
            docs.push(format!("d.id = {id}"));
        }
        let indicator_docs = where_clause(&docs);
        if let Some(y) = filter.year {
            docs.push(format!("d.year = {y}"));
        }
        let task_docs = where_clause(&docs);
        let indicators: Vec<(i64, Indicator)> = self
            .load(&format!(
                "SELECT {} FROM indicators x JOIN documents d ON d.id = x.document_id\
                 {indicator_docs} ORDER BY x.document_id, x.seq",
                Indicator::select()
            ))
            .await?;
        let tasks = self.tasks(&task_docs).await?;
        // The documents the items come from, by source.
        let mut ids: Vec<i64> = quantities
            .iter()
            .map(|x| x.0)
            .chain(milestones.iter().map(|x| x.0))
            .chain(indicators.iter().map(|x| x.0))
            .chain(tasks.iter().map(|x| x.0))
            .chain(filter.document)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut ledger = Ledger {
            documents: self.documents_by_key(&ids).await?,
            ..Ledger::default()
        };
        let doc_index: HashMap<i64, usize> = ledger
            .documents
            .iter()
            .enumerate()
            .map(|(k, d)| (d.id.unwrap_or_default(), k))
            .collect();
        fn place<T>(doc_index: &HashMap<i64, usize>, v: Vec<(i64, T)>) -> Vec<Located<T>> {
            let mut out: Vec<Located<T>> = v
                .into_iter()
                .filter_map(|(d, item)| {
                    Some(Located {
                        document: *doc_index.get(&d)?,
                        item,
                    })
                })
                .collect();
            // By document (in the order of sources), then as read.
            out.sort_by_key(|l| l.document);
            out
        }
        ledger.quantities = place(&doc_index, quantities);
        ledger.milestones = place(&doc_index, milestones);
        ledger.indicators = place(&doc_index, indicators);
        ledger.tasks = place(&doc_index, tasks);
        self.supervision(&mut ledger).await?;
        // The regions the ledger names, with their parents.
        let mut names: Vec<&str> = ledger
            .documents
            .iter()
            .filter_map(|d| d.region.as_deref())
            .chain(
                ledger
                    .quantities
                    .iter()
                    .filter_map(|q| q.item.region.as_deref()),
            )
            .chain(
                ledger
                    .milestones
                    .iter()
                    .filter_map(|m| m.item.region.as_deref()),
            )
            .collect();
        names.sort_unstable();
        names.dedup();
        ledger.regions = self.regions_named(&names).await?;
        Ok(ledger)
    }
}

/// Which quantities and milestones a filter selects: of the year; of the region (their own, or
/// their document's when they name none); of the document. The two ways of belonging to a
/// region are two selects joined by `UNION ALL`, each on its own index (`(region_id, year)`,
/// and `document_id`), since engines read an `OR` across them as a scan.
struct ItemFilter {
    alternatives: Vec<String>,
}

impl ItemFilter {
    fn new(filter: &LedgerFilter, region_id: Option<i64>) -> ItemFilter {
        let mut common: Vec<String> = Vec::new();
        if let Some(y) = filter.year {
            common.push(format!("x.year = {y}"));
        }
        if let Some(id) = filter.document {
            common.push(format!("x.document_id = {id}"));
        }
        let alternatives = match region_id {
            None => vec![where_clause(&common)],
            Some(id) => {
                let own = [common.clone(), vec![format!("x.region_id = {id}")]].concat();
                let documents = [
                    common,
                    vec![format!(
                        "x.region_id IS NULL AND x.document_id IN \
                         (SELECT id FROM documents WHERE region_id = {id})"
                    )],
                ]
                .concat();
                vec![where_clause(&own), where_clause(&documents)]
            }
        };
        ItemFilter { alternatives }
    }

    /// The rows of `T`'s table the filter selects, in reading order.
    fn select<T: Loaded>(&self) -> String {
        let parts: Vec<String> = self
            .alternatives
            .iter()
            .map(|w| {
                format!(
                    "SELECT {}, x.id AS item_id FROM {} x \
                     LEFT JOIN regions r ON r.id = x.region_id{w}",
                    T::select(),
                    T::TABLE
                )
            })
            .collect();
        format!("{} ORDER BY item_id", parts.join(" UNION ALL "))
    }
}

/// An item of the ledger as one table holds it: the table, its columns (selected from `x`, the
/// table, under their own names) and how a row of them reads, beside each other. A row read
/// gives the item with its document's key, or nothing for a row this build cannot read (a role
/// it does not know).
trait Loaded: Sized {
    const TABLE: &'static str;
    /// Columns of `x`, selected under their own names.
    const COLUMNS: &'static [&'static str];
    /// Other columns, with the names they are read under (`r`: the item's region).
    const JOINED: &'static str = "";

    fn read(r: &AnyRow) -> Result<Option<(i64, Self)>, StoreError>;

    /// The select list.
    fn select() -> String {
        let mut list: Vec<String> = Self::COLUMNS
            .iter()
            .map(|c| format!("x.{c} AS {c}"))
            .collect();
        if !Self::JOINED.is_empty() {
            list.push(Self::JOINED.to_string());
        }
        list.join(", ")
    }
}

fn get<'r, T>(r: &'r AnyRow, column: &str) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    Ok(r.try_get(column)?)
}

fn span_of(r: &AnyRow, start: &str, end: &str) -> Result<Span, StoreError> {
    Ok(Span::new(
        get::<i64>(r, start)? as usize,
        get::<i64>(r, end)? as usize,
    ))
}

fn year_of(r: &AnyRow, column: &str) -> Result<Option<i32>, StoreError> {
    Ok(get::<Option<i64>>(r, column)?.map(|y| y as i32))
}

/// The columns of a quantity as read and written (besides its region: `region_id`, written by
/// key and read by name through a join).
pub(crate) const QUANTITY_COLUMNS: &[&str] = &[
    "document_id",
    "role",
    "year",
    "metric",
    "value",
    "unit",
    "normalized",
    "base_unit",
    "qualifier",
    "upper",
    "direction",
    "measure",
    "action",
    "estimated",
    "aggregation",
    "sentence",
    "span_start",
    "span_end",
    "sentence_start",
    "sentence_end",
];

/// The columns of a milestone as read and written (besides its region, as a quantity's).
pub(crate) const MILESTONE_COLUMNS: &[&str] = &[
    "document_id",
    "role",
    "year",
    "subject",
    "event",
    "status",
    "due",
    "sentence",
    "span_start",
    "span_end",
    "sentence_start",
    "sentence_end",
];

/// The columns of an indicator as read and written.
pub(crate) const INDICATOR_COLUMNS: &[&str] = &[
    "document_id",
    "seq",
    "name",
    "unit",
    "category",
    "baseline_year",
    "baseline_value",
    "baseline_text",
    "target_year",
    "target_value",
    "target_qualifier",
    "target_upper",
    "target_text",
    "attribute",
    "aggregation",
    "span_start",
    "span_end",
];

/// The columns of a task as read and written (besides its key, `id`, read to join its units
/// and leaders).
pub(crate) const TASK_COLUMNS: &[&str] = &[
    "document_id",
    "seq",
    "category",
    "text",
    "deadline",
    "joint",
    "span_start",
    "span_end",
];

impl Loaded for Quantity {
    const TABLE: &'static str = "quantities";
    const COLUMNS: &'static [&'static str] = QUANTITY_COLUMNS;
    const JOINED: &'static str = "r.name AS region";

    fn read(r: &AnyRow) -> Result<Option<(i64, Quantity)>, StoreError> {
        let Some(role) = enum_of(get(r, "role")?) else {
            return Ok(None);
        };
        Ok(Some((
            get(r, "document_id")?,
            Quantity {
                role,
                year: year_of(r, "year")?,
                region: get(r, "region")?,
                metric: get(r, "metric")?,
                value: get(r, "value")?,
                unit: get(r, "unit")?,
                normalized: get(r, "normalized")?,
                base_unit: get(r, "base_unit")?,
                qualifier: enum_of(get(r, "qualifier")?),
                upper: get(r, "upper")?,
                direction: enum_of(get(r, "direction")?),
                measure: enum_of(get(r, "measure")?).unwrap_or(plantrack_model::Measure::Level),
                action: get(r, "action")?,
                estimated: get::<i64>(r, "estimated")? != 0,
                aggregation: enum_of(get(r, "aggregation")?),
                text: get(r, "sentence")?,
                span: span_of(r, "span_start", "span_end")?,
                sentence: span_of(r, "sentence_start", "sentence_end")?,
            },
        )))
    }
}

impl Loaded for Milestone {
    const TABLE: &'static str = "milestones";
    const COLUMNS: &'static [&'static str] = MILESTONE_COLUMNS;
    const JOINED: &'static str = "r.name AS region";

    fn read(r: &AnyRow) -> Result<Option<(i64, Milestone)>, StoreError> {
        let Some(role) = enum_of(get(r, "role")?) else {
            return Ok(None);
        };
        Ok(Some((
            get(r, "document_id")?,
            Milestone {
                role,
                year: year_of(r, "year")?,
                region: get(r, "region")?,
                subject: get(r, "subject")?,
                event: get(r, "event")?,
                status: enum_of(get(r, "status")?),
                due: get(r, "due")?,
                text: get(r, "sentence")?,
                span: span_of(r, "span_start", "span_end")?,
                sentence: span_of(r, "sentence_start", "sentence_end")?,
            },
        )))
    }
}

impl Loaded for Indicator {
    const TABLE: &'static str = "indicators";
    const COLUMNS: &'static [&'static str] = INDICATOR_COLUMNS;

    fn read(r: &AnyRow) -> Result<Option<(i64, Indicator)>, StoreError> {
        let baseline = match get::<Option<String>>(r, "baseline_text")? {
            None => None,
            Some(text) => Some(TableFigure {
                year: year_of(r, "baseline_year")?,
                value: get(r, "baseline_value")?,
                qualifier: None,
                upper: None,
                text,
            }),
        };
        let target = match get::<Option<String>>(r, "target_text")? {
            None => None,
            Some(text) => Some(TableFigure {
                year: year_of(r, "target_year")?,
                value: get(r, "target_value")?,
                qualifier: enum_of(get(r, "target_qualifier")?),
                upper: get(r, "target_upper")?,
                text,
            }),
        };
        Ok(Some((
            get(r, "document_id")?,
            Indicator {
                seq: get::<i64>(r, "seq")? as u32,
                name: get(r, "name")?,
                unit: get(r, "unit")?,
                category: get(r, "category")?,
                baseline,
                target,
                attribute: enum_of(get(r, "attribute")?),
                aggregation: enum_of(get(r, "aggregation")?),
                span: span_of(r, "span_start", "span_end")?,
            },
        )))
    }
}

/// A task as its own table holds it, before its units and leaders join it.
struct TaskRow {
    id: i64,
    task: Task,
}

impl Loaded for TaskRow {
    const TABLE: &'static str = "tasks";
    const COLUMNS: &'static [&'static str] = TASK_COLUMNS;
    const JOINED: &'static str = "x.id AS id";

    fn read(r: &AnyRow) -> Result<Option<(i64, TaskRow)>, StoreError> {
        Ok(Some((
            get(r, "document_id")?,
            TaskRow {
                id: get(r, "id")?,
                task: Task {
                    seq: get::<i64>(r, "seq")? as u32,
                    category: get(r, "category")?,
                    text: get(r, "text")?,
                    deadline: get(r, "deadline")?,
                    leaders: Vec::new(),
                    units: Vec::new(),
                    lead_unit: None,
                    joint: get::<i64>(r, "joint")? != 0,
                    span: span_of(r, "span_start", "span_end")?,
                },
            },
        )))
    }
}

impl Store {
    /// The documents of these keys, without their texts, by source.
    async fn documents_by_key(&self, ids: &[i64]) -> Result<Vec<DocumentRef>, StoreError> {
        let mut out = Vec::new();
        for chunk in ids.chunks(500) {
            let list: Vec<String> = chunk.iter().map(i64::to_string).collect();
            for r in sqlx::query(&format!(
                "SELECT {DOCUMENT_COLUMNS} FROM documents d \
                 LEFT JOIN regions r ON r.id = d.region_id WHERE d.id IN ({})",
                list.join(",")
            ))
            .fetch_all(&self.pool)
            .await?
            {
                out.push(doc_ref(&r)?);
            }
        }
        out.sort_by(|a, b| a.source.cmp(&b.source));
        Ok(out)
    }

    /// The regions of these names, with their parents, by name.
    async fn regions_named(&self, names: &[&str]) -> Result<Vec<Region>, StoreError> {
        let mut regions = Vec::new();
        for chunk in names.chunks(500) {
            let list: Vec<String> = chunk
                .iter()
                .map(|n| format!("'{}'", n.replace('\'', "''")))
                .collect();
            for r in sqlx::query(&format!(
                "SELECT r.name AS name, p.name AS parent FROM regions r \
                 LEFT JOIN regions p ON p.id = r.parent_id WHERE r.name IN ({}) ORDER BY r.name",
                list.join(",")
            ))
            .fetch_all(&self.pool)
            .await?
            {
                regions.push(Region {
                    name: get(&r, "name")?,
                    parent: get(&r, "parent")?,
                });
            }
        }
        Ok(regions)
    }

    /// What the supervision adds to the ledger's tasks, read per document of its tasks:
    /// published progress reports, reports waiting for review (when and whose only), approved
    /// extensions, urges.
    async fn supervision(&self, ledger: &mut Ledger) -> Result<(), StoreError> {
        let task_docs: Vec<(usize, String)> = {
            let mut v: Vec<usize> = ledger.tasks.iter().map(|t| t.document).collect();
            v.dedup();
            v.into_iter()
                .map(|k| (k, ledger.documents[k].source.clone()))
                .collect()
        };
        let seq = |r: &AnyRow| -> Result<u32, StoreError> { Ok(get::<i64>(r, "task_seq")? as u32) };
        ledger.reports = self
            .per_document(
                &task_docs,
                "SELECT p.task_seq AS task_seq, u.name AS unit, p.status AS status, \
                 p.percent AS percent, p.narrative AS narrative, p.reported_at AS reported_at \
                 FROM progress_reports p LEFT JOIN units u ON u.id = p.unit_id \
                 WHERE p.source = $1 AND p.review = 'accepted' ORDER BY p.id",
                |r| {
                    Ok(ProgressReport {
                        task_seq: seq(r)?,
                        unit: get(r, "unit")?,
                        status: get(r, "status")?,
                        percent: get(r, "percent")?,
                        narrative: get(r, "narrative")?,
                        reported_at: get(r, "reported_at")?,
                    })
                },
            )
            .await?;
        ledger.submitted = self
            .per_document(
                &task_docs,
                "SELECT p.task_seq AS task_seq, u.name AS unit, p.reported_at AS reported_at \
                 FROM progress_reports p \
                 LEFT JOIN units u ON u.id = p.unit_id \
                 WHERE p.source = $1 AND p.review = 'submitted' AND p.status <> 'acknowledged' \
                 ORDER BY p.id",
                |r| {
                    Ok(Submission {
                        task_seq: seq(r)?,
                        unit: get(r, "unit")?,
                        reported_at: get(r, "reported_at")?,
                    })
                },
            )
            .await?;
        ledger.extensions = self
            .per_document(
                &task_docs,
                "SELECT e.task_seq AS task_seq, u.name AS unit, e.deadline AS deadline, \
                 e.reason AS reason, e.decided_at AS decided_at \
                 FROM extension_requests e LEFT JOIN units u ON u.id = e.unit_id \
                 WHERE e.source = $1 AND e.decision = 'approved' ORDER BY e.decided_at, e.id",
                |r| {
                    Ok(Extension {
                        task_seq: seq(r)?,
                        unit: get(r, "unit")?,
                        deadline: get(r, "deadline")?,
                        reason: get(r, "reason")?,
                        decided_at: get::<Option<String>>(r, "decided_at")?.unwrap_or_default(),
                    })
                },
            )
            .await?;
        ledger.urges = self
            .per_document(
                &task_docs,
                "SELECT g.task_seq AS task_seq, un.name AS unit, g.message AS message, \
                 us.name AS urged_by, g.urged_at AS urged_at FROM urges g \
                 JOIN units un ON un.id = g.unit_id LEFT JOIN users us ON us.id = g.user_id \
                 WHERE g.source = $1 ORDER BY g.id",
                |r| {
                    Ok(Urge {
                        task_seq: seq(r)?,
                        unit: get(r, "unit")?,
                        message: get(r, "message")?,
                        by: get(r, "urged_by")?,
                        urged_at: get(r, "urged_at")?,
                    })
                },
            )
            .await?;
        Ok(())
    }

    /// The rows `sql` selects, read by `T`'s loader.
    async fn load<T: Loaded>(&self, sql: &str) -> Result<Vec<(i64, T)>, StoreError> {
        let mut out = Vec::new();
        for r in sqlx::query(sql).fetch_all(&self.pool).await? {
            out.extend(T::read(&r)?);
        }
        Ok(out)
    }

    /// The tasks of the documents `task_docs` selects (` WHERE …` on `d`), with their units
    /// and leaders in the order listed, by document key.
    async fn tasks(&self, task_docs: &str) -> Result<Vec<(i64, Task)>, StoreError> {
        let the_tasks =
            format!("SELECT t.id FROM tasks t JOIN documents d ON d.id = t.document_id{task_docs}");
        type People = (Vec<(String, String)>, Vec<String>);
        let mut people: HashMap<i64, People> = HashMap::new();
        for r in sqlx::query(&format!(
            "SELECT tu.task_id AS task_id, u.name AS name, tu.role AS role FROM task_units tu \
             JOIN units u ON u.id = tu.unit_id WHERE tu.task_id IN ({the_tasks}) \
             ORDER BY tu.task_id, tu.position"
        ))
        .fetch_all(&self.pool)
        .await?
        {
            people
                .entry(get(&r, "task_id")?)
                .or_default()
                .0
                .push((get(&r, "name")?, get(&r, "role")?));
        }
        for r in sqlx::query(&format!(
            "SELECT tl.task_id AS task_id, l.name AS name FROM task_leaders tl \
             JOIN leaders l ON l.id = tl.leader_id WHERE tl.task_id IN ({the_tasks}) \
             ORDER BY tl.task_id, tl.position"
        ))
        .fetch_all(&self.pool)
        .await?
        {
            people
                .entry(get(&r, "task_id")?)
                .or_default()
                .1
                .push(get(&r, "name")?);
        }
        let rows: Vec<(i64, TaskRow)> = self
            .load(&format!(
                "SELECT {} FROM tasks x JOIN documents d ON d.id = x.document_id{} \
                 ORDER BY x.document_id, x.seq",
                TaskRow::select(),
                task_docs
            ))
            .await?;
        Ok(rows
            .into_iter()
            .map(|(doc, TaskRow { id, mut task })| {
                let (units, leaders) = people.remove(&id).unwrap_or_default();
                task.lead_unit = units
                    .iter()
                    .find(|(_, role)| role == "lead")
                    .map(|(n, _)| n.clone());
                task.units = units.into_iter().map(|(n, _)| n).collect();
                task.leaders = leaders;
                (doc, task)
            })
            .collect())
    }
}
