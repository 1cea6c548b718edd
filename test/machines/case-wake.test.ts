/** When a case's workflow wakes, which timer fires, and when a closed case is archived: no Temporal needed. */
import { openCase, type CaseState } from '../../machines';
import {
  dueTimer,
  isFinished,
  nextCapacityCheck,
  nextWakeAt,
  reopenUntil,
} from '../../machines/case-wake';
import { accepted, compileSeed } from './support';

const k = compileSeed('lorenskog'); // reopen within P6M
const T0 = '2027-03-01T08:00:00.000Z';
const HOUR = 3600_000;

function opened(): CaseState {
  return accepted(
    openCase(k, {
      caseId: 'w-1',
      referralSource: 'innbygger',
      payload: { henvendelsesgjelder: 'familie' },
      actor: { id: 'v-1', role: 'veiviser' },
      now: T0,
    }),
  ).state;
}

function closed(closedAt: string): CaseState {
  return { ...opened(), status: 'closed', closedAt, timers: [] };
}

describe('when a case wakes', () => {
  it('when an open case has timers armed, then it wakes at the earliest one and that one is due then, not a moment before', () => {
    const s = opened();
    const first = [...s.timers].sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
    expect(first).toBeDefined();
    expect(nextWakeAt(k.config, s, null)).toBe(Date.parse(first.dueAt));
    expect(dueTimer(s, Date.parse(first.dueAt) - 1)).toBeUndefined();
    expect(dueTimer(s, Date.parse(first.dueAt))?.key).toBe(first.key);
  });

  it('when a handover waits for capacity and its next look comes before any timer, then the case wakes for that look', () => {
    const s = opened();
    expect(nextWakeAt(k.config, s, Date.parse(T0) + HOUR)).toBe(Date.parse(T0) + HOUR);
  });

  it('when a closed case has nothing armed, then it wakes when the short way back closes and is finished from then on', () => {
    const s = closed(T0);
    const until = reopenUntil(k.config, s)!;
    // Six months on the Oslo calendar: 09:00 in winter time is 09:00 in summer time.
    expect(new Date(until).toISOString()).toBe('2027-09-01T07:00:00.000Z');
    expect(nextWakeAt(k.config, s, null)).toBe(until);
    expect(isFinished(k.config, s, until - 1)).toBe(false);
    expect(isFinished(k.config, s, until)).toBe(true);
  });

  it('when the config has no short way back, then a closed case with nothing armed is finished at once, and an open one never', () => {
    const config = { ...k.config, reopen: undefined };
    expect(reopenUntil(config, closed(T0))).toBeNull();
    expect(isFinished(config, closed(T0), Date.parse(T0))).toBe(true);
    expect(isFinished(config, { ...opened(), timers: [] }, Date.parse(T0) + 1000 * HOUR)).toBe(
      false,
    );
  });

  it('when a closed case still has a timer armed (the yearly survey), then it is not finished', () => {
    const s = { ...closed(T0), timers: opened().timers };
    expect(isFinished(k.config, s, Date.parse('2030-01-01T00:00:00.000Z'))).toBe(false);
  });
});

describe('when a handover waits for capacity', () => {
  const waiting: CaseState = {
    ...opened(),
    capacityWait: { holderId: 'k-2', role: 'koordinator', since: T0 },
  };
  const now = Date.parse(T0);

  it('when the planned look has passed, then the next is one interval on; before that it stands', () => {
    expect(nextCapacityCheck(waiting, 0, now, 6 * HOUR)).toBe(now + 6 * HOUR);
    expect(nextCapacityCheck(waiting, now + HOUR, now, 6 * HOUR)).toBe(now + HOUR);
  });

  it('when nothing waits, then no look is planned', () => {
    expect(nextCapacityCheck(opened(), 0, now, 6 * HOUR)).toBe(0);
    expect(nextCapacityCheck(null, 0, now, 6 * HOUR)).toBe(0);
  });
});
