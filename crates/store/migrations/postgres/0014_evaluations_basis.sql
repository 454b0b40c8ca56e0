-- The keys to compute again after a new build, lexicon or office's rules are those kept with
-- another basis: found in this index of the basis and the key alone, without reading the rows,
-- whose bodies are hundreds of kilobytes each (on a national ledger the scan of the table read
-- gigabytes from disk).
CREATE INDEX evaluations_basis ON evaluations(basis, kind, year, region);
