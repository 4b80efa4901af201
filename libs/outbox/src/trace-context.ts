import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A W3C traceparent for a new span: continues the parent's trace when there is one. */
export function childTraceparent(parent?: string | null): string {
  const match = parent ? TRACEPARENT.exec(parent) : null;
  const traceId = match?.[1] ?? randomBytes(16).toString('hex');
  const flags = match?.[3] ?? '01';
  return `00-${traceId}-${randomBytes(8).toString('hex')}-${flags}`;
}
