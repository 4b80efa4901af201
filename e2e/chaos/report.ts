import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { countByInvariant } from '@choreo/testing';
import type { ScenarioRun } from './chaos-run';

export interface ScenarioReport {
  readonly scenario: string;
  readonly summary: string;
  readonly runId: string;
  readonly faults: ScenarioRun['faults'];
  readonly notes: readonly string[];
  readonly orders: {
    readonly planned: number;
    readonly accepted: number;
    readonly unresolved: number;
    readonly rejected: Readonly<Record<string, number>>;
  };
  readonly mix: Readonly<Record<string, number>>;
  readonly outcomes: { readonly confirmed: number; readonly cancelled: Readonly<Record<string, number>>; readonly open: number };
  readonly cancels: ScenarioRun['load']['cancels'];
  readonly clientRetries: number;
  readonly quiesced: boolean;
  readonly quiesceAfterHealMs: number;
  readonly pendingAtGiveUp: string;
  readonly duplicates: { readonly inbox: number; readonly sequence: number; readonly republishedOnTopics: number };
  readonly parked: { readonly gap: number; readonly handler: number; readonly released: number };
  readonly deadLettered: { readonly metric: number; readonly dlqRecords: number };
  readonly transientRetries: number;
  readonly crashes: readonly string[];
  readonly violations: { readonly total: number; readonly byInvariant: Record<string, number>; readonly first: readonly string[] };
  /** How much evidence the checker looked at. */
  readonly checked: {
    readonly outboxEvents: number;
    readonly inboxRows: number;
    readonly topicEvents: number;
    readonly ledgerRows: number;
  };
  readonly durationMs: number;
}

