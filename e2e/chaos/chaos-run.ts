import { randomBytes } from 'node:crypto';
import { ToxiproxyClient, SERVICES, type StackConfig } from '@choreo/stack';
import { checkInvariants, type E2eHarness, type GroupLag, type SystemSnapshot, type Violation } from '@choreo/testing';
import { collectSnapshot, type DbReader, type RunScope } from '../invariants/collect-snapshot';
import { consumerLag } from '../invariants/consumer-lag';
import { waitForQuiescence, type Quiescence } from '../invariants/quiescence';
import { TopicLog } from '../invariants/topic-log';
import { connectorsStreaming, type FaultContext } from './faults';
import { runLoad, type LoadResult } from './load-generator';
import { seedWorld } from './load-world';
import { MetricsAccumulator } from './metrics-accumulator';
import type { Scenario } from './scenarios';

export interface AppliedFault {
  readonly name: string;
  readonly family: string;
  readonly description: string;
  /** ms after the load started. */
  readonly injectedAtMs: number;
  readonly healedAtMs: number;
}

export interface ScenarioRun {
  readonly scenario: Scenario;
  readonly runId: string;
  readonly faults: readonly AppliedFault[];
  readonly notes: readonly string[];
  readonly load: LoadResult;
  readonly quiescence: Quiescence;
  /** From the last heal (or the end of the load, if later) to quiescence. */
  readonly quiesceAfterHealMs: number;
  readonly snapshot: SystemSnapshot;
  readonly violations: readonly Violation[];
  readonly metrics: MetricsAccumulator;
  /** Service processes that exited without the runner stopping or killing them (a crash is a bug). */
  readonly crashes: readonly string[];
  readonly durationMs: number;
}

export interface RunOptions {
  readonly cfg: StackConfig;
  /** Upper bound of the wait for quiescence once the load is done and every fault healed. */
  readonly quiesceTimeoutMs: number;
  readonly seed?: number;
  /** Grows with every unexpected service exit (the launcher's onUnexpectedExit); the run reports its own. */
  readonly crashLog?: readonly string[];
}

/** Puts the stack back to its resting shape: no toxic, every proxy up, connectors streaming, one instance of each service. */
export async function baseline(h: E2eHarness, ctx: FaultContext): Promise<void> {
  await ctx.toxi.reset();
  for (const proc of h.services.running()) if (!SERVICES.some((s) => proc.spec.id === `${s}-service`)) await h.services.stop(proc.spec.id);
  for (const s of SERVICES) if (!h.services.get(s)?.running) await h.services.start(s, { readyTimeoutMs: 90_000 });
  await connectorsStreaming(ctx);
}

/**
 * One scenario: seed a world of its own, start the load, run the fault timeline inside it
 * (each fault bounded, then healed), wait (bounded) for quiescence, collect the snapshot and
 * check every invariant. Throws only when the stack cannot be driven (a heal that fails).
 */
export async function runScenario(h: E2eHarness, scenario: Scenario, opts: RunOptions): Promise<ScenarioRun> {
  const started = Date.now();
  const crashesBefore = opts.crashLog?.length ?? 0;
  const runId = `chaos-${scenario.name}-${randomBytes(3).toString('hex')}`;
  const notes: string[] = [];
  const metrics = new MetricsAccumulator(() => h.services.running().map((p) => ({ id: `${p.spec.id}#${p.pid}`, url: p.url })));
  const ctx: FaultContext = { h, cfg: opts.cfg, toxi: ToxiproxyClient.fromConfig(opts.cfg), metrics, note: (m) => notes.push(m) };
  await baseline(h, ctx);

  const log = await TopicLog.open();
  try {
    await metrics.start();
    const world = await seedWorld(h, runId);
    const loadStarted = Date.now();
    let timelineDoneAt: number | undefined;
    const loadRun = runLoad(h, world, {
      orders: scenario.orders,
      spreadMs: scenario.spreadMs,
      concurrency: 24,
      seed: opts.seed ?? hash(scenario.name),
      requestDeadlineMs: 150_000,
      // A timeline that outlasts the planned orders keeps the load going until 3 s after its last heal.
      keepGoing: () => timelineDoneAt === undefined || Date.now() < timelineDoneAt + 3_000,
    });
    const faults: AppliedFault[] = [];
    try {
      for (const step of scenario.steps) {
        const wait = loadStarted + step.atMs - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const injectedAt = Date.now();
        const heal = await step.fault.inject(ctx);
        if (step.holdMs > 0) await new Promise((resolve) => setTimeout(resolve, step.holdMs)); // the fault itself, not a wait for an outcome
        await heal();
        faults.push({
          name: step.fault.name,
          family: step.fault.family,
          description: step.fault.description,
          injectedAtMs: injectedAt - loadStarted,
          healedAtMs: Date.now() - loadStarted,
        });
      }
    } finally {
      timelineDoneAt = Date.now();
      await ctx.toxi.reset();
    }
    const load = await loadRun;
    const calmFrom = Math.max(load.finishedAt, loadStarted + (faults.at(-1)?.healedAtMs ?? 0));

    const scope: RunScope = { customers: Object.keys(world.funding), skus: Object.keys(world.stocked) };
    const dbs: DbReader = { query: (db, sql, params) => h.dbs.query(db, sql, params ?? []) };
    const lag = (): Promise<GroupLag[]> => consumerLag();
    const quiescence = await waitForQuiescence({ dbs, scope, client: load.client, log, lag, timeoutMs: opts.quiesceTimeoutMs });
    const quiesceAfterHealMs = Date.now() - calmFrom;
    await metrics.stop();
    await log.catchUp().catch((error: Error) => notes.push(`topic log did not catch up: ${error.message}`));
    const snapshot = await collectSnapshot({ dbs, client: load.client, scope, records: async () => log.all(), lag });
    return {
      scenario,
      runId,
      faults,
      notes,
      load,
      quiescence,
      quiesceAfterHealMs,
      snapshot,
      violations: checkInvariants(snapshot),
      metrics,
      crashes: opts.crashLog?.slice(crashesBefore) ?? [],
      durationMs: Date.now() - started,
    };
  } finally {
    await metrics.stop().catch(() => undefined);
    await log.close();
  }
}

const hash = (s: string) => [...s].reduce((a, c) => (Math.imul(a, 31) + c.charCodeAt(0)) >>> 0, 7);
