/**
 * The last middleware: every error becomes `{ error: { code, message, details } }` with the
 * status from the one table in `error-codes.ts`. Body-reader errors (too large, compressed) are
 * client errors; anything unknown is logged and answered 500 without details. The log gets the
 * error's class and stack frames, never its message: messages may quote a body, a URL with ids
 * or a token.
 *
 * @module
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../runtime/logger';
import { ApiError } from './api-error';
import { ErrorNb } from './error-codes';
import { loggableError } from './loggable-error';

interface HttpError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

function fromBodyParser(err: HttpError): ApiError | undefined {
  // A path segment with broken percent-encoding (express cannot decode the parameter).
  if (err instanceof URIError) {
    return new ApiError('VALIDATION_FAILED', 'the path is not valid', 'Adressen er ugyldig.', [
      { path: '/path', message: 'malformed percent-encoding', nb: 'Ugyldig %-koding i adressen.' },
    ]);
  }
  switch (err.type) {
    case 'entity.too.large':
      return new ApiError(
        'PAYLOAD_TOO_LARGE',
        `the body is larger than ${err.limit ?? 'the limit of'} bytes`,
        err.limit ? `Forespørselen er større enn ${err.limit} byte.` : ErrorNb.PAYLOAD_TOO_LARGE,
        [
          {
            path: '/body',
            message: `at most ${err.limit ?? 'the limit of'} bytes here`,
            nb: err.limit ? `Høyst ${err.limit} byte her.` : 'For stor.',
          },
        ],
      );
    case 'encoding.unsupported':
      return new ApiError(
        'UNSUPPORTED_MEDIA_TYPE',
        'send the body as uncompressed UTF-8 JSON',
        'Send forespørselen som ukomprimert JSON i UTF-8.',
        [
          {
            path: '/headers/content-encoding',
            message: 'send no Content-Encoding',
            nb: 'Send ingen Content-Encoding.',
          },
        ],
      );
  }
  if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
    return new ApiError(
      'VALIDATION_FAILED',
      'the request could not be read',
      'Forespørselen kunne ikke leses.',
      [
        {
          path: '/body',
          message: 'the body ended early or did not match its length',
          nb: 'Innholdet sluttet for tidlig eller stemte ikke med lengden.',
        },
      ],
    );
  }
  return undefined;
}

export function notFoundHandler(): RequestHandler {
  return (req, _res, next) =>
    next(new ApiError('NOT_FOUND', `no route ${req.method} for this path`, ErrorNb.NOT_FOUND));
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) {
      // A stream or a late timeout: nothing more can be said to this client.
      if (!(err instanceof ApiError))
        logger.error(
          { ...loggableError(err), route: res.locals.route },
          'error after the answer started',
        );
      return next(err);
    }
    const apiError = err instanceof ApiError ? err : fromBodyParser(err as HttpError);
    if (!apiError) {
      logger.error({ ...loggableError(err), route: res.locals.route }, 'unexpected error');
      res.locals.errorCode = 'INTERNAL';
      res.status(500).json({
        error: {
          code: 'INTERNAL',
          message: 'something went wrong on our side',
          nb: ErrorNb.INTERNAL,
          details: [],
        },
      });
      return;
    }
    res.locals.errorCode = apiError.code;
    // RFC 6750: no error attribute when no token was sent at all.
    if (apiError.status === 401) {
      res.setHeader(
        'WWW-Authenticate',
        apiError.code === 'TOKEN_MISSING'
          ? 'Bearer realm="sluse"'
          : 'Bearer realm="sluse", error="invalid_token"',
      );
    }
    if (apiError.status === 503) res.setHeader('Retry-After', '2');
    res.status(apiError.status).json(apiError.toBody());
  };
}
