-- What the runtime role may not do in this schema, although deploy/db/init.sql's default privileges give it every
-- table the owner creates (docs/database-roles.md): the audit trail (audit_log) and the record of imported legacy
-- orders (legacy_import, docs/legacy-import.md) are append-only, and Flyway's history is the owner's alone. Taken back from every role but the owner, so the script names no role
-- and is a no-op where nothing was granted (the tests, which migrate as a superuser). Repeatable: Flyway runs it again,
-- after the versioned migrations, whenever it changes; a migration that adds such a table lists it here.
DO $$
DECLARE
    granted record;
BEGIN
    FOR granted IN
        SELECT DISTINCT kept.privileges, c.relname, a.grantee
        FROM (VALUES ('audit_log', 'UPDATE, DELETE, TRUNCATE'),
                     ('legacy_import', 'UPDATE, DELETE, TRUNCATE'),
                     ('${flyway:table}', 'INSERT, UPDATE, DELETE, TRUNCATE')) AS kept (relname, privileges)
        JOIN pg_class c ON c.relname = kept.relname AND c.relnamespace = current_schema()::regnamespace
        CROSS JOIN LATERAL aclexplode(c.relacl) a
        WHERE a.grantee <> c.relowner
    LOOP
        EXECUTE format('REVOKE %s ON %I FROM %s', granted.privileges, granted.relname,
                       CASE WHEN granted.grantee = 0 THEN 'PUBLIC' ELSE granted.grantee::regrole::text END);
    END LOOP;
END
$$;
