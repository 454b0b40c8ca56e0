-- Full-text search over the documents' paragraphs: each paragraph's words, split by jieba and
-- joined with spaces, in an FTS5 table whose other columns say where the paragraph is.
CREATE VIRTUAL TABLE search_fts USING fts5(
    tokens,
    document_id UNINDEXED,
    section UNINDEXED,
    start UNINDEXED,
    stop UNINDEXED,
    tokenize = 'unicode61'
);
