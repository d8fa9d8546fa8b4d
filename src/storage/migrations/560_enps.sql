-- eNPS: employee Net Promoter Score, anonymous by construction (README "eNPS and anonymity").
-- enps_answers has no column, key or join path back to a person: no invitation id, no email, no token hash, no
-- timestamp finer than a day, a random uuid as its key. An invitation and its answer meet only through the one-time
-- token, which is never stored: enps_tokens keeps sha256('enps-invite:' || token), enps_answers keeps
-- sha256('enps-answer:' || token) while the wave is open (so a second answer replaces the first) and nothing once
-- it closes. Closing a wave deletes its invitations (emails) and rewrites its answers in random order.

CREATE TABLE enps_waves (
  id uuid PRIMARY KEY,
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  opens_on date NOT NULL,
  remind_on date NOT NULL,
  closes_on date NOT NULL,
  status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'open', 'closed')),
  -- Up to two optional free-text questions of this wave (JSON array of strings).
  questions jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- The one grouping results are released by (one per wave, so two groupings can never be differenced).
  breakdown text NOT NULL DEFAULT 'team' CHECK (breakdown IN ('team', 'tenure', 'location')),
  reminded boolean NOT NULL DEFAULT false,
  invited integer NOT NULL DEFAULT 0,
  -- Counted when the wave closes, when the per-person "answered" marks are deleted with the invitations.
  answered integer,
  -- The smallest group shown, frozen when the wave closes so its results are one fixed view.
  min_group integer CHECK (min_group >= 3),
  created_on date NOT NULL,
  CHECK (opens_on <= remind_on AND remind_on <= closes_on)
);
CREATE INDEX enps_waves_portal_idx ON enps_waves (portal_id, opens_on);

CREATE TABLE enps_invitations (
  id uuid PRIMARY KEY,
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  wave_id uuid NOT NULL REFERENCES enps_waves (id) ON DELETE CASCADE,
  email text NOT NULL,
  first_name text,
  language text NOT NULL,
  team text NOT NULL,
  tenure text NOT NULL,
  location text NOT NULL,
  answered boolean NOT NULL DEFAULT false,
  invited_at timestamptz,
  reminded_at timestamptz,
  UNIQUE (wave_id, email)
);

-- One row per link mailed (the invitation and the reminder each carry their own token). invitation_id is cleared
-- when the wave closes, so an old link can still say "this survey has closed" without pointing at anyone.
CREATE TABLE enps_tokens (
  token_hash bytea PRIMARY KEY,
  wave_id uuid NOT NULL REFERENCES enps_waves (id) ON DELETE CASCADE,
  invitation_id uuid REFERENCES enps_invitations (id) ON DELETE SET NULL
);
CREATE INDEX enps_tokens_invitation_idx ON enps_tokens (invitation_id);

CREATE TABLE enps_answers (
  id uuid PRIMARY KEY,
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  wave_id uuid NOT NULL REFERENCES enps_waves (id) ON DELETE CASCADE,
  answer_key bytea UNIQUE,
  score smallint NOT NULL CHECK (score BETWEEN 0 AND 10),
  why text CHECK (char_length(why) <= 5000),
  custom1 text CHECK (char_length(custom1) <= 5000),
  custom2 text CHECK (char_length(custom2) <= 5000),
  team_band text NOT NULL,
  tenure_band text NOT NULL,
  location_band text NOT NULL,
  answered_on date NOT NULL
);
CREATE INDEX enps_answers_wave_idx ON enps_answers (wave_id);

-- Employees who are not HubSpot users (or extra facts about those who are), from a CSV the admin uploads.
CREATE TABLE enps_employees (
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  email text NOT NULL,
  first_name text,
  team text,
  location text,
  tenure text,
  language text,
  PRIMARY KEY (portal_id, email)
);
