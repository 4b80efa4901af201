/**
 * `npm run demo`: a handful of sagas covering every outcome, then a table of how each ended
 * and its timeline. Uses the running services (`npm start`) or starts its own (with a 5 s saga
 * deadline so the timeout shows quickly). Payment is held back for the cancel and timeout
 * sagas by cutting payment-service's Kafka link in Toxiproxy, then restoring it.
 */
import { loadStackConfig, portInUse, SERVICES, ServiceLauncher, stackUp, ToxiproxyClient, type ServiceName } from '@choreo/stack';
import {
  Fixtures,
  InventoryApi,
  OrderApi,
  PaymentApi,
  SagaWaiters,
  ServiceDbs,
  summarize,
  sagaTiming,
  uniqueId,
  waitFor,
  type OrderView,
} from '@choreo/testing';
import { renderSagaTable, type DemoRow } from './saga-table';

const out = (line = '') => process.stdout.write(`${line}\n`);
const DEMO_SAGA_TIMEOUT_MS = 5_000;

async function ensureServices(launcher: ServiceLauncher): Promise<{ started: ServiceName[]; sagaTimeoutMs: number }> {
  const ready = async (s: ServiceName) => (await fetch(`${launcher.url(s)}/health/ready`).catch(() => undefined))?.status === 200;
  const missing: ServiceName[] = [];
  for (const s of SERVICES) {
    if (await ready(s)) continue;
    if (await portInUse(launcher.cfg.services[s].httpPort))
      throw new Error(
        `${s}-service answers on :${launcher.cfg.services[s].httpPort} but is not ready; check it (npm start output / its log)`,
      );
    missing.push(s);
  }
  if (missing.length === 0) {
    out('Using the services already running (npm start).');
    return { started: [], sagaTimeoutMs: launcher.cfg.sagaTimeoutMs };
  }
  out(`Starting ${missing.map((s) => `${s}-service`).join(', ')} for the demo …`);
  await Promise.all(missing.map((s) => launcher.start(s)));
  return { started: missing, sagaTimeoutMs: missing.includes('order') ? DEMO_SAGA_TIMEOUT_MS : launcher.cfg.sagaTimeoutMs };
}

