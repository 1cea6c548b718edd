import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import { logger } from './logger';

/**
 * The Temporal SDK's runtime for this process. Its own log lines go through our logger, warnings
 * and worse only: its info lines (worker state changes) are noise next to ours, and one log
 * format is easier to ship. With `prometheusAddress`, its worker metrics (task slots,
 * schedule-to-start latency, sticky cache) are exported there for `/metrics` to pass on.
 */
export function installSdkRuntime(prometheusAddress?: string): void {
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry: LogEntry) => {
      const fields = { sdk: true, ...(entry.meta ?? {}) };
      if (entry.level === 'ERROR') logger.error(fields, entry.message);
      else logger.warn(fields, entry.message);
    }),
    ...(prometheusAddress && {
      telemetryOptions: {
        metrics: { prometheus: { bindAddress: prometheusAddress, countersTotalSuffix: true } },
      },
    }),
  });
}
