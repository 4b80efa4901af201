import { inboxOfSaga, parkedEvents } from '@choreo/messaging';
import { adminRoute, type Pool, type Route } from '@choreo/platform';
import { getSagaInbox, listParked } from './operator.endpoints';

export interface OperatorRoutesDeps {
  readonly pool: Pool;
  /** The consumer's name: its inbox key. */
  readonly consumer: string;
  readonly adminToken: string;
}

/** Read-only admin routes every service serves over its own consumer tables. */
export const operatorRoutes = ({ pool, consumer, adminToken }: OperatorRoutesDeps): Route[] => [
  adminRoute(adminToken, getSagaInbox, async ({ params }, res) => {
    res.json({ consumer, entries: await inboxOfSaga(pool, consumer, params.sagaId) });
  }),
  adminRoute(adminToken, listParked, async (_input, res) => {
    res.json({ consumer, parked: await parkedEvents(pool, consumer) });
  }),
];
