//! Schema migrations, embedded in the binary, one set per backend.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use sqlx::AnyPool;
use sqlx::migrate::{MigrateError, Migration, MigrationSource, MigrationType, Migrator};

use crate::{Backend, StoreError};

/// `(version, description, SQL)` of each migration, in order.
type Embedded = &'static [(i64, &'static str, &'static str)];

const SQLITE: Embedded = &[
    (
        1,
        "ledger",
        include_str!("../migrations/sqlite/0001_ledger.sql"),
    ),
    (
        2,
        "search",
        include_str!("../migrations/sqlite/0002_search.sql"),
    ),
    (
        3,
        "scorecards",
        include_str!("../migrations/sqlite/0003_scorecards.sql"),
    ),
    (
        4,
        "region indexes",
        include_str!("../migrations/sqlite/0004_region_indexes.sql"),
    ),
    (
        5,
        "version index",
        include_str!("../migrations/sqlite/0005_version_index.sql"),
    ),
    (
        6,
        "accounts",
        include_str!("../migrations/sqlite/0006_accounts.sql"),
    ),
    (
        7,
        "scores",
        include_str!("../migrations/sqlite/0007_scores.sql"),
    ),
    (
        8,
        "evidence",
        include_str!("../migrations/sqlite/0008_evidence.sql"),
    ),
    (
        9,
        "user status",
        include_str!("../migrations/sqlite/0009_user_status.sql"),
    ),
    (
        10,
        "urges and extensions",
        include_str!("../migrations/sqlite/0010_urges_extensions.sql"),
    ),
    (
        11,
        "scorecard ranks",
        include_str!("../migrations/sqlite/0011_scorecard_ranks.sql"),
    ),
    (
        12,
        "sign-in failures",
        include_str!("../migrations/sqlite/0012_sign_in_failures.sql"),
    ),
    (
        13,
        "evaluations",
        include_str!("../migrations/sqlite/0013_evaluations.sql"),
    ),
    (
        14,
        "search contentless",
        include_str!("../migrations/sqlite/0014_search_contentless.sql"),
    ),
    (
        15,
        "evaluations basis",
        include_str!("../migrations/sqlite/0015_evaluations_basis.sql"),
    ),
];
const POSTGRES: Embedded = &[
    (
        1,
        "ledger",
        include_str!("../migrations/postgres/0001_ledger.sql"),
    ),
    (
        2,
        "search",
        include_str!("../migrations/postgres/0002_search.sql"),
    ),
    (
        3,
        "scorecards",
        include_str!("../migrations/postgres/0003_scorecards.sql"),
    ),
    (
        4,
        "region indexes",
        include_str!("../migrations/postgres/0004_region_indexes.sql"),
    ),
    (
        5,
        "version index",
        include_str!("../migrations/postgres/0005_version_index.sql"),
    ),
    (
        6,
        "accounts",
        include_str!("../migrations/postgres/0006_accounts.sql"),
    ),
    (
        7,
        "scores",
        include_str!("../migrations/postgres/0007_scores.sql"),
    ),
    (
        8,
        "evidence",
        include_str!("../migrations/postgres/0008_evidence.sql"),
    ),
    (
        9,
        "user status",
        include_str!("../migrations/postgres/0009_user_status.sql"),
    ),
    (
        10,
        "urges and extensions",
        include_str!("../migrations/postgres/0010_urges_extensions.sql"),
    ),
    (
        11,
        "scorecard ranks",
        include_str!("../migrations/postgres/0011_scorecard_ranks.sql"),
    ),
    (
        12,
        "sign-in failures",
        include_str!("../migrations/postgres/0012_sign_in_failures.sql"),
    ),
    (
        13,
        "evaluations",
        include_str!("../migrations/postgres/0013_evaluations.sql"),
    ),
    (
        14,
        "evaluations basis",
        include_str!("../migrations/postgres/0014_evaluations_basis.sql"),
    ),
];

/// Migrations compiled into the binary, so that a deployed `plantrack` needs no migration files.
#[derive(Debug)]
struct Compiled(Embedded);

type BoxDynError = Box<dyn std::error::Error + Send + Sync + 'static>;

impl<'s> MigrationSource<'s> for Compiled {
    fn resolve(
        self,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send + 's>> {
        Box::pin(async move {
            Ok(self
                .0
                .iter()
                .map(|(version, description, sql)| {
                    Migration::new(
                        *version,
                        Cow::Borrowed(description),
                        MigrationType::Simple,
                        Cow::Borrowed(sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// Applies what is missing; refuses a database migrated by another build (changed or unknown
/// migrations), which is the version check on start.
pub(crate) async fn run(pool: &AnyPool, backend: Backend) -> Result<(), StoreError> {
    let source = Compiled(match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    });
    let migrator = Migrator::new(source).await.map_err(StoreError::Schema)?;
    // Two processes opening a new SQLite file at once both find it unmigrated (sqlx takes no
    // lock on SQLite) and one fails to create what the other just created. A failure to
    // execute is therefore tried again once the other has committed; a mismatch of versions or
    // checksums is final at once.
    let mut attempt = 0;
    loop {
        match migrator.run(pool).await {
            Err(MigrateError::Execute(_) | MigrateError::ExecuteMigration(..)) if attempt < 5 => {
                attempt += 1;
                tokio::time::sleep(std::time::Duration::from_millis(50 * attempt)).await;
            }
            other => return other.map_err(StoreError::Schema),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Row;

    /// A SQLite database indexed by the first form of the search index (the words kept in the
    /// FTS5 table, 0002) keeps every paragraph through 0014: its place in `search_rows`, its
    /// words in `search_words` under the same rowid, found by the same query.
    #[tokio::test(flavor = "current_thread")]
    async fn sqlite_search_index_moves_to_the_contentless_table() {
        sqlx::any::install_default_drivers();
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .unwrap();
        Migrator::new(Compiled(&SQLITE[..13]))
            .await
            .unwrap()
            .run(&pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO documents (id, source, content_hash, version, kind, format, encoding, \
             text, ingested_at) VALUES (7, 'a.txt', 'h', 1, 'work_report', 'text', 'utf-8', \
             '集装箱吞吐量增长', '2026-01-01')",
        )
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO search_fts (rowid, tokens, document_id, section, start, stop) \
             VALUES (41, '集装箱 吞吐 吞吐量 集装箱吞吐量 增长', 7, '回顾', 0, 24)",
        )
        .execute(&pool)
        .await
        .unwrap();
        run(&pool, Backend::Sqlite).await.unwrap();
        let (expr_sql, expr) = Backend::Sqlite.search_query(&["吞吐量".to_string()]);
        let hit = sqlx::query(expr_sql)
            .bind(expr)
            .bind(10i64)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(hit.get::<String, _>(0), "a.txt");
        assert_eq!(hit.get::<String, _>(2), "回顾");
        assert_eq!((hit.get::<i64, _>(3), hit.get::<i64, _>(4)), (0, 24));
        // The next paragraph takes a rowid after the moved one.
        let seq: i64 = sqlx::query("SELECT seq FROM sqlite_sequence WHERE name = 'search_rows'")
            .fetch_one(&pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(seq, 41);
        let old: i64 = sqlx::query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'search_fts'")
            .fetch_one(&pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(old, 0);
    }
}
