//! Urging (催办) and extension requests (延期申请), each change with its audit event in one
//! transaction, as the reports' are.

use sqlx::Row;

use crate::accounts::{audit, js};
use crate::write::now;
use crate::{Store, StoreError};

/// A supervisor's urge of a unit on a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrgeRow {
    pub id: i64,
    pub source: String,
    pub task_seq: i64,
    pub unit: String,
    /// Who urged (their account's name).
    pub by: Option<String>,
    pub message: String,
    /// Seconds since the epoch, as text.
    pub urged_at: String,
}

/// A lead unit's request for a new deadline, and its decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionRow {
    pub id: i64,
    pub source: String,
    pub task_seq: i64,
    pub unit: String,
    /// Who asked (their account's name).
    pub by: Option<String>,
    pub requested_at: String,
    /// The deadline asked for, `YYYY-MM-DD`.
    pub deadline: String,
    pub reason: String,
    /// `pending`, `approved` or `refused`.
    pub decision: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub comment: Option<String>,
}

fn task_key(source: &str, seq: i64) -> String {
    format!("{source}#{seq}")
}

impl Store {
    /// Records an urge of `unit` on a task; audited as `task.urge`.
    pub async fn add_urge(
        &self,
        source: &str,
        seq: i64,
        unit: &str,
        user_id: i64,
        message: &str,
        actor: &str,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let unit_id = self.unit_id(&mut tx, unit).await?;
        let id: i64 = sqlx::query(
            "INSERT INTO urges (source, task_seq, unit_id, user_id, message, urged_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(source)
        .bind(seq)
        .bind(unit_id)
        .bind(user_id)
        .bind(message)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        audit(
            &mut tx,
            actor,
            "task.urge",
            "task",
            &task_key(source, seq),
            None,
            Some(format!(
                "{{\"urge\":{id},\"unit\":{},\"message\":{}}}",
                js(self.canonical_unit(unit)),
                js(message)
            )),
        )
        .await?;
        crate::evaluations::stale_source(&mut tx, source).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every urge, oldest first.
    pub async fn urges(&self) -> Result<Vec<UrgeRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT g.id, g.source, g.task_seq, un.name, us.name, g.message, g.urged_at \
             FROM urges g JOIN units un ON un.id = g.unit_id \
             LEFT JOIN users us ON us.id = g.user_id ORDER BY g.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(UrgeRow {
                    id: r.try_get(0)?,
                    source: r.try_get(1)?,
                    task_seq: r.try_get(2)?,
                    unit: r.try_get(3)?,
                    by: r.try_get(4)?,
                    message: r.try_get(5)?,
                    urged_at: r.try_get(6)?,
                })
            })
            .collect()
    }

    /// Records a request for a new deadline; audited as `extension.request`. `None` when the
    /// unit has a request on the task waiting already.
    #[allow(clippy::too_many_arguments)]
    pub async fn request_extension(
        &self,
        source: &str,
        seq: i64,
        unit: &str,
        user_id: i64,
        deadline: &str,
        reason: &str,
        actor: &str,
    ) -> Result<Option<i64>, StoreError> {
        let mut tx = self.begin_write().await?;
        let unit_id = self.unit_id(&mut tx, unit).await?;
        if sqlx::query(
            "SELECT 1 FROM extension_requests WHERE source = $1 AND task_seq = $2 \
             AND unit_id = $3 AND decision = 'pending'",
        )
        .bind(source)
        .bind(seq)
        .bind(unit_id)
        .fetch_optional(&mut *tx)
        .await?
        .is_some()
        {
            return Ok(None);
        }
        let id: i64 = sqlx::query(
            "INSERT INTO extension_requests (source, task_seq, unit_id, user_id, requested_at, \
             deadline, reason) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(source)
        .bind(seq)
        .bind(unit_id)
        .bind(user_id)
        .bind(now())
        .bind(deadline)
        .bind(reason)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        audit(
            &mut tx,
            actor,
            "extension.request",
            "task",
            &task_key(source, seq),
            None,
            Some(format!(
                "{{\"extension\":{id},\"unit\":{},\"deadline\":{},\"reason\":{}}}",
                js(self.canonical_unit(unit)),
                js(deadline),
                js(reason)
            )),
        )
        .await?;
        crate::evaluations::stale_source(&mut tx, source).await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    /// Approves or refuses a waiting request; audited as `extension.approve` or
    /// `extension.refuse`. `false` when there is no such request waiting.
    pub async fn decide_extension(
        &self,
        id: i64,
        approve: bool,
        comment: &str,
        user_id: i64,
        actor: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(r) = sqlx::query(
            "SELECT source, task_seq, deadline FROM extension_requests \
             WHERE id = $1 AND decision = 'pending'",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(false);
        };
        let (source, seq, deadline): (String, i64, String) =
            (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
        let decision = if approve { "approved" } else { "refused" };
        sqlx::query(
            "UPDATE extension_requests SET decision = $1, decided_by = $2, decided_at = $3, \
             comment = $4 WHERE id = $5",
        )
        .bind(decision)
        .bind(user_id)
        .bind(now())
        .bind(comment)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            actor,
            if approve {
                "extension.approve"
            } else {
                "extension.refuse"
            },
            "task",
            &task_key(&source, seq),
            Some(format!("{{\"extension\":{id},\"decision\":\"pending\"}}")),
            Some(format!(
                "{{\"extension\":{id},\"decision\":{},\"deadline\":{},\"comment\":{}}}",
                js(decision),
                js(&deadline),
                js(comment)
            )),
        )
        .await?;
        crate::evaluations::stale_source(&mut tx, &source).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Extension requests, newest first: of one task when `task` is given, else every one
    /// still waiting.
    pub async fn extension_requests(
        &self,
        task: Option<(&str, i64)>,
    ) -> Result<Vec<ExtensionRow>, StoreError> {
        let select = "SELECT e.id, e.source, e.task_seq, un.name, us.name, e.requested_at, \
             e.deadline, e.reason, e.decision, dby.name, e.decided_at, e.comment \
             FROM extension_requests e JOIN units un ON un.id = e.unit_id \
             LEFT JOIN users us ON us.id = e.user_id LEFT JOIN users dby ON dby.id = e.decided_by";
        let rows = match task {
            Some((source, seq)) => {
                sqlx::query(&format!(
                    "{select} WHERE e.source = $1 AND e.task_seq = $2 ORDER BY e.id DESC"
                ))
                .bind(source)
                .bind(seq)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(&format!(
                    "{select} WHERE e.decision = 'pending' ORDER BY e.id DESC"
                ))
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter()
            .map(|r| {
                Ok(ExtensionRow {
                    id: r.try_get(0)?,
                    source: r.try_get(1)?,
                    task_seq: r.try_get(2)?,
                    unit: r.try_get(3)?,
                    by: r.try_get(4)?,
                    requested_at: r.try_get(5)?,
                    deadline: r.try_get(6)?,
                    reason: r.try_get(7)?,
                    decision: r.try_get(8)?,
                    decided_by: r.try_get(9)?,
                    decided_at: r.try_get(10)?,
                    comment: r.try_get(11)?,
                })
            })
            .collect()
    }
}
