-- Failed sign-ins, for the limiter every web process of one database shares: the name as the
-- limiter keys it (lower-cased, cut short), the client's address ('' when unknown; IPv6 by its
-- /64), the time in seconds since the epoch. Rows older than the limiter's window are deleted.
CREATE TABLE sign_in_failures (
    id        INTEGER PRIMARY KEY,
    name_key  TEXT NOT NULL,
    address   TEXT NOT NULL,
    at        INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_name ON sign_in_failures(name_key);
CREATE INDEX sign_in_failures_address ON sign_in_failures(address);
CREATE INDEX sign_in_failures_at ON sign_in_failures(at);
