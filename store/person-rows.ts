/**
 * What the leaders' per-person tables (`caseload_limit`, `staff_directory`) share: one row per
 * person of a kommune, at most so many people per kommune, and every change audited in
 * `config_audit` in the same transaction as the change.
 *
 * @module
 */
import type { AuditAction } from './config-store';
import type { SqlDatabase, SqlExecutor } from './sql-database';

/** The tables keyed by (kommune, person_id); a name here is put into SQL, so only these. */
export type PersonTable = 'caseload_limit' | 'staff_directory';

/** Each table's advisory lock, per kommune (names kept from before they were shared). */
const lockOf: Record<PersonTable, string> = {
  caseload_limit: 'caseload',
  staff_directory: 'staff',
};

export interface PersonChange {
  table: PersonTable;
  kommune: string;
  personId: string;
  actor: string;
}

async function audit(
  tx: SqlExecutor,
  change: PersonChange,
  action: AuditAction,
  details: Record<string, unknown>,
): Promise<void> {
  await tx.query(
    `INSERT INTO config_audit (kommune, actor, action, details) VALUES ($1, $2, $3, $4::jsonb)`,
    [change.kommune, change.actor, action, JSON.stringify(details)],
  );
}

/**
 * Writes the person's row with `upsert` and audits it as `action` with `details`, in one
 * transaction. Returns null, writing nothing, when the kommune has `max` other people already.
 */
export function upsertPersonRow<T>(
  db: SqlDatabase,
  change: PersonChange & { max: number; action: AuditAction; details: Record<string, unknown> },
  upsert: (tx: SqlExecutor) => Promise<T>,
): Promise<T | null> {
  return db.transaction(async (tx) => {
    // One writer per kommune at a time, so the count below stays true until commit.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `${lockOf[change.table]}:${change.kommune}`,
    ]);
    const [{ n } = { n: 0 }] = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${change.table} WHERE kommune = $1 AND person_id <> $2`,
      [change.kommune, change.personId],
    );
    if (n >= change.max) return null;
    const written = await upsert(tx);
    await audit(tx, change, change.action, change.details);
    return written;
  });
}

/** Deletes the person's row and audits it as `action`; false when there was none. */
export function removePersonRow(
  db: SqlDatabase,
  change: PersonChange,
  action: AuditAction,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ person_id: string }>(
      `DELETE FROM ${change.table} WHERE kommune = $1 AND person_id = $2 RETURNING person_id`,
      [change.kommune, change.personId],
    );
    if (rows.length === 0) return false;
    await audit(tx, change, action, { personId: change.personId });
    return true;
  });
}
