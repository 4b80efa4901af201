import { spawnSync } from 'node:child_process';

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `docker …`, synchronously; throws on a non-zero exit unless `allowFail`. */
export function docker(args: readonly string[], opts: { allowFail?: boolean; timeoutMs?: number } = {}): Run {
  const r = spawnSync('docker', args, { encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000 });
  const run = { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  if (!opts.allowFail && r.status !== 0) throw new Error(`docker ${args.join(' ')} → exit ${r.status}\n${run.stderr}`);
  return run;
}

/** The host port docker published for a container port. */
export function publishedPort(container: string, port: number): number {
  return Number(
    docker(['port', container, `${port}/tcp`])
      .stdout.trim()
      .split('\n')[0]!
      .split(':')
      .pop(),
  );
}
