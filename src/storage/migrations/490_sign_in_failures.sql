-- Failed dashboard sign-ins (wrong ADMIN_TOKEN, form or bearer; unknown or tampered one-time links), counted per
-- client address and per portal over a sliding window to throttle guessing. In the database, not in memory, so
-- that every copy of the app sees the same count. Rows older than the window are deleted as new ones arrive.
CREATE TABLE sign_in_failures (
  id bigserial PRIMARY KEY,
  ip text NOT NULL,
  -- The portal the attempt was for, when known (the single-portal admin token); no foreign key: it is a counter.
  portal_id bigint,
  failed_at timestamptz NOT NULL
);
CREATE INDEX sign_in_failures_ip_idx ON sign_in_failures (ip, failed_at);
CREATE INDEX sign_in_failures_portal_idx ON sign_in_failures (portal_id, failed_at);
CREATE INDEX sign_in_failures_at_idx ON sign_in_failures (failed_at);

