/**
 * Follows a dotted path (`risikofaktorer.atferdsendring`, `barn.0.alder`) into a form's JSON
 * Schema, as rules read payloads and case fields: does every step exist, and is the value
 * always there (every step required, or an item an array is known to have)?
 *
 * @module
 */
import type { JsonSchema } from './types';

/** Whether a value is always there: `yes`, `maybe` missing, or `unknown` (the form does not say). */
export type Presence = 'yes' | 'maybe' | 'unknown';

export type PathLookup =
  | { found: true; presence: Presence }
  /**
   * `segments[index]` is not declared where it is read; `declared` are the names that are, and
   * `notAnObject` is set when the value there cannot hold properties at all.
   */
  | { found: false; index: number; declared: string[]; notAnObject?: boolean };

function asObject(schema: unknown): JsonSchema | undefined {
  return typeof schema === 'object' && schema !== null && !Array.isArray(schema)
    ? (schema as JsonSchema)
    : undefined;
}

function allowsType(schema: JsonSchema, type: string): boolean {
  const t = schema.type;
  return t === undefined || t === type || (Array.isArray(t) && t.includes(type));
}

/** The schema itself and the branches that describe the same value, one level deep. */
function facets(schema: JsonSchema): { all: JsonSchema[]; always: JsonSchema[] } {
  const schemas = (list: unknown[]): JsonSchema[] =>
    list.map(asObject).filter((s): s is JsonSchema => s !== undefined);
  const branches = (key: string): JsonSchema[] => {
    const list = schema[key];
    return Array.isArray(list) ? schemas(list) : [];
  };
  const conditional = schemas([schema.then, schema.else]);
  const always = [schema, ...branches('allOf')];
  return { all: [...always, ...branches('anyOf'), ...branches('oneOf'), ...conditional], always };
}

function lookupMember(
  schema: JsonSchema,
  name: string,
): { child: unknown; required: boolean } | string[] | undefined {
  const { all, always } = facets(schema);
  const declared = new Map<string, unknown>();
  for (const facet of all) {
    const props = asObject(facet.properties);
    for (const [key, child] of Object.entries(props ?? {}))
      if (!declared.has(key)) declared.set(key, child);
  }
  if (declared.has(name)) {
    const required = always.some((f) => Array.isArray(f.required) && f.required.includes(name));
    return { child: declared.get(name), required };
  }
  // Names other than the declared ones may still be welcome: a map-like object.
  const open = all.some(
    (f) =>
      (f.additionalProperties !== undefined && f.additionalProperties !== false) ||
      f.patternProperties !== undefined,
  );
  if (open) return undefined;
  if (declared.size > 0 || all.some((f) => f.additionalProperties === false))
    return [...declared.keys()];
  return undefined;
}

/**
 * Looks `segments` up in `schema`.
 *
 * @example
 * lookupPath({ type: 'object', properties: { a: { type: 'integer' } } }, ['b'])
 * // { found: false, index: 0, declared: ['a'] }
 */
export function lookupPath(schema: unknown, segments: string[]): PathLookup {
  let current = asObject(schema);
  let presence: Presence = 'yes';
  for (const [index, segment] of segments.entries()) {
    if (current === undefined)
      return { found: true, presence: presence === 'maybe' ? 'maybe' : 'unknown' };
    const listed = current.items !== undefined || current.prefixItems !== undefined;
    if (
      /^(0|[1-9]\d*)$/.test(segment) &&
      (listed || (current.type !== undefined && allowsType(current, 'array')))
    ) {
      const i = Number(segment);
      const prefix = Array.isArray(current.prefixItems) ? current.prefixItems : [];
      const minItems = typeof current.minItems === 'number' ? current.minItems : 0;
      if (minItems <= i && presence === 'yes') presence = 'maybe';
      current = asObject(i < prefix.length ? prefix[i] : current.items);
      continue;
    }
    // JSON Logic reads `.length` of a list or a text like any property.
    if (
      segment === 'length' &&
      current.type !== undefined &&
      (allowsType(current, 'array') || allowsType(current, 'string'))
    ) {
      current = { type: 'integer' };
      continue;
    }
    if (!allowsType(current, 'object'))
      return { found: false, index, declared: [], notAnObject: true };
    const member = lookupMember(current, segment);
    if (Array.isArray(member)) return { found: false, index, declared: member };
    if (member === undefined)
      return { found: true, presence: presence === 'maybe' ? 'maybe' : 'unknown' };
    if (!member.required && presence === 'yes') presence = 'maybe';
    current = asObject(member.child);
  }
  return { found: true, presence };
}
