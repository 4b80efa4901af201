import type { ProxyName, ServiceName } from '@choreo/stack';
import {
  killService,
  restart,
  secondInstance,
  slotDropped,
  slotInvalidated,
  terminateWalsenders,
  toxic,
  zombie,
  type Fault,
  type ToxicKind,
} from './faults';

export type Profile = 'short' | 'full';

/** One fault of a scenario's timeline: injected `atMs` after the load starts, healed `holdMs` later. */
export interface Step {
  readonly atMs: number;
  readonly holdMs: number;
  readonly fault: Fault;
}

export interface Scenario {
  readonly name: string;
  readonly profiles: readonly Profile[];
  readonly summary: string;
  readonly orders: number;
  /** Orders start evenly over this span; the steps fall inside it. */
  readonly spreadMs: number;
  /** Steps run one after the other (each waits for its `atMs`, then for the previous heal). */
  readonly steps: readonly Step[];
}

const LINKS: readonly ProxyName[] = [
  'order-kafka',
  'inventory-kafka',
  'payment-kafka',
  'connect-kafka',
  'order-pg',
  'inventory-pg',
  'payment-pg',
  'connect-pg',
];
const KINDS: readonly ToxicKind[] = ['latency', 'slicer', 'bandwidth', 'reset_peer', 'timeout', 'down'];
const SVCS: readonly ServiceName[] = ['order', 'inventory', 'payment'];

/** Faults one after another from `startMs`, each held `holdMs`, `gapMs` of calm between them. */
function sequence(faults: readonly Fault[], o: { startMs: number; holdMs: number; gapMs: number }): Step[] {
  return faults.map((fault, i) => ({ fault, atMs: o.startMs + i * (o.holdMs + o.gapMs), holdMs: o.holdMs }));
}

/** Every toxic kind, one after another, on one link. */
const linkScenario = (link: ProxyName): Scenario => ({
  name: `toxics-${link}`,
  profiles: ['full'],
  summary: `${KINDS.join(', ')} in turn on ${link}, 5 s each`,
  orders: 200,
  spreadMs: 45_000,
  steps: sequence(
    KINDS.map((k) => toxic(link, k)),
    { startMs: 4_000, holdMs: 5_000, gapMs: 2_000 },
  ),
});

