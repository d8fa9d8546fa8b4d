-- A sender re-confirms its claim right before each send (… AND send_attempts = <the count it claimed with>), so
-- a claim taken over after a timeout is never sent by both holders. Reminders get the same counter.
ALTER TABLE invitations ADD COLUMN reminder_attempts integer NOT NULL DEFAULT 0;
