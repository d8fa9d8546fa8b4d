-- Insights (issue 7): closing the loop, per owner, kept up to date by triggers on `follow_ups` and `responses`.
--
-- insight_loop_facts: one row per follow-up (deleted tasks excluded) with the answer's UTC day, whether it was
--   closed, whether within its SLA, and which close-time bucket it fell in.
-- insight_loop_daily: per portal, answer day, owner and category: follow-ups opened, closed, closed within the SLA
--   and a histogram of close times (answer → task completed) in 17 buckets, from which the median is estimated.
--   Bucket lower bounds in hours: 0, 1, 2, 4, 8, 12, 24, 36, 48, 72, 96, 120, 168, 240, 336, 504, 720
--   (src/insights/math.ts CLOSE_BUCKET_BOUNDS_HOURS must match).
--
-- The migration runner splits statements at semicolons that end a line, so function bodies keep their
-- semicolons inside lines.

-- `days` business days (Monday–Friday, UTC) after `start`, at the same time of day; 0 days on a weekend is the
-- next Monday. The same rule as src/follow-ups/business-days.ts, for follow-ups whose due date is not set yet.
CREATE FUNCTION insight_add_business_days(start timestamptz, days integer) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN days = 0 AND extract(isodow FROM start AT TIME ZONE 'UTC') < 6 THEN start
    ELSE (SELECT start + k * interval '1 day'
            FROM generate_series(1, greatest(days, 1) * 2 + 7) AS k
           WHERE extract(isodow FROM (start AT TIME ZONE 'UTC') + k * interval '1 day') < 6
           ORDER BY k OFFSET greatest(days - 1, 0) LIMIT 1)
  END
$$;

CREATE TABLE insight_loop_facts (
  follow_up_id uuid PRIMARY KEY,
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  day date NOT NULL,
  owner_id text NOT NULL,
  category text NOT NULL,
  closed boolean NOT NULL,
  in_sla boolean NOT NULL,
  due_at timestamptz NOT NULL,
  bucket smallint
);
-- Open follow-ups whose SLA has not run out yet are undecided: the heroes table leaves them out of the SLA share.
CREATE INDEX insight_loop_facts_open_idx ON insight_loop_facts (portal_id, due_at) INCLUDE (day, owner_id, category) WHERE NOT closed;

CREATE TABLE insight_loop_daily (
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  day date NOT NULL,
  owner_id text NOT NULL,
  category text NOT NULL,
  opened integer NOT NULL DEFAULT 0,
  closed integer NOT NULL DEFAULT 0,
  in_sla integer NOT NULL DEFAULT 0,
  b0 integer NOT NULL DEFAULT 0,
  b1 integer NOT NULL DEFAULT 0,
  b2 integer NOT NULL DEFAULT 0,
  b3 integer NOT NULL DEFAULT 0,
  b4 integer NOT NULL DEFAULT 0,
  b5 integer NOT NULL DEFAULT 0,
  b6 integer NOT NULL DEFAULT 0,
  b7 integer NOT NULL DEFAULT 0,
  b8 integer NOT NULL DEFAULT 0,
  b9 integer NOT NULL DEFAULT 0,
  b10 integer NOT NULL DEFAULT 0,
  b11 integer NOT NULL DEFAULT 0,
  b12 integer NOT NULL DEFAULT 0,
  b13 integer NOT NULL DEFAULT 0,
  b14 integer NOT NULL DEFAULT 0,
  b15 integer NOT NULL DEFAULT 0,
  b16 integer NOT NULL DEFAULT 0,
  PRIMARY KEY (portal_id, day, owner_id, category)
);

