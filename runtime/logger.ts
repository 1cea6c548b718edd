import pino from 'pino';

/**
 * The one logger. Log ids and codes, never case data: a log line must not carry personal data,
 * so callers pass case ids, step ids and error codes only.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
  base: { app: 'sluse' },
});

export type Logger = typeof logger;
