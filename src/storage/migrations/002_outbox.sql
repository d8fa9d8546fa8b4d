-- Durable work items that must reach HubSpot (write-back, company rollup, follow-up tasks, workflow callbacks).
-- Written in the same transaction as the change that causes them; deleted only once the work has landed.
-- Marking an item again while it is in flight bumps its version, so the in-flight completion does not delete it.
CREATE TABLE outbox (
  portal_id bigint NOT NULL,
  kind text NOT NULL,
  item_key text NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  due_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, kind, item_key)
);
CREATE INDEX outbox_due_idx ON outbox (kind, due_at);
