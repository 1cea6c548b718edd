/**
 * The only place where a case touches the world. Built by a factory so tests pass real or
 * in-memory dependencies explicitly; every activity is idempotent (keyed by the caller).
 *
 * @module
 */
import type { CaseLog } from '../store/case-log';
import type {
  AppendCaseLogInput,
  CaseRecordInput,
  Caseload,
  CountOpenCasesInput,
  Notification,
} from './activity-types';
import type { FileArchive } from './file-archive';
import type { FileOutbox } from './file-outbox';

export * from './activity-types';
export { FileOutbox } from './file-outbox';
export { FileArchive } from './file-archive';

export interface ActivityDeps {
  outbox: Pick<FileOutbox, 'put'>;
  archive: Pick<FileArchive, 'put'>;
  /** The stafettlogg in the store's database. */
  caseLog: Pick<CaseLog, 'append' | 'read'>;
  /** Open cases held by a person in a kommune, from Temporal visibility. */
  countOpenCases(kommune: string, holderId: string, exceptCaseId: string): Promise<number>;
  /** A person's own caseload limit, set by a leader (the store's `CaseloadLimits`); none: role's. */
  personalCaseLimit?(kommune: string, personId: string): Promise<number | null>;
  /** Log line per delivered notification: ids and codes only, no personal data. */
  log(message: string, fields: Record<string, unknown>): void;
}

export function createActivities(deps: ActivityDeps) {
  return {
    async deliverNotification(n: Notification): Promise<void> {
      const outcome = await deps.outbox.put(n);
      deps.log('notification', {
        key: n.key,
        kommune: n.kommune,
        caseId: n.caseId,
        kind: n.kind,
        to: n.to,
        outcome,
      });
    },

    async appendCaseLog(input: AppendCaseLogInput): Promise<void> {
      await deps.caseLog.append(input.kommune, input.caseId, input.entries);
    },

    async archiveCaseRecord(record: CaseRecordInput): Promise<void> {
      const history = record.history ?? (await deps.caseLog.read(record.kommune, record.caseId));
      await deps.archive.put({ ...record, history });
      deps.log('case archived', {
        kommune: record.kommune,
        caseId: record.caseId,
        entries: history.length,
      });
    },

    async countOpenCasesForHolder(input: CountOpenCasesInput): Promise<number> {
      return deps.countOpenCases(input.kommune, input.holderId, input.caseId);
    },

    async caseloadOfHolder(input: CountOpenCasesInput): Promise<Caseload> {
      const [open, personalMax] = await Promise.all([
        deps.countOpenCases(input.kommune, input.holderId, input.caseId),
        deps.personalCaseLimit?.(input.kommune, input.holderId) ?? Promise.resolve(null),
      ]);
      return { open, personalMax };
    },
  };
}
