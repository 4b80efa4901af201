import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRest, describeRecovery, dropSlot, recoverSlot, stopConnector } from '@choreo/stack';
import { E2eHarness, waitFor } from '@choreo/testing';

/**
 * A replication slot lost under a running service (docs/operations.md, "A replication slot is
 * missing or lost"): the service keeps taking orders into its outbox, says what is wrong on
 * /metrics and /health/ready, and the recovery command brings every waiting event through.
 */
let h: E2eHarness;

beforeAll(async () => {
  h = await E2eHarness.start();
});

afterAll(async () => {
  await h?.close();
});

interface Publication {
  status: string;
  active: boolean;
  connector?: { tasks: string[] };
  problems: string[];
}

async function readiness(): Promise<{ httpStatus: number; publication: Publication }> {
  const res = await fetch(`http://127.0.0.1:${h.cfg.services.payment.httpPort}/health/ready`);
  const body = (await res.json()) as { details: { publication: Publication } };
  return { httpStatus: res.status, publication: body.details.publication };
}

const slotStatus = (status: string) => h.metric('payment', 'choreo_cdc_slot_status', { status });
const tasks = (state: string) => h.metric('payment', 'choreo_cdc_connector_tasks', { state });

describe('a lost replication slot', () => {
  it("when payment-service's slot is dropped, then /metrics and /health/ready name it (still ready), and after the recovery command its sagas confirm and both read healthy", async () => {
    const svc = h.cfg.services.payment;
    expect((await slotStatus('reserved')) + (await slotStatus('extended'))).toBe(1);
    expect(await tasks('RUNNING')).toBe(1);
    expect((await readiness()).publication.problems).toEqual([]);

    await stopConnector(h.cfg, svc);
    await dropSlot(h.cfg, svc);
    await connectRest(h.cfg, 'PUT', `/connectors/${svc.connector.name}/resume`);
    await waitFor(async () => (await slotStatus('missing')) === 1 && (await tasks('FAILED')) === 1, {
      timeoutMs: 60_000,
      description: 'the slot missing and the task FAILED on /metrics',
    });
    const degraded = await readiness();
    expect(degraded.httpStatus).toBe(200);
    expect(degraded.publication).toMatchObject({ status: 'missing', active: false, connector: { tasks: ['FAILED'] } });
    expect(degraded.publication.problems.join('\n')).toMatch(/replication slot choreo_payment is missing[\s\S]*task FAILED/);

    // Placed during the outage: payment-service decides and writes to its outbox; nothing leaves it.
    const { sku } = await h.fixtures.product({ priceCents: 300, available: 3 });
    const customer = await h.fixtures.customer(1_000);
    const placed = await h.fixtures.placeOrder({ customerId: customer, items: [{ sku, quantity: 1 }] });

    // payment-service authorizes it and writes PaymentAuthorized to its outbox, which nothing captures.
    await waitFor(async () => (await h.metric('payment', 'choreo_outbox_uncaptured_rows')) >= 1, {
      timeoutMs: 30_000,
      description: 'an outbox row counted as not captured',
    });

    const report = await recoverSlot(h.cfg, svc);
    expect(report.recovered, describeRecovery(report).join('\n')).toBe(true);
    expect(report.lost).toEqual([]);
    const [order] = await h.waitForTerminal([placed.orderId]);
    expect(order!.status).toBe('CONFIRMED');

    await waitFor(async () => (await slotStatus('reserved')) + (await slotStatus('extended')) === 1 && (await tasks('RUNNING')) === 1, {
      timeoutMs: 30_000,
      description: 'the slot and the task healthy again on /metrics',
    });
    expect((await readiness()).publication).toMatchObject({ active: true, problems: [] });
    await waitFor(async () => (await h.metric('payment', 'choreo_outbox_uncaptured_rows')) === 0, {
      timeoutMs: 30_000,
      description: 'every outbox row captured once the connector confirms its position',
    });
  });
});
