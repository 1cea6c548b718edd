/**
 * Several resource teams, each meeting on its own days, in running cases: a case's meeting
 * notice comes on its team's meeting day, and a case moved to another team is called on the new
 * team's day (the old day passes quietly), with the invitation a week before.
 */
import type { KommuneConfig } from '../../config/types';
import resourceTeams from './fixtures/resource-teams.json';
import { rejectionOf, timeSkippingCases } from './case-harness';

jest.setTimeout(120_000);

const t = timeSkippingCases();
const config = resourceTeams as KommuneConfig;
const koordinator = { id: 'koordinator-1', role: 'koordinator' };

test('when one case stays with resource team nord and another moves to sør, then each is called on its own team’s meeting day', async () => {
  // Monday 1 March 2027. Nord meets Thursday 4 March, sør Tuesday 9 March (Oslo midnight).
  await t.sleepUntil('2027-03-01T08:00:00.000Z');
  const open = () =>
    t.h.open(config.id, { config, referralSource: 'skole', payload: {}, actor: koordinator });
  const nord = await open();
  const moved = await open();
  const toNord = { ressursteam: 'ressursteam-nord' };
  await t.h.send(nord.handle, 'sendTilRessursteam', koordinator, toNord);
  await t.h.send(moved.handle, 'sendTilRessursteam', koordinator, toNord);
  const toSor = await t.h.send(moved.handle, 'byttRessursteam', koordinator, {
    ressursteam: 'ressursteam-sor',
  });
  expect(toSor.state.assignedTeams).toEqual({ ressursteam: 'ressursteam-sor' });
  // A team that is not a resource team is refused, in bokmål too, and the case stays on sør.
  const refused = await rejectionOf(
    t.h.send(moved.handle, 'byttRessursteam', koordinator, { ressursteam: 'barnevern' }),
  );
  expect(refused.code).toBe('PAYLOAD_INVALID');
  expect(refused.details.map((d) => [d.path, d.nb])).toEqual([
    ['/ressursteam', expect.stringMatching(/^Må være en av: .+\.$/)],
  ]);
  expect((await t.h.view(moved.handle)).state.assignedTeams).toEqual({
    ressursteam: 'ressursteam-sor',
  });

  const meetings = async (caseId: string) =>
    (await t.h.notifications(config.id, caseId)).filter((n) => n.template === 'ressursteammote');
  const invitations = async (caseId: string) =>
    (await t.h.notifications(config.id, caseId)).filter((n) => n.template === 'innkalling');

  await t.sleepUntil('2027-03-04T08:00:00.000Z');
  expect(await meetings(nord.caseId)).toHaveLength(1);
  expect(await meetings(moved.caseId)).toHaveLength(0);
  // A week before sør's 9 March meeting, the moved case's family was invited.
  expect(await invitations(moved.caseId)).toHaveLength(1);

  await t.sleepUntil('2027-03-09T08:00:00.000Z');
  expect(await meetings(moved.caseId)).toHaveLength(1);
  expect(await meetings(nord.caseId)).toHaveLength(1);
  const next = (await t.h.view(moved.handle)).state.timers.find((x) => x.timerId === 'mote');
  // Sør's next meeting: Tuesday 23 March.
  expect(next?.dueAt).toBe('2027-03-22T23:00:00.000Z');
});
