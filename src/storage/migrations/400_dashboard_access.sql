-- Dashboard access (issue 7): sign-in sessions and the revocable read-only links for wall screens.

-- One row per signed-in browser. The cookie carries the random session id (HMAC-signed); only its sha256 is
-- stored, so a database read does not hand out live sessions. Signing out deletes the row.
CREATE TABLE dashboard_sessions (
  id_hash text PRIMARY KEY,
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  -- Who signed in: "admin token" in single-portal mode, the HubSpot user's email in OAuth mode.
  user_label text NOT NULL,
  hubspot_user_id bigint,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX dashboard_sessions_expiry_idx ON dashboard_sessions (expires_at);

-- A TV link grants the read-only TV page of one portal and nothing else. The key is shown once; only its
-- sha256 is kept. Revoking sets revoked_at and the next request with that key is refused.
CREATE TABLE tv_links (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  label text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  last_used_at timestamptz
);
CREATE INDEX tv_links_portal_idx ON tv_links (portal_id, created_at DESC);
