import fc from 'fast-check';
import { civil, civilDays, computeSummerTime } from '../../machines/oslo-time';
import { addDurationByDates, addDurationMs, type DurationParts } from '../../machines/durations';
import { addDuration, addWorkingDays, isWorkingDay, parseDuration } from '../../machines';
import { shiftWorkingDays } from '../../machines/working-days';

const ymd = (d: { year: number; month: number; day: number }): [number, number, number] => [
  d.year,
  d.month,
  d.day,
];

describe('Norwegian working days', () => {
  it('when Easter 2027 falls on 25–29 March, then Maundy Thursday to Easter Monday are not working days', () => {
    for (const day of ['2027-03-25', '2027-03-26', '2027-03-27', '2027-03-28', '2027-03-29']) {
      expect(isWorkingDay(day)).toBe(false);
    }
    expect(isWorkingDay('2027-03-24')).toBe(true);
    expect(isWorkingDay('2027-03-30')).toBe(true);
  });

  it('when a deadline of one working day starts the day before Easter, then it ends on the Tuesday after', () => {
    expect(addWorkingDays('2027-03-24', 1)).toBe('2027-03-30');
    expect(addDuration('2027-03-24T08:00:00.000Z', 'P1D', 'working')).toBe(
      '2027-03-30T07:00:00.000Z',
    );
  });

  it('when ten working days run across Easter, then the five Easter days off are skipped', () => {
    // 22–24 March (3), 30 March–2 April (4), 5–7 April (3).
    expect(addWorkingDays('2027-03-19', 10)).toBe('2027-04-07');
  });

  it('when a deadline runs over Christmas, then the 25th, 26th and New Year are skipped but Christmas Eve counts', () => {
    expect(isWorkingDay('2027-12-24')).toBe(true);
    expect(isWorkingDay('2027-12-27')).toBe(true);
    expect(isWorkingDay('2028-01-01')).toBe(false);
    // 2027: 24 Dec is a Friday, 25–26 Dec are the weekend and holidays; 31 Dec Friday; 1 Jan Saturday.
    expect(addWorkingDays('2027-12-23', 5)).toBe('2027-12-30');
    expect(addWorkingDays('2027-12-30', 2)).toBe('2028-01-03');
  });

  it('when Christmas Day falls on a weekday, then it is skipped', () => {
    // 2028: 25 Dec is a Monday, 26 Dec a Tuesday.
    expect(addWorkingDays('2028-12-22', 1)).toBe('2028-12-27');
  });

  it('when counting back in working days, then holidays are skipped too', () => {
    expect(addWorkingDays('2027-03-30', -1)).toBe('2027-03-24');
    expect(addDuration('2027-03-30T07:00:00.000Z', 'P1D', 'working', -1)).toBe(
      '2027-03-24T08:00:00.000Z',
    );
  });
});

describe('durations', () => {
  it('when a duration is in the supported subset, then it is parsed into parts', () => {
    expect(parseDuration('P1Y6M')).toEqual({
      years: 1,
      months: 6,
      weeks: 0,
      days: 0,
      hours: 0,
      minutes: 0,
    });
    expect(parseDuration('PT4H30M')).toMatchObject({ hours: 4, minutes: 30 });
    expect(parseDuration('P')).toBeNull();
    expect(parseDuration('P1.5D')).toBeNull();
  });

  it('when a month is added to the 31st, then the date is clamped to the end of the next month', () => {
    expect(addDuration('2027-01-31T08:00:00.000Z', 'P1M')).toBe('2027-02-28T08:00:00.000Z');
  });

  it('when days are added across the change to summer time, then the Oslo wall-clock time is kept', () => {
    // 09:00 Oslo on 27 March (CET) → 09:00 Oslo on 29 March (CEST).
    expect(addDuration('2027-03-27T08:00:00.000Z', 'P2D')).toBe('2027-03-29T07:00:00.000Z');
  });

  it('when hours are added across the change to summer time, then they are elapsed hours', () => {
    expect(addDuration('2027-03-28T00:30:00.000Z', 'PT1H')).toBe('2027-03-28T01:30:00.000Z');
  });
});

