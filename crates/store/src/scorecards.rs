//! Scorecards kept in the store: what an evaluation found for each unit, leader or region on a
//! date, queryable in SQL (table `scorecards`) and read back here.

use sqlx::Row;

use crate::write::{V, insert_rows, now};
use crate::{Store, StoreError};

/// One unit's, leader's or region's record for a year, as evaluated on a date.
#[derive(Debug, Clone, PartialEq)]
pub struct ScorecardRow {
    pub name: String,
    pub led: i64,
    pub cooperating: i64,
    pub completed: i64,
    pub overdue: i64,
    /// Tasks nobody reported on by a round or the deadline.
    pub unreported: i64,
    pub at_risk: i64,
    pub achieved: i64,
    pub not_achieved: i64,
    pub no_data: i64,
    pub completion: f64,
    pub achievement: Option<f64>,
    pub score: Option<f64>,
    /// The rank among its peers, 1 the best; `None` when listed without one.
    pub rank: Option<i64>,
    /// The peers it was ranked with (`department`, `district`, `leader`, `region`, `group`).
    pub peer_group: Option<String>,
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
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM scorecards WHERE year = $1 AND as_of = $2 AND kind = $3")
            .bind(i64::from(year))
            .bind(as_of)
            .bind(kind)
            .execute(&mut *tx)
            .await?;
        let at = now();
        let values: Vec<Vec<V>> = rows
            .iter()
            .map(|r| {
                vec![
                    i64::from(year).into(),
                    as_of.into(),
                    kind.into(),
                    r.name.as_str().into(),
                    r.led.into(),
                    r.cooperating.into(),
                    r.completed.into(),
                    r.overdue.into(),
                    r.at_risk.into(),
                    r.achieved.into(),
                    r.not_achieved.into(),
                    r.no_data.into(),
                    r.completion.into(),
                    r.achievement.into(),
                    at.as_str().into(),
                    r.score.into(),
                    r.rank.into(),
                    r.peer_group.as_deref().into(),
                    r.unreported.into(),
                ]
            })
            .collect();
        insert_rows(
            &mut tx,
            "scorecards",
            &[
                "year",
                "as_of",
                "kind",
                "name",
                "led",
                "cooperating",
                "completed",
                "overdue",
                "at_risk",
                "achieved",
                "not_achieved",
                "no_data",
                "completion",
                "achievement",
                "evaluated_at",
                "score",
                "rank",
                "peer_group",
                "unreported",
            ],
            values,
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The latest saved scorecards of a kind for a year: by peer group, the ranked best first,
    /// then those listed without a rank.
    pub async fn scorecards(&self, year: i32, kind: &str) -> Result<Vec<ScorecardRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT name, led, cooperating, completed, overdue, at_risk, achieved, not_achieved, \
             no_data, completion, achievement, score, rank, peer_group, unreported FROM scorecards \
             WHERE year = $1 AND kind = $2 AND as_of = (SELECT MAX(as_of) FROM scorecards \
             WHERE year = $1 AND kind = $2) ORDER BY COALESCE(peer_group, ''), \
             CASE WHEN rank IS NULL THEN 1 ELSE 0 END, rank, COALESCE(score, -1) DESC, \
             completion DESC, name",
        )
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
                    rank: r.try_get(12)?,
                    peer_group: r.try_get(13)?,
                    unreported: r.try_get(14)?,
                })
            })
            .collect()
    }
}
