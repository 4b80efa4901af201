import { adminRoute, notFound, route, withTransaction, type Pool, type Route } from '@choreo/platform';
import { upsertProduct } from '../application/product.use-cases';
import { findProduct } from '../persistence/product.repository';
import * as api from './products.endpoints';

type Product = NonNullable<Awaited<ReturnType<typeof findProduct>>>;
const view = ({ sku, name, priceCents, available, reserved, sold }: Product) => ({ sku, name, priceCents, available, reserved, sold });

export function productsRouter({ pool, adminToken }: { pool: Pool; adminToken: string }): Route[] {
  return [
    adminRoute(adminToken, api.upsertProduct, async ({ params, body }, res) => {
      const product = await withTransaction(pool, (tx) => upsertProduct(tx, { type: 'UpsertProduct', sku: params.sku, ...body }));
      res.json(view(product));
    }),

    route(api.getProduct, async ({ params }, res) => {
      const product = await findProduct(pool, params.sku);
      if (!product) throw notFound('PRODUCT.NOT_FOUND', `no product ${params.sku}`);
      res.json(view(product));
    }),
  ];
}
