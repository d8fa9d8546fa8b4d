-- Thank-you page (issue 15): the promoter review ask and the referral question.
--
-- review_clicks: one row per click on a review link (GET /r/:token/:site), written before the redirect answers, so
--   every counted click is durable. The answer's owner is copied for the per-owner counts; the site as configured
--   when clicked (an admin may rename or replace a site later).
-- thank_you_referrals: the answer to "Who else should know about us?", one per invitation (a second send
--   replaces the first, like a changed answer).
CREATE TABLE review_clicks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  contact_id bigint NOT NULL,
  invitation_id uuid REFERENCES invitations (id) ON DELETE CASCADE,
  owner_id text,
  site_name text NOT NULL,
  site_url text NOT NULL,
  clicked_at timestamptz NOT NULL
);
CREATE INDEX review_clicks_time_idx ON review_clicks (portal_id, clicked_at);
CREATE INDEX review_clicks_contact_idx ON review_clicks (portal_id, contact_id);

CREATE TABLE thank_you_referrals (
  invitation_id uuid PRIMARY KEY REFERENCES invitations (id) ON DELETE CASCADE,
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  contact_id bigint NOT NULL,
  owner_id text,
  referral text NOT NULL CHECK (char_length(referral) <= 1000),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX thank_you_referrals_time_idx ON thank_you_referrals (portal_id, updated_at DESC);
