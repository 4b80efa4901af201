/** The invariants of docs/architecture.md §5, by number. */
export const INVARIANTS = {
  termination: '1 termination',
  stock: '2 stock conservation',
  money: '3 money conservation',
  agreement: '4 agreement',
  lostEvent: '5 no lost event',
  rolledBack: '6 no effect from a rolled-back transaction',
} as const;

export type InvariantKey = keyof typeof INVARIANTS;

export interface Violation {
  readonly invariant: InvariantKey;
  /** What it is about: `order <id>`, `sku <sku>`, `customer <id>`, `event <id>`, `group <name>`. */
  readonly subject: string;
  readonly message: string;
}

/** Collects violations of one invariant. */
export class Findings {
  readonly list: Violation[] = [];
  constructor(private readonly invariant: InvariantKey) {}

  add(subject: string, message: string): void {
    this.list.push({ invariant: this.invariant, subject, message });
  }

  /** Records a violation unless `holds`; returns `holds`. */
  expect(holds: boolean, subject: string, message: () => string): boolean {
    if (!holds) this.add(subject, message());
    return holds;
  }
}

export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

export const sum = (values: readonly number[]) => values.reduce((total, v) => total + v, 0);
