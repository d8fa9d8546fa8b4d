-- Roles in the dashboard. A portal's admins may change settings, export answers and manage TV links; everyone
-- else signed in through the NPS card's link is a viewer. The user who completed the OAuth install becomes the
-- first admin (HubSpot names them by user_id on the token answer); admins add others by HubSpot user id or email.
CREATE TABLE portal_admins (
  id bigserial PRIMARY KEY,
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  hubspot_user_id bigint,
  email text,
  added_by text NOT NULL,
  added_at timestamptz NOT NULL,
  CHECK (hubspot_user_id IS NOT NULL OR email IS NOT NULL)
);
CREATE UNIQUE INDEX portal_admins_user_idx ON portal_admins (portal_id, hubspot_user_id);
CREATE UNIQUE INDEX portal_admins_email_idx ON portal_admins (portal_id, lower(email));

-- What a session knows of its user: the email (role look-up) and whether it was started with ADMIN_TOKEN.
ALTER TABLE dashboard_sessions ADD COLUMN user_email text;
ALTER TABLE dashboard_sessions ADD COLUMN admin_token boolean NOT NULL DEFAULT false;
