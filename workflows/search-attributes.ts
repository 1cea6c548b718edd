/**
 * The search attributes a case writes, for lists and counts without a second database.
 * Temporal stores them in plain text, so they hold ids, codes, dates and pseudonyms (keyed
 * hashes of user ids) only — never personal data, never a string a user typed. This is the one
 * list: the dev servers register it, and `temporal.yaml`'s copy (for operators of a cluster) is
 * checked against it at start (runtime/temporal-settings.ts).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const caseSearchAttributes = {
  kommune: defineSearchAttributeKey('SluseKommune', SearchAttributeType.KEYWORD),
  level: defineSearchAttributeKey('SluseLevel', SearchAttributeType.INT),
  step: defineSearchAttributeKey('SluseStep', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('SluseStatus', SearchAttributeType.KEYWORD),
  /** The holder's pseudonym (machines/pseudonym.ts), never the raw id. */
  holder: defineSearchAttributeKey('SluseHolder', SearchAttributeType.KEYWORD),
  /** Pseudonyms of the holder and the team: who sees the case when their role sees its own. */
  members: defineSearchAttributeKey('SluseMembers', SearchAttributeType.KEYWORD_LIST),
  nextDueAt: defineSearchAttributeKey('SluseNextDueAt', SearchAttributeType.DATETIME),
  overdue: defineSearchAttributeKey('SluseOverdue', SearchAttributeType.BOOL),
  referralSource: defineSearchAttributeKey('SluseReferralSource', SearchAttributeType.KEYWORD),
  configVersion: defineSearchAttributeKey('SluseConfigVersion', SearchAttributeType.INT),
  /** The last accepted command: a case with none for long is standing still. */
  lastActivityAt: defineSearchAttributeKey('SluseLastActivityAt', SearchAttributeType.DATETIME),
  /** Every step the case has entered, for funnel counts. */
  path: defineSearchAttributeKey('SlusePath', SearchAttributeType.KEYWORD_LIST),
  /** Open tasks for the holder (e.g. a family that could not be reached); unset: never had one. */
  openTasks: defineSearchAttributeKey('SluseOpenTasks', SearchAttributeType.INT),
  /** A family member asked to reopen the closed case and the holder has not yet decided. */
  reopenRequested: defineSearchAttributeKey('SluseReopenRequested', SearchAttributeType.BOOL),
  /** When the case was opened (a continued run starts later, so its start time is not this). */
  openedAt: defineSearchAttributeKey('SluseOpenedAt', SearchAttributeType.DATETIME),
  /** A timer escalated the case in its current step. */
  escalated: defineSearchAttributeKey('SluseEscalated', SearchAttributeType.BOOL),
  // SQL visibility (the dev server, Postgres/SQLite clusters) has three Datetime slots, all used
  // now; these two times are read, never range-queried, so they are ISO strings in Keywords.
  /** When the case entered its current step (ISO, UTC): the list's time in step. */
  stepEnteredAt: defineSearchAttributeKey('SluseStepEnteredAt', SearchAttributeType.KEYWORD),
  /** The earliest due time of an open action point (ISO, UTC); unset when none has one. */
  actionPointDueAt: defineSearchAttributeKey('SluseActionPointDueAt', SearchAttributeType.KEYWORD),
} as const;

/** How the `temporal` CLI (and `temporal.yaml`) names each type. */
const CliTypeNames: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

/**
 * Registration map for dev/test servers and the check of `temporal.yaml`: name → CLI type name,
 * read off `caseSearchAttributes`, so there is one list.
 */
export const searchAttributeRegistrations: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(
    Object.values(caseSearchAttributes).map((key) => [key.name, CliTypeNames[key.type]]),
  ),
);

/**
 * How a registration map (e.g. `temporal.yaml`'s) differs from what the engine writes: one line
 * per attribute missing, of another type, or unknown to the engine; empty when they agree.
 */
export function searchAttributeMismatches(registered: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const [name, type] of Object.entries(searchAttributeRegistrations)) {
    if (!Object.hasOwn(registered, name))
      out.push(`${name} is missing (the engine writes it as ${type})`);
    else if (registered[name] !== type)
      out.push(`${name} is ${registered[name]} here, but the engine writes it as ${type}`);
  }
  for (const name of Object.keys(registered)) {
    if (!Object.hasOwn(searchAttributeRegistrations, name))
      out.push(`${name} is not written by the engine`);
  }
  return out;
}

/** The workflow id of a case: kommune and a random case id, nothing personal. */
export function caseWorkflowId(kommune: string, caseId: string): string {
  return `case-${kommune}-${caseId}`;
}

/** The workflow id of the nightly retention sweep: one per namespace. */
export const RETENTION_WORKFLOW_ID = 'sluse-retention';

/** The workflow id of a partner survey's round: kommune and a random round id, nothing personal. */
export function partnerSurveyWorkflowId(kommune: string, roundId: string): string {
  return `partner-survey-${kommune}-${roundId}`;
}
