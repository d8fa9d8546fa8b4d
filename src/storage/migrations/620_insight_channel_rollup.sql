-- Insights per channel (issue 16): answers per channel and UTC day, beside the invitation rollup (migration 430,
-- which already counts sent and answered surveys per channel for response rates).
--
-- The channel is the answer's own (responses.channel: email, sms, web, page, manual, import, workflow), as the
-- card and the CSV show it. The counts follow insight_answer_facts, the way segment_daily does (migration 541):
-- the catch-up fold (migration 440) writes the facts, so nothing is added to the transaction that records an
-- answer, and a period's answers per channel are a sum over a few rows per day.
-- insight_answer_channels remembers each counted answer's channel, so a fact that goes (an answer excluded or
-- erased, its row already gone from responses) is taken off the right channel. The facts table itself is left
-- as it is: insight_latest_answers is a copy of its columns.
--
-- The migration runner splits statements at semicolons that end a line, so function bodies keep their
-- semicolons inside lines.

CREATE TABLE insight_answer_channels (
  response_id uuid PRIMARY KEY,
  channel text NOT NULL
);

CREATE TABLE insight_channel_daily (
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  day date NOT NULL,
  channel text NOT NULL,
  answers integer NOT NULL DEFAULT 0,
  promoters integer NOT NULL DEFAULT 0,
  detractors integer NOT NULL DEFAULT 0,
  PRIMARY KEY (portal_id, day, channel)
);

-- Moves the per-channel counts by what the changed facts count now minus what they counted before. Rows are
-- upserted in key order (no deadlocks); during a portal's cascading delete nothing is counted for it.
CREATE FUNCTION insight_channel_facts_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN INSERT INTO insight_answer_channels (response_id, channel) SELECT n.response_id, coalesce(r.channel, '') FROM new_rows n LEFT JOIN responses r ON r.id = n.response_id ORDER BY n.response_id ON CONFLICT (response_id) DO NOTHING; END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN INSERT INTO insight_channel_daily AS t (portal_id, day, channel, answers, promoters, detractors) SELECT o.portal_id, o.day, c.channel, -count(*), -count(*) FILTER (WHERE o.score >= 9), -count(*) FILTER (WHERE o.score <= 6) FROM old_rows o JOIN insight_answer_channels c ON c.response_id = o.response_id WHERE EXISTS (SELECT 1 FROM portals p WHERE p.portal_id = o.portal_id) GROUP BY o.portal_id, o.day, c.channel ORDER BY o.portal_id, o.day, c.channel ON CONFLICT (portal_id, day, channel) DO UPDATE SET answers = t.answers + EXCLUDED.answers, promoters = t.promoters + EXCLUDED.promoters, detractors = t.detractors + EXCLUDED.detractors; END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN INSERT INTO insight_channel_daily AS t (portal_id, day, channel, answers, promoters, detractors) SELECT n.portal_id, n.day, c.channel, count(*), count(*) FILTER (WHERE n.score >= 9), count(*) FILTER (WHERE n.score <= 6) FROM new_rows n JOIN insight_answer_channels c ON c.response_id = n.response_id WHERE EXISTS (SELECT 1 FROM portals p WHERE p.portal_id = n.portal_id) GROUP BY n.portal_id, n.day, c.channel ORDER BY n.portal_id, n.day, c.channel ON CONFLICT (portal_id, day, channel) DO UPDATE SET answers = t.answers + EXCLUDED.answers, promoters = t.promoters + EXCLUDED.promoters, detractors = t.detractors + EXCLUDED.detractors; END IF;
  IF TG_OP = 'DELETE' THEN DELETE FROM insight_answer_channels c USING old_rows o WHERE c.response_id = o.response_id; END IF;
  RETURN NULL;
END
$$;

-- Answers folded before this migration.
INSERT INTO insight_answer_channels (response_id, channel)
SELECT f.response_id, r.channel FROM insight_answer_facts f JOIN responses r ON r.id = f.response_id;

INSERT INTO insight_channel_daily (portal_id, day, channel, answers, promoters, detractors)
SELECT f.portal_id, f.day, c.channel, count(*), count(*) FILTER (WHERE f.score >= 9), count(*) FILTER (WHERE f.score <= 6)
  FROM insight_answer_facts f JOIN insight_answer_channels c ON c.response_id = f.response_id
 GROUP BY f.portal_id, f.day, c.channel;

CREATE TRIGGER insight_channel_facts_inserted AFTER INSERT ON insight_answer_facts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_channel_facts_changed();
CREATE TRIGGER insight_channel_facts_updated AFTER UPDATE ON insight_answer_facts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_channel_facts_changed();
CREATE TRIGGER insight_channel_facts_deleted AFTER DELETE ON insight_answer_facts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_channel_facts_changed();
