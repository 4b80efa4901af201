import { fileURLToPath } from 'node:url';
import { prefetchByOrderId, runService } from '@choreo/service-host';
import { config } from './config';
import { inventoryHandlers } from './consumers';
import { productsRouter } from './http/products.router';
import { reservationsRouter } from './http/reservations.router';
import { lockReservations } from './persistence/reservation.repository';

await runService({
  service: 'inventory',
  config,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  handlers: inventoryHandlers(),
  prefetch: prefetchByOrderId(lockReservations),
  routes: ({ pool }) => [
    ...productsRouter({ pool, adminToken: config.ADMIN_TOKEN }),
    ...reservationsRouter({ pool, adminToken: config.ADMIN_TOKEN }),
  ],
});
