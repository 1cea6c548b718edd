/**
 * Deletion on time (#19): which closed cases' retention may have ended (found by their closing
 * facts, which the statistics keep), their stafettlogg deleted, the deletion recorded without
 * content, and old reads pruned from the access log. The rules and days are the config's and
 * machines/retention.ts's; the sweep (activities/retention-sweep.ts) puts them together.
 *
 * @module
 */
import type { RetentionRule } from '../machines/retention';
import type { SqlDatabase } from './sql-database';

/** A case whose latest closing has not been followed by a reopening. */
export interface ClosedCase {
  caseId: string;
  /** The exit step it closed in. */
  step: string;
  closedAt: string;
}

/** Where a page of {@link CaseRetention.closedBefore} ended; the next page starts after it. */
export interface ClosedCursor {
  closedAt: string;
  caseId: string;
}

export interface CaseDeletion {
  kommune: string;
  caseId: string;
  finalStep: string;
  /** The Oslo day the case closed (`YYYY-MM-DD`). */
  closedOn: string;
  /** The retention that applied, e.g. `P5Y`. */
  keptFor: string;
  deletedAt: string;
  logEntries: number;
  messages: number;
  archivedRecord: boolean;
  workflowRuns: number;
}

/** Deletion records per page at most. */
export const DELETIONS_PAGE = 200;
/** Access-log rows deleted per statement: each runs the append-only trigger once per row. */
const PRUNE_BATCH = 5_000;

interface DeletionRow {
  kommune: string;
  case_id: string;
  final_step: string;
  closed_on: string;
  kept_for: string;
  deleted_at: string | Date;
  log_entries: number;
  messages: number;
  archived_record: boolean;
  workflow_runs: number;
}

export class CaseRetention {
  constructor(private readonly db: SqlDatabase) {}

  /**
   * The kommune's cases under `rule` whose latest closing is before `before` and has not been
   * followed by a reopening, that are not deleted yet: oldest first, `limit` after `after`.
   */
  async closedBefore(
    kommune: string,
    rule: RetentionRule,
    before: number,
    after: ClosedCursor | null,
    limit: number,
  ): Promise<ClosedCase[]> {
    const params: unknown[] = [kommune, new Date(before).toISOString()];
    const param = (v: unknown): string => `$${params.push(v)}`;
    const steps = rule.step
      ? `f.step = ${param(rule.step)}`
      : rule.exceptSteps?.length
        ? `f.step NOT IN (${rule.exceptSteps.map(param).join(', ')})`
        : 'true';
    const page = after
      ? `(f.at, f.case_id) > (${param(after.closedAt)}::timestamptz, ${param(after.caseId)})`
      : 'true';
    const rows = await this.db.query<{ case_id: string; step: string; at: string | Date }>(
      `SELECT f.case_id, f.step, f.at FROM case_facts f
       WHERE f.kommune = $1 AND f.kind = 'closed' AND f.at < $2 AND ${steps} AND ${page}
         AND NOT EXISTS (SELECT 1 FROM case_facts later
           WHERE later.kommune = f.kommune AND later.case_id = f.case_id
             AND later.kind IN ('closed', 'reopened') AND later.seq > f.seq)
         AND NOT EXISTS (SELECT 1 FROM case_deletion d
           WHERE d.kommune = f.kommune AND d.case_id = f.case_id)
       ORDER BY f.at, f.case_id LIMIT ${param(limit)}`,
      params,
    );
    return rows.map((r) => ({
      caseId: r.case_id,
      step: r.step,
      closedAt: new Date(r.at).toISOString(),
    }));
  }

  /** Deletes a case's stafettlogg; returns how many entries it had. */
  async deleteLog(kommune: string, caseId: string): Promise<number> {
    const rows = await this.db.query<{ seq: number }>(
      'DELETE FROM case_log WHERE kommune = $1 AND case_id = $2 RETURNING seq',
      [kommune, caseId],
    );
    return rows.length;
  }

  /** Writes the deletion record; a second write of the same case (a retried sweep) keeps the first. */
  async recordDeletion(d: Omit<CaseDeletion, 'deletedAt'> & { deletedAt: string }): Promise<void> {
    await this.db.query(
      `INSERT INTO case_deletion (kommune, case_id, final_step, closed_on, kept_for, deleted_at,
         log_entries, messages, archived_record, workflow_runs)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
      [
        d.kommune,
        d.caseId,
        d.finalStep,
        d.closedOn,
        d.keptFor,
        d.deletedAt,
        d.logEntries,
        d.messages,
        d.archivedRecord,
        d.workflowRuns,
      ],
    );
  }

  /** The kommune's deletion records, newest first. */
  async deletions(kommune: string, limit = DELETIONS_PAGE): Promise<CaseDeletion[]> {
    const rows = await this.db.query<DeletionRow>(
      `SELECT kommune, case_id, final_step, closed_on::text AS closed_on, kept_for, deleted_at,
         log_entries, messages, archived_record, workflow_runs
       FROM case_deletion WHERE kommune = $1 ORDER BY deleted_at DESC, case_id LIMIT $2`,
      [kommune, Math.min(limit, DELETIONS_PAGE)],
    );
    return rows.map((r) => ({
      kommune: r.kommune,
      caseId: r.case_id,
      finalStep: r.final_step,
      closedOn: r.closed_on,
      keptFor: r.kept_for,
      deletedAt: new Date(r.deleted_at).toISOString(),
      logEntries: r.log_entries,
      messages: r.messages,
      archivedRecord: r.archived_record,
      workflowRuns: r.workflow_runs,
    }));
  }

  /** Deletes the kommune's reads of cases from before `before`; returns how many. */
  async pruneAccessLog(kommune: string, before: number): Promise<number> {
    let pruned = 0;
    for (;;) {
      const n = await this.db.transaction(async (tx) => {
        // The access log's trigger lets only this transaction delete (migration 0011).
        await tx.query("SELECT set_config('sluse.retention_sweep', 'on', true)");
        const rows = await tx.query<{ id: string }>(
          `DELETE FROM case_access_log WHERE id IN (
             SELECT id FROM case_access_log WHERE kommune = $1 AND at < $2 ORDER BY id LIMIT $3)
           RETURNING id`,
          [kommune, new Date(before).toISOString(), PRUNE_BATCH],
        );
        return rows.length;
      });
      pruned += n;
      if (n < PRUNE_BATCH) return pruned;
    }
  }
}
