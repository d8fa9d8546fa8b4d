-- Movers panel at scale: each person's latest answer (insight_latest_answers, migration 415) also keeps the score
-- of the answer they gave before it, so "who moved since their previous answer" is one range scan of that table
-- instead of an index probe into every person's history (100,000 probes for 100,000 people).
--
-- previous_score: the score of the contact's answer just before the latest one in (answered_at, response_id)
--   order, the same order as the latest answer; NULL when the latest answer is their first.
-- It is kept by insight_refresh_latest, which the catch-up fold (migration 440) runs for every contact whose
-- answers changed, in the same transaction as the facts. A change of any kept column now refreshes the row
-- (before, only a new answer, score, time or company did).
--
-- The migration runner splits statements at semicolons that end a line, so function bodies keep their
-- semicolons inside lines.

ALTER TABLE insight_latest_answers ADD COLUMN previous_score smallint;

CREATE OR REPLACE FUNCTION insight_refresh_latest(portals bigint[], contacts bigint[]) RETURNS void
LANGUAGE sql AS $$
  WITH pairs AS (
    SELECT DISTINCT p.portal_id, p.contact_id FROM unnest(portals, contacts) AS p (portal_id, contact_id)
  ),
  -- The window runs before DISTINCT ON keeps each contact's first row, so lead() is the answer just before it.
  fresh AS (
    SELECT DISTINCT ON (f.portal_id, f.contact_id) f.*, lead(f.score) OVER w AS previous_score
      FROM insight_answer_facts f JOIN pairs ON pairs.portal_id = f.portal_id AND pairs.contact_id = f.contact_id
    WINDOW w AS (PARTITION BY f.portal_id, f.contact_id ORDER BY f.answered_at DESC, f.response_id DESC)
     ORDER BY f.portal_id, f.contact_id, f.answered_at DESC, f.response_id DESC
  ),
  removed AS (
    DELETE FROM insight_latest_answers l USING pairs
     WHERE l.portal_id = pairs.portal_id AND l.contact_id = pairs.contact_id
       AND NOT EXISTS (SELECT 1 FROM fresh WHERE fresh.portal_id = l.portal_id AND fresh.contact_id = l.contact_id)
  )
  INSERT INTO insight_latest_answers AS l (response_id, portal_id, contact_id, answered_at, day, score, trigger, pipeline, stage,
                                           owner_id, company_id, industry, lifecycle, language, tenure, previous_score)
  SELECT response_id, portal_id, contact_id, answered_at, day, score, trigger, pipeline, stage,
         owner_id, company_id, industry, lifecycle, language, tenure, previous_score
    FROM fresh
   ORDER BY portal_id, contact_id
  ON CONFLICT (portal_id, contact_id) DO UPDATE SET response_id = EXCLUDED.response_id, answered_at = EXCLUDED.answered_at,
    day = EXCLUDED.day, score = EXCLUDED.score, trigger = EXCLUDED.trigger, pipeline = EXCLUDED.pipeline, stage = EXCLUDED.stage,
    owner_id = EXCLUDED.owner_id, company_id = EXCLUDED.company_id, industry = EXCLUDED.industry, lifecycle = EXCLUDED.lifecycle,
    language = EXCLUDED.language, tenure = EXCLUDED.tenure, previous_score = EXCLUDED.previous_score
  WHERE (l.response_id, l.answered_at, l.day, l.score, l.trigger, l.pipeline, l.stage, l.owner_id, l.company_id, l.industry,
         l.lifecycle, l.language, l.tenure, l.previous_score)
        IS DISTINCT FROM (EXCLUDED.response_id, EXCLUDED.answered_at, EXCLUDED.day, EXCLUDED.score, EXCLUDED.trigger,
         EXCLUDED.pipeline, EXCLUDED.stage, EXCLUDED.owner_id, EXCLUDED.company_id, EXCLUDED.industry, EXCLUDED.lifecycle,
         EXCLUDED.language, EXCLUDED.tenure, EXCLUDED.previous_score)
$$;

-- People answered before this migration.
UPDATE insight_latest_answers l
   SET previous_score = (SELECT p.score FROM insight_answer_facts p
                          WHERE p.portal_id = l.portal_id AND p.contact_id = l.contact_id
                            AND (p.answered_at, p.response_id) < (l.answered_at, l.response_id)
                          ORDER BY p.answered_at DESC, p.response_id DESC LIMIT 1);