async function main(): Promise<void> {
  const cfg = loadStackConfig();
  out('Bringing the stack up (a no-op if it runs) …');
  await stackUp(cfg);
  const launcher = new ServiceLauncher({ cfg, defaults: { order: { env: { SAGA_TIMEOUT_MS: String(DEMO_SAGA_TIMEOUT_MS) } } } });
  const { started, sagaTimeoutMs } = await ensureServices(launcher);
  const orders = new OrderApi(launcher.url('order'));
  const inventory = new InventoryApi(launcher.url('inventory'), cfg.adminToken);
  const payments = new PaymentApi(launcher.url('payment'), cfg.adminToken);
  const dbs = new ServiceDbs(cfg);
  const fixtures = new Fixtures(orders, inventory, payments, dbs);
  const sagas = new SagaWaiters(orders, inventory, payments, dbs);
  const toxiproxy = ToxiproxyClient.fromConfig(cfg);
  const paymentLink = cfg.services.payment.proxies.kafka;
  try {
    out('Seeding products and accounts through the admin APIs …');
    const keyboard = await fixtures.product({ sku: uniqueId('keyboard'), name: 'Mechanical keyboard', priceCents: 4_999, available: 5 });
    const mug = await fixtures.product({ sku: uniqueId('mug'), name: 'Last mug', priceCents: 1_250, available: 1 });
    const pen = await fixtures.product({ sku: uniqueId('pen'), name: 'Pen', priceCents: 199, available: 100 });
    const funds: Record<string, number> = {};
    const customer = async (name: string, cents: number) => {
      const id = await fixtures.customer(cents, uniqueId(name));
      funds[id] = cents;
      return id;
    };
    const [alice, bob, carol, dave, erin] = await Promise.all([
      customer('alice', 20_000),
      customer('bob', 1_000),
      customer('carol', 10_000),
      customer('dave', 10_000),
      customer('erin', 10_000),
    ]);
    const scenarios = new Map<string, string>();
    const place = async (scenario: string, customerId: string, items: { sku: string; quantity: number }[]) => {
      const order = await fixtures.placeOrder({ customerId, items });
      scenarios.set(order.orderId, scenario);
      return order;
    };

    out('Placing orders: two that succeed, one out of stock, one the customer cannot pay …');
    await Promise.all([
      place('success', alice!, [{ sku: keyboard.sku, quantity: 1 }]),
      place('success (two lines)', alice!, [
        { sku: pen.sku, quantity: 3 },
        { sku: keyboard.sku, quantity: 1 },
      ]),
      place('out of stock', erin!, [{ sku: mug.sku, quantity: 2 }]),
      place('insufficient funds', bob!, [{ sku: keyboard.sku, quantity: 1 }]),
    ]);
    await sagas.waitForTerminal([...scenarios.keys()]);

    out(`Cutting payment-service's Kafka link (Toxiproxy proxy ${paymentLink}) to hold payments back …`);
    await toxiproxy.setEnabled(paymentLink, false);
    let held: OrderView[];
    try {
      held = await Promise.all([
        place('customer cancel', carol!, [{ sku: pen.sku, quantity: 2 }]),
        place('timeout', dave!, [{ sku: pen.sku, quantity: 1 }]),
      ]);
      await Promise.all(held.map((o) => sagas.waitForOrderStatus(o.orderId, 'AWAITING_PAYMENT')));
      out('Customer cancels the first one while its payment is outstanding …');
      (await orders.cancel(held[0]!.orderId)).body();
      out(`Waiting for the second one's deadline (saga timeout ${sagaTimeoutMs / 1000} s) …`);
      await sagas.waitForOrderStatus(held[1]!.orderId, 'CANCELLED', sagaTimeoutMs + 15_000);
    } finally {
      await toxiproxy.setEnabled(paymentLink, true);
      out('Payment link restored; waiting for payment-service to catch up …');
    }
    for (const o of held) {
      await waitFor(
        async () => (await dbs.inbox('payment', o.orderId)).some((r) => r.event_type === 'OrderCancelled' && r.outcome !== 'parked'),
        {
          timeoutMs: 60_000,
          description: `payment-service to settle OrderCancelled of ${o.orderId}`,
        },
      );
    }

    const finished = await sagas.waitForTerminal([...scenarios.keys()]);
    const rows: DemoRow[] = [];
    for (const order of finished) {
      const payment = await payments.getPayment(order.orderId);
      const balance = (await payments.getAccount(order.customerId)).body().balanceCents;
      const stock = await Promise.all(order.items.map(async (i) => (await inventory.getProduct(i.sku)).body()));
      rows.push({
        scenario: scenarios.get(order.orderId)!,
        order,
        payment: payment.status === 404 ? '— (never charged)' : `${payment.body().status} ${(payment.body().amountCents / 100).toFixed(2)}`,
        balance: `${(funds[order.customerId]! / 100).toFixed(2)} → ${(balance / 100).toFixed(2)}`,
        stock: stock.map((p) => `${p.available}/${p.reserved}/${p.sold}`).join(' '),
      });
    }
    const order = ['success', 'success (two lines)', 'out of stock', 'insufficient funds', 'customer cancel', 'timeout'];
    rows.sort((a, b) => order.indexOf(a.scenario) - order.indexOf(b.scenario));
    out(`\n${renderSagaTable(rows)}`);
    const s = summarize(
      finished.filter((o) => !['timeout', 'customer cancel'].includes(scenarios.get(o.orderId)!)).map((o) => sagaTiming(o).totalMs),
    );
    out(
      `\nSaga latency (placed → outcome, unobstructed sagas): p50 ${s.p50} ms, max ${s.max} ms. Balances: funded → now (alice placed two orders).`,
    );
  } finally {
    await dbs.close();
    if (started.length > 0) {
      out('Stopping the services the demo started (the stack keeps running; npm run stack:down stops it).');
      await launcher.stopAll();
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`\nnpm run demo failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
