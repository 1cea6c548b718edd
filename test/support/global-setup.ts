/**
 * Once per jest run, before any test file: the workflow bundle, built from the current source
 * into a temporary file every run (never a stale cache), and one in-memory dev server that test
 * files share, each in a namespace of its own (see `testNamespace`), and an empty migrated PGlite
 * database that in-memory test stores start from (see `memoryDatabase`). They are handed to the
 * test processes through the environment. Tests that need a server to themselves (time-skipping,
 * `npm start`'s own) still start one.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { bundlerLogger } from '../../runtime/bundler-logger';
import { startEphemeralDevServer, type DevServer } from '../../runtime/dev-server';
import { workflowBundleOptions } from '../../runtime/worker';
import { openDatabase } from '../../store';
import { BUNDLE_ENV, PGLITE_TEMPLATE_ENV, TEMPORAL_ENV } from './shared-env';

export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sluse-jest-'));
  const [built, started, dumped] = await Promise.allSettled([
    bundleWorkflowCode({ ...workflowBundleOptions, logger: bundlerLogger }),
    startEphemeralDevServer(),
    migratedDatabaseDump(),
  ]);
  if (built.status === 'rejected' || started.status === 'rejected') {
    if (started.status === 'fulfilled') await started.value.stop();
    throw built.status === 'rejected' ? built.reason : (started as PromiseRejectedResult).reason;
  }
  if (dumped.status === 'rejected') throw dumped.reason;
  const templatePath = join(dir, 'pglite-template.tar');
  writeFileSync(templatePath, dumped.value);
  process.env[PGLITE_TEMPLATE_ENV] = templatePath;
  const [bundle, server] = [built.value, started.value];
  const codePath = join(dir, 'workflows.js');
  writeFileSync(codePath, bundle.code);
  process.env[BUNDLE_ENV] = codePath;
  process.env[TEMPORAL_ENV] = server.address;
  // globalTeardown runs in this same process and stops it.
  (globalThis as { __sluseShared?: { server: DevServer } }).__sluseShared = { server };
}

/** An empty in-memory database with every migration applied, as a tarball. */
async function migratedDatabaseDump(): Promise<Buffer> {
  const db = await openDatabase({ databaseUrl: '', pgliteDir: 'memory' });
  try {
    return Buffer.from(await (await db.dumpDataDir!()).arrayBuffer());
  } finally {
    await db.close();
  }
}
