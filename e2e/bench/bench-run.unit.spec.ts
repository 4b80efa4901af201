import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEBEZIUM_DEFAULTS } from './bench-run';

describe('bench settings', () => {
  it("Debezium's defaults drop our latency and batching settings and keep the connection", () => {
    const ours = JSON.parse(readFileSync(join(__dirname, '../../infra/debezium/order.json'), 'utf8')) as { config: Record<string, string> };
    const config: Record<string, string> = { ...ours.config, 'producer.override.bootstrap.servers': 'kafka:9092' };
    const defaults = DEBEZIUM_DEFAULTS(config);
    for (const key of ['poll.interval.ms', 'max.batch.size']) {
      expect(config).toHaveProperty([key]);
      expect(defaults).not.toHaveProperty([key]);
    }
    expect(defaults['producer.override.linger.ms']).toBe('5'); // Kafka 4's default; our worker sets 0
    expect(defaults['producer.override.bootstrap.servers']).toBe('kafka:9092');
    expect(defaults['database.hostname']).toBe(config['database.hostname']);
  });
});
