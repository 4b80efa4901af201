/**
 * The end-to-end harness: services as child processes on the real stack, typed API clients,
 * saga waiters, fixtures, database read access, an event tap and an injector on the real
 * topics. Shared by e2e/saga, the chaos suite and `npm run demo`.
 */
export { ServiceLauncher, ServiceProcess, ServiceStartError, type ExitInfo, type LaunchOptions } from '@choreo/stack';
export * from './http-client';
export * from './service-apis';
export * from './service-dbs';
export * from './saga-waiters';
export * from './saga-quiescence';
export * from './fixtures';
export * from './event-tap';
export * from './event-injector';
export * from './latency-log';
export * from './e2e-harness';
