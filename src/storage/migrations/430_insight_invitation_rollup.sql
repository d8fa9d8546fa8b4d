-- Insights (issue 7): survey delivery per UTC day, kept up to date by triggers on `invitations`.
-- The day of an invitation is the day it was sent (else scheduled): response rates compare answers with the
-- surveys sent in the period. Skipped surveys count under their reason.
--
-- The migration runner splits statements at semicolons that end a line, so function bodies keep their
-- semicolons inside lines.

CREATE TABLE insight_invitation_daily (
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  day date NOT NULL,
  trigger text NOT NULL,
  channel text NOT NULL,
  -- '' unless skipped.
  skip_reason text NOT NULL,
  sent integer NOT NULL DEFAULT 0,
  answered integer NOT NULL DEFAULT 0,
  reminded integer NOT NULL DEFAULT 0,
  answered_after_reminder integer NOT NULL DEFAULT 0,
  skipped integer NOT NULL DEFAULT 0,
  PRIMARY KEY (portal_id, day, trigger, channel, skip_reason)
);

-- Moves the daily counts by what the changed rows count now minus what they counted before.
CREATE FUNCTION insight_apply_invitations(before_rows invitations[], after_rows invitations[]) RETURNS void
LANGUAGE sql AS $$
  WITH delta AS (
    SELECT i.*, -1 AS sign FROM unnest(before_rows) i
    UNION ALL
    SELECT i.*, 1 AS sign FROM unnest(after_rows) i
  ),
  sums AS (
    SELECT portal_id, (coalesce(sent_at, scheduled_for) AT TIME ZONE 'UTC')::date AS day, trigger, channel,
           CASE WHEN status = 'skipped' THEN coalesce(nullif(skip_reason, ''), 'unknown') ELSE '' END AS skip_reason,
           sum(sign * (sent_at IS NOT NULL)::int) AS sent,
           sum(sign * (sent_at IS NOT NULL AND answered_at IS NOT NULL)::int) AS answered,
           sum(sign * (sent_at IS NOT NULL AND reminded_at IS NOT NULL)::int) AS reminded,
           sum(sign * (sent_at IS NOT NULL AND reminded_at IS NOT NULL AND answered_at >= reminded_at)::int) AS answered_after_reminder,
           sum(sign * (status = 'skipped')::int) AS skipped
      FROM delta d
     WHERE EXISTS (SELECT 1 FROM portals p WHERE p.portal_id = d.portal_id)
     GROUP BY 1, 2, 3, 4, 5
  )
  INSERT INTO insight_invitation_daily AS t (portal_id, day, trigger, channel, skip_reason, sent, answered, reminded, answered_after_reminder, skipped)
  SELECT portal_id, day, trigger, channel, skip_reason, sent, answered, reminded, coalesce(answered_after_reminder, 0), skipped
    FROM sums
   WHERE sent <> 0 OR answered <> 0 OR reminded <> 0 OR answered_after_reminder <> 0 OR skipped <> 0
   ORDER BY portal_id, day, trigger, channel, skip_reason
  ON CONFLICT (portal_id, day, trigger, channel, skip_reason) DO UPDATE SET
    sent = t.sent + EXCLUDED.sent, answered = t.answered + EXCLUDED.answered, reminded = t.reminded + EXCLUDED.reminded,
    answered_after_reminder = t.answered_after_reminder + EXCLUDED.answered_after_reminder, skipped = t.skipped + EXCLUDED.skipped
$$;

CREATE FUNCTION insight_invitations_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN PERFORM insight_apply_invitations('{}'::invitations[], ARRAY(SELECT ROW(n.*)::invitations FROM new_rows n)); ELSIF TG_OP = 'UPDATE' THEN PERFORM insight_apply_invitations(ARRAY(SELECT ROW(o.*)::invitations FROM old_rows o), ARRAY(SELECT ROW(n.*)::invitations FROM new_rows n)); ELSE PERFORM insight_apply_invitations(ARRAY(SELECT ROW(o.*)::invitations FROM old_rows o), '{}'::invitations[]); END IF; RETURN NULL;
END
$$;

CREATE TRIGGER insight_invitations_inserted AFTER INSERT ON invitations
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_invitations_changed();
CREATE TRIGGER insight_invitations_updated AFTER UPDATE ON invitations
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_invitations_changed();
CREATE TRIGGER insight_invitations_deleted AFTER DELETE ON invitations
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_invitations_changed();

-- Invitations recorded before this migration.
SELECT insight_apply_invitations('{}'::invitations[], ARRAY(SELECT i FROM invitations i));
