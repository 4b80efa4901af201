import { join } from 'node:path';
import {
  assertNoOtherInstances,
  loadStackConfig,
  ServiceLauncher,
  type ExitInfo,
  type LaunchOptions,
  type ServiceName,
  type StackConfig,
} from '@choreo/stack';
import { parsePrometheusText, sumSamples, type Sample } from '../metrics';
import { EventInjector } from './event-injector';
import { EventTap } from './event-tap';
import { Fixtures } from './fixtures';
import { LatencyLog } from './latency-log';
import { waitForSagaQuiet, type QuietReport } from './saga-quiescence';
import { SagaWaiters } from './saga-waiters';
import { InventoryApi, OrderApi, PaymentApi } from './service-apis';
import { ServiceDbs } from './service-dbs';

export interface E2eHarnessOptions {
  /** Start the three services (default true). False: talk to whatever already runs on the ports. */
  readonly startServices?: boolean;
  /** Options every start of a service gets, e.g. `{ order: { env: { SAGA_TIMEOUT_MS: '4000' } } }`. */
  readonly services?: Partial<Record<ServiceName, LaunchOptions>>;
  /** Open an EventTap on every event and DLQ topic (default true). */
  readonly tap?: boolean;
  readonly logDir?: string;
  /** JSON lines of every recorded saga duration; default `reports/e2e/saga-latency.jsonl`. */
  readonly latencyFile?: string;
  readonly cfg?: StackConfig;
}

/**
 * Everything an end-to-end or chaos test needs on the real stack, in one object: the services
 * (as child processes, restartable), typed API clients, saga waiters, fixtures, read access to
 * each service database, an event tap and an injector on the real topics, and a latency log.
 * The stack itself must be up (the vitest globalSetup does that).
 */
export class E2eHarness {
  readonly orders: OrderApi;
  readonly inventory: InventoryApi;
  readonly payments: PaymentApi;
  readonly sagas: SagaWaiters;
  readonly fixtures: Fixtures;
  readonly dbs: ServiceDbs;
  readonly injector = new EventInjector();
  readonly latency: LatencyLog;
  private tapInstance: EventTap | undefined;

  private constructor(
    readonly cfg: StackConfig,
    readonly services: ServiceLauncher,
    opts: E2eHarnessOptions,
  ) {
    this.orders = new OrderApi(() => services.url('order'));
    this.inventory = new InventoryApi(() => services.url('inventory'), cfg.adminToken);
    this.payments = new PaymentApi(() => services.url('payment'), cfg.adminToken);
    this.dbs = new ServiceDbs(cfg);
    this.sagas = new SagaWaiters(this.orders, this.inventory, this.payments, this.dbs);
    this.fixtures = new Fixtures(this.orders, this.inventory, this.payments, this.dbs);
    this.latency = new LatencyLog(opts.latencyFile ?? join(cfg.root, 'reports', 'e2e', 'saga-latency.jsonl'));
  }

  static async start(opts: E2eHarnessOptions = {}): Promise<E2eHarness> {
    const cfg = opts.cfg ?? loadStackConfig();
    const services = new ServiceLauncher({ cfg, logDir: opts.logDir, defaults: opts.services });
    const h = new E2eHarness(cfg, services, opts);
    try {
      const [tap] = await Promise.all([
        opts.tap === false ? undefined : EventTap.open(),
        opts.startServices === false
          ? undefined
          : assertNoOtherInstances(cfg).then(
              () => services.startAll(),
              (error: Error) => {
                throw new Error(
                  `${error.message}\nStop them first: these tests stop, kill and restart services and must own every consumer.`,
                );
              },
            ),
      ]);
      h.tapInstance = tap;
    } catch (error) {
      await h.close();
      throw error;
    }
    return h;
  }

  get tap(): EventTap {
    if (!this.tapInstance) throw new Error('this harness was started with tap: false');
    return this.tapInstance;
  }

  /** Samples from a running instance's GET /metrics. */
  async metrics(target: ServiceName | string): Promise<Sample[]> {
    const proc = this.services.get(target);
    const url = proc ? proc.url : this.services.url(target as ServiceName);
    const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(2_000) });
    if (!res.ok) throw new Error(`GET ${url}/metrics → ${res.status}`);
    return parsePrometheusText(await res.text());
  }

  async metric(target: ServiceName | string, name: string, labels: Readonly<Record<string, string>> = {}): Promise<number> {
    return sumSamples(await this.metrics(target), name, labels);
  }

  /** See `waitForSagaQuiet`: everything the saga committed was delivered and settled by `services`. */
  waitForSagaQuiet(sagaId: string, opts: { services?: readonly ServiceName[]; timeoutMs?: number } = {}): Promise<QuietReport> {
    return waitForSagaQuiet(this.tap, this.dbs, sagaId, opts);
  }

  waitForOrderStatus: SagaWaiters['waitForOrderStatus'] = (...args) => this.sagas.waitForOrderStatus(...args);
  waitForTerminal: SagaWaiters['waitForTerminal'] = (...args) => this.sagas.waitForTerminal(...args);

  /** Stops the services it started (gracefully) and closes every client; returns each service's exit. */
  async close(): Promise<Record<string, ExitInfo>> {
    const exits = await this.services.stopAll();
    await Promise.allSettled([this.tapInstance?.close(), this.injector.close(), this.dbs.close()]);
    return exits;
  }
}
