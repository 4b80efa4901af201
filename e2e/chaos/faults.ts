import pg from 'pg';
import type { ToxiproxyClient } from '@choreo/stack';
import {
  cdcHealth,
  components,
  connectRest,
  connectorStatus,
  describeRecovery,
  dropSlot,
  killComponent,
  needsRecovery,
  readSlot,
  recoverSlot,
  stopConnector,
  restartComponent,
  SERVICES,
  startComponent,
  type ComponentName,
  type ProxyName,
  type ServiceName,
  type StackConfig,
  type Toxic,
} from '@choreo/stack';
import { waitFor, type E2eHarness } from '@choreo/testing';
import type { MetricsAccumulator } from './metrics-accumulator';

export interface FaultContext {
  readonly h: E2eHarness;
  readonly cfg: StackConfig;
  readonly toxi: ToxiproxyClient;
  readonly metrics: MetricsAccumulator;
  /** Something worth a line in the report (e.g. a connector that had to be restarted). */
  note(message: string): void;
}

export type FaultFamily = 'toxic' | 'process' | 'rebalance' | 'infra';
export type Heal = () => Promise<void>;

/** One fault: `inject` breaks something and returns how to heal it. */
export interface Fault {
  readonly name: string;
  readonly family: FaultFamily;
  readonly description: string;
  inject(ctx: FaultContext): Promise<Heal>;
}

export type ToxicKind = 'latency' | 'timeout' | 'reset_peer' | 'bandwidth' | 'slicer' | 'down';

const TOXICS: Record<Exclude<ToxicKind, 'down'>, { toxics: Toxic[]; what: string }> = {
  latency: {
    what: '800 ms ± 400 ms added each way',
    toxics: [
      { type: 'latency', stream: 'downstream', attributes: { latency: 800, jitter: 400 } },
      { type: 'latency', stream: 'upstream', attributes: { latency: 800, jitter: 400 } },
    ],
  },
  timeout: {
    what: 'black hole: nothing comes back, connections hang until healed, then close',
    toxics: [{ type: 'timeout', stream: 'downstream', attributes: { timeout: 0 } }],
  },
  reset_peer: {
    what: 'every connection reset (TCP RST) as soon as data flows',
    toxics: [{ type: 'reset_peer', stream: 'upstream', attributes: { timeout: 0 } }],
  },
  bandwidth: { what: 'responses throttled to 2 KB/s', toxics: [{ type: 'bandwidth', stream: 'downstream', attributes: { rate: 2 } }] },
  slicer: {
    what: 'responses cut into ~16-byte segments, 200 µs apart, both ways',
    toxics: [
      { type: 'slicer', stream: 'downstream', attributes: { average_size: 16, size_variation: 8, delay: 200 } },
      { type: 'slicer', stream: 'upstream', attributes: { average_size: 16, size_variation: 8, delay: 200 } },
    ],
  },
};

/** A Toxiproxy fault on one link (an app or Connect ↔ Kafka or Postgres); healing removes it. */
export function toxic(link: ProxyName, kind: ToxicKind): Fault {
  const description = kind === 'down' ? 'proxy disabled: connections closed, new ones refused' : TOXICS[kind].what;
  return {
    name: `${link}:${kind}`,
    family: 'toxic',
    description: `${link}: ${description}`,
    async inject({ toxi }) {
      if (kind === 'down') {
        await toxi.setEnabled(link, false);
        return () => toxi.setEnabled(link, true);
      }
      const names: string[] = [];
      for (const t of TOXICS[kind].toxics) names.push(await toxi.addToxic(link, { ...t, name: `chaos_${kind}_${t.stream}` }));
      return async () => {
        for (const name of names) await toxi.removeToxic(link, name);
      };
    },
  };
}

/** SIGKILL a service mid-load; healing starts it again and waits until it is ready (its group rejoined). */
export function killService(service: ServiceName): Fault {
  return {
    name: `kill:${service}`,
    family: 'process',
    description: `${service}-service SIGKILLed, then restarted`,
    async inject({ h, metrics }) {
      await metrics.scrapeNow();
      await h.services.kill(service);
      return async () => void (await h.services.start(service, { readyTimeoutMs: 90_000 }));
    },
  };
}

