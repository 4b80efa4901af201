/**
 * @choreo/observability — the alert rules and the dashboard as files, and promtool to check them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export { ensurePromtool, promtool } from './promtool';

const HERE = join(import.meta.dirname, '..');
export const ALERTS_DIR = join(HERE, 'alerts');
export const DASHBOARD_FILE = join(HERE, 'grafana', 'choreo-dashboard.json');

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly annotations: { readonly runbook: string };
}

export interface DashboardPanel {
  readonly title: string;
  readonly datasource: { readonly uid: string };
  readonly targets: readonly { readonly expr: string }[];
}

export const ruleFiles = (): string[] => readdirSync(ALERTS_DIR).filter((f) => f.endsWith('.rules.yml'));
export const ruleTestFiles = (): string[] => readdirSync(ALERTS_DIR).filter((f) => f.endsWith('.rules.test.yml'));

export const alertRules = (): AlertRule[] =>
  ruleFiles().flatMap((f) =>
    (parse(readFileSync(join(ALERTS_DIR, f), 'utf8')) as { groups: { rules: AlertRule[] }[] }).groups.flatMap((g) => g.rules),
  );

export const dashboardPanels = (): DashboardPanel[] =>
  (JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as { panels: DashboardPanel[] }).panels;

/** Every `choreo_*` series an alert or a panel reads (histogram suffixes stripped). */
export function metricsRead(): Set<string> {
  const exprs = [...alertRules().map((r) => r.expr), ...dashboardPanels().flatMap((p) => p.targets.map((t) => t.expr))];
  return new Set(exprs.flatMap((e) => [...e.matchAll(/\bchoreo_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, ''))));
}
