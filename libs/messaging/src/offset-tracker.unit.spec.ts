import { describe, expect, it } from 'vitest';
import { createLogger } from '@choreo/platform';
import { OffsetTracker } from './offset-tracker';

type Commit = { topic: string; partition: number; offset: string }[];

/** Commits and, like kafkajs' COMMIT_OFFSETS event, confirms them — unless it fails, or silently does nothing. */
const fakeConsumer = (fail = () => false, silentlySkip = () => false) => {
  const commits: Commit[] = [];
  const consumer = {
    commits,
    tracker: undefined as OffsetTracker | undefined,
    commitOffsets: async (offsets: Commit) => {
      if (fail()) throw new Error('coordinator not available');
      if (silentlySkip()) return;
      commits.push(offsets);
      consumer.tracker!.confirmed(
        [...new Set(offsets.map((o) => o.topic))].map((topic) => ({
          topic,
          partitions: offsets.filter((o) => o.topic === topic).map(({ partition, offset }) => ({ partition, offset })),
        })),
      );
    },
  };
  return consumer;
};
const logger = createLogger('test', 'silent');
const trackerFor = (consumer: ReturnType<typeof fakeConsumer>) => (consumer.tracker = new OffsetTracker(consumer, logger));

describe('OffsetTracker', () => {
  it('when records settle, then a flush commits the next offset per partition, once', async () => {
    const consumer = fakeConsumer();
    const tracker = trackerFor(consumer);
    tracker.settled('t', 0, '4');
    tracker.settled('t', 0, '5');
    tracker.settled('t', 1, '9');
    await tracker.flush();
    await tracker.flush();
    expect(consumer.commits).toEqual([
      [
        { topic: 't', partition: 0, offset: '6' },
        { topic: 't', partition: 1, offset: '10' },
      ],
    ]);
  });

  it('when an older offset settles after a newer one (a redelivery), then the mark does not move back', async () => {
    const consumer = fakeConsumer();
    const tracker = trackerFor(consumer);
    tracker.settled('t', 0, '10');
    tracker.settled('t', 0, '3');
    await tracker.flush();
    expect(consumer.commits).toEqual([[{ topic: 't', partition: 0, offset: '11' }]]);
  });

  it('when a commit fails, then the offsets stay pending and the next flush commits them', async () => {
    let down = true;
    const consumer = fakeConsumer(() => down);
    const tracker = trackerFor(consumer);
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
    const tracker = trackerFor(consumer);
    tracker.settled('t', 0, '1');
    tracker.settled('t', 1, '1');
    tracker.settled('u', 0, '1');
    tracker.retain({ t: [1] });
    await tracker.flush();
    expect(consumer.commits).toEqual([[{ topic: 't', partition: 1, offset: '2' }]]);
  });

  it('when offsets exceed 2^53, then they are carried exactly', async () => {
    const consumer = fakeConsumer();
    const tracker = trackerFor(consumer);
    tracker.settled('t', 0, '9007199254740993');
    await tracker.flush();
    expect(consumer.commits[0]![0]!.offset).toBe('9007199254740994');
  });

  it('when kafkajs resolves a commit without doing it (runner restarting), then the offsets stay pending', async () => {
    let skip = true;
    const consumer = fakeConsumer(
      () => false,
      () => skip,
    );
    const tracker = trackerFor(consumer);
    tracker.settled('t', 0, '4');
    await tracker.flush();
    expect(tracker.uncommitted()).toEqual([{ topic: 't', partition: 0, offset: '5' }]);
    skip = false;
    await tracker.flush();
    expect(consumer.commits).toEqual([[{ topic: 't', partition: 0, offset: '5' }]]);
  });

  it('when a record settles while its commit is in flight, then its newer mark survives the confirmation of the older one', async () => {
    const consumer = fakeConsumer();
    const tracker = trackerFor(consumer);
    tracker.settled('t', 0, '1');
    tracker.confirmed([{ topic: 't', partitions: [{ partition: 0, offset: '1' }] }]);
    expect(tracker.uncommitted()).toEqual([{ topic: 't', partition: 0, offset: '2' }]);
  });
});