describe('day numbers', () => {
  it('when any date from year 1000 to 9998 is turned into its day number and back, then it is the day JavaScript’s calendar gives, and the same date', () => {
    // Working-day deadlines count by these instead of Date.UTC, for speed: they must agree.
    const DAY = 86_400_000;
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1000, 0, 1) / DAY, max: Date.UTC(9998, 11, 31) / DAY }),
        (n) => {
          const d = new Date(n * DAY);
          const date = {
            year: d.getUTCFullYear(),
            month: d.getUTCMonth() + 1,
            day: d.getUTCDate(),
          };
          expect(civilDays(date.year, date.month, date.day)).toBe(n);
          expect(civil(n)).toEqual(date);
        },
      ),
      { numRuns: 20_000 },
    );
  });
});

describe('adding durations by day numbers', () => {
  // Timers are re-armed on every command, so durations are added on day numbers; the way by
  // calendar dates is the reference, and the two must agree wherever the fast way answers.
  const HOUR = 3_600_000;
  const parts = fc.record({
    years: fc.integer({ min: 0, max: 3 }),
    months: fc.integer({ min: 0, max: 30 }),
    weeks: fc.integer({ min: 0, max: 12 }),
    days: fc.integer({ min: 0, max: 60 }),
    hours: fc.integer({ min: 0, max: 50 }),
    minutes: fc.integer({ min: 0, max: 90 }),
  });
  const sign = fc.constantFrom<1 | -1>(1, -1);
  /** Instants within a few hours of a change of summer time, at minute steps. */
  const nearChange = fc
    .tuple(
      fc.integer({ min: 1990, max: 2090 }),
      fc.boolean(),
      fc.integer({ min: -6 * 60, max: 6 * 60 }),
    )
    .map(([year, spring, minutes]) => computeSummerTime(year)[spring ? 0 : 1] + minutes * 60_000);
  /** Instants within a few days of a new year (holidays and year spans change there). */
  const nearNewYear = fc
    .tuple(fc.integer({ min: 1990, max: 2090 }), fc.integer({ min: -96, max: 96 }))
    .map(([year, hours]) => Date.UTC(year, 0, 1) + hours * HOUR);
  const recent = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) });

  // A plain comparison: fast-check reports the counterexample, and an `expect` per run is slow.
  const agree = (start: number, d: DurationParts, days: 'calendar' | 'working', s: 1 | -1) =>
    addDurationMs(start, d, days, s) === addDurationByDates(start, d, days, s);

  it('when a calendar or working-day duration is added near a change of summer time or a new year, then the day-number way gives the same instant as the calendar-date way', () => {
    fc.assert(
      fc.property(
        fc.oneof(nearChange, nearNewYear, recent),
        parts,
        fc.constantFrom<'calendar' | 'working'>('calendar', 'working'),
        sign,
        (start, d, days, s) => agree(start, d, days, s),
      ),
      { numRuns: 10_000 },
    );
  });

  it('when working days are counted from random days in random order, then each count is the day a walk over the calendar gives', () => {
    // The count keeps the year it ended in for the next one: any order must give the same.
    const walk = (from: number, count: number): number => {
      let day = from;
      for (let left = Math.abs(count); left > 0;) {
        day += Math.sign(count);
        const d = civil(day);
        if (isWorkingDay(d)) left -= 1;
      }
      return day;
    };
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: civilDays(1995, 1, 1), max: civilDays(2085, 12, 31) }),
            fc.integer({ min: -40, max: 40 }),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        (counts) => {
          for (const [from, count] of counts) {
            const d = civil(from);
            expect(civilDays(...ymd(shiftWorkingDays(d, count)))).toBe(walk(from, count));
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('when a calendar duration is added to any instant from year 1000 to 9998, or just outside, then both ways give the same instant', () => {
    const DAY = 86_400_000;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9998, 11, 31) }),
          fc.integer({ min: Date.UTC(998, 0, 1), max: Date.UTC(1001, 0, 1) }),
          fc.integer({ min: Date.UTC(9997, 0, 1), max: Date.UTC(9999, 11, 31) }),
        ),
        parts,
        sign,
        fc.integer({ min: 0, max: 999 }),
        (start, d, s, milli) => agree(Math.floor(start / DAY) * DAY + milli, d, 'calendar', s),
      ),
      { numRuns: 20_000 },
    );
  });
});
