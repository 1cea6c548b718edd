/**
 * Semantic check of the JSON Schemas written inside a config (payload forms and case fields):
 * each must compile with the same ajv settings the engine uses to validate payloads, and payload
 * forms must describe an object, since effects and rules read named properties from them.
 */
import type { ConfigError } from './config-error';
import type { JsonSchema, KommuneConfig } from './types';
import { createPayloadAjv } from './create-ajv';
import { pointer } from './json-pointer';

export function checkSchemas(config: KommuneConfig): ConfigError[] {
  const errors: ConfigError[] = [];
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
    const compileError = schemaCompileError(schema, path);
    if (compileError) errors.push(compileError);
    else if (schema.type !== 'object') {
      errors.push({
        path: `${path}/type`,
        message: 'a payload form must have "type": "object"',
        hint: 'list the form\'s inputs under "properties"',
      });
    }
  }
  for (const [name, schema] of Object.entries(config.fields ?? {})) {
    const compileError = schemaCompileError(schema, pointer('fields', name));
    if (compileError) errors.push(compileError);
  }
  return errors;
}

function schemaCompileError(schema: JsonSchema, path: string): ConfigError | undefined {
  // A fresh instance per schema: the same $id in two forms must not collide.
  try {
    createPayloadAjv().compile(schema);
    return undefined;
  } catch (error) {
    return {
      path,
      message: `not a valid JSON Schema: ${(error as Error).message}`,
      hint: 'payload forms and fields are JSON Schema 2020-12; check keyword spelling and "required" names',
    };
  }
}
