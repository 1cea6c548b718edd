/**
 * A case worker in its own process, so a test can SIGKILL it for real or give it a small heap.
 * Env: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TASK_QUEUE, SLUSE_DATA_DIR (outbox, archive, keys),
 * DATABASE_URL (the cases' logs: PostgreSQL, since PGlite belongs to one process; unset, a PGlite
 * in this process's memory, for tests that never read the logs back); the run's workflow bundle
 * (globalSetup's, passed down in the test's environment); SLOW_OUTBOX_MS holds every
 * notification write that long, so a kill can land while an activity runs.
 */
import { join } from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, FileArchive, FileOutbox } from '../../activities';
import { createSealer, loadKeyRing } from '../../runtime/key-ring';
import { cachedWorkflowsFor } from '../../runtime/worker';
import { CaseLog, openDatabase } from '../../store';
import { BUNDLE_ENV } from './shared-env';
import { memoryDatabase } from './memory-database';

async function main(): Promise<void> {
  const address = process.env.TEMPORAL_ADDRESS!;
  const dataDir = process.env.SLUSE_DATA_DIR!;
  const slowMs = Number(process.env.SLOW_OUTBOX_MS ?? 0);
  const sealer = createSealer(loadKeyRing(dataDir));
  const outbox = new FileOutbox(join(dataDir, 'outbox'), sealer);
  const activities = createActivities({
    outbox: {
      async put(n) {
        process.stdout.write(`activity-started ${n.key}\n`);
        await new Promise((r) => setTimeout(r, slowMs));
        return outbox.put(n);
      },
    },
    archive: new FileArchive(join(dataDir, 'archive'), sealer),
    caseLog: new CaseLog(
      await openDatabase(
        process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : memoryDatabase(),
      ),
      sealer,
    ),
    // Capacity is not what this process is for; it tests crash recovery and memory.
    countOpenCases: async () => 0,
    log: () => undefined,
  });
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address }),
    namespace: process.env.TEMPORAL_NAMESPACE,
    taskQueue: process.env.TASK_QUEUE!,
    // The run's bundle (globalSetup's), passed down in the test's environment.
    workflowBundle: { codePath: process.env[BUNDLE_ENV]! },
    // As the real worker sizes its cache: from this process's heap limit.
    maxCachedWorkflows: cachedWorkflowsFor(),
    activities,
  });
  process.stdout.write(`worker-ready maxCachedWorkflows=${cachedWorkflowsFor()}\n`);
  await worker.run();
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err));
  process.exit(1);
});
