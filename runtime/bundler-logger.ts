import { logger } from './logger';

/** The workflow bundler is chatty (webpack); keep its warnings and errors only. */
export const bundlerLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  log: () => undefined,
  warn: (message: string) => logger.warn(message),
  error: (message: string) => logger.error(message),
};
