-- One-time dashboard sign-in links (issue 13). The NPS card asks for one on behalf of the HubSpot user looking at
-- it; opening the link starts a dashboard session for that portal. The link carries 256 random bits; only their
-- sha256 is stored. A link works once (used_at is set in the same statement that checks it) and only until
-- expires_at, a couple of minutes after it was issued.
CREATE TABLE dashboard_sign_in_links (
  token_hash text PRIMARY KEY,
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  -- Who asked for it: the HubSpot user of the card's context.
  hubspot_user_id bigint,
  user_email text,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX dashboard_sign_in_links_expiry_idx ON dashboard_sign_in_links (expires_at);
