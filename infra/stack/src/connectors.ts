import { readFileSync } from 'node:fs';
import { withPg } from './pg-client';
import { SERVICES, type ServiceEndpoints, type StackConfig } from './stack-config';
import { log } from './stack-log';
import { waitFor } from './wait';

export interface ConnectorSpec {
  name: string;
  config: Record<string, string>;
}

/** Variables a connector file may reference as ${NAME}, beyond the keys of infra/.env. */
export function connectorVars(cfg: StackConfig): Record<string, string> {
  return { ...cfg.vars, CONNECT_PG_HOST: cfg.toxiproxy.clientHost };
}

/**
 * Fills `${UPPER_CASE}` placeholders of infra/debezium/<svc>.json. Lower-case ones such as
 * EventRouter's `${routedByValue}` belong to Debezium and are left alone.
 */
export function renderConnector(text: string, vars: Record<string, string>): ConnectorSpec {
  const filled = text.replace(/\$\{([A-Z][A-Z0-9_]*)\}/g, (_, key: string) => {
    const v = vars[key];
    if (v === undefined) throw new Error(`connector config references unknown variable \${${key}}`);
    return JSON.stringify(v).slice(1, -1);
  });
  return JSON.parse(filled) as ConnectorSpec;
}

export function loadConnector(cfg: StackConfig, svc: ServiceEndpoints): ConnectorSpec {
  return renderConnector(readFileSync(svc.connector.file, 'utf8'), connectorVars(cfg));
}

/** One call to the Connect REST API; the body is parsed when there is one. */
export async function connectRest(cfg: StackConfig, method: string, path: string, body?: unknown) {
  const res = await fetch(`${cfg.connect.url}${path}`, {
    method,
    signal: AbortSignal.timeout(30_000),
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined, text };
}

interface ConnectorStatus {
  connector: { state: string; trace?: string };
  tasks: { id: number; state: string; trace?: string }[];
}

export async function connectorStatus(cfg: StackConfig, name: string): Promise<ConnectorStatus | undefined> {
  const r = await connectRest(cfg, 'GET', `/connectors/${name}/status`);
  return r.status === 200 ? (r.json as ConnectorStatus) : undefined;
}

/** PUT /connectors/<name>/stop and wait until Connect reports it STOPPED (its task gone, its offsets kept). */
export async function stopConnector(cfg: StackConfig, svc: ServiceEndpoints): Promise<void> {
  const name = svc.connector.name;
  const r = await connectRest(cfg, 'PUT', `/connectors/${name}/stop`);
  if (r.status >= 300) throw new Error(`stopping connector ${name} → ${r.status}: ${r.text}`);
  await waitFor(async () => (await connectorStatus(cfg, name))?.connector.state === 'STOPPED', {
    timeoutMs: 60_000,
    intervalMs: 250,
    what: `connector ${name} STOPPED`,
  });
}

/** Rewrites a connector's config before it is registered, e.g. the bench's "Debezium defaults" profile. */
export type ConnectorTweak = (config: Record<string, string>) => Record<string, string>;

/** PUT /connectors/<name>/config when it differs from what Connect has, then wait RUNNING + slot streaming. */
export async function registerConnector(cfg: StackConfig, svc: ServiceEndpoints, tweak: ConnectorTweak = (c) => c): Promise<void> {
  await putConnector(cfg, svc, tweak);
  await waitConnectorRunning(cfg, svc);
}

/** PUT /connectors/<name>/config when it differs from what Connect has; waits for the task to restart. */
export async function putConnector(cfg: StackConfig, svc: ServiceEndpoints, tweak: ConnectorTweak = (c) => c): Promise<void> {
  const loaded = loadConnector(cfg, svc);
  const spec = { ...loaded, config: tweak({ ...loaded.config }) };
  const current = await connectRest(cfg, 'GET', `/connectors/${spec.name}/config`);
  if (current.status === 200 && sameConfig(current.json as Record<string, string>, spec.config)) return;
  const before = await slotPid(cfg, svc);
  const r = await connectRest(cfg, 'PUT', `/connectors/${spec.name}/config`, spec.config);
  if (r.status >= 300) throw new Error(`PUT connector ${spec.name} → ${r.status}: ${r.text}`);
  log(`registered connector ${spec.name}`);
  // A changed config restarts the task; until then its status and the slot's walsender are the old ones.
  if (before !== undefined) {
    await waitFor(async () => (await slotPid(cfg, svc)) !== before, { timeoutMs: 60_000, what: `${spec.name} task restart` }).catch(() =>
      log(`${spec.name}: the task kept its replication connection after the config change`),
    );
  }
}

async function slotPid(cfg: StackConfig, svc: ServiceEndpoints): Promise<number | undefined> {
  return withPg(
    cfg.pg.superUrl,
    async (c) =>
      (
        await c.query<{ pid: number | null }>('SELECT active_pid AS pid FROM pg_replication_slots WHERE slot_name = $1', [
          svc.connector.slot,
        ])
      ).rows[0]?.pid ?? undefined,
  );
}

export async function waitConnectorRunning(cfg: StackConfig, svc: ServiceEndpoints, timeoutMs = 120_000): Promise<void> {
  const name = svc.connector.name;
  await waitFor(
    async () => {
      const s = await connectorStatus(cfg, name);
      if (!s) return false;
      const failed = [s.connector, ...s.tasks].find((x) => x.state === 'FAILED');
      if (failed) throw new Error(`connector ${name} FAILED: ${(failed.trace ?? '').split('\n').slice(0, 5).join('\n')}`);
      return s.connector.state === 'RUNNING' && s.tasks.length > 0 && s.tasks.every((t) => t.state === 'RUNNING');
    },
    { timeoutMs, intervalMs: 500, what: `connector ${name} and its task RUNNING` },
  );
  // RUNNING is reported before the slot streams (and, right after a worker restart, can be a
  // stale status); waiting for an active walsender makes "ready" mean ready. A task that says
  // RUNNING but never streams is restarted once.
  const slot = () => slotActive(cfg, svc);
  const what = `replication slot ${svc.connector.slot} active`;
  try {
    await waitFor(slot, { timeoutMs: Math.min(45_000, timeoutMs), intervalMs: 250, what });
  } catch {
    log(`connector ${name} is RUNNING but its slot is not streaming; restarting its task`);
    await connectRest(cfg, 'POST', `/connectors/${name}/restart?includeTasks=true`);
    await waitFor(slot, { timeoutMs, intervalMs: 250, what });
  }
}

export async function slotActive(cfg: StackConfig, svc: ServiceEndpoints): Promise<boolean> {
  return withPg(cfg.pg.superUrl, async (c) => {
    const r = await c.query<{ active: boolean }>('SELECT active FROM pg_replication_slots WHERE slot_name = $1', [svc.connector.slot]);
    return r.rows[0]?.active === true;
  });
}

export async function registerAllConnectors(cfg: StackConfig, tweak?: ConnectorTweak): Promise<void> {
  for (const name of SERVICES) await registerConnector(cfg, cfg.services[name], tweak);
}

function sameConfig(a: Record<string, string>, b: Record<string, string>): boolean {
  const strip = (o: Record<string, string>) =>
    Object.entries(o)
      .filter(([k]) => k !== 'name')
      .sort(([x], [y]) => x.localeCompare(y));
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}
