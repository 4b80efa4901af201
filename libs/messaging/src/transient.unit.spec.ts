import { describe, expect, it } from 'vitest';
import { isTransient } from './transient';

const err = (props: Record<string, unknown>, message = 'boom') => Object.assign(new Error(message), props);

describe('isTransient', () => {
  it.each([
    ['a serialization failure', err({ code: '40001' })],
    ['a deadlock', err({ code: '40P01' })],
    ['too many connections', err({ code: '53300' })],
    ['a lock not available', err({ code: '55P03' })],
    ['an admin shutdown', err({ code: '57P01' })],
    ['a connection exception class 08', err({ code: '08006' })],
    ['a refused socket', err({ code: 'ECONNREFUSED' })],
    ['a reset socket', err({ code: 'ECONNRESET' })],
    ['pg losing its connection', new Error('Connection terminated unexpectedly')],
    ['a pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['a pg query_timeout', new Error('Query read timeout')],
    ['a kafkajs retriable error', err({ retriable: true, name: 'KafkaJSProtocolError' })],
    ['kafkajs giving up on retries', err({ name: 'KafkaJSNumberOfRetriesExceeded', retriable: false })],
    ['a kafkajs connection error', err({ name: 'KafkaJSConnectionError' })],
    ['a refused connect wrapped in an AggregateError', new AggregateError([err({ code: 'ECONNREFUSED' }), err({ code: 'ECONNREFUSED' })])],
    ['a transient cause', new Error('handler failed', { cause: err({ code: '40001' }) })],
  ])('when the error is %s, then it is transient', (_name, error) => {
    expect(isTransient(error)).toBe(true);
  });

  it.each([
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a unique violation', err({ code: '23505' })],
    ['a syntax error', err({ code: '42601' })],
    ['an aborted transaction', err({ code: '25P02' })],
    ['a non-retriable kafkajs error', err({ name: 'KafkaJSNonRetriableError', retriable: false })],
    ['a string', 'ECONNREFUSED'],
    ['null', null],
    ['undefined', undefined],
  ])('when the error is %s, then it is not transient', (_name, error) => {
    expect(isTransient(error)).toBe(false);
  });

  it('when causes form a cycle, then it still answers', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(isTransient(a)).toBe(false);
  });
});
