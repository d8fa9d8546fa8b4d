-- Segments by CRM property (issue 14): custom segment dimensions chosen by admins from the portal's contact and
-- company properties (settings key `segments`), and each mirrored contact's current value of them.
--
-- segment_dimensions: what we learned about each configured dimension and its backfill: the property's kind,
--   the backfill's state (backfilling, ready, refused) and progress (done of total contacts, resumable from the
--   last contact id done), and why it was refused.
-- segment_values: per contact and dimension, the value as the dashboard groups it: the property's value, or the
--   number band; date properties keep the date itself (`since`), banded against each answer's time at query time.
--   Company dimensions hold the contact's primary company's value. No row = unknown.

CREATE TABLE segment_dimensions (
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  dimension text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('enumeration', 'string', 'number', 'date')),
  label text NOT NULL,
  -- The settings the values were computed with (bands); a change starts a new backfill.
  signature text NOT NULL,
  state text NOT NULL CHECK (state IN ('backfilling', 'ready', 'refused')),
  done integer NOT NULL DEFAULT 0,
  total integer NOT NULL DEFAULT 0,
  after_contact_id bigint NOT NULL DEFAULT 0,
  message text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, dimension)
);

-- Keyed by contact first: the segment queries probe it once per answer's contact.
CREATE TABLE segment_values (
  portal_id bigint NOT NULL REFERENCES portals (portal_id) ON DELETE CASCADE,
  contact_id bigint NOT NULL,
  dimension text NOT NULL,
  value text NOT NULL,
  since timestamptz,
  PRIMARY KEY (portal_id, contact_id, dimension)
);
-- Distinct values of one dimension (the >200 check) and dropping a dimension's values.
CREATE INDEX segment_values_dimension_idx ON segment_values (portal_id, dimension, value);
