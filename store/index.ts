/**
 * The database layer: kommune configs as versions, and every case's log, in PostgreSQL
 * (embedded PGlite by default, a server with `DATABASE_URL`).
 *
 * - `openConfigStore()`: connect, migrate, seed from `config/kommuner/` on first start.
 * - `ConfigStore`: published versions (`latestPublished` is what new cases start on), the
 *   draft, publish, rollback and the audit trail.
 * - `validateDraft`: a draft's text checked like `npm run config:validate` checks a file.
 * - `diffConfigs`: what changed between two configs, in sentences for process owners.
 * - `CaseLog`: the stafettlogg of each case, sealed, written once per entry by the workflow.
 * - `CaseRetention`: closed cases due for deletion, their deletion records, access-log pruning.
 * - `StaffDirectory`: how staff are reached by messages (sealed), set by leaders.
 * - `ScreeningCounts`: completed online self-assessments, counted anonymously per month.
 * - `EndedSessions`: family sessions signed out, refused by every API process (hashed ids).
 * - `FeedbackStore`: single-use feedback links (hashed) and their anonymous answers.
 *
 * @module
 */
export {
  ConfigStore,
  AuditActions,
  type AuditAction,
  type AuditEntry,
  type AuditEntryInput,
  type ConfigDraft,
  type ConfigVersionSummary,
  type PublishInput,
  type PublishedConfig,
  type RollbackInput,
  type SaveDraftInput,
} from './config-store';
export {
  ConfigStoreError,
  ConfigStoreErrorCodes,
  type ConfigStoreErrorCode,
} from './config-store-error';
export {
  openConfigStore,
  type OpenConfigStoreOptions,
  type OpenedConfigStore,
} from './open-config-store';
export { openDatabase, type OpenDatabaseOptions } from './open-database';
export { CaseLog, type Sequenced } from './case-log';
export {
  CaseRetention,
  type CaseDeletion,
  type ClosedCase,
  type ClosedCursor,
} from './case-retention';
export {
  CaseAccessLog,
  CaseReads,
  type CaseAccess,
  type CaseAccessEntry,
  type CaseRead,
} from './case-access-log';
export {
  CaseloadLimits,
  MAX_CASELOAD_LIMIT,
  MAX_CASELOAD_LIMITS_PER_KOMMUNE,
  type CaseloadLimit,
} from './caseload-limits';
export {
  StaffDirectory,
  MAX_STAFF_PER_KOMMUNE,
  DISPLAY_NAME_MAX_LENGTH,
  type StaffEntry,
  type StaffEntryInput,
} from './staff-directory';
export { EndedSessions, sessionIdHash } from './ended-sessions';
export {
  ScreeningCounts,
  MAX_SCREENING_COUNT_ROWS,
  screeningMonth,
  type ScreeningCount,
} from './screening-counts';
export {
  FeedbackStore,
  MAX_FEEDBACK_STATS_ROWS,
  feedbackTokenHash,
  type FeedbackAnswerInput,
  type FeedbackLink,
  type FeedbackLinkState,
  type FeedbackStatsRows,
  type IssueFeedbackToken,
} from './feedback-store';
export { validateDraft, type DraftValidator, type ValidateDraftResult } from './validate-draft';
export {
  diffConfigs,
  ChangeAreas,
  ChangeKinds,
  type ChangeArea,
  type ChangeKind,
  type ConfigChange,
} from './config-diff';
export { describeDuration } from './describe-config';
export { runMigrations } from './run-migrations';
export type { SqlDatabase, SqlExecutor } from './sql-database';
