/** Shared by the store tests: fresh stores on PGlite or a real PostgreSQL, and config edits. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KommuneConfig } from '../../config';
import { openConfigStore, type OpenedConfigStore } from '../../store';
import { startTestPostgres, type TestPostgres } from '../support/postgres-server';

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

export function pgliteBackend(): Backend {
  return {
    name: 'PGlite',
    open: () => openConfigStore({ pgliteDir: 'memory', seedDir: SEED_DIR, databaseUrl: '' }),
    stop: async () => undefined,
  };
}

/** One server per test file; each `open()` gets its own database on it. */
export function postgresBackend(): Backend {
  let server: Promise<TestPostgres> | undefined;
  let n = 0;
  return {
    name: 'PostgreSQL',
    async open() {
      server ??= startTestPostgres();
      const { url } = await server;
      const name = `sluse_test_${process.pid}_${++n}`;
      const { Client } = await import('pg');
      const admin = new Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const dbUrl = url.replace(/\/postgres$/, `/${name}`);
      return { ...(await openConfigStore({ databaseUrl: dbUrl, seedDir: SEED_DIR })), url: dbUrl };
    },
    async stop() {
      if (server) await (await server).stop();
    },
  };
}
