/**
 * Bokmål for ajv's errors, one place for both audiences that read them: the process owner
 * (config schema errors, config/schema-errors.ts) and the caseworker (a form's fields,
 * machines/payload-validation.ts). ajv-i18n's `nb` locale gives the words; here it is made a
 * sentence, and where it leaves JSON Schema's English (`må være object`, `må være string,null`)
 * or reads as jargon, our own words are used instead.
 *
 * Pure (ajv-i18n only rewrites `message` on the copy it is given, ~5 KB), so it runs inside the
 * workflow sandbox too.
 *
 * @module
 */
import type { ErrorObject } from 'ajv';
import localizeNb from 'ajv-i18n/localize/nb';
import { asSentence } from './text';

/**
 * ajv-i18n's bokmål for the keyword's failure, as a sentence; the error itself is left as it was
 * (its English `message` stays for logs).
 *
 * @example
 * ajvSentenceNb(minItemsError) // 'Kan ikke ha færre enn 1 element.'
 */
export function ajvSentenceNb(error: ErrorObject): string {
  const copy = { ...error };
  localizeNb([copy]);
  return asSentence(copy.message ?? 'er ugyldig');
}

/** JSON Schema's type names in bokmål; ajv-i18n leaves `object`, `array` and unions in English. */
const TYPE_WORDS_NB: Record<string, string> = {
  object: 'et objekt',
  array: 'en liste',
  string: 'tekst',
  number: 'et tall',
  integer: 'et heltall',
  boolean: 'true eller false',
  null: 'tom (null)',
};

/**
 * "Må være …" for a failed `type` (ajv's `params.type`: one name or a comma-joined union).
 *
 * @example
 * mustBeTypeNb('number,null') // 'Må være et tall eller tom (null).'
 */
export function mustBeTypeNb(type: unknown): string {
  const types = String(type).split(',');
  return `Må være ${types.map((t) => TYPE_WORDS_NB[t] ?? t).join(' eller ')}.`;
}

/** The formats a form or config uses, as what a person must write. */
const FORMATS_NB: Record<string, string> = {
  date: 'en dato (ÅÅÅÅ-MM-DD)',
  'date-time': 'et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm:ssZ)',
  time: 'et klokkeslett (tt:mm:ss)',
  email: 'en e-postadresse',
  uri: 'en nettadresse',
  uuid: 'en UUID',
};

/**
 * "Må være …" for a failed `format`, in plain words where we have them, else ajv-i18n's.
 *
 * @example
 * mustHaveFormatNb(dateFormatError) // 'Må være en dato (ÅÅÅÅ-MM-DD).'
 */
export function mustHaveFormatNb(error: ErrorObject): string {
  const known = FORMATS_NB[String((error.params as Record<string, unknown>).format)];
  return known ? `Må være ${known}.` : ajvSentenceNb(error);
}
