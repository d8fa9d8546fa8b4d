-- Insights (issue 7): two more views of the answers, kept by the same triggers, for the queries the daily
-- rollup cannot answer fast:
--
-- insight_latest_answers: each person's latest answer (a copy of its insight_answer_facts row). "Latest answer per
--   person" over a period that ends on or after the newest answer is then a range scan of this table.
-- insight_company_days: per company and UTC day, the answers of that day and the running totals up to it.
--   Companies are too many for daily rollup rows (a year of 1,000,000 answers over 20,000 companies would be a
--   million rows), so a period's count per company is taken as the running total at its last day minus the one
--   before its first day: two index probes per company instead of a scan of every answer.
-- insight_companies: the companies that have ever had an answer (the list those probes walk).
--
-- The migration runner splits statements at semicolons that end a line, so function bodies keep their
-- semicolons inside lines.

CREATE TABLE insight_latest_answers (LIKE insight_answer_facts INCLUDING DEFAULTS);
ALTER TABLE insight_latest_answers ADD PRIMARY KEY (portal_id, contact_id);
ALTER TABLE insight_latest_answers ADD FOREIGN KEY (portal_id) REFERENCES portals (portal_id) ON DELETE CASCADE;
CREATE INDEX insight_latest_answers_day_idx ON insight_latest_answers (portal_id, day)
  INCLUDE (score, trigger, pipeline, stage, owner_id, company_id, industry, lifecycle, language, tenure);

CREATE TABLE insight_companies (
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  company_id bigint NOT NULL,
  PRIMARY KEY (portal_id, company_id)
);

CREATE TABLE insight_company_days (
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  company_id bigint NOT NULL,
  day date NOT NULL,
  promoters integer NOT NULL,
  passives integer NOT NULL,
  detractors integer NOT NULL,
  cum_promoters integer NOT NULL,
  cum_passives integer NOT NULL,
  cum_detractors integer NOT NULL,
  PRIMARY KEY (portal_id, company_id, day) INCLUDE (cum_promoters, cum_passives, cum_detractors)
);

-- Recomputing one company's days reads its facts by company.
CREATE INDEX insight_answer_facts_company_idx ON insight_answer_facts (portal_id, company_id, day) INCLUDE (score) WHERE company_id IS NOT NULL;

CREATE FUNCTION insight_refresh_latest(portals bigint[], contacts bigint[]) RETURNS void
LANGUAGE sql AS $$
  WITH pairs AS (
    SELECT DISTINCT p.portal_id, p.contact_id FROM unnest(portals, contacts) AS p (portal_id, contact_id)
  ),
  fresh AS (
    SELECT DISTINCT ON (f.portal_id, f.contact_id) f.*
      FROM insight_answer_facts f JOIN pairs ON pairs.portal_id = f.portal_id AND pairs.contact_id = f.contact_id
     ORDER BY f.portal_id, f.contact_id, f.answered_at DESC, f.response_id DESC
  ),
  removed AS (
    DELETE FROM insight_latest_answers l USING pairs
     WHERE l.portal_id = pairs.portal_id AND l.contact_id = pairs.contact_id
       AND NOT EXISTS (SELECT 1 FROM fresh WHERE fresh.portal_id = l.portal_id AND fresh.contact_id = l.contact_id)
  )
  INSERT INTO insight_latest_answers AS l (response_id, portal_id, contact_id, answered_at, day, score, trigger, pipeline, stage,
                                           owner_id, company_id, industry, lifecycle, language, tenure)
  SELECT response_id, portal_id, contact_id, answered_at, day, score, trigger, pipeline, stage,
         owner_id, company_id, industry, lifecycle, language, tenure
    FROM fresh
   ORDER BY portal_id, contact_id
  ON CONFLICT (portal_id, contact_id) DO UPDATE SET response_id = EXCLUDED.response_id, answered_at = EXCLUDED.answered_at,
    day = EXCLUDED.day, score = EXCLUDED.score, trigger = EXCLUDED.trigger, pipeline = EXCLUDED.pipeline, stage = EXCLUDED.stage,
    owner_id = EXCLUDED.owner_id, company_id = EXCLUDED.company_id, industry = EXCLUDED.industry, lifecycle = EXCLUDED.lifecycle,
    language = EXCLUDED.language, tenure = EXCLUDED.tenure
  WHERE l.response_id IS DISTINCT FROM EXCLUDED.response_id OR l.score IS DISTINCT FROM EXCLUDED.score
     OR l.answered_at IS DISTINCT FROM EXCLUDED.answered_at OR l.company_id IS DISTINCT FROM EXCLUDED.company_id
