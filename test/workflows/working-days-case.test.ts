/**
 * Working-day deadlines in a running case skip Norwegian public holidays. The expected dates
 * are counted by hand from the calendar, not by the engine's own functions.
 */
import { timeSkippingCases } from './case-harness';

jest.setTimeout(120_000);

const t = timeSkippingCases();

const laerer = { id: 'laerer-1', role: 'tjenesteyter' };

async function openWorry() {
  return t.h.open('oygarden', {
    referralSource: 'barnehage',
    payload: { arena: 'barnehage', barnetsAlder: 4 },
    actor: laerer,
  });
}

test('when a 10-working-day decision deadline starts on 21 December 2026, then Christmas Day and New Year are skipped and it fires on 6 January', async () => {
  await t.sleepUntil('2026-12-21T08:00:00.000Z');
  const { caseId, handle, view } = await openWorry();
  // 22, 23, 24 Dec (Christmas Eve is a working day), 28, 29, 30, 31 Dec, 4, 5, 6 Jan.
  expect(view.state.timers.find((t) => t.timerId === 'beslutningsfrist')?.dueAt.slice(0, 16)).toBe(
    '2027-01-06T08:00',
  );
  await t.sleepUntil('2027-01-06T07:59:00.000Z');
  expect((await t.h.view(handle)).state.overdue).toBe(false);
  await t.sleepUntil('2027-01-06T08:01:00.000Z');
  expect((await t.h.view(handle)).state.overdue).toBe(true);
  expect(
    (await t.h.notifications('oygarden', caseId)).filter((n) => n.template === 'fristNiva0'),
  ).toHaveLength(1);
});

test('when a 10-working-day decision deadline starts on the Wednesday before Easter 2027, then the Easter holidays are skipped and it falls on 12 April', async () => {
  await t.sleepUntil('2027-03-24T08:00:00.000Z');
  const { view } = await openWorry();
  // Skjærtorsdag 25, Langfredag 26 and Andre påskedag 29 March are off: 30, 31 Mar, 1, 2, 5–9, 12 Apr.
  expect(view.state.timers.find((t) => t.timerId === 'beslutningsfrist')?.dueAt.slice(0, 16)).toBe(
    '2027-04-12T07:00',
  );
});
