import { describe, expect, it } from 'vitest';
import { asyncApiDocument } from './asyncapi';
import { EVENT_CATALOG, EVENT_TYPES } from './catalog';
import { ALL_TOPICS } from './topics';

const document = asyncApiDocument() as {
  channels: Record<string, { messages: Record<string, unknown> }>;
  components: { messages: Record<string, { name: string }> };
};

describe('AsyncAPI document', () => {
  it('when the contracts change, then docs/api/events.asyncapi.json is regenerated (npx vitest run -u) or this fails', async () => {
    await expect(`${JSON.stringify(document, null, 2)}\n`).toMatchFileSnapshot('../../../docs/api/events.asyncapi.json');
  });

  it('when it is generated, then every topic is a channel and every event type has a message for each version 1..current', () => {
    expect(Object.keys(document.channels).sort()).toEqual([...ALL_TOPICS].sort());
    for (const type of EVENT_TYPES) {
      const versions = Object.keys(document.components.messages).filter((id) => document.components.messages[id]!.name === type);
      expect(versions.length, type).toBe(EVENT_CATALOG[type].version);
    }
  });
});