$$;

-- Recomputes the days and running totals of the given companies from their facts (a company has one row per day
-- it was answered for, so this stays small); unchanged rows are left alone.
CREATE FUNCTION insight_refresh_company_days(portals bigint[], companies bigint[]) RETURNS void
LANGUAGE sql AS $$
  WITH pairs AS (
    SELECT DISTINCT p.portal_id, p.company_id FROM unnest(portals, companies) AS p (portal_id, company_id) WHERE p.company_id IS NOT NULL
  ),
  daily AS (
    SELECT f.portal_id, f.company_id, f.day,
           count(*) FILTER (WHERE f.score >= 9)::int AS promoters, count(*) FILTER (WHERE f.score BETWEEN 7 AND 8)::int AS passives,
           count(*) FILTER (WHERE f.score <= 6)::int AS detractors
      FROM insight_answer_facts f JOIN pairs ON pairs.portal_id = f.portal_id AND pairs.company_id = f.company_id
     GROUP BY 1, 2, 3
  ),
  fresh AS (
    SELECT daily.*, (sum(promoters) OVER w)::int AS cum_promoters, (sum(passives) OVER w)::int AS cum_passives,
           (sum(detractors) OVER w)::int AS cum_detractors
      FROM daily WINDOW w AS (PARTITION BY portal_id, company_id ORDER BY day)
  ),
  removed AS (
    DELETE FROM insight_company_days t USING pairs
     WHERE t.portal_id = pairs.portal_id AND t.company_id = pairs.company_id
       AND NOT EXISTS (SELECT 1 FROM fresh WHERE fresh.portal_id = t.portal_id AND fresh.company_id = t.company_id AND fresh.day = t.day)
  ),
  listed AS (
    INSERT INTO insight_companies (portal_id, company_id) SELECT DISTINCT portal_id, company_id FROM fresh ORDER BY 1, 2
    ON CONFLICT DO NOTHING
  )
  INSERT INTO insight_company_days AS t (portal_id, company_id, day, promoters, passives, detractors, cum_promoters, cum_passives, cum_detractors)
  SELECT portal_id, company_id, day, promoters, passives, detractors, cum_promoters, cum_passives, cum_detractors
    FROM fresh
   ORDER BY portal_id, company_id, day
  ON CONFLICT (portal_id, company_id, day) DO UPDATE SET promoters = EXCLUDED.promoters, passives = EXCLUDED.passives,
    detractors = EXCLUDED.detractors, cum_promoters = EXCLUDED.cum_promoters, cum_passives = EXCLUDED.cum_passives,
    cum_detractors = EXCLUDED.cum_detractors
  WHERE (t.promoters, t.passives, t.detractors, t.cum_promoters, t.cum_passives, t.cum_detractors)
        IS DISTINCT FROM (EXCLUDED.promoters, EXCLUDED.passives, EXCLUDED.detractors, EXCLUDED.cum_promoters, EXCLUDED.cum_passives, EXCLUDED.cum_detractors)
$$;

-- One statement's changed answers: facts and daily counts first, then the views built on the facts.
CREATE FUNCTION insight_apply_answer_changes(ids uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE portals bigint[]; contacts bigint[]; companies bigint[];
BEGIN
  SELECT array_agg(c.portal_id), array_agg(c.contact_id), array_agg(c.company_id) INTO portals, contacts, companies FROM insight_refresh_answers(ids) c;
  IF portals IS NULL THEN RETURN; END IF;
  PERFORM insight_refresh_latest(portals, contacts); PERFORM insight_refresh_company_days(portals, companies);
END
$$;

CREATE FUNCTION insight_answers_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN PERFORM insight_apply_answer_changes(ARRAY(SELECT id FROM old_rows)); ELSE PERFORM insight_apply_answer_changes(ARRAY(SELECT id FROM new_rows)); END IF; RETURN NULL;
END
$$;

CREATE TRIGGER insight_answers_inserted AFTER INSERT ON responses
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_answers_changed();
CREATE TRIGGER insight_answers_updated AFTER UPDATE ON responses
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_answers_changed();
CREATE TRIGGER insight_answers_deleted AFTER DELETE ON responses
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_answers_changed();

-- Answers recorded before these migrations.
SELECT insight_apply_answer_changes(ARRAY(SELECT id FROM responses));
