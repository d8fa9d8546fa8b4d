-- Insights: the rollups of 410–430 are folded in batches instead of inside every writer's transaction.
--
-- Until now each recorded answer refreshed its facts and the shared per-day rollup rows in the transaction that
-- stored it. Every answer of a day then queued on the same rollup row locks, and the planning of the rollup
-- statements cost about 15 ms per answer, so the survey page could not take 200 answers a second on two cores.
-- Now the triggers only append to two logs:
--   insight_pending: answers and follow-ups whose facts must be recomputed (the refresh functions of 410–420
--     recompute from the current rows, so applying an id twice, late or after a later change is harmless);
--   insight_invitation_deltas: signed per-invitation counts (−1 for the row as it was, +1 as it is now).
-- insight_catch_up(portal) folds both logs into the rollups under a per-portal advisory lock. Every insight read
-- calls it first, so the dashboard never shows a figure older than its request, and a ticker calls it four
-- times a second for portals with pending changes, so reads rarely find anything to fold.
--
-- The logs carry ids and counts only, and go with their portal. During a portal's cascading delete the portal row
-- is already gone, so the triggers log nothing for it.

CREATE TABLE insight_pending (
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  -- 'answer' (a responses id) or 'follow_up' (a follow_ups id)
  kind text NOT NULL,
  item_id uuid NOT NULL
);
CREATE INDEX insight_pending_portal_idx ON insight_pending (portal_id);

CREATE TABLE insight_invitation_deltas (
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  day date NOT NULL,
  trigger text NOT NULL,
  channel text NOT NULL,
  skip_reason text NOT NULL,
  sent integer NOT NULL,
  answered integer NOT NULL,
  reminded integer NOT NULL,
  answered_after_reminder integer NOT NULL,
  skipped integer NOT NULL
);
CREATE INDEX insight_invitation_deltas_portal_idx ON insight_invitation_deltas (portal_id);

-- What one invitation row counts in insight_invitation_daily, times `sign` (the same rules as migration 430).
CREATE FUNCTION insight_invitation_delta(i invitations, sign integer) RETURNS SETOF insight_invitation_deltas
LANGUAGE sql IMMUTABLE AS $$
  SELECT i.portal_id, (coalesce(i.sent_at, i.scheduled_for) AT TIME ZONE 'UTC')::date, i.trigger, i.channel,
         CASE WHEN i.status = 'skipped' THEN coalesce(nullif(i.skip_reason, ''), 'unknown') ELSE '' END,
         sign * (i.sent_at IS NOT NULL)::int,
         sign * (i.sent_at IS NOT NULL AND i.answered_at IS NOT NULL)::int,
         sign * (i.sent_at IS NOT NULL AND i.reminded_at IS NOT NULL)::int,
         sign * coalesce(i.sent_at IS NOT NULL AND i.reminded_at IS NOT NULL AND i.answered_at >= i.reminded_at, false)::int,
         sign * (i.status = 'skipped')::int
$$;

-- Logs the changed rows' ids under the kind named by the trigger's argument ('answer' or 'follow_up').
CREATE FUNCTION insight_log_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN INSERT INTO insight_pending (portal_id, kind, item_id) SELECT o.portal_id, TG_ARGV[0], o.id FROM old_rows o WHERE EXISTS (SELECT 1 FROM portals p WHERE p.portal_id = o.portal_id); ELSE INSERT INTO insight_pending (portal_id, kind, item_id) SELECT n.portal_id, TG_ARGV[0], n.id FROM new_rows n WHERE EXISTS (SELECT 1 FROM portals p WHERE p.portal_id = n.portal_id); END IF; RETURN NULL;
END
$$;

DROP TRIGGER insight_answers_inserted ON responses;
DROP TRIGGER insight_answers_updated ON responses;
DROP TRIGGER insight_answers_deleted ON responses;
DROP TRIGGER insight_follow_ups_inserted ON follow_ups;
DROP TRIGGER insight_follow_ups_updated ON follow_ups;
DROP TRIGGER insight_follow_ups_deleted ON follow_ups;
DROP FUNCTION insight_answers_changed();
DROP FUNCTION insight_follow_ups_changed();
CREATE TRIGGER insight_answers_inserted AFTER INSERT ON responses
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_log_changes('answer');
CREATE TRIGGER insight_answers_updated AFTER UPDATE ON responses
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_log_changes('answer');
CREATE TRIGGER insight_answers_deleted AFTER DELETE ON responses
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_log_changes('answer');
CREATE TRIGGER insight_follow_ups_inserted AFTER INSERT ON follow_ups
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_log_changes('follow_up');
CREATE TRIGGER insight_follow_ups_updated AFTER UPDATE ON follow_ups
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_log_changes('follow_up');
CREATE TRIGGER insight_follow_ups_deleted AFTER DELETE ON follow_ups
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_log_changes('follow_up');

