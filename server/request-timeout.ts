/**
 * A request that has not been answered after `ms` gets a 503, so a stuck dependency never
 * holds a client forever. Streams opt out by setting `res.locals.streaming`.
 *
 * @module
 */
import type { RequestHandler } from 'express';
import { ApiError } from './api-error';

export function requestTimeout(ms: number): RequestHandler {
  return (_req, res, next) => {
    const timer = setTimeout(() => {
      if (res.headersSent || res.locals.streaming) return;
      next(
        new ApiError(
          'REQUEST_TIMEOUT',
          `no answer within ${Math.round(ms / 1000)} s; the case engine may be slow: retry`,
          `Ikke noe svar innen ${Math.round(ms / 1000)} sekunder; saksmotoren kan være treg. Prøv igjen.`,
        ),
      );
    }, ms);
    timer.unref();
    res.once('close', () => clearTimeout(timer));
    next();
  };
}
