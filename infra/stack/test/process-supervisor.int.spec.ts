import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isOurs } from '../src/process-supervisor';

const MARKER = 'choreo-exec-probe';

describe('isOurs: a managed process is recognised by the marker in its arguments', () => {
  it('when the pid is this process, a kernel thread, or nobody, then only a marker in its arguments makes it ours', () => {
    expect(isOurs(process.pid, process.argv[1]!)).toBe(true);
    expect(isOurs(process.pid, 'not-in-our-arguments')).toBe(false);
    expect(isOurs(2, MARKER)).toBe(false); // kthreadd: no arguments, and a kernel thread
    expect(isOurs(2 ** 22 + 1, MARKER)).toBe(false); // above pid_max: no such process
  });

  it('when a process is started under nice and execs its program, then it is ours from the spawn on, through every exec', async () => {
    // The stack starts Kafka, Connect and Jaeger as `nice -n 10 <program>`: between spawn and the
    // program running there are two execs, and each reads as an empty cmdline for a moment.
    let checks = 0;
    for (let run = 0; run < 10; run++) {
      const child = spawn('nice', ['-n', '10', process.execPath, '-e', 'setTimeout(() => {}, 5000)', MARKER], {
        stdio: 'ignore',
        detached: true,
      });
      try {
        const until = Date.now() + 300;
        while (Date.now() < until) {
          expect(isOurs(child.pid!, MARKER)).toBe(true);
          checks++;
        }
      } finally {
        child.kill('SIGKILL');
      }
      await new Promise((resolve) => child.once('exit', resolve));
      expect(isOurs(child.pid!, MARKER)).toBe(false); // reaped: gone
    }
    expect(checks).toBeGreaterThan(1_000);
  });
});
