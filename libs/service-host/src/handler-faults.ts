import type { HandlerMap } from '@choreo/messaging';

/**
 * TEST ONLY (CHOREO_TEST_FAIL_EVENT_TYPES, refused unless CHOREO_ENV=local): the handlers of
 * these event types throw as a bug would, so the runtime retries and dead-letters them.
 */
export function withHandlerFaults(handlers: HandlerMap, failing: readonly string[]): HandlerMap {
  if (failing.length === 0) return handlers;
  const out: Record<string, unknown> = { ...handlers };
  for (const type of failing) {
    out[type] = async () => {
      throw new Error(`injected handler fault for ${type} (CHOREO_TEST_FAIL_EVENT_TYPES)`);
    };
  }
  return out as HandlerMap;
}
