import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ALERTS_DIR, alertRules, dashboardPanels, promtool, ruleFiles, ruleTestFiles } from '../src';

const ROOT = join(import.meta.dirname, '..', '..', '..');

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
    expect(ruleFiles().length).toBeGreaterThan(0);
    const r = promtool(['check', 'rules', ...ruleFiles()], ALERTS_DIR);
    expect(r.out).toContain('SUCCESS');
    expect(r.ok, r.out).toBe(true);
  });

  it("when promtool runs the rules' unit tests, then every alert fires on its state and stays silent otherwise", () => {
    expect(ruleTestFiles().length).toBe(ruleFiles().length);
    const r = promtool(['test', 'rules', ...ruleTestFiles()], ALERTS_DIR);
    expect(r.ok, r.out).toBe(true);
    const tested = new Set(
      ruleTestFiles().flatMap((f) => [...readFileSync(join(ALERTS_DIR, f), 'utf8').matchAll(/alertname: (\w+)/g)].map((m) => m[1])),
    );
    for (const rule of alertRules()) expect(tested, `${rule.alert} has a promtool test`).toContain(rule.alert);
  });

  it('when an alert points to its runbook, then docs/operations.md has that section', () => {
    const operations = anchors(readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8'));
    for (const rule of alertRules()) {
      const [file, anchor] = rule.annotations.runbook.split('#');
      expect(file, rule.alert).toBe('docs/operations.md');
      expect(operations, `${rule.alert} → #${anchor}`).toContain(anchor);
    }
  });
});

describe('the Grafana dashboard (infra/observability/grafana)', () => {
  it('when promtool parses every panel query (as recording rules), then each is valid PromQL on the chosen data source', () => {
    const panels = dashboardPanels();
    expect(panels.length).toBeGreaterThan(10);
    for (const p of panels) {
      expect(p.datasource.uid, p.title).toBe('${datasource}');
      expect(p.targets.length, p.title).toBeGreaterThan(0);
    }
    const dir = mkdtempSync(join(tmpdir(), 'choreo-dashboard-'));
    try {
      const recording = panels.flatMap((p) => p.targets).map((t, i) => ({ record: `choreo:dashboard:${i}`, expr: t.expr }));
      writeFileSync(join(dir, 'dashboard.rules.yml'), stringify({ groups: [{ name: 'dashboard', rules: recording }] }));
      const r = promtool(['check', 'rules', 'dashboard.rules.yml'], dir);
      expect(r.ok, r.out).toBe(true);
      expect(r.out).toContain(`SUCCESS: ${recording.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
