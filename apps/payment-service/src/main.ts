import { fileURLToPath } from 'node:url';
import { runService } from '@choreo/service-host';
import { config } from './config';
import { PAYMENT_SERVICE_TOPICS, paymentHandlers } from './consumers';
import { paymentRoutes } from './http/payment.routes';

await runService({
  name: 'payment-service',
  config,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  topics: PAYMENT_SERVICE_TOPICS,
  handlers: paymentHandlers(),
  routes: ({ pool }) => paymentRoutes({ pool, adminToken: config.ADMIN_TOKEN }),
});
