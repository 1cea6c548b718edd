/**
 * Imported by the test support that starts servers: the SDK logs only warnings and errors. Core's
 * own errors go straight to the console, not forwarded to the logger: forwarding holds a native
 * callback that keeps a jest worker from exiting (every test file installs its own runtime).
 */
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';

Runtime.install({
  logger: new DefaultLogger('WARN'),
  telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
});
