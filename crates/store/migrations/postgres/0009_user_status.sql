-- An account can be disabled without deleting it (its reports and the trail keep its name):
-- 1 refuses its sign-in; its sessions are ended when it is disabled.
ALTER TABLE users ADD COLUMN disabled BIGINT NOT NULL DEFAULT 0;
