/**
 * Heap per cached case workflow: opens cases (Lørenskog, each left open with its timers pending,
 * so every one stays in the worker's cache) and reads the heap after a full GC at two points;
 * the slope is MB per cached workflow.
 *
 *   node --expose-gc --import tsx bench/case-memory.ts [--cases 200] [--bundle sluse|plain] [--concurrency 8]
 *
 * The workflows run in this thread (`debugMode`: the same reusable V8 context the SDK otherwise
 * puts on a worker thread), so this process's heap is theirs. `--bundle plain` bundles without
 * the preloaded modules, as before issue #12, for comparison.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, FileArchive, FileOutbox } from '../activities';
import { loadConfigDir } from '../config';
import { bundlerLogger } from '../runtime/bundler-logger';
import { startEphemeralDevServer } from '../runtime/dev-server';
import { createSealer, loadKeyRing } from '../runtime/key-ring';
import { workflowBundleOptions, workflowsPath } from '../runtime/worker';
import { randomCaseId } from '../server/case-ids';
import { CaseLog, openDatabase } from '../store';
import { caseWorkflow } from '../workflows/case-workflow';
import { openCaseUpdate } from '../workflows/case-messages';
import { caseWorkflowId } from '../workflows/search-attributes';
import { runConcurrent } from './stats';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '200' },
    bundle: { type: 'string', default: 'sluse' },
    concurrency: { type: 'string', default: '8' },
  },
});
const CASES = Number(values.cases);
const KOMMUNE = 'lorenskog';
const TASK_QUEUE = 'sluse-case-memory';

function heapMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluse-mem-'));
  const sealer = createSealer(loadKeyRing(dataDir));
  const db = await openDatabase({ databaseUrl: '', pgliteDir: 'memory' });
  const dev = await startEphemeralDevServer();
  const connection = await Connection.connect({ address: dev.address });
  const client = new Client({ connection });
  const native = await NativeConnection.connect({ address: dev.address });
  const bundle = await bundleWorkflowCode(
    values.bundle === 'plain'
      ? { workflowsPath, logger: bundlerLogger }
      : { ...workflowBundleOptions, logger: bundlerLogger },
  );
  const worker = await Worker.create({
    connection: native,
    taskQueue: TASK_QUEUE,
    workflowBundle: bundle,
    debugMode: true,
    maxCachedWorkflows: CASES + 100,
    activities: createActivities({
      outbox: new FileOutbox(join(dataDir, 'outbox'), sealer),
      archive: new FileArchive(join(dataDir, 'archive'), sealer),
      caseLog: new CaseLog(db, sealer),
      countOpenCases: async () => 0,
      log: () => undefined,
    }),
  });
  const running = worker.run();
  const config = loadConfigDir().configs.get(KOMMUNE)!;
  const open = () =>
    client.workflow.executeUpdateWithStart(openCaseUpdate, {
      args: [
        {
          referralSource: 'innbygger',
          payload: { henvendelsesgjelder: 'barn' },
          actor: { id: 'bench', role: 'veiviser' },
        },
      ],
      startWorkflowOperation: new WithStartWorkflowOperation(caseWorkflow, {
        workflowId: caseWorkflowId(KOMMUNE, randomCaseId()),
        taskQueue: TASK_QUEUE,
        args: [{ kommune: KOMMUNE, caseId: randomCaseId(), config, configVersion: 1 }],
        workflowIdConflictPolicy: 'FAIL',
      }),
    });
  const openMany = (n: number) =>
    runConcurrent(
      Array.from({ length: n }, () => open),
      Number(values.concurrency),
    );
  // Let the store's log writes settle before each reading.
  const settle = () => new Promise((r) => setTimeout(r, 3000));
  try {
    const first = Math.max(10, Math.floor(CASES / 5));
    await openMany(first);
    await settle();
    const h1 = heapMb();
    const c1 = worker.getStatus().numCachedWorkflows;
    await openMany(CASES - first);
    await settle();
    const h2 = heapMb();
    const c2 = worker.getStatus().numCachedWorkflows;
    console.log(`bundle ${values.bundle}: ${bundle.code.length} bytes of code`);
    console.log(`cached ${c1} → heap ${h1.toFixed(1)} MB; cached ${c2} → heap ${h2.toFixed(1)} MB`);
    console.log(`per cached case workflow: ${((h2 - h1) / (c2 - c1)).toFixed(3)} MB`);
  } finally {
    worker.shutdown();
    await running;
    await native.close();
    await connection.close();
    await dev.stop();
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
