import { z } from 'zod';
import { endpoint, identifier, problemCode } from '@choreo/platform';

export const getPaymentHistory = endpoint({
  operationId: 'getPaymentHistory',
  method: 'get',
  path: '/admin/payments/{orderId}',
  tag: 'operations',
  admin: true,
  summary: "An order's payment in any status (internal ones included) and its ledger movements (CHARGE, REFUND), oldest first",
  params: z.object({ orderId: identifier() }),
  responses: {
    200: {
      description: 'the payment and its movements',
      body: z.object({
        orderId: z.string(),
        payment: z.object({
          status: z.enum(['AWAITING_RESERVATION', 'AUTHORIZED', 'DECLINED', 'CAPTURED', 'REFUNDED', 'CANCELLED_BEFORE_CHARGE']),
          customerId: z.string().nullable(),
          amountCents: z.number().int().nonnegative().nullable(),
          createdAt: z.iso.datetime(),
          updatedAt: z.iso.datetime(),
        }),
        ledger: z.array(
          z.object({
            id: z.number().int(),
            kind: z.enum(['CHARGE', 'REFUND']),
            customerId: z.string(),
            amountCents: z.number().int(),
            at: z.iso.datetime(),
          }),
        ),
      }),
    },
  },
  problems: [problemCode(404, 'PAYMENT.ORDER_UNKNOWN', 'payment-service has not heard of this order (yet)')],
});
