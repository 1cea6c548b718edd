/**
 * The daily retention sweep (#19): for each kommune whose published config has `retention`,
 * every closed case whose time is over loses its workflow history, sent messages, archived
 * record and stafettlogg, in that order, and gets a deletion record last, so a sweep cut off
 * half-way finishes the case the next time. A case whose workflow still runs (it may still be
 * reopened, or was reopened a moment ago) is left alone. Old reads leave the access log.
 *
 * @module
 */
import type { RetentionDef } from '../config/types';
import {
  closedBeforeBound,
  keptSince,
  retentionOver,
  retentionRules,
  type RetentionRule,
} from '../machines/retention';
import { formatDate, toOsloLocal } from '../machines/oslo-time';
import type { ClosedCursor, CaseRetention } from '../store/case-retention';
import { caseWorkflowId } from '../workflows/search-attributes';
import type { FileArchive } from './file-archive';
import type { FileOutbox } from './file-outbox';

/** What deleting a case's workflow history found: still running (nothing deleted), or gone. */
export type HistoryDeletion = { running: true } | { running: false; runs: number };

export interface RetentionDeps {
  /** Every kommune with the retention of its newest published config. */
  retentionOf(): Promise<Array<{ kommune: string; retention?: RetentionDef }>>;
  store: Pick<CaseRetention, 'closedBefore' | 'deleteLog' | 'recordDeletion' | 'pruneAccessLog'>;
  archive: Pick<FileArchive, 'delete'>;
  outbox: Pick<FileOutbox, 'deleteOfCases'>;
  /** Deletes every run of a finished workflow (runtime/case-history-deletion.ts). */
  deleteHistory(workflowId: string): Promise<HistoryDeletion>;
  log(message: string, fields: Record<string, unknown>): void;
}

export interface SweepResult {
  deleted: number;
  /** Due, but their workflow still runs: looked at again next time. */
  stillRunning: number;
  accessLogPruned: number;
  /** The sweep stopped at its limit: run it again. */
  more: boolean;
}

/** Cases looked at per store query. */
const PAGE = 100;
/** Cases deleted per sweep at most, so one activity stays well inside its timeout. */
export const SWEEP_LIMIT = 1_000;

export async function sweepRetention(
  deps: RetentionDeps,
  asOf: string,
  heartbeat: () => void = () => undefined,
): Promise<SweepResult> {
  const now = Date.parse(asOf);
  const result: SweepResult = { deleted: 0, stillRunning: 0, accessLogPruned: 0, more: false };
  for (const { kommune, retention } of await deps.retentionOf()) {
    if (!retention) continue;
    for (const rule of retentionRules(retention)) {
      if (!(await sweepRule(deps, kommune, rule, now, result, heartbeat))) {
        result.more = true;
        return result;
      }
    }
    if (retention.accessLog)
      result.accessLogPruned += await deps.store.pruneAccessLog(
        kommune,
        keptSince(now, retention.accessLog),
      );
    heartbeat();
  }
  deps.log('retention sweep', { asOf, ...result });
  return result;
}

/** One rule of one kommune; false when the sweep's limit was reached. */
async function sweepRule(
  deps: RetentionDeps,
  kommune: string,
  rule: RetentionRule,
  now: number,
  result: SweepResult,
  heartbeat: () => void,
): Promise<boolean> {
  const bound = closedBeforeBound(now, rule.keep);
  let cursor: ClosedCursor | null = null;
  for (;;) {
    const page = await deps.store.closedBefore(kommune, rule, bound, cursor, PAGE);
    const due = page.filter((c) => retentionOver(Date.parse(c.closedAt), rule.keep, now));
    const gone: Array<{ caseId: string; step: string; closedAt: string; runs: number }> = [];
    for (const c of due) {
      const history = await deps.deleteHistory(caseWorkflowId(kommune, c.caseId));
      if (history.running) result.stillRunning++;
      else gone.push({ ...c, runs: history.runs });
    }
    const messages = await deps.outbox.deleteOfCases(
      kommune,
      gone.map((c) => caseWorkflowId(kommune, c.caseId)),
    );
    for (const c of gone) {
      const archivedRecord = await deps.archive.delete(kommune, c.caseId);
      const logEntries = await deps.store.deleteLog(kommune, c.caseId);
      await deps.store.recordDeletion({
        kommune,
        caseId: c.caseId,
        finalStep: c.step,
        closedOn: formatDate(toOsloLocal(Date.parse(c.closedAt))),
        keptFor: rule.keep,
        deletedAt: new Date(now).toISOString(),
        logEntries,
        messages: messages.get(caseWorkflowId(kommune, c.caseId)) ?? 0,
        archivedRecord,
        workflowRuns: c.runs,
      });
      deps.log('case deleted', { kommune, caseId: c.caseId, keptFor: rule.keep, logEntries });
      result.deleted++;
    }
    heartbeat();
    if (result.deleted >= SWEEP_LIMIT) return false;
    if (page.length < PAGE) return true;
    const last = page[page.length - 1];
    cursor = { closedAt: last.closedAt, caseId: last.caseId };
  }
}
