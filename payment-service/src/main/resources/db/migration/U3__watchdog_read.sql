DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lunas_notifications') THEN
        REVOKE SELECT ON payment_attempt, payment_audit FROM lunas_notifications;
    END IF;
END
$$;

DROP INDEX IF EXISTS payment_audit_double_settlement_idx;
