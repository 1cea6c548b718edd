import { Pool, type PoolClient } from 'pg';
import type { SqlDatabase, SqlExecutor } from './sql-database';

/** A PostgreSQL server through a connection pool (`DATABASE_URL`). */
export async function openPostgresDatabase(connectionString: string): Promise<SqlDatabase> {
  const pool = new Pool({ connectionString, max: 5 });
  // An idle client losing its connection (server restart) must not crash the process; the pool
  // drops it and the next query connects again.
  pool.on('error', () => undefined);
  // Fail at start-up, not on the first request, when the server cannot be reached.
  (await pool.connect()).release();
  const executor = (q: Pool | PoolClient): SqlExecutor => ({
    async query<Row>(sql: string, params?: unknown[]) {
      return (await q.query(sql, params)).rows as Row[];
    },
    async exec(sql: string) {
      await q.query(sql);
    },
  });
  return {
    kind: 'postgres',
    ...executor(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(executor(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
