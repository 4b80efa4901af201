import { join } from 'node:path';
import { loadStackConfig, SERVICES, type ServiceName, type StackConfig } from '../stack-config';
import { composeServiceContainers, type ServiceContainers } from './service-container';
import { serviceEnv, serviceMain, type ServiceEnvOptions } from './service-env';
import { ServiceProcess, type ExitInfo } from './service-process';

export interface LaunchOptions extends ServiceEnvOptions {
  /** Deadline for GET /health/ready = 200. Default 60 s. */
  readonly readyTimeoutMs?: number;
  /** Extra `node` flags, e.g. `--cpu-prof` (not allowed in NODE_OPTIONS). */
  readonly nodeArgs?: readonly string[];
}

export interface ServiceLauncherOptions {
  readonly cfg?: StackConfig;
  /** Where `<id>.log` files go. Default: the stack's log dir. */
  readonly logDir?: string;
  /** Per-service options every start of that service gets (a start's own options win). */
  readonly defaults?: Partial<Record<ServiceName, LaunchOptions>>;
  /** Run the services' images instead of their sources; default: the compose stack's when CHOREO_STACK=compose. */
  readonly containers?: ServiceContainers;
}

export type ExitListener = (id: string, exit: ExitInfo) => void;

interface Entry {
  readonly service: ServiceName;
  readonly instance: number;
  readonly opts: LaunchOptions;
  readonly proc: ServiceProcess;
}

/** Port of instance n > 1: the service's port + 100·(n-1), e.g. order-service-2 on 3101. */
const INSTANCE_PORT_STEP = 100;

/**
 * Starts the three services as child processes (`node --import tsx apps/<svc>/src/main.ts`, or
 * `docker run` of their images on the compose stack: service-container.ts) on the running stack,
 * and stops, kills or restarts any one of them. Used by `npm start`, the e2e saga tests and the
 * chaos suite. A service is started only once its previous
 * process has exited; a stop is SIGTERM with a bounded wait; a kill is SIGKILL.
 */
export class ServiceLauncher {
  readonly cfg: StackConfig;
  readonly logDir: string;
  readonly containers: ServiceContainers | undefined;
  private readonly entries = new Map<string, Entry>();
  private readonly stopping = new Set<ServiceProcess>();
  private readonly listeners: ExitListener[] = [];

  constructor(private readonly options: ServiceLauncherOptions = {}) {
    this.cfg = options.cfg ?? loadStackConfig();
    this.logDir = options.logDir ?? this.cfg.dirs.logs;
    this.containers =
      options.containers ?? (process.env['CHOREO_STACK'] === 'compose' ? composeServiceContainers(this.cfg.root) : undefined);
  }

  static idOf(service: ServiceName, instance = 1): string {
    return instance === 1 ? `${service}-service` : `${service}-service-${instance}`;
  }

  /** Starts instance 1 of a service and waits until it is ready. */
  start(service: ServiceName, opts: LaunchOptions = {}): Promise<ServiceProcess> {
    return this.launch(service, 1, opts);
  }

