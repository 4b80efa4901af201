import { z } from 'zod';
import { CANCELLATION_REASONS } from '@choreo/contracts';
import { endpoint, headerToken, identifier, problemCode } from '@choreo/platform';

const orderId = identifier();

export const placeOrderBody = z
  .object({
    customerId: identifier(),
    items: z
      .array(z.object({ sku: identifier(), quantity: z.number().int().positive().max(10_000) }).strict())
      .min(1)
      .max(100),
  })
  .strict()
  .meta({ examples: [{ customerId: 'alice', items: [{ sku: 'apple', quantity: 3 }] }] });

const STATUSES = ['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'CANCELLED'] as const;
const STEPS = ['PLACED', 'RESERVED', 'PAID', 'CONFIRMED', 'CANCELLED'] as const;

/** The public shape of an order (order.view.ts builds it). */
export const orderResponse = z.object({
  orderId,
  customerId: z.string(),
  status: z.enum(STATUSES),
  items: z.array(z.object({ sku: z.string(), quantity: z.number().int(), unitPriceCents: z.number().int().nonnegative() })),
  totalCents: z.number().int().nonnegative(),
  cancellationReason: z.enum(CANCELLATION_REASONS).optional(),
  timeline: z.array(z.object({ step: z.enum(STEPS), at: z.iso.datetime(), reason: z.enum(CANCELLATION_REASONS).optional() })),
});

const NOT_FOUND = problemCode(404, 'ORDER.NOT_FOUND', 'no order has this id');
const byId = { orderId: '$response.body#/orderId' };
const next = {
  GetOrder: { operationId: 'getOrder', parameters: byId, description: 'read the order and its saga timeline' },
  CancelOrder: { operationId: 'cancelOrder', parameters: byId, description: 'cancel it while the saga is open' },
};
const placed = (description: string, replayed: 'true' | 'false') => ({
  description,
  body: orderResponse,
  headers: {
    Location: { schema: z.string(), description: 'the order: /orders/{orderId}', required: true },
    'Idempotent-Replayed': { schema: z.literal(replayed), description: 'whether this answer replays an earlier request', required: true },
  },
  links: next,
});

export const placeOrder = endpoint({
  operationId: 'placeOrder',
  method: 'post',
  path: '/orders',
  tag: 'orders',
  summary: 'Place an order; the saga reserves stock, charges the customer and confirms or cancels it',
  headers: {
    'Idempotency-Key': {
      schema: headerToken(200),
      required: true,
      missing: problemCode(400, 'ORDER.IDEMPOTENCY_KEY_REQUIRED', 'the Idempotency-Key header is missing'),
      description: 'a client-chosen key: the same key and body again replay the first answer',
    },
  },
  body: placeOrderBody,
  responses: {
    201: placed('the order was placed (status PENDING)', 'false'),
    200: placed('replayed: this key and body placed this order before', 'true'),
  },
  problems: [
    problemCode(409, 'ORDER.IDEMPOTENCY_KEY_REUSED', 'the Idempotency-Key was used before with another body'),
    problemCode(422, 'ORDER.UNKNOWN_SKU', 'a sku is not in the catalog (yet); `unknownSkus` lists them'),
    problemCode(422, 'ORDER.INVALID', 'the order total exceeds what can be charged'),
  ],
});

export const getOrder = endpoint({
  operationId: 'getOrder',
  method: 'get',
  path: '/orders/{orderId}',
  tag: 'orders',
  summary: 'The order, its status and its saga timeline',
  params: z.object({ orderId }),
  responses: { 200: { description: 'the order', body: orderResponse } },
  problems: [NOT_FOUND],
});

export const cancelOrder = endpoint({
  operationId: 'cancelOrder',
  method: 'post',
  path: '/orders/{orderId}/cancel',
  tag: 'orders',
  summary: 'Cancel an open order (CUSTOMER_REQUEST); cancelling a cancelled order changes nothing',
  params: z.object({ orderId }),
  responses: { 200: { description: 'the order after cancelling', body: orderResponse, links: { GetOrder: next.GetOrder } } },
  problems: [NOT_FOUND, problemCode(409, 'ORDER.ALREADY_CONFIRMED', 'the order is confirmed and can no longer be cancelled')],
});

export const ORDER_ENDPOINTS = [placeOrder, getOrder, cancelOrder] as const;