-- Same pattern as insight_refresh_answers: recompute the facts of the given follow-ups, move the daily counts by
-- the difference, lock rollup rows in key order.
CREATE FUNCTION insight_refresh_loops(ids uuid[]) RETURNS void
LANGUAGE sql AS $$
  WITH current_rows AS (
    SELECT f.id, f.portal_id, (r.answered_at AT TIME ZONE 'UTC')::date AS day, coalesce(f.owner_id, r.owner_id, '') AS owner_id,
           f.category, f.completed_at, r.answered_at,
           f.status = 'completed' AND f.completed_at IS NOT NULL AS closed,
           coalesce(f.due_at, insight_add_business_days(r.answered_at,
             coalesce((p.settings -> 'followUps' -> f.category ->> 'dueBusinessDays')::integer,
                      CASE f.category WHEN 'detractor' THEN 1 WHEN 'passive' THEN 3 ELSE 5 END))) AS due_at
      FROM follow_ups f
      JOIN responses r ON r.id = f.response_id
      JOIN portals p ON p.portal_id = f.portal_id
     WHERE f.id = ANY(ids) AND f.status <> 'deleted'
  ),
  fresh AS (
    SELECT id AS follow_up_id, portal_id, day, owner_id, category, closed, closed AND completed_at <= due_at AS in_sla, due_at,
           CASE WHEN closed THEN width_bucket(greatest(0, extract(epoch FROM completed_at - answered_at) / 3600.0),
             ARRAY[1, 2, 4, 8, 12, 24, 36, 48, 72, 96, 120, 168, 240, 336, 504, 720]::float8[]) END::smallint AS bucket
      FROM current_rows
  ),
  counted AS (
    SELECT l.* FROM insight_loop_facts l WHERE l.follow_up_id = ANY(ids)
  ),
  removed AS (
    DELETE FROM insight_loop_facts l
     WHERE l.follow_up_id = ANY(ids) AND NOT EXISTS (SELECT 1 FROM fresh WHERE fresh.follow_up_id = l.follow_up_id)
  ),
  stored AS (
    INSERT INTO insight_loop_facts (follow_up_id, portal_id, day, owner_id, category, closed, in_sla, due_at, bucket)
    SELECT follow_up_id, portal_id, day, owner_id, category, closed, in_sla, due_at, bucket FROM fresh
    ON CONFLICT (follow_up_id) DO UPDATE SET day = EXCLUDED.day, owner_id = EXCLUDED.owner_id, category = EXCLUDED.category,
      closed = EXCLUDED.closed, in_sla = EXCLUDED.in_sla, due_at = EXCLUDED.due_at, bucket = EXCLUDED.bucket
  ),
  delta AS (
    SELECT n.portal_id, n.day, n.owner_id, n.category, n.closed, n.in_sla, n.bucket, 1 AS sign FROM fresh n
    UNION ALL
    SELECT o.portal_id, o.day, o.owner_id, o.category, o.closed, o.in_sla, o.bucket, -1 AS sign FROM counted o
  ),
  sums AS (
    SELECT portal_id, day, owner_id, category, sum(sign) AS opened, sum(sign * closed::int) AS closed, sum(sign * in_sla::int) AS in_sla,
           sum(sign * (bucket = 0)::int) AS b0, sum(sign * (bucket = 1)::int) AS b1, sum(sign * (bucket = 2)::int) AS b2,
           sum(sign * (bucket = 3)::int) AS b3, sum(sign * (bucket = 4)::int) AS b4, sum(sign * (bucket = 5)::int) AS b5,
           sum(sign * (bucket = 6)::int) AS b6, sum(sign * (bucket = 7)::int) AS b7, sum(sign * (bucket = 8)::int) AS b8,
           sum(sign * (bucket = 9)::int) AS b9, sum(sign * (bucket = 10)::int) AS b10, sum(sign * (bucket = 11)::int) AS b11,
           sum(sign * (bucket = 12)::int) AS b12, sum(sign * (bucket = 13)::int) AS b13, sum(sign * (bucket = 14)::int) AS b14,
           sum(sign * (bucket = 15)::int) AS b15, sum(sign * (bucket = 16)::int) AS b16
      FROM delta d
     WHERE EXISTS (SELECT 1 FROM portals p WHERE p.portal_id = d.portal_id)
     GROUP BY portal_id, day, owner_id, category
  )
  INSERT INTO insight_loop_daily AS t (portal_id, day, owner_id, category, opened, closed, in_sla,
                                       b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15, b16)
  SELECT portal_id, day, owner_id, category, opened, closed, in_sla,
         coalesce(b0, 0), coalesce(b1, 0), coalesce(b2, 0), coalesce(b3, 0), coalesce(b4, 0), coalesce(b5, 0), coalesce(b6, 0),
         coalesce(b7, 0), coalesce(b8, 0), coalesce(b9, 0), coalesce(b10, 0), coalesce(b11, 0), coalesce(b12, 0), coalesce(b13, 0),
         coalesce(b14, 0), coalesce(b15, 0), coalesce(b16, 0)
    FROM sums
   WHERE opened <> 0 OR closed <> 0 OR in_sla <> 0
      OR b0 <> 0 OR b1 <> 0 OR b2 <> 0 OR b3 <> 0 OR b4 <> 0 OR b5 <> 0 OR b6 <> 0 OR b7 <> 0 OR b8 <> 0
      OR b9 <> 0 OR b10 <> 0 OR b11 <> 0 OR b12 <> 0 OR b13 <> 0 OR b14 <> 0 OR b15 <> 0 OR b16 <> 0
   ORDER BY portal_id, day, owner_id, category
  ON CONFLICT (portal_id, day, owner_id, category) DO UPDATE SET
    opened = t.opened + EXCLUDED.opened, closed = t.closed + EXCLUDED.closed, in_sla = t.in_sla + EXCLUDED.in_sla,
    b0 = t.b0 + EXCLUDED.b0, b1 = t.b1 + EXCLUDED.b1, b2 = t.b2 + EXCLUDED.b2, b3 = t.b3 + EXCLUDED.b3, b4 = t.b4 + EXCLUDED.b4,
    b5 = t.b5 + EXCLUDED.b5, b6 = t.b6 + EXCLUDED.b6, b7 = t.b7 + EXCLUDED.b7, b8 = t.b8 + EXCLUDED.b8, b9 = t.b9 + EXCLUDED.b9,
    b10 = t.b10 + EXCLUDED.b10, b11 = t.b11 + EXCLUDED.b11, b12 = t.b12 + EXCLUDED.b12, b13 = t.b13 + EXCLUDED.b13,
    b14 = t.b14 + EXCLUDED.b14, b15 = t.b15 + EXCLUDED.b15, b16 = t.b16 + EXCLUDED.b16
$$;

CREATE FUNCTION insight_follow_ups_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN PERFORM insight_refresh_loops(ARRAY(SELECT id FROM old_rows)); ELSE PERFORM insight_refresh_loops(ARRAY(SELECT id FROM new_rows)); END IF; RETURN NULL;
END
$$;

CREATE TRIGGER insight_follow_ups_inserted AFTER INSERT ON follow_ups
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_follow_ups_changed();
CREATE TRIGGER insight_follow_ups_updated AFTER UPDATE ON follow_ups
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_follow_ups_changed();
CREATE TRIGGER insight_follow_ups_deleted AFTER DELETE ON follow_ups
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_follow_ups_changed();

-- A changed answer moves its follow-up's day and close time.
CREATE FUNCTION insight_answers_changed_loops() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM insight_refresh_loops(ARRAY(SELECT f.id FROM follow_ups f JOIN new_rows n ON n.id = f.response_id)); RETURN NULL;
END
$$;

CREATE TRIGGER insight_answers_updated_loops AFTER UPDATE ON responses
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_answers_changed_loops();

-- Follow-ups recorded before this migration.
SELECT insight_refresh_loops(ARRAY(SELECT id FROM follow_ups));
