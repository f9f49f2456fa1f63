-- The roles and schemas of the Lunas database (docs/database-roles.md). Run once, as a superuser, on the new
-- database before the first deployment: it refuses to run twice (the roles and schemas exist). docker-compose runs it
-- automatically; ./lunas run and the system tests apply it to their embedded PostgreSQL. Replace the passwords, or
-- create the login roles from your secret store and keep the rest.
--
-- Per service two roles:
--   lunas_<schema>_owner  owns the schema; only the service's Flyway migrations log in as it (QUARKUS_FLYWAY_USERNAME)
--   lunas_<schema>        the running service (QUARKUS_DATASOURCE_USERNAME): reads and writes the schema's tables,
--                         may not create, change or drop anything in it, nor rewrite its audit trail
-- and lunas_monitor, which reads the server's statistics and nothing else.
CREATE ROLE lunas_orders_owner LOGIN PASSWORD 'change-me-orders-owner';
CREATE ROLE lunas_payments_owner LOGIN PASSWORD 'change-me-payments-owner';
CREATE ROLE lunas_notifications_owner LOGIN PASSWORD 'change-me-notifications-owner';
CREATE ROLE lunas_orders LOGIN PASSWORD 'change-me-orders';
CREATE ROLE lunas_payments LOGIN PASSWORD 'change-me-payments';
CREATE ROLE lunas_notifications LOGIN PASSWORD 'change-me-notifications';
CREATE ROLE lunas_monitor LOGIN PASSWORD 'change-me-monitor' IN ROLE pg_monitor;

-- PUBLIC (every role of the cluster) loses its default rights: only the Lunas roles may connect, nobody creates
-- temporary tables, and the public schema is nobody's to use.
DO $$
BEGIN
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO lunas_orders_owner, lunas_payments_owner, lunas_notifications_owner,'
                   ' lunas_orders, lunas_payments, lunas_notifications, lunas_monitor', current_database());
END
$$;
REVOKE ALL ON SCHEMA public FROM PUBLIC;

CREATE SCHEMA orders AUTHORIZATION lunas_orders_owner;
CREATE SCHEMA payments AUTHORIZATION lunas_payments_owner;
CREATE SCHEMA notifications AUTHORIZATION lunas_notifications_owner;

-- The runtime role enters its schema and reads and writes every table its owner creates there, now or in any later
-- migration (default privileges), and uses their sequences. Nothing more: no CREATE on the schema, no TRUNCATE,
-- REFERENCES or TRIGGER. A migration takes back what a table must not allow (the audit trail is append-only: see
-- each service's R__runtime_privileges.sql).
GRANT USAGE ON SCHEMA orders TO lunas_orders;
GRANT USAGE ON SCHEMA payments TO lunas_payments;
GRANT USAGE ON SCHEMA notifications TO lunas_notifications;
ALTER DEFAULT PRIVILEGES FOR ROLE lunas_orders_owner IN SCHEMA orders
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO lunas_orders;
ALTER DEFAULT PRIVILEGES FOR ROLE lunas_orders_owner IN SCHEMA orders
    GRANT USAGE, SELECT ON SEQUENCES TO lunas_orders;
ALTER DEFAULT PRIVILEGES FOR ROLE lunas_payments_owner IN SCHEMA payments
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO lunas_payments;
ALTER DEFAULT PRIVILEGES FOR ROLE lunas_payments_owner IN SCHEMA payments
    GRANT USAGE, SELECT ON SEQUENCES TO lunas_payments;
ALTER DEFAULT PRIVILEGES FOR ROLE lunas_notifications_owner IN SCHEMA notifications
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO lunas_notifications;
ALTER DEFAULT PRIVILEGES FOR ROLE lunas_notifications_owner IN SCHEMA notifications
    GRANT USAGE, SELECT ON SEQUENCES TO lunas_notifications;

-- The single sanctioned cross-schema access: notification-service's relay claims, marks and deletes rows of the
-- orders and payments outbox tables. It may enter those schemas; the migration that creates the outbox table
-- (common/src/main/resources/db/outbox/V0_1__outbox.sql) grants it SELECT, UPDATE and DELETE on that table alone.
GRANT USAGE ON SCHEMA orders, payments TO lunas_notifications;

-- Long transactions pin the vacuum horizon of the outbox tables; fail them instead (docs/reliability.md §2.3). The
-- services' roles after 30 s idle in a transaction; every other session of this database (an operator's psql, a
-- report, a tool) after 5 minutes, unless its role sets its own.
ALTER ROLE lunas_orders SET idle_in_transaction_session_timeout = '30s';
ALTER ROLE lunas_payments SET idle_in_transaction_session_timeout = '30s';
ALTER ROLE lunas_notifications SET idle_in_transaction_session_timeout = '30s';
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET idle_in_transaction_session_timeout = %L', current_database(), '5min');
END
$$;

-- What holds the horizon is reported by notification-service (database_oldest_transaction_age_seconds, alert
-- LongTransaction) through the function notifications.oldest_transaction(), which its migration creates and which
-- runs with its owner's rights: the owner may see every session's transaction start, the runtime role may not.
GRANT pg_read_all_stats TO lunas_notifications_owner;
