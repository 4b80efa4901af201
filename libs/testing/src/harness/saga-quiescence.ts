import { consumes, PRODUCED_AGGREGATES, type AggregateType } from '@choreo/contracts';
import type { ServiceName } from '@choreo/stack';
import { waitFor } from '../wait-for';
import type { EventTap } from './event-tap';
import type { ServiceDbs } from './service-dbs';

/** Which saga aggregates each service writes to its outbox (aggregate id = orderId; a product's is its sku). */
const SAGA_AGGREGATES = (service: ServiceName): readonly AggregateType[] => PRODUCED_AGGREGATES[service].filter((a) => a !== 'product');

export interface QuietReport {
  /** Events of the saga seen on the topics, in arrival order: `type#seq@topic`. */
  readonly events: readonly string[];
}

/**
 * Waits until a saga has come to rest as far as `services` are concerned:
 *  - every event each of them committed to its outbox for the saga reached its topic (seqs 1..last
 *    all seen by the tap: nothing lost), and
 *  - every saga event on a topic one of them consumes is settled in that service's inbox
 *    (applied, ignored or dead-lettered; not parked).
 * A stopped service is left out of `services`; a saga still moving keeps this polling.
 */
export async function waitForSagaQuiet(
  tap: EventTap,
  dbs: ServiceDbs,
  sagaId: string,
  opts: { services?: readonly ServiceName[]; timeoutMs?: number } = {},
): Promise<QuietReport> {
  const services = opts.services ?? (['order', 'inventory', 'payment'] as const);
  let pending = '';
  await waitFor(
    async () => {
      const events = tap.sagaEvents(sagaId);
      for (const service of services) {
        const seqs = await dbs.outboxSeqs(service, sagaId);
        for (const aggregate of SAGA_AGGREGATES(service)) {
          const last = seqs[aggregate] ?? 0;
          const seen = new Set(
            events.filter((e) => e.headers['aggregateType'] === aggregate).map((e) => Number(e.headers['aggregateSeq'])),
          );
          for (let seq = 1; seq <= last; seq++) {
            if (!seen.has(seq)) return void (pending = `${aggregate} seq ${seq} (committed by ${service}) not yet on its topic`);
          }
        }
        const inbox = new Map((await dbs.inbox(service, sagaId)).map((r) => [r.event_id, r.outcome]));
        for (const e of events.filter((r) => consumes(service, r.topic))) {
          const outcome = inbox.get(e.headers['eventId']!);
          if (outcome === undefined || outcome === 'parked') {
            return void (pending = `${service} has ${outcome ?? 'not seen'} ${e.headers['eventType']} ${e.headers['eventId']}`);
          }
        }
      }
      return true;
    },
    { timeoutMs: opts.timeoutMs ?? 30_000, intervalMs: 100, description: `saga ${sagaId} to come to rest (${services.join(', ')})` },
  ).catch((error: Error) => {
    throw new Error(`${error.message}; still pending: ${pending}`);
  });
  return { events: tap.sagaEvents(sagaId).map((e) => `${e.headers['eventType']}#${e.headers['aggregateSeq']}@${e.topic}`) };
}
