import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole } from '@choreo/stack';
import { E2eHarness, launchBrowser, waitFor, type ServiceProcess } from '@choreo/testing';

/**
 * The saga console (apps/console) in a real headless Chromium (Debian's package), against the
 * whole stack: the admin token guards it; a confirmed order's story spans the three services;
 * an order whose OrderPlaced inventory dead-letters (the test-only handler fault) shows up as
 * stuck, then dead-lettered, then, once cancelled, with its OrderCancelled parked; after the
 * fix is deployed it is redriven from the page and its story shows both events applied.
 * Screenshots of every view go to reports/e2e/console/.
 */
let h: E2eHarness;
let consoleProc: ServiceProcess;
let browser: Browser;
let page: Page;
let shots: string;

beforeAll(async () => {
  h = await E2eHarness.start();
  consoleProc = await startConsole(h.services, { env: { SAGA_STUCK_AFTER_MS: '3000' } });
  browser = await launchBrowser();
  page = await browser.newPage();
  shots = join(h.cfg.root, 'reports', 'e2e', 'console');
  mkdirSync(shots, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await consoleProc?.stop();
  await h?.close();
});

const text = () => page.$eval('main', (m) => (m as unknown as { innerText: string }).innerText);
const screenshot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

/** Opens a view and re-opens it until its text satisfies `ready` (the page reads on navigation). */
async function openView(hash: string, ready: (t: string) => boolean, description: string): Promise<string> {
  return waitFor(
    async () => {
      await page.goto(`${consoleProc.url}/?t=${Date.now()}${hash}`, { waitUntil: 'networkidle0' });
      const t = await text();
      return ready(t) ? t : undefined;
    },
    { timeoutMs: 45_000, intervalMs: 500, description },
  );
}

describe('saga console in a headless browser', () => {
  it('when no admin token is given, then the page says so and shows no data', async () => {
    const t = await openView('#/stuck', (s) => s.includes('admin token'), 'the missing-token message');
    expect(t).toContain('The admin token is missing or wrong');
    await page.type('#token', h.cfg.adminToken);
    await page.click('#token-form button');
    await page.waitForFunction(`document.querySelector('#token-state')?.textContent === 'set'`);
  });

  it("when an order is confirmed, then finding it shows its status, every service's steps and inbox entries in time order, its reservation lines and ledger", async () => {
    const { sku } = await h.fixtures.product({ priceCents: 700, available: 5 });
    const customer = await h.fixtures.customer(10_000);
    const placed = await h.fixtures.placeOrder({ customerId: customer, items: [{ sku, quantity: 2 }] });
    await h.waitForTerminal([placed.orderId]);
    await h.waitForSagaQuiet(placed.orderId);

    await page.goto(`${consoleProc.url}/#/saga`, { waitUntil: 'networkidle0' });
    await page.type('#order-id', placed.orderId);
    await page.click('#find-form button');
    await page.waitForFunction(`document.querySelector('#status')?.textContent?.includes('entries from')`);
    const t = await text();
    for (const expected of [
      'CONFIRMED',
      'order PLACED',
      'order CONFIRMED',
      'reservation COMMITTED',
      'payment CAPTURED',
      'ledger CHARGE',
      sku,
    ]) {
      expect(t).toContain(expected);
    }
    for (const service of ['order', 'inventory', 'payment'])
      expect(t).toMatch(new RegExp(`\\t${service}\\t\\w+ #\\d \\(\\w+\\)\\tapplied`));
    const times = await page.$$eval('tbody tr td:first-child span.mono', (cells) => cells.map((c) => c.textContent ?? ''));
    expect(times.length).toBeGreaterThan(10);
    expect([...times].sort()).toEqual(times);
    await screenshot('1-saga-confirmed');
  });

  it('when a handler bug dead-letters an OrderPlaced, then the saga is listed as stuck, its record as a dead letter, its successor as parked, and a redrive from the page applies both', async () => {
    const { sku } = await h.fixtures.product({ priceCents: 300, available: 5 });
    const customer = await h.fixtures.customer(10_000);
    await h.services.restart('inventory', { env: { CHOREO_TEST_FAIL_EVENT_TYPES: 'OrderPlaced' } });
    const { orderId } = await h.fixtures.placeOrder({ customerId: customer, items: [{ sku, quantity: 1 }] });

    await openView('#/stuck', (t) => t.includes(orderId), 'the order among the stuck sagas');
    await screenshot('2-stuck-sagas');
    const dlq = await openView(
      '#/dead-letters',
      (t) => t.includes(orderId) && t.includes('HANDLER_FAILED'),
      'its OrderPlaced among the dead letters',
    );
    expect(dlq).toContain('inventory-service');
    await screenshot('3-dead-letters');

    expect((await h.orders.cancel(orderId)).status).toBe(200);
    const parked = await openView('#/parked', (t) => t.includes(orderId), 'its OrderCancelled among the parked events');
    expect(parked).toMatch(/inventory\tOrderCancelled\t.*gap: waiting for order seq 1/);
    await screenshot('4-parked-events');
    await openView(`#/saga/${orderId}`, (t) => t.includes('dead_lettered') && t.includes('parked'), 'the saga story with both');
    await screenshot('5-saga-dead-lettered');

    await h.services.restart('inventory', { env: { CHOREO_TEST_FAIL_EVENT_TYPES: '' } });
    await openView('#/dead-letters', (t) => t.includes(orderId), 'the dead letters again');
    const button = await page.$(`button[data-saga="${orderId}"][data-redrive^="order.events.dlq:"]`);
    expect(button).not.toBeNull();
    page.once('dialog', (dialog) => void dialog.accept());
    await button!.click();
    await page.waitForFunction(`document.querySelector('#status')?.textContent?.startsWith('Redriven')`, { timeout: 30_000 });
    expect(await page.$eval('#status', (s) => s.textContent)).toMatch(
      /^Redriven order\.events\.dlq:\d+:\d+ to order\.events partition \d+/,
    );
    await screenshot('6-redriven');

    const story = await openView(
      `#/saga/${orderId}`,
      (t) => /inventory\tOrderPlaced #1 \(order\)\tapplied/.test(t) && /inventory\tOrderCancelled #2 \(order\)\tapplied/.test(t),
      'the story with OrderPlaced and OrderCancelled applied by inventory',
    );
    expect(story).toContain('reservation RELEASED');
    await screenshot('7-saga-redriven');
  });
});
