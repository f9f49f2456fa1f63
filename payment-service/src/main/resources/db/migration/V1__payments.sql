-- One payment attempt per order: the Midtrans order_id IS the order id, so Midtrans's own uniqueness
-- makes every retried Snap call safe. The attempt is also the payment's state machine
-- (PENDING -> SETTLED | FAILED | EXPIRED, plus FAILED/EXPIRED -> SETTLED for a confirmed late settlement).
CREATE TABLE payment_attempt (
    order_id           uuid        PRIMARY KEY,
    amount             bigint      NOT NULL CHECK (amount > 0),
    currency           text        NOT NULL CHECK (currency = 'IDR'),
    expires_at         timestamptz NOT NULL,
    status             text        NOT NULL DEFAULT 'PENDING'
                       CHECK (status IN ('PENDING', 'SETTLED', 'FAILED', 'EXPIRED')),
    -- Brandur's recovery point: STARTED (row committed, no token yet), TOKEN_CREATED (token stored),
    -- PROVIDER_TRANSACTION (Midtrans already holds a transaction we have no token for).
    recovery_point     text        NOT NULL DEFAULT 'STARTED'
                       CHECK (recovery_point IN ('STARTED', 'TOKEN_CREATED', 'PROVIDER_TRANSACTION')),
    snap_token         text,
    redirect_url       text,
    -- While set and in the future (database clock), one request owns the Snap call for this order.
    snap_lease_until   timestamptz,
    snap_calls         integer     NOT NULL DEFAULT 0,
    last_snap_error    text,
    transaction_id     text,
    transaction_status text,
    fraud_status       text,
    payment_type       text,
    late_settlement    boolean     NOT NULL DEFAULT false,
    settled_at         timestamptz,
    closed_at          timestamptz,
    -- When the reconciler should next ask Get Status; NULL once nothing is left to learn.
    next_check_at      timestamptz,
    last_checked_at    timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT payment_attempt_token_stored CHECK (recovery_point <> 'TOKEN_CREATED' OR snap_token IS NOT NULL)
);

CREATE INDEX payment_attempt_due_idx ON payment_attempt (next_check_at) WHERE next_check_at IS NOT NULL;

-- The inbox: every accepted Midtrans fact (webhook or Get Status answer), once per idempotency key,
-- with the raw payload exactly as received and what was done with it.
CREATE TABLE payment_event (
    id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    idempotency_key    text        NOT NULL UNIQUE,
    order_id           text        NOT NULL,
    transaction_id     text,
    transaction_status text        NOT NULL,
    fraud_status       text,
    status_code        text,
    gross_amount       text,
    refund_amount      text,
    source             text        NOT NULL CHECK (source IN ('WEBHOOK', 'RECONCILIATION')),
    outcome            text        NOT NULL
                       CHECK (outcome IN ('APPLIED', 'IGNORED', 'UNKNOWN_ORDER', 'AWAITING_CONFIRMATION',
                                          'CONFIRMED', 'NOT_CONFIRMED')),
    detail             text,
    payload            text        NOT NULL,
    received_at        timestamptz NOT NULL DEFAULT now(),
    resolved_at        timestamptz
);

CREATE INDEX payment_event_order_idx ON payment_event (order_id);
CREATE INDEX payment_event_awaiting_idx ON payment_event (order_id) WHERE outcome = 'AWAITING_CONFIRMATION';

-- Who changed what and why: one row per attempt state change, in the transaction of the change.
CREATE TABLE payment_audit (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id         uuid        NOT NULL REFERENCES payment_attempt (order_id),
    action           text        NOT NULL,
    old_status       text,
    new_status       text,
    reason           text,
    payment_event_id bigint      REFERENCES payment_event (id),
    correlation_id   text,
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX payment_audit_order_idx ON payment_audit (order_id);
