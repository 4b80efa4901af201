/**
 * vitest globalSetup for the int / e2e / chaos projects: make sure the real stack is up.
 *
 *   CHOREO_STACK=external     the stack is managed elsewhere: touch nothing.
 *   CHOREO_STACK=native       (default) `stackUp()`: installs/starts what is missing, reuses what runs.
 *   CHOREO_STACK_TEARDOWN=1   stop the stack afterwards, but only if this run started it.
 *
 * A stack that was already running is never torn down; one this run started is left running
 * unless CHOREO_STACK_TEARDOWN=1, so the next test loop starts in seconds.
 */
import { loadStackConfig, stackDown, stackStatus, stackUp } from '@choreo/stack';

export default async function setup(): Promise<(() => Promise<void>) | void> {
  const mode = process.env['CHOREO_STACK'] ?? 'native';
  if (mode === 'external') return;
  if (mode !== 'native') throw new Error(`CHOREO_STACK=${mode}: expected native or external`);
  const cfg = loadStackConfig();
  const before = await stackStatus(cfg);
  const foundRunning = before.some((c) => c.pid !== undefined);
  await stackUp(cfg);
  return async () => {
    if (!foundRunning && process.env['CHOREO_STACK_TEARDOWN'] === '1') await stackDown({}, cfg);
  };
}
