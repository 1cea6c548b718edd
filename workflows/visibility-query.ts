/**
 * Visibility queries over the attributes in `search-attributes.ts`: the one place that quotes a
 * value for Temporal's SQL-like list filter and names the clauses the API's lists, counts and
 * migrations and the worker's capacity count are built from. Pure strings; the workflow itself
 * never queries.
 *
 * @module
 */
import { CaseStatuses } from '../machines/types';
import { caseSearchAttributes as sa, caseWorkflowId } from './search-attributes';

/** Quotes a value for a Temporal visibility query. */
export function visibilityLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export const q = {
  eq: (attribute: string, value: string | number | boolean) =>
    `${attribute} = ${typeof value === 'string' ? visibilityLiteral(value) : String(value)}`,
  kommune: (kommune: string) => q.eq(sa.kommune.name, kommune),
  /** Workflows that hold an opened case (a refused intake leaves none of these attributes). */
  opened: () => `${sa.status.name} IN (${CaseStatuses.map(visibilityLiteral).join(', ')})`,
  /** The latest run of each case; earlier runs ended in continue-as-new. */
  latestRun: () => `ExecutionStatus != 'ContinuedAsNew'`,
  running: () => `ExecutionStatus = 'Running'`,
  notCase: (kommune: string, caseId: string) =>
    `WorkflowId != ${visibilityLiteral(caseWorkflowId(kommune, caseId))}`,
  and: (...clauses: string[]) => clauses.join(' AND '),
  /**
   * Open and past any deadline: the step's, or an action point's (an ISO Keyword, so text order
   * is time order). A closed case keeps its unfinished action points, but no one is late there.
   */
  late: (nowIso: string) =>
    q.and(
      q.eq(sa.status.name, 'open'),
      `(${sa.overdue.name} = true OR ${sa.nextDueAt.name} < '${nowIso}' OR ${sa.actionPointDueAt.name} < '${nowIso}')`,
    ),
};

/** The open cases someone holds in a kommune (by their pseudonym), one case left out. */
export function heldOpenCasesQuery(
  kommune: string,
  holderPseudonym: string,
  exceptCaseId: string,
): string {
  return q.and(
    q.kommune(kommune),
    q.eq(sa.holder.name, holderPseudonym),
    q.eq(sa.status.name, 'open'),
    q.running(),
    q.notCase(kommune, exceptCaseId),
  );
}
