/** Shapes that cross between the case workflow and its activities. */

export const NotificationKinds = ['notify', 'escalate', 'feedbackLink', 'survey'] as const;
export type NotificationKind = (typeof NotificationKinds)[number];

/** One message to deliver. `key` makes delivery idempotent: the same key is delivered once. */
export interface Notification {
  key: string;
  kommune: string;
  caseId: string;
  kind: NotificationKind;
  /** Recipient: a role of the kommune, or `holder` / `family`. */
  to: string;
  /** The holder's pseudonymous id when `to` is `holder`. */
  toId?: string;
  template: string;
  title: string;
  body: string;
  reason: string;
  /** The anonymous feedback form or survey link, for `feedbackLink` / `survey`. */
  link?: string;
  createdAt: string;
}

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
