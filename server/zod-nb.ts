/**
 * A request field's reason in bokmål, from a zod issue's shape (its English message stays in
 * `message`). Our own words rather than zod's Norwegian locale: the schemas' patterns carry
 * English descriptions that a locale would not translate, and a regex is no help to a caseworker.
 *
 * @module
 */
import type { z } from 'zod';

const TYPES_NB: Record<string, string> = {
  string: 'tekst',
  number: 'et tall',
  int: 'et heltall',
  boolean: 'ja eller nei (true/false)',
  object: 'et objekt',
  array: 'en liste',
};

export function zodIssueNb(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `Må være ${TYPES_NB[issue.expected] ?? issue.expected}.`;
    case 'too_big':
      return issue.origin === 'string'
        ? `Kan ikke være lengre enn ${String(issue.maximum)} tegn.`
        : issue.origin === 'array'
          ? `Kan ikke ha flere enn ${String(issue.maximum)} elementer.`
          : `Kan ikke være større enn ${String(issue.maximum)}.`;
    case 'too_small':
      return issue.origin === 'string'
        ? Number(issue.minimum) <= 1
          ? 'Må fylles ut.'
          : `Må ha minst ${String(issue.minimum)} tegn.`
        : issue.origin === 'array'
          ? `Må ha minst ${String(issue.minimum)} elementer.`
          : `Kan ikke være mindre enn ${String(issue.minimum)}.`;
    case 'invalid_value':
      return `Må være en av: ${issue.values.map((v) => `«${String(v)}»`).join(', ')}.`;
    case 'unrecognized_keys':
      return issue.keys.length > 1
        ? `Ukjente felt: ${issue.keys.join(', ')}.`
        : `Ukjent felt: ${issue.keys.join(', ')}.`;
    case 'invalid_format':
    case 'invalid_union':
    case 'not_multiple_of':
    case 'invalid_key':
    case 'invalid_element':
    case 'custom':
      return 'Har ikke riktig form.';
  }
}
