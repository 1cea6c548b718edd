/** Shapes that cross between the case workflow and its activities. */

export {
  NotificationKinds,
  type Notification,
  type NotificationKind,
} from '../machines/case-notification';

/** The complete record of a closed case, written for archiving. */
export interface CaseRecord {
  kommune: string;
  caseId: string;
  configVersion: number;
  closedAt: string;
  state: unknown;
  history: unknown[];
}

/** What the workflow archives: without `history`, the archive reads the complete log from the store. */
export type CaseRecordInput = Omit<CaseRecord, 'history'> & { history?: unknown[] };

/** Log entries of one case for the store, each with its `seq`; written once each. */
export interface AppendCaseLogInput {
  kommune: string;
  caseId: string;
  entries: { seq: number }[];
}

export interface CountOpenCasesInput {
  kommune: string;
  holderId: string;
  /** The case asking, which does not count against itself. */
  caseId: string;
}

/** A person's caseload: open cases held, and their own limit when a leader set one. */
export interface Caseload {
  open: number;
  /** Overrides the role's `maxOpenCases`; null: the role's rule applies. */
  personalMax: number | null;
}