export const SCENARIOS: readonly Scenario[] = [
  // --- short profile: one load run per fault family, several faults each ---
  {
    name: 'short-network',
    profiles: ['short', 'full'],
    summary: 'each toxic kind once, spread over app↔Kafka, app↔Postgres, Connect↔Kafka and Connect↔Postgres links',
    orders: 200,
    spreadMs: 30_000,
    steps: sequence(
      [
        toxic('order-kafka', 'latency'),
        toxic('inventory-pg', 'reset_peer'),
        toxic('payment-kafka', 'timeout'),
        toxic('connect-kafka', 'slicer'),
        toxic('order-pg', 'bandwidth'),
        toxic('connect-pg', 'down'),
      ],
      { startMs: 3_000, holdMs: 3_500, gapMs: 1_000 },
    ),
  },
  {
    name: 'short-processes',
    profiles: ['short', 'full'],
    summary: 'SIGKILL and restart of payment-service; a second inventory-service joins and leaves its group',
    orders: 200,
    spreadMs: 30_000,
    steps: [
      { atMs: 4_000, holdMs: 0, fault: killService('payment') },
      { atMs: 8_000, holdMs: 8_000, fault: secondInstance('inventory') },
    ],
  },
  {
    name: 'short-infra',
    profiles: ['short', 'full'],
    summary:
      "Kafka broker restart, Connect restart (Debezium re-sends), walsender terminated, PostgreSQL restart, order's replication slot dropped and recovered",
    orders: 200,
    spreadMs: 40_000,
    steps: sequence([restart('kafka'), restart('connect'), terminateWalsenders(), restart('postgres'), slotDropped('order')], {
      startMs: 3_000,
      holdMs: 0,
      gapMs: 6_000,
    }),
  },

  // --- full profile: every toxic kind on every link, every service, every component ---
  ...LINKS.map(linkScenario),
  ...SVCS.map((svc): Scenario => ({
    name: `kill-${svc}`,
    profiles: ['full'],
    summary: `SIGKILL of ${svc}-service at 25% of the load, restarted at once; again at 60%`,
    orders: 200,
    spreadMs: 40_000,
    steps: [
      { atMs: 10_000, holdMs: 0, fault: killService(svc) },
      { atMs: 24_000, holdMs: 0, fault: killService(svc) },
    ],
  })),
  ...SVCS.map((svc): Scenario => ({
    name: `rebalance-${svc}`,
    profiles: ['full'],
    summary: `a second ${svc}-service joins its group for 8 s, twice`,
    orders: 200,
    spreadMs: 40_000,
    steps: [
      { atMs: 4_000, holdMs: 8_000, fault: secondInstance(svc) },
      { atMs: 20_000, holdMs: 8_000, fault: secondInstance(svc) },
    ],
  })),
  ...SVCS.map((svc): Scenario => ({
    name: `zombie-${svc}`,
    profiles: ['full'],
    summary: `${svc}-service cut from Kafka for 40 s (past its 30 s session timeout) while a second instance takes its partitions`,
    orders: 200,
    spreadMs: 60_000,
    steps: [{ atMs: 5_000, holdMs: 40_000, fault: zombie(svc) }],
  })),
  ...(['order-pg', 'inventory-pg', 'payment-pg'] as const).map((link): Scenario => ({
    name: `blackhole-${link}-long`,
    profiles: ['full'],
    summary: `${link} black-holed for 40 s: handlers hang in the database past the consumer's session timeout`,
    orders: 200,
    spreadMs: 60_000,
    steps: [{ atMs: 5_000, holdMs: 40_000, fault: toxic(link, 'timeout') }],
  })),
  {
    name: 'kafka-restart',
    profiles: ['full'],
    summary: 'Kafka broker stopped and started mid-load',
    orders: 200,
    spreadMs: 30_000,
    steps: [{ atMs: 8_000, holdMs: 0, fault: restart('kafka') }],
  },
  {
    name: 'kafka-crash',
    profiles: ['full'],
    summary: 'Kafka broker SIGKILLed and started mid-load',
    orders: 200,
    spreadMs: 30_000,
    steps: [{ atMs: 8_000, holdMs: 0, fault: restart('kafka', 'kill') }],
  },
  {
    name: 'connect-restart',
    profiles: ['full'],
    summary: 'Kafka Connect stopped and started twice (Debezium re-sends from its last offset)',
    orders: 200,
    spreadMs: 30_000,
    steps: sequence([restart('connect'), restart('connect')], { startMs: 5_000, holdMs: 0, gapMs: 8_000 }),
  },
  {
    name: 'connect-crash',
    profiles: ['full'],
    summary: 'Kafka Connect SIGKILLed and started (uncommitted source offsets: more re-sends)',
    orders: 200,
    spreadMs: 30_000,
    steps: [{ atMs: 8_000, holdMs: 0, fault: restart('connect', 'kill') }],
  },
  {
    name: 'postgres-restart',
    profiles: ['full'],
    summary: 'PostgreSQL stopped and started mid-load (every service and connector loses its connections)',
    orders: 200,
    spreadMs: 30_000,
    steps: [{ atMs: 8_000, holdMs: 0, fault: restart('postgres') }],
  },
  ...SVCS.map((svc): Scenario => ({
    name: `slot-dropped-${svc}`,
    profiles: ['full'],
    summary: `${svc}'s replication slot dropped for 8 s under load; \`stack:recover\` re-publishes from the outbox`,
    orders: 200,
    spreadMs: 30_000,
    steps: [{ atMs: 6_000, holdMs: 8_000, fault: slotDropped(svc) }],
  })),
  {
    name: 'slot-invalidated',
    profiles: ['full'],
    summary: 'max_slot_wal_keep_size lowered and WAL pushed past it while Connect is down: every slot lost, then recovered',
    orders: 200,
    spreadMs: 40_000,
    steps: [{ atMs: 6_000, holdMs: 4_000, fault: slotInvalidated() }],
  },
  {
    name: 'walsender-terminate',
    profiles: ['full'],
    summary: "Debezium's walsenders terminated three times mid-load",
    orders: 200,
    spreadMs: 30_000,
    steps: sequence([terminateWalsenders(), terminateWalsenders(), terminateWalsenders()], { startMs: 4_000, holdMs: 0, gapMs: 6_000 }),
  },
];

/** The scenarios of a profile, or the ones named (comma-separated, any profile) by CHOREO_CHAOS_SCENARIO. */
export function selectScenarios(profile: string | undefined, names: string | undefined): Scenario[] {
  if (names) {
    const wanted = names
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean);
    const unknown = wanted.filter((n) => !SCENARIOS.some((s) => s.name === n));
    if (unknown.length > 0)
      throw new Error(`unknown chaos scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
    return SCENARIOS.filter((s) => wanted.includes(s.name));
  }
  const p = (profile ?? 'short') as Profile;
  if (p !== 'short' && p !== 'full') throw new Error(`CHOREO_CHAOS_PROFILE=${profile}: expected short or full`);
  return SCENARIOS.filter((s) => s.profiles.includes(p));
}
