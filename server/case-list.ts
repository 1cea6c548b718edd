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
import type { CaseList, ListCasesQuery } from './api-schemas';
import type { Principal } from './authenticate';
import { shortHash } from './case-ids';
import type { TemporalDeps } from './case-service';
import { fromVisibilityError, grpcCode } from './temporal-errors';
import { q } from '../workflows/visibility-query';
import { listCaseRuns } from './visibility';

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
  if (filter.overdue !== undefined) clauses.push(q.eq(sa.overdue.name, filter.overdue));
  // Unset on cases no family ever asked about: "false" is every case not waiting.
  if (filter.reopenRequested === true) clauses.push(q.eq(sa.reopenRequested.name, true));
  else if (filter.reopenRequested === false)
    clauses.push(`(${sa.reopenRequested.name} IS NULL OR ${sa.reopenRequested.name} = false)`);
  if (filter.dueBefore !== undefined) {
    clauses.push(`${sa.nextDueAt.name} < '${new Date(filter.dueBefore).toISOString()}'`);
  }
  const query = clauses.join(' AND ');

  // The cursor carries a hash of the query, so a cursor is never replayed against other filters.
  const queryTag = shortHash(query).slice(0, 8);
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
      cases: runs.map((r) => ({
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
      })),
      nextCursor: nextPageToken
        ? queryTag + Buffer.from(nextPageToken).toString('base64url')
        : null,
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
