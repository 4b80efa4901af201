import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_ENV_KEYS } from '@choreo/platform';
import { parse } from 'yaml';
import { readEnvFile } from '../env-file';
import { loadStackConfig, type ServiceName, type StackConfig } from '../stack-config';

/**
 * Services run from their images on the compose network instead of as `node main.ts`
 * (CHOREO_STACK=compose): the launcher starts, stops, kills and restarts containers the way it
 * handles processes, so the e2e and chaos specs run unchanged against the compose stack.
 */
export interface ServiceContainers {
  /** The stack as seen from inside the compose network (service names, not 127.0.0.1). */
  readonly cfg: StackConfig;
  readonly network: string;
  readonly project: string;
  readonly image: (service: ServiceName) => string;
}

export function composeServiceContainers(root: string): ServiceContainers {
  const compose = parse(readFileSync(join(root, 'infra', 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { image: string }>;
    'x-stack-topology': Record<string, string>;
  };
  const project = process.env['COMPOSE_PROJECT_NAME'] ?? readEnvFile(join(root, 'infra', '.env'))['COMPOSE_PROJECT_NAME'] ?? 'infra';
  return {
    cfg: loadStackConfig({ ...compose['x-stack-topology'], CHOREO_ROOT: root }),
    network: `${project}_default`,
    project,
    image: (service) => compose.services[`${service}-service`]!.image,
  };
}

export const containerName = (project: string, id: string) => `${project}-${id}-launched`;

/**
 * `docker run` of one service: attached (its output goes to the launcher's log file), removed on
 * exit, labelled into the compose project so `compose down --remove-orphans` removes it too, and
 * given only the service's own keys from `env` (passed by name, so no value shows in `ps`).
 */
export function dockerRunArgs(c: ServiceContainers, id: string, image: string, port: number, env: NodeJS.ProcessEnv): string[] {
  const keys = [...SERVICE_ENV_KEYS, 'KAFKAJS_NO_PARTITIONER_WARNING'].filter((k) => env[k] !== undefined);
  return [
    'run',
    '--rm',
    '--name',
    containerName(c.project, id),
    '--network',
    c.network,
    '--label',
    `com.docker.compose.project=${c.project}`,
    '--publish',
    `${port}:${port}`,
    ...keys.flatMap((k) => ['--env', k]),
    image,
  ];
}

/** Signals the container itself: a SIGKILL to the `docker run` client would leave it running. */
export function signalContainer(project: string, id: string, sig: NodeJS.Signals): void {
  spawnSync('docker', ['kill', '--signal', sig, containerName(project, id)], { stdio: 'ignore' });
}
