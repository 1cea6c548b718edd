import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import { logger } from './logger';

/**
 * The Temporal SDK's own log lines go through our logger, warnings and worse only: its info
 * lines (worker state changes) are noise next to ours, and one log format is easier to ship.
 */
export function routeSdkLogsToLogger(): void {
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry: LogEntry) => {
      const fields = { sdk: true, ...(entry.meta ?? {}) };
      if (entry.level === 'ERROR') logger.error(fields, entry.message);
      else logger.warn(fields, entry.message);
    }),
  });
}
