import { describe, expect, it } from 'vitest';
import { AGGREGATE_TYPES, TOPICS } from './topics';
import { CONSUMED_TOPICS, consumersOf, PRODUCED_AGGREGATES, producerOf, SERVICE_NAMES } from './topology';

describe('topology', () => {
  it('when the services are listed, then every aggregate leaves through exactly one outbox', () => {
    for (const aggregate of AGGREGATE_TYPES) {
      expect(
        SERVICE_NAMES.filter((s) => PRODUCED_AGGREGATES[s].includes(aggregate)),
        aggregate,
      ).toHaveLength(1);
    }
    expect(producerOf('product')).toBe('inventory');
  });

  it('when a service subscribes to a topic, then another service produces it and someone reads every topic', () => {
    for (const service of SERVICE_NAMES) {
      for (const topic of CONSUMED_TOPICS[service]) {
        const aggregate = AGGREGATE_TYPES.find((a) => TOPICS[a] === topic)!;
        expect(producerOf(aggregate), `${service} reads its own ${topic}`).not.toBe(service);
      }
    }
    for (const aggregate of AGGREGATE_TYPES) expect(consumersOf(TOPICS[aggregate]).length, aggregate).toBeGreaterThan(0);
    expect(consumersOf(TOPICS.reservation)).toEqual(['order', 'payment']);
  });
});
