/**
 * What a delivery's outcome keeps in the case's history (role and pseudonymous id, never an
 * address or a channel's error text), and the holder's tasks: one per message and recipient,
 * bounded, completed once.
 */
import { openCase } from '../../machines';
import {
  deliveryOutcomes,
  MAX_OPEN_TASKS,
  withoutTask,
  withUnreachableTask,
} from '../../machines/case-tasks';
import { accepted, compileSeed } from './support';

const k = compileSeed('oygarden');
const now = '2026-11-02T08:00:00.000Z';
const opened = accepted(
  openCase(k, {
    caseId: 'c1',
    referralSource: 'skole',
    payload: { arena: 'skole', barnetsAlder: 14 },
    actor: { id: 'laerer-1', role: 'tjenesteyter' },
    now,
  }),
).state;
const about = { template: 'invitasjonAvklaringssamtale', notification: 'notify', to: 'foresatt' };

test('when the channel answers nothing (the outbox), then the message counts as sent to its recipient', () => {
  expect(deliveryOutcomes(undefined, 'holder')).toEqual([{ role: 'holder', status: 'sent' }]);
});

test('when the channels answer per recipient, then role, pseudonymous id, channel, status and an error code are kept, and no address or free text', () => {
  const outcomes = deliveryOutcomes(
    [
      { recipient: { role: 'foresatt', id: 'fam-abc123' }, channel: 'sms', status: 'sent' },
      {
        recipient: { role: 'foresatt', id: 'kari@example.no', email: 'kari@example.no' },
        channel: 'email',
        status: 'failed',
        error: '550 kari@example.no: no such user',
      },
      {
        recipient: { role: 'foresatt', id: '+4791234567' },
        channel: 'sms',
        status: 'failed',
        error: 'ETIMEDOUT',
      },
      { recipient: 'Kari Nordmann', status: 'bounced' },
    ],
    'foresatt',
  );
  expect(outcomes).toEqual([
    { role: 'foresatt', id: 'fam-abc123', channel: 'sms', status: 'sent' },
    { role: 'foresatt', channel: 'email', status: 'failed' },
    { role: 'foresatt', channel: 'sms', status: 'failed', error: 'ETIMEDOUT' },
    { role: 'foresatt', status: 'failed' },
  ]);
  expect(JSON.stringify(outcomes)).not.toMatch(/kari|Nordmann|9123/i);
});

test('when a message to the family fails, then the holder gets one task at the next revision, and not a second for the same message', () => {
  const first = withUnreachableTask(k.config, opened, about, now)!;
  expect(first.task).toEqual({
    id: `task-${opened.revision + 1}`,
    kind: 'unreachable',
    title: 'Familien kunne ikke nås',
    about,
    at: now,
  });
  expect(first.state.revision).toBe(opened.revision + 1);
  expect(withUnreachableTask(k.config, first.state, about, now)).toBeNull();
  const toLeader = withUnreachableTask(k.config, first.state, { ...about, to: 'leder' }, now)!;
  expect(toLeader.task.title).toBe('Leder kunne ikke nås');
});

test('when a case has as many open tasks as it may keep, then no more are added', () => {
  let s = opened;
  for (let i = 0; i < MAX_OPEN_TASKS + 5; i++)
    s = withUnreachableTask(k.config, s, { ...about, template: `t${i}` }, now)?.state ?? s;
  expect(s.tasks).toHaveLength(MAX_OPEN_TASKS);
});

test('when a task is completed, then it leaves the case once', () => {
  const { state, task } = withUnreachableTask(k.config, opened, about, now)!;
  const done = withoutTask(state, task.id)!;
  expect(done.state.tasks).toEqual([]);
  expect(done.state.revision).toBe(state.revision + 1);
  expect(withoutTask(done.state, task.id)).toBeNull();
});
