-- Follow-up tasks (src/follow-ups): what we need to create each HubSpot task exactly once, keep it in step with
-- a changed answer, and learn when someone completed it.

-- sha256 of the task content last sent (subject, body, priority, type, due): a changed answer is detected by a
-- different hash, and an unchanged re-run sends nothing.
ALTER TABLE follow_ups ADD COLUMN content_hash text;

-- Set just before a create is sent and cleared when its outcome is known. Still set on the next run means the
-- process died (or the call timed out) after HubSpot may have created the task: look it up before creating again.
ALTER TABLE follow_ups ADD COLUMN create_attempted_at timestamptz;

ALTER TABLE follow_ups ADD COLUMN last_error text;

-- occurredAt of the task status event applied last, so late or reordered webhook deliveries do not undo newer ones.
ALTER TABLE follow_ups ADD COLUMN task_status_at timestamptz;

-- When the periodic check last read this task's status from HubSpot (oldest first, so every open task gets its turn).
ALTER TABLE follow_ups ADD COLUMN checked_at timestamptz;

-- 'deleted': the task was deleted in HubSpot. It is not recreated (someone chose to remove it) and no longer polled.
ALTER TABLE follow_ups DROP CONSTRAINT follow_ups_status_check;
ALTER TABLE follow_ups ADD CONSTRAINT follow_ups_status_check CHECK (status IN ('pending', 'open', 'completed', 'failed', 'deleted'));

CREATE INDEX follow_ups_task_idx ON follow_ups (portal_id, hubspot_task_id) WHERE hubspot_task_id IS NOT NULL;
CREATE INDEX follow_ups_open_check_idx ON follow_ups (portal_id, checked_at) WHERE status = 'open';

-- Close-the-loop time for insights: from the (latest) answer to the completion of its follow-up task.
CREATE VIEW follow_up_loop_times AS
SELECT f.portal_id, f.id AS follow_up_id, f.response_id, f.contact_id, f.category, f.owner_id, f.hubspot_task_id,
       r.answered_at, f.completed_at,
       EXTRACT(EPOCH FROM (f.completed_at - r.answered_at)) AS close_seconds
FROM follow_ups f
JOIN responses r ON r.id = f.response_id
WHERE f.status = 'completed' AND f.completed_at IS NOT NULL;