  /** Starts all three in parallel; if one fails, stops the others and throws. */
  async startAll(opts: Partial<Record<ServiceName, LaunchOptions>> = {}): Promise<Record<ServiceName, ServiceProcess>> {
    const results = await Promise.allSettled(SERVICES.map((s) => this.start(s, opts[s])));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0) {
      await this.stopAll();
      throw failed.length === 1
        ? failed[0]!.reason
        : new AggregateError(
            failed.map((f) => f.reason),
            failed.map((f) => String(f.reason)).join('\n\n'),
          );
    }
    return Object.fromEntries(SERVICES.map((s, i) => [s, (results[i] as PromiseFulfilledResult<ServiceProcess>).value])) as Record<
      ServiceName,
      ServiceProcess
    >;
  }

  /** Another instance of a running service: same database, same consumer group (a rebalance), its own port. */
  startInstance(service: ServiceName, opts: LaunchOptions = {}): Promise<ServiceProcess> {
    let instance = 2;
    while (this.entries.get(ServiceLauncher.idOf(service, instance))?.proc.running) instance++;
    return this.launch(service, instance, opts);
  }

  /** Graceful stop (SIGTERM, bounded wait, then SIGKILL). `target`: a service (instance 1) or an id. */
  async stop(target: ServiceName | string, graceMs?: number): Promise<ExitInfo | undefined> {
    const entry = this.entry(target);
    if (!entry) return undefined;
    this.stopping.add(entry.proc);
    return entry.proc.stop(graceMs);
  }

  async kill(target: ServiceName | string): Promise<ExitInfo | undefined> {
    const entry = this.entry(target);
    if (!entry) return undefined;
    this.stopping.add(entry.proc);
    return entry.proc.kill();
  }

  /** Stops (gracefully) and starts again with the same options, `opts` merged over them. */
  async restart(target: ServiceName | string, opts: LaunchOptions = {}): Promise<ServiceProcess> {
    const entry = this.entry(target);
    if (!entry) throw new Error(`restart: ${target} was never started by this launcher`);
    await this.stop(target);
    return this.launch(entry.service, entry.instance, mergeOptions(entry.opts, opts));
  }

  /** Stops every running instance in parallel; returns each one's exit. */
  async stopAll(graceMs?: number): Promise<Record<string, ExitInfo>> {
    const running = [...this.entries.entries()].filter(([, e]) => e.proc.running);
    const exits = await Promise.all(running.map(async ([id]) => [id, await this.stop(id, graceMs)] as const));
    return Object.fromEntries(exits.filter((e): e is readonly [string, ExitInfo] => e[1] !== undefined));
  }

  get(target: ServiceName | string): ServiceProcess | undefined {
    return this.entry(target)?.proc;
  }

  running(): ServiceProcess[] {
    return [...this.entries.values()].filter((e) => e.proc.running).map((e) => e.proc);
  }

  /** Base URL of instance 1 of a service (whether it runs or not). */
  url(service: ServiceName): string {
    const port =
      this.entries.get(ServiceLauncher.idOf(service))?.proc.spec.port ??
      this.options.defaults?.[service]?.port ??
      this.cfg.services[service].httpPort;
    return `http://127.0.0.1:${port}`;
  }

  logFile(target: ServiceName | string): string {
    return join(this.logDir, `${SERVICES.includes(target as ServiceName) ? ServiceLauncher.idOf(target as ServiceName) : target}.log`);
  }

  /** Called when a process exits without this launcher having stopped or killed it (a crash). */
  onUnexpectedExit(listener: ExitListener): void {
    this.listeners.push(listener);
  }

  private entry(target: ServiceName | string): Entry | undefined {
    const id = SERVICES.includes(target as ServiceName) ? ServiceLauncher.idOf(target as ServiceName) : target;
    return this.entries.get(id);
  }

  private async launch(service: ServiceName, instance: number, opts: LaunchOptions): Promise<ServiceProcess> {
    const id = ServiceLauncher.idOf(service, instance);
    const previous = this.entries.get(id);
    if (previous?.proc.running) throw new Error(`${id} is already running (pid ${previous.proc.pid})`);
    const merged = mergeOptions(this.options.defaults?.[service] ?? {}, opts);
    const port = merged.port ?? this.cfg.services[service].httpPort + INSTANCE_PORT_STEP * (instance - 1);
    const proc = await ServiceProcess.spawn({
      id,
      main: this.containers ? this.containers.image(service) : serviceMain(this.cfg, service),
      container: this.containers,
      cwd: this.cfg.root,
      port,
      env: serviceEnv(this.containers?.cfg ?? this.cfg, service, { ...merged, port }),
      nodeArgs: merged.nodeArgs ?? [],
      logFile: this.logFile(id),
      pidFile: join(this.cfg.dirs.run, 'services', `${id}.json`),
    });
    this.entries.set(id, { service, instance, opts, proc });
    void proc.exited.then((exit) => {
      if (!this.stopping.delete(proc)) for (const listener of this.listeners) listener(id, exit);
    });
    try {
      await proc.waitReady(merged.readyTimeoutMs ?? 60_000);
    } catch (error) {
      this.stopping.add(proc);
      await proc.kill();
      throw error;
    }
    return proc;
  }
}

function mergeOptions(base: LaunchOptions, over: LaunchOptions): LaunchOptions {
  return { ...base, ...over, env: { ...base.env, ...over.env } };
}
