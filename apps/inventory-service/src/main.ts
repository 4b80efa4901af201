import { fileURLToPath } from 'node:url';
import { runService } from '@choreo/service-host';
import { config } from './config';
import { inventoryHandlers } from './consumers';
import { productsRouter } from './http/products.router';
import { reservationsRouter } from './http/reservations.router';

await runService({
  service: 'inventory',
  config,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  handlers: inventoryHandlers(),
  routes: ({ pool }) => [
    ...productsRouter({ pool, adminToken: config.ADMIN_TOKEN }),
    ...reservationsRouter({ pool, adminToken: config.ADMIN_TOKEN }),
  ],
});
