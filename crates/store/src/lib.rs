//! The ledger in a database: SQLite (embedded, the default) or PostgreSQL (shared).
//!
//! One [`Store`] talks to either engine through sqlx's `Any` driver, so the queries here are
//! written once, in the SQL both engines share (`$1` parameters in order, `RETURNING`, `ON
//! CONFLICT`). What differs — the schema's types and key generation — lives in the per-backend
//! migrations under `migrations/sqlite` and `migrations/postgres`, applied on open; a database
//! whose applied migrations do not match this build's is refused with a clear error.
//!
//! Ingest is idempotent and atomic per document ([`Store::ingest`]): a document is identified by
//! its source (the path it was read from); the same content ingested again changes nothing; a
//! changed content replaces the earlier extraction in one transaction, while progress reports that
//! people attached to its tasks stay attached (they reference the source and the task's number)
//! and are flagged for review.
//!
//! Architecture invariant: the store knows the domain model and SQL, nothing of file formats,
//! extraction rules, HTTP or the command line.

mod accounts;
mod engine;
mod evaluations;
mod export;
mod ledger;
mod migrate;
mod regions;
mod scorecards;
mod search;
mod sign_in;
mod supervise;
mod write;

use std::fmt;

use plantrack_model::UnitNames;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Row};

pub use accounts::{Account, AuditRow, NewReport, NewTask, ReportRow};
pub use evaluations::{Body, EvaluationKey, EvaluationKind, KeptEvaluation};
pub use export::{QuantityRow, TaskRow, csv_cell, file_name};
pub use ledger::LedgerFilter;
pub use regions::RegionsLoaded;
pub use scorecards::ScorecardRow;
pub use search::{Prepared, SearchHit, index_words, query_words};
pub use sign_in::FailureCounts;
pub use supervise::{ExtensionRow, UrgeRow};
pub use write::{ImportedBy, IngestOutcome, content_hash};

/// The database behind the ledger.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// The units' other names, (alias, name), given by the caller (the extractor's lexicon and
    /// the office's rows): the store knows no name of its own.
    units: std::sync::Arc<UnitNames>,
}

/// Which engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Why the store could not do what was asked. Messages are for users; the caller adds context.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("bad database address {url}: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("cannot open the database: {0}")]
    Open(#[source] sqlx::Error),
    #[error("the database schema does not match this version of plantrack: {0}")]
    Schema(#[source] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
    /// What was asked would make the ledger wrong (a region its own ancestor): nothing written.
    #[error("{0}")]
    Refused(String),
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may hold a password: never print it.
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish()
    }
}

/// How many rows of each kind the ledger holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub documents: i64,
    pub sections: i64,
    pub indicators: i64,
    pub quantities: i64,
    pub milestones: i64,
    pub tasks: i64,
    pub units: i64,
    pub leaders: i64,
    pub progress_reports: i64,
}

impl Store {
    /// The store, filing units by the caller's rules (the extractor's lexicon): one unit kept
    /// under each of its names, groups and governments known by their names. Without them every
    /// name is a unit of its own.
    pub fn with_units(mut self, rules: UnitNames) -> Store {
        self.units = std::sync::Arc::new(rules);
        self
    }

    /// The name a unit is kept under.
    pub(crate) fn canonical_unit<'a>(&'a self, name: &'a str) -> &'a str {
        self.units.canonical(name)
    }

    /// Opens (creating if needed) the database at `url` and brings its schema up to date.
    ///
    /// `url` is a `postgres://` URL, a `sqlite:` URL (`sqlite::memory:`), or a path to a SQLite
    /// file.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        install_default_drivers();
        let (url, backend) = normalize_url(url)?;
        let max = backend.max_connections(&url);
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(std::time::Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    for pragma in backend.connection_pragmas() {
                        sqlx::Executor::execute(&mut *conn, *pragma).await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(StoreError::Open)?;
        if let Some(pragma) = backend.file_pragma(&url) {
            // Changing the journal mode needs the file to itself, and SQLite answers "busy"
            // without waiting when another process is opening it too: try again briefly.
            let mut attempt = 0;
            loop {
                match sqlx::query(pragma).execute(&pool).await {
                    Ok(_) => break,
                    Err(sqlx::Error::Database(e))
                        if matches!(e.code().as_deref(), Some("5" | "6")) && attempt < 40 =>
                    {
                        attempt += 1;
                        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
                    }
                    Err(e) => return Err(StoreError::Open(e)),
                }
            }
        }
        migrate::run(&pool, backend).await?;
        Ok(Store {
            pool,
            backend,
            units: std::sync::Arc::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Row counts of the ledger's main tables.
    pub async fn counts(&self) -> Result<Counts, StoreError> {
        let one = |table: &'static str| {
            let pool = self.pool.clone();
            async move {
                let row = sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
                    .fetch_one(&pool)
                    .await?;
                Ok::<i64, StoreError>(row.try_get::<i64, _>(0)?)
            }
        };
        Ok(Counts {
            documents: one("documents").await?,
            sections: one("sections").await?,
            indicators: one("indicators").await?,
            quantities: one("quantities").await?,
            milestones: one("milestones").await?,
            tasks: one("tasks").await?,
            units: one("units").await?,
            leaders: one("leaders").await?,
            progress_reports: one("progress_reports").await?,
        })
    }

    /// Empties one of the ledger's tables (benchmarks start from nothing); rows that depend on
    /// it go with it.
    pub async fn clear(&self, table: &str) -> Result<(), StoreError> {
        const TABLES: &[&str] = &[
            "progress_reports",
            "documents",
            "units",
            "leaders",
            "regions",
            "users",
            "audit_events",
            "scorecards",
            "sessions",
            "evaluations",
        ];
        if !TABLES.contains(&table) {
            return Err(StoreError::Query(sqlx::Error::Protocol(format!(
                "no table {table} to clear"
            ))));
        }
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn close(self) {
        self.pool.close().await;
    }
}

/// Turns what a user typed into a URL sqlx understands, and says which engine it is.
fn normalize_url(url: &str) -> Result<(String, Backend), StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((url.to_string(), Backend::Postgres));
    }
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let url = if rest.contains('?') || rest.contains(":memory:") {
            url.to_string()
        } else {
            format!("{url}?mode=rwc")
        };
        return Ok((url, Backend::Sqlite));
    }
    if url.contains("://") {
        return Err(StoreError::BadUrl {
            url: url.to_string(),
            reason: "expected a SQLite file path, a sqlite: URL or a postgres:// URL".into(),
        });
    }
    if url.is_empty() {
        return Err(StoreError::BadUrl {
            url: url.to_string(),
            reason: "empty".into(),
        });
    }
    Ok((format!("sqlite://{url}?mode=rwc"), Backend::Sqlite))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            normalize_url("data/ledger.db").unwrap(),
            ("sqlite://data/ledger.db?mode=rwc".into(), Backend::Sqlite)
        );
        assert_eq!(normalize_url("sqlite::memory:").unwrap().1, Backend::Sqlite);
        assert_eq!(
            normalize_url("postgres://postgres@127.0.0.1/test")
                .unwrap()
                .1,
            Backend::Postgres
        );
        assert!(normalize_url("mysql://x").is_err());
        assert!(normalize_url("").is_err());
    }
}
