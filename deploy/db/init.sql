-- One PostgreSQL cluster, one schema and one login role per service (run once, as a superuser, before
-- the first deployment; docker-compose runs it automatically). Each service migrates its own schema with
-- Flyway at start. The single sanctioned cross-schema access: notification-service claims and updates
-- rows of the orders and payments outbox tables. Replace the passwords, or create the roles from your
-- secret store and keep only the grants.
CREATE ROLE lunas_orders LOGIN PASSWORD 'change-me-orders';
CREATE ROLE lunas_payments LOGIN PASSWORD 'change-me-payments';
CREATE ROLE lunas_notifications LOGIN PASSWORD 'change-me-notifications';

CREATE SCHEMA IF NOT EXISTS orders AUTHORIZATION lunas_orders;
CREATE SCHEMA IF NOT EXISTS payments AUTHORIZATION lunas_payments;
CREATE SCHEMA IF NOT EXISTS notifications AUTHORIZATION lunas_notifications;

-- Long transactions pin the vacuum horizon of the outbox tables; fail them instead (docs/reliability.md §2.3).
ALTER ROLE lunas_orders SET idle_in_transaction_session_timeout = '30s';
ALTER ROLE lunas_payments SET idle_in_transaction_session_timeout = '30s';
ALTER ROLE lunas_notifications SET idle_in_transaction_session_timeout = '30s';

-- notification-service reads the producers' outboxes: it may enter their schemas, and the shared outbox
-- migration (common/src/main/resources/db/outbox/V0_1__outbox.sql) grants it the outbox table alone.
GRANT USAGE ON SCHEMA orders, payments TO lunas_notifications;
