-- The in-app web survey (src/web-survey): a widget the customer's web app embeds, which asks NPS Loop whether the
-- signed-in contact is due and shows the survey in place.

-- Invitations and answers may come through the web widget (and SMS, which shares the channel list).
ALTER TABLE invitations DROP CONSTRAINT IF EXISTS invitations_channel_check;
ALTER TABLE invitations ADD CONSTRAINT invitations_channel_check CHECK (channel IN ('email', 'hubspot', 'sms', 'web'));
ALTER TABLE responses DROP CONSTRAINT IF EXISTS responses_channel_check;
ALTER TABLE responses ADD CONSTRAINT responses_channel_check
  CHECK (channel IN ('email', 'page', 'manual', 'import', 'workflow', 'sms', 'web'));

-- The per-portal identity secret the customer's backend signs user identities with (HMAC-SHA256). Stored
-- encrypted (AES-256-GCM with ENCRYPTION_KEY, like OAuth tokens); shown to an admin once, when it is generated.
CREATE TABLE web_survey_secrets (
  portal_id bigint PRIMARY KEY REFERENCES portals (portal_id) ON DELETE CASCADE,
  secret_enc text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Per contact: when the widget last saw them signed in (a "web session", for channel fallbacks) and until when a
-- dismissal snoozes the widget. Only ids and times: nothing personal.
CREATE TABLE web_survey_contacts (
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  contact_id bigint NOT NULL,
  last_seen_at timestamptz,
  snoozed_until timestamptz,
  PRIMARY KEY (portal_id, contact_id)
);

-- The widget's "is anything open for this contact?" read.
CREATE INDEX invitations_web_open_idx ON invitations (portal_id, contact_id)
  WHERE channel = 'web' AND status IN ('scheduled', 'sent', 'reminded');
