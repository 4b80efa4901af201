import { spawn } from 'node:child_process';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, capturing output. Rejects on non-zero exit unless allowFail. */
export function runCommand(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; allowFail?: boolean; input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '',
      stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${cmd}: ${err.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const res = { code: code ?? -1, stdout, stderr };
      if (res.code !== 0 && !opts.allowFail) {
        const out = (stderr || stdout).trim().split('\n').slice(-30).join('\n');
        reject(new Error(`${cmd} ${args.join(' ')} exited ${res.code}\n${out}`));
      } else resolve(res);
    });
    if (child.stdin) {
      child.stdin.on('error', () => {
        /* the child may exit without reading its input */
      });
      child.stdin.end(opts.input);
    }
  });
}

export async function which(cmd: string): Promise<string | undefined> {
  const r = await runCommand('sh', ['-c', `command -v ${cmd}`], { allowFail: true });
  return r.code === 0 ? r.stdout.trim() : undefined;
}
