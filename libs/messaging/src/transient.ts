/**
 * Is this failure the world's fault (retry, never dead-letter) rather than the message's?
 * Postgres: serialization failure, deadlock, connection and shutdown classes, too many
 * connections, lock and statement timeouts. Node sockets: refused, reset, timed out (also when
 * wrapped in the AggregateError of a multi-address connect). KafkaJS: errors it marks retriable.
 */
const PG_TRANSIENT_CODES = new Set(['40001', '40P01', '53300', '55P03', '57P01', '57P02', '57P03', '57014']);
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection.*(closed|ended)/i,
  /Client has encountered a connection error/i,
  /Client was closed and is not queryable/i,
  /Query read timeout/i,
];

export function isTransient(error: unknown): boolean {
  return check(error, 0);
}

function check(error: unknown, depth: number): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const e = error as { code?: unknown; retriable?: unknown; name?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (PG_TRANSIENT_CODES.has(e.code) || e.code.startsWith('08') || NET_CODES.has(e.code))) return true;
  if (e.retriable === true) return true;
  if (typeof e.name === 'string' && /^KafkaJS(Connection|RequestTimeout|NumberOfRetriesExceeded|Broker)/.test(e.name)) return true;
  if (typeof e.message === 'string' && MESSAGES.some((re) => re.test(e.message as string))) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => check(inner, depth + 1))) return true;
  return e.cause !== undefined && check(e.cause, depth + 1);
}