-- A changed answer moves its follow-up's day and close time: the fold refreshes the follow-ups of every pending
-- answer, so this trigger is no longer needed.
DROP TRIGGER insight_answers_updated_loops ON responses;
DROP FUNCTION insight_answers_changed_loops();

CREATE OR REPLACE FUNCTION insight_invitations_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN INSERT INTO insight_invitation_deltas SELECT d.* FROM old_rows o, insight_invitation_delta(ROW(o.*)::invitations, -1) d WHERE EXISTS (SELECT 1 FROM portals p WHERE p.portal_id = o.portal_id); END IF; IF TG_OP <> 'DELETE' THEN INSERT INTO insight_invitation_deltas SELECT d.* FROM new_rows n, insight_invitation_delta(ROW(n.*)::invitations, 1) d WHERE EXISTS (SELECT 1 FROM portals p WHERE p.portal_id = n.portal_id); END IF; RETURN NULL;
END
$$;

DROP FUNCTION insight_apply_invitations(invitations[], invitations[]);

-- Folds one portal's pending changes into the rollups; returns how many log rows it consumed. Folders of the
-- same portal take turns (advisory lock), so no change is counted twice; each statement after the lock sees what
-- the previous folder committed.
CREATE FUNCTION insight_catch_up(portal bigint) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE answer_ids uuid[]; loop_ids uuid[]; consumed integer := 0; deltas integer;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM insight_pending WHERE portal_id = portal) AND NOT EXISTS (SELECT 1 FROM insight_invitation_deltas WHERE portal_id = portal) THEN RETURN 0; END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('nps-loop:insight-fold:' || portal, 0));
  WITH moved AS (DELETE FROM insight_pending WHERE portal_id = portal RETURNING kind, item_id)
  SELECT array_agg(DISTINCT item_id) FILTER (WHERE kind = 'answer'), array_agg(DISTINCT item_id) FILTER (WHERE kind = 'follow_up'), count(*)
    INTO answer_ids, loop_ids, consumed FROM moved;
  IF answer_ids IS NOT NULL THEN
    PERFORM insight_apply_answer_changes(answer_ids);
    loop_ids := ARRAY(SELECT DISTINCT x FROM unnest(coalesce(loop_ids, '{}'::uuid[]) || ARRAY(SELECT f.id FROM follow_ups f WHERE f.response_id = ANY(answer_ids))) AS x);
  END IF;
  IF cardinality(loop_ids) > 0 THEN PERFORM insight_refresh_loops(loop_ids); END IF;
  WITH moved AS (DELETE FROM insight_invitation_deltas WHERE portal_id = portal RETURNING *),
  sums AS (
    SELECT m.portal_id, m.day, m.trigger, m.channel, m.skip_reason, sum(m.sent)::int AS sent, sum(m.answered)::int AS answered,
           sum(m.reminded)::int AS reminded, sum(m.answered_after_reminder)::int AS answered_after_reminder, sum(m.skipped)::int AS skipped,
           count(*) AS n
      FROM moved m GROUP BY 1, 2, 3, 4, 5
  ),
  upserted AS (
    INSERT INTO insight_invitation_daily AS t (portal_id, day, trigger, channel, skip_reason, sent, answered, reminded, answered_after_reminder, skipped)
    SELECT portal_id, day, trigger, channel, skip_reason, sent, answered, reminded, answered_after_reminder, skipped
      FROM sums
     WHERE (sent <> 0 OR answered <> 0 OR reminded <> 0 OR answered_after_reminder <> 0 OR skipped <> 0)
       AND EXISTS (SELECT 1 FROM portals p WHERE p.portal_id = sums.portal_id)
     ORDER BY portal_id, day, trigger, channel, skip_reason
    ON CONFLICT (portal_id, day, trigger, channel, skip_reason) DO UPDATE SET
      sent = t.sent + EXCLUDED.sent, answered = t.answered + EXCLUDED.answered, reminded = t.reminded + EXCLUDED.reminded,
      answered_after_reminder = t.answered_after_reminder + EXCLUDED.answered_after_reminder, skipped = t.skipped + EXCLUDED.skipped
  )
  SELECT coalesce(sum(n), 0)::int INTO deltas FROM sums;
  RETURN consumed + deltas;
END
$$;
