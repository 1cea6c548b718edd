import { join } from 'node:path';
import { loadConfigDir } from '../config';
import { dataDir } from '../runtime/data-dir';
import { ConfigStore } from './config-store';
import { openPgliteDatabase } from './pglite-database';
import { openPostgresDatabase } from './postgres-database';
import { runMigrations } from './run-migrations';
import type { SqlDatabase } from './sql-database';

export interface OpenConfigStoreOptions {
  /** A PostgreSQL URL; default `DATABASE_URL`. Without one the embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite's folder; default `<data dir>/pglite`. `memory` keeps it in memory (tests). */
  pgliteDir?: string | 'memory';
  /** The seed files' folder; default `config/kommuner/` (or `SLUSE_CONFIG_DIR`). */
  seedDir?: string;
}

export interface OpenedConfigStore {
  store: ConfigStore;
  db: SqlDatabase;
  /** Kommuner seeded from files on this start. */
  seeded: string[];
  close(): Promise<void>;
}

/**
 * Opens the config store: connects, brings the schema up to date, and seeds kommuner the store
 * does not know yet from the config files. Fails fast when a seed file is invalid, naming it,
 * because a start with a silently missing kommune is worse than no start.
 *
 * @example
 * const { store, close } = await openConfigStore();
 */
export async function openConfigStore(options: OpenConfigStoreOptions = {}): Promise<OpenedConfigStore> {
  const url = options.databaseUrl ?? process.env.DATABASE_URL;
  const pgliteDir = options.pgliteDir ?? join(dataDir(), 'pglite');
  const db = url ? await openPostgresDatabase(url) : await openPgliteDatabase(pgliteDir === 'memory' ? undefined : pgliteDir);
  try {
    await runMigrations(db);
    const files = loadConfigDir(options.seedDir);
    if (files.errors.length > 0) {
      const first = files.errors[0];
      throw new Error(`cannot seed the config store: ${first.file}: ${first.errors[0]?.path || '/'} ${first.errors[0]?.message ?? 'invalid'}`);
    }
    const store = new ConfigStore(db);
    const seeded = await store.seed(files.configs.values());
    return { store, db, seeded, close: () => db.close() };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
