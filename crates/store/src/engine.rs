//! Every difference between the two engines that is not in the migrations, in one place: how
//! many connections, the pragmas of a SQLite connection and file, how a write transaction
//! starts, how a batch statement names its parameters, and the search index (a contentless FTS5
//! table beside a table of paragraphs on SQLite, a `simple` tsvector on PostgreSQL). The
//! queries elsewhere are written once, in the SQL both engines share, and ask this module where
//! they must differ.

use sqlx::{Any, Row, Transaction};

use crate::search::IndexEntry;
use crate::write::insert_rows;
use crate::{Backend, StoreError};

impl Backend {
    /// The engine of a connection, by the name sqlx gives it.
    pub(crate) fn of_connection(name: &str) -> Backend {
        if name == "SQLite" {
            Backend::Sqlite
        } else {
            Backend::Postgres
        }
    }

    /// The pool's size: an in-memory SQLite database lives and dies with its one connection.
    pub(crate) fn max_connections(self, url: &str) -> u32 {
        match self {
            Backend::Sqlite if url.contains(":memory:") => 1,
            Backend::Sqlite => 4,
            Backend::Postgres => 8,
        }
    }

    /// Run on every new connection. In WAL mode, NORMAL syncs at checkpoints rather than at every
    /// commit: a killed process loses nothing committed and the file stays consistent; only a
    /// power cut may lose the last transactions. The log is copied back into the file when it
    /// reaches 8,000 pages (32 MB) rather than SQLite's 1,000: an ingest rewrites the same pages
    /// (the search index's, the ledger's indexes) document after document, and each checkpoint
    /// wrote them again (3,000 synthetic documents: 3.67 → 4.65 MB/s, one run each). Statement
    /// journals and temporary tables stay in memory rather than in temporary files: every
    /// statement of an ingest writing to the search index opens a statement journal (3,000
    /// documents, two runs each: 5.50 → 6.20 and 5.47 → 5.96 MB/s).
    pub(crate) fn connection_pragmas(self) -> &'static [&'static str] {
        match self {
            Backend::Sqlite => &[
                "PRAGMA synchronous=NORMAL",
                "PRAGMA wal_autocheckpoint=8000",
                "PRAGMA temp_store=MEMORY",
            ],
            Backend::Postgres => &[],
        }
    }

    /// Run once on opening a database file: WAL lets readers (the web server) go on while an
    /// ingest writes; it is a property of the file.
    pub(crate) fn file_pragma(self, url: &str) -> Option<&'static str> {
        match self {
            Backend::Sqlite if !url.contains(":memory:") => Some("PRAGMA journal_mode=WAL"),
            _ => None,
        }
    }

    /// How a write transaction starts, when not with a plain `BEGIN`: SQLite takes the write
    /// lock at once (`BEGIN IMMEDIATE`), so that two writers queue on the busy timeout instead of
    /// failing when a read turns into a write; PostgreSQL's default is already right.
    pub(crate) fn begin_write(self) -> Option<&'static str> {
        match self {
            Backend::Sqlite => Some("BEGIN IMMEDIATE"),
            Backend::Postgres => None,
        }
    }

    /// A text column read as its bytes: the driver checks a text column's UTF-8 as it reads it,
    /// with the standard library's check — a tenth of a national server's time went to it for
    /// the kept evaluations' bodies, which [`crate::Body`] checks faster when they are read.
    pub(crate) fn text_as_bytes(self, column: &str) -> String {
        match self {
            Backend::Sqlite => format!("CAST({column} AS BLOB)"),
            Backend::Postgres => format!("convert_to({column}, 'UTF8')"),
        }
    }

    /// The `n`-th (from 1) parameter of a batch statement. SQLite looks a named parameter (`$7`)
    /// up by name in a list, at preparation and at every bind: thousands of them made statements
    /// quadratic, so it gets anonymous `?`, bound by position. PostgreSQL only knows `$n`.
    pub(crate) fn batch_parameter(self, n: usize) -> String {
        match self {
            Backend::Sqlite => "?".into(),
            Backend::Postgres => format!("${n}"),
        }
    }

    /// Writes a document's paragraphs to the search index, inside its ingest transaction.
    ///
    /// SQLite: where each paragraph is goes to `search_rows`, its words to the contentless FTS5
    /// table `search_words` under the same rowid. The rowids are given here, after the last one
    /// the table ever gave (its AUTOINCREMENT sequence; the transaction holds the write lock), so
    /// that the two inserts pair without reading rowids back. PostgreSQL: one row in
    /// `search_entries`, the words made a tsvector.
    pub(crate) async fn index_paragraphs(
        self,
        tx: &mut Transaction<'static, Any>,
        doc: i64,
        entries: &[IndexEntry],
    ) -> Result<(), StoreError> {
        match self {
            Backend::Sqlite => {
                let last: i64 = sqlx::query(
                    "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'search_rows'), 0)",
                )
                .fetch_one(&mut **tx)
                .await?
                .try_get(0)?;
                let ids = (last + 1..).zip(entries);
                let rows = ids
                    .clone()
                    .map(|(id, e)| {
                        vec![
                            id.into(),
                            doc.into(),
                            e.section.as_deref().into(),
                            e.start.into(),
                            e.stop.into(),
                        ]
                    })
                    .collect();
                insert_rows(
                    tx,
                    "search_rows",
                    &["id", "document_id", "section", "start", "stop"],
                    rows,
                    "",
                )
                .await?;
                let words = ids
                    .map(|(id, e)| vec![id.into(), e.words.as_str().into()])
                    .collect();
                insert_rows(tx, "search_words", &["rowid", "tokens"], words, "").await?;
            }
            Backend::Postgres => {
                for chunk in entries.chunks(500) {
                    let mut sql = String::from(
                        "INSERT INTO search_entries (tokens, document_id, section, start, stop) VALUES ",
                    );
                    for i in 0..chunk.len() {
                        let n = i * 5;
                        if i > 0 {
                            sql.push_str(", ");
                        }
                        sql.push_str(&format!(
                            "(to_tsvector('simple', ${}), ${}, ${}, ${}, ${})",
                            n + 1,
                            n + 2,
                            n + 3,
                            n + 4,
                            n + 5
                        ));
                    }
                    let mut q = sqlx::query(&sql);
                    for e in chunk {
                        q = q
                            .bind(e.words.as_str())
                            .bind(doc)
                            .bind(e.section.as_deref())
                            .bind(e.start)
                            .bind(e.stop);
                    }
                    q.execute(&mut **tx).await?;
                }
            }
        }
        Ok(())
    }

    /// Removes a document's paragraphs from the search index, before the document itself is
    /// deleted. PostgreSQL's rows cascade from the document; SQLite's words are in an FTS5 table,
    /// which has no foreign key, found by the rowids of the paragraphs (which then cascade).
    pub(crate) async fn unindex_document(
        self,
        tx: &mut Transaction<'static, Any>,
        doc: i64,
    ) -> Result<(), StoreError> {
        if self == Backend::Sqlite {
            sqlx::query(
                "DELETE FROM search_words WHERE rowid IN \
                 (SELECT id FROM search_rows WHERE document_id = $1)",
            )
            .bind(doc)
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }

    /// The search query over the index, its parameters `$1` (the words, as the second value
    /// gives them) and `$2` (the limit), and the value of `$1` for `words`. Columns: source,
    /// title, section, start, stop, text.
    pub(crate) fn search_query(self, words: &[String]) -> (&'static str, String) {
        match self {
            // Each word quoted: FTS5 reads `"…"` as a literal token, so no query syntax leaks in.
            Backend::Sqlite => (
                "SELECT d.source, d.title, r.section, r.start, r.stop, d.text \
                 FROM search_words w JOIN search_rows r ON r.id = w.rowid \
                 JOIN documents d ON d.id = r.document_id \
                 WHERE search_words MATCH $1 ORDER BY w.rank LIMIT $2",
                words
                    .iter()
                    .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            Backend::Postgres => (
                "SELECT d.source, d.title, e.section, e.start, e.stop, d.text \
                 FROM search_entries e JOIN documents d ON d.id = e.document_id \
                 WHERE e.tokens @@ plainto_tsquery('simple', $1) \
                 ORDER BY ts_rank(e.tokens, plainto_tsquery('simple', $1)) DESC, e.id LIMIT $2",
                words.join(" "),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_parameters_and_search_queries_per_engine() {
        assert_eq!(Backend::Sqlite.batch_parameter(7), "?");
        assert_eq!(Backend::Postgres.batch_parameter(7), "$7");
        let (_, expr) = Backend::Sqlite.search_query(&["高新\"技术".into(), "企业".into()]);
        assert_eq!(expr, "\"高新\"\"技术\" \"企业\"");
        assert_eq!(Backend::Sqlite.file_pragma("sqlite::memory:"), None);
        assert_eq!(Backend::of_connection("SQLite"), Backend::Sqlite);
    }
}
