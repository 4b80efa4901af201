import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Parses the subset of dotenv syntax that infra/.env uses and that docker compose also reads:
 * `KEY=VALUE` lines, `#` comment lines, blank lines, optional `export `, optional matching quotes.
 * No interpolation: compose would interpolate `${X}` but we never write such values.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new Error(`infra/.env line ${i + 1}: expected KEY=VALUE, got: ${raw}`);
    const key = m[1]!;
    let value = m[2]!;
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2]!;
    else value = value.replace(/\s+#.*$/, '').trim();
    out[key] = value;
  });
  return out;
}

/** The repository root: CHOREO_ROOT, else the first ancestor (of this file, then of cwd) holding infra/.env. */
export function findRepoRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env['CHOREO_ROOT']) return resolve(env['CHOREO_ROOT']);
  const starts = [dirname(fileURLToPath(import.meta.url)), process.cwd()];
  for (const start of starts) {
    let dir = start;
    for (;;) {
      if (existsSync(join(dir, 'infra', '.env'))) return dir;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error('Cannot find infra/.env above this module or the working directory; set CHOREO_ROOT');
}

export function readEnvFile(path: string): Record<string, string> {
  return parseEnvFile(readFileSync(path, 'utf8'));
}
