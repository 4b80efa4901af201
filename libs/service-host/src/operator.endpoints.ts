import { z } from 'zod';
import { endpoint, identifier } from '@choreo/platform';

const outcome = z.enum(['applied', 'ignored', 'parked', 'dead_lettered']);
const offset = z.string().regex(/^\d+$/);

const inboxEntry = z.object({
  eventId: z.uuid(),
  eventType: z.string(),
  aggregateType: z.string(),
  aggregateId: z.string(),
  aggregateSeq: z.number().int().positive(),
  outcome,
  reason: z.string().nullable(),
  topic: z.string(),
  partition: z.number().int().nonnegative(),
  offset,
  receivedAt: z.iso.datetime(),
  settledAt: z.iso.datetime().nullable(),
});

const parkedEntry = z.object({
  eventId: z.uuid(),
  sagaId: z.string(),
  eventType: z.string(),
  reason: z.string(),
  topic: z.string(),
  partition: z.number().int().nonnegative(),
  offset,
  parkedAt: z.iso.datetime(),
});

/** Served by every service (runService): what its consumer recorded, for the saga console and operators. */
export const getSagaInbox = endpoint({
  operationId: 'getSagaInbox',
  method: 'get',
  path: '/admin/sagas/{sagaId}/inbox',
  tag: 'operations',
  admin: true,
  summary: "This service's inbox entries for one saga (applied, ignored with reason, parked, dead-lettered), in arrival order",
  params: z.object({ sagaId: identifier() }),
  responses: {
    200: {
      description: 'the entries; empty when the consumer has seen none',
      body: z.object({ consumer: z.string(), entries: z.array(inboxEntry) }),
    },
  },
});

export const listParked = endpoint({
  operationId: 'listParked',
  method: 'get',
  path: '/admin/parked',
  tag: 'operations',
  admin: true,
  summary: 'Events this service holds parked right now, oldest first (at most 500)',
  responses: { 200: { description: 'the parked events', body: z.object({ consumer: z.string(), parked: z.array(parkedEntry) }) } },
});

export const OPERATOR_ENDPOINTS = [getSagaInbox, listParked] as const;
