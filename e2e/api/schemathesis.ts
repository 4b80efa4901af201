import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Pinned like every other tool of the suite; a new version is a deliberate bump. */
export const SCHEMATHESIS_VERSION = '4.32.5';

/**
 * Schemathesis in a virtualenv of its own under ~/.cache/choreo (outside the repo, nothing global).
 * Idempotent: a venv whose marker names this version is reused as it is.
 */
export function ensureSchemathesis(cacheDir = join(homedir(), '.cache', 'choreo')): string {
  const venv = join(cacheDir, `schemathesis-${SCHEMATHESIS_VERSION}`);
  const marker = join(venv, '.installed');
  const st = join(venv, 'bin', 'st');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === SCHEMATHESIS_VERSION && existsSync(st)) return st;
  mkdirSync(cacheDir, { recursive: true });
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}): ${r.stderr?.slice(-2_000)}`);
  };
  run('python3', ['-m', 'venv', '--clear', venv]);
  run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`]);
  writeFileSync(marker, SCHEMATHESIS_VERSION);
  return st;
}

export interface SchemathesisRun {
  readonly exitCode: number | null;
  readonly output: string;
  readonly seconds: number;
  /** Test cases sent, from the run's JSON report. */
  readonly cases: number;
  readonly failures: readonly string[];
}

export interface SchemathesisOptions {
  readonly st: string;
  readonly schemaUrl: string;
  readonly config: string;
  readonly reportDir: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly maxExamples: number;
  readonly seed?: number;
  /** A Python module next to the config file (SCHEMATHESIS_HOOKS). */
  readonly hooks?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** `st run` against a live schema with every check and every phase (examples, coverage, fuzzing, stateful). */
export function runSchemathesis(o: SchemathesisOptions): Promise<SchemathesisRun> {
  mkdirSync(o.reportDir, { recursive: true });
  const args = [
    '--config-file',
    o.config,
    'run',
    o.schemaUrl,
    '--checks',
    'all',
    '--max-examples',
    String(o.maxExamples),
    '--workers',
    '1',
    '--no-color',
    // Nothing kept between runs (and no .schemathesis/ in the working directory).
    '--generation-database',
    'none',
    '--report',
    'ndjson',
    '--report-dir',
    o.reportDir,
    ...(o.seed === undefined ? [] : ['--seed', String(o.seed)]),
    ...Object.entries(o.headers ?? {}).flatMap(([name, value]) => ['--header', `${name}: ${value}`]),
  ];
  const started = Date.now();
  const env = { ...process.env, ...o.env, ...(o.hooks && { SCHEMATHESIS_HOOKS: o.hooks, PYTHONPATH: dirname(o.config) }) };
  return new Promise((resolve, reject) => {
    // Run from the report directory: Schemathesis keeps a crash cache (.schemathesis/) in its working directory.
    const child = spawn(o.st, args, { env, cwd: o.reportDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      writeFileSync(join(o.reportDir, 'output.txt'), output);
      resolve({ exitCode, output, seconds: (Date.now() - started) / 1000, ...summary(output) });
    });
  });
}

/** The closing lines of `st run`: how many cases it sent, and every failure it printed. */
function summary(output: string): { cases: number; failures: string[] } {
  const cases = Number(/(\d+) generated/.exec(output)?.[1] ?? output.match(/Test cases:\s*\n?\s*(\d+)/)?.[1] ?? 0);
  const failures = output.split('\n').filter((line) => /^_+ .* _+$|^\s*\d+\. .*(Failed|failure)/i.test(line));
  return { cases, failures };
}
