import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';

const external = (allowed) => ({ allowedExternalImports: allowed });

/** Tests of an app or lib may also use the shared test kit and the stack client. */
const boundaries = (forTests) => {
  const testKit = forTests ? ['type:testing', 'type:infra'] : [];
  return {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [
      // Axis 1: what kind of project may depend on what.
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:host', 'type:domain', 'type:contracts', 'type:lib', ...testKit] },
      // The service shell (service-host): boots a service and runs its decide-and-store step, so it
      // sees the domain kernel; scope:shared keeps it from every service's own domain.
      { sourceTag: 'type:host', onlyDependOnLibsWithTags: ['type:domain', 'type:lib', 'type:contracts', ...testKit] },
      { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'], ...external(['vitest']) },
      { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [], ...external(['zod', 'vitest']) },
      { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', ...testKit] },
      { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', 'type:infra'] },
      { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts'] },
      { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:lib', 'type:contracts', 'type:infra'] },
      // Axis 2: a business scope only sees itself and shared code.
      { sourceTag: 'scope:order', onlyDependOnLibsWithTags: ['scope:order', 'scope:shared'] },
      { sourceTag: 'scope:inventory', onlyDependOnLibsWithTags: ['scope:inventory', 'scope:shared'] },
      { sourceTag: 'scope:payment', onlyDependOnLibsWithTags: ['scope:payment', 'scope:shared'] },
      // The saga console reads every service through its API, never a service's own code.
      { sourceTag: 'scope:operations', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
    ],
  };
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.nx/**', 'coverage/**', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain Node scripts (scripts/*.mjs, this file): no TypeScript, Node's globals.
    files: ['**/*.mjs'],
    languageOptions: {
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@nx/enforce-module-boundaries': ['error', boundaries(false)],
    },
  },
  {
    // Test tooling stays in tests.
    files: ['**/*.ts'],
    ignores: ['**/*.spec.ts', 'libs/testing/**', 'e2e/**', 'vitest.config.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['vitest', 'vitest/*', '@choreo/domain-kernel/testing'] }] },
  },
  {
    // Domain libraries are pure: no node built-ins either (time and ids come through ctx).
    files: ['libs/*-domain/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'pg', 'kafkajs', 'zod', 'express', 'crypto', 'vitest', '@choreo/domain-kernel/testing'] },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts', '**/testing/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries(true)] },
  },
);