export function toReport(run: ScenarioRun): ScenarioReport {
  const { snapshot: s, metrics: m, load } = run;
  const cancelled: Record<string, number> = {};
  for (const o of s.orders)
    if (o.status === 'CANCELLED') cancelled[o.cancellationReason ?? '?'] = (cancelled[o.cancellationReason ?? '?'] ?? 0) + 1;
  return {
    scenario: run.scenario.name,
    summary: run.scenario.summary,
    runId: run.runId,
    faults: run.faults,
    notes: run.notes,
    orders: {
      planned: run.scenario.orders,
      accepted: load.client.orders.length,
      unresolved: load.client.unresolved,
      rejected: load.rejected,
    },
    mix: load.byKind,
    outcomes: {
      confirmed: s.orders.filter((o) => o.status === 'CONFIRMED').length,
      cancelled,
      open: s.orders.filter((o) => o.status !== 'CONFIRMED' && o.status !== 'CANCELLED').length,
    },
    cancels: load.cancels,
    clientRetries: load.retries,
    quiesced: run.quiescence.quiet,
    quiesceAfterHealMs: run.quiesceAfterHealMs,
    pendingAtGiveUp: run.quiescence.pending,
    duplicates: {
      inbox: m.total('choreo_messages_duplicates_total', { kind: 'inbox' }),
      sequence: m.total('choreo_messages_duplicates_total', { kind: 'sequence' }),
      republishedOnTopics: s.published.reduce((n, p) => n + p.copies - 1, 0),
    },
    parked: {
      gap: m.total('choreo_events_parked_total', { kind: 'gap' }),
      handler: m.total('choreo_events_parked_total', { kind: 'handler' }),
      released: m.total('choreo_events_released_total'),
    },
    deadLettered: { metric: m.total('choreo_messages_dead_lettered_total'), dlqRecords: s.deadLetters.length },
    transientRetries: m.total('choreo_message_retries_total'),
    crashes: run.crashes,
    violations: {
      total: run.violations.length,
      byInvariant: countByInvariant(run.violations),
      first: run.violations.slice(0, 20).map((v) => `${v.invariant} | ${v.subject} | ${v.message}`),
    },
    checked: { outboxEvents: s.outbox.length, inboxRows: s.inbox.length, topicEvents: s.published.length, ledgerRows: s.ledger.length },
    durationMs: run.durationMs,
  };
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const kv = (o: Readonly<Record<string, number>>) =>
  Object.entries(o)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || '—';

/** The readable form: one block per scenario. */
export function reportTable(r: ScenarioReport): string {
  const rows: [string, string][] = [
    ['faults', r.faults.map((f) => `${f.name} @${secs(f.injectedAtMs)}→${secs(f.healedAtMs)}`).join('; ')],
    [
      'orders',
      `${r.orders.accepted} accepted, ${r.orders.planned} planned (mix: ${kv(r.mix)}); unresolved ${r.orders.unresolved}; rejected ${kv(r.orders.rejected)}`,
    ],
    ['outcomes', `CONFIRMED ${r.outcomes.confirmed}; CANCELLED ${kv(r.outcomes.cancelled)}; open ${r.outcomes.open}`],
    ['customer cancels', `${r.cancels.requested} requested: ${r.cancels.cancelled} cancelled, ${r.cancels.tooLate} too late (409)`],
    [
      'quiesced',
      r.quiesced
        ? `yes, ${secs(r.quiesceAfterHealMs)} after the last heal and the last order`
        : `NO after ${secs(r.quiesceAfterHealMs)}: ${r.pendingAtGiveUp}`,
    ],
    [
      'duplicates absorbed',
      `inbox ${r.duplicates.inbox}, sequence ${r.duplicates.sequence} (re-published copies on topics: ${r.duplicates.republishedOnTopics})`,
    ],
    [
      'parked / released',
      `${r.parked.gap + r.parked.handler} parked (gap ${r.parked.gap}, not-yet ${r.parked.handler}) / ${r.parked.released} released`,
    ],
    ['dead-lettered', `${r.deadLettered.metric} (DLQ records of this run: ${r.deadLettered.dlqRecords})`],
    ['retries', `consumer ${r.transientRetries}, client ${r.clientRetries}`],
    ['crashes', r.crashes.length === 0 ? '0' : r.crashes.join('; ')],
    ['violations', r.violations.total === 0 ? '0' : `${r.violations.total}: ${kv(r.violations.byInvariant)}`],
    [
      'checked',
      `${r.checked.outboxEvents} outbox events, ${r.checked.topicEvents} on topics, ${r.checked.inboxRows} inbox rows, ${r.checked.ledgerRows} ledger rows`,
    ],
    ['duration', secs(r.durationMs)],
    ...r.notes.map((n): [string, string] => ['note', n]),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [`── chaos: ${r.scenario} — ${r.summary}`, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)];
  if (r.violations.total > 0) lines.push(...r.violations.first.map((v) => `    ✗ ${v}`));
  return lines.join('\n');
}

/** One line per scenario, for the end of a run and for docs/chaos.md. */
export function summaryTable(reports: readonly ScenarioReport[]): string {
  const head = ['scenario', 'orders', 'confirmed', 'cancelled (reason)', 'quiesce', 'dup', 'parked/released', 'DLQ', 'violations'];
  const body = reports.map((r) => [
    r.scenario,
    String(r.orders.accepted),
    String(r.outcomes.confirmed),
    Object.entries(r.outcomes.cancelled)
      .map(([k, n]) => `${k.replace('CUSTOMER_REQUEST', 'CUSTOMER').replace('PAYMENT_DECLINED', 'DECLINED')} ${n}`)
      .join(' '),
    r.quiesced ? secs(r.quiesceAfterHealMs) : 'NO',
    String(r.duplicates.inbox + r.duplicates.sequence),
    `${r.parked.gap + r.parked.handler}/${r.parked.released}`,
    String(r.deadLettered.metric),
    String(r.violations.total),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** reports/chaos/<scenario>.json and .txt, plus the run's summary. */
export function writeReport(root: string, r: ScenarioReport): void {
  const dir = join(root, 'reports', 'chaos');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${r.scenario}.json`), `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(join(dir, `${r.scenario}.txt`), `${reportTable(r)}\n`);
}

export function writeSummary(root: string, profile: string, reports: readonly ScenarioReport[], totalMs: number): string {
  const text = `chaos profile ${profile}: ${reports.length} scenario(s) in ${secs(totalMs)}\n\n${summaryTable(reports)}\n`;
  const dir = join(root, 'reports', 'chaos');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `summary-${profile}.md`), text);
  writeFileSync(join(dir, `summary-${profile}.json`), `${JSON.stringify({ profile, totalMs, reports }, null, 2)}\n`);
  return text;
}
