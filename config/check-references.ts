/**
 * Semantic check: every id a config mentions (step, event, role, consent type, template, case
 * field, payload property) is declared. Misspelt ids are the commonest config mistake, so each
 * error suggests the closest declared name.
 */
import type { ConfigError } from './config-error';
import type { ConfigErrorCode } from './config-error-codes';
import type { KommuneConfig } from './types';
import {
  caseFieldNames,
  effectSites,
  payloadProperties,
  transitionSites,
  type EffectSite,
  type PayloadScope,
} from './config-sites';
import { didYouMean } from './did-you-mean';
import { pointer } from './json-pointer';
import { capitalize } from './text';

/**
 * Role ids with a meaning of their own: `holder` and `family` as recipients of notify effects
 * (checked in check-templates.ts), `system` for timers.
 */
const RESERVED_ROLES = ['holder', 'family', 'system'] as const;

export function checkReferences(config: KommuneConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const known = {
    step: new Set(Object.keys(config.steps)),
    event: new Set(Object.keys(config.events)),
    role: new Set(Object.keys(config.roles)),
    consent: new Set(Object.keys(config.consentTypes ?? {})),
    template: new Set(Object.keys(config.templates ?? {})),
    field: caseFieldNames(config),
  };
  const where = {
    step: 'steps',
    event: 'events',
    role: 'roles',
    consent: 'consentTypes',
    template: 'templates',
    field: 'fields (or the intake payload)',
  };
  type Kind = keyof typeof known;
  const codes: Record<Kind, ConfigErrorCode> = {
    step: 'UNKNOWN_STEP',
    event: 'UNKNOWN_EVENT',
    role: 'UNKNOWN_ROLE',
    consent: 'UNKNOWN_CONSENT_TYPE',
    template: 'UNKNOWN_TEMPLATE',
    field: 'UNKNOWN_CASE_FIELD',
  };
  /** "Det finnes <none> «x»"; "Definerte <plural> (<where>): …". */
  const nbWords: Record<Kind, { none: string; plural: string; where: string }> = {
    step: { none: 'ikke noe steg', plural: 'steg', where: '«steps»' },
    event: { none: 'ingen hendelse', plural: 'hendelser', where: '«events»' },
    role: { none: 'ingen rolle', plural: 'roller', where: '«roles»' },
    consent: { none: 'ingen samtykketype', plural: 'samtykketyper', where: '«consentTypes»' },
    template: { none: 'ingen mal', plural: 'maler', where: '«templates»' },
    field: {
      none: 'ikke noe saksfelt',
      plural: 'saksfelt',
      where: '«fields» eller inntaksskjemaet',
    },
  };

  const expect = (kind: Kind, id: string, path: string): void => {
    if (known[kind].has(id)) return;
    const guess = didYouMean(id, known[kind]);
    const label = kind === 'field' ? 'case field' : kind === 'consent' ? 'consent type' : kind;
    const nb = nbWords[kind];
    errors.push({
      path,
      message: `unknown ${label} "${id}"`,
      code: codes[kind],
      nb: `Det finnes ${nb.none} «${id}». ${
        guess
          ? `Mente du «${guess}»?`
          : known[kind].size > 0
            ? `Definerte ${nb.plural} (${nb.where}): ${[...known[kind]].join(', ')}.`
            : `Definer «${id}» under ${nb.where}.`
      }`,
      hint: guess
        ? `did you mean "${guess}"?`
        : known[kind].size > 0
          ? `declared in ${where[kind]}: ${[...known[kind]].join(', ')}`
          : `declare it in ${where[kind]}`,
    });
  };

  for (const role of RESERVED_ROLES) {
    if (known.role.has(role)) {
      errors.push({
        path: pointer('roles', role),
        message: `"${role}" is a reserved role id`,
        code: 'RESERVED_ROLE_ID',
        nb: `«${role}» er et reservert rollenavn: «holder» betyr den som har stafettpinnen nå, «family» familien i saken, og «system» er motoren. Velg et annet navn.`,
        hint: '"holder" means the current stafettholder, "family" the case\'s family and "system" the engine; pick another id',
      });
    }
  }

  expect('step', config.intake.step, pointer('intake', 'step'));
  config.intake.roles.forEach((r, i) => expect('role', r, pointer('intake', 'roles', i)));

  for (const [id, step] of Object.entries(config.steps)) {
    expect('role', step.holderRole, pointer('steps', id, 'holderRole'));
    (step.requiresConsent ?? []).forEach((c, i) =>
      expect('consent', c, pointer('steps', id, 'requiresConsent', i)),
    );
    for (const event of Object.keys(step.on ?? {}))
      expect('event', event, pointer('steps', id, 'on', event));
    (step.timers ?? []).forEach((timer, i) => {
      if (timer.kind === 'dueDate')
        expect('field', timer.field, pointer('steps', id, 'timers', i, 'field'));
      if (timer.kind === 'recurring' && timer.everyField !== undefined) {
        expect('field', timer.everyField, pointer('steps', id, 'timers', i, 'everyField'));
      }
    });
  }
  for (const site of transitionSites(config)) {
    if (site.transition.target !== undefined)
      expect('step', site.transition.target, `${site.path}/target`);
  }

  for (const [id, consent] of Object.entries(config.consentTypes ?? {})) {
    if (consent.whenLost !== undefined)
      expect('event', consent.whenLost, pointer('consentTypes', id, 'whenLost'));
    if (consent.ageField !== undefined)
      expect('field', consent.ageField, pointer('consentTypes', id, 'ageField'));
  }

  for (const [id, event] of Object.entries(config.events)) {
    event.roles.forEach((r, i) => expect('role', r, pointer('events', id, 'roles', i)));
    (event.requiresConsent ?? []).forEach((c, i) =>
      expect('consent', c, pointer('events', id, 'requiresConsent', i)),
    );
  }

  (config.capacity ?? []).forEach((rule, i) => {
    expect('role', rule.role, pointer('capacity', i, 'role'));
    const first = (config.capacity ?? []).findIndex((other) => other.role === rule.role);
    if (first < i) {
      errors.push({
        path: pointer('capacity', i, 'role'),
        message: `role "${rule.role}" already has a capacity rule (/capacity/${first})`,
        code: 'DUPLICATE_CAPACITY_RULE',
        nb: `Rollen «${rule.role}» har allerede en kapasitetsregel (/capacity/${first}). Ha én regel per rolle.`,
        hint: 'keep one rule per role',
      });
    }
  });

  if (config.reopen) {
    expect('step', config.reopen.step, pointer('reopen', 'step'));
    config.reopen.roles.forEach((r, i) => expect('role', r, pointer('reopen', 'roles', i)));
  }

  for (const [id, survey] of Object.entries(config.surveys ?? {})) {
    if (survey.invitation !== undefined)
      expect('template', survey.invitation, pointer('surveys', id, 'invitation'));
  }

  for (const site of effectSites(config)) {
    checkEffect(site, expect, errors);
  }
  return errors;
}

