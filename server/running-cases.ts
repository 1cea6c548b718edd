/**
 * The running cases of a kommune from Temporal visibility (search attributes, no personal
 * data), read page by page up to a ceiling: enough for a kommune's whole caseload.
 *
 * @module
 */
import type { TemporalDeps } from './case-service';
import { fromVisibilityError } from './temporal-errors';
import { q } from '../workflows/visibility-query';
import { listCaseRuns, type CaseRun } from './visibility';

const PAGE_SIZE = 500;
/** Far above any kommune's caseload (the largest seed model counts ~700 worries a year). */
export const MAX_RUNNING_CASES = 20_000;

export interface RunningCases {
  runs: CaseRun[];
  /** True when the ceiling was reached and some running cases were left out. */
  truncated: boolean;
}

/** Running case workflows of `kommune` matching every extra visibility clause. */
export async function runningCases(
  deps: TemporalDeps,
  kommune: string,
  clauses: string[] = [],
): Promise<RunningCases> {
  const query = [q.kommune(kommune), q.opened(), q.running(), ...clauses].join(' AND ');
  const runs: CaseRun[] = [];
  let token: Uint8Array | undefined;
  try {
    do {
      const page = await deps.client.connection.withDeadline(Date.now() + deps.timeoutMs, () =>
        listCaseRuns(deps.client, kommune, query, PAGE_SIZE, token),
      );
      runs.push(...page.runs);
      token = page.nextPageToken ?? undefined;
    } while (token && runs.length < MAX_RUNNING_CASES);
  } catch (err) {
    throw fromVisibilityError(err);
  }
  return {
    runs: runs.slice(0, MAX_RUNNING_CASES),
    truncated: Boolean(token) || runs.length > MAX_RUNNING_CASES,
  };
}

/** Runs `fn` over `items` with at most `limit` in flight, results in input order. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return out;
}
