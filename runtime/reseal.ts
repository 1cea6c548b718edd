/**
 * Re-encryption after a key rotation (#19). A new data key (`SLUSE_PAYLOAD_KEY`, with the old one
 * moved to `SLUSE_PAYLOAD_OLD_KEYS`) seals everything new while the old one still opens what it
 * sealed; this job seals the old values again with the current key — the cases' logs and the
 * staff directory in the store, the archive, the outbox and the caught mail under the data
 * folder — so that, once it reports nothing left, the old key can leave the ring.
 *
 * A store row is replaced only while it still holds the bytes read (a write in between wins); a
 * file by writing a new one and renaming it over the old, if the old is still as read. Pages of
 * `PAGE` rows, so memory stays bounded whatever the store holds.
 *
 * @module
 */
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SqlExecutor } from '../store/sql-database';
import type { Sealer } from './key-ring';

const PAGE = 500;

/** Per kind of data: how many sealed values were looked at, and how many sealed again. */
export type ResealReport = Record<string, { checked: number; resealed: number }>;

/** The sealed columns of the store, by table, with their key columns. */
const SealedColumns = [
  { table: 'case_log', column: 'entry', keys: ['kommune', 'case_id', 'seq'] },
  { table: 'staff_directory', column: 'contact', keys: ['kommune', 'person_id'] },
] as const;

/** The folders under the data folder whose files are sealed. */
export const SealedFolders = ['archive', 'outbox', 'mail'] as const;

const MAGIC = Buffer.from('SLS1');

export async function resealAtRest(opts: {
  db: SqlExecutor;
  sealer: Sealer;
  currentKeyId: string;
  dataDir: string;
}): Promise<ResealReport> {
  const report: ResealReport = {};
  for (const { table, column, keys } of SealedColumns)
    report[table] = await resealTable(opts, table, column, keys);
  for (const folder of SealedFolders)
    report[folder] = await resealFolder(opts, join(opts.dataDir, folder));
  return report;
}

async function resealTable(
  { db, sealer, currentKeyId }: { db: SqlExecutor; sealer: Sealer; currentKeyId: string },
  table: string,
  column: string,
  keys: readonly string[],
): Promise<{ checked: number; resealed: number }> {
  const keyList = keys.join(', ');
  const counts = { checked: 0, resealed: 0 };
  let after: unknown[] | undefined;
  for (;;) {
    // Keyset pagination by the primary key: each page starts after the last row of the one before.
    const placeholders = keys.map((_, i) => `$${i + 1}`).join(', ');
    const where = after ? `WHERE (${keyList}) > (${placeholders})` : '';
    const rows = await db.query<Record<string, unknown>>(
      `SELECT ${keyList}, ${column} AS sealed FROM ${table} ${where} ORDER BY ${keyList} LIMIT ${PAGE}`,
      after ?? [],
    );
    for (const row of rows) {
      counts.checked++;
      const old = row.sealed as Uint8Array;
      if (sealer.keyIdOf(old) === currentKeyId) continue;
      const fresh = sealer.seal(sealer.open(old));
      const match = keys.map((k, i) => `${k} = $${i + 3}`).join(' AND ');
      const changed = await db.query<{ n: number }>(
        `UPDATE ${table} SET ${column} = $1 WHERE ${column} = $2 AND ${match} RETURNING 1 AS n`,
        [fresh, old, ...keys.map((k) => row[k])],
      );
      if (changed.length > 0) counts.resealed++;
    }
    if (rows.length < PAGE) return counts;
    after = keys.map((k) => rows[rows.length - 1][k]);
  }
}

async function resealFolder(
  { sealer, currentKeyId }: { sealer: Sealer; currentKeyId: string },
  dir: string,
): Promise<{ checked: number; resealed: number }> {
  const counts = { checked: 0, resealed: 0 };
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return counts;
    throw err;
  }
  for (const e of entries) {
    if (!e.isFile() || e.name.endsWith('.tmp')) continue;
    const file = join(e.parentPath, e.name);
    const old = await readFile(file);
    if (!old.subarray(0, MAGIC.length).equals(MAGIC)) continue;
    counts.checked++;
    if (sealer.keyIdOf(old) === currentKeyId) continue;
    const tmp = `${file}.${process.pid}.reseal.tmp`;
    await rm(tmp, { force: true });
    await writeFile(tmp, sealer.seal(sealer.open(old)), { flag: 'wx', mode: 0o600 });
    // Written in between (a sent mark updated): that write is newer and already on the new key.
    if (!(await readFile(file)).equals(old)) {
      await rm(tmp, { force: true });
      continue;
    }
    await rename(tmp, file);
    counts.resealed++;
  }
  return counts;
}
