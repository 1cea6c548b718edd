/**
 * Europe/Oslo wall-clock arithmetic without Intl or time-zone data: Norway follows the EU
 * summer-time rule (CEST, UTC+2, from 01:00 UTC on the last Sunday of March to 01:00 UTC on the
 * last Sunday of October; CET, UTC+1, otherwise). Computing it here keeps the machine pure and
 * identical inside a Temporal workflow sandbox and in Node.
 *
 * @module
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A wall-clock time in Oslo. `month` is 1–12. */
export interface OsloLocal {
  year: number;
  month: number;
  day: number;
  /** Milliseconds since local midnight. */
  timeOfDay: number;
}

function lastSundayUtc(year: number, monthIndex: number): number {
  const lastDay = Date.UTC(year, monthIndex + 1, 0);
  const weekday = new Date(lastDay).getUTCDay();
  return lastDay - weekday * DAY;
}

/**
 * A small memo for pure functions of one key, emptied when full: entries are facts about their
 * key alone (a year's summer time, a duration's parts), so whatever was evicted or kept, replay
 * computes the same results; the bound keeps a long-lived worker's memory flat.
 */
export function boundedMemo<K, V>(limit: number, compute: (key: K) => V): (key: K) => V {
  const memo = new Map<K, V>();
  return (key) => {
    let value = memo.get(key);
    if (value === undefined) {
      value = compute(key);
      if (memo.size >= limit) memo.clear();
      memo.set(key, value);
    }
    return value;
  };
}

/** Summer time of a year as `[start, end)` in UTC milliseconds. */
export type SummerTime = readonly [start: number, end: number];

/** Summer time in a year by the EU rule, computed (the memo below serves it). */
export function computeSummerTime(year: number): SummerTime {
  return Object.freeze([
    lastSundayUtc(year, 2) + 60 * MINUTE,
    lastSundayUtc(year, 9) + 60 * MINUTE,
  ] as const);
}

/**
 * Summer time in `year`, memoised: every offset, local time and duration asked for it, and a
 * busy case asks many times per command.
 */
export const summerTime: (year: number) => SummerTime = boundedMemo(512, computeSummerTime);

/** Oslo's offset from UTC in minutes at the instant `utcMs` (60 or 120). */
export function osloOffsetMinutes(utcMs: number): number {
  const [start, end] = summerTime(new Date(utcMs).getUTCFullYear());
  return utcMs >= start && utcMs < end ? 120 : 60;
}

export function toOsloLocal(utcMs: number): OsloLocal {
  const shifted = new Date(utcMs + osloOffsetMinutes(utcMs) * MINUTE);
  const midnight = Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate());
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    timeOfDay: shifted.getTime() - midnight,
  };
}

/**
 * The instant of an Oslo wall-clock time. In the autumn overlap the earlier (summer-time)
 * instant wins; a time inside the spring gap moves forward by the hour that does not exist.
 */
export function fromOsloLocal(local: OsloLocal): number {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day) + local.timeOfDay;
  for (const offset of [120, 60]) {
    const candidate = asUtc - offset * MINUTE;
    if (osloOffsetMinutes(candidate) === offset) return candidate;
  }
  return asUtc - 60 * MINUTE;
}

/** `YYYY-MM-DD` of a local date, also used as the key for holiday lookups. */
export function formatDate(local: Pick<OsloLocal, 'year' | 'month' | 'day'>): string {
  const pad = (n: number, w: number): string => String(n).padStart(w, '0');
  return `${pad(local.year, 4)}-${pad(local.month, 2)}-${pad(local.day, 2)}`;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD`; `null` for anything else or an impossible date. */
export function parseDateOnly(text: string): Pick<OsloLocal, 'year' | 'month' | 'day'> | null {
  const m = DATE_ONLY.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** The calendar date `days` after a local date (negative goes back). */
export function shiftDate(
  date: Pick<OsloLocal, 'year' | 'month' | 'day'>,
  days: number,
): Pick<OsloLocal, 'year' | 'month' | 'day'> {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday, like `Date#getUTCDay`. */
export function weekdayOf(date: Pick<OsloLocal, 'year' | 'month' | 'day'>): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

/** Parses an ISO instant strictly enough to catch programmer errors; throws on garbage. */
export function instant(iso: string, what = 'time'): number {
  const ms = typeof iso === 'string' ? parseInstant(iso) : NaN;
  if (typeof iso !== 'string' || Number.isNaN(ms)) {
    throw new TypeError(`${what} must be an ISO 8601 instant, got ${JSON.stringify(iso)}`);
  }
  return ms;
}

/** `Date.parse`, faster for the engine's own instants (see `canonicalMs`). */
export function parseInstant(iso: string): number {
  return canonicalMs(iso) ?? Date.parse(iso);
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Digits `from`..`to` of `text` as a number, or -1 when one is not a digit. */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `YYYY-MM-DDTHH:mm:ss.sssZ` (what `toISOString` writes, so nearly every instant the engine
 * reads) without `Date.parse`, which was a tenth of a command. Only plainly valid values take
 * this way; anything else is `undefined`, left to `Date.parse`, so results never differ.
 */
function canonicalMs(iso: string): number | undefined {
  if (
    iso.length !== 24 ||
    iso[4] !== '-' ||
    iso[7] !== '-' ||
    iso[10] !== 'T' ||
    iso[13] !== ':' ||
    iso[16] !== ':' ||
    iso[19] !== '.' ||
    iso[23] !== 'Z'
  )
    return undefined;
  const year = digits(iso, 0, 4);
  const month = digits(iso, 5, 7);
  const day = digits(iso, 8, 10);
  const hour = digits(iso, 11, 13);
  const minute = digits(iso, 14, 16);
  const second = digits(iso, 17, 19);
  const milli = digits(iso, 20, 23);
  // Date.UTC reads years 0–99 as 1900–1999.
  if (year < 100 || month < 1 || month > 12 || day < 1) return undefined;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > MONTH_DAYS[month - 1]! + (leap ? 1 : 0)) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
    return undefined;
  if (milli < 0) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, milli);
}
