-- Survey delivery (src/surveys): the claims that make sending and reminding exactly-once across app copies,
-- and the survey opt-outs people give through the unsubscribe link.

-- A sender claims a due invitation by stamping send_claimed_at (status stays 'scheduled'), sends, then marks it
-- sent. A claim older than the claim timeout without sent_at belongs to a sender that died: it is taken again.
ALTER TABLE invitations ADD COLUMN send_claimed_at timestamptz;
ALTER TABLE invitations ADD COLUMN send_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE invitations ADD COLUMN last_send_error text;

-- The same for the one reminder; reminder_skip_reason records why a reminder was not sent (opted out meanwhile).
ALTER TABLE invitations ADD COLUMN reminder_claimed_at timestamptz;
ALTER TABLE invitations ADD COLUMN reminder_skip_reason text;

-- The expiry sweep reads open invitations by expiry.
CREATE INDEX invitations_expiry_idx ON invitations (expires_at) WHERE status IN ('sent', 'reminded');

-- "Unsubscribe from these surveys". Kept apart from contacts.opted_out, which the contact sync mirrors from
-- HubSpot's hs_email_optout and may reset: an opt-out given to us stands whatever HubSpot says later.
-- Only ids and times: nothing personal.
CREATE TABLE survey_opt_outs (
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  contact_id bigint NOT NULL,
  invitation_id uuid,
  opted_out_at timestamptz NOT NULL,
  PRIMARY KEY (portal_id, contact_id)
);
