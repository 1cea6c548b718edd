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

/**
 * The UTC year last asked about, as `[first ms, end ms)` and its summer time: a command's
 * instants nearly all fall in one year, so most offsets need no calendar arithmetic. A fact
 * about the year alone, so replay gets the same whatever it held before.
 */
let lastYear = { from: 0, to: 0, summer: [0, 0] as SummerTime };

/** Oslo's offset from UTC in minutes at the instant `utcMs` (60 or 120). */
export function osloOffsetMinutes(utcMs: number): number {
  if (!(utcMs >= lastYear.from && utcMs < lastYear.to)) {
    if (!ordinaryMs(utcMs)) {
      const [start, end] = summerTime(yearOfDate(utcMs));
      return utcMs >= start && utcMs < end ? 120 : 60;
    }
    const year = civil(Math.floor(utcMs / DAY)).year;
    lastYear = {
      from: civilDays(year, 1, 1) * DAY,
      to: civilDays(year + 1, 1, 1) * DAY,
      summer: summerTime(year),
    };
  }
  const [start, end] = lastYear.summer;
  return utcMs >= start && utcMs < end ? 120 : 60;
}

export function toOsloLocal(utcMs: number): OsloLocal {
  const shiftedMs = utcMs + osloOffsetMinutes(utcMs) * MINUTE;
  if (ordinaryMs(shiftedMs) && Number.isInteger(shiftedMs)) {
    const days = Math.floor(shiftedMs / DAY);
    const { year, month, day } = civil(days);
    return { year, month, day, timeOfDay: shiftedMs - days * DAY };
  }
  const shifted = new Date(shiftedMs);
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
  return fromOsloWallClock(utcDayMs(local.year, local.month, local.day) + local.timeOfDay);
}

/** {@link fromOsloLocal} of the wall-clock time written as if it were UTC (`Date.UTC(…)`). */
export function fromOsloWallClock(asUtc: number): number {
  const summer = asUtc - 120 * MINUTE;
  if (osloOffsetMinutes(summer) === 120) return summer;
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
  const ms = utcDayMs(date.year, date.month, date.day) + days * DAY;
  if (ordinaryMs(ms) && Number.isInteger(ms)) return civil(Math.floor(ms / DAY));
  const d = new Date(ms);
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

/**
 * The last two instants parsed: a command reads its own `now` and the case's times (last
 * activity, step entry) again and again. Facts about their text alone, so replay computes the
 * same whatever they held before.
 */
let lastIso = '';
let lastMs = NaN;
let olderIso = '';
let olderMs = NaN;

/** `Date.parse`, faster for the engine's own instants (see `canonicalMs`). */
export function parseInstant(iso: string): number {
  if (iso === lastIso) return lastMs;
  if (iso === olderIso) return olderMs;
  const ms = canonicalMs(iso) ?? Date.parse(iso);
  olderIso = lastIso;
  olderMs = lastMs;
  lastIso = iso;
  lastMs = ms;
  return ms;
}

export function toIso(ms: number): string {
  if (!ordinaryMs(ms) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const days = Math.floor(ms / DAY);
  const { year, month, day } = civil(days);
  let rest = ms - days * DAY;
  const milli = rest % 1000;
  rest = (rest - milli) / 1000;
  const second = rest % 60;
  rest = (rest - second) / 60;
  const minute = rest % 60;
  const hour = (rest - minute) / 60;
  return `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
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
  return civilDays(year, month, day) * DAY + ((hour * 60 + minute) * 60 + second) * 1000 + milli;
}

/*
 * Calendar arithmetic on day numbers (days since 1 January 1970) in plain integer operations,
 * after Howard Hinnant's `days_from_civil` and `civil_from_days`: `Date.UTC` and `new Date` were a
 * fifth of a command. Only for years 1000–9998 ("ordinary"), where the results are the same as
 * Date's; anything else goes the old way through Date.
 */
const ORDINARY_FROM = -30_610_224_000_000; // 1000-01-01T00:00:00.000Z
const ORDINARY_TO = 253_370_764_800_000; // 9999-01-01T00:00:00.000Z

function ordinaryMs(ms: number): boolean {
  return ms >= ORDINARY_FROM && ms < ORDINARY_TO;
}

/** The day number of a proleptic Gregorian date; `day` may run past the month, as in Date.UTC. */
export function civilDays(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The date of a day number. */
export function civil(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return {
    year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0),
    month,
    day: dayOfYear - Math.floor((153 * mp + 2) / 5) + 1,
  };
}

/** `Date.UTC(year, month - 1, day)`. */
function utcDayMs(year: number, month: number, day: number): number {
  const integers = Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day);
  if (integers && year >= 1000 && year <= 9998 && month >= 1 && month <= 12)
    return civilDays(year, month, day) * DAY;
  return Date.UTC(year, month - 1, day);
}

function yearOfDate(ms: number): number {
  return new Date(ms).getUTCFullYear();
}

/** Days in a month (1–12) of a year, as `new Date(Date.UTC(year, month, 0)).getUTCDate()`. */
export function daysInMonth(year: number, month: number): number {
  if (year < 1000 || year > 9998 || month < 1 || month > 12 || !Number.isInteger(year))
    return new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month !== 2) return MONTH_DAYS[month - 1]!;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}
