/**
 * Who may consent: a parent, or the young person from the consent type's `youthMinAge`
 * (default 15) by the age the case records, never a five-year-old's "yes".
 */
import { validateConfig } from '../../config';
import { applyEvent, compileKommune, openCase, type Actor, type CaseState } from '../../machines';
import { minimalConfig } from '../config/helpers/fixtures';
import { accepted, rejected } from './support';

const teacher: Actor = { id: 'teacher-1', role: 'teacher' };
const T0 = '2027-03-01T08:00:00.000Z';
const k = compileKommune(minimalConfig(), 1);

/** A case at the talk step, where consent is recorded; `kommune` defaults to the fixture. */
function atTalk(childAge: number | undefined, kommune = k): CaseState {
  const opened = accepted(
    openCase(kommune, {
      caseId: 'c-1',
      referralSource: Object.keys(kommune.config.referralSources)[0]!,
      payload: childAge === undefined ? {} : { childAge },
      actor: teacher,
      now: T0,
    }),
  );
  return accepted(
    applyEvent(
      kommune,
      opened.state,
      { type: 'ASSESS', actor: teacher, payload: { score: 5 } },
      T0,
    ),
  ).state;
}

const consent = (state: CaseState, givenBy: string, kommune = k) =>
  applyEvent(kommune, state, { type: 'CONSENT', actor: teacher, payload: { givenBy } }, T0);

test('when a 15-year-old consents themselves, then the consent is recorded as given by the young person', () => {
  const r = accepted(consent(atTalk(15), 'youth'));
  expect(r.state.consents.sharing).toMatchObject({ givenBy: 'youth', givenAt: T0 });
});

test('when a 5-year-old "consents" themselves, then it is refused at the giver field with the age it takes, and nothing is recorded', () => {
  const state = atTalk(5);
  const r = rejected(consent(state, 'youth'));
  expect(r).toMatchObject({
    code: 'PAYLOAD_INVALID',
    details: [
      {
        path: '/givenBy',
        message: 'the young person may consent from age 15; the case records age 5',
      },
    ],
  });
  expect(accepted(consent(state, 'parent')).state.consents.sharing?.givenBy).toBe('parent');
});

test('when the case records no age, then the young person cannot consent themselves', () => {
  expect(rejected(consent(atTalk(undefined), 'youth')).details[0]?.message).toMatch(
    /records no age$/,
  );
});

test('when a consent type lets the young person consent from 12, then a 12-year-old may', () => {
  const config = minimalConfig();
  config.consentTypes!.sharing!.youthMinAge = 12;
  const k12 = compileKommune(config, 1);
  expect(consent(atTalk(12, k12), 'youth', k12).ok).toBe(true);
});

test('when a config version from before age fields lets the young person consent, then its cases keep their own rules', () => {
  const config = minimalConfig();
  delete config.consentTypes!.sharing!.ageField;
  const old = compileKommune(config, 1);
  expect(consent(atTalk(9, old), 'youth', old).ok).toBe(true);
});

test('when the young person may consent but no age field is named, then the config is refused at the consent type', () => {
  const config = minimalConfig();
  delete config.consentTypes!.sharing!.ageField;
  const result = validateConfig(config);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.errors).toEqual([
    expect.objectContaining({
      path: '/consentTypes/sharing/givenBy',
      message: expect.stringContaining('no "ageField"'),
    }),
  ]);
});
