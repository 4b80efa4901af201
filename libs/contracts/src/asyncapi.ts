import { EVENT_CATALOG } from './catalog';
import { envelopeHeadersJsonSchema, EVENT_VERSIONS, payloadJsonSchema, type JsonSchema } from './event-schemas';
import { AGGREGATE_TYPES, dlqTopicOf, TOPICS } from './topics';
import { CONSUMER_GROUPS, consumersOf, producerOf } from './topology';

const messageId = (type: string, version: number) => `${type}.v${version}`;
const ref = (path: string) => ({ $ref: path });

const DESCRIPTION = [
  'Every domain event Choreo publishes, generated from libs/contracts (docs/architecture.md §2).',
  'Each service writes its events to its own outbox table in the transaction that decided them; Debezium',
  'routes each row to `<aggregatetype>.events`, keyed by the aggregate id, with the envelope as Kafka headers.',
  'A message is listed once per schemaVersion a consumer still reads; older versions are lifted to the',
  'current one by upcasters. A new optional field needs nothing; any other change needs a new',
  'schemaVersion and an upcaster (the compatibility gate in libs/contracts fails otherwise).',
  'What a consumer cannot decode or handle goes to `<topic>.dlq` with `dlq.error.code` and the origin in headers.',
].join(' ');

/** The AsyncAPI 3.0 document of every topic, key, envelope header and payload version. */
export function asyncApiDocument(): JsonSchema {
  const messages: Record<string, JsonSchema> = {};
  const schemas: Record<string, JsonSchema> = {};
  for (const { type, version } of EVENT_VERSIONS) {
    const id = messageId(type, version);
    schemas[`${id}.payload`] = payloadJsonSchema(type, version);
    schemas[`${id}.headers`] = envelopeHeadersJsonSchema(type, version);
    const current = version === EVENT_CATALOG[type].version;
    messages[id] = {
      name: type,
      title: `${type} v${version}`,
      summary: current ? `${type}, as producers write it today` : `${type} as written before v${version + 1}; read through its upcaster`,
      contentType: 'application/json',
      headers: ref(`#/components/schemas/${id}.headers`),
      payload: ref(`#/components/schemas/${id}.payload`),
      bindings: { kafka: { key: { type: 'string', description: 'the aggregate id' }, bindingVersion: '0.5.0' } },
    };
  }
  const channels: Record<string, JsonSchema> = {};
  const operations: Record<string, JsonSchema> = {};
  for (const aggregate of AGGREGATE_TYPES) {
    const topic = TOPICS[aggregate];
    const onTopic = EVENT_VERSIONS.filter(({ type }) => EVENT_CATALOG[type].aggregateType === aggregate);
    const messageRefs = onTopic.map(({ type, version }) => ref(`#/channels/${topic}/messages/${messageId(type, version)}`));
    channels[topic] = {
      address: topic,
      title: topic,
      description: `The ${aggregate} aggregate's events, keyed by its id; poison goes to ${dlqTopicOf(topic)}.`,
      messages: Object.fromEntries(
        onTopic.map(({ type, version }) => [messageId(type, version), ref(`#/components/messages/${messageId(type, version)}`)]),
      ),
    };
    const producer = CONSUMER_GROUPS[producerOf(aggregate)];
    operations[`${producer}.sends.${topic}`] = { action: 'send', channel: ref(`#/channels/${topic}`), messages: messageRefs };
    for (const consumer of consumersOf(topic)) {
      operations[`${CONSUMER_GROUPS[consumer]}.receives.${topic}`] = {
        action: 'receive',
        channel: ref(`#/channels/${topic}`),
        messages: messageRefs,
      };
    }
  }
  return {
    asyncapi: '3.0.0',
    info: { title: 'Choreo events', version: '1', description: DESCRIPTION },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages, schemas },
  };
}
