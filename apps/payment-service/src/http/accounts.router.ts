import { adminRoute, notFound, route, type Pool, type Route } from '@choreo/platform';
import { setAccountBalance } from '../application/account.use-cases';
import { findAccount } from '../persistence/account.repository';
import * as api from './payment.endpoints';

export interface AccountsRouterDeps {
  readonly pool: Pool;
  readonly adminToken: string;
}

export function accountsRouter({ pool, adminToken }: AccountsRouterDeps): Route[] {
  return [
    adminRoute(adminToken, api.setAccount, async ({ params, body }, res) => {
      res.json(await setAccountBalance(pool, { customerId: params.customerId, balanceCents: body.balanceCents }));
    }),

    route(api.getAccount, async ({ params }, res) => {
      const account = await findAccount(pool, params.customerId);
      if (!account) throw notFound('ACCOUNT.NOT_FOUND', `no account ${params.customerId}`);
      res.json({ customerId: account.customerId, balanceCents: account.balanceCents });
    }),
  ];
}
