-- Responses feature (2xx): coordination of the write-back flushers, the segmentation lists, the expiry sweep.

-- One flusher per (portal, kind) at a time across every app copy: a lease that expires if its holder dies.
-- Without it two copies could send an older and a newer state of one contact out of order.
CREATE TABLE outbox_leases (
  portal_id bigint NOT NULL,
  kind text NOT NULL,
  holder text NOT NULL,
  lease_until timestamptz NOT NULL,
  PRIMARY KEY (portal_id, kind)
);

-- The dynamic contact lists created on install ("NPS Promoters", ...), found by name again on reinstall.
CREATE TABLE segment_lists (
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  category text NOT NULL CHECK (category IN ('promoter', 'passive', 'detractor')),
  list_id text NOT NULL,
  name text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, category)
);

-- How far the expiry sweep has looked: answers that expired after this moment still need their score cleared.
CREATE TABLE score_expiry_sweeps (
  portal_id bigint PRIMARY KEY REFERENCES portals (portal_id) ON DELETE CASCADE,
  swept_until timestamptz NOT NULL
);
