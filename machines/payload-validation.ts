/**
 * Payload forms written inside a config, compiled once with ajv (JSON Schema 2020-12) and
 * reported as field-level reasons with JSON pointers into the payload, e.g. `/oppfolgingsdato`.
 *
 * @module
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
// From config/, not a copy: the engine must compile forms exactly as `npm run config:validate`
// checks them (one ajv factory, one option set, one set of bounds). Both modules are pure, so
// they run inside the workflow sandbox.
import { ajvSentenceNb, mustBeTypeNb, mustHaveFormatNb } from '../config/ajv-nb';
import { payloadSchemaCompiler } from '../config/create-ajv';
import { boundedForm } from '../config/form-bounds';
import { escapePointerSegment } from '../config/json-pointer';
import type { JsonSchema } from '../config/types';
import type { Rejection } from './types';

/** An event without a form takes an empty object and nothing else. */
export const EMPTY_PAYLOAD_SCHEMA: JsonSchema = { type: 'object', additionalProperties: false };

export type PayloadValidator = ValidateFunction;

/** A form as the engine enforces it: its schema (as served to clients) and its validator. */
export interface CompiledForm {
  schema: JsonSchema;
  validate: PayloadValidator;
}

export interface PayloadCompilerOptions {
  /**
   * The engine as it was before forms were bounded and patterns ran on RE2: no default
   * `maxLength`/`maxItems`, JavaScript RegExp. Only for replaying workflows that started then.
   */
  legacy?: boolean;
}

/**
 * A form as the engine enforces it: with its default bounds (as it was, for a legacy engine).
 *
 * @example
 * formSchema(undefined) // EMPTY_PAYLOAD_SCHEMA
 */
export function formSchema(
  form: JsonSchema | undefined,
  options: PayloadCompilerOptions = {},
): JsonSchema {
  const given = form ?? EMPTY_PAYLOAD_SCHEMA;
  return options.legacy ? given : boundedForm(given);
}

/**
 * The engine's form compiler: schemas (as `formSchema` makes them) are compiled once per process
 * by their text (see `payloadSchemaCompiler`) and reused for every event and config version.
 *
 * @example
 * const compile = createPayloadCompiler();
 * compile(formSchema(config.events.BOOK_TALK.payload))({ dato: '2027-01-15' }) // true
 */
export function createPayloadCompiler(
  options: PayloadCompilerOptions = {},
): (schema: JsonSchema) => PayloadValidator {
  return payloadSchemaCompiler({ backtrackingRegExp: options.legacy });
}

export type PayloadCheck =
  { ok: true; payload: Record<string, unknown> } | { ok: false; details: Rejection['details'] };

/**
 * Validates a payload; a missing payload is an empty object.
 *
 * @example
 * checkPayload(validator, { utfall: 'x' })
 * // { ok: false, details: [{ path: '/utfall', message: 'must be equal to one of the allowed values',
 * //   nb: 'Må være en av: «ja», «nei».' }] }
 */
export function checkPayload(validate: PayloadValidator, payload: unknown): PayloadCheck {
  const value = payload === undefined ? {} : payload;
  if (validate(value)) {
    // Forms are objects at the top level; anything else cannot carry named fields.
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return {
        ok: false,
        details: [{ path: '', message: 'must be an object', nb: 'Skjemaet må være et objekt.' }],
      };
    }
    return { ok: true, payload: value as Record<string, unknown> };
  }
  // An `if`/`then` failure is also reported as the `then` branch's own errors; keep only those.
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
  // A field a choice asks for is bounded where it is declared and again under the choice
  // (formSchema bounds both), so one too-long text fails twice alike: say it once.
  const seen = new Set<string>();
  const details: Rejection['details'] = [];
  for (const detail of errors.map(detailOf)) {
    const key = `${detail.path}\u0000${detail.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    details.push(detail);
  }
  return { ok: false, details };
}

function detailOf(error: ErrorObject): Rejection['details'][number] {
  const params = error.params as Record<string, unknown>;
  // Point at the missing or unexpected property itself, not at the object holding it.
  const child =
    error.keyword === 'required'
      ? params.missingProperty
      : error.keyword === 'additionalProperties'
        ? params.additionalProperty
        : undefined;
  const path =
    typeof child === 'string'
      ? `${error.instancePath}/${escapePointerSegment(child)}`
      : error.instancePath;
  return { path, message: error.message ?? error.keyword, nb: fieldMessageNb(error) };
}

/**
 * The field's reason in bokmål for a caseworker: our own words where the path already names the
 * field (required, unknown) or ajv-i18n's would read as jargon (patterns, formats), else ajv-i18n's.
 */
export function fieldMessageNb(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return 'Må fylles ut.';
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return 'Feltet finnes ikke i skjemaet.';
    case 'enum':
      if (Array.isArray(params.allowedValues) && params.allowedValues.length <= 20)
        return `Må være en av: ${params.allowedValues.map((v) => `«${String(v)}»`).join(', ')}.`;
      break;
    case 'pattern':
      return 'Har ikke riktig form.';
    case 'format':
      return mustHaveFormatNb(error);
    case 'type':
      return mustBeTypeNb(params.type);
    case 'unevaluatedItems':
      return `Kan ikke ha flere enn ${String(params.len)} elementer.`;
  }
  return ajvSentenceNb(error);
}
