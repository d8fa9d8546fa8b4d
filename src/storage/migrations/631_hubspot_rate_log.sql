-- The shared HubSpot call schedule keeps the start times of the portal's most recent calls (at most the window's
-- budget), so a call may start as soon as the window holds fewer than the budget: idle portals burst up to the
-- limit, busy ones run at it (src/hubspot/rate-budget.repo.ts). next_slot stays the latest start.
ALTER TABLE hubspot_rate_budget ADD COLUMN recent timestamptz[] NOT NULL DEFAULT '{}';
