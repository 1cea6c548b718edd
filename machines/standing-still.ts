/**
 * When an open case stands still: no accepted event for a while. The case list, the case page
 * and the live model's incident list mark it by this one rule, so they never disagree.
 */

/** No accepted event for this long marks an open case as standing still (BTI guides' 14 days). */
export const STANDING_STILL_MS = 14 * 86400000;

export interface ActivitySummary {
  status: string | null;
  /** Null when visibility has no time for it (a run from before the attribute was written). */
  lastActivityAt: string | null;
}

/**
 * @example
 * standingStill({ status: 'open', lastActivityAt: '2026-01-01T08:00:00Z' }, Date.parse('2026-02-01T08:00:00Z')) // true
 */
export function standingStill(
  c: ActivitySummary,
  now = Date.now(),
  thresholdMs = STANDING_STILL_MS,
): boolean {
  return (
    c.status === 'open' &&
    c.lastActivityAt !== null &&
    now - Date.parse(c.lastActivityAt) > thresholdMs
  );
}
