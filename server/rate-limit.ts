/**
 * Per-token rate limit: each signed-in user (issuer + subject) gets `limit` requests per
 * window, so one runaway client cannot starve a kommune's other coordinators. Runs after
 * authentication; the answer is the API's own 429 error body with `Retry-After`.
 *
 * @module
 */
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { ApiError } from './api-error';

export interface RateLimitOptions {
  limit: number;
  windowMs: number;
}

export function perTokenRateLimit(options: RateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => req.principal?.key ?? 'anonymous',
    handler: (_req, _res, next, opts) =>
      next(
        new ApiError(
          'RATE_LIMITED',
          `more than ${opts.limit} requests in ${Math.round(options.windowMs / 1000)} s; slow down`,
          `Mer enn ${opts.limit} forespørsler på ${Math.round(options.windowMs / 1000)} sekunder. Vent litt og prøv igjen.`,
        ),
      ),
  });
}
