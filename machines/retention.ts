/**
 * When a closed case's records may be deleted (`retention` in the config, #19): pure, so the
 * retention workflow and the sweep agree on the same days. Counted in Oslo calendar days: a case
 * closed on 3 March and kept P1Y is deleted on 3 March the year after, whatever the hour it closed.
 *
 * @module
 */
import type { RetentionDef } from '../config/types';
import { addDurationMs } from './durations';
import { formatDate, fromOsloLocal, shiftDate, toOsloLocal } from './oslo-time';

/** One rule of a kommune's retention: for one exit step, or (`step` absent) all the others. */
export interface RetentionRule {
  step?: string;
  /** With no `step`: the exit steps that have rules of their own. */
  exceptSteps?: string[];
  keep: string;
}

/**
 * The rules to sweep by: one per exit step named in `byFinalStep`, then `closedCases` for every
 * other step.
 *
 * @example
 * retentionRules({ closedCases: 'P5Y', byFinalStep: { ingen: 'P1Y' } })
 * // [{ step: 'ingen', keep: 'P1Y' }, { exceptSteps: ['ingen'], keep: 'P5Y' }]
 */
export function retentionRules(r: RetentionDef): RetentionRule[] {
  const own = Object.entries(r.byFinalStep ?? {});
  return [
    ...own.map(([step, keep]) => ({ step, keep })),
    { exceptSteps: own.map(([step]) => step), keep: r.closedCases },
  ];
}

/** The Oslo day (`YYYY-MM-DD`) on which a case closed at `closedAtMs` and kept `keep` is deleted. */
export function deletionDay(closedAtMs: number, keep: string): string {
  return formatDate(toOsloLocal(addDurationMs(closedAtMs, keep)));
}

/** Whether a case closed at `closedAtMs` and kept `keep` is due for deletion at `nowMs`. */
export function retentionOver(closedAtMs: number, keep: string, nowMs: number): boolean {
  return deletionDay(closedAtMs, keep) <= formatDate(toOsloLocal(nowMs));
}

/** The Oslo date `keep` before today. */
function dayKeptBack(nowMs: number, keep: string) {
  const today = fromOsloLocal({ ...toOsloLocal(nowMs), timeOfDay: 0 });
  return toOsloLocal(addDurationMs(today, keep, 'calendar', -1));
}

/**
 * An instant every case due by {@link retentionOver} closed before: the start of the Oslo day
 * `keep` before today, plus the four days by which month ends can move a date. A store query
 * takes the cases closed before it, and {@link retentionOver} decides each.
 */
export function closedBeforeBound(nowMs: number, keep: string): number {
  return fromOsloLocal({ ...shiftDate(dayKeptBack(nowMs, keep), 4), timeOfDay: 0 });
}

/** The start of the Oslo day `keep` before today: reads of the access log before it are pruned. */
export function keptSince(nowMs: number, keep: string): number {
  return fromOsloLocal({ ...dayKeptBack(nowMs, keep), timeOfDay: 0 });
}

/** The sweep runs at this Oslo hour, when few people work. */
export const SWEEP_HOUR = 2;

/** The next daily sweep strictly after `nowMs`: 02:00 Oslo time. */
export function nextSweepAt(nowMs: number): number {
  const today = toOsloLocal(nowMs);
  const at = fromOsloLocal({ ...today, timeOfDay: SWEEP_HOUR * 3_600_000 });
  return at > nowMs
    ? at
    : fromOsloLocal({ ...shiftDate(today, 1), timeOfDay: SWEEP_HOUR * 3_600_000 });
}
