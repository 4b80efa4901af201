import pg from 'pg';

export async function withPg<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {
    /* surfaced through the failing query */
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function pgReady(url: string): Promise<boolean> {
  try {
    return await withPg(url, async (c) => (await c.query('SELECT 1 AS ok')).rows[0]?.ok === 1);
  } catch {
    return false;
  }
}
