import { describe, expect, it } from 'vitest';
import { renderConnector } from '../src/connectors';
import { parseEnvFile } from '../src/env-file';
import { loadStackConfig } from '../src/stack-config';

describe('parseEnvFile', () => {
  it('when given KEY=VALUE lines with comments, blanks, export and quotes, then it returns the pairs verbatim', () => {
    expect(parseEnvFile('# c\n\nA=1\nexport B = two\nC="x # not a comment"\nD=\'q\'\nE=v # trailing\nF=\n')).toEqual({
      A: '1',
      B: 'two',
      C: 'x # not a comment',
      D: 'q',
      E: 'v',
      F: '',
    });
  });

  it('when a line is not KEY=VALUE, then it fails naming the line', () => {
    expect(() => parseEnvFile('A=1\noops\n')).toThrow(/line 2/);
  });
});

describe('loadStackConfig', () => {
  const cfg = loadStackConfig({});

  it('when read from infra/.env, then each service gets proxied and direct endpoints of its own', () => {
    expect(cfg.services.order).toMatchObject({
      db: 'orders',
      user: 'order_svc',
      httpPort: 3001,
      dbUrl: 'postgres://order_svc:order-local-only@127.0.0.1:25432/orders',
      dbUrlDirect: 'postgres://order_svc:order-local-only@127.0.0.1:5432/orders',
      kafkaBrokers: ['127.0.0.1:29192'],
      proxies: { kafka: 'order-kafka', pg: 'order-pg' },
      connector: { name: 'order-outbox', slot: 'choreo_order', topicPrefix: 'orderdb' },
    });
    expect(cfg.services.payment.kafkaBrokers).toEqual(['127.0.0.1:29392']);
    expect(cfg.kafka.bootstrap).toBe('127.0.0.1:9092');
    expect(cfg.toxiproxy.proxies['connect-pg']).toMatchObject({ listen: '127.0.0.1:25435', upstream: '127.0.0.1:5432' });
    expect(cfg.toxiproxy.proxies['inventory-kafka']).toMatchObject({ listen: '127.0.0.1:29292', upstream: '127.0.0.1:19292' });
    expect(cfg.connect.kafkaBrokers).toEqual(['127.0.0.1:29492']);
    expect(cfg.topics.all).toEqual([
      'order.events',
      'reservation.events',
      'payment.events',
      'product.events',
      'order.events.dlq',
      'reservation.events.dlq',
      'payment.events.dlq',
      'product.events.dlq',
    ]);
    expect(cfg.topics.partitions).toBe(6);
  });

  it('when process.env overrides a key of infra/.env, then the override wins; unrelated variables are ignored', () => {
    const o = loadStackConfig({ PG_PORT: '6543', ORDER_DB_PASS: 'p@ss/word', UNRELATED: 'x' });
    expect(o.pg.port).toBe(6543);
    expect(o.services.order.dbUrlDirect).toBe('postgres://order_svc:p%40ss%2Fword@127.0.0.1:6543/orders');
    expect(o.vars['UNRELATED']).toBeUndefined();
  });

  it('when a value is invalid, then loading fails fast naming the key', () => {
    expect(() => loadStackConfig({ KAFKA_PORT: 'ninety' })).toThrow(/KAFKA_PORT/);
    expect(() => loadStackConfig({ TOXIPROXY_VERSION: '2.12.0' })).toThrow(/TOXIPROXY_VERSION/);
  });

  it('when CHOREO_CACHE_DIR / CHOREO_STATE_DIR are set, then installs and state go there', () => {
    const o = loadStackConfig({ CHOREO_CACHE_DIR: '/c', CHOREO_STATE_DIR: '/s' });
    expect(o.dirs).toEqual({ cache: '/c', state: '/s', logs: '/s/logs', run: '/s/run' });
  });
});

describe('renderConnector', () => {
  it('when a connector file references ${UPPER_CASE}, then it is filled (JSON-escaped) and Debezium ${routedByValue} is left alone', () => {
    const spec = renderConnector('{"name":"n","config":{"a":"${HOST}:${PORT}","r":"${routedByValue}.events"}}', { HOST: 'h"1', PORT: '1' });
    expect(spec).toEqual({ name: 'n', config: { a: 'h"1:1', r: '${routedByValue}.events' } });
  });

  it('when a placeholder is unknown, then rendering fails', () => {
    expect(() => renderConnector('{"a":"${NOPE}"}', {})).toThrow(/NOPE/);
  });
});
