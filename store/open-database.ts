import { join } from 'node:path';
import { dataDir } from '../runtime/data-dir';
import { SettingsError } from '../runtime/temporal-settings';
import { openPgliteDatabase } from './pglite-database';
import { openPostgresDatabase } from './postgres-database';
import { runMigrations } from './run-migrations';
import type { SqlDatabase } from './sql-database';

export interface OpenDatabaseOptions {
  /** A PostgreSQL URL; default `DATABASE_URL`. Without one the embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite's folder; default `<data dir>/pglite`. `memory` keeps it in memory (tests). */
  pgliteDir?: string | 'memory';
  /** An in-memory PGlite starts from this dump of a database (see `SqlDatabase.dumpDataDir`). */
  pgliteTemplate?: Blob;
}

/**
 * Connects to the store's database and brings its schema up to date. PGlite belongs to one
 * process: workers in other processes need PostgreSQL.
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<SqlDatabase> {
  const url = options.databaseUrl ?? process.env.DATABASE_URL;
  const pgliteDir = options.pgliteDir ?? join(dataDir(), 'pglite');
  const db = url
    ? await openPostgresDatabase(checkedDatabaseUrl(url)).catch(
        (err: Error & { code?: string }) => {
          const { hostname, port } = new URL(url);
          throw new SettingsError(
            `DATABASE_URL: cannot connect to ${hostname}:${port || 5432}: ${err.code ?? err.message}`,
          );
        },
      )
    : pgliteDir === 'memory'
      ? await openPgliteDatabase(undefined, options.pgliteTemplate)
      : await openPgliteDatabase(pgliteDir);
  try {
    await runMigrations(db);
    return db;
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

/** A PostgreSQL URL, or a clear error that does not repeat the value (it may hold a password). */
function checkedDatabaseUrl(url: string): string {
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {
    // not a URL at all: said below
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new SettingsError(
      'DATABASE_URL: expected a PostgreSQL URL such as postgres://user:password@host:5432/sluse',
    );
  }
  return url;
}
