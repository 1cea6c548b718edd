/**
 * Semantic check of `selfReferral`, the families' own way in: the step exists and is not an
 * end, the referral source is declared, a parent can sign in at all (a family role that
 * consents as a parent), and its messages go to a role (the new case has no holder).
 */
import type { ConfigError } from './config-error';
import { pointer } from './json-pointer';
import type { KommuneConfig } from './types';

export function checkSelfReferral(config: KommuneConfig): ConfigError[] {
  const self = config.selfReferral;
  if (!self) return [];
  const errors: ConfigError[] = [];
  if (!Object.hasOwn(config.steps, self.step)) {
    errors.push({
      path: pointer('selfReferral', 'step'),
      code: 'UNKNOWN_STEP',
      message: `selfReferral.step "${self.step}" is not a step`,
      nb: `Det finnes ikke noe steg «${self.step}». Familiens egen henvendelse må starte i et steg under «steps».`,
      hint: `known steps: ${Object.keys(config.steps).join(', ')}`,
    });
  } else if (config.steps[self.step].final) {
    errors.push({
      path: pointer('selfReferral', 'step'),
      code: 'SELF_REFERRAL_FINAL_STEP',
      message: `selfReferral.step "${self.step}" is a final step`,
      nb: `Steget «${self.step}» avslutter saken. Velg steget der en ny henvendelse fra familien skal tas imot.`,
      hint: 'name the step where a new request from the family is received',
    });
  }
  if (!Object.hasOwn(config.referralSources, self.referralSource)) {
    const known = Object.keys(config.referralSources).join(', ');
    errors.push({
      path: pointer('selfReferral', 'referralSource'),
      code: 'SELF_REFERRAL_UNKNOWN_SOURCE',
      message: `selfReferral.referralSource "${self.referralSource}" is not a referral source`,
      nb: `Henvisningskilden «${self.referralSource}» finnes ikke under «referralSources». Kjente kilder: ${known}.`,
      hint: `known sources: ${known}`,
    });
  }
  (self.effects ?? []).forEach((effect, i) => {
    // Nobody holds a family's new request: a message to its holder would reach no one.
    if (effect.role === 'holder')
      errors.push({
        path: pointer('selfReferral', 'effects', i, 'role'),
        code: 'SELF_REFERRAL_NOTIFY_HOLDER',
        message:
          "a family's request opens with no holder, so a message to the holder reaches no one",
        nb: 'En sak familien selv ber om, har ingen stafettholder når den opprettes. Send meldingen til en rolle, for eksempel lederen, som kan gi saken videre.',
        hint: 'name a role, e.g. the leader who hands the case on',
      });
  });
  if (!Object.values(config.roles).some((r) => r.family === true && r.consentsAs === 'parent')) {
    errors.push({
      path: pointer('selfReferral'),
      code: 'SELF_REFERRAL_NO_PARENT_ROLE',
      message: 'no family role consents as a parent, so no parent can sign in to ask for contact',
      nb: 'Ingen familierolle har «family»: true og «consentsAs»: «parent», så foreldre kan ikke logge inn og be om kontakt. Legg til en slik rolle.',
      hint: 'add a role with "family": true and "consentsAs": "parent"',
    });
  }
  return errors;
}
