/**
 * One log line per request: method, route pattern, status, duration and error code. Never the
 * URL (it holds ids), the body, the query or the token: those may carry personal data.
 *
 * @module
 */
import type { RequestHandler } from 'express';
import type { Logger } from '../runtime/logger';

export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const fields = {
        method: req.method,
        route: (res.locals.route as string | undefined) ?? 'unmatched',
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
        ...(res.locals.errorCode ? { code: res.locals.errorCode as string } : {}),
      };
      if (res.statusCode >= 500) logger.warn(fields, 'http');
      else logger.info(fields, 'http');
    });
    next();
  };
}
