/** Shared by the store tests: fresh stores on PGlite or a real PostgreSQL, and config edits. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigDir, type KommuneConfig } from '../../config';
import { ConfigStore, openConfigStore, type OpenedConfigStore } from '../../store';
import { startTestPostgres, type TestPostgres } from '../support/postgres-server';
import { memoryDatabase } from '../support/memory-database';

export const SEED_DIR = join(__dirname, '..', '..', 'config', 'kommuner');

export function seedConfig(kommune: string): KommuneConfig {
  return JSON.parse(readFileSync(join(SEED_DIR, `${kommune}.json`), 'utf8')) as KommuneConfig;
}

export function text(config: unknown): string {
  return JSON.stringify(config, null, 2);
}

/** A store under test; `url` is set on PostgreSQL, for opening a second connection. */
export type TestStore = OpenedConfigStore & { url?: string };

export interface Backend {
  name: 'PGlite' | 'PostgreSQL';
  /** A fresh, empty, migrated and seeded store. */
  open(): Promise<TestStore>;
  stop(): Promise<void>;
}

/** The tables the migrations fill (not schema_migrations): emptied between tests. */
const DATA_TABLES = [
  'config_audit',
  'config_drafts',
  'config_versions',
  'kommuner',
  'case_log',
  'case_facts',
];

/**
 * One store per test file, emptied with TRUNCATE and seeded again for each `open()`: the same
 * fresh, migrated and seeded store a new database gives, without a PGlite boot or a CREATE
 * DATABASE and migrations per test. `close()` of what `open()` returns is a no-op; `stop()` closes.
 */
function reusedStore(openFirst: () => Promise<TestStore>): Omit<Backend, 'name'> {
  let first: Promise<TestStore> | undefined;
  return {
    async open() {
      const reused = !!first;
      first ??= openFirst();
      const opened = await first;
      const keepOpen = { close: async () => undefined };
      if (!reused) return { ...opened, ...keepOpen };
      await opened.db.exec(`TRUNCATE ${DATA_TABLES.join(', ')} RESTART IDENTITY CASCADE`);
      const store = new ConfigStore(opened.db);
      const seeded = await store.seed(loadConfigDir(SEED_DIR).configs.values());
      return { ...opened, store, seeded, ...keepOpen };
    },
    async stop() {
      if (first) await (await first).close();
    },
  };
}

export function pgliteBackend(): Backend {
  return {
    name: 'PGlite',
    ...reusedStore(() => openConfigStore({ ...memoryDatabase(), seedDir: SEED_DIR })),
  };
}

/** One server and one database per test file. */
export function postgresBackend(): Backend {
  let server: Promise<TestPostgres> | undefined;
  const reused = reusedStore(async () => {
    server = startTestPostgres();
    const { url } = await server;
    return { ...(await openConfigStore({ databaseUrl: url, seedDir: SEED_DIR })), url };
  });
  return {
    name: 'PostgreSQL',
    open: reused.open,
    async stop() {
      await reused.stop();
      if (server) await (await server).stop();
    },
  };
}
