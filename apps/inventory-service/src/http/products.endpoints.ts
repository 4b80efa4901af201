import { z } from 'zod';
import { endpoint, identifier, problemCode, text } from '@choreo/platform';

const count = z.number().int().nonnegative();
const params = z.object({ sku: identifier() });

export const productResponse = z.object({
  sku: z.string(),
  name: z.string(),
  priceCents: count,
  available: count,
  reserved: count,
  sold: count,
});

export const upsertProduct = endpoint({
  operationId: 'upsertProduct',
  method: 'put',
  path: '/products/{sku}',
  tag: 'products',
  summary: "Create or change a product's name, price and available stock; publishes ProductUpserted",
  admin: true,
  params,
  body: z
    .object({
      name: text(200),
      priceCents: count.max(Number.MAX_SAFE_INTEGER),
      available: count.max(1_000_000_000),
    })
    .strict()
    .meta({ examples: [{ name: 'Apple', priceCents: 120, available: 10 }] }),
  responses: {
    200: {
      description: 'the product as stored',
      body: productResponse,
      links: { GetProduct: { operationId: 'getProduct', parameters: { sku: '$response.body#/sku' }, description: 'read it back' } },
    },
  },
  problems: [problemCode(422, 'PRODUCT.INVALID', 'the product breaks a catalog rule')],
});

export const getProduct = endpoint({
  operationId: 'getProduct',
  method: 'get',
  path: '/products/{sku}',
  tag: 'products',
  summary: 'A product and its stock: available, reserved by open sagas, sold',
  params,
  responses: { 200: { description: 'the product', body: productResponse } },
  problems: [problemCode(404, 'PRODUCT.NOT_FOUND', 'no product has this sku')],
});

export const PRODUCT_ENDPOINTS = [upsertProduct, getProduct] as const;
