//! Failed sign-ins, kept in the database so that every web process of one database refuses the
//! same guesser (the policy — keys, limits, window — is the web's; this is the table).

use sqlx::Row;

use crate::{Store, StoreError};

/// How many failures since a moment: of the name from the address, of the name from
/// everywhere, and from the address for every name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FailureCounts {
    pub pair: i64,
    pub name: i64,
    pub address: i64,
}

impl Store {
    /// The failures of `name` and of `address` after `since` (seconds since the epoch).
    pub async fn sign_in_failures(
        &self,
        name: &str,
        address: &str,
        since: i64,
    ) -> Result<FailureCounts, StoreError> {
        let r = sqlx::query(
            "SELECT \
               COALESCE(SUM(CASE WHEN name_key = $1 AND address = $2 THEN 1 ELSE 0 END), 0), \
               COALESCE(SUM(CASE WHEN name_key = $1 THEN 1 ELSE 0 END), 0), \
               COALESCE(SUM(CASE WHEN address = $2 THEN 1 ELSE 0 END), 0) \
             FROM sign_in_failures WHERE (name_key = $1 OR address = $2) AND at > $3",
        )
        .bind(name)
        .bind(address)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok(FailureCounts {
            pair: r.try_get(0)?,
            name: r.try_get(1)?,
            address: r.try_get(2)?,
        })
    }

    /// Records a failure at `at`, forgetting those at or before `expired` and, past `capacity`
    /// rows, the oldest first (never the table at once).
    pub async fn add_sign_in_failure(
        &self,
        name: &str,
        address: &str,
        at: i64,
        expired: i64,
        capacity: i64,
    ) -> Result<(), StoreError> {
        // The write lock at once (SQLite), so that two processes' failures queue.
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sign_in_failures WHERE at <= $1")
            .bind(expired)
            .execute(&mut *tx)
            .await?;
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM sign_in_failures")
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        if n >= capacity {
            sqlx::query(
                "DELETE FROM sign_in_failures WHERE id IN \
                 (SELECT id FROM sign_in_failures ORDER BY at, id LIMIT $1)",
            )
            .bind(n - capacity + 1)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("INSERT INTO sign_in_failures (name_key, address, at) VALUES ($1, $2, $3)")
            .bind(name)
            .bind(address)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets a name's failures (a right password).
    pub async fn clear_sign_in_failures(&self, name: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sign_in_failures WHERE name_key = $1")
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// How many failures are remembered.
    pub async fn sign_in_failures_kept(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) FROM sign_in_failures")
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?)
    }
}
