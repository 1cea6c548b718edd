/**
 * "Re-assess in 4 weeks after each assessment", in a running case: an assessment that re-enters
 * its step moves the durable timer, so the old due time passes quietly and the new one fires.
 */
import type { KommuneConfig } from '../../config/types';
import reassessment from './fixtures/reassessment.json';
import { timeSkippingCases } from './case-harness';

jest.setTimeout(120_000);

const t = timeSkippingCases();
const config = reassessment as KommuneConfig;
const koordinator = { id: 'koordinator-1', role: 'koordinator' };

async function sleepUntil(iso: string): Promise<void> {
  await t.env.sleep(Math.max(0, Date.parse(iso) - (await t.env.currentTimeMs())));
}

test('when an assessment two weeks in starts the step over, then the case is not overdue at the first 4 weeks and is overdue, with one notice, 4 weeks after the assessment', async () => {
  await sleepUntil('2027-03-01T08:00:00.000Z');
  const { caseId, handle } = await t.h.open(config.id, {
    config,
    referralSource: 'skole',
    payload: {},
    actor: koordinator,
  });
  await sleepUntil('2027-03-15T08:00:00.000Z');
  const reassessed = await t.h.send(handle, 'registrerVurdering', koordinator);
  const due = reassessed.state.timers.find((x) => x.timerId === 'revurdering')?.dueAt;
  // 09:00 in Oslo four weeks after the assessment, in summer time.
  expect(due?.slice(0, 16)).toBe('2027-04-12T07:00');

  await sleepUntil('2027-03-30T08:00:00.000Z');
  expect((await t.h.view(handle)).state.overdue).toBe(false);
  await sleepUntil('2027-04-12T07:01:00.000Z');
  expect((await t.h.view(handle)).state.overdue).toBe(true);
  const notices = await t.h.notifications(config.id, caseId);
  expect(notices.filter((n) => n.template === 'revurderingForfalt')).toHaveLength(1);
  // Entering at intake and starting over each announce the step.
  expect(notices.filter((n) => n.template === 'vurderingStartet')).toHaveLength(2);
});
