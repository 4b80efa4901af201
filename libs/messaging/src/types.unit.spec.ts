import { describe, expect, it } from 'vitest';
import { decidesBeforeWriting, decidingHandlers, ignored, type Handler, type HandlerInput } from './types';

describe('decidingHandlers', () => {
  it('when handlers are declared deciding, then the runtime sees them so, the functions given stay unmarked, and each still answers', async () => {
    const seen: unknown[] = [];
    const handler: Handler = async (input) => {
      seen.push(input.event.type);
      return ignored('nothing to do');
    };
    const declared = decidingHandlers({ OrderPlaced: handler, OrderConfirmed: handler });

    expect(decidesBeforeWriting(declared.OrderPlaced as Handler)).toBe(true);
    expect(decidesBeforeWriting(declared.OrderConfirmed as Handler)).toBe(true);
    expect(decidesBeforeWriting(handler)).toBe(false);
    const input = { event: { type: 'OrderPlaced' } } as unknown as HandlerInput;
    expect(await (declared.OrderPlaced as Handler)(input)).toEqual({ kind: 'ignore', reason: 'nothing to do' });
    expect(seen).toEqual(['OrderPlaced']);
  });
});
