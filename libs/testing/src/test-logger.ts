import { createLogger, type Logger } from '@choreo/platform';

/** A pino logger for code under test: silent unless TEST_LOG_LEVEL asks (e.g. TEST_LOG_LEVEL=debug). */
export function testLogger(name = 'test'): Logger {
  return createLogger(name, process.env['TEST_LOG_LEVEL'] ?? 'silent');
}
