/**
 * Semantic check of the JSON Schemas written inside a config (payload forms and case fields):
 * each must compile with the same ajv settings the engine uses to validate payloads, and payload
 * forms must describe an object, since effects and rules read named properties from them, and may
 * only require properties they declare.
 */
import type Ajv2020 from 'ajv/dist/2020';
import type { ConfigError } from './config-error';
import type { JsonSchema, KommuneConfig } from './types';
import { createPayloadAjv } from './create-ajv';
import { pointer } from './json-pointer';

export function checkSchemas(config: KommuneConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const ajv = createPayloadAjv();
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
    const compileError = schemaCompileError(ajv, schema, path);
    if (compileError) {
      errors.push(compileError);
      continue;
    }
    if (schema.type !== 'object') {
      errors.push({
        path: `${path}/type`,
        message: 'a payload form must have "type": "object"',
        hint: 'list the form\'s inputs under "properties"',
      });
    }
    errors.push(...undeclaredRequired(schema, path));
  }
  for (const [name, schema] of Object.entries(config.fields ?? {})) {
    const compileError = schemaCompileError(ajv, schema, pointer('fields', name));
    if (compileError) errors.push(compileError);
  }
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
            hint: `its properties: ${Object.keys(props).join(', ')}`,
          },
        ]
      : [],
  );
}

function schemaCompileError(
  ajv: Ajv2020,
  schema: JsonSchema,
  path: string,
): ConfigError | undefined {
  try {
    ajv.compile(schema);
    return undefined;
  } catch (error) {
    return {
      path,
      message: `not a valid JSON Schema: ${(error as Error).message}`,
      hint: 'payload forms and fields are JSON Schema 2020-12; check keyword spelling and "required" names',
    };
  } finally {
    // Forget it again, so two forms may carry the same $id.
    ajv.removeSchema(schema);
  }
}
