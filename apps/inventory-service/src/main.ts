import { fileURLToPath } from 'node:url';
import { runService } from '@choreo/service-host';
import { config } from './config';
import { INVENTORY_SERVICE_TOPICS, inventoryHandlers } from './consumers';
import { productsRouter } from './http/products.router';

await runService({
  name: 'inventory-service',
  config,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  topics: INVENTORY_SERVICE_TOPICS,
  handlers: inventoryHandlers(),
  routes: ({ pool }) => productsRouter({ pool, adminToken: config.ADMIN_TOKEN }),
});
