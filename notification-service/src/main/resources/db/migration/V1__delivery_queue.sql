-- The delivery queue: one row per message to send, made by the relay from the producers' outbox rows
-- in the same transaction that marks those rows SENT. The unique key is what makes a relay that runs
-- twice (or an event that arrives twice) send once.
CREATE TABLE delivery (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id         uuid        NOT NULL,
    source           text        NOT NULL,
    event_type       text        NOT NULL,
    aggregate_type   text        NOT NULL,
    aggregate_id     text        NOT NULL,
    channel          text        NOT NULL CHECK (channel IN ('EMAIL', 'WHATSAPP', 'INTERNAL')),
    template         text        NOT NULL,
    payload          jsonb       NOT NULL,
    -- when the producer committed the event: the start of outbox_latency_seconds
    event_created_at timestamptz NOT NULL,
    status           text        NOT NULL DEFAULT 'PENDING'
                     CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'RETRY', 'DEAD', 'SKIPPED')),
    -- attempts only ever grows, so (locked_by, attempts) is a fencing token even across requeues
    attempts         integer     NOT NULL DEFAULT 0,
    -- attempts already made when the current retry budget began (0, or the count at the last requeue)
    retry_from       integer     NOT NULL DEFAULT 0,
    max_attempts     integer     NOT NULL CHECK (max_attempts > 0),
    available_at     timestamptz NOT NULL DEFAULT now(),
    locked_by        text,
    locked_until     timestamptz,
    last_error       text,
    -- [{at, attempt, error, permanent}] and requeue entries; kept on DEAD rows for the operator
    errors           jsonb       NOT NULL DEFAULT '[]'::jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),
    -- when the row reached SENT, SKIPPED or DEAD; SENT and SKIPPED rows are deleted some time after
    finished_at      timestamptz,
    CONSTRAINT delivery_once UNIQUE (event_id, channel, template),
    CONSTRAINT delivery_lease CHECK ((status = 'SENDING') = (locked_by IS NOT NULL AND locked_until IS NOT NULL))
);

-- What the workers claim, per channel, oldest due first.
CREATE INDEX delivery_due_idx ON delivery (channel, available_at) WHERE status IN ('PENDING', 'RETRY');
-- What the rescuer looks at.
CREATE INDEX delivery_lease_idx ON delivery (locked_until) WHERE status = 'SENDING';
-- What the cleanup deletes and what the operator lists.
CREATE INDEX delivery_finished_idx ON delivery (finished_at) WHERE status IN ('SENT', 'SKIPPED');
CREATE INDEX delivery_dead_idx ON delivery (id) WHERE status = 'DEAD';
-- A queue table is updated several times per row: vacuum it early.
ALTER TABLE delivery SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000);

-- Who requeued what, and why it had died: the admin API's audit trail.
CREATE TABLE admin_audit (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT now(),
    actor          text        NOT NULL,
    action         text        NOT NULL,
    target         text        NOT NULL,
    detail         jsonb       NOT NULL,
    correlation_id text        NOT NULL
);
