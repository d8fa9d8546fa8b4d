-- Channels per rule (email, sms, web, hubspot) and the SMS channel (src/sms).

-- The phone numbers and country HubSpot holds for a contact, as HubSpot has them; they are normalised to E.164
-- when a message is sent (the portal's default country may change meanwhile).
ALTER TABLE contacts ADD COLUMN mobilephone text;
ALTER TABLE contacts ADD COLUMN phone text;
ALTER TABLE contacts ADD COLUMN country text;

-- An invitation is sent (or, for web, shown) on one channel; an answer remembers the channel it came through.
ALTER TABLE invitations DROP CONSTRAINT invitations_channel_check;
ALTER TABLE invitations ADD CONSTRAINT invitations_channel_check CHECK (channel IN ('email', 'hubspot', 'sms', 'web'));
ALTER TABLE responses DROP CONSTRAINT responses_channel_check;
ALTER TABLE responses ADD CONSTRAINT responses_channel_check
  CHECK (channel IN ('email', 'page', 'manual', 'import', 'workflow', 'sms', 'web'));
-- What the carrier reported last for an SMS invitation: queued, sent, delivered, undelivered or failed.
ALTER TABLE invitations ADD COLUMN delivery_status text;

-- One row per text message handed to Twilio. send_key is deterministic ("<invitation id>:invitation" or
-- ":reminder"): a retried outbox item finds the row and does not send again. to_phone (E.164) lets an inbound
-- reply find the person's open survey.
CREATE TABLE sms_messages (
  send_key text PRIMARY KEY,
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  invitation_id uuid NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('invitation', 'reminder')),
  to_phone text NOT NULL,
  message_sid text UNIQUE,
  -- The short link's code (/t/<code>), the same for every text of one invitation.
  short_code text NOT NULL,
  status text NOT NULL,
  -- queued 0 < sending 1 < sent 2 < delivered, undelivered, failed 3: a callback only ever moves it forward.
  status_rank smallint NOT NULL DEFAULT 0,
  error_code text,
  sent_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sms_messages_phone_idx ON sms_messages (to_phone, sent_at DESC);
CREATE INDEX sms_messages_code_idx ON sms_messages (short_code);

-- Numbers that replied STOP (or another opt-out keyword) to our sender: no survey text goes to them until they
-- reply START. Keyed by number, as carriers and Twilio keep it: every contact with the number is covered.
CREATE TABLE sms_opt_outs (
  phone text PRIMARY KEY,
  opted_out_at timestamptz NOT NULL
);
