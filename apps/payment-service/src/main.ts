import { fileURLToPath } from 'node:url';
import { runService } from '@choreo/service-host';
import { config } from './config';
import { paymentHandlers } from './consumers';
import { paymentRoutes } from './http/payment.routes';

await runService({
  service: 'payment',
  config,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  handlers: paymentHandlers(),
  routes: ({ pool }) => paymentRoutes({ pool, adminToken: config.ADMIN_TOKEN }),
});
