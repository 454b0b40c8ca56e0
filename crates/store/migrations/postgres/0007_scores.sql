-- The assessment score of a scorecard (0-100, by the office's rules).
ALTER TABLE scorecards ADD COLUMN score DOUBLE PRECISION;
