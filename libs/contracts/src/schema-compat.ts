import type { JsonSchema } from './event-schemas';

/** Words that document a schema without changing what it accepts. */
const ANNOTATIONS = new Set(['description', 'title', 'examples', '$comment']);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What breaks a reader when a payload's schema goes from `before` to `after` at the same
 * schemaVersion. The rule (docs/adr/0014): the only compatible change is a new optional
 * property; a property removed, made required or optional, any type, bound, pattern or enum
 * changed in either direction breaks a consumer on one side of a deploy, so it needs a new
 * schemaVersion and an upcaster.
 */
export function breakingChanges(before: JsonSchema, after: JsonSchema, at = '$'): string[] {
  const changes: string[] = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    if (ANNOTATIONS.has(key) || key === 'properties' || key === 'required' || key === 'items') continue;
    if (!same(before[key], after[key])) changes.push(`${at}: ${key} ${JSON.stringify(before[key])} → ${JSON.stringify(after[key])}`);
  }
  const items = [before['items'], after['items']] as [JsonSchema | undefined, JsonSchema | undefined];
  if (items[0] && items[1]) changes.push(...breakingChanges(items[0], items[1], `${at}[]`));
  else if (items[0] || items[1]) changes.push(`${at}: items ${items[0] ? 'removed' : 'added'}`);

  const props = (s: JsonSchema) => (s['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = (s: JsonSchema) => new Set((s['required'] ?? []) as string[]);
  const [propsBefore, propsAfter, reqBefore, reqAfter] = [props(before), props(after), required(before), required(after)];
  for (const [name, schema] of Object.entries(propsBefore)) {
    const path = `${at}.${name}`;
    if (!(name in propsAfter)) changes.push(`${path}: removed`);
    else changes.push(...breakingChanges(schema, propsAfter[name]!, path));
    if (name in propsAfter && reqBefore.has(name) !== reqAfter.has(name)) {
      changes.push(`${path}: ${reqBefore.has(name) ? 'required → optional' : 'optional → required'}`);
    }
  }
  for (const name of Object.keys(propsAfter)) {
    if (!(name in propsBefore) && reqAfter.has(name)) changes.push(`${at}.${name}: added as required`);
  }
  return changes;
}
