import { z } from 'zod';
import { EVENT_CATALOG, isEventType, type ChoreoEvent, type EventType, type Upcaster } from './catalog';
import { envelopeSchema, type Envelope } from './envelope';

/** Why a message could not become an event. Poison, never retried: it goes to the DLQ. */
export class ContractViolation extends Error {
  constructor(
    readonly code: 'ENVELOPE_INVALID' | 'UNKNOWN_EVENT_TYPE' | 'UNSUPPORTED_VERSION' | 'PAYLOAD_INVALID' | 'NOT_JSON',
    message: string,
  ) {
    super(message);
    this.name = 'ContractViolation';
  }
}

export interface DecodedEvent {
  readonly envelope: Envelope;
  readonly event: ChoreoEvent;
}

const describe = (error: z.ZodError): string => z.prettifyError(error).replace(/\n/g, '; ');

/** Lifts a payload written at `version` to the current version of its event type. */
export function upcast(type: EventType, version: number, raw: unknown): unknown {
  const spec = EVENT_CATALOG[type];
  if (version > spec.version) {
    throw new ContractViolation('UNSUPPORTED_VERSION', `${type} v${version} is newer than this consumer (v${spec.version})`);
  }
  let value = raw;
  for (let v = version; v < spec.version; v++) {
    const step = (spec as { upcasters?: Record<number, Upcaster> }).upcasters?.[v];
    if (!step) throw new ContractViolation('UNSUPPORTED_VERSION', `${type} v${v} is no longer readable`);
    const parsed = step.schema.safeParse(value);
    if (!parsed.success) throw new ContractViolation('PAYLOAD_INVALID', `${type} v${v}: ${describe(parsed.error)}`);
    value = step.lift(parsed.data);
  }
  return value;
}

export function decodePayload(type: string, version: number, raw: unknown): ChoreoEvent {
  if (!isEventType(type)) throw new ContractViolation('UNKNOWN_EVENT_TYPE', `unknown event type "${type}"`);
  const parsed = EVENT_CATALOG[type].schema.safeParse(upcast(type, version, raw));
  if (!parsed.success) throw new ContractViolation('PAYLOAD_INVALID', `${type}: ${describe(parsed.error)}`);
  return { type, payload: parsed.data } as ChoreoEvent;
}

/** Decodes Kafka headers (already turned into strings) and the JSON value of a record. */
export function decodeEvent(headers: Readonly<Record<string, string | undefined>>, value: string | null): DecodedEvent {
  const envelope = envelopeSchema.safeParse(headers);
  if (!envelope.success) throw new ContractViolation('ENVELOPE_INVALID', describe(envelope.error));
  let raw: unknown;
  try {
    raw = JSON.parse(value ?? '');
  } catch {
    throw new ContractViolation('NOT_JSON', 'record value is not JSON');
  }
  const event = decodePayload(envelope.data.eventType, envelope.data.schemaVersion, raw);
  if (EVENT_CATALOG[event.type].aggregateType !== envelope.data.aggregateType) {
    throw new ContractViolation(
      'ENVELOPE_INVALID',
      `${event.type} belongs to ${EVENT_CATALOG[event.type].aggregateType}, not ${envelope.data.aggregateType}`,
    );
  }
  return { envelope: envelope.data, event };
}

/** Validates a payload a producer is about to write, at the current version. */
export function encodePayload<T extends EventType>(type: T, payload: unknown): { version: number; payload: unknown } {
  const spec = EVENT_CATALOG[type];
  const parsed = spec.schema.safeParse(payload);
  if (!parsed.success) throw new ContractViolation('PAYLOAD_INVALID', `${type}: ${describe(parsed.error)}`);
  return { version: spec.version, payload: parsed.data };
}
