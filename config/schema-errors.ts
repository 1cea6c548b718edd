/**
 * Turns ajv's errors against the config schema into messages a process owner can act on:
 * the path points at the offending property, unknown properties are named with the ones allowed,
 * enums list their values, and ids and durations say what shape they must have.
 */
import type { ErrorObject } from 'ajv';
import { ajvSentenceNb as ajvNb, mustBeTypeNb, mustHaveFormatNb } from './ajv-nb';
import type { ConfigError } from './config-error';
import { isConfigErrorCode, type ConfigErrorCode } from './config-error-codes';
import { DURATION_HINT, DURATION_HINT_NB } from './duration';
import { childPointer } from './json-pointer';
import { didYouMean } from './did-you-mean';

const ID_HINT = 'start with a letter, then use letters, digits, "-" or "_" (at most 64 characters)';
const ID_HINT_NB =
  'Et navn begynner med en bokstav, og har så bokstaver, sifre, "-" eller "_" (høyst 64 tegn).';

/** `SCHEMA_<KEYWORD>` of a failed keyword (`minItems` → `SCHEMA_MIN_ITEMS`), if declared. */
function schemaCode(keyword: string): ConfigErrorCode {
  const code = `SCHEMA_${keyword.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
  return isConfigErrorCode(code) ? code : 'SCHEMA_INVALID';
}

/** ajv reports a failed `if` branch next to the real error inside `then`; only the latter helps. */
const NOISE_KEYWORDS: ReadonlySet<string> = new Set(['if', 'propertyNames']);

const TYPE_WORDS: Record<string, string> = {
  object: 'an object',
  array: 'a list',
  string: 'a text string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'a boolean (true or false)',
  null: 'null',
};

export function schemaErrorsToConfigErrors(errors: ErrorObject[]): ConfigError[] {
  const out: ConfigError[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (NOISE_KEYWORDS.has(error.keyword)) continue;
    const mapped = mapError(error);
    const key = `${mapped.path}\u0000${mapped.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(mapped);
  }
  return out;
}

function mapError(error: ErrorObject): ConfigError {
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  const description = typeof parent.description === 'string' ? parent.description : undefined;
  const params = error.params as Record<string, unknown>;

  // Errors about an object's key (propertyNames) carry the key; point at it, not at the object.
  if (error.propertyName !== undefined) {
    return {
      path: childPointer(error.instancePath, error.propertyName),
      message: `"${error.propertyName}" is not a valid id`,
      hint: ID_HINT,
      code: 'INVALID_ID',
      nb: `«${error.propertyName}» er ikke et gyldig navn. ${ID_HINT_NB}`,
    };
  }

  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const allowed = Object.keys((parent.properties ?? {}) as object);
      const guess = didYouMean(name, allowed);
      return {
        path: childPointer(error.instancePath, name),
        message: `unknown property "${name}"`,
        hint: guess
          ? `did you mean "${guess}"? Allowed here: ${allowed.join(', ')}`
          : allowed.length > 0
            ? `allowed here: ${allowed.join(', ')}`
            : 'no other properties are allowed here',
        code: 'SCHEMA_ADDITIONAL_PROPERTIES',
        nb: `Ukjent egenskap «${name}». ${
          guess
            ? `Mente du «${guess}»? Tillatt her: ${allowed.join(', ')}.`
            : allowed.length > 0
              ? `Tillatt her: ${allowed.join(', ')}.`
              : 'Ingen andre egenskaper er tillatt her.'
        }`,
      };
    }
    case 'required': {
      const name = String(params.missingProperty);
      const props = (parent.properties ?? {}) as Record<string, { description?: unknown }>;
      const what = props[name]?.description;
      return {
        path: childPointer(error.instancePath, name),
        message: `missing required property "${name}"`,
        code: 'SCHEMA_REQUIRED',
        nb: ajvNb(error),
        hint: typeof what === 'string' ? what : undefined,
      };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      const guess =
        typeof error.data === 'string'
          ? didYouMean(
              error.data,
              allowed.filter((v): v is string => typeof v === 'string'),
            )
          : undefined;
      return {
        path: error.instancePath,
        message: `${JSON.stringify(error.data)} is not allowed; must be one of: ${allowed
          .map((v) => JSON.stringify(v))
          .join(', ')}`,
        hint: guess ? `did you mean ${JSON.stringify(guess)}?` : description,
        code: 'SCHEMA_ENUM',
        nb: `${JSON.stringify(error.data)}: ${ajvNb(error).toLowerCase().slice(0, -1)}: ${allowed
          .map((v) => JSON.stringify(v))
          .join(', ')}.${guess ? ` Mente du ${JSON.stringify(guess)}?` : ''}`,
      };
    }
    case 'pattern':
      return patternError(error);
    case 'type': {
      const types = String(params.type).split(',');
      return {
        path: error.instancePath,
        message: `must be ${types.map((t) => TYPE_WORDS[t] ?? t).join(' or ')}`,
        code: 'SCHEMA_TYPE',
        nb: mustBeTypeNb(params.type),
        hint: description,
      };
    }
    case 'format':
      return {
        path: error.instancePath,
        message:
          params.format === 'date'
            ? `${JSON.stringify(error.data)} is not a valid date`
            : `must be a valid ${String(params.format)}`,
        hint:
          params.format === 'date'
            ? 'write a calendar date as YYYY-MM-DD, e.g. 2026-08-17'
            : description,
        code: 'SCHEMA_FORMAT',
        nb:
          params.format === 'date'
            ? `${JSON.stringify(error.data)} er ikke en gyldig dato. Skriv datoen som ÅÅÅÅ-MM-DD, for eksempel 2026-08-17.`
            : mustHaveFormatNb(error),
      };
    case 'minProperties':
      return {
        path: error.instancePath,
        message: `must have at least ${String(params.limit)} entr${params.limit === 1 ? 'y' : 'ies'}`,
        hint: description,
        code: 'SCHEMA_MIN_PROPERTIES',
        nb: ajvNb(error),
      };
    case 'minItems':
      return {
        path: error.instancePath,
        message: `must have at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`,
        hint: description,
        code: 'SCHEMA_MIN_ITEMS',
        nb: ajvNb(error),
      };
    case 'minLength':
      return {
        path: error.instancePath,
        message:
          params.limit === 1
            ? 'must not be empty'
            : `must be at least ${String(params.limit)} characters`,
        hint: description,
        code: 'SCHEMA_MIN_LENGTH',
        nb: params.limit === 1 ? 'Kan ikke være tom.' : ajvNb(error),
      };
    case 'uniqueItems':
      return {
        path: error.instancePath,
        message: `lists ${JSON.stringify((error.data as unknown[])[Number(params.i)])} twice (items ${String(
          params.j,
        )} and ${String(params.i)})`,
        hint: 'each value may appear only once',
        code: 'SCHEMA_UNIQUE_ITEMS',
        nb: `${JSON.stringify((error.data as unknown[])[Number(params.i)])} står to ganger (element ${String(
          params.j,
        )} og ${String(params.i)}). Hver verdi kan bare stå én gang.`,
      };
    default:
      return {
        path: error.instancePath,
        message: error.message ?? 'is invalid',
        hint: description,
        code: schemaCode(error.keyword),
        nb: ajvNb(error),
      };
  }
}

