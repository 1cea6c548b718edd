/**
 * A config where a case could sit in a step that requires a consent it has lost (withdrawn,
 * or lapsed) is refused, at the path to change and with what to write there.
 */
import type { KommuneConfig } from '../../config/types';
import { minimalConfig } from './helpers/fixtures';
import { refusalsAfterEdit } from './helpers/refusals';

const errorsOf = (edit: (c: KommuneConfig) => void) => refusalsAfterEdit(minimalConfig(), edit);

test('when a lapsing consent required by a step names no "whenLost" event, then the consent type is refused naming the step', () => {
  expect(
    errorsOf((c) => {
      delete c.consentTypes!.sharing!.whenLost;
      delete c.steps.team!.on!.CONSENT_LOST;
      delete c.events.CONSENT_LOST;
    }),
  ).toEqual([
    {
      path: '/consentTypes/sharing',
      message:
        'a case in "team" would stay there without consent "sharing" once it is lapsed or withdrawn',
      hint: expect.stringContaining('"whenLost"'),
      code: 'CONSENT_LOSS_UNHANDLED',
      nb: expect.stringContaining(
        'uten samtykket «sharing» når det er utløpt eller trukket tilbake',
      ),
    },
  ]);
});

test('when a consent that never lapses is withdrawn only by leaving the step, then no "whenLost" is needed', () => {
  expect(
    errorsOf((c) => {
      delete c.consentTypes!.sharing!.whenLost;
      delete c.consentTypes!.sharing!.validFor;
      delete c.steps.team!.on!.CONSENT_LOST;
      delete c.events.CONSENT_LOST;
    }),
  ).toEqual([]);
});

test('when a step that requires the consent does not handle its "whenLost" event, then that step is refused', () => {
  expect(errorsOf((c) => delete c.steps.team!.on!.CONSENT_LOST)).toEqual([
    expect.objectContaining({
      path: '/steps/team/on',
      message: expect.stringContaining('does not handle "CONSENT_LOST"'),
    }),
  ]);
});

test('when the "whenLost" event stays in the step or goes to another step that requires the consent, then its target is refused', () => {
  expect(errorsOf((c) => (c.steps.team!.on!.CONSENT_LOST = {}))).toEqual([
    expect.objectContaining({ path: '/steps/team/on/CONSENT_LOST/target' }),
  ]);
});

test('when the "whenLost" event could be held up by a rule, then its last branch is refused', () => {
  expect(
    errorsOf(
      (c) => (c.steps.team!.on!.CONSENT_LOST = { target: 'talk', when: { var: 'case.level' } }),
    ),
  ).toEqual([
    expect.objectContaining({
      path: '/steps/team/on/CONSENT_LOST/when',
      message: expect.stringContaining('must always be taken'),
    }),
  ]);
});

test('when "whenLost" names an event that does not exist, then it is refused with the nearest name', () => {
  expect(errorsOf((c) => (c.consentTypes!.sharing!.whenLost = 'CONSENT_LOSt'))).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        path: '/consentTypes/sharing/whenLost',
        hint: 'did you mean "CONSENT_LOST"?',
      }),
    ]),
  );
});
