/**
 * What a process owner's guide says, in running cases:
 * - "Re-assess in 4 weeks after each assessment": an assessment that re-enters its step moves
 *   the durable timer, so the old due time passes quietly and the new one fires.
 * - "Only the stafettholder acts": a colleague with the same role is refused and the case is
 *   unchanged; each reader is offered only what they may send.
 * - A consent that lapses takes the case out of the step that needs it, at that moment.
 * - One closing step, three reasons: the reason chosen in the form and the level worked at stay.
 * - A deadline extended for one case: the old time passes quietly, the new one fires.
 * - Rules said once: a checklist score gates the way to the team and is recorded; a withdrawal
 *   said once for levels 1-3 ends the running case at the level it had.
 */
import type { KommuneConfig } from '../../config/types';
import { viewQuery } from '../../workflows';
import closingReasons from './fixtures/closing-reasons.json';
import consentLapse from './fixtures/consent-lapse.json';
import holderOnly from './fixtures/holder-only.json';
import reassessment from './fixtures/reassessment.json';
import sharedRules from './fixtures/shared-rules.json';
import { rejectionOf, timeSkippingCases } from './case-harness';

jest.setTimeout(120_000);

const t = timeSkippingCases();
const config = reassessment as KommuneConfig;
const koordinator = { id: 'koordinator-1', role: 'koordinator' };

test('when an assessment two weeks in starts the step over, then the case is not overdue at the first 4 weeks and is overdue, with one notice, 4 weeks after the assessment', async () => {
  await t.sleepUntil('2027-03-01T08:00:00.000Z');
  const { caseId, handle } = await t.h.open(config.id, {
    config,
    referralSource: 'skole',
    payload: {},
    actor: koordinator,
  });
  await t.sleepUntil('2027-03-15T08:00:00.000Z');
  const reassessed = await t.h.send(handle, 'registrerVurdering', koordinator);
  const due = reassessed.state.timers.find((x) => x.timerId === 'revurdering')?.dueAt;
  // 09:00 in Oslo four weeks after the assessment, in summer time.
  expect(due?.slice(0, 16)).toBe('2027-04-12T07:00');

  await t.sleepUntil('2027-03-30T08:00:00.000Z');
  expect((await t.h.view(handle)).state.overdue).toBe(false);
  await t.sleepUntil('2027-04-12T07:01:00.000Z');
  expect((await t.h.view(handle)).state.overdue).toBe(true);
  const notices = await t.h.notifications(config.id, caseId);
  expect(notices.filter((n) => n.template === 'revurderingForfalt')).toHaveLength(1);
  // Entering at intake and starting over each announce the step.
  expect(notices.filter((n) => n.template === 'vurderingStartet')).toHaveLength(2);
});

test("when a colleague with the holder's role sends a holder-only event to a running case, then it is refused, the case is unchanged, and the holder may send it", async () => {
  const stafett = holderOnly as KommuneConfig;
  const holder = { id: 'koordinator-1', role: 'koordinator' };
  const colleague = { id: 'koordinator-2', role: 'koordinator' };
  const { handle, view } = await t.h.open(stafett.id, {
    config: stafett,
    referralSource: 'skole',
    payload: {},
    actor: holder,
  });
  const refused = await rejectionOf(t.h.send(handle, 'registrerMote', colleague));
  expect(refused.code).toBe('ACTOR_NOT_ALLOWED');
  expect(refused.nb).toMatch(/kan i steget «.+» bare sendes av sakens stafettholder\.$/);
  expect((await t.h.view(handle)).state.revision).toBe(view.state.revision);

  const offered = async (actorId: string) =>
    (await handle.query(viewQuery, 'koordinator', undefined, actorId))?.allowedEvents.map(
      (e) => e.type,
    );
  expect(await offered(colleague.id)).toEqual(['byttKoordinator', 'avslutt']);
  expect(await offered(holder.id)).toContain('registrerMote');

  const met = await t.h.send(handle, 'registrerMote', holder);
  expect(met.state.revision).toBe(view.state.revision + 1);
});

