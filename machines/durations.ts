/**
 * The ISO 8601 duration subset configs use (`P1Y6M`, `P2W`, `P10D`, `PT4H` …) and adding one
 * to an instant. Years, months, weeks and days move the Oslo calendar date and keep the
 * wall-clock time (so "one month after 09:00" is 09:00 across summer time); hours and minutes
 * are exact elapsed time. With working days, weeks count five working days and days count
 * working days; years and months still move the calendar, as a working month means nothing.
 *
 * @module
 */
import { parseDuration as parseDurationText, type DurationParts } from '../config/duration';
import type { DayCount, Duration } from '../config/types';
import {
  boundedMemo,
  civil,
  civilDays,
  daysInMonth,
  fromOsloLocal,
  fromOsloWallClock,
  instant,
  osloOffsetMinutes,
  shiftDate,
  toIso,
  toOsloLocal,
} from './oslo-time';
import { shiftWorkingDayNumber, shiftWorkingDays } from './working-days';

export type { DurationParts };

const MINUTE = 60_000;
const MAX_DATE_MS = 8.64e15;

/**
 * The parts of a duration, or `null` when the value is outside the subset. The grammar is the
 * config language's own (`config/duration.ts`), so validation and the machine never disagree.
 *
 * @example
 * parseDuration('P1Y6M') // { years: 1, months: 6, weeks: 0, days: 0, hours: 0, minutes: 0 }
 */
export function parseDuration(text: unknown): DurationParts | null {
  if (typeof text !== 'string') return null;
  // A payload's field may name a duration: long text is no duration worth remembering.
  return text.length <= 64 ? parsedDuration(text) : parseDurationText(text);
}

/**
 * Configs name a handful of durations and the engine parses them on every command; the parts
 * are frozen because callers share them.
 */
const parsedDuration = boundedMemo(1024, (text: string): Readonly<DurationParts> | null => {
  const parts = parseDurationText(text);
  return parts && Object.freeze(parts);
});

/** Parses or throws: configs are validated before they reach the machine. */
export function requireDuration(text: Duration): DurationParts {
  const parts = parseDuration(text);
  if (!parts)
    throw new TypeError(`not a duration in the supported subset: ${JSON.stringify(text)}`);
  return parts;
}

/** `k` times a duration, for the k-th occurrence of a recurring timer. */
export function scaleDuration(d: DurationParts, k: number): DurationParts {
  return {
    years: d.years * k,
    months: d.months * k,
    weeks: d.weeks * k,
    days: d.days * k,
    hours: d.hours * k,
    minutes: d.minutes * k,
  };
}

/** A rough length in milliseconds, only for estimating how many periods fit in a span. */
export function approximateMs(d: DurationParts): number {
  const day = 86_400_000;
  return (
    (d.years * 365.25 + d.months * 30.44 + d.weeks * 7 + d.days) * day +
    (d.hours * 60 + d.minutes) * MINUTE
  );
}

/**
 * Adds (`sign` 1) or subtracts (`sign` -1) a duration to an instant.
 *
 * @example
 * addDuration('2027-03-24T09:00:00.000Z', 'P1D', 'working') // '2027-03-30T09:00:00.000Z'
 * addDuration('2027-01-31T08:00:00.000Z', 'P1M')            // '2027-02-28T08:00:00.000Z'
 */
export function addDuration(
  from: string | number,
  duration: Duration | DurationParts,
  days: DayCount = 'calendar',
  sign: 1 | -1 = 1,
): string {
  return toIso(addDurationMs(from, duration, days, sign));
}

/** {@link addDuration} as epoch milliseconds, for timers that compare instants (no ISO round trip). */
export function addDurationMs(
  from: string | number,
  duration: Duration | DurationParts,
  days: DayCount = 'calendar',
  sign: 1 | -1 = 1,
): number {
  const start = typeof from === 'number' ? from : instant(from);
  const d = typeof duration === 'string' ? requireDuration(duration) : duration;
  return byDayNumbers(start, d, days, sign) ?? addDurationByDates(start, d, days, sign);
}

const DAY = 86_400_000;
/** Day numbers of 1 January 1000 and 1 January 9999: where `civil`/`civilDays` match Date. */
const FIRST_DAY = civilDays(1000, 1, 1);
const END_DAY = civilDays(9999, 1, 1);

/**
 * {@link addDurationMs} on day numbers, without a date object per stage: timers are re-armed
 * on every command, and the dates were a fifth of it. `undefined` outside years 1000–9998 or
 * for parts that are not whole numbers, where {@link addDurationByDates} answers; where both
 * answer they agree (test/machines/time.test.ts).
 */
function byDayNumbers(
  start: number,
  d: DurationParts,
  days: DayCount,
  sign: 1 | -1,
): number | undefined {
  const shifted = start + osloOffsetMinutes(start) * MINUTE;
  let day = Math.floor(shifted / DAY);
  const months = sign * (d.years * 12 + d.months);
  const shift = sign * (days === 'working' ? d.weeks * 5 + d.days : d.weeks * 7 + d.days);
  if (
    !(day >= FIRST_DAY && day < END_DAY) ||
    !Number.isInteger(shifted) ||
    !Number.isSafeInteger(months) ||
    !Number.isSafeInteger(shift)
  )
    return undefined;
  const timeOfDay = shifted - day * DAY;
  if (months !== 0) {
    // Whole months first, clamping to the month's last day (31 January + 1 month = 28 February).
    const local = civil(day);
    const monthIndex = local.year * 12 + (local.month - 1) + months;
    const year = Math.floor(monthIndex / 12);
    const month = monthIndex - year * 12 + 1;
    if (year < 1000 || year > 9998) return undefined;
    day = civilDays(year, month, Math.min(local.day, daysInMonth(year, month)));
  }
  day = days === 'working' ? shiftWorkingDayNumber(day, shift) : day + shift;
  if (!(day >= FIRST_DAY && day < END_DAY)) return undefined;
  const ms = fromOsloWallClock(day * DAY + timeOfDay) + sign * (d.hours * 60 + d.minutes) * MINUTE;
  if (!(Math.abs(ms) <= MAX_DATE_MS)) throw new RangeError('Invalid time value');
  return ms;
}

/**
 * {@link addDurationMs} by calendar dates, for any instant: what the day-number way is checked
 * against.
 */
export function addDurationByDates(
  start: number,
  d: DurationParts,
  days: DayCount,
  sign: 1 | -1,
): number {
  const local = toOsloLocal(start);

  // Whole months first, clamping to the month's last day (31 January + 1 month = 28 February).
  const monthIndex = local.year * 12 + (local.month - 1) + sign * (d.years * 12 + d.months);
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const lastDay = daysInMonth(year, month);
  let date = { year, month, day: Math.min(local.day, lastDay) };

  if (days === 'working') {
    date = shiftWorkingDays(date, sign * (d.weeks * 5 + d.days));
  } else {
    date = shiftDate(date, sign * (d.weeks * 7 + d.days));
  }
  const wallClock = fromOsloLocal({ ...date, timeOfDay: local.timeOfDay });
  const ms = wallClock + sign * (d.hours * 60 + d.minutes) * MINUTE;
  // Beyond the dates JavaScript can hold, as `toISOString` refuses them (absurd durations).
  if (!(Math.abs(ms) <= MAX_DATE_MS)) throw new RangeError('Invalid time value');
  return ms;
}
