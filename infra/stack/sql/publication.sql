-- Run by the superuser in each service DB AFTER that service's migrations created `outbox`.
-- Idempotent. Shared by native (db-provision.ts) and compose (the stack-init container).
--   psql -v debezium_user=debezium -f publication.sql <service db>
\set ON_ERROR_STOP on

-- Debezium reads the outbox; it can neither write it nor see any other business table.
GRANT SELECT ON public.outbox TO :"debezium_user";

-- Filtered publication, created here (connectors use publication.autocreate.mode=disabled).
-- No deletes: the periodic outbox sweep must not flow to Kafka.
SELECT 'CREATE PUBLICATION choreo_outbox FOR TABLE public.outbox, public.debezium_heartbeat, public.debezium_signal WITH (publish = ''insert, update'')'
 WHERE NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'choreo_outbox') \gexec
-- A publication made before the signal table existed gets it added (the connector reads signals from the stream).
SELECT 'ALTER PUBLICATION choreo_outbox ADD TABLE public.debezium_signal'
 WHERE NOT EXISTS (SELECT 1 FROM pg_publication_tables WHERE pubname = 'choreo_outbox' AND tablename = 'debezium_signal') \gexec
