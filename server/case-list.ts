/**
 * The case list: filter and page through a kommune's cases from Temporal visibility.
 * Visibility is eventually consistent: a case changed a moment ago may show its old step for
 * a second; the case snapshot is always current.
 *
 * A role that sees only its own cases lists the cases it is a member of (holder or team), by
 * its pseudonym in `SluseMembers`: one visibility query, like the kommune-wide list. Holders
 * are known to visibility by pseudonym only, so an item says whether you hold it, not who does.
 *
 * @module
 */
import { pseudonym } from '../machines/pseudonym';
import { caseSearchAttributes as sa } from '../workflows/search-attributes';
import { memberToBe, type AccessPolicy } from './access-policy';
import { ApiError } from './api-error';
import type { CaseList, CaseSummary, ListCasesQuery, ListSorts } from './api-schemas';
import type { Principal } from './authenticate';
import { shortHash } from './case-ids';
import type { TemporalDeps } from './case-service';
import { fromVisibilityError, grpcCode } from './temporal-errors';
import { q } from '../workflows/visibility-query';
import { listCaseRuns, type CaseRun } from './visibility';

type ListSort = (typeof ListSorts)[number];

const DEFAULT_PAGE_SIZE = 25;
const INVALID_ARGUMENT = 3;

export async function listCases(
  deps: TemporalDeps & { access: AccessPolicy; pseudonymKey: Uint8Array },
  principal: Principal,
  kommune: string,
  filter: ListCasesQuery,
): Promise<CaseList> {
  const access = await deps.access(principal, kommune, 'kommune');
  const pseudonymOf = (id: string) => pseudonym(deps.pseudonymKey, id);
  const me = pseudonymOf(principal.sub);
  const member = memberToBe(access);
  const clauses = [q.kommune(kommune), q.opened(), q.latestRun()];
  if (member !== undefined) clauses.push(q.eq(sa.members.name, pseudonymOf(member)));
  if (filter.level !== undefined) clauses.push(q.eq(sa.level.name, filter.level));
  if (filter.step !== undefined) clauses.push(q.eq(sa.step.name, filter.step));
  if (filter.status !== undefined) clauses.push(q.eq(sa.status.name, filter.status));
  if (filter.holder !== undefined) clauses.push(q.eq(sa.holder.name, pseudonymOf(filter.holder)));
  if (filter.mine === true) clauses.push(q.eq(sa.holder.name, me));
  const now = new Date().toISOString();
  // The list's "Bare forfalte" matches what its status says: any deadline passed, not only the step's.
  if (filter.late === true) clauses.push(q.late(now));
  if (filter.overdue !== undefined) clauses.push(q.eq(sa.overdue.name, filter.overdue));
  // Unset on cases no family ever asked about: "false" is every case not waiting.
  if (filter.reopenRequested === true) clauses.push(q.eq(sa.reopenRequested.name, true));
  else if (filter.reopenRequested === false)
    clauses.push(`(${sa.reopenRequested.name} IS NULL OR ${sa.reopenRequested.name} = false)`);
  if (filter.dueBefore !== undefined) {
    clauses.push(`${sa.nextDueAt.name} < '${new Date(filter.dueBefore).toISOString()}'`);
  }
  const query = clauses.join(' AND ');
  // The cursor carries a hash of the query, so a cursor is never replayed against other filters;
  // "now" is left out of it, or the next page of late cases would be another list.
  const queryTag = shortHash(query.replaceAll(now, 'now')).slice(0, 8);
  if (filter.sort !== undefined) return sortedList(deps, kommune, query, queryTag, filter, me);

  let pageToken: Uint8Array | undefined;
  if (filter.cursor !== undefined) {
    if (!filter.cursor.startsWith(queryTag) || filter.cursor.length === queryTag.length) {
      throw new ApiError(
        'VALIDATION_FAILED',
        'the cursor belongs to another list',
        'Sidemarkøren hører til en annen liste.',
        [
          {
            path: '/query/cursor',
            message: 'pass nextCursor from the previous page with the same filters',
            nb: 'Bruk nextCursor fra forrige side, med de samme filtrene.',
          },
        ],
      );
    }
    pageToken = Buffer.from(filter.cursor.slice(queryTag.length), 'base64url');
  }

  try {
    const { runs, nextPageToken } = await deps.client.connection.withDeadline(
      Date.now() + deps.timeoutMs,
      () =>
        listCaseRuns(deps.client, kommune, query, filter.pageSize ?? DEFAULT_PAGE_SIZE, pageToken),
    );
    return {
      cases: runs.map((r) => summary(r, me)),
      nextCursor: nextPageToken
        ? queryTag + Buffer.from(nextPageToken).toString('base64url')
        : null,
      sortLimited: false,
    };
  } catch (err) {
    if (pageToken && grpcCode(err) === INVALID_ARGUMENT) {
      throw new ApiError(
        'VALIDATION_FAILED',
        'the cursor is not valid',
        'Sidemarkøren er ugyldig.',
        [
          {
            path: '/query/cursor',
            message: 'pass nextCursor from the previous page',
            nb: 'Bruk nextCursor fra forrige side.',
          },
        ],
      );
    }
    throw fromVisibilityError(err);
  }
}

