-- Core tables. Every row belongs to a portal (portal_id), and every query filters on it.
-- Feature migrations add to this in numbered files: 1xx surveys, 2xx responses, 3xx card, 4xx insights.

CREATE TABLE portals (
  portal_id bigint PRIMARY KEY,
  auth_mode text NOT NULL CHECK (auth_mode IN ('static', 'oauth')),
  -- OAuth tokens, AES-256-GCM sealed with ENCRYPTION_KEY (never stored in the clear).
  access_token_enc text,
  refresh_token_enc text,
  token_expires_at timestamptz,
  scopes text[] NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'uninstalled')),
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  installed_at timestamptz NOT NULL DEFAULT now(),
  uninstalled_at timestamptz,
  setup_completed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE companies (
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  company_id bigint NOT NULL,
  name text,
  domain text,
  industry text,
  owner_id text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, company_id)
);

CREATE TABLE contacts (
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  contact_id bigint NOT NULL,
  email text,
  firstname text,
  lastname text,
  language text,
  owner_id text,
  company_id bigint,
  lifecycle_stage text,
  hs_created_at timestamptz,
  customer_since timestamptz,
  opted_out boolean NOT NULL DEFAULT false,
  email_bounced boolean NOT NULL DEFAULT false,
  -- HubSpot's lastmodifieddate of the mirrored state: an older update never overwrites a newer one.
  hs_updated_at timestamptz,
  deleted_at timestamptz,
  merged_into bigint,
  synced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, contact_id)
);
CREATE INDEX contacts_email_idx ON contacts (portal_id, lower(email));
CREATE INDEX contacts_company_idx ON contacts (portal_id, company_id);
CREATE INDEX contacts_owner_idx ON contacts (portal_id, owner_id);

CREATE TABLE webhook_events (
  id bigserial PRIMARY KEY,
  portal_id bigint NOT NULL,
  -- (subscriptionType, objectId, propertyName, propertyValue, occurredAt): HubSpot's eventId is not unique.
  dedupe_key text NOT NULL,
  subscription_type text NOT NULL,
  object_id bigint,
  occurred_at timestamptz NOT NULL,
  payload jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'ignored', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  processed_at timestamptz,
  error text,
  UNIQUE (portal_id, dedupe_key)
);
CREATE INDEX webhook_events_pending_idx ON webhook_events (received_at) WHERE status = 'pending';

CREATE TABLE sync_state (
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  kind text NOT NULL,
  cursor text,
  status text NOT NULL DEFAULT 'idle' CHECK (status IN ('idle', 'running', 'done', 'failed')),
  processed integer NOT NULL DEFAULT 0,
  total_hint integer,
  run_id text,
  started_at timestamptz,
  finished_at timestamptz,
  error text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, kind)
);

CREATE TABLE invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  contact_id bigint NOT NULL,
  trigger text NOT NULL CHECK (trigger IN ('deal', 'ticket', 'workflow', 'relationship', 'manual')),
  rule_id text,
  -- One invitation per milestone, e.g. "deal:123:closedwon:contact:9": duplicates and retries hit this key.
  milestone_key text NOT NULL,
  source_object_type text,
  source_object_id bigint,
  source_pipeline text,
  source_stage text,
  channel text NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'hubspot')),
  language text,
  question text,
  follow_up_question text,
  status text NOT NULL CHECK (status IN ('scheduled', 'sent', 'reminded', 'answered', 'expired', 'skipped')),
  skip_reason text,
  scheduled_for timestamptz NOT NULL,
  sent_at timestamptz,
  reminded_at timestamptz,
  answered_at timestamptz,
  expires_at timestamptz,
  workflow_callback_id text,
  wait_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (portal_id, milestone_key)
);
CREATE INDEX invitations_contact_idx ON invitations (portal_id, contact_id, created_at DESC);
CREATE INDEX invitations_due_idx ON invitations (scheduled_for) WHERE status = 'scheduled';
CREATE INDEX invitations_open_idx ON invitations (sent_at) WHERE status IN ('sent', 'reminded');

CREATE TABLE responses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  contact_id bigint NOT NULL,
  invitation_id uuid UNIQUE REFERENCES invitations (id) ON DELETE CASCADE,
  score smallint NOT NULL CHECK (score BETWEEN 0 AND 10),
  category text NOT NULL CHECK (category IN ('promoter', 'passive', 'detractor')),
  comment text CHECK (char_length(comment) <= 5000),
  follow_up_answer text CHECK (char_length(follow_up_answer) <= 5000),
  channel text NOT NULL CHECK (channel IN ('email', 'page', 'manual', 'import', 'workflow')),
  -- Snapshot of where the answer came from and whose customer it was, for segments and follow-ups.
  trigger text NOT NULL,
  source_object_type text,
  source_object_id bigint,
  source_pipeline text,
  source_stage text,
  owner_id text,
  company_id bigint,
  language text,
  import_key text,
  answered_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (portal_id, import_key)
);
CREATE INDEX responses_contact_idx ON responses (portal_id, contact_id, answered_at DESC);
CREATE INDEX responses_time_idx ON responses (portal_id, answered_at);

CREATE TABLE follow_ups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  response_id uuid NOT NULL UNIQUE REFERENCES responses (id) ON DELETE CASCADE,
  contact_id bigint NOT NULL,
  category text NOT NULL CHECK (category IN ('promoter', 'passive', 'detractor')),
  owner_id text,
  hubspot_task_id text,
  subject text,
  priority text,
  task_type text,
  due_at timestamptz,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'open', 'completed', 'failed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz
);
CREATE INDEX follow_ups_contact_idx ON follow_ups (portal_id, contact_id);
CREATE INDEX follow_ups_owner_idx ON follow_ups (portal_id, owner_id);
