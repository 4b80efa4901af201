/**
 * Is this failure the world's fault (retry, never dead-letter) rather than the message's?
 * Postgres: serialization failure, deadlock, connection and shutdown classes, too many
 * connections. Node sockets: refused, reset, timed out. KafkaJS: errors it marks retriable.
 */
const PG_TRANSIENT_CODES = new Set(['40001', '40P01', '53300', '55P03', '57P01', '57P02', '57P03', '57014']);
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const MESSAGES = [/connection terminated/i, /timeout exceeded when trying to connect/i, /connection.*(closed|ended)/i, /Client has encountered a connection error/i, /Query read timeout/i];

export function isTransient(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: unknown; retriable?: unknown; name?: unknown; message?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && (PG_TRANSIENT_CODES.has(e.code) || e.code.startsWith('08') || NET_CODES.has(e.code))) return true;
  if (e.retriable === true) return true;
  if (typeof e.name === 'string' && /^KafkaJS(Connection|RequestTimeout|NumberOfRetriesExceeded|Broker)/.test(e.name)) return true;
  if (typeof e.message === 'string' && MESSAGES.some((re) => re.test(e.message as string))) return true;
  return e.cause !== undefined && e.cause !== error && isTransient(e.cause);
}