/** A second instance joins the service's consumer group (a rebalance); healing stops it (it leaves: another). */
export function secondInstance(service: ServiceName): Fault {
  let id = '';
  return {
    name: `rebalance:${service}`,
    family: 'rebalance',
    description: `a second ${service}-service joins its consumer group, then leaves (SIGTERM)`,
    async inject({ h, metrics }) {
      const proc = await h.services.startInstance(service, { readyTimeoutMs: 90_000 });
      id = proc.spec.id;
      return async () => {
        await metrics.scrapeNow();
        await h.services.stop(id);
      };
    },
  };
}

/**
 * A zombie consumer: a second instance joins on direct links, then instance 1's Kafka link is
 * black-holed both ways. The broker stops hearing its heartbeats, expels it after the session
 * timeout and hands its partitions to instance 2, while instance 1 still holds the database
 * and whatever it had fetched. Healing lets instance 1 back in, then instance 2 leaves.
 */
export function zombie(service: ServiceName): Fault {
  const link = `${service}-kafka` as ProxyName;
  return {
    name: `zombie:${service}`,
    family: 'rebalance',
    description: `${service}-service cut from Kafka past its session timeout while a second instance (direct links) takes over`,
    async inject({ h, toxi, metrics }) {
      const second = await h.services.startInstance(service, { links: 'direct', readyTimeoutMs: 90_000 });
      const names: string[] = [];
      for (const stream of ['upstream', 'downstream'] as const) {
        names.push(await toxi.addToxic(link, { name: `chaos_zombie_${stream}`, type: 'timeout', stream, attributes: { timeout: 0 } }));
      }
      return async () => {
        for (const name of names) await toxi.removeToxic(link, name);
        await metrics.scrapeNow();
        await h.services.stop(second.spec.id);
      };
    },
  };
}

/** Restart (graceful or SIGKILL) of a stack component; healing waits until the connectors stream again. */
export function restart(component: Exclude<ComponentName, 'toxiproxy'>, how: 'graceful' | 'kill' = 'graceful'): Fault {
  return {
    name: `${component}:${how === 'kill' ? 'crash' : 'restart'}`,
    family: 'infra',
    description: how === 'kill' ? `${component} SIGKILLed, then started` : `${component} stopped and started`,
    async inject(ctx) {
      if (how === 'kill') {
        await killComponent(component, ctx.cfg);
        await startComponent(component, ctx.cfg);
      } else {
        await restartComponent(component, ctx.cfg);
      }
      return () => connectorsStreaming(ctx);
    },
  };
}

/** pg_terminate_backend of every Debezium walsender: each connector loses its replication stream. */
export function terminateWalsenders(): Fault {
  return {
    name: 'walsender:terminate',
    family: 'infra',
    description: "Debezium's walsender backends terminated (pg_terminate_backend)",
    async inject(ctx) {
      const client = new pg.Client({ connectionString: ctx.cfg.pg.superUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: number }>(
          `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE backend_type = 'walsender'`,
        );
        ctx.note(`terminated ${rows[0]?.n ?? 0} walsender(s)`);
      } finally {
        await client.end();
      }
      return () => connectorsStreaming(ctx);
    },
  };
}

/**
 * An operator drops a service's replication slot (what a failover to a standby does too): the
 * connector is stopped, the slot dropped, the connector resumed, and its task fails on the
 * missing WAL while the service keeps committing to its outbox. Healing is the operator's
 * `stack:recover`: it must see the problem first, then re-publish from the outbox.
 */
export function slotDropped(service: ServiceName): Fault {
  return {
    name: `slot-dropped:${service}`,
    family: 'infra',
    description: `${service}'s replication slot dropped (pg_drop_replication_slot); healed by stack:recover`,
    async inject(ctx) {
      const svc = ctx.cfg.services[service];
      await stopConnector(ctx.cfg, svc);
      await dropSlot(ctx.cfg, svc);
      await connectRest(ctx.cfg, 'PUT', `/connectors/${svc.connector.name}/resume`);
      return () => recoverDetected(ctx, service);
    },
  };
}

