/**
 * Caseload limits per person: a person's own `maxOpenCases`, overriding their role's capacity
 * rule (a part-time los follows fewer families). Data, not config: people change daily and a
 * config holds no personal data. Keyed by the token's opaque user id; every change is audited in
 * `config_audit` in the same transaction.
 *
 * @module
 */
import { AuditActions } from './config-store';
import { removePersonRow, upsertPersonRow } from './person-rows';
import type { SqlDatabase } from './sql-database';

/** The highest limit one person may be given. */
export const MAX_CASELOAD_LIMIT = 1000;
/** At most this many people with a limit of their own per kommune. */
export const MAX_CASELOAD_LIMITS_PER_KOMMUNE = 5000;

export interface CaseloadLimit {
  personId: string;
  maxOpenCases: number;
  setBy: string;
  setAt: string;
}

interface Row {
  person_id: string;
  max_open_cases: number;
  set_by: string;
  set_at: string | Date;
}

const toLimit = (r: Row): CaseloadLimit => ({
  personId: r.person_id,
  maxOpenCases: r.max_open_cases,
  setBy: r.set_by,
  setAt: new Date(r.set_at).toISOString(),
});

export class CaseloadLimits {
  constructor(private readonly db: SqlDatabase) {}

  /** The person's own limit, or null: their role's rule applies. */
  async limitOf(kommune: string, personId: string): Promise<number | null> {
    const rows = await this.db.query<{ max_open_cases: number }>(
      'SELECT max_open_cases FROM caseload_limit WHERE kommune = $1 AND person_id = $2',
      [kommune, personId],
    );
    return rows[0]?.max_open_cases ?? null;
  }

  /** Every person's own limit in the kommune, by person id. */
  async list(kommune: string): Promise<CaseloadLimit[]> {
    const rows = await this.db.query<Row>(
      'SELECT person_id, max_open_cases, set_by, set_at FROM caseload_limit WHERE kommune = $1 ORDER BY person_id LIMIT $2',
      [kommune, MAX_CASELOAD_LIMITS_PER_KOMMUNE],
    );
    return rows.map(toLimit);
  }

  /**
   * Sets (or changes) a person's limit. Returns null when the kommune already has the most
   * people with limits of their own and this person is not one of them.
   */
  async set(input: {
    kommune: string;
    personId: string;
    maxOpenCases: number;
    actor: string;
  }): Promise<CaseloadLimit | null> {
    if (!Number.isInteger(input.maxOpenCases) || input.maxOpenCases < 0)
      throw new RangeError('maxOpenCases must be a whole number from 0');
    if (input.maxOpenCases > MAX_CASELOAD_LIMIT)
      throw new RangeError(`maxOpenCases is at most ${MAX_CASELOAD_LIMIT}`);
    return upsertPersonRow(
      this.db,
      {
        table: 'caseload_limit',
        ...input,
        max: MAX_CASELOAD_LIMITS_PER_KOMMUNE,
        action: AuditActions.caseloadLimitSet,
        details: { personId: input.personId, maxOpenCases: input.maxOpenCases },
      },
      async (tx) => {
        const [row] = await tx.query<Row>(
          `INSERT INTO caseload_limit (kommune, person_id, max_open_cases, set_by)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (kommune, person_id)
           DO UPDATE SET max_open_cases = EXCLUDED.max_open_cases, set_by = EXCLUDED.set_by, set_at = now()
           RETURNING person_id, max_open_cases, set_by, set_at`,
          [input.kommune, input.personId, input.maxOpenCases, input.actor],
        );
        return toLimit(row!);
      },
    );
  }

  /** Removes a person's own limit (their role's rule applies again); false when there was none. */
  async remove(input: { kommune: string; personId: string; actor: string }): Promise<boolean> {
    return removePersonRow(
      this.db,
      { table: 'caseload_limit', ...input },
      AuditActions.caseloadLimitRemoved,
    );
  }
}
