import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@choreo/stack';
import { E2eHarness } from '@choreo/testing';
import { runScenario } from './chaos-run';
import { reportTable, toReport, writeReport, writeSummary, type ScenarioReport } from './report';
import { selectScenarios } from './scenarios';

/**
 * The chaos suite: each scenario runs ≥ 200 orders on the real stack while its
 * faults come and go, waits (bounded) for the system to quiesce, then checks every invariant
 * of docs/architecture.md §5 on that run's rows. CHOREO_CHAOS_PROFILE=short|full picks the scenarios;
 * CHOREO_CHAOS_SCENARIO=a,b runs only those. Reports go to reports/chaos/.
 */
const cfg = loadStackConfig();
const profile = process.env['CHOREO_CHAOS_PROFILE'] ?? 'short';
const scenarios = selectScenarios(profile, process.env['CHOREO_CHAOS_SCENARIO']);
const quiesceTimeoutMs = Number(process.env['CHOREO_CHAOS_QUIESCE_MS'] ?? cfg.sagaTimeoutMs + 120_000);
const reports: ScenarioReport[] = [];
const crashLog: string[] = [];
const started = Date.now();
let h: E2eHarness;

beforeAll(async () => {
  h = await E2eHarness.start({ tap: false });
  h.services.onUnexpectedExit((id, exit) => crashLog.push(`${id} exited (code ${exit.code}, signal ${exit.signal})`));
});

afterAll(async () => {
  await h?.close();
  if (reports.length > 0)
    console.log(`\n${writeSummary(cfg.root, process.env['CHOREO_CHAOS_SCENARIO'] ? 'selection' : profile, reports, Date.now() - started)}`);
});

describe(`chaos (${process.env['CHOREO_CHAOS_SCENARIO'] ? 'selected scenarios' : `${profile} profile`})`, () => {
  for (const scenario of scenarios) {
    it(`when ${scenario.summary}, then every saga terminates and no invariant is violated (${scenario.name})`, async () => {
      const report = toReport(await runScenario(h, scenario, { cfg, quiesceTimeoutMs, crashLog }));
      reports.push(report);
      writeReport(cfg.root, report);
      console.log(`\n${reportTable(report)}\n`);

      expect(report.orders.accepted).toBeGreaterThanOrEqual(200);
      expect(report.quiesced, report.pendingAtGiveUp).toBe(true);
      expect(report.violations.first).toEqual([]);
      expect(report.crashes).toEqual([]);
    });
  }
});
