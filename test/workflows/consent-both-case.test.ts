/**
 * A consent both a parent and the young person give, each signed in, in a running case: the
 * case may go to the step that needs it only once both have consented, each giver is recorded
 * from their role, and when the first of the two consents lapses the case leaves that step at
 * that moment, though the other's still runs.
 */
import type { KommuneConfig } from '../../config/types';
import consentBoth from './fixtures/consent-both.json';
import { rejectionOf, timeSkippingCases } from './case-harness';

jest.setTimeout(120_000);

const t = timeSkippingCases();
const config = consentBoth as KommuneConfig;
const koordinator = { id: 'koordinator-1', role: 'koordinator' };
const foresatt = { id: 'foresatt-1', role: 'foresatt' };
const ungdom = { id: 'ungdom-1', role: 'ungdom' };

test("when a parent and a 16-year-old each consent signed in, a month apart, then the case works at level 2 until the parent's six months run out, and is back at level 1 then", async () => {
  await t.sleepUntil('2030-01-07T08:00:00.000Z');
  const { caseId, handle } = await t.h.open(config.id, {
    config,
    referralSource: 'skole',
    payload: { alder: 16 },
    actor: koordinator,
  });
  for (const member of [foresatt, ungdom])
    await t.h.send(handle, 'leggTilFamilie', koordinator, { medlem: member });

  const parentOnly = await t.h.send(handle, 'giSamtykke', foresatt);
  expect(parentOnly.state.consents.deling).toMatchObject({
    givenBy: 'parent',
    via: 'family',
    awaiting: ['youth'],
  });
  const refused = await rejectionOf(t.h.send(handle, 'tilTverrfaglig', koordinator));
  expect(refused.code).toBe('CONSENT_MISSING');
  expect(refused.nb).toMatch(/ krever samtykke som saken ikke har: .+\.$/);

  await t.sleepUntil('2030-02-07T08:00:00.000Z');
  await t.h.send(handle, 'giSamtykke', ungdom);
  const level2 = await t.h.send(handle, 'tilTverrfaglig', koordinator);
  expect(level2.state).toMatchObject({ step: 'tverrfaglig', level: 2 });
  expect(level2.state.consents.deling!.givers).toMatchObject({
    parent: { via: 'family' },
    youth: { via: 'family' },
  });
  // 09:00 in Oslo six months after the parent's consent, in summer time.
  const lapse = level2.state.timers.find((x) => x.kind === 'consentLapse')?.dueAt;
  expect(lapse?.slice(0, 16)).toBe('2030-07-07T07:00');

  await t.sleepUntil('2030-07-07T06:59:00.000Z');
  expect((await t.h.view(handle)).state.step).toBe('tverrfaglig');
  await t.sleepUntil('2030-07-07T07:01:00.000Z');
  expect((await t.h.view(handle)).state).toMatchObject({ step: 'kartlegging', level: 1 });
  const notices = await t.h.notifications(config.id, caseId);
  expect(notices.filter((n) => n.template === 'samtykkeBortfalt')).toHaveLength(1);
});
