-- notification-service's watchdog reads payments (never writes them) to notice a settled payment whose order is
-- not PAID and second settlements (notification-service/README.md, "Watchdog"). In production each service logs
-- in as its own role (deploy/db/init.sql); locally everything runs as one user: the grant is skipped.
CREATE INDEX payment_audit_double_settlement_idx ON payment_audit (created_at) WHERE action = 'DOUBLE_SETTLEMENT';

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lunas_notifications') THEN
        GRANT SELECT ON payment_attempt, payment_audit TO lunas_notifications;
    END IF;
END
$$;
