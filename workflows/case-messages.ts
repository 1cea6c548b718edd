/** The case workflow's input, messages and failure types: what a client needs to talk to a case. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { KommuneConfig } from '../config/types';
import type { Actor, AllowedEvent, CaseState, OpenCaseInput } from '../machines';
import type { CaseFact } from '../machines/case-facts';
import type { CaseView } from '../machines/case-view';

export type { CaseView } from '../machines/case-view';

/** One entry of the case's log (the stafettlogg). */
export interface HistoryEntry {
  /** Its place in the case's log: 1, 2, 3 … across continue-as-new; the store's key. */
  seq: number;
  at: string;
  revision: number;
  kind:
    | 'opened'
    | 'event'
    | 'timer'
    | 'reopened'
    | 'migrated'
    | 'handover'
    | 'notified'
    | 'notificationFailed'
    | 'taskOpened'
    | 'taskCompleted'
    | 'reopenRequested'
    | 'reopenDeclined';
  actor: Actor;
  /** Event type, timer key, notification kind or task kind. */
  what: string;
  from?: string | null;
  to?: string;
  payload?: unknown;
  /**
   * What the statistics count of this change (machines/case-facts.ts): written to the store's
   * `case_fact`, never sealed into the log nor shown in its history.
   */
  facts?: CaseFact[];
}

/** The open command as the API sends it; the workflow adds the case id and the time for the engine's `OpenCaseInput`. */
export type OpenCaseRequest = Omit<OpenCaseInput, 'caseId' | 'now'>;

export interface CaseWorkflowInput {
  kommune: string;
  caseId: string;
  /** The config snapshot this case runs on; a later publish never changes it. */
  config: KommuneConfig;
  configVersion: number;
  /** Base of the anonymous feedback links sent to families. */
  feedbackBaseUrl?: string;
  /** How often a handover waiting for capacity looks again, in ms (default 6 hours). */
  capacityRecheckMs?: number;
  /**
   * Write the gathered log (and the statistics' facts) at the latest this long after it began to
   * gather, in ms (default 10 minutes); tests on a real-time server lower it.
   */
  logFlushMs?: number;
  /** Continue-as-new after this many history events (default 5000); tests lower it. */
  historyLimit?: number;
  /**
   * The key (base64) for pseudonyms of the holder and members in search attributes; encrypted
   * at rest like every payload. Cases started before it existed publish no holder or members.
   */
  pseudonymKey?: string;
  /**
   * Present after continue-as-new: the state, the log entries not yet written to the store (at
   * most one write's worth) and the next log seq. Runs from before the log moved to the store
   * carry the whole log as `history` instead.
   */
  carried?: { state: CaseState; tail?: HistoryEntry[]; nextSeq?: number; history?: HistoryEntry[] };
}

export interface SendEventInput {
  type: string;
  payload?: unknown;
  actor: Actor;
  /** The revision the sender last saw; a different current revision is a conflict. */
  expectedRevision: number;
  /** For a sender who sees only their own cases: refused as not found unless this person is a member. */
  asMember?: string;
  /** The kommune the sender addressed: refused as not found unless the case was recorded under it. */
  kommune?: string;
  /** Set with an Idempotency-Key: echoed in the answer (see `CaseView.requestHash`). */
  requestHash?: string;
}

export interface MigrateInput {
  /** The newer config version to run on from now. */
  config: KommuneConfig;
  configVersion: number;
  /** Old step id → new step id, for steps the new version renamed or removed. */
  stepMapping?: Record<string, string>;
  actor: Actor;
  expectedRevision: number;
}

export interface ReopenInput {
  actor: Actor;
  payload?: unknown;
  expectedRevision: number;
  /** As in `SendEventInput`. */
  asMember?: string;
  kommune?: string;
  /** Set with an Idempotency-Key: echoed in the answer (see `CaseView.requestHash`). */
  requestHash?: string;
}

/** Marks the holder's task done (machines/case-tasks.ts); the holder, or staff who may act on the case. */
export interface CompleteTaskInput {
  taskId: string;
  actor: Actor;
  expectedRevision: number;
  /** As in `SendEventInput`. */
  asMember?: string;
  kommune?: string;
  requestHash?: string;
}

/** A family member's request to reopen, or the holder's no to it (machines/reopen-request.ts). */
export interface ReopenRequestCommand {
  actor: Actor;
  expectedRevision: number;
  /** As in `SendEventInput`. */
  asMember?: string;
  kommune?: string;
  requestHash?: string;
}

/** Failure types a client maps to answers; details[0] carries the machine's Rejection. */
export const CaseFailures = {
  rejected: 'CASE_COMMAND_REJECTED',
  conflict: 'REVISION_CONFLICT',
  notOpened: 'CASE_NOT_OPENED',
  alreadyOpened: 'CASE_ALREADY_OPENED',
  /** The sender sees only their own cases and this is not one: answered like a missing case. */
  notVisible: 'CASE_NOT_VISIBLE',
  capacityFull: 'CAPACITY_FULL',
  /** No open task of the case has this id (completed already, or never there). */
  taskNotFound: 'TASK_NOT_FOUND',
} as const;

/**
 * A command's answer: the case after it, and the request hash it ran with. The events the sender
 * may send now are left to the caller, who has the config (`allowedEvents`, a pure function of
 * config, state and sender): they were two thirds of every answer, and every answer is kept in
 * the case's history (issue #12). Cases still on the forms from before `bounded-forms-re2` send
 * them along, since the caller's compile would offer the newer forms.
 */
export type CommandAnswer = Omit<CaseView, 'allowedEvents'> & { allowedEvents?: AllowedEvent[] };

// ── Messages ────────────────────────────────────────────────────────────────────────────────
// Updates, not signals: the caller must know whether the command was accepted, and a validator
// keeps a refused one out of history.

export const openCaseUpdate = defineUpdate<CommandAnswer, [OpenCaseRequest]>('openCase');
export const sendEventUpdate = defineUpdate<CommandAnswer, [SendEventInput]>('sendEvent');
export const reopenCaseUpdate = defineUpdate<CommandAnswer, [ReopenInput]>('reopenCase');
export const completeTaskUpdate = defineUpdate<CommandAnswer, [CompleteTaskInput]>('completeTask');
/** A family member on a closed case asks to reopen it; the last holder is told and decides. */
export const requestReopenUpdate = defineUpdate<CommandAnswer, [ReopenRequestCommand]>(
  'requestReopen',
);
/** The holder says no to the family's request; the case stays closed. */
export const declineReopenUpdate = defineUpdate<CommandAnswer, [ReopenRequestCommand]>(
  'declineReopen',
);
/** Moves the case onto a newer config version; refused (and nothing changes) when it can't. */
export const migrateCaseUpdate = defineUpdate<CommandAnswer, [MigrateInput]>('migrateCase');
/**
 * The case as the given role sees it (with the events that role may send now; events for the
 * holder or team only when `actorId`, the reader's person id, is one); null before opening.
 * With `asMember` (a person id), also null unless that person holds the case or is on its team:
 * membership is decided here, so a case that is not yours never leaves the worker and answers
 * in the same one round trip as any other read.
 */
export const viewQuery = defineQuery<
  CaseView | null,
  [role?: string, asMember?: string, actorId?: string]
>('view');
/**
 * The log entries not yet in the store (all of them for a run from before the log moved
 * there); `CaseLog.complete` (store/case-log.ts) adds the stored ones.
 */
export const historyQuery = defineQuery<HistoryEntry[]>('history');
