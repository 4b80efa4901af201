import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction, type Pool } from '@choreo/platform';
import { loadStackConfig } from '@choreo/stack';
import { createTempDatabase, type TempDatabase } from '@choreo/testing';
import { findProduct } from '../persistence/product.repository';
import { upsertProduct } from './product.use-cases';
import { decideReservation } from './reservation.use-cases';

let db: TempDatabase;
let pool: Pool;
beforeAll(async () => {
  const service = loadStackConfig().services.inventory;
  db = await createTempDatabase({
    prefix: 'inventory_it',
    migrationsDir: service.migrationsDir,
    owner: { user: service.user, password: service.password },
  });
  pool = db.pool();
});
afterAll(async () => db?.drop());

const upsert = (sku: string, body: { name: string; priceCents: number; available: number }) =>
  withTransaction(pool, (tx) => upsertProduct(tx, { type: 'UpsertProduct', sku, ...body }));
const outbox = async (aggregateId: string) =>
  (
    await pool.query<{ type: string; payload: unknown; causation_id: string | null }>(
      'SELECT type, payload, causation_id FROM outbox WHERE aggregateid = $1 ORDER BY aggregate_seq',
      [aggregateId],
    )
  ).rows;

describe('upsertProduct', () => {
  it('when a product is created, changed and put again unchanged, then each answer is the stored row and only changes are published', async () => {
    const sku = `s-${randomUUID()}`;

    const created = await upsert(sku, { name: 'Widget', priceCents: 250, available: 10 });
    expect(created).toEqual(await findProduct(pool, sku));
    expect(created).toMatchObject({ name: 'Widget', priceCents: 250, available: 10, reserved: 0, sold: 0 });

    const changed = await upsert(sku, { name: 'Widget', priceCents: 300, available: 12 });
    expect(changed).toEqual(await findProduct(pool, sku));
    expect(changed).toMatchObject({ priceCents: 300, available: 12 });

    const unchanged = await upsert(sku, { name: 'Widget', priceCents: 300, available: 12 });
    expect(unchanged).toEqual(await findProduct(pool, sku));

    expect((await outbox(sku)).map((r) => [r.type, r.payload])).toEqual([
      ['ProductUpserted', { sku, name: 'Widget', priceCents: 250 }],
      ['ProductUpserted', { sku, name: 'Widget', priceCents: 300 }],
    ]);
  });

  it('when stock is reserved and the product is put again, then the answer keeps the reserved count the row holds', async () => {
    const sku = `s-${randomUUID()}`;
    const orderId = `o-${randomUUID()}`;
    const causationId = randomUUID();
    await upsert(sku, { name: 'Gadget', priceCents: 100, available: 5 });

    const reserved = await withTransaction(pool, (tx) =>
      decideReservation(tx, { type: 'OrderPlaced', orderId, items: [{ sku, quantity: 2 }] }, { causation: { causationId } }),
    );
    expect(reserved.kind).toBe('apply');
    expect(await outbox(orderId)).toEqual([
      { type: 'InventoryReserved', payload: { orderId, items: [{ sku, quantity: 2 }] }, causation_id: causationId },
    ]);

    const product = await upsert(sku, { name: 'Gadget', priceCents: 100, available: 7 });
    expect(product).toEqual(await findProduct(pool, sku));
    expect(product).toMatchObject({ available: 7, reserved: 2, sold: 0 });
  });
});
