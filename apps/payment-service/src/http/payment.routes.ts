import type { Pool, Route } from '@choreo/platform';
import { accountsRouter } from './accounts.router';
import { paymentsRouter } from './payments.router';

/** Everything payment-service serves besides health and metrics (docs/architecture.md §6). */
export const paymentRoutes = ({ pool, adminToken }: { readonly pool: Pool; readonly adminToken: string }): Route[] => [
  ...accountsRouter({ pool, adminToken }),
  ...paymentsRouter({ pool, adminToken }),
];
