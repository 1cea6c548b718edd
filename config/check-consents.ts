/**
 * Semantic check: the young person's own consent can be checked against their age, and a case
 * never sits in a step that requires a consent it has lost. Where a
 * consent can be lost in a step that requires it (it lapses, or a transition there withdraws it
 * and stays), the consent type names a `whenLost` event, and every step requiring it handles
 * that event with a way out to a step that does not require it, taken whatever the rules say.
 */
import type { ConfigError } from './config-error';
import type { ConsentTypeId, KommuneConfig, StepId } from './types';
import { transitionSites } from './config-sites';
import { withSharedEvents } from './shared-events';
import { pointer } from './json-pointer';

export function checkConsents(config: KommuneConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const requires = (step: StepId | undefined, consent: ConsentTypeId): boolean =>
    step !== undefined && (config.steps[step]?.requiresConsent ?? []).includes(consent);

  for (const [consent, def] of Object.entries(config.consentTypes ?? {})) {
    if (def.givenBy.includes('youth') && def.ageField === undefined) {
      errors.push({
        path: pointer('consentTypes', consent, 'givenBy'),
        message: `the young person may give consent "${consent}", but no "ageField" says where the case records their age`,
        code: 'CONSENT_YOUTH_WITHOUT_AGE_FIELD',
        nb: `Ungdommen kan gi samtykket «${consent}», men ingen «ageField» sier hvilket saksfelt som har barnets alder. Oppgi feltet med alder i år, for eksempel "ageField": "alder"; fra «youthMinAge» (standard 15) kan ungdommen samtykke selv.`,
        hint: `name the case field with the child's age in years, e.g. "ageField": "alder"; from "youthMinAge" (default 15) they may consent themselves`,
      });
    }
    const steps = Object.keys(config.steps).filter((s) => requires(s, consent));
    if (steps.length === 0) continue;
    if (def.whenLost === undefined) {
      const lostIn = steps.filter(
        (s) =>
          def.validFor !== undefined ||
          transitionSites(config).some(
            (site) =>
              site.step === s &&
              requires(site.transition.target ?? s, consent) &&
              (site.transition.effects ?? []).some(
                (e) => e.type === 'withdrawConsent' && e.consent === consent,
              ),
          ),
      );
      if (lostIn.length > 0) {
        errors.push({
          path: pointer('consentTypes', consent),
          message: `a case in ${lostIn.map((s) => `"${s}"`).join(', ')} would stay there without consent "${consent}" once it is ${def.validFor !== undefined ? 'lapsed or withdrawn' : 'withdrawn'}`,
          code: 'CONSENT_LOSS_UNHANDLED',
          nb: `En sak i ${lostIn.map((s) => `«${s}»`).join(', ')} ville bli stående der uten samtykket «${consent}» når det ${def.validFor !== undefined ? 'er utløpt eller trukket tilbake' : 'er trukket tilbake'}. Oppgi en hendelse i «whenLost» som motoren sender da, og håndter den i hvert steg som krever samtykket, med et «target» som ikke krever det.`,
          hint: 'name an event in "whenLost" for the engine to send then, and handle it in each step that requires the consent, with a target that does not',
        });
      }
      continue;
    }
    const event = def.whenLost;
    for (const step of steps) {
      // A shared event (config/shared-events.ts) is handled as if written in the step.
      const handler = withSharedEvents(config).steps[step].on?.[event];
      if (handler === undefined) {
        errors.push({
          path: pointer('steps', step, 'on'),
          message: `step "${step}" requires consent "${consent}" but does not handle "${event}", the event the engine sends when it is lost`,
          code: 'CONSENT_WHEN_LOST_NOT_HANDLED',
          nb: `Steget «${step}» krever samtykket «${consent}», men håndterer ikke «${event}», hendelsen motoren sender når samtykket mistes. Legg til "${event}": { "target": <et steg uten dette samtykket> }.`,
          hint: `add "${event}": { "target": <a step without this consent> }`,
        });
        continue;
      }
      const branches = Array.isArray(handler) ? handler : [handler];
      branches.forEach((t, i) => {
        const at = Array.isArray(handler)
          ? pointer('steps', step, 'on', event, i)
          : pointer('steps', step, 'on', event);
        if (requires(t.target ?? step, consent)) {
          errors.push({
            path: `${at}/target`,
            message: `when consent "${consent}" is lost, "${event}" must leave step "${step}" for a step that does not require it`,
            code: 'CONSENT_WHEN_LOST_STAYS',
            nb: `Når samtykket «${consent}» mistes, må «${event}» føre saken fra steget «${step}» til et steg som ikke krever samtykket, for eksempel et nivå 1-steg eller et avsluttende steg.`,
            hint: 'give it a "target" such as a level-1 step or a closing step',
          });
        }
      });
      const last = branches[branches.length - 1];
      if (last?.when !== undefined && last.when !== true) {
        errors.push({
          path: Array.isArray(handler)
            ? pointer('steps', step, 'on', event, branches.length - 1, 'when')
            : pointer('steps', step, 'on', event, 'when'),
          message: `"${event}" in step "${step}" must always be taken when consent "${consent}" is lost`,
          code: 'CONSENT_WHEN_LOST_CONDITIONAL',
          nb: `«${event}» i steget «${step}» må alltid bli tatt når samtykket «${consent}» mistes. Fjern «when» fra den siste grenen.`,
          hint: 'leave "when" out of its last branch',
        });
      }
    }
  }
  return errors;
}
