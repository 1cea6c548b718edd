/**
 * A transition to the step the case is in: with "reenter": true the step starts over (its timers
 * restart, its entry effects run); without it the step stays as it is. A target naming its own
 * step without saying which is a config error, not a silent choice.
 */
import type { KommuneConfig } from '../../config/types';
import { validateConfig } from '../../config';
import { applyEvent, compileKommune, openCase, type Actor } from '../../machines';
import reassessment from '../workflows/fixtures/reassessment.json';
import { accepted, dueAt } from './support';

const config = reassessment as KommuneConfig;
const koordinator: Actor = { id: 'koordinator-1', role: 'koordinator' };
const T0 = '2027-03-01T08:00:00.000Z';
const T1 = '2027-03-15T08:00:00.000Z';
// Both due times are 09:00 in Oslo, in summer time (from 28 March): 07:00 UTC.
const FOUR_WEEKS_AFTER_T0 = '2027-03-29T07:00:00.000Z';
const FOUR_WEEKS_AFTER_T1 = '2027-04-12T07:00:00.000Z';

/** A case just opened on `kommune` (the fixture unless given a variant of it). */
function opened(kommune: KommuneConfig = config) {
  const k = compileKommune(kommune, 1);
  const open = accepted(
    openCase(k, { caseId: 'c-1', referralSource: 'skole', actor: koordinator, now: T0 }),
  );
  return { k, state: open.state };
}

test('when an assessment re-enters its step, then the 4-week re-assessment restarts from now and the entry notice is sent again', () => {
  const { k, state } = opened();
  expect(dueAt(state, 'revurdering')).toBe(FOUR_WEEKS_AFTER_T0);
  const r = accepted(applyEvent(k, state, { type: 'registrerVurdering', actor: koordinator }, T1));
  expect(r.state.step).toBe('vurdering');
  expect(r.state.stepEnteredAt).toBe(T1);
  expect(dueAt(r.state, 'revurdering')).toBe(FOUR_WEEKS_AFTER_T1);
  expect(r.state.path).toEqual(['vurdering', 'vurdering']);
  expect(r.effects).toEqual([
    expect.objectContaining({ type: 'notify', template: 'vurderingStartet' }),
  ]);
  expect(r.transition).toEqual({ from: 'vurdering', to: 'vurdering', event: 'registrerVurdering' });
});

test('when a note stays in the step, then the re-assessment keeps its due time and no entry notice is sent', () => {
  const { k, state } = opened();
  const r = accepted(applyEvent(k, state, { type: 'skrivNotat', actor: koordinator }, T1));
  expect(r.state.stepEnteredAt).toBe(T0);
  expect(r.state.timers).toEqual(state.timers);
  expect(r.state.path).toEqual(['vurdering']);
  expect(r.effects).toEqual([]);
});

test('when an overdue case re-enters its step, then it is no longer overdue', () => {
  const { k, state } = opened();
  const overdue = { ...state, overdue: true };
  const r = accepted(
    applyEvent(k, overdue, { type: 'registrerVurdering', actor: koordinator }, T1),
  );
  expect(r.state.overdue).toBe(false);
});

function withGate(gate: object): unknown {
  const copy = structuredClone(reassessment) as { steps: { vurdering: { on: object } } };
  copy.steps.vurdering.on = { ...copy.steps.vurdering.on, registrerVurdering: gate };
  return copy;
}

test('when a transition names its own step as target without saying "reenter", then the config is refused at that target with both ways to say it', () => {
  const result = validateConfig(withGate({ target: 'vurdering' }));
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.errors).toEqual([
    {
      path: '/steps/vurdering/on/registrerVurdering/target',
      message: expect.stringContaining('own step "vurdering"'),
      hint: expect.stringMatching(/"reenter": true.*remove "target"/),
      code: 'SAME_STEP_TARGET_UNCLEAR',
      nb: expect.stringContaining('Overgangen går til sitt eget steg «vurdering»'),
    },
  ]);
});

test('when "reenter" is on a transition to another step, then the config is refused at "reenter"', () => {
  const result = validateConfig(withGate({ target: 'avsluttet', reenter: true }));
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.errors).toEqual([
    expect.objectContaining({
      path: '/steps/vurdering/on/registrerVurdering/reenter',
      message: expect.stringContaining('goes to "avsluttet"'),
    }),
  ]);
});

test('when a transition to its own step says "reenter": false, then the case stays in the step as it is', () => {
  const checked = validateConfig(withGate({ target: 'vurdering', reenter: false }));
  expect(checked.ok).toBe(true);
  if (!checked.ok) return;
  const { k, state } = opened(checked.config);
  const r = accepted(applyEvent(k, state, { type: 'registrerVurdering', actor: koordinator }, T1));
  expect(r.state.stepEnteredAt).toBe(T0);
  expect(r.state.timers).toEqual(state.timers);
  expect(r.effects).toEqual([]);
});

test('when "reenter": true has no target, then it starts its own step over', () => {
  const checked = validateConfig(withGate({ reenter: true }));
  expect(checked.ok).toBe(true);
  if (!checked.ok) return;
  const { k, state } = opened(checked.config);
  const r = accepted(applyEvent(k, state, { type: 'registrerVurdering', actor: koordinator }, T1));
  expect(r.state.stepEnteredAt).toBe(T1);
  expect(dueAt(r.state, 'revurdering')).toBe(FOUR_WEEKS_AFTER_T1);
});
