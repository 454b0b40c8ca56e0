//! Every difference between the two engines that is not in the migrations, in one place: how
//! many connections, the pragmas of a SQLite connection and file, how a write transaction
//! starts, how a batch statement names its parameters, and the search index (an FTS5 table on
//! SQLite, a `simple` tsvector on PostgreSQL). The queries elsewhere are written once, in the
//! SQL both engines share, and ask this module where they must differ.

use crate::Backend;

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
    /// power cut may lose the last transactions.
    pub(crate) fn connection_pragmas(self) -> &'static [&'static str] {
        match self {
            Backend::Sqlite => &["PRAGMA synchronous=NORMAL"],
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

    /// The `n`-th (from 1) parameter of a batch statement. SQLite looks a named parameter (`$7`)
    /// up by name in a list, at preparation and at every bind: thousands of them made statements
    /// quadratic, so it gets anonymous `?`, bound by position. PostgreSQL only knows `$n`.
    pub(crate) fn batch_parameter(self, n: usize) -> String {
        match self {
            Backend::Sqlite => "?".into(),
            Backend::Postgres => format!("${n}"),
        }
    }

    /// The table of the search index.
    pub(crate) fn search_table(self) -> &'static str {
        match self {
            Backend::Sqlite => "search_fts",
            Backend::Postgres => "search_entries",
        }
    }

    /// The values of the `i`-th (from 0) row of a batch insert into the search index, columns
    /// `tokens, document_id, section, start, stop`: PostgreSQL makes the tokens a tsvector.
    pub(crate) fn search_row(self, i: usize) -> String {
        let n = i * 5;
        let p = |k: usize| self.batch_parameter(n + k);
        match self {
            Backend::Sqlite => format!("({}, {}, {}, {}, {})", p(1), p(2), p(3), p(4), p(5)),
            Backend::Postgres => format!(
                "(to_tsvector('simple', {}), {}, {}, {}, {})",
                p(1),
                p(2),
                p(3),
                p(4),
                p(5)
            ),
        }
    }

    /// Whether a document's index entries must be deleted by hand (SQLite's FTS table has no
    /// foreign key to cascade from).
    pub(crate) fn search_needs_unindexing(self) -> bool {
        self == Backend::Sqlite
    }

    /// The search query over the index, its parameters `$1` (the words, as the second value
    /// gives them) and `$2` (the limit), and the value of `$1` for `words`. Columns: source,
    /// title, section, start, stop, text.
    pub(crate) fn search_query(self, words: &[String]) -> (&'static str, String) {
        match self {
            // Each word quoted: FTS5 reads `"…"` as a literal token, so no query syntax leaks in.
            Backend::Sqlite => (
                "SELECT d.source, d.title, f.section, f.start, f.stop, d.text \
                 FROM search_fts f JOIN documents d ON d.id = f.document_id \
                 WHERE search_fts MATCH $1 ORDER BY f.rank LIMIT $2",
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
    fn batch_parameters_and_search_rows_per_engine() {
        assert_eq!(Backend::Sqlite.batch_parameter(7), "?");
        assert_eq!(Backend::Postgres.batch_parameter(7), "$7");
        assert_eq!(Backend::Sqlite.search_row(1), "(?, ?, ?, ?, ?)");
        assert_eq!(
            Backend::Postgres.search_row(1),
            "(to_tsvector('simple', $6), $7, $8, $9, $10)"
        );
        let (_, expr) = Backend::Sqlite.search_query(&["高新\"技术".into(), "企业".into()]);
        assert_eq!(expr, "\"高新\"\"技术\" \"企业\"");
        assert_eq!(Backend::Sqlite.file_pragma("sqlite::memory:"), None);
        assert_eq!(Backend::of_connection("SQLite"), Backend::Sqlite);
    }
}
