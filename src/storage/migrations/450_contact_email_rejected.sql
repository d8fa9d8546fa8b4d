-- Bounces: `email_bounced` mirrors HubSpot's own record of the address (a hard bounce reason or "invalid email
-- address"); `email_rejected` is the address our SMTP server refused for good. Keeping the address, not a flag,
-- means a contact whose email changes in HubSpot is surveyed again at the new address.
ALTER TABLE contacts ADD COLUMN email_rejected text;
