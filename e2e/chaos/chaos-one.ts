/**
 * `npm run chaos:one -- <scenario>[,<scenario>…]` runs the named chaos scenarios (any profile) on
 * the real stack through the same runner as `npm test`; without a name it lists them.
 * Equivalent: `CHOREO_CHAOS_SCENARIO=<name> npm run chaos`.
 */
import { spawnSync } from 'node:child_process';
import { SCENARIOS } from './scenarios';

const names = process.argv.slice(2).join(',');
if (names === '') {
  const width = Math.max(...SCENARIOS.map((s) => s.name.length));
  console.log('chaos scenarios (npm run chaos:one -- <name>):');
  for (const s of SCENARIOS) console.log(`  ${s.name.padEnd(width)}  [${s.profiles.join(', ')}]  ${s.summary}`);
  process.exit(0);
}
const unknown = names.split(',').filter((n) => !SCENARIOS.some((s) => s.name === n));
if (unknown.length > 0) {
  console.error(`unknown scenario(s): ${unknown.join(', ')} — run \`npm run chaos:one\` for the list`);
  process.exit(2);
}
const run = spawnSync(process.execPath, ['scripts/run-tests.mjs', 'chaos'], {
  stdio: 'inherit',
  env: { ...process.env, CHOREO_CHAOS_PROFILE: 'full', CHOREO_CHAOS_SCENARIO: names },
});
process.exit(run.status ?? 1);
