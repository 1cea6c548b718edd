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
  return civil(shiftWorkingDayNumber(civilDays(date.year, date.month, date.day), count));
}

/**
 * {@link shiftWorkingDays} on a day number (days since 1 January 1970) of years 1000–9998.
 * Day numbers by integer arithmetic (as Date.UTC and new Date give, without their cost: a
 * working-day deadline is re-armed on every command).
 */
export function shiftWorkingDayNumber(start: number, count: number): number {
  const step = count < 0 ? -1 : 1;
  let remaining = Math.abs(count);
  let day = start;
  let year = lastYear;
  if (!(day >= year.first && day < year.end)) year = yearOfDay(civil(day).year);
  while (remaining > 0) {
    day += step;
    if (!(day >= year.first && day < year.end)) year = yearOfDay(year.year + step);
    // 1 January 1970, day 0, was a Thursday.
    const weekday = (((day + 4) % 7) + 7) % 7;
    if (weekday !== 0 && weekday !== 6 && !year.holidays.has(day)) remaining -= 1;
  }
  lastYear = year;
  return day;
}

/** A year as day numbers `[first, end)` and its public holidays. */
interface YearOfDays {
  year: number;
  first: number;
  end: number;
  holidays: ReadonlySet<number>;
}

function yearOfDay(year: number): YearOfDays {
  return {
    year,
    first: civilDays(year, 1, 1),
    end: civilDays(year + 1, 1, 1),
    holidays: holidayDays(year),
  };
}

/**
 * The year the last count ended in: deadlines of one command nearly all fall in one year. A
 * fact about the year alone, so replay counts the same whatever it held before.
 */
let lastYear: YearOfDays = { year: 0, first: 0, end: 0, holidays: new Set() };

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
