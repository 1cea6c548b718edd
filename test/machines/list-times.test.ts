import { listedActivity, listedDue } from '../../machines';

describe('times published for lists, to the hour', () => {
  test('last activity is listed at the start of its hour, never later than it was', () => {
    expect(listedActivity('2026-12-04T09:41:07.123Z').toISOString()).toBe(
      '2026-12-04T09:00:00.000Z',
    );
    expect(listedActivity('2026-12-04T09:00:00.000Z').toISOString()).toBe(
      '2026-12-04T09:00:00.000Z',
    );
  });

  test('a due time is listed at the end of its hour, so no list calls a case past due early', () => {
    expect(listedDue('2026-12-04T09:41:07.123Z').toISOString()).toBe('2026-12-04T10:00:00.000Z');
    expect(listedDue('2026-12-04T09:00:00.000Z').toISOString()).toBe('2026-12-04T09:00:00.000Z');
    expect(listedDue('2026-12-31T23:59:59.999Z').toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  test('two commands in one hour publish the same times, one in the next hour a new one', () => {
    const a = listedActivity('2026-12-04T09:01:00Z').getTime();
    expect(listedActivity('2026-12-04T09:59:59Z').getTime()).toBe(a);
    expect(listedActivity('2026-12-04T10:00:01Z').getTime()).toBe(a + 3600_000);
  });
});
