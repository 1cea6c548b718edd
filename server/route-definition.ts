/**
 * A route as data: its method, path, zod schemas for path, query, body and answer, and the
 * error statuses it may give. `api-router.ts` registers these on express (parse → call one
 * service function → answer) and `openapi.ts` documents the very same definitions, so the
 * document cannot drift from what the server does.
 *
 * @module
 */
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { escapePointerSegment } from '../config/json-pointer';
import { ApiError, type ErrorDetail } from './api-error';
import { IdempotencyKey } from './api-schemas';
import type { Principal } from './authenticate';
import { zodIssueNb } from './zod-nb';

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal;
  idempotencyKey: string | undefined;
  req: Request;
  res: Response;
}

export interface RouteDef<P = unknown, Q = unknown, B = unknown> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express pattern under /api/v1, e.g. `/kommuner/:kommune/cases/:caseId`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  params: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** The largest body this route reads, in bytes (default: the API's global body limit). */
  bodyLimitBytes?: number;
  /** Accepts an `Idempotency-Key` header. */
  idempotent?: boolean;
  /** `stream`: the handler answers itself (an event stream, a file), as `mediaType` (default SSE). */
  success:
    | { status: 200 | 201; schema: z.ZodType }
    | { status: 200; stream: true; mediaType?: string; description?: string };
  /** Statuses beyond the ones every authenticated route may give (400, 401, 403, 429, 503). */
  errors: number[];
  handler(input: RouteInput<P, Q, B>): Promise<unknown>;
}

/** Keeps each route's generic types while collecting them in one list. */
export function defineRoute<P, Q, B>(def: RouteDef<P, Q, B>): RouteDef {
  return def as unknown as RouteDef;
}

function issuesToDetails(prefix: string, error: z.ZodError): ErrorDetail[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = [...issue.path, ...keys.slice(0, 1)].map((p) =>
      escapePointerSegment(typeof p === 'symbol' ? String(p) : p),
    );
    return {
      path: [prefix, ...path].join('/'),
      message:
        issue.code === 'unrecognized_keys'
          ? `unknown field${keys.length > 1 ? 's' : ''}: ${keys.join(', ')}`
          : issue.message,
      nb: zodIssueNb(issue),
    };
  });
}

function parsePart<T>(
  schema: z.ZodType<T>,
  value: unknown,
  prefix: string,
  errors: ErrorDetail[],
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  errors.push(...issuesToDetails(prefix, result.error));
  return undefined as T;
}

/** The express handler of a route: parse every part, call the service, answer. */
export function toHandler(def: RouteDef): RequestHandler {
  return async (req, res, next) => {
    res.locals.route = def.path;
    try {
      const errors: ErrorDetail[] = [];
      const params = parsePart(def.params, { ...req.params }, '/path', errors);
      const query = def.query
        ? parsePart(def.query, { ...(req.query as object) }, '/query', errors)
        : undefined;
      const body = def.body ? parsePart(def.body, req.body, '/body', errors) : undefined;
      const rawKey = req.headers['idempotency-key'];
      let idempotencyKey: string | undefined;
      if (rawKey !== undefined) {
        if (!def.idempotent) {
          errors.push({
            path: '/headers/idempotency-key',
            message: 'this operation does not take an Idempotency-Key',
            nb: 'Denne forespørselen tar ingen Idempotency-Key.',
          });
        } else {
          idempotencyKey = parsePart(IdempotencyKey, rawKey, '/headers/idempotency-key', errors);
        }
      }
      if (errors.length > 0)
        throw new ApiError(
          'VALIDATION_FAILED',
          'the request is not valid',
          'Forespørselen er ikke gyldig. Se feltene.',
          errors,
        );
      const result = await def.handler({
        params,
        query,
        body,
        principal: req.principal!,
        idempotencyKey,
        req,
        res,
      });
      if ('stream' in def.success || res.headersSent) return;
      res.status(def.success.status).json(result);
    } catch (err) {
      next(err);
    }
  };
}

/**
 * Refuses a route table where two routes share a method and path (express would serve only the
 * first, silently) or an operationId (the OpenAPI document would name two operations alike).
 */
export function assertUniqueRoutes(routes: readonly RouteDef[]): void {
  const seen = new Map<string, string>();
  for (const def of routes) {
    for (const key of [
      `${def.method.toUpperCase()} ${def.path}`,
      `operationId ${def.operationId}`,
    ]) {
      const other = seen.get(key);
      if (other !== undefined)
        throw new Error(`two routes declare ${key}: ${other} and ${def.operationId}`);
      seen.set(key, def.operationId);
    }
  }
}
