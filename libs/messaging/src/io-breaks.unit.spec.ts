import { describe, expect, it } from 'vitest';
import { ioBreaks } from './io-breaks';

/** Whether a callback queued for the event loop's next turn ran while `pause` was awaited. */
async function letsTheLoopTurn(pause: () => Promise<void>): Promise<boolean> {
  let turned = false;
  setImmediate(() => (turned = true));
  await pause();
  return turned;
}

describe('ioBreaks', () => {
  it('when less than the budget has passed since the last break, then it resolves without a turn of the event loop', async () => {
    expect(await letsTheLoopTurn(ioBreaks(60_000))).toBe(false);
  });

  it('when the budget has passed, then the event loop turns before it resolves, and the budget starts again', async () => {
    const pause = ioBreaks(50);
    const until = performance.now() + 60;
    while (performance.now() < until); // a synchronous stretch longer than the budget
    expect(await letsTheLoopTurn(pause)).toBe(true);
    expect(await letsTheLoopTurn(pause)).toBe(false);
  });
});
