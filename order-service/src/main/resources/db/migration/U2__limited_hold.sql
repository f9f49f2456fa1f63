ALTER TABLE customer_order
    DROP CONSTRAINT IF EXISTS customer_order_closed_reason_status_check,
    DROP COLUMN IF EXISTS closed_reason,
    DROP COLUMN IF EXISTS place_held_until;
