-- order-service schema: the catalogue, discount codes, orders and their audit trail, checkout
-- idempotency keys, processed payment events and entitlements. Money is integer rupiah (bigint).

CREATE TABLE package (
    id         text        PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    price      bigint      NOT NULL CHECK (price >= 1),
    currency   text        NOT NULL DEFAULT 'IDR' CHECK (currency = 'IDR'),
    -- NULL: unlimited. reserved counts the orders holding a place (open or paid); it may exceed the
    -- quota only through a late settlement, because a paying customer is never refused access.
    quota      integer     CHECK (quota >= 0),
    reserved   integer     NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    active     boolean     NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO package (id, name, price) VALUES ('ai-movie-course', 'Buat Film Pakai AI', 99000);

CREATE TABLE discount_code (
    code           text        PRIMARY KEY CHECK (code ~ '^[A-Z0-9_-]{1,32}$'),
    kind           text        NOT NULL CHECK (kind IN ('PERCENT', 'FIXED')),
    percent_off    integer     CHECK (percent_off BETWEEN 1 AND 100),
    amount_off     bigint      CHECK (amount_off >= 1),
    -- NULL: valid for every package
    package_id     text        REFERENCES package (id),
    valid_from     timestamptz,
    valid_until    timestamptz,
    max_uses       integer     CHECK (max_uses >= 1),
    -- uses counts the orders holding a redemption (open or paid), like package.reserved
    uses           integer     NOT NULL DEFAULT 0 CHECK (uses >= 0),
    once_per_email boolean     NOT NULL DEFAULT false,
    active         boolean     NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'PERCENT' AND percent_off IS NOT NULL AND amount_off IS NULL)
        OR (kind = 'FIXED' AND amount_off IS NOT NULL AND percent_off IS NULL)),
    CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_from < valid_until)
);

CREATE TABLE customer_order (
    id                     uuid        PRIMARY KEY,
    package_id             text        NOT NULL REFERENCES package (id),
    -- what the customer bought, as it was at checkout
    package_name           text        NOT NULL,
    price                  bigint      NOT NULL CHECK (price >= 1),
    discount_code          text        REFERENCES discount_code (code),
    discount_amount        bigint      NOT NULL CHECK (discount_amount >= 0),
    amount                 bigint      NOT NULL CHECK (amount >= 1),
    currency               text        NOT NULL CHECK (currency = 'IDR'),
    status                 text        NOT NULL
                           CHECK (status IN ('CREATED', 'PENDING_PAYMENT', 'PAID', 'FAILED', 'EXPIRED')),
    customer_name          text        NOT NULL,
    customer_email         text        NOT NULL,
    customer_phone         text        NOT NULL CHECK (customer_phone ~ '^\+628[0-9]{8,11}$'),
    payment_token          text,
    payment_url            text,
    payment_transaction_id text,
    created_at             timestamptz NOT NULL,
    expires_at             timestamptz NOT NULL,
    paid_at                timestamptz,
    closed_at              timestamptz,
    reminder_sent_at       timestamptz,
    updated_at             timestamptz NOT NULL,
    CHECK (amount = price - discount_amount),
    CHECK ((status = 'PAID') = (paid_at IS NOT NULL))
);

-- the expiry job, the pending gauges and the reminder job scan only open orders
CREATE INDEX customer_order_open_idx ON customer_order (expires_at)
    WHERE status IN ('CREATED', 'PENDING_PAYMENT');
CREATE INDEX customer_order_reminder_idx ON customer_order (expires_at)
    WHERE status = 'PENDING_PAYMENT' AND reminder_sent_at IS NULL;

-- One row per discounted order. The checkout inserts it before the order row, so the foreign key is
-- checked at commit.
CREATE TABLE discount_redemption (
    order_id       uuid        PRIMARY KEY REFERENCES customer_order (id) DEFERRABLE INITIALLY DEFERRED,
    code           text        NOT NULL REFERENCES discount_code (code),
    email          text        NOT NULL,
    once_per_email boolean     NOT NULL,
    released_at    timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- "once per email": at most one redemption per code and address that has not been released (an order
-- that failed or expired gives the use back)
CREATE UNIQUE INDEX discount_redemption_once_per_email_idx ON discount_redemption (code, email)
    WHERE once_per_email AND released_at IS NULL;

CREATE TABLE entitlement (
    id         uuid        PRIMARY KEY,
    order_id   uuid        NOT NULL UNIQUE REFERENCES customer_order (id),
    email      text        NOT NULL,
    package_id text        NOT NULL REFERENCES package (id),
    status     text        NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED', 'REVOKED')),
    access_url text        NOT NULL,
    granted_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE INDEX entitlement_email_idx ON entitlement (email);

-- Append-only history of every change to an order, written in the transaction of the change.
CREATE TABLE audit_log (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id       uuid        NOT NULL,
    actor          text        NOT NULL,
    action         text        NOT NULL,
    old_value      text,
    new_value      text,
    reason         text,
    correlation_id text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX audit_log_order_idx ON audit_log (order_id, id);

-- Checkout idempotency keys with recovery points (docs/reliability.md §1): STARTED never commits (the
-- first transaction moves it on), ORDER_CREATED means the payment step is still owed, FINISHED holds the
-- answer to replay. A lease (owner, locked_until, database clock) marks a request in flight.
CREATE TABLE idempotency_key (
    idempotency_key text        PRIMARY KEY,
    fingerprint     text        NOT NULL,
    recovery_point  text        NOT NULL CHECK (recovery_point IN ('STARTED', 'ORDER_CREATED', 'FINISHED')),
    order_id        uuid,
    lease_owner     uuid,
    locked_until    timestamptz,
    response_status integer,
    response_body   text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (recovery_point <> 'ORDER_CREATED' OR order_id IS NOT NULL),
    CHECK (recovery_point <> 'FINISHED' OR (response_status IS NOT NULL AND response_body IS NOT NULL))
);

CREATE INDEX idempotency_key_created_idx ON idempotency_key (created_at);

-- Payment events already applied, so a redelivered event is answered DUPLICATE and changes nothing.
CREATE TABLE processed_event (
    event_id     uuid        PRIMARY KEY,
    event_type   text        NOT NULL,
    order_id     uuid        NOT NULL,
    outcome      text        NOT NULL CHECK (outcome IN ('APPLIED', 'IGNORED', 'DUPLICATE')),
    processed_at timestamptz NOT NULL DEFAULT now()
);
