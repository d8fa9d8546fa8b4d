-- "Latest answer per person" segments at scale: a daily rollup of each person's latest answer, like insight_daily
-- (migration 410) and segment_daily (541) are of all answers. Splitting 100,000 people by 9 built-in and 2 custom
-- dimensions was a grouping of every latest answer (and a join with every custom value) on each read; now it is a
-- sum over a few thousand rows.
--
-- insight_latest_daily: per portal, dimension, UTC day (of the latest answer) and value, the promoters, passives
--   and detractors among the people whose latest answer (insight_latest_answers, migration 415) falls on that day.
--   dim is 'all' (value ''), a built-in dimension but company (companies are too many for daily rows), or a custom
--   dimension (src/segments; its names hold a dot, built-in ones never do), counted under the contact's current
--   value (segment_values), date dimensions banded against the answer's time. Custom dimensions hold known values
--   only: unknown is the 'all' count minus them.
-- It answers periods that end on or after the newest answer (the latest answer of the period is then each
-- person's latest of all); src/insights/segments.repo.ts and custom-segments.repo.ts read it then, and group the
-- answers themselves otherwise.
-- Statement triggers keep it exact, −old +new: a change of latest answers (the catch-up fold, migration 440)
-- counts them under their values; a change of custom values re-counts those contacts' latest answers.
-- segment_rebuild_daily (run after each backfill) now also recomputes a custom dimension's rows here.
--
-- The migration runner splits statements at semicolons that end a line, so function bodies keep their
-- semicolons inside lines.

CREATE TABLE insight_latest_daily (
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  dim text NOT NULL,
  value text NOT NULL,
  day date NOT NULL,
  promoters integer NOT NULL DEFAULT 0,
  passives integer NOT NULL DEFAULT 0,
  detractors integer NOT NULL DEFAULT 0,
  PRIMARY KEY (portal_id, dim, day, value)
);

-- Latest answers counted under every dimension they belong to, times delta (+1 or −1). Keys in order (no deadlock).
CREATE FUNCTION insight_latest_count(delta integer, p_rows insight_latest_answers[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO insight_latest_daily AS t (portal_id, dim, value, day, promoters, passives, detractors)
  SELECT a.portal_id, v.dim, v.value, a.day,
         (delta * count(*) FILTER (WHERE a.score >= 9))::int, (delta * count(*) FILTER (WHERE a.score BETWEEN 7 AND 8))::int,
         (delta * count(*) FILTER (WHERE a.score <= 6))::int
    FROM unnest(p_rows) AS a
   CROSS JOIN LATERAL (
     SELECT * FROM (VALUES ('all', ''), ('trigger', a.trigger), ('pipeline', a.pipeline), ('stage', a.stage), ('owner', a.owner_id),
                           ('industry', a.industry), ('lifecycle', a.lifecycle), ('language', a.language), ('tenure', a.tenure)) AS b (dim, value)
     UNION ALL
     SELECT s.dimension, CASE WHEN s.since IS NOT NULL THEN insight_tenure_band(s.since, a.answered_at) ELSE s.value END
       FROM segment_values s WHERE s.portal_id = a.portal_id AND s.contact_id = a.contact_id) AS v (dim, value)
   WHERE EXISTS (SELECT 1 FROM portals p WHERE p.portal_id = a.portal_id)
   GROUP BY 1, 2, 3, 4
   ORDER BY 1, 2, 4, 3
  ON CONFLICT (portal_id, dim, day, value) DO UPDATE SET promoters = t.promoters + EXCLUDED.promoters,
    passives = t.passives + EXCLUDED.passives, detractors = t.detractors + EXCLUDED.detractors
$$;

-- Custom values (one array entry each) counted over their contacts' latest answers, times delta.
CREATE FUNCTION insight_latest_count_values(delta integer, p_portals bigint[], p_contacts bigint[], p_dimensions text[], p_values text[], p_since timestamptz[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO insight_latest_daily AS t (portal_id, dim, value, day, promoters, passives, detractors)
  SELECT v.portal_id, v.dimension, CASE WHEN v.since IS NOT NULL THEN insight_tenure_band(v.since, l.answered_at) ELSE v.value END, l.day,
         (delta * count(*) FILTER (WHERE l.score >= 9))::int, (delta * count(*) FILTER (WHERE l.score BETWEEN 7 AND 8))::int,
         (delta * count(*) FILTER (WHERE l.score <= 6))::int
    FROM unnest(p_portals, p_contacts, p_dimensions, p_values, p_since) AS v (portal_id, contact_id, dimension, value, since)
    JOIN insight_latest_answers l ON l.portal_id = v.portal_id AND l.contact_id = v.contact_id
   WHERE EXISTS (SELECT 1 FROM portals p WHERE p.portal_id = v.portal_id)
   GROUP BY 1, 2, 3, 4
   ORDER BY 1, 2, 4, 3
  ON CONFLICT (portal_id, dim, day, value) DO UPDATE SET promoters = t.promoters + EXCLUDED.promoters,
    passives = t.passives + EXCLUDED.passives, detractors = t.detractors + EXCLUDED.detractors
$$;

CREATE FUNCTION insight_latest_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM insight_latest_count(-1, ARRAY(SELECT ROW(o.*)::insight_latest_answers FROM old_rows o)); END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM insight_latest_count(1, ARRAY(SELECT ROW(n.*)::insight_latest_answers FROM new_rows n)); END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION insight_latest_values_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM insight_latest_count_values(-1, ARRAY(SELECT portal_id FROM old_rows), ARRAY(SELECT contact_id FROM old_rows), ARRAY(SELECT dimension FROM old_rows), ARRAY(SELECT value FROM old_rows), ARRAY(SELECT since FROM old_rows)); END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM insight_latest_count_values(1, ARRAY(SELECT portal_id FROM new_rows), ARRAY(SELECT contact_id FROM new_rows), ARRAY(SELECT dimension FROM new_rows), ARRAY(SELECT value FROM new_rows), ARRAY(SELECT since FROM new_rows)); END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER insight_latest_inserted AFTER INSERT ON insight_latest_answers
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_latest_changed();
CREATE TRIGGER insight_latest_updated AFTER UPDATE ON insight_latest_answers
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_latest_changed();
CREATE TRIGGER insight_latest_deleted AFTER DELETE ON insight_latest_answers
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_latest_changed();
CREATE TRIGGER insight_latest_values_inserted AFTER INSERT ON segment_values
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_latest_values_changed();
CREATE TRIGGER insight_latest_values_updated AFTER UPDATE ON segment_values
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_latest_values_changed();
CREATE TRIGGER insight_latest_values_deleted AFTER DELETE ON segment_values
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_latest_values_changed();

-- One dimension's rollups recomputed from the facts and values (after a backfill): segment_daily as in 541, and
-- the dimension's latest-answer rows.
CREATE OR REPLACE FUNCTION segment_rebuild_daily(p_portal bigint, p_dimension text) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM segment_daily WHERE portal_id = p_portal AND dimension = p_dimension; INSERT INTO segment_daily (portal_id, dimension, value, day, promoters, passives, detractors)
  SELECT v.portal_id, v.dimension, CASE WHEN v.since IS NOT NULL THEN insight_tenure_band(v.since, f.answered_at) ELSE v.value END, f.day,
         count(*) FILTER (WHERE f.score >= 9)::int, count(*) FILTER (WHERE f.score BETWEEN 7 AND 8)::int, count(*) FILTER (WHERE f.score <= 6)::int
    FROM segment_values v JOIN insight_answer_facts f ON f.portal_id = v.portal_id AND f.contact_id = v.contact_id
   WHERE v.portal_id = p_portal AND v.dimension = p_dimension
   GROUP BY 1, 2, 3, 4; DELETE FROM insight_latest_daily WHERE portal_id = p_portal AND dim = p_dimension; INSERT INTO insight_latest_daily (portal_id, dim, value, day, promoters, passives, detractors)
  SELECT v.portal_id, v.dimension, CASE WHEN v.since IS NOT NULL THEN insight_tenure_band(v.since, l.answered_at) ELSE v.value END, l.day,
         count(*) FILTER (WHERE l.score >= 9)::int, count(*) FILTER (WHERE l.score BETWEEN 7 AND 8)::int, count(*) FILTER (WHERE l.score <= 6)::int
    FROM segment_values v JOIN insight_latest_answers l ON l.portal_id = v.portal_id AND l.contact_id = v.contact_id
   WHERE v.portal_id = p_portal AND v.dimension = p_dimension
   GROUP BY 1, 2, 3, 4
$$;

-- Latest answers and values stored before this migration.
SELECT insight_latest_count(1, ARRAY(SELECT l FROM insight_latest_answers l));
