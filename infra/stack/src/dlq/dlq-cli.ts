/**
 * `npm run dlq -- list | show <id> | redrive <id> [--execute]`: the dead-letter topics of the
 * stack, read on demand. A redrive shows what it would publish and publishes only with
 * --execute (docs/operations.md, "A dead-lettered event").
 */
import { ALL_DLQ_TOPICS } from '@choreo/contracts';
import { readDeadLetters, redrive, redriveMessage, type DeadLetter } from '@choreo/messaging';
import { Kafka, logLevel } from 'kafkajs';
import { loadStackConfig } from '../stack-config';
import { formatDeadLetter, formatDeadLetterRow } from './dlq-format';

const usage = `usage: npm run dlq -- list [--topic <topic>.dlq] | show <id> | redrive <id> [--execute]
  <id> is <dlq topic>:<partition>:<offset>, as list prints it`;
const out = (line = '') => process.stdout.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const flag = (name: string) => rest.includes(name);
  const positional = rest.filter((a, i) => !a.startsWith('--') && rest[i - 1] !== '--topic');
  const cfg = loadStackConfig();
  const kafka = new Kafka({ clientId: 'choreo-dlq', brokers: [cfg.kafka.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
  const topicAt = rest.indexOf('--topic');
  const topics = topicAt >= 0 ? [rest[topicAt + 1] ?? ''] : ALL_DLQ_TOPICS;
  switch (cmd) {
    case 'list': {
      const all = await readDeadLetters(kafka, topics);
      out(all.length === 0 ? `no dead-lettered records on ${topics.join(', ')}` : `${all.length} dead-lettered record(s), oldest first:`);
      for (const d of all) out(formatDeadLetterRow(d));
      return 0;
    }
    case 'show':
    case 'redrive': {
      const id = positional[0];
      if (!id) return fail(usage);
      const dead = await find(kafka, id);
      if (!dead) return fail(`no record ${id} on its DLQ topic (npm run dlq -- list)`);
      out(formatDeadLetter(dead));
      const plan = redriveMessage(dead);
      out(`\nA redrive publishes it to ${plan.topic}, key ${plan.message.key ?? '(none)'}, with its original headers and value,`);
      out(`without the dlq.* headers, marked ${Object.keys(plan.message.headers).filter((h) => h.startsWith('dlq.'))[0]}.`);
      if (cmd === 'show') return 0;
      if (!flag('--execute')) {
        out('\nDry run: nothing was published. Deploy the fix first, then run again with --execute.');
        return 0;
      }
      const producer = kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      try {
        const at = await redrive(producer, dead);
        out(`\nRedriven: ${at.topic} partition ${at.partition} offset ${at.offset}.`);
        out(`Check that ${dead.consumer} applied it: GET /admin/sagas/${dead.sagaId ?? '<sagaId>'}/inbox (the saga console shows it).`);
      } finally {
        await producer.disconnect();
      }
      return 0;
    }
    default:
      out(usage);
      return cmd === undefined || cmd === 'help' ? 0 : 2;
  }
}

async function find(kafka: Kafka, id: string): Promise<DeadLetter | undefined> {
  const topic = id.split(':')[0] ?? '';
  if (!ALL_DLQ_TOPICS.includes(topic)) return undefined;
  return (await readDeadLetters(kafka, [topic])).find((d) => d.id === id);
}

function fail(message: string): number {
  process.stderr.write(`${message}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`dlq failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
