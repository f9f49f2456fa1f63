DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lunas_notifications') THEN
        REVOKE SELECT ON customer_order FROM lunas_notifications;
    END IF;
END
$$;
