/** The stack manager talks to humans on stderr; stdout stays free for machine-readable output. */
export function log(msg: string): void {
  const quiet = process.env['CHOREO_STACK_QUIET'] === '1';
  if (!quiet) process.stderr.write(`[stack] ${msg}\n`);
}
