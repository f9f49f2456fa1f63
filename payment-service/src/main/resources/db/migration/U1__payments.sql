DROP TABLE IF EXISTS payment_audit;
DROP TABLE IF EXISTS payment_event;
DROP TABLE IF EXISTS payment_attempt;
