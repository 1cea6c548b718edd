import { loadConfigDir } from '../config';
import { ConfigStore } from './config-store';
import { openDatabase, type OpenDatabaseOptions } from './open-database';
import type { SqlDatabase } from './sql-database';

export interface OpenConfigStoreOptions extends OpenDatabaseOptions {
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
export async function openConfigStore(
  options: OpenConfigStoreOptions = {},
): Promise<OpenedConfigStore> {
  const db = await openDatabase(options);
  try {
    const files = loadConfigDir(options.seedDir);
    if (files.errors.length > 0) {
      const first = files.errors[0];
      throw new Error(
        `cannot seed the config store: ${first.file}: ${first.errors[0]?.path || '/'} ${first.errors[0]?.message ?? 'invalid'}`,
      );
    }
    const store = new ConfigStore(db);
    const seeded = await store.seed(files.configs.values());
    return { store, db, seeded, close: () => db.close() };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
