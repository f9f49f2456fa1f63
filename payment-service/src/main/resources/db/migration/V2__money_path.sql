-- Harden the money path.
-- Inbox outcomes: DEFERRED (a refund or chargeback that overtook its settlement, re-evaluated when the
-- settlement applies) and AMOUNT_MISMATCH (validly signed, wrong amount or currency: nothing applied, an
-- OpsAlert raised once per fact).
ALTER TABLE payment_event DROP CONSTRAINT payment_event_outcome_check;
ALTER TABLE payment_event ADD CONSTRAINT payment_event_outcome_check
    CHECK (outcome IN ('APPLIED', 'IGNORED', 'UNKNOWN_ORDER', 'AWAITING_CONFIRMATION', 'CONFIRMED', 'NOT_CONFIRMED',
                       'DEFERRED', 'AMOUNT_MISMATCH'));
CREATE INDEX payment_event_deferred_idx ON payment_event (order_id) WHERE outcome = 'DEFERRED';

-- How many Get Status checks in a row answered "Transaction doesn't exist": the reconciler backs off
-- exponentially while it grows and claims attempts known to exist at Midtrans (0) first.
ALTER TABLE payment_attempt ADD COLUMN not_found_checks integer NOT NULL DEFAULT 0 CHECK (not_found_checks >= 0);
CREATE INDEX payment_attempt_claim_idx ON payment_attempt ((not_found_checks > 0), next_check_at)
    WHERE next_check_at IS NOT NULL;
