/**
 * The OpenAPI 3.1 document, generated from the route definitions and their zod schemas
 * (`z.toJSONSchema`, JSON Schema 2020-12 — OpenAPI 3.1's own dialect). What it says is what
 * `toHandler` parses and what the services return.
 *
 * @module
 */
import { z } from 'zod';
import { ErrorBody, IdempotencyKey } from './api-schemas';
import { ErrorStatus } from './error-codes';
import type { RouteDef } from './route-definition';

type JsonSchema = Record<string, unknown>;

/** Statuses every authenticated route may answer. */
const COMMON_ERRORS = [400, 401, 403, 429, 503];

const statusText: Record<number, string> = {
  400: 'Malformed request (bad JSON, wrong types, unknown fields)',
  401: 'No token, or an invalid or expired one',
  403: 'Your role (or kommune) may not do this',
  404: 'No such case or kommune (another kommune’s case looks exactly like a missing one)',
  409: 'Stale revision, or an Idempotency-Key reused with another request',
  413: 'Body too large',
  415: 'Body is not application/json',
  422: 'Not allowed now, or the payload fails its form (failing field paths and allowed events in the error)',
  429: 'Too many requests for this token',
  503: 'The case engine (Temporal) or the identity provider did not answer, or the layout and validation threads are all busy; retry',
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

function codesFor(status: number): string[] {
  return Object.entries(ErrorStatus)
    .filter(([, s]) => s === status)
    .map(([code]) => code);
}

function parameters(def: RouteDef, kommuner: string[]): JsonSchema[] {
  const out: JsonSchema[] = [];
  const params = jsonSchema(def.params, 'input') as { properties?: Record<string, JsonSchema> };
  for (const [name, schema] of Object.entries(params.properties ?? {})) {
    // The known kommune ids, so generated requests (and people) pick real ones.
    const s =
      name === 'kommune' && kommuner.length > 0 ? { type: 'string', enum: kommuner } : schema;
    out.push({ name, in: 'path', required: true, schema: s });
  }
  if (def.query) {
    const query = jsonSchema(def.query, 'input') as {
      properties?: Record<string, JsonSchema>;
      required?: string[];
    };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      out.push({
        name,
        in: 'query',
        required: query.required?.includes(name) ?? false,
        schema,
        ...(schema.description ? { description: schema.description } : {}),
      });
    }
  }
  if (def.idempotent) {
    out.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Makes the request safe to retry: the same key gets the same answer.',
      schema: jsonSchema(IdempotencyKey.unwrap(), 'input'),
    });
  }
  return out;
}

export function openApiDocument(
  routes: RouteDef[],
  kommuner: string[],
  info: { version: string },
): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const def of routes) {
    const path = `/api/v1${def.path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
    const responses: Record<string, JsonSchema> = {};
    if ('stream' in def.success) {
      responses['200'] = {
        description: def.success.description ?? 'An event stream of case snapshots',
        content: { [def.success.mediaType ?? 'text/event-stream']: { schema: { type: 'string' } } },
      };
    } else {
      responses[String(def.success.status)] = {
        description: def.summary,
        content: { 'application/json': { schema: jsonSchema(def.success.schema, 'output') } },
      };
    }
    for (const status of [...new Set([...COMMON_ERRORS, ...def.errors])].sort()) {
      responses[String(status)] = {
        description: `${statusText[status] ?? 'Error'}. Codes: ${codesFor(status).join(', ')}`,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    paths[path] ??= {};
    paths[path][def.method] = {
      operationId: def.operationId,
      summary: def.summary,
      ...(def.description ? { description: def.description } : {}),
      parameters: parameters(def, kommuner),
      ...(def.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(def.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sluse coordinators’ API',
      version: info.version,
      description:
        'Open and advance family-service cases through a kommune’s sluices. Bearer JWTs with the claims ' +
        '`sub`, `kommune` and `role`. Errors: `{error: {code, message, nb, details: [{path, message, nb}]}}` ' +
        'with a stable `code`, `message` in English and `nb` the same in Norwegian bokmål; ' +
        '`details[].path` is a JSON pointer into the request (`/body/payload/…`, `/query/…`, `/path/…`).',
    },
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: jsonSchema(ErrorBody, 'output') },
    },
  };
}
