-- Insights (issue 7): answers as the dashboard reads them, kept up to date by triggers in the same transaction
-- as every change to `responses` (no cache, no lag, never stale).
--
-- insight_answer_facts: one row per answer with every segment it belongs to, as it was when it was answered
--   (the contact's lifecycle stage, the company's industry and the customer's tenure are looked up at that moment).
--   Everything else is derived from it.
-- insight_daily: per portal, UTC day, segment dimension and value, the count of each score 0–10. Periods are whole
--   UTC days, so any period's NPS, trend, histogram and segments are sums of a few thousand rows.
-- Migration 415 adds each person's latest answer and per-company running totals, and the triggers.
--
-- The migration runner splits statements at semicolons that end a line, so function bodies keep their
-- semicolons inside lines.

-- Tenure at the time of the answer, in the bands the dashboard shows; '' when unknown or not yet a customer.
CREATE FUNCTION insight_tenure_band(since timestamptz, answered timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN since IS NULL OR since > answered THEN ''
    WHEN answered AT TIME ZONE 'UTC' < (since AT TIME ZONE 'UTC') + interval '3 months' THEN 'lt3m'
    WHEN answered AT TIME ZONE 'UTC' < (since AT TIME ZONE 'UTC') + interval '12 months' THEN '3to12m'
    WHEN answered AT TIME ZONE 'UTC' < (since AT TIME ZONE 'UTC') + interval '24 months' THEN '1to2y'
    ELSE '2yplus'
  END
$$;

-- Unknown segment values are '' rather than NULL so that grouping sets can tell "not grouped" from "unknown"
-- (company_id stays a number: it is only ever grouped on its own).
CREATE TABLE insight_answer_facts (
  response_id uuid PRIMARY KEY,
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  contact_id bigint NOT NULL,
  answered_at timestamptz NOT NULL,
  day date NOT NULL,
  score smallint NOT NULL,
  trigger text NOT NULL,
  pipeline text NOT NULL,
  stage text NOT NULL,
  owner_id text NOT NULL,
  company_id bigint,
  industry text NOT NULL,
  lifecycle text NOT NULL,
  language text NOT NULL,
  tenure text NOT NULL
);
-- "Is any answer newer than this period?" (see src/insights/scores.repo.ts latestFacts).
CREATE INDEX insight_answer_facts_day_idx ON insight_answer_facts (portal_id, day);
-- "Latest answer per person" in a period that ended before the newest answer: one ordered index-only pass, first
-- row per contact.
CREATE INDEX insight_answer_facts_latest_idx ON insight_answer_facts (portal_id, contact_id, answered_at DESC, response_id DESC)
  INCLUDE (day, score, trigger, pipeline, stage, owner_id, company_id, industry, lifecycle, language, tenure);

CREATE TABLE insight_daily (
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  dim text NOT NULL,
  value text NOT NULL,
  day date NOT NULL,
  s0 integer NOT NULL DEFAULT 0,
  s1 integer NOT NULL DEFAULT 0,
  s2 integer NOT NULL DEFAULT 0,
  s3 integer NOT NULL DEFAULT 0,
  s4 integer NOT NULL DEFAULT 0,
  s5 integer NOT NULL DEFAULT 0,
  s6 integer NOT NULL DEFAULT 0,
  s7 integer NOT NULL DEFAULT 0,
  s8 integer NOT NULL DEFAULT 0,
  s9 integer NOT NULL DEFAULT 0,
  s10 integer NOT NULL DEFAULT 0,
  PRIMARY KEY (portal_id, dim, day, value)
);

-- Recomputes the facts of the given answers from their current rows and moves the daily counts by the
-- difference (current facts counted +1, previously counted ones −1). Rows are locked in key order, so concurrent
-- answers cannot deadlock. During a portal's cascading delete the portal row is gone and nothing is re-inserted.
-- Returns the (portal, contact, company) of every changed answer, before and after, for the views of 415.
CREATE FUNCTION insight_refresh_answers(ids uuid[]) RETURNS TABLE (portal_id bigint, contact_id bigint, company_id bigint)
LANGUAGE sql AS $$
  WITH fresh AS (
    SELECT r.id AS response_id, r.portal_id, r.contact_id, r.answered_at, (r.answered_at AT TIME ZONE 'UTC')::date AS day, r.score,
           r.trigger, coalesce(r.source_pipeline, '') AS pipeline, coalesce(r.source_stage, '') AS stage,
           coalesce(r.owner_id, '') AS owner_id, r.company_id,
           coalesce(co.industry, '') AS industry, coalesce(c.lifecycle_stage, '') AS lifecycle, coalesce(r.language, '') AS language,
           insight_tenure_band(coalesce(c.customer_since, c.hs_created_at), r.answered_at) AS tenure
      FROM responses r
      LEFT JOIN contacts c ON c.portal_id = r.portal_id AND c.contact_id = r.contact_id
      LEFT JOIN companies co ON co.portal_id = r.portal_id AND co.company_id = r.company_id
     WHERE r.id = ANY(ids) AND EXISTS (SELECT 1 FROM portals p WHERE p.portal_id = r.portal_id)
  ),
  -- Read before any change: every sub-statement of this WITH sees the same snapshot.
  counted AS (
    SELECT f.* FROM insight_answer_facts f WHERE f.response_id = ANY(ids)
  ),
  removed AS (
    DELETE FROM insight_answer_facts f
     WHERE f.response_id = ANY(ids) AND NOT EXISTS (SELECT 1 FROM fresh WHERE fresh.response_id = f.response_id)
  ),
  stored AS (
    INSERT INTO insight_answer_facts AS f (response_id, portal_id, contact_id, answered_at, day, score, trigger, pipeline, stage,
                                           owner_id, company_id, industry, lifecycle, language, tenure)
    SELECT response_id, portal_id, contact_id, answered_at, day, score, trigger, pipeline, stage,
           owner_id, company_id, industry, lifecycle, language, tenure FROM fresh
    ON CONFLICT (response_id) DO UPDATE SET contact_id = EXCLUDED.contact_id, answered_at = EXCLUDED.answered_at, day = EXCLUDED.day,
      score = EXCLUDED.score, trigger = EXCLUDED.trigger, pipeline = EXCLUDED.pipeline, stage = EXCLUDED.stage,
      owner_id = EXCLUDED.owner_id, company_id = EXCLUDED.company_id, industry = EXCLUDED.industry,
      lifecycle = EXCLUDED.lifecycle, language = EXCLUDED.language, tenure = EXCLUDED.tenure
  ),
  delta AS (
    SELECT n.portal_id, n.day, n.score, n.trigger, n.pipeline, n.stage, n.owner_id, n.industry, n.lifecycle, n.language, n.tenure, 1 AS sign
      FROM fresh n
    UNION ALL
    SELECT o.portal_id, o.day, o.score, o.trigger, o.pipeline, o.stage, o.owner_id, o.industry, o.lifecycle, o.language, o.tenure, -1 AS sign
      FROM counted o
  ),
  sums AS (
    SELECT d.portal_id, v.dim, v.value, d.day,
           sum(d.sign * (d.score = 0)::int) AS s0, sum(d.sign * (d.score = 1)::int) AS s1, sum(d.sign * (d.score = 2)::int) AS s2,
           sum(d.sign * (d.score = 3)::int) AS s3, sum(d.sign * (d.score = 4)::int) AS s4, sum(d.sign * (d.score = 5)::int) AS s5,
           sum(d.sign * (d.score = 6)::int) AS s6, sum(d.sign * (d.score = 7)::int) AS s7, sum(d.sign * (d.score = 8)::int) AS s8,
           sum(d.sign * (d.score = 9)::int) AS s9, sum(d.sign * (d.score = 10)::int) AS s10
      FROM delta d
     CROSS JOIN LATERAL (VALUES ('all', ''), ('trigger', d.trigger), ('pipeline', d.pipeline), ('stage', d.stage),
                                ('owner', d.owner_id), ('industry', d.industry), ('lifecycle', d.lifecycle),
                                ('language', d.language), ('tenure', d.tenure)) AS v (dim, value)
     WHERE EXISTS (SELECT 1 FROM portals p WHERE p.portal_id = d.portal_id)
     GROUP BY d.portal_id, v.dim, v.value, d.day
  ),
  upserted AS (
    INSERT INTO insight_daily AS t (portal_id, dim, value, day, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
    SELECT portal_id, dim, value, day, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10
      FROM sums
     WHERE s0 <> 0 OR s1 <> 0 OR s2 <> 0 OR s3 <> 0 OR s4 <> 0 OR s5 <> 0 OR s6 <> 0 OR s7 <> 0 OR s8 <> 0 OR s9 <> 0 OR s10 <> 0
     ORDER BY portal_id, dim, day, value
    ON CONFLICT (portal_id, dim, day, value) DO UPDATE SET
      s0 = t.s0 + EXCLUDED.s0, s1 = t.s1 + EXCLUDED.s1, s2 = t.s2 + EXCLUDED.s2, s3 = t.s3 + EXCLUDED.s3,
      s4 = t.s4 + EXCLUDED.s4, s5 = t.s5 + EXCLUDED.s5, s6 = t.s6 + EXCLUDED.s6, s7 = t.s7 + EXCLUDED.s7,
      s8 = t.s8 + EXCLUDED.s8, s9 = t.s9 + EXCLUDED.s9, s10 = t.s10 + EXCLUDED.s10
  )
  SELECT n.portal_id, n.contact_id, n.company_id FROM fresh n
  UNION
  SELECT o.portal_id, o.contact_id, o.company_id FROM counted o
$$;

-- The comments panel (newest first) and the CSV export (keyset pages in (answered_at, id) order) read answers by time.
CREATE INDEX insight_responses_time_id_idx ON responses (portal_id, answered_at, id);
