/**
 * Bounds on what a payload form accepts, so no user can type a case past Temporal's payload and
 * history limits. Every string a form holds without its own `maxLength` gets
 * `FormLimits.textLength`; every array without `maxItems` gets `FormLimits.items`. A config may set
 * its own bound, lower or higher, but never above the hard caps (a config error). The engine
 * compiles the bounded form and the API serves it, so the bound a form shows is the one enforced.
 *
 * @module
 */
import type { ConfigError } from './config-error';
import type { JsonSchema } from './types';
import { mapSchema, eachSubschema } from './schema-walk';

export const FormLimits = {
  /** Default `maxLength` of free text: about two pages of notes. */
  textLength: 4_000,
  /** The largest `maxLength` a config may set. */
  maxTextLength: 20_000,
  /** Default `maxItems` of a list in a form. */
  items: 100,
  /** The largest `maxItems` a config may set. */
  maxItems: 1_000,
} as const;

function allows(schema: JsonSchema, type: string): boolean {
  const t = schema.type;
  return t === undefined || t === type || (Array.isArray(t) && t.includes(type));
}

/**
 * `form` with the default bounds filled in wherever a value of the payload may be a string or an
 * array without its own bound. `true` (anything) becomes a bounded anything.
 *
 * @example
 * boundedForm({ type: 'object', properties: { note: { type: 'string' } } })
 * // { type: 'object', properties: { note: { type: 'string', maxLength: 4000 } } }
 */
export function boundedForm(form: JsonSchema): JsonSchema {
  return mapSchema(form, '', (schema, _path, position) => {
    if (position !== 'value' || schema === false) return schema;
    const s: JsonSchema = schema === true ? {} : schema;
    const bounds: JsonSchema = {};
    if (allows(s, 'string') && s.maxLength === undefined) bounds.maxLength = FormLimits.textLength;
    if (allows(s, 'array') && s.maxItems === undefined) bounds.maxItems = FormLimits.items;
    return Object.keys(bounds).length === 0 ? schema : { ...s, ...bounds };
  }) as JsonSchema;
}

/** A `maxLength` or `maxItems` above the hard caps, wherever it sits in `form`. */
export function formBoundErrors(form: JsonSchema, path: string): ConfigError[] {
  const errors: ConfigError[] = [];
  eachSubschema(form, path, (schema, at) => {
    if (typeof schema !== 'object') return;
    const over = (keyword: string, cap: number, what: string): void => {
      const value = schema[keyword];
      if (typeof value === 'number' && value > cap) {
        errors.push({
          path: `${at}/${keyword}`,
          message: `${keyword} ${value} is above the largest ${what} a form may take (${cap})`,
          code: 'FORM_BOUND_TOO_HIGH',
          nb: `${keyword} ${value} er over det største et skjema kan ta imot (${cap}). Senk den til høyst ${cap}; uten ${keyword} tar et skjema imot ${keyword === 'maxLength' ? `${FormLimits.textLength} tegn` : `${FormLimits.items} elementer`}.`,
          hint: `lower it to at most ${cap}; without ${keyword} a form takes ${keyword === 'maxLength' ? FormLimits.textLength : FormLimits.items}`,
        });
      }
    };
    over('maxLength', FormLimits.maxTextLength, 'text');
    over('maxItems', FormLimits.maxItems, 'list');
  });
  return errors;
}