function patternError(error: ErrorObject): ConfigError {
  const value = JSON.stringify(error.data);
  if (error.schemaPath.includes('/duration/')) {
    return {
      path: error.instancePath,
      message: `${value} is not a duration`,
      hint: DURATION_HINT,
      code: 'INVALID_DURATION',
      nb: `${value} er ikke en varighet. ${DURATION_HINT_NB}`,
    };
  }
  const pattern = String(error.params.pattern);
  // Patterns on texts, not ids: links (a screening offer's, the family contact's) and a phone.
  if (pattern.startsWith('^https://')) {
    return {
      path: error.instancePath,
      message: `${value} is not an https address`,
      hint: 'write the whole address, e.g. "https://www.kommune.no/helsestasjon"',
      code: 'LINK_NOT_HTTPS',
      nb: `${value} er ikke en https-adresse. Skriv hele adressen, for eksempel "https://www.kommune.no/helsestasjon".`,
    };
  }
  if (error.instancePath.endsWith('/phone')) {
    return {
      path: error.instancePath,
      message: `${value} is not a phone number`,
      hint: 'digits, spaces, "+", "-" and brackets only, e.g. "+47 55 55 33 33"',
      code: 'INVALID_PHONE',
      nb: `${value} er ikke et telefonnummer. Bruk bare sifre, mellomrom, «+», «-» og parenteser, for eksempel «+47 55 55 33 33».`,
    };
  }
  if (error.instancePath === '/id') {
    return {
      path: error.instancePath,
      message: `${value} is not a valid kommune id`,
      hint: 'use lower-case letters, digits and single dashes, e.g. "nav-holf"; it must equal the file name',
      code: 'INVALID_KOMMUNE_ID',
      nb: `${value} er ikke en gyldig kommune-id. Bruk små bokstaver, sifre og enkle bindestreker, for eksempel "nav-holf"; den må være lik filnavnet.`,
    };
  }
  // The schema's third pattern: ids of steps, events, roles … (#/$defs/id).
  return {
    path: error.instancePath,
    message: `${value} is not a valid id`,
    hint: ID_HINT,
    code: 'INVALID_ID',
    nb: `${value} er ikke et gyldig navn. ${ID_HINT_NB}`,
  };
}
