import { sagaTiming, type OrderView } from '@choreo/testing';

export interface DemoRow {
  readonly scenario: string;
  readonly order: OrderView;
  readonly payment: string;
  readonly balance: string;
  readonly stock: string;
}

const pad = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));

/** One line per saga, then its timeline (offsets from PLACED, as order-service stamped them). */
export function renderSagaTable(rows: readonly DemoRow[]): string {
  const cols = [
    ['scenario', 24],
    ['order', 10],
    ['outcome', 28],
    ['total', 9],
    ['took', 8],
    ['payment', 22],
    ['balance', 18],
    ['stock a/r/s', 12],
  ] as const;
  const header = cols.map(([name, w]) => pad(name, w)).join(' ');
  const lines = [header, '─'.repeat(header.length)];
  for (const row of rows) {
    const t = sagaTiming(row.order);
    const cells = [
      row.scenario,
      row.order.orderId.slice(0, 8),
      t.outcome,
      `${(row.order.totalCents / 100).toFixed(2)}`,
      `${t.totalMs} ms`,
      row.payment,
      row.balance,
      row.stock,
    ];
    lines.push(cols.map(([, w], i) => pad(cells[i]!, w)).join(' '));
    const steps = row.order.timeline.map(
      (e) =>
        `${e.step}${e.reason ? `(${e.reason})` : ''} ${e.step === 'PLACED' ? e.at.slice(11, 23) : `+${Date.parse(e.at) - Date.parse(row.order.timeline[0]!.at)} ms`}`,
    );
    lines.push(`${' '.repeat(2)}timeline: ${steps.join(' → ')}`);
  }
  return lines.join('\n');
}
