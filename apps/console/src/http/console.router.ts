import { readFileSync } from 'node:fs';
import type { Response } from 'express';
import { adminRoute, notFound, route, type Route } from '@choreo/platform';
import type { DeadLetters } from '../dead-letters';
import { readSagaStory } from '../saga-story';
import type { ServiceKey, ServicesClient } from '../services.client';
import * as api from './console.endpoints';

export interface ConsoleRouterDeps {
  readonly services: ServicesClient;
  readonly deadLetters: DeadLetters;
  readonly adminToken: string;
  readonly stuckAfterMs: number;
}

/** The page may load its own script and style and call its own API; nothing else. */
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const asset = (name: string) => readFileSync(new URL(`../page/${name}`, import.meta.url), 'utf8');
const SERVICES: readonly ServiceKey[] = ['order', 'inventory', 'payment'];

interface OpenSaga {
  readonly orderId: string;
  readonly ageSeconds: number;
  readonly pastDeadline: boolean;
}
interface Parked {
  readonly parkedAt: string;
}

export function consoleRouter({ services, deadLetters, adminToken, stuckAfterMs }: ConsoleRouterDeps): Route[] {
  const files = { html: asset('console.html'), js: asset('console.js'), css: asset('console.css') };
  const serve = (type: string, body: string) => (_input: unknown, res: Response) => {
    res.set('Content-Security-Policy', PAGE_CSP).type(type).send(body);
  };
  return [
    route(api.consolePage, serve('text/html', files.html)),
    route(api.consoleScript, serve('text/javascript', files.js)),
    route(api.consoleStyle, serve('text/css', files.css)),

    adminRoute(adminToken, api.getSaga, async ({ params }, res) => {
      const story = await readSagaStory(services, params.orderId);
      if (!story) throw notFound('CONSOLE.ORDER_NOT_FOUND', `order-service has no order ${params.orderId}`);
      res.json(story);
    }),

    adminRoute(adminToken, api.listStuckSagas, async (_input, res) => {
      const open = (await services.get<{ sagas: OpenSaga[] }>('order', '/admin/open-sagas'))?.sagas ?? [];
      res.json({ stuckAfterMs, sagas: open.filter((s) => s.pastDeadline || s.ageSeconds * 1000 >= stuckAfterMs) });
    }),

    adminRoute(adminToken, api.listParkedEvents, async (_input, res) => {
      const lists = await Promise.all(SERVICES.map((s) => services.get<{ parked: Parked[] }>(s, '/admin/parked')));
      const parked = SERVICES.flatMap((service, i) => (lists[i]?.parked ?? []).map((p) => ({ service, ...p })));
      res.json({ parked: parked.sort((a, b) => a.parkedAt.localeCompare(b.parkedAt)) });
    }),

    adminRoute(adminToken, api.listDeadLetters, async (_input, res) => {
      res.json({ deadLetters: await deadLetters.list() });
    }),

    adminRoute(adminToken, api.redriveDeadLetter, async ({ body }, res) => {
      const dead = await deadLetters.find(body.id);
      if (!dead) throw notFound('CONSOLE.DEAD_LETTER_NOT_FOUND', `no record ${body.id} on its .dlq topic`);
      res.json({ id: dead.id, ...(await deadLetters.redrive(dead)) });
    }),
  ];
}
