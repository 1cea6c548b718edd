/**
 * A worker with a small heap keeps thousands of open cases (issue #12: at ~3.2 MB per cached case
 * the worker thread ran out of memory at 1,100–1,300). The worker is a process of its own with
 * `--max-old-space-size`, sizing its workflow cache from that limit as the real worker does; the
 * cases stay open with their timers pending. Not timed: it passes or fails on memory alone.
 * `SLUSE_MEMORY_TEST_CASES` lowers the count for a quick local run.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import type { DevServer } from '../../runtime/dev-server';
import { projectRoot } from '../../runtime/temporal-settings';
import { randomCaseId } from '../../server/case-ids';
import { caseWorkflow, openCaseUpdate, viewQuery } from '../../workflows';
import { caseWorkflowId } from '../../workflows/search-attributes';
import { loadSeed } from '../machines/support';
import { connectDrainable, type DrainableConnection } from '../support/drainable-connection';
import { spawnLogged, waitFor, type Started } from '../support/processes';
import { startTestDevServer } from '../support/temporal';

// The 2,000, over five times the cache this heap allows (369): every case past it must
// cost nothing more than its history on the server. bench:scale opens 10,000.
const CASES = Number(process.env.SLUSE_MEMORY_TEST_CASES ?? 2000);
const HEAP_MB = 256;
const KOMMUNE = 'lorenskog';

jest.setTimeout(900_000);

let server: DevServer;
let drainable: DrainableConnection;
let client: Client;
let worker: Started | undefined;

beforeAll(async () => {
  server = await startTestDevServer();
  drainable = await connectDrainable(server.address);
  client = new Client({ connection: drainable.connection });
});

afterAll(async () => {
  if (worker && worker.child.exitCode === null) {
    // A worker with thousands of cached cases may take long to shut down gracefully (it hung
    // past the hook's limit on a loaded machine); the test is over, so it is killed after 10 s.
    process.kill(-worker.child.pid!, 'SIGTERM');
    const kill = setTimeout(() => process.kill(-worker!.child.pid!, 'SIGKILL'), 10_000);
    await worker.exited;
    clearTimeout(kill);
  }
  await drainable?.close();
  await server?.stop();
});

test(`when ${CASES} cases are open on a worker with a ${HEAP_MB} MB heap, then the worker keeps running and every case, cached or not, still answers with its timers pending`, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluse-memory-'));
  const taskQueue = `memory-${Math.random().toString(36).slice(2)}`;
  // The cases' logs in the worker's own PGlite: this test never reads them back.
  const { DATABASE_URL: _unused, ...env } = process.env;
  worker = spawnLogged(
    process.execPath,
    [
      `--max-old-space-size=${HEAP_MB}`,
      '--import',
      'tsx',
      join(projectRoot, 'test/support/worker-process.ts'),
    ],
    {
      cwd: projectRoot,
      env: {
        ...env,
        TEMPORAL_ADDRESS: server.address,
        TASK_QUEUE: taskQueue,
        SLUSE_DATA_DIR: dataDir,
      },
    },
  );
  await waitFor(
    'worker ready',
    async () => (worker!.output().includes('worker-ready') ? true : undefined),
    120_000,
  );
  const cacheSize = Number(/maxCachedWorkflows=(\d+)/.exec(worker.output())?.[1]);

  const config = loadSeed(KOMMUNE);
  const ids: string[] = [];
  let next = 0;
  const open = async () => {
    while (next < CASES && worker!.child.exitCode === null) {
      next++;
      const caseId = randomCaseId();
      ids.push(caseId);
      await client.workflow.executeUpdateWithStart(openCaseUpdate, {
        args: [
          {
            referralSource: 'innbygger',
            payload: { henvendelsesgjelder: 'barn' },
            actor: { id: 'v-1', role: 'veiviser' },
          },
        ],
        startWorkflowOperation: new WithStartWorkflowOperation(caseWorkflow, {
          workflowId: caseWorkflowId(KOMMUNE, caseId),
          taskQueue,
          args: [{ kommune: KOMMUNE, caseId, config, configVersion: 1 }],
          workflowIdConflictPolicy: 'FAIL',
        }),
      });
    }
  };
  await Promise.all(Array.from({ length: 8 }, open));

  const output = worker.output();
  expect(output).not.toMatch(/out of memory|ERR_WORKER_OUT_OF_MEMORY|heap limit/i);
  expect(worker.child.exitCode).toBeNull();
  expect(ids).toHaveLength(CASES);
  // More cases than the cache holds, so some were evicted and come back by replay when asked.
  expect(cacheSize).toBeGreaterThan(1);
  expect(cacheSize).toBeLessThan(CASES);
  for (const caseId of [ids[0], ids[Math.floor(CASES / 2)], ids[CASES - 1]]) {
    const view = await client.workflow
      .getHandle(caseWorkflowId(KOMMUNE, caseId))
      .query(viewQuery, 'veiviser');
    expect(view?.state.status).toBe('open');
    expect(view?.state.timers.length).toBeGreaterThan(0);
  }
  expect(worker.child.exitCode).toBeNull();
});
