-- Limited packages hold a place only briefly (lunas.order.checkout.limited-hold): such an order records
-- until when its place is held, and every closed order records why it closed, for the status page.
ALTER TABLE customer_order
    ADD COLUMN place_held_until timestamptz,
    ADD COLUMN closed_reason    text
        CONSTRAINT customer_order_closed_reason_check CHECK (closed_reason IN ('HOLD_LAPSED', 'PAYMENT_WINDOW_LAPSED', 'PAYMENT_FAILED', 'PAYMENT_EXPIRED')),
    ADD CONSTRAINT customer_order_closed_reason_status_check CHECK (closed_reason IS NULL OR status IN ('FAILED', 'EXPIRED'));
