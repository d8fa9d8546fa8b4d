-- Excluding an answer (issue 15): a test answer, a mistaken phone log, spam.
--
-- An excluded answer is moved out of `responses` into answer_exclusions (the row as JSON, with its follow-up row),
-- so that everything that reads answers (the dashboard rollups through their triggers, the card, the CSV, the
-- contact's and the company's NPS) leaves it out without knowing about exclusions. Including it again puts the
-- same rows back, with the same ids, and the triggers count it again.
-- answer_exclusion_events is the audit trail: who excluded or included which answer, when and why.
CREATE TABLE answer_exclusions (
  response_id uuid PRIMARY KEY,
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  contact_id bigint NOT NULL,
  company_id bigint,
  score smallint NOT NULL,
  answered_at timestamptz NOT NULL,
  response jsonb NOT NULL,
  follow_up jsonb,
  excluded_by text NOT NULL,
  excluded_at timestamptz NOT NULL,
  reason text NOT NULL CHECK (char_length(reason) <= 500)
);
CREATE INDEX answer_exclusions_portal_idx ON answer_exclusions (portal_id, excluded_at DESC);

CREATE TABLE answer_exclusion_events (
  id bigserial PRIMARY KEY,
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  response_id uuid NOT NULL,
  action text NOT NULL CHECK (action IN ('excluded', 'included')),
  actor text NOT NULL,
  reason text NOT NULL CHECK (char_length(reason) <= 500),
  at timestamptz NOT NULL
);
CREATE INDEX answer_exclusion_events_portal_idx ON answer_exclusion_events (portal_id, at DESC);

-- Erasing a contact (a privacy request) deletes their answers; their excluded answers go too.
CREATE FUNCTION answer_exclusions_erase() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM answer_exclusions WHERE portal_id = NEW.portal_id AND contact_id = NEW.contact_id; RETURN NULL;
END
$$;
CREATE TRIGGER answer_exclusions_erased AFTER INSERT OR UPDATE OF erased_at ON contacts
  FOR EACH ROW WHEN (NEW.erased_at IS NOT NULL) EXECUTE FUNCTION answer_exclusions_erase();
