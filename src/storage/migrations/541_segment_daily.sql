-- Segments by CRM property (issue 14): the daily rollup of answers per custom dimension value, so a year of
-- answers splits by a custom dimension from a few thousand rows, like insight_daily does for built-in ones.
--
-- segment_daily: per portal, dimension, UTC day and value, the promoters, passives and detractors among the answers
--   (insight_answer_facts) whose contact currently has that value (segment_values); date dimensions are banded
--   against each answer's time. Only known values are counted: unknown is the day's total minus these.
-- Two statement triggers keep it exact: a change of answers counts them under their contacts' values, a change
--   of values re-counts those contacts' answers (both −old, +new). segment_rebuild_daily recomputes a portal from
--   scratch (run after each backfill, which also heals any drift from two transactions racing on one contact).
--
-- The migration runner splits statements at semicolons that end a line, so function bodies keep their
-- semicolons inside lines.

CREATE TABLE segment_daily (
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  dimension text NOT NULL,
  value text NOT NULL,
  day date NOT NULL,
  promoters integer NOT NULL DEFAULT 0,
  passives integer NOT NULL DEFAULT 0,
  detractors integer NOT NULL DEFAULT 0,
  PRIMARY KEY (portal_id, dimension, day, value)
);

-- Answers (one array entry each) counted under their contacts' current values, times delta (+1 or −1).
CREATE FUNCTION segment_count_answers(delta integer, p_portals bigint[], p_contacts bigint[], p_answered timestamptz[], p_days date[], p_scores smallint[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO segment_daily AS t (portal_id, dimension, value, day, promoters, passives, detractors)
  SELECT a.portal_id, v.dimension, CASE WHEN v.since IS NOT NULL THEN insight_tenure_band(v.since, a.answered_at) ELSE v.value END, a.day,
         (delta * count(*) FILTER (WHERE a.score >= 9))::int, (delta * count(*) FILTER (WHERE a.score BETWEEN 7 AND 8))::int,
         (delta * count(*) FILTER (WHERE a.score <= 6))::int
    FROM unnest(p_portals, p_contacts, p_answered, p_days, p_scores) AS a (portal_id, contact_id, answered_at, day, score)
    JOIN segment_values v ON v.portal_id = a.portal_id AND v.contact_id = a.contact_id
   WHERE EXISTS (SELECT 1 FROM portals p WHERE p.portal_id = a.portal_id)
   GROUP BY 1, 2, 3, 4
   ORDER BY 1, 2, 4, 3
  ON CONFLICT (portal_id, dimension, day, value) DO UPDATE SET promoters = t.promoters + EXCLUDED.promoters,
    passives = t.passives + EXCLUDED.passives, detractors = t.detractors + EXCLUDED.detractors
$$;

-- Values (one array entry each) counted over all their contacts' answers, times delta.
CREATE FUNCTION segment_count_values(delta integer, p_portals bigint[], p_contacts bigint[], p_dimensions text[], p_values text[], p_since timestamptz[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO segment_daily AS t (portal_id, dimension, value, day, promoters, passives, detractors)
  SELECT v.portal_id, v.dimension, CASE WHEN v.since IS NOT NULL THEN insight_tenure_band(v.since, f.answered_at) ELSE v.value END, f.day,
         (delta * count(*) FILTER (WHERE f.score >= 9))::int, (delta * count(*) FILTER (WHERE f.score BETWEEN 7 AND 8))::int,
         (delta * count(*) FILTER (WHERE f.score <= 6))::int
    FROM unnest(p_portals, p_contacts, p_dimensions, p_values, p_since) AS v (portal_id, contact_id, dimension, value, since)
    JOIN insight_answer_facts f ON f.portal_id = v.portal_id AND f.contact_id = v.contact_id
   WHERE EXISTS (SELECT 1 FROM portals p WHERE p.portal_id = v.portal_id)
   GROUP BY 1, 2, 3, 4
   ORDER BY 1, 2, 4, 3
  ON CONFLICT (portal_id, dimension, day, value) DO UPDATE SET promoters = t.promoters + EXCLUDED.promoters,
    passives = t.passives + EXCLUDED.passives, detractors = t.detractors + EXCLUDED.detractors
$$;

CREATE FUNCTION segment_facts_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM segment_count_answers(-1, ARRAY(SELECT portal_id FROM old_rows), ARRAY(SELECT contact_id FROM old_rows), ARRAY(SELECT answered_at FROM old_rows), ARRAY(SELECT day FROM old_rows), ARRAY(SELECT score FROM old_rows)); END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM segment_count_answers(1, ARRAY(SELECT portal_id FROM new_rows), ARRAY(SELECT contact_id FROM new_rows), ARRAY(SELECT answered_at FROM new_rows), ARRAY(SELECT day FROM new_rows), ARRAY(SELECT score FROM new_rows)); END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION segment_values_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM segment_count_values(-1, ARRAY(SELECT portal_id FROM old_rows), ARRAY(SELECT contact_id FROM old_rows), ARRAY(SELECT dimension FROM old_rows), ARRAY(SELECT value FROM old_rows), ARRAY(SELECT since FROM old_rows)); END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM segment_count_values(1, ARRAY(SELECT portal_id FROM new_rows), ARRAY(SELECT contact_id FROM new_rows), ARRAY(SELECT dimension FROM new_rows), ARRAY(SELECT value FROM new_rows), ARRAY(SELECT since FROM new_rows)); END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER segment_facts_inserted AFTER INSERT ON insight_answer_facts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_facts_changed();
CREATE TRIGGER segment_facts_updated AFTER UPDATE ON insight_answer_facts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_facts_changed();
CREATE TRIGGER segment_facts_deleted AFTER DELETE ON insight_answer_facts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_facts_changed();
CREATE TRIGGER segment_values_inserted AFTER INSERT ON segment_values
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_values_changed();
CREATE TRIGGER segment_values_updated AFTER UPDATE ON segment_values
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_values_changed();
CREATE TRIGGER segment_values_deleted AFTER DELETE ON segment_values
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_values_changed();

-- One dimension's rollup recomputed from the facts and values (after a backfill).
CREATE FUNCTION segment_rebuild_daily(p_portal bigint, p_dimension text) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM segment_daily WHERE portal_id = p_portal AND dimension = p_dimension; INSERT INTO segment_daily (portal_id, dimension, value, day, promoters, passives, detractors)
  SELECT v.portal_id, v.dimension, CASE WHEN v.since IS NOT NULL THEN insight_tenure_band(v.since, f.answered_at) ELSE v.value END, f.day,
         count(*) FILTER (WHERE f.score >= 9)::int, count(*) FILTER (WHERE f.score BETWEEN 7 AND 8)::int, count(*) FILTER (WHERE f.score <= 6)::int
    FROM segment_values v JOIN insight_answer_facts f ON f.portal_id = v.portal_id AND f.contact_id = v.contact_id
   WHERE v.portal_id = p_portal AND v.dimension = p_dimension
   GROUP BY 1, 2, 3, 4
$$;
