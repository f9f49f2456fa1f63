-- notification-service's watchdog reads orders (never writes them) to notice a settled payment whose order is
-- not PAID and orders left open past their deadline (notification-service/README.md, "Watchdog"). In production
-- each service logs in as its own role (deploy/db/init.sql); locally everything runs as one user: no-op.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lunas_notifications') THEN
        GRANT SELECT ON customer_order TO lunas_notifications;
    END IF;
END
$$;
