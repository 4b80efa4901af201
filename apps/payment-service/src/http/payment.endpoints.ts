import { z } from 'zod';
import { endpoint, identifier, problemCode } from '@choreo/platform';

const cents = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const accountParams = z.object({ customerId: identifier() });
const accountResponse = z.object({ customerId: z.string(), balanceCents: cents });

export const setAccount = endpoint({
  operationId: 'setAccount',
  method: 'put',
  path: '/accounts/{customerId}',
  tag: 'accounts',
  summary: "Set a customer's balance; the ledger records the difference as FUNDING",
  admin: true,
  params: accountParams,
  body: z
    .object({ balanceCents: cents })
    .strict()
    .meta({ examples: [{ balanceCents: 10_000 }] }),
  responses: {
    200: {
      description: 'the account',
      body: accountResponse,
      links: {
        GetAccount: { operationId: 'getAccount', parameters: { customerId: '$response.body#/customerId' }, description: 'read it back' },
      },
    },
  },
  problems: [problemCode(422, 'ACCOUNT.INVALID', 'the balance breaks an account rule')],
});

export const getAccount = endpoint({
  operationId: 'getAccount',
  method: 'get',
  path: '/accounts/{customerId}',
  tag: 'accounts',
  summary: "A customer's balance",
  params: accountParams,
  responses: { 200: { description: 'the account', body: accountResponse } },
  problems: [problemCode(404, 'ACCOUNT.NOT_FOUND', 'no account for this customer')],
});

export const getPayment = endpoint({
  operationId: 'getPayment',
  method: 'get',
  path: '/payments/{orderId}',
  tag: 'payments',
  summary: "An order's payment once it was charged or declined",
  params: z.object({ orderId: identifier() }),
  responses: {
    200: {
      description: 'the payment',
      body: z.object({ orderId: z.string(), status: z.enum(['AUTHORIZED', 'DECLINED', 'CAPTURED', 'REFUNDED']), amountCents: cents }),
    },
  },
  problems: [problemCode(404, 'PAYMENT.NOT_FOUND', 'no charge or decline for this order (yet)')],
});

export const PAYMENT_ENDPOINTS = [setAccount, getAccount, getPayment] as const;
