-- The ledger's version (Store::version: count, last id and sum of versions of the documents) is
-- read from this index alone, never from the documents' rows and their texts.
CREATE INDEX documents_versions ON documents(id, version);
