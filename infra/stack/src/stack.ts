import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { COMPONENTS, ComponentError, type Component, type ComponentName } from './component';
import { connectComponent } from './connect.component';
import { cdcHealth, describeCdc, type CdcHealth } from './cdc-health';
import { connectorStatus, waitConnectorRunning } from './connectors';
import { connectorsUp } from './slot-recovery';
import { provisionDatabases } from './db-provision';
import { installAll } from './installer';
import { jaegerComponent } from './jaeger.component';
import { kafkaComponent } from './kafka.component';
import { postgresComponent } from './postgres.component';
import { loadStackConfig, SERVICES, type StackConfig } from './stack-config';
import { stackLayout } from './stack-layout';
import { withLock } from './stack-lock';
import { log } from './stack-log';
import { ensureTopics } from './topics';
import { toxiproxyComponent } from './toxiproxy.component';

export function components(cfg: StackConfig): Record<ComponentName, Component> {
  return {
    postgres: postgresComponent(cfg),
    toxiproxy: toxiproxyComponent(cfg),
    kafka: kafkaComponent(cfg),
    connect: connectComponent(cfg),
    jaeger: jaegerComponent(cfg),
  };
}

const lockFile = (cfg: StackConfig) => join(cfg.dirs.run, 'stack.lock');

/**
 * Installs what is missing, starts what is not running (reusing healthy processes), provisions
 * topics, databases, publications and connectors. Idempotent. Start order matters: Toxiproxy
 * before any Kafka client (Connect reaches Kafka and Postgres through it).
 */
export async function stackUp(cfg: StackConfig = loadStackConfig()): Promise<StackConfig> {
  return withLock(lockFile(cfg), async () => {
    const t0 = Date.now();
    const c = components(cfg);
    await step('install', join(cfg.dirs.logs, 'install.log'), () => installAll(cfg));
    await step('postgres', c.postgres.logFile, () => c.postgres.start());
    await step('toxiproxy', c.toxiproxy.logFile, () => c.toxiproxy.start());
    await step('kafka', c.kafka.logFile, () => c.kafka.start());
    await step('topics', c.kafka.logFile, () => ensureTopics(cfg));
    await step('databases', c.postgres.logFile, () => provisionDatabases(cfg));
    await step('connect', c.connect.logFile, () => c.connect.start());
    await step('connectors', c.connect.logFile, () => connectorsUp(cfg));
    await step('jaeger', c.jaeger.logFile, () => c.jaeger.start());
    log(`stack up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return cfg;
  });
}

/** Runs one start-up step; any failure is reported against the component whose log explains it. */
async function step(what: string, logFile: string, fn: () => Promise<void>): Promise<void> {
  const t0 = Date.now();
  try {
    await fn();
  } catch (err) {
    if (err instanceof ComponentError) throw err;
    throw new ComponentError(what, logFile, err instanceof Error ? err.message : String(err));
  }
  log(`✓ ${what} (${Date.now() - t0} ms)`);
}

/** Stops the processes this stack started (pidfiles only). `purge` also deletes all state. */
export async function stackDown(opts: { purge?: boolean } = {}, cfg: StackConfig = loadStackConfig()): Promise<void> {
  await withLock(lockFile(cfg), async () => {
    const c = components(cfg);
    for (const name of ['jaeger', 'connect', 'kafka', 'toxiproxy', 'postgres'] as const) {
      const wasRunning = c[name].pid() !== undefined;
      await c[name].stop();
      if (wasRunning) log(`stopped ${name}`);
    }
    if (opts.purge) {
      const l = stackLayout(cfg);
      rmSync(cfg.dirs.state, { recursive: true, force: true });
      rmSync(l.pgHome, { recursive: true, force: true });
      log(`purged ${cfg.dirs.state} and ${l.pgHome}`);
    }
  });
}

export interface ComponentStatus {
  name: string;
  pid?: number;
  port: number;
  healthy: boolean;
  logFile: string;
  detail?: string;
  /** Connectors only: the slot and task states behind `detail`. */
  cdc?: CdcHealth;
}

export async function stackStatus(cfg: StackConfig = loadStackConfig()): Promise<ComponentStatus[]> {
  const c = components(cfg);
  const out: ComponentStatus[] = [];
  for (const name of COMPONENTS) {
    const comp = c[name];
    out.push({ name, pid: comp.pid(), port: comp.port, healthy: await comp.healthy(), logFile: comp.logFile });
  }
  for (const svc of SERVICES) {
    const endpoints = cfg.services[svc];
    const health = await cdcHealth(cfg, endpoints).catch(() => undefined);
    const states = health?.connector ? [health.connector.state, ...health.connector.tasks.map((t) => t.state)] : [];
    out.push({
      name: `connector ${endpoints.connector.name}`,
      port: cfg.connect.port,
      logFile: c.connect.logFile,
      healthy: states.length > 1 && states.every((x) => x === 'RUNNING') && health!.problems.length === 0,
      detail: health ? describeCdc(health) : 'PostgreSQL or Connect unreachable',
      ...(health ? { cdc: health } : {}),
    });
  }
  return out;
}

/** Chaos helpers: stop / kill / start / restart one component and wait until healthy again. */
export async function stopComponent(name: ComponentName, cfg: StackConfig = loadStackConfig()): Promise<void> {
  await components(cfg)[name].stop();
}

export async function killComponent(name: ComponentName, cfg: StackConfig = loadStackConfig()): Promise<void> {
  await components(cfg)[name].kill();
}

export async function startComponent(name: ComponentName, cfg: StackConfig = loadStackConfig()): Promise<void> {
  await components(cfg)[name].start();
  if (name === 'connect') for (const svc of SERVICES) await waitConnectorRunning(cfg, cfg.services[svc]);
}

export async function restartComponent(name: ComponentName, cfg: StackConfig = loadStackConfig()): Promise<void> {
  await stopComponent(name, cfg);
  await startComponent(name, cfg);
}

/** Restarts failed connectors/tasks (e.g. after Postgres was down longer than Debezium retries) and waits RUNNING. */
export async function ensureConnectorsRunning(cfg: StackConfig = loadStackConfig()): Promise<void> {
  for (const svc of SERVICES) {
    const name = cfg.services[svc].connector.name;
    const s = await connectorStatus(cfg, name);
    if (!s) throw new Error(`connector ${name} is not registered: run stack:up`);
    if ([s.connector, ...s.tasks].some((x) => x.state === 'FAILED')) {
      await fetch(`${cfg.connect.url}/connectors/${name}/restart?includeTasks=true&onlyFailed=true`, { method: 'POST' });
    }
    await waitConnectorRunning(cfg, cfg.services[svc]);
  }
}

export { ComponentError };
