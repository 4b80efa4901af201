import { z } from 'zod';
import { EVENT_CATALOG, EVENT_TYPES, payloadSchemaAt, type EventType } from './catalog';
import { envelopeSchema } from './envelope';

export type JsonSchema = Record<string, unknown>;

/** Every (event type, schemaVersion) a consumer can still read, oldest first. */
export const EVENT_VERSIONS: readonly { readonly type: EventType; readonly version: number }[] = EVENT_TYPES.flatMap((type) =>
  Array.from({ length: EVENT_CATALOG[type].version }, (_, i) => ({ type, version: i + 1 })).filter(({ version }) =>
    payloadSchemaAt(type, version),
  ),
);

const toJson = (schema: z.ZodType): JsonSchema => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as JsonSchema;
  return rest;
};

/** The JSON Schema of a payload as a consumer reads it (unknown fields are ignored, hence io: input). */
export function payloadJsonSchema(type: EventType, version: number): JsonSchema {
  const schema = payloadSchemaAt(type, version);
  if (!schema) throw new Error(`${type} v${version} is not readable`);
  return toJson(schema);
}

/** Kafka header values are strings; these envelope fields are coerced to positive integers on reading. */
const NUMERIC_HEADERS = new Set(['aggregateSeq', 'schemaVersion']);

/** The envelope as the Kafka headers of one event type at one version. */
export function envelopeHeadersJsonSchema(type: EventType, version: number): JsonSchema {
  const { properties, required } = toJson(envelopeSchema) as { properties: Record<string, JsonSchema>; required: string[] };
  const fixed: Record<string, JsonSchema> = {
    eventType: { const: type },
    aggregateType: { const: EVENT_CATALOG[type].aggregateType },
    schemaVersion: { const: String(version) },
  };
  const headers = Object.fromEntries(
    Object.entries(properties).map(([name, schema]) => [
      name,
      fixed[name] ?? (NUMERIC_HEADERS.has(name) ? { type: 'string', pattern: '^[1-9][0-9]*$' } : schema),
    ]),
  );
  return { type: 'object', properties: headers, required };
}
