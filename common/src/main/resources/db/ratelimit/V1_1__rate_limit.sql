-- Rate-limit counters, identical in every service's schema (common's RateLimiter; each service lists
-- db/ratelimit in quarkus.flyway.locations). One row per (hashed key, window): the limiter increments it with
-- INSERT … ON CONFLICT DO UPDATE … RETURNING hits, so every replica of the service counts against the same row.
-- Version 1.1: above every service's V1 (a version below an applied one would stop Flyway on existing databases)
-- and below their next migrations.
--
-- UNLOGGED: counters are not worth WAL; after a crash PostgreSQL empties the table, which only resets the
-- windows in progress. Fill factor 70 leaves room for heap-only updates of hits.
CREATE UNLOGGED TABLE rate_limit (
    bucket       text        NOT NULL,
    window_start timestamptz NOT NULL,
    hits         integer     NOT NULL,
    PRIMARY KEY (bucket, window_start)
) WITH (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000);

-- The background cleanup deletes ended windows oldest first, in bounded batches.
CREATE INDEX rate_limit_window_idx ON rate_limit (window_start);
