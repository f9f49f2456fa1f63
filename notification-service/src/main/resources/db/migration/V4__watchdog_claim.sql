-- The watchdog no longer holds a row lock while it mails (no transaction stays open across the SMTP call):
-- a replica claims a condition for a short lease (database clock), reads, mails, then records the mail and
-- gives the claim back in one statement fenced by its own claim. A replica that dies in between leaves a
-- claim that lapses; the next run may then mail that alert again (at most one duplicate per crash).
-- Conditions get their row on first claim.
ALTER TABLE watchdog_alert
    ADD COLUMN claimed_by    text,
    ADD COLUMN claimed_until timestamptz;
