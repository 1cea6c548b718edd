/**
 * Semantic check of who gives a consent. A family role that sends an event recording a consent
 * says which kind of giver its people are (`consentsAs`), one the consent type lets give it, so
 * the engine takes the giver from the token's role. Staff who record a consent given on paper
 * or orally name the form field saying who gave it. A consent every giver must give has more
 * than one giver.
 */
import type { ConfigError } from './config-error';
import type { Effect, KommuneConfig } from './types';
import { transitionSites } from './config-sites';
import { pointer } from './json-pointer';

const GIVER_NB = { parent: 'forelder', youth: 'ungdom' } as const;

export function checkConsentGivers(config: KommuneConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const roles = config.roles;
  const isRole = (r: string): boolean => Object.hasOwn(roles, r);

  for (const [id, role] of Object.entries(roles)) {
    if (role.consentsAs !== undefined && role.family !== true) {
      errors.push({
        code: 'CONSENT_GIVER_ROLE_NOT_FAMILY',
        path: pointer('roles', id, 'consentsAs'),
        message: `role "${id}" is not a family role, so its people do not give consent as "${role.consentsAs}"`,
        nb: `Rollen «${id}» er ikke en familierolle, så de som har den gir ikke samtykke som ${GIVER_NB[role.consentsAs]}`,
        hint: 'add "family": true, or remove "consentsAs": staff record a consent the family gave on paper or orally',
      });
    }
  }

  for (const [id, def] of Object.entries(config.consentTypes ?? {})) {
    if (def.requires === 'all' && def.givenBy.length < 2) {
      errors.push({
        code: 'CONSENT_REQUIRES_ALL_ONE_GIVER',
        path: pointer('consentTypes', id, 'requires'),
        message: `consent "${id}" has one giver (${def.givenBy.join(', ')}), so "all" means the same as "any"`,
        nb: `Samtykket «${id}» kan bare gis av én (${def.givenBy.map((g) => GIVER_NB[g]).join(', ')}), så «all» betyr det samme som «any»`,
        hint: 'list both "parent" and "youth" in "givenBy" for both to consent, or remove "requires"',
      });
    }
  }

  const familyWithoutKind = new Set<string>();
  const gives = (effects: readonly Effect[] | undefined) =>
    (effects ?? []).flatMap((e, i) => (e.type === 'giveConsent' ? [{ effect: e, i }] : []));

  for (const site of transitionSites(config)) {
    const event = Object.hasOwn(config.events, site.event) ? config.events[site.event] : undefined;
    if (!event) continue;
    for (const { effect, i } of gives(site.transition.effects)) {
      const at = `${site.path}/effects/${i}`;
      const allowed: readonly string[] = config.consentTypes?.[effect.consent]?.givenBy ?? [];
      const staff: string[] = [];
      event.roles.forEach((r, j) => {
        if (!isRole(r)) return;
        const role = roles[r];
        if (role.family !== true) staff.push(r);
        else if (role.consentsAs === undefined) familyWithoutKind.add(r);
        else if (allowed.length > 0 && !allowed.includes(role.consentsAs)) {
          errors.push({
            code: 'CONSENT_ROLE_NOT_A_GIVER',
            path: pointer('events', site.event, 'roles', j),
            message: `role "${r}" gives consent as "${role.consentsAs}", but consent "${effect.consent}" recorded by "${site.event}" may be given by: ${allowed.join(', ')}`,
            nb: `Rollen «${r}» gir samtykke som ${GIVER_NB[role.consentsAs]}, men samtykket «${effect.consent}» som «${site.event}» registrerer kan bare gis av: ${allowed.map((g) => GIVER_NB[g as 'parent' | 'youth'] ?? g).join(', ')}`,
            hint: `remove "${r}" from the event's roles, or add "${role.consentsAs}" to the consent type's "givenBy"`,
          });
        }
      });
      if (staff.length > 0 && effect.givenByField === undefined) {
        errors.push(giverFieldMissing(`${at}/givenByField`, `staff (${staff.join(', ')})`));
      }
    }
  }
  for (const r of familyWithoutKind) {
    errors.push({
      code: 'CONSENT_FAMILY_ROLE_WITHOUT_KIND',
      path: pointer('roles', r),
      message: `family role "${r}" may send an event that records a consent, but does not say which kind of giver its people are`,
      nb: `Familierollen «${r}» kan sende en hendelse som registrerer samtykke, men sier ikke om den som har rollen er forelder eller ungdom`,
      hint: 'add "consentsAs": "parent" or "youth": the engine then records the giver from the role, not from a form field',
    });
  }

  // Where no token says who gives it (at intake, on entering a step, on a timer), the form must.
  const elsewhere: Array<[Effect[] | undefined, string]> = [
    [config.intake.effects, pointer('intake', 'effects')],
  ];
  for (const [step, def] of Object.entries(config.steps)) {
    elsewhere.push([def.onEnter, pointer('steps', step, 'onEnter')]);
    (def.timers ?? []).forEach((t, i) =>
      elsewhere.push([t.onExpiry, pointer('steps', step, 'timers', i, 'onExpiry')]),
    );
  }
  for (const [effects, base] of elsewhere) {
    for (const { effect, i } of gives(effects)) {
      if (effect.givenByField === undefined)
        errors.push(giverFieldMissing(`${base}/${i}/givenByField`, 'staff'));
    }
  }
  return errors;
}

function giverFieldMissing(path: string, who: string): ConfigError {
  return {
    code: 'CONSENT_GIVER_FIELD_MISSING',
    path,
    message: `${who} may record this consent, given on paper or orally, but no "givenByField" says who gave it`,
    nb: 'Samtykket kan registreres av ansatte (gitt på papir eller muntlig), men ingen «givenByField» sier hvem som ga det',
    hint: 'name the form field ("parent" or "youth"), e.g. "givenByField": "gittAv"; only a family role with "consentsAs" gives consent without one',
  };
}
