-- Orders brought over from the old shop's SQLite orders.db by the legacy import (tools/legacy-import,
-- docs/legacy-import.md): one row per old order id, written in the import's transaction beside the order it became,
-- so a second run imports nothing twice. row_sha256 fingerprints the old row as it was read, so a run can tell
-- a row that changed in the old shop since it was imported (reported, never imported again) from one that did not.
CREATE TABLE legacy_import (
    legacy_order_id bigint      PRIMARY KEY CHECK (legacy_order_id >= 0),
    order_id        uuid        NOT NULL UNIQUE REFERENCES customer_order (id),
    row_sha256      text        NOT NULL CHECK (row_sha256 ~ '^[0-9a-f]{64}$'),
    imported_at     timestamptz NOT NULL DEFAULT now()
);
