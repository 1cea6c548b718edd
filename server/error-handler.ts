/**
 * The last middleware: every error becomes `{ error: { code, message, details } }` with the
 * status from the one table in `error-codes.ts`. Body-parser errors (bad JSON, too large) are
 * client errors; anything unknown is logged with its stack and answered 500 without details.
 *
 * @module
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../runtime/logger';
import { ApiError } from './api-error';

interface HttpError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

function fromBodyParser(err: HttpError): ApiError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new ApiError('MALFORMED_JSON', 'the body is not valid JSON', [{ path: '/body', message: err.message }]);
    case 'entity.too.large':
      return new ApiError('PAYLOAD_TOO_LARGE', `the body is larger than ${err.limit ?? 'the limit of'} bytes`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError('UNSUPPORTED_MEDIA_TYPE', 'send the body as UTF-8 JSON');
  }
  if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
    return new ApiError('VALIDATION_FAILED', 'the request could not be read', [{ path: '/body', message: err.message }]);
  }
  return undefined;
}

export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => next(new ApiError('NOT_FOUND', `no route ${req.method} for this path`));
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) {
      // A stream or a late timeout: nothing more can be said to this client.
      if (!(err instanceof ApiError)) logger.error({ err: (err as Error)?.message }, 'error after the answer started');
      return next(err);
    }
    const apiError = err instanceof ApiError ? err : fromBodyParser(err as HttpError);
    if (!apiError) {
      logger.error({ err: (err as Error)?.stack ?? String(err), route: res.locals.route }, 'unexpected error');
      res.locals.errorCode = 'INTERNAL';
      res.status(500).json({ error: { code: 'INTERNAL', message: 'something went wrong on our side', details: [] } });
      return;
    }
    res.locals.errorCode = apiError.code;
    // RFC 6750: no error attribute when no token was sent at all.
    if (apiError.status === 401) {
      res.setHeader('WWW-Authenticate', apiError.code === 'TOKEN_MISSING' ? 'Bearer realm="sluse"' : 'Bearer realm="sluse", error="invalid_token"');
    }
    if (apiError.status === 503) res.setHeader('Retry-After', '2');
    res.status(apiError.status).json(apiError.toBody());
  };
}