/**
 * PostgreSQL invalidates every slot: `max_slot_wal_keep_size` lowered to 32 MB, Connect stopped,
 * and WAL written and checkpointed past it until each slot reports `wal_status = lost`. Healing
 * restores the setting, starts Connect and recovers each service.
 */
export function slotInvalidated(): Fault {
  return {
    name: 'slot-invalidated',
    family: 'infra',
    description: 'max_slot_wal_keep_size = 32MB, Connect stopped, WAL pushed past it: every slot invalidated (wal_status lost)',
    async inject(ctx) {
      const { cfg } = ctx;
      await superQuery(cfg, [`ALTER SYSTEM SET max_slot_wal_keep_size = '32MB'`, 'SELECT pg_reload_conf()']);
      await components(cfg).connect.stop();
      await waitFor(
        async () => {
          await superQuery(cfg, [
            'CREATE TABLE IF NOT EXISTS chaos_wal_filler (id serial, pad text)',
            `INSERT INTO chaos_wal_filler (pad) SELECT repeat(md5(g::text), 32) FROM generate_series(1, 8000) g`,
            'TRUNCATE chaos_wal_filler',
            'SELECT pg_switch_wal()',
            'CHECKPOINT',
          ]);
          const slots = await Promise.all(SERVICES.map((s) => readSlot(cfg, cfg.services[s])));
          return slots.every((slot) => slot?.walStatus === 'lost');
        },
        { timeoutMs: 120_000, intervalMs: 200, description: 'every replication slot invalidated (wal_status lost)' },
      );
      ctx.note('every replication slot reported wal_status = lost');
      return async () => {
        await superQuery(cfg, [
          'DROP TABLE IF EXISTS chaos_wal_filler',
          'ALTER SYSTEM RESET max_slot_wal_keep_size',
          'SELECT pg_reload_conf()',
        ]);
        await components(cfg).connect.start();
        for (const service of SERVICES) await recoverDetected(ctx, service);
      };
    },
  };
}

/** Waits until the stack's health check names the service's slot problem, runs the recovery, and reports it. */
async function recoverDetected(ctx: FaultContext, service: ServiceName): Promise<void> {
  const svc = ctx.cfg.services[service];
  const health = await waitFor(
    async () => {
      const h = await cdcHealth(ctx.cfg, svc);
      return needsRecovery(h) ? h : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 500, description: `the ${service} slot problem to show in the stack's health` },
  );
  ctx.note(`${service}: detected — ${health.problems.join('; ')}`);
  const report = await recoverSlot(ctx.cfg, svc);
  for (const line of describeRecovery(report)) ctx.note(line);
}

async function superQuery(cfg: StackConfig, statements: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: cfg.pg.superUrl });
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Waits until every connector and task is RUNNING and every replication slot active again. A
 * FAILED one is restarted (what an operator's health check would do) and the report says so.
 */
export async function connectorsStreaming(ctx: FaultContext, timeoutMs = 120_000): Promise<void> {
  const { cfg } = ctx;
  await waitFor(
    async () => {
      for (const svc of SERVICES) {
        const name = cfg.services[svc].connector.name;
        const s = await connectorStatus(cfg, name);
        if (!s) return false;
        if ([s.connector, ...s.tasks].some((x) => x.state === 'FAILED')) {
          ctx.note(`connector ${name} FAILED and was restarted: ${(s.tasks.find((t) => t.trace)?.trace ?? '').split('\n')[0]}`);
          await fetch(`${cfg.connect.url}/connectors/${name}/restart?includeTasks=true&onlyFailed=true`, { method: 'POST' });
          return false;
        }
        if (s.connector.state !== 'RUNNING' || s.tasks.length === 0 || s.tasks.some((t) => t.state !== 'RUNNING')) return false;
      }
      const client = new pg.Client({ connectionString: cfg.pg.superUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ inactive: number }>(
          `SELECT count(*)::int AS inactive FROM pg_replication_slots WHERE slot_name = ANY($1) AND NOT active`,
          [SERVICES.map((s) => cfg.services[s].connector.slot)],
        );
        return rows[0]!.inactive === 0;
      } finally {
        await client.end();
      }
    },
    { timeoutMs, intervalMs: 500, description: 'every connector RUNNING and every replication slot active' },
  );
}
