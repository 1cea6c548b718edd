import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { SqlDatabase, SqlExecutor } from './sql-database';

/**
 * The embedded default: PostgreSQL compiled to WebAssembly, kept in a folder, nothing to
 * install. One process owns the folder at a time; PGlite runs one statement at a time, so its
 * transactions are serialised by construction.
 *
 * @param dir a folder, or `undefined` for an in-memory database (tests)
 * @param template an in-memory database starts as this dump (`dumpDataDir`) instead of a new
 *   cluster: loading one takes under a second where initialising a cluster takes about four.
 */
export async function openPgliteDatabase(dir?: string, template?: Blob): Promise<SqlDatabase> {
  if (dir) mkdirSync(dir, { recursive: true });
  const db = dir ? await PGlite.create(dir) : await PGlite.create({ loadDataDir: template });
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
    dumpDataDir: () => db.dumpDataDir('none'),
    close: () => db.close(),
  };
}
