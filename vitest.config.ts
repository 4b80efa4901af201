import { defineConfig } from 'vitest/config';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const tsconfig = JSON.parse(readFileSync(resolve(import.meta.dirname, 'tsconfig.base.json'), 'utf8'));
const alias = Object.fromEntries(
  Object.entries(tsconfig.compilerOptions.paths as Record<string, string[]>).map(([name, [target]]) => [
    name,
    resolve(import.meta.dirname, target!),
  ]),
);

const exclude = ['**/node_modules/**', '**/dist/**'];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: 'unit', include: ['{apps,libs,infra,tools,e2e}/**/*.unit.spec.ts'], exclude },
      },
      {
        resolve: { alias },
        test: {
          name: 'int',
          include: ['{apps,libs,infra}/**/*.int.spec.ts'],
          // infra/stack's specs test the native stack manager itself, which Testcontainers replaces.
          exclude: process.env['CHOREO_STACK'] === 'containers' ? [...exclude, 'infra/stack/**'] : exclude,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          globalSetup: ['libs/testing/src/global-setup.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.spec.ts'],
          exclude,
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          globalSetup: ['libs/testing/src/global-setup.ts'],
        },
      },
      {
        resolve: { alias },
        // Each service image run alone (infra/docker/test): needs a Docker engine and the built images.
        test: {
          name: 'image',
          include: ['infra/docker/**/*.image.spec.ts'],
          exclude,
          testTimeout: 240_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'chaos',
          include: ['e2e/**/*.chaos.spec.ts'],
          exclude,
          testTimeout: 900_000,
          hookTimeout: 600_000,
          fileParallelism: false,
          globalSetup: ['libs/testing/src/global-setup.ts'],
        },
      },
    ],
  },
});
