//! Reading the ledger back out, for export: tasks with their people, targets and results.

use sqlx::Row;

use crate::{Store, StoreError};

/// A task as the responsibility table shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRow {
    pub source: String,
    pub seq: i64,
    pub category: Option<String>,
    pub text: String,
    pub deadline: Option<String>,
    /// Supervising leaders, in order, joined with `、`.
    pub leaders: String,
    /// The lead unit; empty when responsibility is joint.
    pub lead_unit: String,
    /// The other units, in order, joined with `、`.
    pub other_units: String,
    pub joint: bool,
}

/// A quantified target or result.
#[derive(Debug, Clone, PartialEq)]
pub struct QuantityRow {
    pub source: String,
    pub role: String,
    pub year: Option<i64>,
    pub region: Option<String>,
    pub metric: String,
    pub value: f64,
    pub unit: Option<String>,
    pub qualifier: Option<String>,
    pub measure: String,
    pub sentence: String,
}

impl Store {
    /// Every task, by document and number.
    pub async fn task_rows(&self) -> Result<Vec<TaskRow>, StoreError> {
        let tasks = sqlx::query(
            "SELECT t.id, d.source, t.seq, t.category, t.text, t.deadline, t.joint \
             FROM tasks t JOIN documents d ON d.id = t.document_id ORDER BY d.source, t.seq",
        )
        .fetch_all(&self.pool)
        .await?;
        let units = sqlx::query(
            "SELECT tu.task_id, u.name, tu.role FROM task_units tu JOIN units u ON u.id = tu.unit_id \
             ORDER BY tu.task_id, tu.position",
        )
        .fetch_all(&self.pool)
        .await?;
        let leaders = sqlx::query(
            "SELECT tl.task_id, l.name FROM task_leaders tl JOIN leaders l ON l.id = tl.leader_id \
             ORDER BY tl.task_id, tl.position",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut by_task_units: std::collections::HashMap<i64, Vec<(String, String)>> =
            Default::default();
        for r in units {
            by_task_units
                .entry(r.try_get(0)?)
                .or_default()
                .push((r.try_get(1)?, r.try_get(2)?));
        }
        let mut by_task_leaders: std::collections::HashMap<i64, Vec<String>> = Default::default();
        for r in leaders {
            by_task_leaders
                .entry(r.try_get(0)?)
                .or_default()
                .push(r.try_get(1)?);
        }
        tasks
            .into_iter()
            .map(|r| {
                let id: i64 = r.try_get(0)?;
                let units = by_task_units.remove(&id).unwrap_or_default();
                let lead = units
                    .iter()
                    .find(|(_, role)| role == "lead")
                    .map(|(n, _)| n.clone());
                let others: Vec<String> = units
                    .iter()
                    .filter(|(_, role)| role != "lead")
                    .map(|(n, _)| n.clone())
                    .collect();
                Ok(TaskRow {
                    source: r.try_get(1)?,
                    seq: r.try_get(2)?,
                    category: r.try_get(3)?,
                    text: r.try_get(4)?,
                    deadline: r.try_get(5)?,
                    leaders: by_task_leaders.remove(&id).unwrap_or_default().join("、"),
                    lead_unit: lead.unwrap_or_default(),
                    other_units: others.join("、"),
                    joint: r.try_get::<i64, _>(6)? != 0,
                })
            })
            .collect()
    }

    /// Every quantity, by document and position.
    pub async fn quantity_rows(&self) -> Result<Vec<QuantityRow>, StoreError> {
        sqlx::query(
            "SELECT d.source, q.role, q.year, r.name, q.metric, q.value, q.unit, q.qualifier, \
             q.measure, q.sentence FROM quantities q JOIN documents d ON d.id = q.document_id \
             LEFT JOIN regions r ON r.id = q.region_id ORDER BY d.source, q.span_start",
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| {
            Ok(QuantityRow {
                source: r.try_get(0)?,
                role: r.try_get(1)?,
                year: r.try_get(2)?,
                region: r.try_get(3)?,
                metric: r.try_get(4)?,
                value: r.try_get(5)?,
                unit: r.try_get(6)?,
                qualifier: r.try_get(7)?,
                measure: r.try_get(8)?,
                sentence: r.try_get(9)?,
            })
        })
        .collect()
    }
}
