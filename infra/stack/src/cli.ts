import { spawn } from 'node:child_process';
import { COMPONENTS, ComponentError, type ComponentName } from './component';
import { provisionOnly } from './provision';
import { tailFile } from './process-supervisor';
import { recoverSlot, describeRecovery } from './slot-recovery';
import { loadStackConfig, SERVICES, type ServiceName, type StackConfig } from './stack-config';
import { components, stackDown, stackStatus, stackUp } from './stack';

const usage = `usage: stack <up | down [--purge] | reset | status [--json] | logs [component] [-f] | endpoints | provision | recover <service> [--force]>
  components: ${COMPONENTS.join(', ')}`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const cfg = loadStackConfig();
  switch (cmd) {
    case 'up':
      await stackUp(cfg);
      printEndpoints(cfg);
      return 0;
    case 'down':
      await stackDown({ purge: rest.includes('--purge') }, cfg);
      return 0;
    case 'reset':
      await stackDown({ purge: true }, cfg);
      return 0;
    case 'status':
      return status(cfg, rest.includes('--json'));
    case 'logs':
      return logs(cfg, rest.filter((a) => !a.startsWith('-'))[0], rest.includes('-f'));
    case 'endpoints':
      printEndpoints(cfg);
      return 0;
    case 'provision': // compose: everything after the containers are up, with the same code as native
      await provisionOnly(cfg);
      return 0;
    case 'recover':
      return recover(cfg, rest.filter((a) => !a.startsWith('-'))[0], rest.includes('--force'));
    default:
      process.stderr.write(`${usage}\n`);
      return cmd === undefined || cmd === 'help' ? 0 : 2;
  }
}

async function status(cfg: StackConfig, json: boolean): Promise<number> {
  const rows = await stackStatus(cfg);
  if (json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else {
    for (const r of rows) {
      const mark = r.healthy ? 'healthy  ' : 'UNHEALTHY';
      process.stdout.write(
        `${mark}  ${r.name.padEnd(28)} pid ${String(r.pid ?? '-').padEnd(8)} port ${String(r.port).padEnd(6)} ${r.detail ?? r.logFile}\n`,
      );
    }
  }
  return rows.every((r) => r.healthy) ? 0 : 1;
}

/** `stack:recover -- <service>`: recreate a lost replication slot and re-publish from the outbox. */
async function recover(cfg: StackConfig, service: string | undefined, force: boolean): Promise<number> {
  if (!service || !(SERVICES as readonly string[]).includes(service)) {
    process.stderr.write(`usage: npm run stack:recover -- <${SERVICES.join(' | ')}> [--force]\n`);
    return 2;
  }
  const report = await recoverSlot(cfg, cfg.services[service as ServiceName], { force });
  for (const line of describeRecovery(report)) process.stdout.write(`${line}\n`);
  // Lost events are not a failure of the command, but a script must not mistake them for success.
  return report.lost.length > 0 ? 3 : 0;
}

function logs(cfg: StackConfig, which: string | undefined, follow: boolean): Promise<number> {
  const all = components(cfg);
  const names = (which ? [which] : [...COMPONENTS]) as ComponentName[];
  const bad = names.find((n) => !(n in all));
  if (bad) {
    process.stderr.write(`unknown component ${bad}\n${usage}\n`);
    return Promise.resolve(2);
  }
  const files = names.map((n) => all[n].logFile);
  if (!follow) {
    for (const [i, f] of files.entries()) process.stdout.write(`==> ${names[i]}: ${f} <==\n${tailFile(f, 50)}\n`);
    return Promise.resolve(0);
  }
  return new Promise((resolve) => {
    const tail = spawn('tail', ['-n', '50', '-F', ...files], { stdio: 'inherit' });
    tail.on('exit', (code) => resolve(code ?? 0));
  });
}

function printEndpoints(cfg: StackConfig): void {
  const lines = [
    'Choreo stack endpoints',
    `  postgres      ${cfg.pg.superUrl.replace(/:[^:@/]*@/, ':***@')}`,
    `  kafka         ${cfg.kafka.bootstrap} (direct)`,
    `  connect       ${cfg.connect.url}`,
    `  toxiproxy     ${cfg.toxiproxy.url}`,
    `  jaeger        ${cfg.jaeger.queryUrl} (query API)  OTLP/HTTP ${cfg.jaeger.otlpUrl}`,
    ...SERVICES.flatMap((s) => {
      const e = cfg.services[s];
      return [
        `  ${`${s}-service`.padEnd(18)} http :${e.httpPort}  db ${e.dbUrl.replace(/:[^:@/]*@/, ':***@')}  kafka ${e.kafkaBrokers.join(',')}`,
      ];
    }),
    `  topics        ${cfg.topics.all.join(' ')}`,
    `  logs          ${cfg.dirs.logs}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ComponentError) {
      process.stderr.write(
        `\nstack: ${err.component} failed: ${err.message}\n--- last lines of ${err.logFile} ---\n${tailFile(err.logFile, 30)}\n`,
      );
    } else {
      process.stderr.write(`\nstack: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    process.exit(1);
  },
);
