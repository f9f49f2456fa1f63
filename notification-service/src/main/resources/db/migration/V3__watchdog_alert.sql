-- The watchdog's memory of the alerts it mailed, shared by every replica: the replica that locks a
-- condition's row (FOR UPDATE SKIP LOCKED) decides whether to mail, mails, and records it in the same
-- transaction, so one alert (or one reminder per cool-down, or one "resolved") leaves per condition.
CREATE TABLE watchdog_alert (
    condition    text        PRIMARY KEY,
    -- true from the alert until the "resolved" mail
    active       boolean     NOT NULL DEFAULT false,
    -- when the condition began (for DeliveriesDead: the oldest DEAD delivery when it was first mailed)
    since        timestamptz,
    -- the last alert, reminder or "resolved" mail
    last_sent_at timestamptz
);

INSERT INTO watchdog_alert (condition) VALUES ('DeliveriesDead');
