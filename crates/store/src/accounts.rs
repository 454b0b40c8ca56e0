//! Accounts, sessions, progress reports and the audit trail.
//!
//! Passwords arrive hashed (the store never sees one); sessions are rows keyed by a random id
//! the caller makes; every change of a report is written with its audit event in one
//! transaction, so the trail cannot miss a change nor record one that did not happen.

use sqlx::Row;

use crate::write::now;
use crate::{Store, StoreError};

/// A user as the store keeps them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub name: String,
    /// `admin`, `supervisor`, `reporter` or `leader`.
    pub role: String,
    /// The units a reporter reports for (canonical names).
    pub units: Vec<String>,
    pub password_hash: String,
    pub created_at: String,
    /// A disabled account cannot sign in, and has no live session.
    pub disabled: bool,
}

/// A progress report as submitted.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReport {
    pub source: String,
    pub task_seq: i64,
    pub unit: String,
    pub user_id: i64,
    /// The reporter's word on the task: `on_track`, `at_risk`, `completed`, …
    pub status: String,
    pub percent: Option<f64>,
    pub value: Option<f64>,
    pub narrative: String,
}

/// A stored progress report with its review.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    pub id: i64,
    pub unit: Option<String>,
    pub user: Option<String>,
    pub reported_at: String,
    pub status: String,
    pub percent: Option<f64>,
    pub narrative: String,
    /// `submitted`, `accepted` or `returned`.
    pub review: String,
    pub review_comment: Option<String>,
}

