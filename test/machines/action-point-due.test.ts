/**
 * The case list marks an action point past its due time; the workflow publishes the earliest due
 * time of the open ones (machines/case-queries.ts `actionPointDueAt`).
 */
import { actionPointDueAt } from '../../machines';
import type { ActionPoint } from '../../machines/types';

const point = (id: string, due: string | undefined, status: ActionPoint['status'] = 'open') => ({
  id,
  title: 'Tiltak',
  responsible: 'foresatt',
  status,
  createdAt: '2026-11-01T08:00:00.000Z',
  ...(due !== undefined && { due }),
});

test('when open action points have due dates, then the earliest one counts, a date alone to the end of its day', () => {
  expect(
    actionPointDueAt({
      actionPoints: [
        point('ap-1', '2027-01-20'),
        point('ap-2', '2027-01-15'),
        point('ap-3', undefined),
      ],
    }),
  ).toBe('2027-01-15T23:59:59.999Z');
  expect(actionPointDueAt({ actionPoints: [point('ap-1', '2027-01-15T09:00:00+01:00')] })).toBe(
    '2027-01-15T08:00:00.000Z',
  );
});

test('when the action points are done, undated or unreadable, then there is no due time', () => {
  expect(
    actionPointDueAt({
      actionPoints: [
        point('ap-1', '2027-01-15', 'done'),
        point('ap-2', undefined),
        point('ap-3', 'snart'),
      ],
    }),
  ).toBeNull();
  expect(actionPointDueAt({ actionPoints: [] })).toBeNull();
});
