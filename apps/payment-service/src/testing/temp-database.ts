import { createLogger, createPool, type Pool } from '@choreo/platform';
import { loadStackConfig } from '@choreo/stack';
import { createTempDatabase as createDatabase } from '@choreo/testing';

/** A throwaway database owned by the payment service role and migrated as it, as production does. */
export interface TempDatabase {
  readonly url: string;
  readonly pool: Pool;
  drop(): Promise<void>;
}

export async function createTempDatabase(prefix = 'payment_it'): Promise<TempDatabase> {
  const service = loadStackConfig().services.payment;
  const db = await createDatabase({
    prefix,
    migrationsDir: service.migrationsDir,
    owner: { user: service.user, password: service.password },
  });
  const pool = createPool(db.url, createLogger(db.name, 'silent'), { max: 20 });
  return {
    url: db.url,
    pool,
    async drop() {
      await pool.end();
      await db.drop();
    },
  };
}