test('when a six-month consent lapses while the case works at level 2, then the case is back at level 1 at that moment and the holder is told', async () => {
  const samtykkeby = consentLapse as KommuneConfig;
  const koordinator = { id: 'koordinator-1', role: 'koordinator' };
  await t.sleepUntil('2028-01-03T08:00:00.000Z');
  const { caseId, handle } = await t.h.open(samtykkeby.id, {
    config: samtykkeby,
    referralSource: 'skole',
    payload: {},
    actor: koordinator,
  });
  const level2 = await t.h.send(handle, 'giSamtykke', koordinator, { gittAv: 'parent' });
  expect(level2.state).toMatchObject({ step: 'tverrfaglig', level: 2 });
  const lapse = level2.state.timers.find((x) => x.kind === 'consentLapse')?.dueAt;
  // 09:00 in Oslo six months on, in summer time.
  expect(lapse?.slice(0, 16)).toBe('2028-07-03T07:00');

  await t.sleepUntil('2028-07-03T06:59:00.000Z');
  expect((await t.h.view(handle)).state.step).toBe('tverrfaglig');
  await t.sleepUntil('2028-07-03T07:01:00.000Z');
  expect((await t.h.view(handle)).state).toMatchObject({ step: 'kartlegging', level: 1 });
  const notices = await t.h.notifications(samtykkeby.id, caseId);
  expect(notices.filter((n) => n.template === 'samtykkeBortfalt')).toHaveLength(1);
});

test('when a case worked at level 2 is closed with the reason "Familien trakk seg", then the running case ends closed with that reason at level 2', async () => {
  const avslutningby = closingReasons as KommuneConfig;
  const koordinator = { id: 'koordinator-1', role: 'koordinator' };
  const { handle } = await t.h.open(avslutningby.id, {
    config: avslutningby,
    referralSource: 'skole',
    payload: {},
    actor: koordinator,
  });
  await t.h.send(handle, 'tilNiva2', koordinator);
  const closed = await t.h.send(handle, 'avslutt', koordinator, { arsak: 'Familien trakk seg' });
  expect(closed.state).toMatchObject({
    status: 'closed',
    outcomeReason: 'Familien trakk seg',
    level: 2,
  });
});

test('when the re-assessment is put off two weeks, then the running case is not overdue at four weeks and is at six', async () => {
  await t.sleepUntil('2029-03-05T08:00:00.000Z');
  const { handle } = await t.h.open(config.id, {
    config,
    referralSource: 'skole',
    payload: {},
    actor: koordinator,
  });
  const putOff = await t.h.send(handle, 'utsettRevurdering', koordinator);
  // 09:00 in Oslo six weeks on, in summer time.
  expect(putOff.state.timers.find((x) => x.timerId === 'revurdering')?.dueAt.slice(0, 16)).toBe(
    '2029-04-16T07:00',
  );
  await t.sleepUntil('2029-04-03T08:00:00.000Z');
  expect((await t.h.view(handle)).state.overdue).toBe(false);
  await t.sleepUntil('2029-04-16T07:01:00.000Z');
  expect((await t.h.view(handle)).state.overdue).toBe(true);
  const refused = await rejectionOf(t.h.send(handle, 'utsettRevurdering', koordinator));
  expect(refused.code).toBe('EVENT_NOT_ALLOWED');
  expect(refused.nb).toBe('Fristen «revurdering» løper ikke i denne saken.');
});

test('when the checklist score is 4 the running case may not go on to the team, at 6 it may, and the family withdrawing there ends it withdrawn at level 2', async () => {
  const fellesregler = sharedRules as KommuneConfig;
  const { handle } = await t.h.open(fellesregler.id, {
    config: fellesregler,
    referralSource: 'skole',
    payload: {},
    actor: koordinator,
  });
  expect((await t.h.view(handle)).allowedEvents.map((e) => e.type)).not.toContain('trekkSamtykke');
  await t.h.send(handle, 'startKartlegging', koordinator);
  const low = await t.h.send(handle, 'registrerSjekkliste', koordinator, {
    skolefravaer: 1,
    konflikt: 1,
    bekymring: 1,
  });
  expect(low.state.data.skaar).toBe(4);
  const refused = await rejectionOf(t.h.send(handle, 'vurder', koordinator));
  expect(refused.code).toBe('NO_GATE_MATCHED');
  expect(refused.nb).toMatch(/^Ingen av vilkårene for «.+» i steget «.+» er oppfylt\.$/);
  expect((await t.h.view(handle)).state.step).toBe('kartlegging');

  await t.h.send(handle, 'registrerSjekkliste', koordinator, {
    skolefravaer: 2,
    konflikt: 1,
    bekymring: 1,
  });
  const team = await t.h.send(handle, 'vurder', koordinator);
  expect(team.state).toMatchObject({ step: 'tverrfaglig', level: 2, data: { skaar: 6 } });
  const withdrawn = await t.h.send(handle, 'trekkSamtykke', koordinator);
  expect(withdrawn.state).toMatchObject({ status: 'withdrawn', step: 'trukket', level: 2 });
});
