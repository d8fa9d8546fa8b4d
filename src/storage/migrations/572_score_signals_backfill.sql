-- Score-change signals and follow-up answers (issue 15): contacts and companies that already have answers get the
-- new properties (nps_previous_score, nps_score_change, nps_trend, nps_last_follow_up_answer; nps_company_trend,
-- nps_company_at_risk_contacts) once, through the ordinary write-back: each is marked in the outbox, which
-- coalesces them into batches of 100 and paces them like any other write. The kinds are the ones declared in
-- src/responses (writeback.ts, company-rollup.ts).
INSERT INTO outbox (portal_id, kind, item_key)
SELECT DISTINCT r.portal_id, 'contact-properties', r.contact_id::text
  FROM responses r JOIN portals p ON p.portal_id = r.portal_id AND p.status = 'active'
ON CONFLICT (portal_id, kind, item_key) DO UPDATE SET version = outbox.version + 1, due_at = LEAST(outbox.due_at, EXCLUDED.due_at);

INSERT INTO outbox (portal_id, kind, item_key)
SELECT DISTINCT c.portal_id, 'company-rollup', c.company_id::text
  FROM contacts c JOIN portals p ON p.portal_id = c.portal_id AND p.status = 'active'
 WHERE c.company_id IS NOT NULL AND c.deleted_at IS NULL AND c.merged_into IS NULL
   AND EXISTS (SELECT 1 FROM responses r WHERE r.portal_id = c.portal_id AND r.contact_id = c.contact_id)
ON CONFLICT (portal_id, kind, item_key) DO UPDATE SET version = outbox.version + 1, due_at = LEAST(outbox.due_at, EXCLUDED.due_at);
