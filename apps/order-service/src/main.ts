import { fileURLToPath } from 'node:url';
import { prefetchByOrderId, runService } from '@choreo/service-host';
import { startDeadlineSweeper } from './application/deadline.sweeper';
import { registerSagaMetrics } from './application/saga-metrics';
import { config } from './config';
import { orderHandlers } from './consumers';
import { ordersRouter } from './http/orders.router';
import { lockOrders } from './persistence/order.repository';

await runService({
  service: 'order',
  config,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  handlers: orderHandlers(),
  prefetch: prefetchByOrderId(lockOrders),
  metrics: ({ pool, registry }) => registerSagaMetrics({ pool, registry, stuckAfterMs: config.SAGA_STUCK_AFTER_MS }),
  routes: ({ pool, afterChange }) =>
    ordersRouter({ pool, sagaTimeoutMs: config.SAGA_TIMEOUT_MS, afterChange, adminToken: config.ADMIN_TOKEN }),
  workers: ({ pool, logger, afterChange }) => [
    ['deadline sweeper', startDeadlineSweeper({ pool, logger, intervalMs: config.DEADLINE_SWEEP_INTERVAL_MS, afterChange })],
  ],
});
