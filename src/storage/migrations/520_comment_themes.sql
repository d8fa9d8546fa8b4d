-- Comment themes (src/themes): themes an admin defines (a name plus keywords per language), the themes each
-- comment mentions, and the answers still to be tagged.
--
-- Tagging is deferred like the insight rollups (migration 440): a trigger only logs the id of an answer that was
-- stored or whose comment or language changed, in the answer's own transaction, so nothing is lost if the app
-- stops; theme_catch_up in src/themes tags the logged answers, on every read of themes and from a ticker. A theme
-- change logs every commented answer of the portal in the same transaction, so all comments are tagged again.

CREATE TABLE themes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
  -- {"en": ["support", "response time"], "da": [...], "sv": [...], "de": [...]}
  keywords jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX themes_name_idx ON themes (portal_id, lower(name));

CREATE TABLE comment_themes (
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  response_id uuid NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
  theme_id uuid NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
  -- The keyword that matched, to show why the comment was tagged.
  keyword text NOT NULL,
  PRIMARY KEY (response_id, theme_id)
);
CREATE INDEX comment_themes_theme_idx ON comment_themes (portal_id, theme_id);

CREATE TABLE theme_pending (
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  response_id uuid NOT NULL
);
CREATE INDEX theme_pending_portal_idx ON theme_pending (portal_id);

CREATE FUNCTION theme_log_answers() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO theme_pending (portal_id, response_id)
    SELECT n.portal_id, n.id FROM new_rows n
     WHERE n.comment IS NOT NULL AND EXISTS (SELECT 1 FROM portals p WHERE p.portal_id = n.portal_id);
  ELSE
    INSERT INTO theme_pending (portal_id, response_id)
    SELECT n.portal_id, n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
     WHERE (n.comment IS DISTINCT FROM o.comment OR n.language IS DISTINCT FROM o.language)
       AND EXISTS (SELECT 1 FROM portals p WHERE p.portal_id = n.portal_id);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER theme_answers_inserted AFTER INSERT ON responses
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION theme_log_answers();
CREATE TRIGGER theme_answers_updated AFTER UPDATE ON responses
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION theme_log_answers();
