/**
 * Walks the JSON Schemas written inside a config (payload forms, case fields) subschema by
 * subschema, with each one's JSON pointer and what it describes:
 * - `value`: a value the payload holds (a property, an array item) — where free-text and list
 *   bounds belong;
 * - `same`: the same value as its parent (`allOf`, `then`, `$defs` …) — bounded where it is used;
 * - `test`: a condition (`not`, `if`, `contains`, `propertyNames`) — never bounded, since
 *   tightening a condition changes what it means (a bounded `not` would widen the form).
 *
 * @module
 */
import type { JsonSchema } from './types';
import { childPointer } from './json-pointer';

export type SchemaPosition = 'value' | 'same' | 'test';

/** Subschema keywords (JSON Schema 2020-12) and the position of what they hold. */
const SINGLE: Record<string, SchemaPosition> = {
  additionalProperties: 'value',
  unevaluatedProperties: 'value',
  items: 'value',
  unevaluatedItems: 'value',
  then: 'same',
  else: 'same',
  not: 'test',
  if: 'test',
  contains: 'test',
  propertyNames: 'test',
};
const LISTS: Record<string, SchemaPosition> = {
  prefixItems: 'value',
  allOf: 'same',
  anyOf: 'same',
  oneOf: 'same',
};
const MAPS: Record<string, SchemaPosition> = {
  properties: 'value',
  patternProperties: 'value',
  dependentSchemas: 'same',
  $defs: 'same',
};

export type SchemaVisitor = (
  schema: JsonSchema | boolean,
  path: string,
  position: SchemaPosition,
) => JsonSchema | boolean;

/**
 * Rebuilds `schema` bottom-up through `visit`, which sees every subschema (children already
 * rebuilt) and returns its replacement; below a `test` everything is `test`. Returns a new
 * schema; the input is not changed.
 *
 * @example
 * mapSchema(form, '/events/X/payload', (s) => s) // a deep copy
 */
export function mapSchema(
  schema: JsonSchema | boolean,
  path: string,
  visit: SchemaVisitor,
  position: SchemaPosition = 'same',
): JsonSchema | boolean {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return visit(schema, path, position);
  }
  const under = (p: SchemaPosition): SchemaPosition => (position === 'test' ? 'test' : p);
  const isSchema = (v: unknown): v is JsonSchema | boolean =>
    typeof v === 'boolean' || (typeof v === 'object' && v !== null && !Array.isArray(v));
  const copy: JsonSchema = { ...schema };
  for (const [key, value] of Object.entries(schema)) {
    const at = childPointer(path, key);
    if (Object.hasOwn(SINGLE, key) && isSchema(value)) {
      copy[key] = mapSchema(value, at, visit, under(SINGLE[key]));
    } else if (Object.hasOwn(LISTS, key) && Array.isArray(value)) {
      copy[key] = value.map((item, i) =>
        isSchema(item) ? mapSchema(item, childPointer(at, i), visit, under(LISTS[key])) : item,
      );
    } else if (Object.hasOwn(MAPS, key) && isSchema(value) && typeof value === 'object') {
      copy[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [
          name,
          isSchema(sub) ? mapSchema(sub, childPointer(at, name), visit, under(MAPS[key])) : sub,
        ]),
      );
    }
  }
  return visit(copy, path, position);
}

/** Calls `visit` on every subschema of `schema`, for checks that only look. */
export function eachSubschema(
  schema: JsonSchema | boolean,
  path: string,
  visit: (schema: JsonSchema | boolean, path: string, position: SchemaPosition) => void,
): void {
  mapSchema(schema, path, (s, p, position) => {
    visit(s, p, position);
    return s;
  });
}
