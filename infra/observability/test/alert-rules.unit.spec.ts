import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CDC_METRICS } from '@choreo/outbox';
import { promtool } from '../src/promtool';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const ALERTS = join(ROOT, 'infra', 'observability', 'alerts');
const ruleFiles = readdirSync(ALERTS).filter((f) => f.endsWith('.rules.yml'));
const testFiles = readdirSync(ALERTS).filter((f) => f.endsWith('.rules.test.yml'));

interface Rule {
  alert: string;
  expr: string;
  annotations: { runbook: string };
}
const rules = ruleFiles.flatMap((f) =>
  (parse(readFileSync(join(ALERTS, f), 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules),
);

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as dashes. */
const anchors = (markdown: string) =>
  new Set(
    [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
      m[1]!
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );

describe('Prometheus alert rules (infra/observability/alerts)', () => {
  it('when promtool checks every rule file, then each is valid', () => {
    expect(ruleFiles.length).toBeGreaterThan(0);
    const r = promtool(['check', 'rules', ...ruleFiles], ALERTS);
    expect(r.out).toContain('SUCCESS');
    expect(r.ok, r.out).toBe(true);
  });

  it("when promtool runs the rules' unit tests, then every alert fires on its state and stays silent otherwise", () => {
    expect(testFiles.length).toBe(ruleFiles.length);
    const r = promtool(['test', 'rules', ...testFiles], ALERTS);
    expect(r.ok, r.out).toBe(true);
    const tested = new Set(
      testFiles.flatMap((f) => [...readFileSync(join(ALERTS, f), 'utf8').matchAll(/alertname: (\w+)/g)].map((m) => m[1])),
    );
    for (const rule of rules) expect(tested, `${rule.alert} has a promtool test`).toContain(rule.alert);
  });

  it('when a rule reads a metric, then a service exports it, and its runbook link names a section of docs/operations.md', () => {
    const operations = anchors(readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8'));
    for (const rule of rules) {
      for (const [metric] of rule.expr.matchAll(/choreo_[a-z_]+/g))
        expect(Object.values(CDC_METRICS), `${rule.alert} reads ${metric}`).toContain(metric);
      const [file, anchor] = rule.annotations.runbook.split('#');
      expect(file, rule.alert).toBe('docs/operations.md');
      expect(operations, `${rule.alert} → #${anchor}`).toContain(anchor);
    }
  });
});
