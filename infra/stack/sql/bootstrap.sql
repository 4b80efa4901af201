-- Per-service database bootstrap, run by the superuser once per service DB, idempotent.
-- Shared by both modes: the native stack manager (infra/stack/src/db-provision.ts) and the
-- compose postgres init script (infra/stack/sql/compose-initdb.sh) run it with psql as
--   psql -v db=orders -v db_user=order_svc -v db_pass=… -v debezium_user=debezium -v debezium_pass=… -f bootstrap.sql
\set ON_ERROR_STOP on

-- The Debezium replication role: LOGIN REPLICATION, no other privilege than granted below.
SELECT format('CREATE ROLE %I', :'debezium_user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'debezium_user') \gexec
ALTER ROLE :"debezium_user" WITH LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'debezium_pass';

-- The service's own login role: owns its database and nothing else.
SELECT format('CREATE ROLE %I', :'db_user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'db_user') \gexec
ALTER ROLE :"db_user" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'db_pass';

SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L', :'db', :'db_user', 'UTF8')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
ALTER DATABASE :"db" OWNER TO :"db_user";

-- Nobody but the owner and Debezium may connect (roles of other services included).
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO :"debezium_user";
REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;
REVOKE CONNECT ON DATABASE template1 FROM PUBLIC;

\connect :"db"
\set ON_ERROR_STOP on

-- The heartbeat table Debezium's heartbeat.action.query upserts, so an idle DB's slot advances.
CREATE TABLE IF NOT EXISTS public.debezium_heartbeat (id int PRIMARY KEY, ts timestamptz NOT NULL);
ALTER TABLE public.debezium_heartbeat OWNER TO :"debezium_user";

-- Debezium's signal table (the connector's `signal.data.collection`): a row inserted here asks the
-- connector for an ad-hoc snapshot; slot recovery re-publishes outbox rows this way.
CREATE TABLE IF NOT EXISTS public.debezium_signal (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data text);
ALTER TABLE public.debezium_signal OWNER TO :"debezium_user";
