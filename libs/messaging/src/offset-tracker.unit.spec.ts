import { describe, expect, it } from 'vitest';
import { createLogger } from '@choreo/platform';
import { OffsetTracker } from './offset-tracker';

type Commit = { topic: string; partition: number; offset: string }[];

const fakeConsumer = (fail = () => false) => {
  const commits: Commit[] = [];
  return {
    commits,
    commitOffsets: async (offsets: Commit) => {
      if (fail()) throw new Error('coordinator not available');
      commits.push(offsets);
    },
  };
};
const logger = createLogger('test', 'silent');

describe('OffsetTracker', () => {
  it('when records settle, then a flush commits the next offset per partition, once', async () => {
    const consumer = fakeConsumer();
    const tracker = new OffsetTracker(consumer, logger);
    tracker.settled('t', 0, '4');
    tracker.settled('t', 0, '5');
    tracker.settled('t', 1, '9');
    await tracker.flush();
    await tracker.flush();
    expect(consumer.commits).toEqual([[{ topic: 't', partition: 0, offset: '6' }, { topic: 't', partition: 1, offset: '10' }]]);
  });

  it('when an older offset settles after a newer one (a redelivery), then the mark does not move back', async () => {
    const consumer = fakeConsumer();
    const tracker = new OffsetTracker(consumer, logger);
    tracker.settled('t', 0, '10');
    tracker.settled('t', 0, '3');
    await tracker.flush();
    expect(consumer.commits).toEqual([[{ topic: 't', partition: 0, offset: '11' }]]);
  });

  it('when a commit fails, then the offsets stay pending and the next flush commits them', async () => {
    let down = true;
    const consumer = fakeConsumer(() => down);
    const tracker = new OffsetTracker(consumer, logger);
    tracker.settled('t', 2, '7');
    await expect(tracker.flush()).resolves.toBeUndefined();
    expect(tracker.uncommitted()).toHaveLength(1);
    down = false;
    await tracker.flush();
    expect(consumer.commits).toEqual([[{ topic: 't', partition: 2, offset: '8' }]]);
    expect(tracker.uncommitted()).toEqual([]);
  });

  it('when partitions are revoked, then their pending offsets are forgotten', async () => {
    const consumer = fakeConsumer();
    const tracker = new OffsetTracker(consumer, logger);
    tracker.settled('t', 0, '1');
    tracker.settled('t', 1, '1');
    tracker.settled('u', 0, '1');
    tracker.retain({ t: [1] });
    await tracker.flush();
    expect(consumer.commits).toEqual([[{ topic: 't', partition: 1, offset: '2' }]]);
  });

  it('when offsets exceed 2^53, then they are carried exactly', async () => {
    const consumer = fakeConsumer();
    const tracker = new OffsetTracker(consumer, logger);
    tracker.settled('t', 0, '9007199254740993');
    await tracker.flush();
    expect(consumer.commits[0]![0]!.offset).toBe('9007199254740994');
  });
});
