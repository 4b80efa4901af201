import { applied, type Handler } from '@choreo/messaging';
import { upsertCatalogEntry } from '../persistence/catalog.repository';

/** Keeps the catalog replica that prices new orders; sequencing keeps the latest price last. */
export const productUpsertedConsumer =
  (): Handler<'ProductUpserted'> =>
  async ({ tx, event }) => {
    await upsertCatalogEntry(tx, event.payload);
    return applied;
  };
