//! Scorecards kept in the store: what an evaluation found for each unit, leader or region on a
//! date, queryable in SQL (table `scorecards`) and read back here.

use sqlx::Row;

use crate::write::{BindFloat, now};
use crate::{Store, StoreError};

/// One unit's, leader's or region's record for a year, as evaluated on a date.
#[derive(Debug, Clone, PartialEq)]
pub struct ScorecardRow {
    pub name: String,
    pub led: i64,
    pub cooperating: i64,
    pub completed: i64,
    pub overdue: i64,
    pub at_risk: i64,
    pub achieved: i64,
    pub not_achieved: i64,
    pub no_data: i64,
    pub completion: f64,
    pub achievement: Option<f64>,
    pub score: Option<f64>,
}

impl Store {
    /// Keeps the scorecards of one kind (`unit`, `leader`, `region`) for a year as evaluated on
    /// `as_of`, replacing those of the same year, date and kind, in one transaction.
    pub async fn save_scorecards(
        &self,
        year: i32,
        as_of: &str,
        kind: &str,
        rows: &[ScorecardRow],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let p = |n: usize| -> String {
            match self.backend {
                crate::Backend::Sqlite => "?".into(),
                crate::Backend::Postgres => format!("${n}"),
            }
        };
        sqlx::query(&format!(
            "DELETE FROM scorecards WHERE year = {} AND as_of = {} AND kind = {}",
            p(1),
            p(2),
            p(3)
        ))
        .bind(i64::from(year))
        .bind(as_of)
        .bind(kind)
        .execute(&mut *tx)
        .await?;
        let at = now();
        let params: Vec<String> = (1..=16).map(p).collect();
        let sql = format!(
            "INSERT INTO scorecards (year, as_of, kind, name, led, cooperating, completed, \
             overdue, at_risk, achieved, not_achieved, no_data, completion, achievement, \
             evaluated_at, score) VALUES ({})",
            params.join(", ")
        );
        for r in rows {
            sqlx::query(&sql)
                .bind(i64::from(year))
                .bind(as_of)
                .bind(kind)
                .bind(&r.name)
                .bind(r.led)
                .bind(r.cooperating)
                .bind(r.completed)
                .bind(r.overdue)
                .bind(r.at_risk)
                .bind(r.achieved)
                .bind(r.not_achieved)
                .bind(r.no_data)
                .bind(r.completion)
                .bind_f64(r.achievement)
                .bind(&at)
                .bind_f64(r.score)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The latest saved scorecards of a kind for a year, best first.
    pub async fn scorecards(&self, year: i32, kind: &str) -> Result<Vec<ScorecardRow>, StoreError> {
        let p = |n: usize| -> String {
            match self.backend {
                crate::Backend::Sqlite => "?".into(),
                crate::Backend::Postgres => format!("${n}"),
            }
        };
        let rows = sqlx::query(&format!(
            "SELECT name, led, cooperating, completed, overdue, at_risk, achieved, not_achieved, \
             no_data, completion, achievement, score FROM scorecards \
             WHERE year = {} AND kind = {} AND as_of = (SELECT MAX(as_of) FROM scorecards \
             WHERE year = {} AND kind = {}) ORDER BY COALESCE(score, -1) DESC, completion DESC, name",
            p(1),
            p(2),
            p(3),
            p(4)
        ))
        .bind(i64::from(year))
        .bind(kind)
        .bind(i64::from(year))
        .bind(kind)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(ScorecardRow {
                    name: r.try_get(0)?,
                    led: r.try_get(1)?,
                    cooperating: r.try_get(2)?,
                    completed: r.try_get(3)?,
                    overdue: r.try_get(4)?,
                    at_risk: r.try_get(5)?,
                    achieved: r.try_get(6)?,
                    not_achieved: r.try_get(7)?,
                    no_data: r.try_get(8)?,
                    completion: r.try_get(9)?,
                    achievement: r.try_get(10)?,
                    score: r.try_get(11)?,
                })
            })
            .collect()
    }
}
