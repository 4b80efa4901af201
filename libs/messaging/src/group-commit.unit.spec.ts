import { describe, expect, it } from 'vitest';
import { createGroupCommit } from './group-commit';

/** A settle function whose transactions finish when the test says so; records named "bad" fail theirs. */
function transactions() {
  const runs: { records: string[]; finish: () => void }[] = [];
  const settle = (records: readonly string[]) =>
    new Promise<string[]>((resolve, reject) => {
      runs.push({
        records: [...records],
        finish: () => (records.includes('bad') ? reject(new Error('handler failed')) : resolve(records.map((r) => `settled ${r}`))),
      });
    });
  return { runs, settle };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('createGroupCommit', () => {
  it('when a batch is handed in while a transaction is free, then it starts at once, alone', async () => {
    const { runs, settle } = transactions();
    const together = createGroupCommit(settle, { transactions: 1, maxRecords: 10 });
    const a = together(['a1', 'a2']);
    expect(runs.map((r) => r.records)).toEqual([['a1', 'a2']]);
    runs[0]!.finish();
    await expect(a).resolves.toEqual(['settled a1', 'settled a2']);
  });

  it('when batches wait for the transaction in flight, then the next one takes them together and each gets its own settlements', async () => {
    const { runs, settle } = transactions();
    const together = createGroupCommit(settle, { transactions: 1, maxRecords: 10 });
    const a = together(['a1']);
    const b = together(['b1', 'b2']);
    const c = together(['c1']);
    expect(runs).toHaveLength(1);
    runs[0]!.finish();
    await tick();
    expect(runs.map((r) => r.records)).toEqual([['a1'], ['b1', 'b2', 'c1']]);
    runs[1]!.finish();
    await expect(a).resolves.toEqual(['settled a1']);
    await expect(b).resolves.toEqual(['settled b1', 'settled b2']);
    await expect(c).resolves.toEqual(['settled c1']);
  });

  it('when waiting batches hold more than maxRecords, then a transaction takes whole batches up to it, and a larger batch goes alone', async () => {
    const { runs, settle } = transactions();
    const together = createGroupCommit(settle, { transactions: 1, maxRecords: 3 });
    void together(['a1']);
    void together(['b1', 'b2']);
    void together(['c1', 'c2']);
    void together(['d1', 'd2', 'd3', 'd4']);
    for (let i = 0; i < 4; i++) {
      runs[i]!.finish();
      await tick();
    }
    expect(runs.map((r) => r.records)).toEqual([['a1'], ['b1', 'b2'], ['c1', 'c2'], ['d1', 'd2', 'd3', 'd4']]);
  });

  it('when a transaction of several batches fails, then each batch settles again alone and only the one that failed gets the error', async () => {
    const { runs, settle } = transactions();
    const together = createGroupCommit(settle, { transactions: 1, maxRecords: 10 });
    void together(['a1']);
    const b = together(['b1']);
    const c = together(['bad']);
    runs[0]!.finish();
    await tick();
    expect(runs[1]!.records).toEqual(['b1', 'bad']);
    runs[1]!.finish();
    await tick();
    expect(runs[2]!.records).toEqual(['b1']);
    runs[2]!.finish();
    await tick();
    expect(runs[3]!.records).toEqual(['bad']);
    runs[3]!.finish();
    await expect(b).resolves.toEqual(['settled b1']);
    await expect(c).rejects.toThrow('handler failed');
  });

  it('when two transactions may be in flight, then the second batch starts at once and the third waits for either', async () => {
    const { runs, settle } = transactions();
    const together = createGroupCommit(settle, { transactions: 2, maxRecords: 10 });
    void together(['a1']);
    void together(['b1']);
    void together(['c1']);
    void together(['d1']);
    expect(runs.map((r) => r.records)).toEqual([['a1'], ['b1']]);
    runs[1]!.finish();
    await tick();
    expect(runs.map((r) => r.records)).toEqual([['a1'], ['b1'], ['c1', 'd1']]);
  });
});
