import { Router } from 'express';
import { z } from 'zod';
import { notFound, parse, requireAdmin, type Pool } from '@choreo/platform';
import { setAccountBalance } from '../application/account.use-cases';
import { findAccount } from '../persistence/account.repository';

const customerId = z.string().trim().min(1).max(100);
const setBalanceBody = z.object({ balanceCents: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER) }).strict();

export interface AccountsRouterDeps {
  readonly pool: Pool;
  readonly adminToken: string;
}

export function accountsRouter({ pool, adminToken }: AccountsRouterDeps): Router {
  const router = Router();

  router.put('/accounts/:customerId', requireAdmin(adminToken), async (req, res) => {
    const id = parse(customerId, req.params.customerId);
    const { balanceCents } = parse(setBalanceBody, req.body);
    res.json(await setAccountBalance(pool, { customerId: id, balanceCents }));
  });

  router.get('/accounts/:customerId', async (req, res) => {
    const account = await findAccount(pool, parse(customerId, req.params.customerId));
    if (!account) throw notFound('ACCOUNT.NOT_FOUND', `no account ${req.params.customerId}`);
    res.json({ customerId: account.customerId, balanceCents: account.balanceCents });
  });

  return router;
}
