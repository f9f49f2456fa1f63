ALTER TABLE watchdog_alert
    DROP COLUMN claimed_by,
    DROP COLUMN claimed_until;
