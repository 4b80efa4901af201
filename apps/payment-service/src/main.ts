import { fileURLToPath } from 'node:url';
import { prefetchByOrderId, runService } from '@choreo/service-host';
import { config } from './config';
import { paymentHandlers } from './consumers';
import { paymentRoutes } from './http/payment.routes';
import { lockPayments } from './persistence/payment.repository';

await runService({
  service: 'payment',
  config,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  handlers: paymentHandlers(),
  prefetch: prefetchByOrderId(lockPayments),
  routes: ({ pool }) => paymentRoutes({ pool, adminToken: config.ADMIN_TOKEN }),
});
