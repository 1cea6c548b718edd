/**
 * Semantic check of the family's texts (`familyTexts`): every step, event, timer and consent type
 * they speak of exists, so a renamed step cannot leave the family reading about nothing. The
 * schema bounds the lengths; whether every step has a text is the seed tests' business, so a
 * kommune can write its texts one step at a time.
 */
import type { ConfigError } from './config-error';
import type { ConfigErrorCode } from './config-error-codes';
import type { KommuneConfig } from './types';
import { didYouMean } from './did-you-mean';
import { pointer } from './json-pointer';

export function checkFamilyTexts(config: KommuneConfig): ConfigError[] {
  const texts = config.familyTexts;
  if (!texts) return [];
  const errors: ConfigError[] = [];
  const unknown = (
    code: ConfigErrorCode,
    id: string,
    known: Iterable<string>,
    path: string,
    what: { en: string; nb: string; nbWhere?: string },
  ) => {
    const guess = didYouMean(id, [...known]);
    errors.push({
      code,
      path,
      message: `the family text names ${what.en} "${id}", which does not exist`,
      nb: `Familieteksten gjelder ${what.nb} «${id}»${what.nbWhere ?? ''}, som ikke finnes.${guess ? ` Mente du «${guess}»?` : ''}`,
      ...(guess ? { hint: `did you mean "${guess}"?` } : {}),
    });
  };
  const steps = Object.keys(config.steps);
  const step = { en: 'step', nb: 'steget' };
  for (const id of Object.keys(texts.steps ?? {})) {
    if (!Object.hasOwn(config.steps, id))
      unknown('FAMILY_TEXT_UNKNOWN_STEP', id, steps, pointer('familyTexts', 'steps', id), step);
  }
  for (const id of Object.keys(texts.events ?? {})) {
    if (!Object.hasOwn(config.events, id))
      unknown(
        'FAMILY_TEXT_UNKNOWN_EVENT',
        id,
        Object.keys(config.events),
        pointer('familyTexts', 'events', id),
        {
          en: 'event',
          nb: 'hendelsen',
        },
      );
  }
  for (const [stepId, timers] of Object.entries(texts.timers ?? {})) {
    if (!Object.hasOwn(config.steps, stepId)) {
      unknown(
        'FAMILY_TEXT_UNKNOWN_STEP',
        stepId,
        steps,
        pointer('familyTexts', 'timers', stepId),
        step,
      );
      continue;
    }
    const known = (config.steps[stepId].timers ?? []).map((t) => t.id);
    for (const timerId of Object.keys(timers)) {
      if (!known.includes(timerId))
        unknown(
          'FAMILY_TEXT_UNKNOWN_TIMER',
          timerId,
          known,
          pointer('familyTexts', 'timers', stepId, timerId),
          {
            en: `timer of step "${stepId}"`,
            nb: 'fristen',
            nbWhere: ` i steget «${config.steps[stepId].title}»`,
          },
        );
    }
  }
  const consentTypes = Object.keys(config.consentTypes ?? {});
  for (const id of Object.keys(texts.consents ?? {})) {
    if (!consentTypes.includes(id))
      unknown(
        'FAMILY_TEXT_UNKNOWN_CONSENT_TYPE',
        id,
        consentTypes,
        pointer('familyTexts', 'consents', id),
        {
          en: 'consent type',
          nb: 'samtykketypen',
        },
      );
  }
  return errors;
}
