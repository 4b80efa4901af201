import type { PgbenchReference } from './pgbench-reference';
import type { Hop, SagaSteps } from './saga-readings';
import type { Percentiles } from './stats';

export interface Machine {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
}

/** One rate of the open-loop ladder. */
export interface StepResult {
  readonly offeredPerSec: number;
  readonly seconds: number;
  readonly orders: number;
  /** Orders POST /orders accepted (201/200); the rest answered an error or not at all. */
  readonly accepted: number;
  readonly terminal: number;
  readonly confirmed: number;
  readonly completedPerSec: number;
  readonly saga: Percentiles;
  readonly steps: SagaSteps;
  readonly post: Percentiles;
  readonly postErrors: number;
  /** Sum over every group and partition, sampled once a second while the load ran. */
  readonly maxLag: number;
  readonly lagGrowing: boolean;
  /** CPU milliseconds per saga, by process (load and drain). */
  readonly cpuMsPerSaga: Readonly<Record<string, number>>;
  readonly hops: readonly Hop[];
  /** How far the load generator fell behind its schedule at worst (ms). */
  readonly generatorLagMs: number;
  readonly sustainable: boolean;
  /** Why not sustainable ('ok' when it is). */
  readonly verdict: string;
}

export interface UnloadedResult {
  readonly saga: Percentiles;
  readonly steps: SagaSteps;
  readonly hops: readonly Hop[];
}

export interface FlashSaleResult {
  readonly units: number;
  readonly orders: number;
  readonly customers: number;
  readonly offeredPerSec: number;
  readonly sold: number;
  readonly confirmed: number;
  readonly open: number;
  readonly cancelled: Readonly<Record<string, number>>;
  readonly completedPerSec: number;
  readonly saga: Percentiles;
  readonly post: Percentiles;
  readonly checks: Readonly<Record<string, boolean>>;
}

export interface BenchReport {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly profile: 'full' | 'quick' | 'smoke';
  readonly machine: Machine;
  readonly links: 'direct' | 'proxied';
  /** `off`, or the share of sagas traced and exported to Jaeger (ADR 0017). Absent in reports from before tracing. */
  readonly tracing?: 'off' | number;
  /** The connector settings that shape CDC latency and batching, as the run had them. */
  readonly connector: Readonly<Record<string, string>>;
  readonly reference?: PgbenchReference;
  readonly transactionsPerSaga: number;
  readonly dbBoundSagasPerSec: number;
  /** The load offered before the measurements, not counted in them. Absent in reports from before the warm-up. */
  readonly warmUp?: { readonly ratePerSec: number; readonly seconds: number; readonly orders: number };
  readonly unloaded?: UnloadedResult;
  readonly ladder: readonly StepResult[];
  readonly maxSustainablePerSec: number | null;
  readonly flashSale?: FlashSaleResult;
  readonly debeziumDefaults?: { readonly settings: string; readonly unloaded?: UnloadedResult; readonly steps: readonly StepResult[] };
  /** The same load again with tracing set the other way (off, or infra/.env's ratio): what tracing costs. */
  readonly tracingCost?: { readonly tracing: 'off' | number; readonly unloaded?: UnloadedResult; readonly steps: readonly StepResult[] };
}
