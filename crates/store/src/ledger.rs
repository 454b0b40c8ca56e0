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

fn span(r: &AnyRow, at: usize) -> Result<Span, StoreError> {
    Ok(Span::new(
        r.try_get::<i64, _>(at)? as usize,
        r.try_get::<i64, _>(at + 1)? as usize,
    ))
}

/// ` WHERE a AND b`, or nothing.
fn where_clause(conditions: &[String]) -> String {
    if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    }
}

/// A document as the ledger refers to it, from the columns `id, source, title, kind, region name,
/// year` at the start of a row.
fn doc_ref(r: &AnyRow) -> Result<DocumentRef, StoreError> {
    Ok(DocumentRef {
        id: Some(r.try_get(0)?),
        source: r.try_get(1)?,
        title: r.try_get(2)?,
        kind: DocumentKind::parse(&r.try_get::<String, _>(3)?).unwrap_or(DocumentKind::Other),
        region: r.try_get(4)?,
        year: year(r, 5)?,
    })
}

fn year(r: &AnyRow, at: usize) -> Result<Option<i32>, StoreError> {
    Ok(r.try_get::<Option<i64>, _>(at)?.map(|y| y as i32))
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
            "SELECT d.id, d.source, d.title, d.kind, r.name, d.year, d.text FROM documents d \
             LEFT JOIN regions r ON r.id = d.region_id WHERE d.id = {id}"
        );
        let Some(r) = sqlx::query(&sql).fetch_optional(&self.pool).await? else {
            return Ok(None);
        };
        Ok(Some((doc_ref(&r)?, r.try_get(6)?)))
    }

    /// A document's headings (its outline), in document order, as the extractor found them.
    pub async fn sections(&self, id: i64) -> Result<Vec<Section>, StoreError> {
        let rows = sqlx::query(
            "SELECT level, style, marker, title, span_start, span_end, extent_start, extent_end, \
             parent_seq, part_role, part_year FROM sections WHERE document_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let title: String = r.try_get(3)?;
                let marker: String = r.try_get(2)?;
                Ok(Section {
                    level: r.try_get::<i64, _>(0)? as u8,
                    style: enum_of(r.try_get(1)?).unwrap_or(HeadingStyle::Markdown),
                    number: None,
                    marker,
                    title,
                    span: span(r, 4)?,
                    extent: span(r, 6)?,
                    parent: r.try_get::<Option<i64>, _>(8)?.map(|p| p as usize),
                    part: enum_of(r.try_get(9)?).map(|role| Part {
                        role,
                        year: r
                            .try_get::<Option<i64>, _>(10)
                            .ok()
                            .flatten()
                            .map(|y| y as i32),
                    }),
                })
            })
            .collect()
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
        let rows = sqlx::query(
            "SELECT d.id, d.source, d.title, d.kind, r.name, d.year FROM documents d \
             LEFT JOIN regions r ON r.id = d.region_id ORDER BY d.source",
        )
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
            "SELECT r.name, p.name FROM regions r LEFT JOIN regions p ON p.id = r.parent_id \
             ORDER BY r.name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Region {
                    name: r.try_get(0)?,
                    parent: r.try_get(1)?,
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
    /// one region of a national ledger is read without the others.
    pub async fn ledger(&self, filter: &LedgerFilter) -> Result<Ledger, StoreError> {
        let region_id = match &filter.region {
            Some(name) => Some(self.region_id(name).await?.unwrap_or(-1)),
            None => None,
        };
        // Items (quantities, milestones): of the year; of the region (their own, or their
        // document's when they name none); of the document. The two ways of belonging to a
        // region are two selects joined by UNION ALL, each on its own index
        // ((region_id, year), and document_id), since engines read an OR across them as a scan.
        let mut common: Vec<String> = Vec::new();
        if let Some(y) = filter.year {
            common.push(format!("x.year = {y}"));
        }
        if let Some(id) = filter.document {
            common.push(format!("x.document_id = {id}"));
        }
        let alternatives: Vec<String> = match region_id {
            None => vec![where_clause(&common)],
            Some(id) => {
                let own = [common.clone(), vec![format!("x.region_id = {id}")]].concat();
                let documents = [
                    common.clone(),
                    vec![format!(
                        "x.region_id IS NULL AND x.document_id IN \
                         (SELECT id FROM documents WHERE region_id = {id})"
                    )],
                ]
                .concat();
                vec![where_clause(&own), where_clause(&documents)]
            }
        };
        // `SELECT {columns} FROM {table} …` for every alternative, in reading order.
        let union = |columns: &str, table: &str| -> String {
            let parts: Vec<String> = alternatives
                .iter()
                .map(|w| {
                    format!(
                        "SELECT {columns}, x.id AS item_id FROM {table} x \
                         LEFT JOIN regions r ON r.id = x.region_id{w}"
                    )
                })
                .collect();
            format!("{} ORDER BY item_id", parts.join(" UNION ALL "))
        };
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

        let mut quantities: Vec<(i64, Quantity)> = Vec::new();
        for r in sqlx::query(&union(
            "x.document_id, x.role, x.year, r.name, x.metric, x.value, x.unit, \
             x.normalized, x.base_unit, x.qualifier, x.upper, x.direction, x.measure, x.action, \
             x.estimated, x.aggregation, x.sentence, x.span_start, x.span_end, \
             x.sentence_start, x.sentence_end",
            "quantities",
        ))
        .fetch_all(&self.pool)
        .await?
        {
            let Some(role) = enum_of(r.try_get(1)?) else {
                continue;
            };
            quantities.push((
                r.try_get(0)?,
                Quantity {
                    role,
                    year: year(&r, 2)?,
                    region: r.try_get(3)?,
                    metric: r.try_get(4)?,
                    value: r.try_get(5)?,
                    unit: r.try_get(6)?,
                    normalized: r.try_get(7)?,
                    base_unit: r.try_get(8)?,
                    qualifier: enum_of(r.try_get(9)?),
                    upper: r.try_get(10)?,
                    direction: enum_of(r.try_get(11)?),
                    measure: enum_of(r.try_get(12)?).unwrap_or(plantrack_model::Measure::Level),
                    action: r.try_get(13)?,
                    estimated: r.try_get::<i64, _>(14)? != 0,
                    aggregation: enum_of(r.try_get(15)?),
                    text: r.try_get(16)?,
                    span: span(&r, 17)?,
                    sentence: span(&r, 19)?,
                },
            ));
        }

        let mut milestones: Vec<(i64, Milestone)> = Vec::new();
        for r in sqlx::query(&union(
            "x.document_id, x.role, x.year, r.name, x.subject, x.event, x.status, x.due, \
             x.sentence, x.span_start, x.span_end, x.sentence_start, x.sentence_end",
            "milestones",
        ))
        .fetch_all(&self.pool)
        .await?
        {
            let Some(role) = enum_of(r.try_get(1)?) else {
                continue;
            };
            milestones.push((
                r.try_get(0)?,
                Milestone {
                    role,
                    year: year(&r, 2)?,
                    region: r.try_get(3)?,
                    subject: r.try_get(4)?,
                    event: r.try_get(5)?,
                    status: enum_of(r.try_get(6)?),
                    due: r.try_get(7)?,
                    text: r.try_get(8)?,
                    span: span(&r, 9)?,
                    sentence: span(&r, 11)?,
                },
            ));
        }

        let mut indicators: Vec<(i64, Indicator)> = Vec::new();
        for r in sqlx::query(&format!(
            "SELECT x.document_id, x.seq, x.name, x.unit, x.category, x.baseline_year, \
             x.baseline_value, x.baseline_text, x.target_year, x.target_value, \
             x.target_qualifier, x.target_upper, x.target_text, x.attribute, x.aggregation, \
             x.span_start, x.span_end FROM indicators x \
             JOIN documents d ON d.id = x.document_id{indicator_docs} \
             ORDER BY x.document_id, x.seq"
        ))
        .fetch_all(&self.pool)
        .await?
        {
            let baseline = r.try_get::<Option<String>, _>(7)?.map(|text| TableFigure {
                year: r
                    .try_get::<Option<i64>, _>(5)
                    .ok()
                    .flatten()
                    .map(|v| v as i32),
                value: r.try_get(6).ok().flatten(),
                qualifier: None,
                upper: None,
                text,
            });
            let target = match r.try_get::<Option<String>, _>(12)? {
                None => None,
                Some(text) => Some(TableFigure {
                    year: r.try_get::<Option<i64>, _>(8)?.map(|v| v as i32),
                    value: r.try_get(9)?,
                    qualifier: enum_of(r.try_get(10)?),
                    upper: r.try_get(11)?,
                    text,
                }),
            };
            indicators.push((
                r.try_get(0)?,
                Indicator {
                    seq: r.try_get::<i64, _>(1)? as u32,
                    name: r.try_get(2)?,
                    unit: r.try_get(3)?,
                    category: r.try_get(4)?,
                    baseline,
                    target,
                    attribute: enum_of(r.try_get(13)?),
                    aggregation: enum_of(r.try_get(14)?),
                    span: span(&r, 15)?,
                },
            ));
        }

        // Tasks, with their units and leaders in the order listed.
        let the_tasks =
            format!("SELECT t.id FROM tasks t JOIN documents d ON d.id = t.document_id{task_docs}");
        type People = (Vec<(String, String)>, Vec<String>);
        let mut people: HashMap<i64, People> = HashMap::new();
        for r in sqlx::query(&format!(
            "SELECT tu.task_id, u.name, tu.role FROM task_units tu \
             JOIN units u ON u.id = tu.unit_id WHERE tu.task_id IN ({the_tasks}) \
             ORDER BY tu.task_id, tu.position"
        ))
        .fetch_all(&self.pool)
        .await?
        {
            people
                .entry(r.try_get(0)?)
                .or_default()
                .0
                .push((r.try_get(1)?, r.try_get(2)?));
        }
        for r in sqlx::query(&format!(
            "SELECT tl.task_id, l.name FROM task_leaders tl \
             JOIN leaders l ON l.id = tl.leader_id WHERE tl.task_id IN ({the_tasks}) \
             ORDER BY tl.task_id, tl.position"
        ))
        .fetch_all(&self.pool)
        .await?
        {
            people
                .entry(r.try_get(0)?)
                .or_default()
                .1
                .push(r.try_get(1)?);
        }
        let mut tasks: Vec<(i64, Task)> = Vec::new();
        for r in sqlx::query(&format!(
            "SELECT t.id, t.document_id, t.seq, t.category, t.text, t.deadline, t.joint, \
             t.span_start, t.span_end FROM tasks t JOIN documents d ON d.id = t.document_id\
             {task_docs} ORDER BY t.document_id, t.seq"
        ))
        .fetch_all(&self.pool)
        .await?
        {
            let (units, leaders) = people.remove(&r.try_get::<i64, _>(0)?).unwrap_or_default();
            let lead_unit = units
                .iter()
                .find(|(_, role)| role == "lead")
                .map(|(n, _)| n.clone());
            tasks.push((
                r.try_get(1)?,
                Task {
                    seq: r.try_get::<i64, _>(2)? as u32,
                    category: r.try_get(3)?,
                    text: r.try_get(4)?,
                    deadline: r.try_get(5)?,
                    leaders,
                    units: units.into_iter().map(|(n, _)| n).collect(),
                    lead_unit,
                    joint: r.try_get::<i64, _>(6)? != 0,
                    span: span(&r, 7)?,
                },
            ));
        }

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
        let mut ledger = Ledger::default();
        let mut doc_index: HashMap<i64, usize> = HashMap::new();
        for chunk in ids.chunks(500) {
            let list: Vec<String> = chunk.iter().map(i64::to_string).collect();
            for r in sqlx::query(&format!(
                "SELECT d.id, d.source, d.title, d.kind, r.name, d.year FROM documents d \
                 LEFT JOIN regions r ON r.id = d.region_id WHERE d.id IN ({})",
                list.join(",")
            ))
            .fetch_all(&self.pool)
            .await?
            {
                ledger.documents.push(doc_ref(&r)?);
            }
        }
        ledger.documents.sort_by(|a, b| a.source.cmp(&b.source));
        for (k, d) in ledger.documents.iter().enumerate() {
            doc_index.insert(d.id.unwrap_or_default(), k);
        }
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
        // What the supervision adds to the tasks, read per document of the ledger's tasks:
        // published progress reports, reports waiting for review (when and whose only),
        // approved extensions, urges.
        let task_docs: Vec<(usize, String)> = {
            let mut v: Vec<usize> = ledger.tasks.iter().map(|t| t.document).collect();
            v.dedup();
            v.into_iter()
                .map(|k| (k, ledger.documents[k].source.clone()))
                .collect()
        };
        let seq = |r: &AnyRow| -> Result<u32, StoreError> { Ok(r.try_get::<i64, _>(0)? as u32) };
        ledger.reports = self
            .per_document(
                &task_docs,
                "SELECT p.task_seq, u.name, p.status, p.percent, p.narrative, p.reported_at \
                 FROM progress_reports p LEFT JOIN units u ON u.id = p.unit_id \
                 WHERE p.source = $1 AND p.review = 'accepted' ORDER BY p.id",
                |r| {
                    Ok(ProgressReport {
                        task_seq: seq(r)?,
                        unit: r.try_get(1)?,
                        status: r.try_get(2)?,
                        percent: r.try_get(3)?,
                        narrative: r.try_get(4)?,
                        reported_at: r.try_get(5)?,
                    })
                },
            )
            .await?;
        ledger.submitted = self
            .per_document(
                &task_docs,
                "SELECT p.task_seq, u.name, p.reported_at FROM progress_reports p \
                 LEFT JOIN units u ON u.id = p.unit_id \
                 WHERE p.source = $1 AND p.review = 'submitted' AND p.status <> 'acknowledged' \
                 ORDER BY p.id",
                |r| {
                    Ok(Submission {
                        task_seq: seq(r)?,
                        unit: r.try_get(1)?,
                        reported_at: r.try_get(2)?,
                    })
                },
            )
            .await?;
        ledger.extensions = self
            .per_document(
                &task_docs,
                "SELECT e.task_seq, u.name, e.deadline, e.reason, e.decided_at \
                 FROM extension_requests e LEFT JOIN units u ON u.id = e.unit_id \
                 WHERE e.source = $1 AND e.decision = 'approved' ORDER BY e.decided_at, e.id",
                |r| {
                    Ok(Extension {
                        task_seq: seq(r)?,
                        unit: r.try_get(1)?,
                        deadline: r.try_get(2)?,
                        reason: r.try_get(3)?,
                        decided_at: r.try_get::<Option<String>, _>(4)?.unwrap_or_default(),
                    })
                },
            )
            .await?;
        ledger.urges = self
            .per_document(
                &task_docs,
                "SELECT g.task_seq, un.name, g.message, us.name, g.urged_at FROM urges g \
                 JOIN units un ON un.id = g.unit_id LEFT JOIN users us ON us.id = g.user_id \
                 WHERE g.source = $1 ORDER BY g.id",
                |r| {
                    Ok(Urge {
                        task_seq: seq(r)?,
                        unit: r.try_get(1)?,
                        message: r.try_get(2)?,
                        by: r.try_get(3)?,
                        urged_at: r.try_get(4)?,
                    })
                },
            )
            .await?;
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
        let mut regions = Vec::new();
        for chunk in names.chunks(500) {
            let list: Vec<String> = chunk
                .iter()
                .map(|n| format!("'{}'", n.replace('\'', "''")))
                .collect();
            for r in sqlx::query(&format!(
                "SELECT r.name, p.name FROM regions r LEFT JOIN regions p ON p.id = r.parent_id \
                 WHERE r.name IN ({}) ORDER BY r.name",
                list.join(",")
            ))
            .fetch_all(&self.pool)
            .await?
            {
                regions.push(Region {
                    name: r.try_get(0)?,
                    parent: r.try_get(1)?,
                });
            }
        }
        ledger.regions = regions;
        Ok(ledger)
    }
}
