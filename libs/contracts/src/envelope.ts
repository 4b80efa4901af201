import { z } from 'zod';
import { AGGREGATE_TYPES } from './topics';

/**
 * The envelope travels as Kafka headers (Debezium's EventRouter places outbox columns there),
 * so every value arrives as a string; numbers are coerced here, once.
 */
export const envelopeSchema = z.object({
  eventId: z.uuid(),
  eventType: z.string().min(1),
  aggregateType: z.enum(AGGREGATE_TYPES),
  aggregateId: z.string().min(1),
  aggregateSeq: z.coerce.number().int().positive(),
  sagaId: z.string().min(1),
  causationId: z.uuid().nullish(),
  occurredAt: z.iso.datetime({ offset: true }),
  schemaVersion: z.coerce.number().int().positive(),
  traceparent: z.string().nullish(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

/** Header names, exactly as they appear on the wire. */
export const ENVELOPE_HEADERS = Object.keys(envelopeSchema.shape) as readonly (keyof Envelope)[];
