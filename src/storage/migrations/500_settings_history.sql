-- Every version of a portal's settings: who saved it (a signed-in user, "API" or "settings file"), how (the
-- settings workspace, PUT /api/settings, a restore, the seed), the full settings, and which paths changed
-- (before → after). Version 1 is the first save this table saw; earlier versions are restored as new ones.
CREATE TABLE settings_history (
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  version integer NOT NULL,
  saved_at timestamptz NOT NULL,
  saved_by text NOT NULL,
  saved_by_user_id bigint,
  source text NOT NULL CHECK (source IN ('workspace', 'api', 'restore', 'file')),
  settings jsonb NOT NULL,
  changes jsonb NOT NULL,
  PRIMARY KEY (portal_id, version)
);
