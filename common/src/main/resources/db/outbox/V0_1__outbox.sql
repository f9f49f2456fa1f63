-- The transactional outbox, identical in every producing schema (orders, payments). A producer
-- inserts rows in the transaction of the change that caused them; notification-service is the only
-- reader: it claims PENDING rows with FOR UPDATE SKIP LOCKED, turns them into deliveries in its own
-- schema and marks them SENT (or DEAD when it cannot route them), all in one transaction.
CREATE TABLE outbox (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id       uuid        NOT NULL UNIQUE,
    event_type     text        NOT NULL,
    aggregate_type text        NOT NULL,
    aggregate_id   text        NOT NULL,
    payload        jsonb       NOT NULL,
    status         text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'DEAD')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    relayed_at     timestamptz,
    last_error     text
);

-- The relay scans only what is left to do; sent rows are deleted in batches by the relay.
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE status = 'PENDING';
CREATE INDEX outbox_relayed_idx ON outbox (relayed_at) WHERE status = 'SENT';
ALTER TABLE outbox SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000);

-- Wakes the relay at commit (NOTIFY is delivered only then, and deduplicated per transaction). It is
-- a hint only: the relay also polls, so a lost notification delays a message but never loses it.
CREATE FUNCTION outbox_wake() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('lunas_outbox', TG_TABLE_SCHEMA);
    RETURN NULL;
END
$$;

CREATE TRIGGER outbox_wake AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_wake();

-- In production every service logs in as its own role (deploy/db/init.sql); the relay's role may touch
-- this table and nothing else of the producer's schema. Locally everything runs as one user: no-op.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lunas_notifications') THEN
        GRANT SELECT, UPDATE, DELETE ON outbox TO lunas_notifications;
    END IF;
END
$$;
