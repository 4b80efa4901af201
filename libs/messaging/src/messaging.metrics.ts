import { Counter, Histogram, type Registry } from 'prom-client';

export type MessagingMetrics = ReturnType<typeof createMessagingMetrics>;

export function createMessagingMetrics(registry: Registry) {
  const registers = [registry];
  return {
    processed: new Counter({
      name: 'choreo_messages_processed_total',
      help: 'Messages settled, by outcome (applied, ignored, parked, duplicate, dead_lettered)',
      labelNames: ['consumer', 'topic', 'event_type', 'outcome'] as const,
      registers,
    }),
    duplicates: new Counter({
      name: 'choreo_messages_duplicates_total',
      help: 'Redeliveries absorbed: by the inbox (same eventId) or by sequencing (seq already applied)',
      labelNames: ['consumer', 'kind'] as const,
      registers,
    }),
    parked: new Counter({
      name: 'choreo_events_parked_total',
      help: 'Events parked: a seq gap, or a handler saying not yet',
      labelNames: ['consumer', 'kind'] as const,
      registers,
    }),
    released: new Counter({
      name: 'choreo_events_released_total',
      help: 'Parked events that later applied or were ignored in order',
      labelNames: ['consumer'] as const,
      registers,
    }),
    deadLettered: new Counter({
      name: 'choreo_messages_dead_lettered_total',
      help: 'Messages sent to a DLQ topic, by reason code',
      labelNames: ['consumer', 'topic', 'reason'] as const,
      registers,
    }),
    retries: new Counter({
      name: 'choreo_message_retries_total',
      help: 'Attempts repeated after a failure: transient (retried forever) or handler (bounded)',
      labelNames: ['consumer', 'kind'] as const,
      registers,
    }),
    batchRecords: new Histogram({
      name: 'choreo_batch_records',
      help: 'Records settled together in one transaction (the batches of one or more partitions)',
      labelNames: ['consumer'] as const,
      buckets: [1, 2, 4, 8, 16, 32, 64, 128],
      registers,
    }),
    handlerSeconds: new Histogram({
      name: 'choreo_handler_duration_seconds',
      help: 'Time to settle one message, transaction included',
      labelNames: ['consumer', 'event_type'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
  };
}
