import { afterEach, describe, expect, it, vi } from 'vitest';
import { PartitionRetries } from './partition-retries';

const fakeConsumer = () => {
  const calls: string[] = [];
  return {
    calls,
    pause: (tps: { topic: string; partitions?: number[] }[]) => void calls.push(`pause ${tps[0]!.topic}/${tps[0]!.partitions}`),
    resume: (tps: { topic: string; partitions?: number[] }[]) => void calls.push(`resume ${tps[0]!.topic}/${tps[0]!.partitions}`),
    seek: ({ topic, partition, offset }: { topic: string; partition: number; offset: string }) =>
      void calls.push(`seek ${topic}/${partition}@${offset}`),
  };
};

describe('PartitionRetries', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('when a record is held back, then its partition is paused, rewound to it, and resumed after the delay', () => {
    vi.useFakeTimers();
    const consumer = fakeConsumer();
    new PartitionRetries(consumer).holdBack('t', 2, '41', 500);
    expect(consumer.calls).toEqual(['pause t/2', 'seek t/2@41']);
    vi.advanceTimersByTime(499);
    expect(consumer.calls).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(consumer.calls).toEqual(['pause t/2', 'seek t/2@41', 'resume t/2']);
  });

  it('when cleared (shutdown), then no partition is resumed', () => {
    vi.useFakeTimers();
    const consumer = fakeConsumer();
    const retries = new PartitionRetries(consumer);
    retries.holdBack('t', 0, '1', 100);
    retries.holdBack('t', 1, '1');
    retries.clear();
    vi.advanceTimersByTime(1_000);
    expect(consumer.calls.filter((c) => c.startsWith('resume'))).toEqual([]);
  });

  it('when the same record comes back, then its state carries on; a new offset starts afresh', () => {
    const retries = new PartitionRetries(fakeConsumer());
    const first = retries.stateOf('t', 0, '5');
    first.attempts = 3;
    first.handlerFailures = 2;
    expect(retries.stateOf('t', 0, '5')).toBe(first);
    expect(retries.stateOf('t', 0, '6')).toMatchObject({ attempts: 0, handlerFailures: 0, deadLettered: false });
    retries.settled('t', 0);
    expect(retries.stateOf('t', 0, '6').attempts).toBe(0);
  });
});
