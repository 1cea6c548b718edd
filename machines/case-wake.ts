/**
 * When a case's workflow must next wake, which timer is due, and when the case is done: pure, so
 * the workflow's main loop only sleeps and fires. Times are epoch milliseconds; `now` is always an
 * argument (in a workflow, Temporal's deterministic clock).
 *
 * @module
 */
import type { KommuneConfig } from '../config/types';
import { nextDueAt } from './case-queries';
import { addDuration } from './durations';
import type { ArmedTimer, CaseState } from './types';

/**
 * When the short way back closes for a closed case; null when there is none (open, or the
 * config has no reopening).
 *
 * @example
 * reopenUntil(config, closed) // Date.parse(closedAt + reopen.within)
 */
export function reopenUntil(config: KommuneConfig, s: CaseState): number | null {
  const reopen = config.reopen;
  if (s.status === 'open' || !reopen || !s.closedAt) return null;
  return Date.parse(addDuration(s.closedAt, reopen.within));
}

/**
 * Closed with nothing armed and the short way back (if any) over: time to archive.
 *
 * @example
 * isFinished(config, closedLongAgo, Date.now()) // true
 */
export function isFinished(config: KommuneConfig, s: CaseState, now: number): boolean {
  if (s.status === 'open' || s.timers.length > 0) return false;
  const until = reopenUntil(config, s);
  return until === null || until <= now;
}

/**
 * The earliest moment the workflow has something to do: a timer due, the short way back closing,
 * or (`capacityCheckAt`) a waiting handover to look at again. Null: sleep until something changes.
 *
 * @example
 * nextWakeAt(config, state, null) // Date.parse(nextDueAt(state)), or null with nothing armed
 */
export function nextWakeAt(
  config: KommuneConfig,
  s: CaseState,
  capacityCheckAt: number | null,
): number | null {
  return earliest(nextDueAt(s), earliest(reopenUntil(config, s), capacityCheckAt));
}

/**
 * When a handover waiting for capacity is looked at next: the planned look stands until it has
 * passed, then the next is one interval on. Without a waiting handover it stays as it was.
 *
 * @example
 * nextCapacityCheck(waiting, 0, now, 6 * 3600_000) // now + 6 hours
 */
export function nextCapacityCheck(
  s: CaseState | null,
  plannedAt: number,
  now: number,
  intervalMs: number,
): number {
  return s?.capacityWait && plannedAt <= now ? now + intervalMs : plannedAt;
}

/**
 * The timer to fire now: the earliest armed one, if it is due. Undefined when none is.
 *
 * @example
 * dueTimer(state, Date.now())?.key // 'kartlegging/frist/2027-03-30T07:00:00.000Z'
 */
export function dueTimer(s: CaseState, now: number): ArmedTimer | undefined {
  const first = [...s.timers].sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
  return first && Date.parse(first.dueAt) <= now ? first : undefined;
}

function earliest(a: string | number | null, b: number | null): number | null {
  const first = typeof a === 'string' ? Date.parse(a) : a;
  if (first === null) return b;
  return b === null ? first : Math.min(first, b);
}