function summary(r: CaseRun, me: string): CaseSummary {
  return {
    caseId: r.caseId,
    step: r.step,
    level: r.level,
    status: r.status,
    holderPseudonym: r.holderPseudonym,
    heldByYou: r.holderPseudonym === me,
    referralSource: r.referralSource,
    overdue: r.overdue,
    reopenRequested: r.reopenRequested,
    nextDueAt: r.nextDueAt,
    configVersion: r.configVersion,
    lastActivityAt: r.lastActivityAt,
    openTasks: r.openTasks,
    openedAt: r.openedAt,
    stepEnteredAt: r.stepEnteredAt,
    escalated: r.escalated,
    actionPointDueAt: r.actionPointDueAt,
  };
}

/** The most cases one sorted list reads from visibility (its largest page). */
export const MAX_SORTED = 1000;

/** Ascending sort keys; a missing time sorts last. */
const sortKeys: Record<ListSort, (r: CaseRun) => number> = {
  opened: (r) => (r.openedAt ? -Date.parse(r.openedAt) : Infinity),
  nextDue: (r) => (r.nextDueAt ? Date.parse(r.nextDueAt) : Infinity),
  lastActivity: (r) => (r.lastActivityAt ? Date.parse(r.lastActivityAt) : Infinity),
};

/**
 * A sorted list. Temporal's SQL visibility (the dev server; SQLite and Postgres clusters) refuses
 * ORDER BY, so the server reads up to MAX_SORTED matches, sorts them and pages by offset; past
 * that, `sortLimited` says the order holds among the first MAX_SORTED only.
 */
async function sortedList(
  deps: TemporalDeps,
  kommune: string,
  query: string,
  listTag: string,
  filter: ListCasesQuery,
  me: string,
): Promise<CaseList> {
  const sort = filter.sort!;
  const pageSize = filter.pageSize ?? DEFAULT_PAGE_SIZE;
  const queryTag = shortHash(`${listTag} SORT ${sort}`).slice(0, 8);
  let offset = 0;
  if (filter.cursor !== undefined) {
    const tail = filter.cursor.startsWith(queryTag) ? filter.cursor.slice(queryTag.length) : '';
    if (!/^o[0-9]{1,4}$/.test(tail) || Number(tail.slice(1)) >= MAX_SORTED) {
      throw new ApiError(
        'VALIDATION_FAILED',
        'the cursor belongs to another list',
        'Sidemarkøren hører til en annen liste.',
        [
          {
            path: '/query/cursor',
            message: 'pass nextCursor from the previous page with the same filters and sort',
            nb: 'Bruk nextCursor fra forrige side, med de samme filtrene og samme sortering.',
          },
        ],
      );
    }
    offset = Number(tail.slice(1));
  }
  const runs: CaseRun[] = [];
  let limited = false;
  try {
    await deps.client.connection.withDeadline(Date.now() + deps.timeoutMs, async () => {
      let token: Uint8Array | undefined;
      do {
        const page = await listCaseRuns(
          deps.client,
          kommune,
          query,
          MAX_SORTED - runs.length,
          token,
        );
        runs.push(...page.runs);
        token = page.nextPageToken ?? undefined;
      } while (token && runs.length < MAX_SORTED);
      limited = token !== undefined;
    });
  } catch (err) {
    throw fromVisibilityError(err);
  }
  const key = sortKeys[sort];
  // Ties keep a stable order by case id, so pages never repeat or skip a case.
  runs.sort((a, b) => key(a) - key(b) || (a.caseId < b.caseId ? -1 : 1));
  const page = runs.slice(offset, offset + pageSize);
  const next = offset + pageSize;
  return {
    cases: page.map((r) => summary(r, me)),
    nextCursor: next < runs.length ? `${queryTag}o${next}` : null,
    sortLimited: limited,
  };
}
