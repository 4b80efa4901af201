import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { components, stackUp } from '../src/stack';
import { loadStackConfig } from '../src/stack-config';

const cfg = loadStackConfig();

/** The nice value of every thread of `pid` (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadNices(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe('Kafka, Connect and Jaeger yield the cores to the request path', () => {
  beforeAll(async () => {
    await stackUp(cfg);
  }, 300_000);

  const running = (name: 'kafka' | 'connect' | 'jaeger') => {
    const pid = components(cfg)[name].pid();
    expect(pid, `${name} is not running`).toBeDefined();
    return pid!;
  };

  it.each(['kafka', 'connect', 'jaeger'] as const)('when %s runs, then every thread of it runs at PIPELINE_NICE', (name) => {
    const nices = threadNices(running(name));
    expect(nices.length).toBeGreaterThan(1);
    expect(new Set(nices)).toEqual(new Set([cfg.pipelineNice]));
  });

  // A kernel without autogroups (CONFIG_SCHED_AUTOGROUP off) has no file to write: reported as skipped.
  it.skipIf(!existsSync('/proc/self/autogroup')).each(['kafka', 'connect', 'jaeger'] as const)(
    'when %s runs, then its autogroup runs at PIPELINE_NICE too',
    (name) => {
      expect(readFileSync(`/proc/${running(name)}/autogroup`, 'utf8')).toMatch(new RegExp(`nice ${cfg.pipelineNice}$`, 'm'));
    },
  );

  it('when PostgreSQL runs, then it keeps the default priority: it is on the request path', () => {
    const pid = components(cfg).postgres.pid();
    expect(pid).toBeDefined();
    expect(threadNices(pid!)).toEqual([0]);
  });
});
