-- A saved scorecard says where it stood: its rank among its peers (NULL when listed without a
-- rank: a group placeholder, a unit of few tasks), the peer group it was ranked in, and the
-- tasks nobody reported on (unreported), apart from those reported on but not done (overdue).
ALTER TABLE scorecards ADD COLUMN rank INTEGER;
ALTER TABLE scorecards ADD COLUMN peer_group TEXT;
ALTER TABLE scorecards ADD COLUMN unreported INTEGER NOT NULL DEFAULT 0;
