import { z } from 'zod';
import { endpoint, identifier, problemCode } from '@choreo/platform';

const count = z.number().int().nonnegative();

export const getReservation = endpoint({
  operationId: 'getReservation',
  method: 'get',
  path: '/admin/reservations/{orderId}',
  tag: 'operations',
  admin: true,
  summary: "An order's stock reservation: its status, the lines it holds (or the shortages that rejected it) and when it changed",
  params: z.object({ orderId: identifier() }),
  responses: {
    200: {
      description: 'the reservation',
      body: z.object({
        orderId: z.string(),
        status: z.enum(['RESERVED', 'REJECTED', 'RELEASED', 'COMMITTED', 'CANCELLED_BEFORE_RESERVATION']),
        lines: z.array(z.object({ sku: z.string(), quantity: count })),
        shortages: z.array(z.object({ sku: z.string(), requested: count, available: count })),
        createdAt: z.iso.datetime(),
        updatedAt: z.iso.datetime(),
      }),
    },
  },
  problems: [problemCode(404, 'RESERVATION.NOT_FOUND', 'inventory-service has no reservation for this order (yet)')],
});
