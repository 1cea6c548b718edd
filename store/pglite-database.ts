import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { SqlDatabase, SqlExecutor } from './sql-database';

/**
 * The embedded default: PostgreSQL compiled to WebAssembly, kept in a folder, nothing to
 * install. One process owns the folder at a time; PGlite runs one statement at a time, so its
 * transactions are serialised by construction.
 *
 * @param dir a folder, or `undefined` for an in-memory database (tests)
 */
export async function openPgliteDatabase(dir?: string): Promise<SqlDatabase> {
  if (dir) mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir);
  const executor = (q: PGlite | Transaction): SqlExecutor => ({
    async query<Row>(sql: string, params?: unknown[]) {
      return (await q.query<Row>(sql, params)).rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    ...executor(db),
    transaction: (fn) => db.transaction((tx) => fn(executor(tx))),
    close: () => db.close(),
  };
}
