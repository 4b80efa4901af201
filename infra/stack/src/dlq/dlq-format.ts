import type { DeadLetter } from '@choreo/messaging';

const event = (d: DeadLetter) =>
  [d.eventType ?? '(no event type)', d.aggregate ? `${d.aggregate}${d.aggregateSeq ? ` seq ${d.aggregateSeq}` : ''}` : '']
    .filter(Boolean)
    .join(' ');

/** One line of `dlq list`. */
export const formatDeadLetterRow = (d: DeadLetter) =>
  `  ${d.id.padEnd(28)} ${d.code.padEnd(18)} ${d.consumer.padEnd(18)} ${event(d)}  saga ${d.sagaId ?? '-'}  at ${d.at}`;

/** `dlq show`: everything the record carries. */
export function formatDeadLetter(d: DeadLetter): string {
  let value = d.record.value ?? '(null)';
  try {
    value = JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    // poison: shown as it is
  }
  const headers = Object.entries(d.record.headers).map(([k, v]) => `    ${k}: ${v}`);
  return [
    `${d.id}  ${d.code}`,
    `  reason:   ${d.message}`,
    `  consumer: ${d.consumer}, at ${d.at}`,
    `  origin:   ${d.origin.topic} partition ${d.origin.partition} offset ${d.origin.offset}`,
    `  event:    ${event(d)}, saga ${d.sagaId ?? '-'}, eventId ${d.eventId ?? '-'}`,
    `  key:      ${d.record.key ?? '(none)'}`,
    '  headers:',
    ...headers,
    '  value:',
    ...value.split('\n').map((l) => `    ${l}`),
  ].join('\n');
}
