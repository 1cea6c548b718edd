/**
 * Extending a deadline for one case: only a deadline or maximum duration of the step the
 * extending transition stays in, and only in a transition; otherwise refused at its path.
 */
import reassessment from '../workflows/fixtures/reassessment.json';
import { refusalsAfterEdit } from './helpers/refusals';

type Editable = {
  steps: { vurdering: { on: Record<string, object>; onEnter?: object[] } };
};

const errorsOf = (edit: (c: Editable) => void) => refusalsAfterEdit(reassessment, edit);

const extend = (timer = 'revurdering') => ({
  type: 'extendTimer',
  timer,
  by: 'P14D',
  upTo: 'P28D',
});

test('when an extension names a timer the step does not have, then it is refused at "timer" with what may be extended', () => {
  expect(
    errorsOf((c) => (c.steps.vurdering.on.utsettRevurdering = { effects: [extend('revurdring')] })),
  ).toEqual([
    {
      path: '/steps/vurdering/on/utsettRevurdering/effects/0/timer',
      message: 'step "vurdering" has no deadline or maxDuration timer "revurdring" to extend',
      hint: 'extendable here: revurdering',
      code: 'EXTEND_UNKNOWN_TIMER',
      nb: 'Steget «vurdering» har ingen frist «revurdring» av typen deadline eller maxDuration å forlenge. Kan forlenges her: revurdering.',
    },
  ]);
});

test('when an extension is on a transition that leaves the step, then it is refused: entering arms timers afresh', () => {
  expect(
    errorsOf(
      (c) =>
        (c.steps.vurdering.on.utsettRevurdering = { target: 'avsluttet', effects: [extend()] }),
    ),
  ).toEqual([
    expect.objectContaining({
      path: '/steps/vurdering/on/utsettRevurdering/effects/0/type',
      message: 'an extension belongs on a transition that stays in its step',
    }),
  ]);
});

test('when an extension runs on entering a step, then it is refused: only someone extending a case may', () => {
  expect(errorsOf((c) => (c.steps.vurdering.onEnter = [extend()]))).toEqual([
    expect.objectContaining({
      path: '/steps/vurdering/onEnter/0/type',
      message: '"extendTimer" runs only in a transition, when someone extends the case',
    }),
  ]);
});

test('when an extension has no limit, then the schema refuses it naming "upTo"', () => {
  const errors = errorsOf(
    (c) =>
      (c.steps.vurdering.on.utsettRevurdering = {
        effects: [{ type: 'extendTimer', timer: 'revurdering', by: 'P14D' }],
      }),
  );
  expect(errors.map((e) => e.path)).toEqual([
    '/steps/vurdering/on/utsettRevurdering/effects/0/upTo',
  ]);
  expect(errors[0]?.message).toMatch(/upTo/);
});