/// One change: who, when, what, from which value to which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Ends every session of a user (a new password, a disabled account).
async fn end_sessions(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user: i64,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The columns [`report_row`] reads, in its order, and the joins they need.
const REPORT_COLUMNS: &str = "SELECT p.id, un.name, us.name, p.reported_at, p.status, p.percent, \
     p.narrative, p.review, p.review_comment";
const REPORT_JOINS: &str =
    "LEFT JOIN units un ON un.id = p.unit_id LEFT JOIN users us ON us.id = p.user_id";

/// A report from the first columns of a row selected with [`REPORT_COLUMNS`].
fn report_row(r: &sqlx::any::AnyRow) -> Result<ReportRow, StoreError> {
    Ok(ReportRow {
        id: r.try_get(0)?,
        unit: r.try_get(1)?,
        user: r.try_get(2)?,
        reported_at: r.try_get(3)?,
        status: r.try_get(4)?,
        percent: r.try_get(5)?,
        narrative: r.try_get(6)?,
        review: r.try_get(7)?,
        review_comment: r.try_get(8)?,
    })
}

/// A JSON string literal, for the audit trail's before and after.
pub(crate) fn js(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn opt_num(v: Option<f64>) -> String {
    v.map_or("null".into(), |v| v.to_string())
}

impl Store {
    /// The id of a unit by its name or one of its other names, added when new.
    pub(crate) async fn unit_id(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        name: &str,
    ) -> Result<i64, StoreError> {
        let name = self.canonical_unit(name);
        if let Some(r) = sqlx::query("SELECT id FROM units WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut **tx)
            .await?
        {
            return Ok(r.try_get(0)?);
        }
        let r = sqlx::query("INSERT INTO units (name, kind) VALUES ($1, 'unit') RETURNING id")
            .bind(name)
            .fetch_one(&mut **tx)
            .await?;
        Ok(r.try_get(0)?)
    }

    /// Adds a user; `Ok(None)` when the name is taken.
    pub async fn add_user(
        &self,
        name: &str,
        password_hash: &str,
        role: &str,
        units: &[String],
        actor: &str,
    ) -> Result<Option<i64>, StoreError> {
        // Writers take the lock at once (SQLite: BEGIN IMMEDIATE), so that concurrent
        // writers wait for each other instead of failing as deadlocked.
        let mut tx = self.begin_write().await?;
        if sqlx::query("SELECT id FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?
            .is_some()
        {
            return Ok(None);
        }
        let id: i64 = sqlx::query(
            "INSERT INTO users (name, password_hash, role, created_at) VALUES ($1, $2, $3, $4) \
             RETURNING id",
        )
        .bind(name)
        .bind(password_hash)
        .bind(role)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        for u in units {
            let unit = self.unit_id(&mut tx, u).await?;
            sqlx::query("INSERT INTO user_units (user_id, unit_id) VALUES ($1, $2)")
                .bind(id)
                .bind(unit)
                .execute(&mut *tx)
                .await?;
        }
        let units_json: Vec<String> = units.iter().map(|u| js(self.canonical_unit(u))).collect();
        audit(
            &mut tx,
            actor,
            "user.add",
            "user",
            name,
            None,
            Some(format!(
                "{{\"role\":{},\"units\":[{}]}}",
                js(role),
                units_json.join(",")
            )),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    /// Replaces a user's password hash and ends their sessions; `false` when there is no such
    /// user.
    pub async fn set_password(
        &self,
        name: &str,
        password_hash: &str,
        actor: &str,
    ) -> Result<bool, StoreError> {
        // Writers take the lock at once (SQLite: BEGIN IMMEDIATE), so that concurrent
        // writers wait for each other instead of failing as deadlocked.
        let mut tx = self.begin_write().await?;
        let Some(r) = sqlx::query("SELECT id FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Ok(false);
        };
        let id: i64 = r.try_get(0)?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        end_sessions(&mut tx, id).await?;
        // The trail says that the password changed, never what to.
        audit(&mut tx, actor, "user.passwd", "user", name, None, None).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Disables (`true`) or enables a user, ending their sessions when disabled; `false` when
    /// there is no such user. Audited as `user.disable` / `user.enable`.
    pub async fn set_user_disabled(
        &self,
        name: &str,
        disabled: bool,
        actor: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(r) = sqlx::query("SELECT id, disabled FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Ok(false);
        };
        let id: i64 = r.try_get(0)?;
        let was: i64 = r.try_get(1)?;
        sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if disabled {
            end_sessions(&mut tx, id).await?;
        }
        let state = |d: bool| format!("{{\"disabled\":{d}}}");
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        audit(
            &mut tx,
            actor,
            action,
            "user",
            name,
            Some(state(was != 0)),
            Some(state(disabled)),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Replaces the units a user reports for; `false` when there is no such user. Audited as
    /// `user.units` with the units before and after.
    pub async fn set_user_units(
        &self,
        name: &str,
        units: &[String],
        actor: &str,
    ) -> Result<bool, StoreError> {
        let Some(account) = self.account(name).await? else {
            return Ok(false);
        };
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM user_units WHERE user_id = $1")
            .bind(account.id)
            .execute(&mut *tx)
            .await?;
        let mut after: Vec<&str> = Vec::new();
        for u in units {
            let canonical = self.canonical_unit(u);
            if after.contains(&canonical) {
                continue;
            }
            after.push(canonical);
            let unit = self.unit_id(&mut tx, u).await?;
            sqlx::query("INSERT INTO user_units (user_id, unit_id) VALUES ($1, $2)")
                .bind(account.id)
                .bind(unit)
                .execute(&mut *tx)
                .await?;
        }
        let list = |units: &[&str]| {
            let items: Vec<String> = units.iter().map(|u| js(u)).collect();
            format!("{{\"units\":[{}]}}", items.join(","))
        };
        let before: Vec<&str> = account.units.iter().map(String::as_str).collect();
        audit(
            &mut tx,
            actor,
            "user.units",
            "user",
            name,
            Some(list(&before)),
            Some(list(&after)),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Whether some document's table names the unit (by its name or another of its names) as
    /// lead or cooperating unit: a user bound to a unit no table names would see no task.
    pub async fn unit_is_named(&self, unit: &str) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "SELECT 1 FROM task_units tu JOIN units u ON u.id = tu.unit_id WHERE u.name = $1 \
             LIMIT 1",
        )
        .bind(self.canonical_unit(unit))
        .fetch_optional(&self.pool)
        .await?
        .is_some())
    }

    async fn units_of(&self, user: i64) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT u.name FROM user_units uu JOIN units u ON u.id = uu.unit_id \
             WHERE uu.user_id = $1 ORDER BY u.name",
        )
        .bind(user)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    fn account_of(r: &sqlx::any::AnyRow) -> Result<Account, StoreError> {
        Ok(Account {
            id: r.try_get(0)?,
            name: r.try_get(1)?,
            role: r.try_get(2)?,
            units: Vec::new(),
            password_hash: r.try_get(3)?,
            created_at: r.try_get(4)?,
            disabled: r.try_get::<i64, _>(5)? != 0,
        })
    }

    pub async fn account(&self, name: &str) -> Result<Option<Account>, StoreError> {
        let Some(r) = sqlx::query(
            "SELECT id, name, role, password_hash, created_at, disabled FROM users WHERE name = $1",
        )
        .bind(name)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let mut a = Self::account_of(&r)?;
        a.units = self.units_of(a.id).await?;
        Ok(Some(a))
    }

    pub async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, role, password_hash, created_at, disabled FROM users ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let mut a = Self::account_of(r)?;
            a.units = self.units_of(a.id).await?;
            out.push(a);
        }
        Ok(out)
    }

    /// Opens a session; `id` and `csrf` are the caller's random tokens.
    pub async fn create_session(
        &self,
        id: &str,
        user: i64,
        csrf: &str,
        now_secs: i64,
        ttl_secs: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (id, user_id, csrf, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(user)
        .bind(csrf)
        .bind(now_secs)
        .bind(now_secs + ttl_secs)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The account and CSRF token of a live session.
    pub async fn session(
        &self,
        id: &str,
        now_secs: i64,
    ) -> Result<Option<(Account, String)>, StoreError> {
        let Some(r) = sqlx::query(
            "SELECT u.id, u.name, u.role, u.password_hash, u.created_at, u.disabled, s.csrf \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id = $1 AND s.expires_at > $2 AND u.disabled = 0",
        )
        .bind(id)
        .bind(now_secs)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let mut a = Self::account_of(&r)?;
        let csrf: String = r.try_get(6)?;
        a.units = self.units_of(a.id).await?;
        Ok(Some((a, csrf)))
    }

    pub async fn end_session(&self, id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records a progress report and its audit event.
    pub async fn add_report(&self, r: &NewReport, actor: &str) -> Result<i64, StoreError> {
        // Writers take the lock at once (SQLite: BEGIN IMMEDIATE), so that concurrent
        // writers wait for each other instead of failing as deadlocked.
        let mut tx = self.begin_write().await?;
        let unit = self.unit_id(&mut tx, &r.unit).await?;
        let q = sqlx::query(
            "INSERT INTO progress_reports (source, task_seq, unit_id, user_id, reported_at, \
             status, percent, value, narrative) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             RETURNING id",
        )
        .bind(&r.source)
        .bind(r.task_seq)
        .bind(unit)
        .bind(r.user_id)
        .bind(now())
        .bind(&r.status);
        let q = crate::write::BindFloat::bind_f64(q, r.percent);
        let q = crate::write::BindFloat::bind_f64(q, r.value);
        let id: i64 = q.bind(&r.narrative).fetch_one(&mut *tx).await?.try_get(0)?;
        audit(
            &mut tx,
            actor,
            "report.submit",
            "task",
            &format!("{}#{}", r.source, r.task_seq),
            None,
            Some(format!(
                "{{\"report\":{id},\"unit\":{},\"status\":{},\"percent\":{},\"narrative\":{}}}",
                js(self.canonical_unit(&r.unit)),
                js(&r.status),
                opt_num(r.percent),
                js(&r.narrative)
            )),
        )
        .await?;
        crate::evaluations::stale_source(&mut tx, &r.source).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The lead unit acknowledges its task (签收): a published report of status
    /// `acknowledged`, with its audit event. `false` when the unit acknowledged it already.
    pub async fn acknowledge(
        &self,
        source: &str,
        seq: i64,
        unit: &str,
        user: i64,
        actor: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let unit_id = self.unit_id(&mut tx, unit).await?;
        if sqlx::query(
            "SELECT id FROM progress_reports WHERE source = $1 AND task_seq = $2 \
             AND unit_id = $3 AND status = 'acknowledged'",
        )
        .bind(source)
        .bind(seq)
        .bind(unit_id)
        .fetch_optional(&mut *tx)
        .await?
        .is_some()
        {
            return Ok(false);
        }
        let at = now();
        sqlx::query(
            "INSERT INTO progress_reports (source, task_seq, unit_id, user_id, reported_at, \
             status, narrative, review, reviewed_at) \
             VALUES ($1, $2, $3, $4, $5, 'acknowledged', '', 'accepted', $6)",
        )
        .bind(source)
        .bind(seq)
        .bind(unit_id)
        .bind(user)
        .bind(&at)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            actor,
            "task.acknowledge",
            "task",
            &format!("{source}#{seq}"),
            None,
            Some(format!("{{\"unit\":{}}}", js(self.canonical_unit(unit)))),
        )
        .await?;
        crate::evaluations::stale_source(&mut tx, source).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// A supervisor accepts or returns a submitted report; `false` when there is no such
    /// report or it was reviewed already.
    pub async fn review_report(
        &self,
        id: i64,
        accept: bool,
        comment: &str,
        reviewer: i64,
        actor: &str,
    ) -> Result<bool, StoreError> {
        // Writers take the lock at once (SQLite: BEGIN IMMEDIATE), so that concurrent
        // writers wait for each other instead of failing as deadlocked.
        let mut tx = self.begin_write().await?;
        let Some(r) =
            sqlx::query("SELECT source, task_seq, review FROM progress_reports WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
        else {
            return Ok(false);
        };
        let (source, seq, before): (String, i64, String) =
            (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
        if before != "submitted" {
            return Ok(false);
        }
        let after = if accept { "accepted" } else { "returned" };
        sqlx::query(
            "UPDATE progress_reports SET review = $1, review_comment = $2, reviewed_by = $3, \
             reviewed_at = $4 WHERE id = $5",
        )
        .bind(after)
        .bind(comment)
        .bind(reviewer)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            actor,
            if accept {
                "report.accept"
            } else {
                "report.return"
            },
            "task",
            &format!("{source}#{seq}"),
            Some(format!("{{\"report\":{id},\"review\":{}}}", js(&before))),
            Some(format!(
                "{{\"report\":{id},\"review\":{},\"comment\":{}}}",
                js(after),
                js(comment)
            )),
        )
        .await?;
        crate::evaluations::stale_source(&mut tx, &source).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// A task's reports, newest first.
    pub async fn reports(&self, source: &str, seq: i64) -> Result<Vec<ReportRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "{REPORT_COLUMNS} FROM progress_reports p {REPORT_JOINS} \
             WHERE p.source = $1 AND p.task_seq = $2 ORDER BY p.id DESC"
        ))
        .bind(source)
        .bind(seq)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(report_row).collect()
    }

    /// Every report still open: submitted and waiting for its review, or returned to its unit
    /// and not yet followed by another report of that unit on the task; with its task's document
    /// source and number, oldest first. What the work queues list.
    pub async fn open_reports(&self) -> Result<Vec<(String, i64, ReportRow)>, StoreError> {
        let rows = sqlx::query(&format!(
            "{REPORT_COLUMNS}, p.source, p.task_seq FROM progress_reports p {REPORT_JOINS} \
             WHERE p.review = 'submitted' OR (p.review = 'returned' AND NOT EXISTS ( \
               SELECT 1 FROM progress_reports q WHERE q.source = p.source \
               AND q.task_seq = p.task_seq AND q.unit_id = p.unit_id AND q.id > p.id)) \
             ORDER BY p.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(9)?, r.try_get(10)?, report_row(r)?)))
            .collect()
    }

    /// A task's document source, units in the order listed, and whether responsibility is
    /// joint, by document key and number.
    pub async fn task_units(
        &self,
        document: i64,
        seq: i64,
    ) -> Result<Option<(String, Vec<String>, bool)>, StoreError> {
        let Some(r) = sqlx::query(
            "SELECT t.id, d.source, t.joint FROM tasks t JOIN documents d ON d.id = t.document_id \
             WHERE t.document_id = $1 AND t.seq = $2",
        )
        .bind(document)
        .bind(seq)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let (task, source, joint): (i64, String, i64) =
            (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
        let units = sqlx::query(
            "SELECT u.name FROM task_units tu JOIN units u ON u.id = tu.unit_id \
             WHERE tu.task_id = $1 ORDER BY tu.position",
        )
        .bind(task)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| r.try_get::<String, _>(0))
        .collect::<Result<Vec<_>, _>>()?;
        Ok(Some((source, units, joint != 0)))
    }

    /// Attaches an evidence file to a report, with its audit event.
    pub async fn add_evidence(
        &self,
        report: i64,
        name: &str,
        content_type: &str,
        data: &[u8],
        actor: &str,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let (source, seq): (String, i64) = {
            let r = sqlx::query("SELECT source, task_seq FROM progress_reports WHERE id = $1")
                .bind(report)
                .fetch_one(&mut *tx)
                .await?;
            (r.try_get(0)?, r.try_get(1)?)
        };
        let id: i64 = sqlx::query(
            "INSERT INTO evidence (report_id, name, content_type, size, data, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(report)
        .bind(name)
        .bind(content_type)
        .bind(data.len() as i64)
        .bind(data.to_vec())
        .bind(now())
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        audit(
            &mut tx,
            actor,
            "evidence.add",
            "task",
            &format!("{source}#{seq}"),
            None,
            Some(format!(
                "{{\"report\":{report},\"evidence\":{id},\"name\":{},\"size\":{}}}",
                js(name),
                data.len()
            )),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records a progress report with its evidence files (name, type, bytes), each with its
    /// audit event, in one transaction: the report is stored with all its files or not at all.
    /// Returns the report's id.
    pub async fn add_report_with_evidence(
        &self,
        r: &NewReport,
        files: &[(&str, &str, &[u8])],
        actor: &str,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let unit = self.unit_id(&mut tx, &r.unit).await?;
        let at = now();
        let q = sqlx::query(
            "INSERT INTO progress_reports (source, task_seq, unit_id, user_id, reported_at, \
             status, percent, value, narrative) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             RETURNING id",
        )
        .bind(&r.source)
        .bind(r.task_seq)
        .bind(unit)
        .bind(r.user_id)
        .bind(&at)
        .bind(&r.status);
        let q = crate::write::BindFloat::bind_f64(q, r.percent);
        let q = crate::write::BindFloat::bind_f64(q, r.value);
        let id: i64 = q.bind(&r.narrative).fetch_one(&mut *tx).await?.try_get(0)?;
        let task = format!("{}#{}", r.source, r.task_seq);
        audit(
            &mut tx,
            actor,
            "report.submit",
            "task",
            &task,
            None,
            Some(format!(
                "{{\"report\":{id},\"unit\":{},\"status\":{},\"percent\":{},\"narrative\":{}}}",
                js(self.canonical_unit(&r.unit)),
                js(&r.status),
                opt_num(r.percent),
                js(&r.narrative)
            )),
        )
        .await?;
        for (name, content_type, data) in files {
            let file: i64 = sqlx::query(
                "INSERT INTO evidence (report_id, name, content_type, size, data, uploaded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(id)
            .bind(*name)
            .bind(*content_type)
            .bind(data.len() as i64)
            .bind(data.to_vec())
            .bind(&at)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
            audit(
                &mut tx,
                actor,
                "evidence.add",
                "task",
                &task,
                None,
                Some(format!(
                    "{{\"report\":{id},\"evidence\":{file},\"name\":{},\"size\":{}}}",
                    js(name),
                    data.len()
                )),
            )
            .await?;
        }
        crate::evaluations::stale_source(&mut tx, &r.source).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The evidence files of a report: id, name, type and size.
    pub async fn evidence_of(
        &self,
        report: i64,
    ) -> Result<Vec<(i64, String, String, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, content_type, size FROM evidence WHERE report_id = $1 ORDER BY id",
        )
        .bind(report)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
            .collect()
    }

    /// One evidence file: its report, name, type and bytes.
    pub async fn evidence(
        &self,
        id: i64,
    ) -> Result<Option<(i64, String, String, Vec<u8>)>, StoreError> {
        let r =
            sqlx::query("SELECT report_id, name, content_type, data FROM evidence WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        r.map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
            .transpose()
    }

    /// A report's review state, unit and task, for authorisation checks.
    pub async fn report_state(
        &self,
        id: i64,
    ) -> Result<Option<(String, i64, String, Option<String>)>, StoreError> {
        let r = sqlx::query(
            "SELECT p.source, p.task_seq, p.review, u.name FROM progress_reports p \
             LEFT JOIN units u ON u.id = p.unit_id WHERE p.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        r.map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
            .transpose()
    }

    /// The leaders of a document's task, in the table's order, for authorisation checks.
    pub async fn task_leaders(&self, source: &str, seq: i64) -> Result<Vec<String>, StoreError> {
        sqlx::query(
            "SELECT l.name FROM tasks t JOIN documents d ON d.id = t.document_id \
             JOIN task_leaders tl ON tl.task_id = t.id JOIN leaders l ON l.id = tl.leader_id \
             WHERE d.source = $1 AND t.seq = $2 ORDER BY tl.position",
        )
        .bind(source)
        .bind(seq)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| r.try_get::<String, _>(0).map_err(StoreError::from))
        .collect()
    }

    /// The report with its task, for authorisation checks.
    pub async fn report_task(&self, id: i64) -> Result<Option<(String, i64)>, StoreError> {
        let r = sqlx::query("SELECT source, task_seq FROM progress_reports WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        r.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
    }

    /// The changes recorded for an entity, oldest first.
    pub async fn audit_of(&self, entity: &str, id: &str) -> Result<Vec<AuditRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, actor, action, entity, entity_id, before_json, after_json \
             FROM audit_events WHERE entity = $1 AND entity_id = $2 ORDER BY id",
        )
        .bind(entity)
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditRow {
                    at: r.try_get(0)?,
                    actor: r.try_get(1)?,
                    action: r.try_get(2)?,
                    entity: r.try_get(3)?,
                    entity_id: r.try_get(4)?,
                    before: r.try_get(5)?,
                    after: r.try_get(6)?,
                })
            })
            .collect()
    }
}

pub(crate) async fn audit(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<String>,
    after: Option<String>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_events (at, actor, action, entity, entity_id, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(now())
    .bind(actor)
    .bind(action)
    .bind(entity)
    .bind(entity_id)
    .bind(before)
    .bind(after)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A key task added by hand (not read from a table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTask {
    pub region: String,
    pub year: i32,
    pub category: Option<String>,
    pub text: String,
    pub deadline: Option<String>,
    pub leaders: Vec<String>,
    /// The lead unit first, unless responsibility is joint.
    pub units: Vec<String>,
    pub joint: bool,
}

impl Store {
    /// Adds a task by hand to the region's and year's hand-kept table (a document of its own,
    /// `manual:REGION:YEAR`, whose text grows by one line per task so that the task has its place
    /// in a text like any other). Returns the document's key and the task's number.
    pub async fn add_task(&self, t: &NewTask, actor: &str) -> Result<(i64, i64), StoreError> {
        let mut tx = self.begin_write().await?;
        let source = format!("manual:{}:{}", t.region, t.year);
        let region = crate::write::region_id(&mut tx, &t.region, None).await?;
        let existing = sqlx::query("SELECT id, text FROM documents WHERE source = $1")
            .bind(&source)
            .fetch_optional(&mut *tx)
            .await?;
        let (doc, mut text): (i64, String) = match existing {
            Some(r) => (r.try_get(0)?, r.try_get(1)?),
            None => {
                let r = sqlx::query(
                    "INSERT INTO documents (source, content_hash, kind, title, region_id, year, \
                     format, encoding, text, ingested_at) \
                     VALUES ($1, $2, 'task_table', $3, $4, $5, 'manual', 'UTF-8', '', $6) \
                     RETURNING id",
                )
                .bind(&source)
                .bind(crate::write::content_hash(""))
                .bind(format!("{}{}年重点工作（手工添加）", t.region, t.year))
                .bind(region)
                .bind(i64::from(t.year))
                .bind(now())
                .fetch_one(&mut *tx)
                .await?;
                (r.try_get(0)?, String::new())
            }
        };
        let seq: i64 =
            sqlx::query("SELECT COALESCE(MAX(seq), 0) + 1 FROM tasks WHERE document_id = $1")
                .bind(doc)
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
        let start = text.len();
        text.push_str(&format!("{seq}\t{}\n", t.text.replace('\n', " ")));
        let end = text.len() - 1;
        sqlx::query(
            "UPDATE documents SET text = $1, content_hash = $2, version = version + 1 WHERE id = $3",
        )
        .bind(&text)
        .bind(crate::write::content_hash(&text))
        .bind(doc)
        .execute(&mut *tx)
        .await?;
        let task: i64 = sqlx::query(
            "INSERT INTO tasks (document_id, seq, category, text, deadline, joint, span_start, \
             span_end) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(doc)
        .bind(seq)
        .bind(t.category.as_deref())
        .bind(&t.text)
        .bind(t.deadline.as_deref())
        .bind(i64::from(t.joint))
        .bind(start as i64)
        .bind(end as i64)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        for (k, u) in t.units.iter().enumerate() {
            let name = self.canonical_unit(u);
            let unit: i64 = sqlx::query(
                "INSERT INTO units (name, kind) VALUES ($1, $2) \
                 ON CONFLICT (name) DO UPDATE SET kind = units.kind RETURNING id",
            )
            .bind(name)
            .bind(self.units.kind(name).as_str())
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
            let role = if t.joint {
                "joint"
            } else if k == 0 {
                "lead"
            } else {
                "cooperating"
            };
            sqlx::query(
                "INSERT INTO task_units (task_id, unit_id, position, role) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(task)
            .bind(unit)
            .bind(k as i64)
            .bind(role)
            .execute(&mut *tx)
            .await?;
        }
        for (k, l) in t.leaders.iter().enumerate() {
            let leader: i64 = sqlx::query(
                "INSERT INTO leaders (name) VALUES ($1) \
                 ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id",
            )
            .bind(l)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
            sqlx::query(
                "INSERT INTO task_leaders (task_id, leader_id, position) VALUES ($1, $2, $3) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(task)
            .bind(leader)
            .bind(k as i64)
            .execute(&mut *tx)
            .await?;
        }
        let units: Vec<String> = t.units.iter().map(|u| js(self.canonical_unit(u))).collect();
        audit(
            &mut tx,
            actor,
            "task.add",
            "task",
            &format!("{source}#{seq}"),
            None,
            Some(format!(
                "{{\"text\":{},\"deadline\":{},\"units\":[{}],\"joint\":{}}}",
                js(&t.text),
                t.deadline.as_deref().map_or("null".into(), js),
                units.join(","),
                t.joint
            )),
        )
        .await?;
        crate::evaluations::stale_source(&mut tx, &source).await?;
        tx.commit().await?;
        Ok((doc, seq))
    }
}
