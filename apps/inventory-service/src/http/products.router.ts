import { Router } from 'express';
import { z } from 'zod';
import { notFound, parse, requireAdmin, withTransaction, type Pool } from '@choreo/platform';
import { upsertProduct } from '../application/product.use-cases';
import { findProduct } from '../persistence/product.repository';

const sku = z.string().trim().min(1).max(100);
const upsertBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    priceCents: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    available: z.number().int().nonnegative().max(1_000_000_000),
  })
  .strict();

type Product = NonNullable<Awaited<ReturnType<typeof findProduct>>>;
const view = ({ sku, name, priceCents, available, reserved, sold }: Product) => ({ sku, name, priceCents, available, reserved, sold });

export function productsRouter({ pool, adminToken }: { pool: Pool; adminToken: string }): Router {
  const router = Router();

  router.put('/products/:sku', requireAdmin(adminToken), async (req, res) => {
    const input = { type: 'UpsertProduct' as const, sku: parse(sku, req.params.sku), ...parse(upsertBody, req.body) };
    const product = await withTransaction(pool, (tx) => upsertProduct(tx, input));
    res.json(view(product));
  });

  router.get('/products/:sku', async (req, res) => {
    const product = await findProduct(pool, parse(sku, req.params.sku));
    if (!product) throw notFound('PRODUCT.NOT_FOUND', `no product ${req.params.sku}`);
    res.json(view(product));
  });

  return router;
}
