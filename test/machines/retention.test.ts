/**
 * The days closed cases are deleted on (`retention`, #19): Oslo calendar days from the day the
 * case closed, whatever the hour; the store's coarse bound never misses a case that is due.
 */
import fc from 'fast-check';
import {
  closedBeforeBound,
  deletionDay,
  keptSince,
  nextSweepAt,
  retentionOver,
  retentionRules,
} from '../../machines';

const ms = (iso: string) => Date.parse(iso);

describe('the day a closed case is deleted', () => {
  test('counts from the Oslo day it closed: 23:30 in Oslo is still that day, 00:30 the next', () => {
    // 3 March 2027, 22:30 UTC = 23:30 in Oslo (winter time).
    expect(deletionDay(ms('2027-03-03T22:30:00Z'), 'P1Y')).toBe('2028-03-03');
    expect(deletionDay(ms('2027-03-03T23:30:00Z'), 'P1Y')).toBe('2028-03-04');
  });

  test('a month from 31 January ends on the last day of February', () => {
    expect(deletionDay(ms('2027-01-31T10:00:00Z'), 'P1M')).toBe('2027-02-28');
    expect(deletionDay(ms('2027-06-15T10:00:00Z'), 'P30D')).toBe('2027-07-15');
  });

  test('a case is kept through the day before, and due from the first moment of its day in Oslo', () => {
    const closed = ms('2027-06-15T10:00:00Z');
    expect(retentionOver(closed, 'P30D', ms('2027-07-14T21:59:59Z'))).toBe(false); // 23:59:59 on 14 July
    expect(retentionOver(closed, 'P30D', ms('2027-07-14T22:00:00Z'))).toBe(true); // 00:00 on 15 July
  });

  test("the store's bound takes in every case that is due (any close, any length, any day)", () => {
    const day = 86_400_000;
    fc.assert(
      fc.property(
        fc.integer({ min: ms('2020-01-01T00:00:00Z'), max: ms('2040-01-01T00:00:00Z') }),
        fc.integer({ min: 0, max: 4000 }),
        fc.constantFrom('P1D', 'P30D', 'P1M', 'P6M', 'P1Y', 'P2Y6M', 'P5Y', 'P10Y', 'P3W'),
        (closed, daysLater, keep) => {
          const now = closed + daysLater * day + 3_600_000;
          if (retentionOver(closed, keep, now))
            expect(closed).toBeLessThan(closedBeforeBound(now, keep));
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('the access log keeps reads from the start of the Oslo day the period began', () => {
    // 15 July 2027 at noon, keep P1Y: reads from 15 July 2026 00:00 Oslo (22:00 UTC the day before) stay.
    expect(new Date(keptSince(ms('2027-07-15T10:00:00Z'), 'P1Y')).toISOString()).toBe(
      '2026-07-14T22:00:00.000Z',
    );
  });
});

describe('the daily sweep', () => {
  test('runs at 02:00 Oslo time: later the same night, or the next night once past', () => {
    expect(new Date(nextSweepAt(ms('2027-01-10T00:59:00Z'))).toISOString()).toBe(
      '2027-01-10T01:00:00.000Z',
    );
    expect(new Date(nextSweepAt(ms('2027-01-10T01:00:00Z'))).toISOString()).toBe(
      '2027-01-11T01:00:00.000Z',
    );
    // Summer time: 02:00 Oslo is 00:00 UTC.
    expect(new Date(nextSweepAt(ms('2027-07-10T12:00:00Z'))).toISOString()).toBe(
      '2027-07-11T00:00:00.000Z',
    );
  });

  test('still runs once on the night summer time begins, when 02:00 does not exist', () => {
    // 28 March 2027: clocks go from 02:00 to 03:00.
    const at = nextSweepAt(ms('2027-03-27T12:00:00Z'));
    expect(new Date(at).toISOString()).toBe('2027-03-28T01:00:00.000Z'); // 03:00 summer time
    expect(nextSweepAt(at)).toBeGreaterThan(at + 20 * 3_600_000);
  });
});

test('each exit step named in byFinalStep has its own rule, and closedCases covers the rest', () => {
  expect(
    retentionRules({ closedCases: 'P5Y', byFinalStep: { ingen: 'P1Y', niva3: 'P10Y' } }),
  ).toEqual([
    { step: 'ingen', keep: 'P1Y' },
    { step: 'niva3', keep: 'P10Y' },
    { exceptSteps: ['ingen', 'niva3'], keep: 'P5Y' },
  ]);
  expect(retentionRules({ closedCases: 'P5Y' })).toEqual([{ exceptSteps: [], keep: 'P5Y' }]);
});
