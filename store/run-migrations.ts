import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlDatabase } from './sql-database';

export const migrationsDir = join(__dirname, 'migrations');

/** Any fixed number: every process migrating the same database takes the same lock. */
const MIGRATION_LOCK = 7_412_001;

/**
 * Applies the `NNNN-name.sql` files not yet recorded in `schema_migrations`, in name order, all
 * in one transaction under an advisory lock: two processes starting at once never both migrate,
 * and a failing migration leaves the schema as it was. Returns the names applied now.
 */
export async function runMigrations(
  db: SqlDatabase,
  dir: string = migrationsDir,
): Promise<string[]> {
  const files = readdirSync(dir)
    .filter((name) => /^\d{4}-[a-z0-9-]+\.sql$/.test(name))
    .sort();
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await tx.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name),
    );
    const applied: string[] = [];
    for (const name of files.filter((f) => !done.has(f))) {
      await tx.exec(readFileSync(join(dir, name), 'utf8'));
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
      applied.push(name);
    }
    return applied;
  });
}
