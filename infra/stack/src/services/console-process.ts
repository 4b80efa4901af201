import { join } from 'node:path';
import { SERVICES, type StackConfig } from '../stack-config';
import type { ServiceLauncher } from './launcher';
import { ServiceProcess } from './service-process';

export const CONSOLE_ID = 'console';

/** The saga console's port: CONSOLE_HTTP_PORT in infra/.env. */
export const consolePort = (cfg: StackConfig): number => Number(cfg.vars['CONSOLE_HTTP_PORT'] ?? 3004);

/**
 * Starts the saga console (apps/console) next to the services a launcher runs: it reads them
 * through their APIs with the stack's admin token, and the .dlq topics on the direct listener.
 */
export async function startConsole(
  launcher: ServiceLauncher,
  opts: { readonly env?: Readonly<Record<string, string>>; readonly readyTimeoutMs?: number } = {},
): Promise<ServiceProcess> {
  const { cfg } = launcher;
  const port = consolePort(cfg);
  const urls = Object.fromEntries(SERVICES.map((s) => [`${s.toUpperCase()}_SERVICE_URL`, launcher.url(s)]));
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  delete inherited['NODE_OPTIONS'];
  const proc = await ServiceProcess.spawn({
    id: CONSOLE_ID,
    main: join(cfg.root, 'apps', 'console', 'src', 'main.ts'),
    cwd: cfg.root,
    port,
    env: {
      ...inherited,
      ...urls,
      PORT: String(port),
      CHOREO_ENV: cfg.vars['CHOREO_ENV'] ?? 'deployed',
      ADMIN_TOKEN: cfg.adminToken,
      KAFKA_BROKERS: cfg.kafka.bootstrap,
      LOG_LEVEL: cfg.vars['LOG_LEVEL'] ?? 'info',
      SAGA_STUCK_AFTER_MS: cfg.vars['SAGA_STUCK_AFTER_MS'] ?? '60000',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      ...opts.env,
    },
    logFile: launcher.logFile(CONSOLE_ID),
    pidFile: join(cfg.dirs.run, 'services', `${CONSOLE_ID}.json`),
  });
  try {
    await proc.waitReady(opts.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await proc.kill();
    throw error;
  }
  return proc;
}
