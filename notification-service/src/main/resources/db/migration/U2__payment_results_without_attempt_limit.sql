-- Back to a limit on every row: payment results still on their way get 12 more attempts from here.
UPDATE delivery SET max_attempts = GREATEST(attempts - retry_from, 0) + 12 WHERE max_attempts IS NULL;
ALTER TABLE delivery ALTER COLUMN max_attempts SET NOT NULL;
