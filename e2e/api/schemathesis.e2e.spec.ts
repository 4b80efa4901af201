import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSUMER_GROUPS, SERVICE_NAMES } from '@choreo/contracts';
import { E2eHarness } from '@choreo/testing';
import { ensureSchemathesis, runSchemathesis } from './schemathesis';

/**
 * Schemathesis against each running service's own /openapi.json (docs/adr/0014): every check,
 * every phase including the stateful one that follows the documented links, a bounded number of
 * examples per operation; not one failure.
 */
let h: E2eHarness;
let st: string;
/** A sku order-service knows, so generated orders can be placed and the stateful links followed. */
let stocked: string;

beforeAll(async () => {
  st = ensureSchemathesis();
  h = await E2eHarness.start({ tap: false });
  stocked = (await h.fixtures.product({ priceCents: 1, available: 1_000_000 })).sku;
});

afterAll(async () => {
  const exits = await h?.close();
  for (const [id, exit] of Object.entries(exits ?? {})) expect({ id, ...exit }).toEqual({ id, code: 0, signal: null, forced: false });
});

describe.each(SERVICE_NAMES)('%s-service', (service) => {
  const name = CONSUMER_GROUPS[service];

  it('when /openapi.json is read from the running service, then it is the committed document', async () => {
    const live = await (await fetch(`${h.services.url(service)}/openapi.json`)).json();
    expect(live).toEqual(JSON.parse(readFileSync(join(h.cfg.root, 'docs', 'api', `${name}.openapi.json`), 'utf8')));
  });

  it('when schemathesis runs every check and phase against it, then no case fails', async () => {
    const run = await runSchemathesis({
      st,
      schemaUrl: `${h.services.url(service)}/openapi.json`,
      config: join(import.meta.dirname, 'schemathesis.toml'),
      reportDir: join(h.cfg.root, 'reports', 'schemathesis', name),
      headers: { Authorization: `Bearer ${h.cfg.adminToken}` },
      maxExamples: 50,
      hooks: 'schemathesis_hooks',
      env: { CHOREO_FUZZ_SKU: stocked },
    });
    console.log(`[schemathesis] ${name}: ${run.cases} cases in ${run.seconds.toFixed(1)} s, exit ${run.exitCode}`);
    expect({ exitCode: run.exitCode, failures: run.failures }, run.output.slice(-6_000)).toEqual({ exitCode: 0, failures: [] });
    expect(run.cases).toBeGreaterThan(0);
  });

  it('when the service has logged everything above, then its log never holds the admin token', () => {
    const log = h.services.get(name)?.log() ?? '';
    expect(log.length).toBeGreaterThan(0);
    expect(log.includes(h.cfg.adminToken)).toBe(false);
  });
});
