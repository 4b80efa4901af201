/**
 * `npm start`: the stack, then the three services on it, healthy, with a curl example.
 * Ctrl-C stops the services gracefully and leaves the stack running (restarts take seconds;
 * `npm run stack:down` stops it), unless started with `--down`, which stops the stack too.
 */
import { ComponentError } from '../component';
import { tailFile } from '../process-supervisor';
import { stackDown, stackUp } from '../stack';
import { loadStackConfig, SERVICES, type StackConfig } from '../stack-config';
import { startConsole } from './console-process';
import { assertNoOtherInstances } from './group-members';
import { ServiceLauncher } from './launcher';
import type { ServiceProcess } from './service-process';
import { curlExample } from './curl-example';

const out = (line = '') => process.stdout.write(`${line}\n`);
const stopStackOnExit = process.argv.includes('--down');

async function main(): Promise<number> {
  const cfg = loadStackConfig();
  out('Choreo: starting the local stack (PostgreSQL, Kafka, Kafka Connect + Debezium, Toxiproxy, Jaeger) …');
  try {
    await stackUp(cfg);
  } catch (error) {
    return fail(
      error instanceof ComponentError
        ? `the stack component "${error.component}" failed: ${error.message}\n--- last lines of ${error.logFile} ---\n${tailFile(error.logFile, 30)}`
        : `the stack failed to start: ${(error as Error).stack ?? String(error)}`,
    );
  }

  const launcher = new ServiceLauncher({ cfg });
  let consoleProc: ServiceProcess | undefined;
  out('Starting order-service, inventory-service and payment-service …');
  try {
    await assertNoOtherInstances(cfg, SERVICES, 0).catch((error: Error) => {
      out(`warning: ${error.message}\n(harmless here: they use the same databases, so they simply share the work)`);
    });
    const t0 = Date.now();
    await launcher.startAll();
    consoleProc = await startConsole(launcher);
    out(`Services ready in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
  } catch (error) {
    await launcher.stopAll();
    const all = error instanceof AggregateError ? error.errors : [error];
    return fail(all.map((e) => (e as Error).message).join('\n\n'));
  }
  printReady(cfg, launcher, consoleProc!);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = async (why: string, code: number) => {
      if (stopping) return;
      stopping = true;
      out(`\n${why}: stopping the services …`);
      const exits = { ...(await launcher.stopAll()), console: await consoleProc!.stop() };
      for (const [id, exit] of Object.entries(exits)) {
        out(
          `  ${id.padEnd(18)} ${exit.code === 0 ? 'stopped cleanly' : `exit ${exit.code ?? exit.signal}${exit.forced ? ' (killed after the grace period)' : ''}`}`,
        );
      }
      if (stopStackOnExit) {
        out('Stopping the stack (--down) …');
        await stackDown({}, cfg);
      } else {
        out('The stack is still running (fast next start). Stop it with: npm run stack:down');
      }
      resolve(code);
    };
    launcher.onUnexpectedExit((id, exit) => {
      process.stderr.write(`\n${id} exited unexpectedly (code ${exit.code}, signal ${exit.signal}); log: ${launcher.logFile(id)}\n`);
      process.stderr.write(`--- last lines ---\n${tailFile(launcher.logFile(id), 20)}\n`);
      void shutdown(`${id} died`, 1);
    });
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void shutdown(`${sig} received`, 0));
  });
}

function printReady(cfg: StackConfig, launcher: ServiceLauncher, consoleProc: ServiceProcess): void {
  out('\nChoreo is up.\n');
  for (const s of SERVICES) {
    const proc = launcher.get(s)!;
    out(`  ${`${s}-service`.padEnd(18)} ${proc.url}   pid ${proc.pid}   log ${launcher.logFile(s)}`);
  }
  out(`  ${'kafka'.padEnd(18)} ${cfg.kafka.bootstrap}   topics ${cfg.topics.events.join(', ')} (+ .dlq)`);
  out(`  ${'kafka connect'.padEnd(18)} ${cfg.connect.url}/connectors`);
  out(`  ${'toxiproxy'.padEnd(18)} ${cfg.toxiproxy.url}/proxies`);
  out(
    `  ${'jaeger'.padEnd(18)} ${cfg.jaeger.queryUrl}   traces of ${Number(cfg.vars['OTEL_TRACES_SAMPLER_ARG']) * 100} % of sagas (OTEL_TRACES_SAMPLER_ARG)`,
  );
  out(`  ${''.padEnd(18)} query API only (this build has no UI): ${cfg.jaeger.queryUrl}/api/traces?service=order-service&limit=5`);
  out(`  ${'saga console'.padEnd(18)} ${consoleProc.url}/   (admin token: ADMIN_TOKEN in infra/.env)   log ${launcher.logFile('console')}`);
  out(`  ${'stack logs'.padEnd(18)} ${cfg.dirs.logs}   (npm run stack:logs)`);
  out('\nEvery service has GET /health/live, /health/ready and /metrics.');
  out('\nTry a saga (copy and paste):\n');
  out(curlExample(cfg, launcher));
  out('\nPress Ctrl-C to stop the services.');
}

function fail(message: string): number {
  process.stderr.write(`\nnpm start failed: ${message}\n`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`\nnpm start failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
