import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { StackConfig } from './stack-config';

export const runningAsRoot = () => process.getuid?.() === 0;

/**
 * Where everything lives. Installs go to the cache (keyed by version, so a version bump
 * installs side by side); runtime state (data, logs, pidfiles) to the state dir.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` OS user, which
 * cannot traverse /root: its data dir then lives under /var/lib/postgresql/choreo/<hash of
 * the state dir> (override: CHOREO_PG_DATA_DIR), and its log file is linked from the state dir.
 */
export function stackLayout(cfg: StackConfig) {
  const { cache, state } = cfg.dirs;
  const v = cfg.versions;
  const pgHome =
    process.env['CHOREO_PG_DATA_DIR'] ??
    (runningAsRoot()
      ? join('/var/lib/postgresql/choreo', createHash('sha256').update(state).digest('hex').slice(0, 12))
      : join(state, 'postgres'));
  return {
    markers: join(cache, 'markers'),
    m2: join(cache, 'm2'),
    pom: join(cfg.root, 'infra', 'stack', 'maven', 'pom.xml'),
    kafkaLibs: join(cache, `kafka-${v.kafka}`, 'libs'),
    pluginPath: join(cache, `debezium-${v.debezium}`, 'plugins'),
    toxiproxyBin: join(cache, `toxiproxy-${v.toxiproxy}`, 'bin', 'toxiproxy-server'),
    jaegerBin: join(cache, `jaeger-${v.jaeger}`, 'bin', 'jaeger'),
    /** A throwaway Go module whose only job is to pin Jaeger's version for the build. */
    jaegerModule: join(cache, `jaeger-${v.jaeger}`, 'module'),
    goDir: join(cache, 'go'),
    pgBin: `/usr/lib/postgresql/${v.postgresMajor}/bin`,
    pgHome,
    pgData: join(pgHome, 'data'),
    pgLogReal: join(pgHome, 'postgres.log'),
    kafkaDir: join(state, 'kafka'),
    connectDir: join(state, 'connect'),
    log4j: join(state, 'log4j2.properties'),
    bootstrapSql: join(cfg.root, 'infra', 'stack', 'sql', 'bootstrap.sql'),
    publicationSql: join(cfg.root, 'infra', 'stack', 'sql', 'publication.sql'),
  };
}
export type StackLayout = ReturnType<typeof stackLayout>;
