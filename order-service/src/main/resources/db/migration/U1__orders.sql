DROP TABLE IF EXISTS processed_event;
DROP TABLE IF EXISTS idempotency_key;
DROP TABLE IF EXISTS audit_log;
DROP TABLE IF EXISTS entitlement;
DROP TABLE IF EXISTS discount_redemption;
DROP TABLE IF EXISTS customer_order;
DROP TABLE IF EXISTS discount_code;
DROP TABLE IF EXISTS package;
