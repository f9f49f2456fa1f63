-- Payment results (channel INTERNAL) have no attempt limit: a NULL max_attempts means "retry until
-- order-service answers, or refuses the event for good". EMAIL and WHATSAPP keep theirs.
ALTER TABLE delivery ALTER COLUMN max_attempts DROP NOT NULL;

-- Payment results still on their way lose the mail limit they were created with.
UPDATE delivery SET max_attempts = NULL
WHERE channel = 'INTERNAL' AND status IN ('PENDING', 'SENDING', 'RETRY');
