import { z } from 'zod';
import { endpoint } from '@choreo/platform';

export const openSaga = z.object({
  orderId: z.string(),
  customerId: z.string(),
  status: z.enum(['PENDING', 'AWAITING_PAYMENT']),
  placedAt: z.iso.datetime(),
  deadlineAt: z.iso.datetime(),
  ageSeconds: z.number().nonnegative(),
  /** The deadline sweeper should have cancelled it: stuck. */
  pastDeadline: z.boolean(),
});

export const listOpenSagas = endpoint({
  operationId: 'listOpenSagas',
  method: 'get',
  path: '/admin/open-sagas',
  tag: 'operations',
  admin: true,
  summary: 'Orders whose saga is not finished (PENDING, AWAITING_PAYMENT), oldest first (at most 200); pastDeadline marks the stuck ones',
  responses: { 200: { description: 'the open sagas', body: z.object({ now: z.iso.datetime(), sagas: z.array(openSaga) }) } },
});
