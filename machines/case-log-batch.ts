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
    chars += sizeOf(entries[n]);
    if (n > 0 && chars > limit.chars) break;
    n++;
  }
  return entries.slice(0, n);
}

/**
 * An entry's size as JSON, leaving out its statistics facts: the batches (and so the writes a
 * case's history holds) stay as they were before facts rode along, so recorded histories replay.
 * Facts are a few small ids per entry, far inside the 2 MB a payload may be.
 */
function sizeOf(entry: unknown): number {
  if (typeof entry !== 'object' || entry === null || !('facts' in entry))
    return JSON.stringify(entry).length;
  const { facts: _facts, ...rest } = entry as Record<string, unknown>;
  return JSON.stringify(rest).length;
}
