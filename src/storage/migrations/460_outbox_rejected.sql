-- HubSpot refusing an outbox item's write (a 4xx other than 429) used to be recorded as a 'rejected: ' prefix on
-- last_error. It is a column now: the drain, the outage probe and /healthz read it instead of matching text.
-- last_error keeps its human-readable message (including that prefix) for operators.
ALTER TABLE outbox ADD COLUMN rejected boolean NOT NULL DEFAULT false;
UPDATE outbox SET rejected = true WHERE last_error LIKE 'rejected:%';
