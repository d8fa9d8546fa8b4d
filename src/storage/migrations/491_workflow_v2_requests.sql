-- v2-signed workflow-action requests seen recently (HubSpot's v2 signature has no timestamp, so a captured
-- request verifies forever). Keyed by sha256(signature + body); `response` is the answer given, replayed as is.
CREATE TABLE workflow_v2_requests (
  digest text PRIMARY KEY,
  callback_id text NOT NULL,
  response jsonb,
  seen_at timestamptz NOT NULL
);
CREATE INDEX workflow_v2_requests_seen_idx ON workflow_v2_requests (seen_at);
