-- One region's items of a year are read without the others' (the evaluations of a national
-- ledger ask for one region at a time).
CREATE INDEX quantities_region_year ON quantities(region_id, year);
CREATE INDEX milestones_region_year ON milestones(region_id, year);
CREATE INDEX documents_region ON documents(region_id);
