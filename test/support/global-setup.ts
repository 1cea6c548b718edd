/**
 * Once per jest run, before any test file: the workflow bundle, built from the current source
 * into a temporary file every run (never a stale cache), and one in-memory dev server that test
 * files share, each in a namespace of its own (see `testNamespace`). Both are handed to the test
 * processes through the environment. Tests that need a server to themselves (time-skipping,
 * `npm start`'s own) still start one.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { bundlerLogger } from '../../runtime/bundler-logger';
import { startEphemeralDevServer, type DevServer } from '../../runtime/dev-server';
import { workflowBundleOptions } from '../../runtime/worker';
import { BUNDLE_ENV, TEMPORAL_ENV } from './shared-env';

export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sluse-jest-'));
  const [built, started] = await Promise.allSettled([
    bundleWorkflowCode({ ...workflowBundleOptions, logger: bundlerLogger }),
    startEphemeralDevServer(),
  ]);
  if (built.status === 'rejected' || started.status === 'rejected') {
    if (started.status === 'fulfilled') await started.value.stop();
    throw built.status === 'rejected' ? built.reason : (started as PromiseRejectedResult).reason;
  }
  const [bundle, server] = [built.value, started.value];
  const codePath = join(dir, 'workflows.js');
  writeFileSync(codePath, bundle.code);
  process.env[BUNDLE_ENV] = codePath;
  process.env[TEMPORAL_ENV] = server.address;
  // globalTeardown runs in this same process and stops it.
  (globalThis as { __sluseShared?: { server: DevServer } }).__sluseShared = { server };
}
