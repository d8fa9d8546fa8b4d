-- Test surveys an admin sends themself from the settings preview ("Send me a test survey"), with the answer they
-- give. Deliberately a table of their own, not rows in invitations/responses: insights, write-back to HubSpot,
-- follow-up tasks, the quiet period and reminders all read those tables, so a test can never reach any of them.
CREATE TABLE test_surveys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  sent_to text NOT NULL,
  sent_by text NOT NULL,
  language text NOT NULL,
  -- The texts as resolved when sent (draft or saved wording), so the page shows what the email promised.
  wording jsonb NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  score smallint CHECK (score BETWEEN 0 AND 10),
  comment text,
  follow_up_answer text,
  answered_at timestamptz
);
CREATE INDEX test_surveys_portal_idx ON test_surveys (portal_id, created_at DESC);