function checkEffect(
  site: EffectSite,
  expect: (
    kind: 'event' | 'role' | 'consent' | 'template' | 'field',
    id: string,
    path: string,
  ) => void,
  errors: ConfigError[],
): void {
  const { effect, path } = site;
  const payloadField = (name: string, key: string): void => {
    const error = payloadFieldError(site.scope, name, `${path}/${key}`);
    if (error) errors.push(error);
  };
  switch (effect.type) {
    case 'record':
      expect('field', effect.field, `${path}/field`);
      return;
    case 'handover':
      payloadField(effect.holderField, 'holderField');
      if (effect.role !== undefined) expect('role', effect.role, `${path}/role`);
      return;
    case 'addTeamMember':
    case 'addActionPoints':
    case 'completeActionPoints':
      payloadField(effect.from, 'from');
      return;
    case 'giveConsent':
      expect('consent', effect.consent, `${path}/consent`);
      if (effect.givenByField !== undefined) payloadField(effect.givenByField, 'givenByField');
      return;
    case 'withdrawConsent':
      expect('consent', effect.consent, `${path}/consent`);
      return;
    case 'notify': // the recipient is checked in check-templates.ts
      expect('template', effect.template, `${path}/template`);
      return;
    case 'escalate':
      expect('role', effect.role, `${path}/role`);
      expect('template', effect.template, `${path}/template`);
      return;
    case 'send':
      expect('event', effect.event, `${path}/event`);
      if (!site.timer) {
        errors.push({
          path: `${path}/type`,
          message: '"send" effects may only run on a timer\'s expiry',
          code: 'SEND_OUTSIDE_TIMER',
          nb: '«send» kan bare brukes når en frist løper ut. For å flytte saken videre etter en hendelse, gi overgangen et «target».',
          hint: 'to move the case on after an event, give the transition a "target" instead',
        });
      }
      return;
    case 'sendFeedbackLink':
    case 'sendSurvey':
      expect('template', effect.template, `${path}/template`);
      return;
    case 'setLevel':
    case 'markOverdue':
    case 'extendTimer':
    case 'assignTeam': // checked in check-teams.ts
      return;
  }
}

/** Checks that `name` is a property of the payload form in `scope`, when that can be known. */
export function payloadFieldError(
  scope: PayloadScope,
  name: string,
  path: string,
): ConfigError | undefined {
  if (scope.kind === 'none') {
    return {
      path,
      message: `${scope.owner} fires without a payload, so "${name}" cannot be read from one`,
      code: 'NO_PAYLOAD_TO_READ',
      nb: `${capitalize(scope.nbOwner)} utløses uten skjema, så «${name}» kan ikke leses herfra. Les skjemafelter i overgangen til hendelsen som har dem.`,
      hint: 'read payload fields in the transition of the event that carries them',
    };
  }
  const props = payloadProperties(scope);
  if (props === null || props.has(name) || scope.kind !== 'form') return undefined;
  const guess = didYouMean(name, props);
  return {
    path,
    message: `the payload of ${scope.owner} has no property "${name}"`,
    code: 'UNKNOWN_PAYLOAD_PROPERTY',
    nb: `Skjemaet til ${scope.nbOwner} har ikke feltet «${name}». ${
      guess
        ? `Mente du «${guess}»?`
        : props.size > 0
          ? `Feltene er: ${[...props].join(', ')}.`
          : `${capitalize(scope.nbOwner)} har ingen skjemafelter.`
    }`,
    hint: guess
      ? `did you mean "${guess}"?`
      : props.size > 0
        ? `its properties: ${[...props].join(', ')}`
        : `${scope.owner} declares no payload properties`,
  };
}
