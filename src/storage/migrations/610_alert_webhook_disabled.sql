-- An alert webhook Slack or Teams says is gone (404, 410) or refuses us (401, 403) is turned off rather than
-- retried: disabled_at/disabled_reason say when and why (the admin page and /healthz show them). Saving a new
-- address clears both.
ALTER TABLE alert_webhooks ADD COLUMN disabled_at timestamptz;
ALTER TABLE alert_webhooks ADD COLUMN disabled_reason text;
