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
import { deliver, type DeliveryDeps, type RecipientResult } from './deliver';
import type { FileArchive } from './file-archive';
import type { FileOutbox } from './file-outbox';
import { randomBytes } from 'node:crypto';
import { publicBaseUrl, withFeedbackLink, type FeedbackLinkDeps } from './feedback-link';
import { Context } from '@temporalio/activity';
import { sweepRetention, type RetentionDeps, type SweepResult } from './retention-sweep';

export * from './activity-types';
export { FileOutbox } from './file-outbox';
export { FileArchive } from './file-archive';
export * from './channels';
export type { HistoryDeletion, RetentionDeps, SweepResult } from './retention-sweep';
export {
  DeliveryErrors,
  type DeliveryDeps,
  type DeliveryError,
  type RecipientResult,
  type StaffContact,
} from './deliver';

export interface ActivityDeps {
  outbox: Pick<FileOutbox, 'put'>;
  archive: Pick<FileArchive, 'put'>;
  /** The stafettlogg in the store's database. */
  caseLog: Pick<CaseLog, 'append' | 'read'>;
  /** Open cases held by a person in a kommune, from Temporal visibility. */
  countOpenCases(kommune: string, holderId: string, exceptCaseId: string): Promise<number>;
  /** A person's own caseload limit, set by a leader (the store's `CaseloadLimits`); none: role's. */
  personalCaseLimit?(kommune: string, personId: string): Promise<number | null>;
  /**
   * E-mail and SMS, the staff directory and the sent marks; left out, a notification is only
   * recorded in the outbox (tests and tools that need no channel).
   */
  delivery?: DeliveryDeps;
  /**
   * How feedback and survey links get their token and address; left out, links are sent on
   * `PUBLIC_BASE_URL` with a key no one keeps, so they cannot be answered.
   */
  feedbackLinks?: Partial<FeedbackLinkDeps>;
  /** The nightly deletion of closed cases whose retention is over; left out, a sweep fails. */
  retention?: RetentionDeps;
  /** Log line per delivered notification: ids and codes only, no personal data. */
  log(message: string, fields: Record<string, unknown>): void;
}

export function createActivities(deps: ActivityDeps) {
  const links: FeedbackLinkDeps = {
    key: deps.feedbackLinks?.key ?? randomBytes(32),
    tokens: deps.feedbackLinks?.tokens,
    baseUrl: deps.feedbackLinks?.baseUrl ?? publicBaseUrl(),
  };
  return {
    /**
     * Records the notification in the outbox and sends it to each recipient on their channel.
     * Returns one result per recipient (none without channels); throws, to be retried, only
     * when a channel is down.
     */
    async deliverNotification(n: Notification): Promise<RecipientResult[]> {
      // The outbox keeps the link's id, as the history does: its readers cannot answer the form.
      const outcome = await deps.outbox.put(n);
      const results = deps.delivery
        ? await deliver(n, {
            ...deps.delivery,
            personalise: (m, recipientId) => withFeedbackLink(m, links, recipientId),
          })
        : [];
      deps.log('notification', {
        key: n.key,
        kommune: n.kommune,
        caseId: n.caseId,
        kind: n.kind,
        to: n.to,
        outcome,
        sent: results.filter((r) => r.status === 'sent').length,
        failed: results.filter((r) => r.status === 'failed').map((r) => r.error ?? 'channel down'),
      });
      return results;
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

    /** The nightly retention sweep as of the workflow's time (workflows/retention-workflow.ts). */
    async sweepRetention(input: { asOf: string }): Promise<SweepResult> {
      if (!deps.retention) throw new Error('this worker was started without the retention sweep');
      return sweepRetention(deps.retention, input.asOf, () => Context.current().heartbeat());
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
