import { z } from 'zod';
import { endpoint, identifier, problemCode } from '@choreo/platform';

const SERVICE = z.enum(['order', 'inventory', 'payment']);
const page = (path: `/${string}`, operationId: string, summary: string, contentType: string) =>
  endpoint({
    operationId,
    method: 'get',
    path,
    tag: 'console',
    summary,
    responses: { 200: { description: summary, contentType, body: z.string() } },
  });

export const consolePage = page('/', 'consolePage', 'The saga console (HTML)', 'text/html');
export const consoleScript = page('/assets/console.js', 'consoleScript', "The console's script", 'text/javascript');
export const consoleStyle = page('/assets/console.css', 'consoleStyle', "The console's style sheet", 'text/css');

const UNAVAILABLE = problemCode(502, 'CONSOLE.SERVICE_UNAVAILABLE', 'a service did not answer; the detail names it');

export const getSaga = endpoint({
  operationId: 'getSaga',
  method: 'get',
  path: '/api/sagas/{orderId}',
  tag: 'console',
  admin: true,
  summary: "An order's whole story: order, reservation, payment and ledger, and every consumer's inbox entries, in time order",
  params: z.object({ orderId: identifier() }),
  responses: {
    200: {
      description: 'the story',
      body: z.object({ order: z.object({ orderId: z.string() }).loose(), story: z.array(z.unknown()) }).loose(),
    },
  },
  problems: [problemCode(404, 'CONSOLE.ORDER_NOT_FOUND', 'order-service has no order with this id'), UNAVAILABLE],
});

export const listStuckSagas = endpoint({
  operationId: 'listStuckSagas',
  method: 'get',
  path: '/api/stuck-sagas',
  tag: 'console',
  admin: true,
  summary: 'Open sagas past their deadline or older than SAGA_STUCK_AFTER_MS',
  responses: { 200: { description: 'the stuck sagas', body: z.object({ stuckAfterMs: z.number(), sagas: z.array(z.unknown()) }) } },
  problems: [UNAVAILABLE],
});

export const listParkedEvents = endpoint({
  operationId: 'listParkedEvents',
  method: 'get',
  path: '/api/parked',
  tag: 'console',
  admin: true,
  summary: 'Events parked in any of the three consumers, oldest first',
  responses: { 200: { description: 'the parked events', body: z.object({ parked: z.array(z.object({ service: SERVICE }).loose()) }) } },
  problems: [UNAVAILABLE],
});

export const listDeadLetters = endpoint({
  operationId: 'listDeadLetters',
  method: 'get',
  path: '/api/dead-letters',
  tag: 'console',
  admin: true,
  summary: 'Every record on the .dlq topics, oldest first, with where a redrive would publish it',
  responses: { 200: { description: 'the dead letters', body: z.object({ deadLetters: z.array(z.object({ id: z.string() }).loose()) }) } },
});

const deadLetterId = z.string().regex(/^[a-z]+\.events\.dlq:\d{1,4}:\d{1,19}$/, '<dlq topic>:<partition>:<offset>');

export const redriveDeadLetter = endpoint({
  operationId: 'redriveDeadLetter',
  method: 'post',
  path: '/api/dead-letters/redrive',
  tag: 'console',
  admin: true,
  summary: 'Re-publish one dead-lettered record to its original topic with its original key and headers',
  body: z.object({ id: deadLetterId }).strict(),
  responses: {
    200: {
      description: 'where it was published',
      body: z.object({ id: z.string(), topic: z.string(), partition: z.number(), offset: z.string() }),
    },
  },
  problems: [problemCode(404, 'CONSOLE.DEAD_LETTER_NOT_FOUND', 'no record with this id on its .dlq topic')],
});

export const CONSOLE_ENDPOINTS = [
  consolePage,
  consoleScript,
  consoleStyle,
  getSaga,
  listStuckSagas,
  listParkedEvents,
  listDeadLetters,
  redriveDeadLetter,
] as const;
