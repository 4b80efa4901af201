import { ESLint } from 'eslint';
import { createProjectGraphAsync } from 'nx/src/project-graph/project-graph.js';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The architecture's boundaries are only real if the linter rejects a violation. Each case
 * lints a snippet as if it were a file inside a project and expects the rule to fire.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function lint(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('module boundaries', () => {
  beforeAll(async () => {
    await createProjectGraphAsync({ exitOnError: false }); // the nx rule reads the cached graph
  }, 120_000);

  it('when an app imports another app, then lint rejects it', async () => {
    const messages = await lint('apps/order-service/src/bad.ts', "import '../../inventory-service/src/config';\nexport {};\n");
    expect(messages.join('\n')).toMatch(/enforce-module-boundaries: Projects cannot be imported by a relative or absolute path/);
  });

  it('when an app imports the domain of another scope, then lint rejects it', async () => {
    const messages = await lint(
      'apps/order-service/src/bad.ts',
      "import { reservationDecider } from '@choreo/inventory-domain';\nexport const x = reservationDecider;\n",
    );
    expect(messages.join('\n')).toMatch(/"scope:order" can only depend on libs tagged with "scope:order", "scope:shared"/);
  });

  it('when a domain lib imports pg, then lint rejects it', async () => {
    const messages = await lint('libs/order-domain/src/bad.ts', "import pg from 'pg';\nexport const x = pg;\n");
    expect(messages.join('\n')).toMatch(/"type:domain" is not allowed to import "pg"/);
  });

  it('when a domain lib imports another scope, then lint rejects it', async () => {
    const messages = await lint(
      'libs/order-domain/src/bad.ts',
      "import { paymentDecider } from '@choreo/payment-domain';\nexport const x = paymentDecider;\n",
    );
    expect(messages.join('\n')).toMatch(/"scope:order" can only depend on libs tagged with/);
  });

  it('when the contracts lib imports anything but zod, then lint rejects it', async () => {
    const messages = await lint('libs/contracts/src/bad.ts', "import express from 'express';\nexport const x = express;\n");
    expect(messages.join('\n')).toMatch(/"type:contracts" is not allowed to import "express"/);
  });

  it('when an app imports its own scope and shared libs, then lint accepts it', async () => {
    const code =
      "import { orderDecider } from '@choreo/order-domain';\nimport { TOPICS } from '@choreo/contracts';\nexport const x = [orderDecider, TOPICS];\n";
    const messages = await lint('apps/order-service/src/ok.ts', code);
    expect(messages.filter((m) => m.includes('enforce-module-boundaries'))).toEqual([]);
  });
});
