-- The login the backups run as (deploy/db/backup, the CronJob in deploy/k8s/base/backup-cronjob.yaml;
-- docs/backup-and-recovery.md). Run once as a superuser on the Lunas database, after deploy/db/init.sql, then set its
-- password (ALTER ROLE lunas_backup PASSWORD '…') and put it into the Secret as BACKUP_DB_PASSWORD.
--
-- pg_read_all_data (PostgreSQL 14 and later) reads every table and sequence of every schema, now and in later
-- migrations, and writes nothing: pg_dump needs no more. It is the one role besides the superuser that sees the
-- whole database, customers' contact data included: keep its password in the secret store, the dumps too.
CREATE ROLE lunas_backup LOGIN PASSWORD 'change-me-backup' IN ROLE pg_read_all_data;
DO $$
BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO lunas_backup', current_database());
END
$$;
