/**
 * Norwegian working days: Monday–Friday that are not public holidays (`type: 'public'` in
 * date-holidays; bank holidays such as Christmas Eve and observances do not count). Dates are
 * Oslo calendar dates, `YYYY-MM-DD`.
 *
 * @module
 */
import Holidays from 'date-holidays';
import { formatDate, parseDateOnly, shiftDate, weekdayOf, type OsloLocal } from './oslo-time';

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
  const step = count < 0 ? -1 : 1;
  let remaining = Math.abs(count);
  let current = date;
  while (remaining > 0) {
    current = shiftDate(current, step);
    if (isWorkingDay(current)) remaining -= 1;
  }
  return current;
}
