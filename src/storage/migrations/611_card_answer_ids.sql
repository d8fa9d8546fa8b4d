-- The contact card's history carries each answer's id, so the card can exclude an answer (src/card-api →
-- src/exclusions). Same function as migration 571 otherwise.
CREATE OR REPLACE FUNCTION card_contact_data(p_portal bigint, p_contact bigint, p_history_limit integer) RETURNS json
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN json_build_object(
    'contact', (SELECT json_build_object('contactId', c.contact_id::text, 'email', c.email, 'firstname', c.firstname, 'lastname', c.lastname,
                  'optedOut', c.opted_out, 'bounced', c.email_bounced, 'deleted', (c.deleted_at IS NOT NULL OR c.erased_at IS NOT NULL),
                  'gone', (c.deleted_at IS NOT NULL OR c.merged_into IS NOT NULL OR c.erased_at IS NOT NULL))
                FROM contacts c WHERE c.portal_id = p_portal AND c.contact_id = p_contact),
    'settings', (SELECT p.settings FROM portals p WHERE p.portal_id = p_portal),
    'total', (SELECT count(*) FROM responses r WHERE r.portal_id = p_portal AND r.contact_id = p_contact),
    'answers', (SELECT coalesce(json_agg(a), '[]'::json) FROM (
                  SELECT r.id AS "responseId", r.score, r.category, r.comment, r.follow_up_answer AS "followUpAnswer", r.channel, r.trigger, r.source_object_type AS "sourceObjectType",
                         r.source_object_id::text AS "sourceObjectId", r.source_stage AS "sourceStage",
                         r.answered_at AS "answeredAt", r.updated_at AS "updatedAt"
                    FROM responses r WHERE r.portal_id = p_portal AND r.contact_id = p_contact
                   ORDER BY r.answered_at DESC, r.updated_at DESC LIMIT p_history_limit) a),
    'latest', (SELECT json_build_object('status', i.status, 'skipReason', i.skip_reason, 'sentAt', i.sent_at)
                 FROM invitations i WHERE i.portal_id = p_portal AND i.contact_id = p_contact ORDER BY i.created_at DESC LIMIT 1),
    'pending', (SELECT json_build_object('id', i.id, 'sentAt', i.sent_at, 'scheduledFor', i.scheduled_for)
                  FROM invitations i WHERE i.portal_id = p_portal AND i.contact_id = p_contact AND i.status IN ('scheduled', 'sent', 'reminded')
                 ORDER BY i.created_at DESC LIMIT 1),
    -- Skipped invitations never count; a scheduled one counts at its scheduled time.
    'lastSurveyAt', (SELECT max(COALESCE(i.sent_at, CASE WHEN i.status = 'scheduled' THEN i.scheduled_for END))
                       FROM invitations i WHERE i.portal_id = p_portal AND i.contact_id = p_contact AND i.status <> 'skipped'),
    -- Follow-ups not done yet: open tasks, and pending ones whose task is being created.
    'followUps', (SELECT coalesce(json_agg(f), '[]'::json) FROM (
                    SELECT fu.id, fu.contact_id::text AS "contactId", fu.hubspot_task_id AS "hubspotTaskId", fu.subject,
                           fu.owner_id AS "ownerId", fu.priority, fu.due_at AS "dueAt"
                      FROM follow_ups fu WHERE fu.portal_id = p_portal AND fu.contact_id = p_contact AND fu.status IN ('open', 'pending')
                     ORDER BY fu.due_at NULLS LAST LIMIT 100) f)
  );
END
$$;
