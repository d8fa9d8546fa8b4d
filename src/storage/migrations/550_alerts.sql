-- Detractor alerts (src/alerts): the portal's Slack or Teams webhook, and what was alerted for each answer.

-- One incoming webhook per portal. The address is a secret (anyone holding it can post to the channel): stored
-- encrypted (AES-256-GCM, like OAuth tokens); url_hint is what the admin page shows (scheme, host, "…").
CREATE TABLE alert_webhooks (
  portal_id bigint PRIMARY KEY REFERENCES portals (portal_id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('slack', 'teams')),
  url_enc text NOT NULL,
  url_hint text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per answer and destination that called for an alert. wanted_*: the worst version of the answer that
-- must be alerted; sent_*: what was alerted last. A changed answer alerts again only when it is worse than
-- wanted_*, and a send is repeated only while sent_* is missing or better than wanted_*.
-- digest_day: the (UTC) day of the digest the alert goes in; null for an immediate alert.
CREATE TABLE alert_deliveries (
  portal_id bigint NOT NULL,
  response_id uuid NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
  destination text NOT NULL CHECK (destination IN ('owner-email', 'webhook')),
  wanted_score int NOT NULL,
  wanted_category text NOT NULL CHECK (wanted_category IN ('promoter', 'passive', 'detractor')),
  digest_day date,
  sent_score int,
  sent_category text,
  sent_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, response_id, destination)
);

CREATE INDEX alert_deliveries_digest_idx ON alert_deliveries (portal_id, destination, digest_day)
  WHERE digest_day IS NOT NULL;
