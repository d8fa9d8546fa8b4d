-- The "Send NPS survey" workflow action (src/workflow-action). One row per HubSpot callbackId: a repeated
-- execution (HubSpot retries for up to 3 days) gets the stored answer back and schedules nothing.
CREATE TABLE workflow_callbacks (
  callback_id text PRIMARY KEY,
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  contact_id bigint NOT NULL,
  invitation_id uuid REFERENCES invitations (id) ON DELETE SET NULL,
  survey_label text,
  wait_for_answer boolean NOT NULL DEFAULT false,
  -- responded: answered SUCCESS at once · waiting: answered BLOCK · completed: callback completed · failed: HubSpot refused the completion
  state text NOT NULL CHECK (state IN ('responded', 'waiting', 'completed', 'failed')),
  outcome text CHECK (outcome IN ('sent', 'skipped', 'answered', 'expired')),
  -- The JSON answered to the execution request, returned again on a repeated call.
  response jsonb NOT NULL,
  -- The outputFields sent when completing a blocked callback.
  completion jsonb,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz
);
CREATE INDEX workflow_callbacks_invitation_idx ON workflow_callbacks (invitation_id);
CREATE INDEX workflow_callbacks_waiting_idx ON workflow_callbacks (portal_id) WHERE state = 'waiting';

-- The sweep that completes callbacks whose wait ran out reads waiting invitations by wait_until.
CREATE INDEX invitations_workflow_wait_idx ON invitations (wait_until) WHERE workflow_callback_id IS NOT NULL;
