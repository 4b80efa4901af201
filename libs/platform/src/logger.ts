import { pino, type Logger } from 'pino';

export type { Logger };

/** Secrets a log line must never carry, wherever a caller puts them (the admin token included). */
const REDACTED = [
  'req.headers.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'ADMIN_TOKEN',
  '*.ADMIN_TOKEN',
  '*.password',
  '*.connectionString',
  'DATABASE_URL',
  '*.DATABASE_URL',
];

/** `destination` defaults to stdout; tests pass a stream to read what was logged. */
export function createLogger(service: string, level = 'info', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
