-- Contact mirror bookkeeping (issue 4): which full-sync run last saw a contact, and privacy-erased tombstones.

-- The full sync stamps every contact it reads with its run id; a completed run marks the unstamped ones deleted.
ALTER TABLE contacts ADD COLUMN sync_run_id text;

-- Set when HubSpot asked us to erase the person (contact.privacyDeletion). The row keeps only ids and
-- timestamps, so a late sync page or webhook can never bring the personal data back.
ALTER TABLE contacts ADD COLUMN erased_at timestamptz;

-- Relationship surveys select live contacts by lifecycle stage.
CREATE INDEX contacts_lifecycle_idx ON contacts (portal_id, lifecycle_stage, contact_id) WHERE deleted_at IS NULL;

-- The skips API lists and counts invitations by status and reason.
CREATE INDEX invitations_status_idx ON invitations (portal_id, status, created_at DESC);
