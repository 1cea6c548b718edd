/**
 * The search attributes a case writes, for lists and counts without a second database.
 * Temporal stores them in plain text, so they hold ids, codes, dates and pseudonyms (keyed
 * hashes of user ids) only — never personal data, never a string a user typed. `temporal.yaml` registers the same names on the dev server.
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
} as const;

/** Registration map for dev/test servers: name → CLI type name. */
export const searchAttributeRegistrations: Record<string, string> = {
  SluseKommune: 'Keyword',
  SluseLevel: 'Int',
  SluseStep: 'Keyword',
  SluseStatus: 'Keyword',
  SluseHolder: 'Keyword',
  SluseMembers: 'KeywordList',
  SluseNextDueAt: 'Datetime',
  SluseOverdue: 'Bool',
  SluseReferralSource: 'Keyword',
  SluseConfigVersion: 'Int',
  SlusePath: 'KeywordList',
  SluseLastActivityAt: 'Datetime',
};

/** The workflow id of a case: kommune and a random case id, nothing personal. */
export function caseWorkflowId(kommune: string, caseId: string): string {
  return `case-${kommune}-${caseId}`;
}

/** Quotes a value for a Temporal visibility query over these attributes (worker and API both ask). */
export function visibilityLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
