/**
 * How the case's log (the stafettlogg) is written to the store: in batches far below Temporal's
 * 2 MB per payload, and each a bounded SQL statement.
 *
 * @module
 */

/** One write of log entries at most. */
export const CASE_LOG_BATCH = { entries: 500, chars: 256 * 1024 } as const;

/**
 * The oldest entries that fit one write (counted as JSON); at least one, however large, so a
 * single oversized entry still moves.
 *
 * @example
 * logBatch(tail).length // ≤ 500
 */
export function logBatch<T>(
  entries: readonly T[],
  limit: { entries: number; chars: number } = CASE_LOG_BATCH,
): T[] {
  let chars = 0;
  let n = 0;
  while (n < entries.length && n < limit.entries) {
    chars += JSON.stringify(entries[n]).length;
    if (n > 0 && chars > limit.chars) break;
    n++;
  }
  return entries.slice(0, n);
}
