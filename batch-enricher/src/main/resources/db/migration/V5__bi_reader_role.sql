-- Read-only role for BI tools: NOLOGIN, so nobody signs in as it; a login user inherits it (see README):
--   CREATE ROLE powerbi LOGIN PASSWORD '...' IN ROLE bi_reader;
-- Creating a role needs CREATEROLE (the admin of Azure Database for PostgreSQL Flexible Server has it). Without it,
-- and if the role does not exist yet, this migration only warns: an administrator creates the role and re-runs the
-- grants below by hand.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bi_reader') THEN
        BEGIN
            CREATE ROLE bi_reader NOLOGIN;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE WARNING 'cannot create role bi_reader (%); ask an administrator to create it', SQLERRM;
        END;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bi_reader') THEN
        GRANT USAGE ON SCHEMA bi TO bi_reader;
        GRANT SELECT ON ALL TABLES IN SCHEMA bi TO bi_reader;
        -- views and tables created later by this role (the migration user) are readable too
        ALTER DEFAULT PRIVILEGES IN SCHEMA bi GRANT SELECT ON TABLES TO bi_reader;
        -- "Enrichment Runs" reads ops.run as the view owner; nothing in ops or ref is granted directly.
    END IF;
END
$$;
