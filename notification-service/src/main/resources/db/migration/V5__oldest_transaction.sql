-- What holds back the database's vacuum horizon (docs/reliability.md §2.3): the session of this database whose
-- transaction has been open longest while it holds a snapshot or a transaction id, so that no row deleted or
-- updated since its start (the outbox's, the delivery queue's) can be vacuumed away. notification-service reads it
-- for database_oldest_transaction_age_seconds and its LONG_TRANSACTION log line.
--
-- pg_stat_activity shows another role's transaction start only to members of pg_read_all_stats. The runtime role is
-- not one: this function runs as its owner, who is (deploy/db/init.sql grants it to lunas_notifications_owner), and
-- answers one row, never a query's text. Only roles that may use the schema can call it. Without the grant (an
-- older database) it sees only its owner's sessions: the gauge then stays low, it never fails.
CREATE FUNCTION oldest_transaction()
    RETURNS TABLE (age_seconds float8, pid integer, role_name text, application_name text, state text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT extract(epoch FROM clock_timestamp() - a.xact_start)::float8, a.pid, a.usename::text, a.application_name,
           a.state
    FROM pg_stat_activity a
    WHERE a.datname = current_database()
      AND a.backend_type = 'client backend'
      AND a.pid <> pg_backend_pid()
      AND a.xact_start IS NOT NULL
      AND (a.backend_xmin IS NOT NULL OR a.backend_xid IS NOT NULL)
    ORDER BY a.xact_start
    LIMIT 1
$$;
