import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isEventType, payloadSchemaAt } from './catalog';
import { EVENT_VERSIONS, payloadJsonSchema } from './event-schemas';
import { breakingChanges } from './schema-compat';

/** The committed JSON Schema of every payload version: what consumers in the field were built against. */
const COMMITTED = join(import.meta.dirname, '..', '..', '..', 'docs', 'api', 'events');
const fileOf = (type: string, version: number) => join(COMMITTED, `${type}.v${version}.schema.json`);

describe('compatibility gate: payload schemas against the committed ones', () => {
  it.each(EVENT_VERSIONS)(
    'when $type v$version is compared with its committed schema, then at most an optional field was added',
    async ({ type, version }) => {
      const current = payloadJsonSchema(type, version);
      const file = fileOf(type, version);
      if (existsSync(file)) expect(breakingChanges(JSON.parse(readFileSync(file, 'utf8')), current)).toEqual([]);
      // Only reached when compatible: `vitest -u` then records the addition, and never a breaking change.
      await expect(`${JSON.stringify(current, null, 2)}\n`).toMatchFileSnapshot(file);
    },
  );

  it('when a schema was committed for a version, then the catalog still reads that version (a new version came with an upcaster)', () => {
    const committed = readdirSync(COMMITTED).map((name) => /^(\w+)\.v(\d+)\.schema\.json$/.exec(name));
    expect(committed.length).toBeGreaterThan(0);
    for (const match of committed) {
      expect(match, 'a file that is not <Type>.v<n>.schema.json').not.toBeNull();
      const [, type, version] = match!;
      expect(isEventType(type!) && payloadSchemaAt(type, Number(version)) !== undefined, `${type} v${version}`).toBe(true);
    }
  });
});

describe('the compatibility rule', () => {
  const v1 = {
    type: 'object',
    properties: {
      orderId: { type: 'string', minLength: 1 },
      reason: { type: 'string', enum: ['A', 'B'] },
      items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] } },
    },
    required: ['orderId', 'reason'],
  };
  const withProps = (props: Record<string, unknown>, required = v1.required) => ({
    ...v1,
    properties: { ...v1.properties, ...props },
    required,
  });

  it('when only an optional field is added or a description changes, then nothing breaks', () => {
    expect(breakingChanges(v1, withProps({ note: { type: 'string' } }))).toEqual([]);
    expect(breakingChanges(v1, { ...v1, description: 'now documented' })).toEqual([]);
  });

  it.each([
    ['a field is removed', { ...v1, properties: { orderId: v1.properties.orderId, items: v1.properties.items } }, '$.reason: removed'],
    ['a required field is added', withProps({ note: { type: 'string' } }, [...v1.required, 'note']), '$.note: added as required'],
    ['an optional field becomes required', withProps({}, [...v1.required, 'items']), '$.items: optional → required'],
    ['a type changes', withProps({ orderId: { type: 'integer' } }), '$.orderId: type "string" → "integer"'],
    ['a bound is tightened', withProps({ orderId: { type: 'string', minLength: 2 } }), '$.orderId: minLength 1 → 2'],
    [
      'an enum value is added',
      withProps({ reason: { type: 'string', enum: ['A', 'B', 'C'] } }),
      '$.reason: enum ["A","B"] → ["A","B","C"]',
    ],
    [
      'a nested item field changes',
      withProps({ items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'number' } }, required: ['sku'] } } }),
      '$.items[].sku: type "string" → "number"',
    ],
  ])('when %s, then it is a breaking change', (_what, after, expected) => {
    expect(breakingChanges(v1, after)).toContain(expected);
  });
});
