/**
 * Norwegian working days: Monday–Friday that are not public holidays (`type: 'public'` in
 * date-holidays; bank holidays such as Christmas Eve and observances do not count). Dates are
 * Oslo calendar dates, `YYYY-MM-DD`.
 *
 * @module
 */
import Holidays from 'date-holidays';
import {
  boundedMemo,
  civil,
  civilDays,
  formatDate,
  parseDateOnly,
  shiftDate,
  weekdayOf,
  type OsloLocal,
} from './oslo-time';

type LocalDate = Pick<OsloLocal, 'year' | 'month' | 'day'>;

/** Holiday sets per year. Deterministic data, so a module-level cache is safe in a workflow. */
const holidaysByYear = new Map<number, ReadonlySet<string>>();
let calendar: Holidays | undefined;

/**
 * The public holidays of a year in Norway, as `YYYY-MM-DD` strings.
 *
 * @example
 * publicHolidays(2027).has('2027-03-29') // true: Andre påskedag
 */
export function publicHolidays(year: number): ReadonlySet<string> {
  let set = holidaysByYear.get(year);
  if (!set) {
    calendar ??= new Holidays('NO');
    // `date` is the local date-time text of the holiday's start, so its first ten characters
    // are the Oslo calendar date without any time-zone conversion.
    set = new Set(
      calendar
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    holidaysByYear.set(year, set);
  }
  return set;
}

/**
 * Whether an Oslo calendar date is a working day.
 *
 * @example
 * isWorkingDay('2027-03-26') // false: Langfredag
 * isWorkingDay('2027-03-30') // true
 */
export function isWorkingDay(date: string | LocalDate): boolean {
  const local = typeof date === 'string' ? parseDateOnly(date) : date;
  if (!local) throw new TypeError(`not a date: ${JSON.stringify(date)}`);
  const weekday = weekdayOf(local);
  if (weekday === 0 || weekday === 6) return false;
  return !publicHolidays(local.year).has(formatDate(local));
}

/**
 * The date `count` working days after `date` (before it when negative). The start date itself
 * is never counted, so one working day after a Friday is the next Monday.
 *
 * @example
 * addWorkingDays('2027-03-24', 1) // '2027-03-30': Easter Thursday to Easter Monday are off
 */
export function addWorkingDays(date: string, count: number): string {
  const local = parseDateOnly(date);
  if (!local) throw new TypeError(`not a date: ${JSON.stringify(date)}`);
  return formatDate(shiftWorkingDays(local, count));
}

/** Same as {@link addWorkingDays} on a parsed local date. */
export function shiftWorkingDays(date: LocalDate, count: number): LocalDate {
  if (date.year < 1000 || date.year > 9998) return shiftByDates(date, count);
  const step = count < 0 ? -1 : 1;
  let remaining = Math.abs(count);
  // Day numbers by integer arithmetic (as Date.UTC and new Date give, without their cost: a
  // working-day deadline is re-armed on every command).
  let day = civilDays(date.year, date.month, date.day);
  let year = date.year;
  let first = civilDays(year, 1, 1);
  let end = civilDays(year + 1, 1, 1);
  let holidays = holidayDays(year);
  while (remaining > 0) {
    day += step;
    if (day < first || day >= end) {
      year += step;
      first = civilDays(year, 1, 1);
      end = civilDays(year + 1, 1, 1);
      holidays = holidayDays(year);
    }
    // 1 January 1970, day 0, was a Thursday.
    const weekday = (((day + 4) % 7) + 7) % 7;
    if (weekday !== 0 && weekday !== 6 && !holidays.has(day)) remaining -= 1;
  }
  return civil(day);
}

const DAY = 86_400_000;

/**
 * A year's public holidays as day numbers (days since 1 January 1970 UTC): counting working
 * days walks day by day, and formatting each day as text to look it up was most of a working-day
 * deadline. Bounded: a case's dates span a few years.
 */
const holidayDays = boundedMemo(64, (year: number): ReadonlySet<number> => {
  const days = new Set<number>();
  for (const text of publicHolidays(year)) {
    const d = parseDateOnly(text);
    if (d) days.add(Date.UTC(d.year, d.month - 1, d.day) / DAY);
  }
  return days;
});

/** The same walk by calendar dates, for years whose text or `Date.UTC` is out of the ordinary. */
function shiftByDates(date: LocalDate, count: number): LocalDate {
  const step = count < 0 ? -1 : 1;
  let remaining = Math.abs(count);
  let current = date;
  while (remaining > 0) {
    current = shiftDate(current, step);
    if (isWorkingDay(current)) remaining -= 1;
  }
  return current;
}
