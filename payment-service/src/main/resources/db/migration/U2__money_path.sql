DROP INDEX IF EXISTS payment_attempt_claim_idx;
ALTER TABLE payment_attempt DROP COLUMN IF EXISTS not_found_checks;
DROP INDEX IF EXISTS payment_event_deferred_idx;
-- the earlier constraint does not know the new outcomes: deferred claims were never applied, mismatches neither
UPDATE payment_event SET outcome = 'IGNORED', resolved_at = coalesce(resolved_at, now())
 WHERE outcome IN ('DEFERRED', 'AMOUNT_MISMATCH');
ALTER TABLE payment_event DROP CONSTRAINT payment_event_outcome_check;
ALTER TABLE payment_event ADD CONSTRAINT payment_event_outcome_check
    CHECK (outcome IN ('APPLIED', 'IGNORED', 'UNKNOWN_ORDER', 'AWAITING_CONFIRMATION', 'CONFIRMED', 'NOT_CONFIRMED'));
