/**
 * Reading cases from Temporal visibility: the search attributes every case workflow keeps
 * (kommune, step, level, status, holder and members as pseudonyms, due date, path …). Lists and
 * counts need no second database, and hold no personal data because the attributes hold none.
 *
 * @module
 */
import type { Client } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { tsToMs } from '@temporalio/common/lib/time';
import { isCaseId } from '../machines/person-id';
import { CaseStatuses, type CaseStatus } from '../machines/types';
import { caseSearchAttributes as sa } from '../workflows/search-attributes';

/** One workflow run of a case, as visibility has it. */
export interface CaseRun {
  caseId: string;
  runId: string;
  /** Temporal's run status: Running, Completed, ContinuedAsNew, … */
  runStatus: string;
  startedAt: number;
  step: string | null;
  level: number | null;
  status: CaseStatus | null;
  /** The holder's pseudonym (a keyed hash of the id); null when none or not published. */
  holderPseudonym: string | null;
  nextDueAt: string | null;
  overdue: boolean;
  /** A family's request to reopen waits for the holder. */
  reopenRequested: boolean;
  referralSource: string | null;
  configVersion: number | null;
  /** The last accepted command; null on runs from before the attribute was written. */
  lastActivityAt: string | null;
  path: string[];
  /** Open tasks for the holder; 0 for runs that never had one. */
  openTasks: number;
  /** Null on runs not changed since these were added (the list says "–", never a guess). */
  openedAt: string | null;
  stepEnteredAt: string | null;
  escalated: boolean;
  actionPointDueAt: string | null;
}

const RUN_STATUS: Record<number, string> = {
  1: 'Running',
  2: 'Completed',
  3: 'Failed',
  4: 'Canceled',
  5: 'Terminated',
  6: 'ContinuedAsNew',
  7: 'TimedOut',
};

export async function listCaseRuns(
  client: Client,
  kommune: string,
  query: string,
  pageSize: number,
  pageToken?: Uint8Array,
): Promise<{ runs: CaseRun[]; nextPageToken: Uint8Array | null }> {
  const response = await client.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace,
    query,
    pageSize,
    nextPageToken: pageToken,
  });
  const prefix = `case-${kommune}-`;
  const runs = response.executions.flatMap((raw): CaseRun[] => {
    const workflowId = raw.execution?.workflowId ?? '';
    // The query names the kommune exactly; the id's tail must also be a case id of ours.
    if (!workflowId.startsWith(prefix) || !isCaseId(workflowId.slice(prefix.length))) return [];
    const attrs = decodeTypedSearchAttributes(raw.searchAttributes?.indexedFields);
    const status = attrs.get(sa.status) as CaseStatus | undefined;
    const due = attrs.get(sa.nextDueAt);
    const lastActivity = attrs.get(sa.lastActivityAt);
    const opened = attrs.get(sa.openedAt);
    return [
      {
        caseId: workflowId.slice(prefix.length),
        runId: raw.execution?.runId ?? '',
        runStatus: RUN_STATUS[raw.status ?? 0] ?? 'Unknown',
        startedAt: tsToMs(raw.startTime),
        step: attrs.get(sa.step) ?? null,
        level: attrs.get(sa.level) ?? null,
        status: status && (CaseStatuses as readonly string[]).includes(status) ? status : null,
        holderPseudonym: attrs.get(sa.holder) ?? null,
        nextDueAt: due ? due.toISOString() : null,
        overdue: attrs.get(sa.overdue) ?? false,
        reopenRequested: attrs.get(sa.reopenRequested) ?? false,
        referralSource: attrs.get(sa.referralSource) ?? null,
        configVersion: attrs.get(sa.configVersion) ?? null,
        lastActivityAt: lastActivity ? lastActivity.toISOString() : null,
        path: attrs.get(sa.path) ?? [],
        openTasks: attrs.get(sa.openTasks) ?? 0,
        openedAt: opened ? opened.toISOString() : null,
        stepEnteredAt: isoOrNull(attrs.get(sa.stepEnteredAt)),
        escalated: attrs.get(sa.escalated) ?? false,
        actionPointDueAt: isoOrNull(attrs.get(sa.actionPointDueAt)),
      },
    ];
  });
  const token = response.nextPageToken;
  return { runs, nextPageToken: token && token.length > 0 ? token : null };
}

/** A time the engine wrote as a Keyword, checked: anything else reads as unknown. */
function isoOrNull(value: string | undefined): string | null {
  return value !== undefined && Number.isFinite(Date.parse(value))
    ? new Date(value).toISOString()
    : null;
}
