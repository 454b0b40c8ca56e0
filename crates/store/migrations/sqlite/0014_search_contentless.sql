-- The search index without a second copy of its words. The FTS5 table of 0002 kept every
-- paragraph's words as well as indexing them (1.75 times the text itself, written with every
-- document). The words are now only indexed, in a contentless FTS5 table; where each paragraph is
-- lives in an ordinary table under the same rowid. AUTOINCREMENT: a rowid is never given again
-- after its paragraph is deleted. The tokenizer no longer folds diacritics (the words are
-- lower-cased by jieba's caller; Chinese has none to fold). Segments are merged 16 at a time
-- rather than 4: every document's commit adds a segment, and merging them four by four rewrote
-- the index over and over (3,000 synthetic documents: 3.67 → 4.51 MB/s, one run each).
CREATE TABLE search_rows (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    section     TEXT,
    start       INTEGER NOT NULL,
    stop        INTEGER NOT NULL
);
CREATE INDEX search_rows_document ON search_rows(document_id);
CREATE VIRTUAL TABLE search_words USING fts5(
    tokens,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO search_rows (id, document_id, section, start, stop)
    SELECT rowid, document_id, section, start, stop FROM search_fts;
INSERT INTO search_words (rowid, tokens) SELECT rowid, tokens FROM search_fts;
DROP TABLE search_fts;
INSERT INTO search_words (search_words, rank) VALUES ('automerge', 16);
