/**
 * A running case re-assessed more times than its path keeps: the path stays within its cap in
 * the case's state, and still names every step it entered. (The 10,000-move loop and the readers are checked on the pure machine, in
 * test/machines/case-path.test.ts.)
 */
import type { KommuneConfig } from '../../config/types';
import { PATH_MAX_ENTRIES, visitedSteps } from '../../machines/case-path';
import reassessment from './fixtures/reassessment.json';
import { timeSkippingCases } from './case-harness';

jest.setTimeout(180_000);

const t = timeSkippingCases();
const config = reassessment as KommuneConfig;
const koordinator = { id: 'koordinator-1', role: 'koordinator' };
const REASSESSMENTS = PATH_MAX_ENTRIES + 50;

test('when a running case re-enters its step 150 times, then its path keeps the first and latest steps, counts the dropped ones and the case runs on', async () => {
  const { handle, view } = await t.h.open(config.id, {
    config,
    referralSource: 'skole',
    payload: {},
    actor: koordinator,
  });
  for (let i = 0; i < REASSESSMENTS; i++) await t.h.send(handle, 'registrerVurdering', koordinator);
  const { state } = await t.h.view(handle);
  expect(state.revision).toBe(view.state.revision + REASSESSMENTS);
  expect(state.path).toEqual(Array(PATH_MAX_ENTRIES).fill('vurdering'));
  expect(state.pathDropped).toEqual({
    count: REASSESSMENTS + 1 - PATH_MAX_ENTRIES,
    moves: [['vurdering', 'vurdering']],
  });
  expect(visitedSteps(state)).toEqual(['vurdering']);

  const closed = await t.h.send(handle, 'avslutt', koordinator);
  expect(closed.state.status).toBe('closed');
  expect(closed.state.path.at(-1)).toBe('avsluttet');
  expect(closed.state.path).toHaveLength(PATH_MAX_ENTRIES);
  expect(visitedSteps(closed.state)).toEqual(['vurdering', 'avsluttet']);
});
