/**
 * Who gives a consent, as a config says it: a family role that records a consent says which
 * giver its people are, one the consent type allows; staff recording one name the form field
 * saying who gave it; "both must consent" needs two givers. Each refusal is at the JSON path to
 * change, with a stable code and a bokmål message.
 */
import type { KommuneConfig } from '../../config/types';
import { minimalConfig } from './helpers/fixtures';
import { expectOneRefusal, refusalsOf as errorsOf } from './helpers/refusals';

/** The minimal config with a parent family role who consents herself, signed in. */
function withFamily(edit: (c: KommuneConfig) => void = () => {}): KommuneConfig {
  const c = minimalConfig();
  c.roles.parent = { title: 'Forelder', family: true, consentsAs: 'parent' };
  c.events.GIVE = { title: 'Gi samtykke', roles: ['parent'] };
  c.steps.talk!.on!.GIVE = { effects: [{ type: 'giveConsent', consent: 'sharing' }] };
  edit(c);
  return c;
}

test('when a family role that says it gives consent as a parent sends a consent event with no giver field, then the config is valid', () => {
  expect(errorsOf(withFamily())).toEqual([]);
});

test('when both a parent and the young person must consent, then the config is valid', () => {
  expect(errorsOf(withFamily((c) => (c.consentTypes!.sharing!.requires = 'all')))).toEqual([]);
});

test('when a staff role says it gives consent as a parent, then it is refused at its consentsAs', () => {
  expectOneRefusal(
    errorsOf(withFamily((c) => (c.roles.teacher = { title: 'Lærer', consentsAs: 'parent' }))),
    {
      code: 'CONSENT_GIVER_ROLE_NOT_FAMILY',
      path: '/roles/teacher/consentsAs',
      nb: 'Rollen «teacher» er ikke en familierolle, så de som har den gir ikke samtykke som forelder',
    },
  );
});

test('when a family role may record a consent but does not say which giver it is, then the role is refused', () => {
  expectOneRefusal(errorsOf(withFamily((c) => delete c.roles.parent!.consentsAs)), {
    code: 'CONSENT_FAMILY_ROLE_WITHOUT_KIND',
    path: '/roles/parent',
    nb: expect.stringContaining('forelder eller ungdom'),
  });
});

test('when the young person signed in may send an event recording a consent only parents give, then that role of the event is refused', () => {
  const errors = errorsOf(
    withFamily((c) => {
      c.roles.youth = { title: 'Ungdom', family: true, consentsAs: 'youth' };
      c.events.GIVE!.roles = ['parent', 'youth'];
      c.consentTypes!.sharing!.givenBy = ['parent'];
    }),
  );
  expectOneRefusal(errors, {
    code: 'CONSENT_ROLE_NOT_A_GIVER',
    path: '/events/GIVE/roles/1',
    nb: 'Rollen «youth» gir samtykke som ungdom, men samtykket «sharing» som «GIVE» registrerer kan bare gis av: forelder',
  });
});

test('when staff may send a consent event with no field saying who gave it, then the effect is refused at givenByField', () => {
  expectOneRefusal(errorsOf(withFamily((c) => (c.events.GIVE!.roles = ['parent', 'teacher']))), {
    code: 'CONSENT_GIVER_FIELD_MISSING',
    path: '/steps/talk/on/GIVE/effects/0/givenByField',
    message: expect.stringContaining('staff (teacher)'),
    nb: expect.stringContaining('«givenByField»'),
  });
});

test('when a consent at intake names no field saying who gave it, then it is refused there', () => {
  expectOneRefusal(
    errorsOf(withFamily((c) => (c.intake.effects = [{ type: 'giveConsent', consent: 'sharing' }]))),
    {
      code: 'CONSENT_GIVER_FIELD_MISSING',
      path: '/intake/effects/0/givenByField',
    },
  );
});

test('when "both must consent" has one giver, then it is refused at requires', () => {
  expect(
    errorsOf(
      withFamily((c) => {
        c.consentTypes!.sharing!.requires = 'all';
        c.consentTypes!.sharing!.givenBy = ['parent'];
      }),
    ),
  ).toEqual([
    expect.objectContaining({
      code: 'CONSENT_REQUIRES_ALL_ONE_GIVER',
      path: '/consentTypes/sharing/requires',
      nb: expect.stringContaining('«all» betyr det samme som «any»'),
    }),
  ]);
});

test('when "both must consent" lets the young person consent but names no age field, then it is refused at givenBy', () => {
  expect(
    errorsOf(
      withFamily((c) => {
        c.consentTypes!.sharing!.requires = 'all';
        delete c.consentTypes!.sharing!.ageField;
      }),
    ),
  ).toEqual([expect.objectContaining({ path: '/consentTypes/sharing/givenBy' })]);
});

test('when "requires" is neither "any" nor "all", then the schema refuses it at its path', () => {
  const config = withFamily();
  (config.consentTypes!.sharing as unknown as Record<string, unknown>).requires = 'both';
  expectOneRefusal(errorsOf(config), { path: '/consentTypes/sharing/requires' });
});
