-- One HubSpot call schedule per portal and kind of call, shared by every copy of the app on this database
-- (src/hubspot/rate-budget.repo.ts). HubSpot counts its limits per portal across every token and every process
-- (read pessimistically), so copies that pace themselves alone overrun it together. Each call takes the next start
-- slot here in one statement: next_slot is the earliest start of the call after it (a GCRA schedule).

CREATE TABLE hubspot_rate_budget (
  portal_id bigint NOT NULL,
  kind text NOT NULL,
  next_slot timestamptz NOT NULL,
  PRIMARY KEY (portal_id, kind)
);
