/**
 * Semantic check of the JSON Schemas written inside a config (payload forms and case fields):
 * each must compile with the engine's own ajv (create-ajv.ts) — a payload form as the engine
 * compiles it, with its default bounds (form-bounds.ts) — every pattern must be one RE2 can run
 * (linear-regexp.ts), payload forms must describe an object, since effects and rules read named
 * properties from them, and may only require properties they declare.
 */
import type { ConfigError } from './config-error';
import type { JsonSchema, KommuneConfig } from './types';
import { payloadSchemaCompiler } from './create-ajv';
import { boundedForm, formBoundErrors } from './form-bounds';
import { childPointer, pointer } from './json-pointer';
import { linearRegExpError } from './linear-regexp';
import { eachSubschema } from './schema-walk';

export function checkSchemas(config: KommuneConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  // The engine's own compiler: publishing's engine check then finds these forms compiled.
  const compile = payloadSchemaCompiler();
  const forms: Array<[JsonSchema | undefined, string]> = [
    [config.intake.payload, pointer('intake', 'payload')],
    [config.reopen?.payload, pointer('reopen', 'payload')],
    ...Object.entries(config.events).map(([id, e]): [JsonSchema | undefined, string] => [
      e.payload,
      pointer('events', id, 'payload'),
    ]),
  ];
  for (const [schema, path] of forms) {
    if (schema === undefined) continue;
    const refused = [...patternErrors(schema, path), ...formBoundErrors(schema, path)];
    errors.push(...refused);
    if (refused.length > 0) continue;
    const compileError = schemaCompileError(compile, boundedForm(schema), path);
    if (compileError) {
      errors.push(compileError);
      continue;
    }
    if (schema.type !== 'object') {
      errors.push({
        path: `${path}/type`,
        message: 'a payload form must have "type": "object"',
        code: 'FORM_NOT_OBJECT',
        nb: 'Et skjema må ha "type": "object". List skjemaets felter under «properties».',
        hint: 'list the form\'s inputs under "properties"',
      });
    }
    errors.push(...undeclaredRequired(schema, path));
  }
  for (const [name, schema] of Object.entries(config.fields ?? {})) {
    const path = pointer('fields', name);
    const refused = patternErrors(schema, path);
    errors.push(...refused);
    if (refused.length > 0) continue;
    const compileError = schemaCompileError(compile, schema, path);
    if (compileError) errors.push(compileError);
  }
  return errors;
}

/** Every `pattern` and `patternProperties` name RE2 cannot run, at its own JSON path. */
function patternErrors(schema: JsonSchema, path: string): ConfigError[] {
  const errors: ConfigError[] = [];
  const refuse = (pattern: string, at: string): void => {
    const why = linearRegExpError(pattern);
    if (why === undefined) return;
    errors.push({
      path: at,
      message: `the pattern ${JSON.stringify(pattern)} cannot be used: ${why}`,
      code: 'PATTERN_NOT_SUPPORTED',
      nb: `Mønsteret ${JSON.stringify(pattern)} kan ikke brukes (${why}). Mønstre kjøres med RE2, som ikke har tilbakereferanser (\\1) eller lookaround ((?=, (?!, (?<=); skriv det om uten dem.`,
      hint: 'patterns run on RE2, which has no backreferences (\\1) or lookaround ((?=, (?!, (?<=); rewrite it without them',
    });
  };
  eachSubschema(schema, path, (sub, at) => {
    if (typeof sub !== 'object') return;
    if (typeof sub.pattern === 'string') refuse(sub.pattern, childPointer(at, 'pattern'));
    const named = sub.patternProperties;
    if (typeof named === 'object' && named !== null && !Array.isArray(named)) {
      for (const key of Object.keys(named)) refuse(key, childPointer(at, 'patternProperties', key));
    }
  });
  return errors;
}

/** A misspelt `required` name makes the form impossible to fill in; ajv only checks this strictly. */
function undeclaredRequired(schema: JsonSchema, path: string): ConfigError[] {
  const props = schema.properties;
  if (!Array.isArray(schema.required) || typeof props !== 'object' || props === null) return [];
  return schema.required.flatMap((name: unknown, i: number): ConfigError[] =>
    typeof name === 'string' && !Object.hasOwn(props, name)
      ? [
          {
            path: `${path}/required/${i}`,
            message: `requires "${name}", which is not among its properties`,
            code: 'FORM_REQUIRES_UNDECLARED' as const,
            nb: `Skjemaet krever feltet «${name}», som det ikke har. Feltene er: ${Object.keys(props).join(', ')}.`,
            hint: `its properties: ${Object.keys(props).join(', ')}`,
          },
        ]
      : [],
  );
}

function schemaCompileError(
  compile: (schema: JsonSchema) => unknown,
  schema: JsonSchema,
  path: string,
): ConfigError | undefined {
  try {
    compile(schema);
    return undefined;
  } catch (error) {
    return {
      path,
      message: `not a valid JSON Schema: ${(error as Error).message}`,
      code: 'FORM_SCHEMA_INVALID',
      nb: `Dette er ikke gyldig JSON Schema (${(error as Error).message}). Skjemaer og felter skrives i JSON Schema 2020-12; sjekk stavingen av nøkkelord og navnene i «required».`,
      hint: 'payload forms and fields are JSON Schema 2020-12; check keyword spelling and "required" names',
    };
  }
}
