/**
 * Case commands per second and latency (p50/p99) through the HTTP API, next to the same
 * commands as raw Temporal updates, on the same dev server and worker in the same run.
 *
 *   npx tsx bench/api-bench.ts [--clients 8] [--commands 40]
 *
 * Each client opens its own case (Lørenskog) and sends `byttVeiviser` again and again with the
 * revision it last saw, as a coordinator's UI would. The ratio says what the API layer costs:
 * token check, zod, the access check and JSON over HTTP.
 */
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection } from '@temporalio/worker';
import { loadConfigDir } from '../config';
import { bundlerLogger } from '../runtime/bundler-logger';
import { startEphemeralDevServer } from '../runtime/dev-server';
import { createSealer, loadKeyRing } from '../runtime/key-ring';
import { createCaseWorker, workflowsPath } from '../runtime/worker';
import { CaseLog, openDatabase } from '../store';
import { createApp } from '../server/app';
import { DEFAULT_AUDIENCE, DEV_ISSUER } from '../server/auth-settings';
import { staticConfigSource } from '../server/config-source';
import { loadDevIssuer } from '../server/dev-issuer';
import { caseWorkflow, openCaseUpdate, sendEventUpdate } from '../workflows/case-workflow';
import { caseWorkflowId } from '../workflows/search-attributes';

const { values } = parseArgs({ options: { clients: { type: 'string', default: '8' }, commands: { type: 'string', default: '40' } } });
const CLIENTS = Number(values.clients);
const COMMANDS = Number(values.commands);
const KOMMUNE = 'lorenskog';
const TASK_QUEUE = 'sluse-bench';

interface Result {
  label: string;
  latenciesMs: number[];
  wallMs: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `CLIENTS` loops of `COMMANDS` commands at once, timing each. */
async function measure(label: string, loop: (client: number, command: number) => Promise<void>): Promise<Result> {
  const latenciesMs: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; i < COMMANDS; i++) {
        const t = performance.now();
        await loop(c, i);
        latenciesMs.push(performance.now() - t);
      }
    }),
  );
  return { label, latenciesMs: latenciesMs.sort((a, b) => a - b), wallMs: performance.now() - t0 };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluse-bench-'));
  // As `npm start` has them: keys in the data folder, the cases' logs in PGlite.
  const sealer = createSealer(loadKeyRing(dataDir));
  const db = await openDatabase({ databaseUrl: '', pgliteDir: 'memory' });
  const caseLog = new CaseLog(db, sealer);
  const dev = await startEphemeralDevServer();
  const connection = await Connection.connect({ address: dev.address });
  const client = new Client({ connection });
  const native = await NativeConnection.connect({ address: dev.address });
  const worker = await createCaseWorker({
    connection: native,
    client,
    namespace: 'default',
    taskQueue: TASK_QUEUE,
    dataDir,
    sealer,
    caseLog,
    workflowBundle: await bundleWorkflowCode({ workflowsPath, logger: bundlerLogger }),
  });
  const workerDone = worker.run();
  const configs = loadConfigDir().configs;
  const config = configs.get(KOMMUNE)!;
  const app = createApp({
    health: { client, namespace: 'default', workerState: () => worker.getState() },
    api: {
      client,
      taskQueue: TASK_QUEUE,
      configs: staticConfigSource(configs),
      caseLog,
      auth: { kind: 'dev', issuer: DEV_ISSUER, audience: DEFAULT_AUDIENCE },
      dataDir,
      options: { rateLimit: { limit: 1_000_000, windowMs: 60_000 } },
    },
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/kommuner/${KOMMUNE}/cases`;
  const token = await (await loadDevIssuer(dataDir)).sign({ sub: 'bench-veiviser', kommune: KOMMUNE, role: 'veiviser', audience: DEFAULT_AUDIENCE });
  const actor = { id: 'bench-veiviser', role: 'veiviser' };
  const intake = { referralSource: 'innbygger', payload: { henvendelsesgjelder: 'barn' } };

  try {
    // Through the API.
    const apiCases: Array<{ id: string; revision: number }> = [];
    for (let c = 0; c < CLIENTS; c++) {
      const res = await fetch(base, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(intake) });
      const body = (await res.json()) as { caseId: string; revision: number };
      apiCases.push({ id: body.caseId, revision: body.revision });
    }
    const apiLoop = async (c: number, i: number) => {
      const kase = apiCases[c];
      const res = await fetch(`${base}/${kase.id}/events`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'byttVeiviser', payload: { ansvarlig: `v-${i % 3}` }, expectedRevision: kase.revision }),
      });
      if (res.status !== 200) throw new Error(`API answered ${res.status}: ${await res.text()}`);
      kase.revision = ((await res.json()) as { revision: number }).revision;
    };

    // The same commands as raw Temporal updates.
    const rawCases: Array<{ id: string; revision: number }> = [];
    for (let c = 0; c < CLIENTS; c++) {
      const caseId = `bench-raw-${c}`;
      const view = await client.workflow.executeUpdateWithStart(openCaseUpdate, {
        args: [{ ...intake, actor }],
        startWorkflowOperation: new WithStartWorkflowOperation(caseWorkflow, {
          workflowId: caseWorkflowId(KOMMUNE, caseId),
          taskQueue: TASK_QUEUE,
          args: [{ kommune: KOMMUNE, caseId, config, configVersion: 1 }],
          workflowIdConflictPolicy: 'FAIL',
        }),
      });
      rawCases.push({ id: caseId, revision: view.state.revision });
    }
    const rawLoop = async (c: number, i: number) => {
      const kase = rawCases[c];
      const view = await client.workflow.getHandle(caseWorkflowId(KOMMUNE, kase.id)).executeUpdate(sendEventUpdate, {
        args: [{ type: 'byttVeiviser', payload: { ansvarlig: `v-${i % 3}` }, actor, expectedRevision: kase.revision }],
      });
      kase.revision = view.state.revision;
    };
    // A warm-up round of each first (worker cache, JIT, connections), then the measured rounds.
    await measure('warm-up', apiLoop);
    await measure('warm-up', rawLoop);
    const api = await measure('HTTP API', apiLoop);
    const raw = await measure('raw Temporal update', rawLoop);

    const row = (r: Result) => {
      const perSec = (r.latenciesMs.length / r.wallMs) * 1000;
      return { perSec, p50: percentile(r.latenciesMs, 50), p99: percentile(r.latenciesMs, 99) };
    };
    const [a, t] = [row(api), row(raw)];
    const fmt = (n: number) => n.toFixed(1).padStart(8);
    console.log(`\n${CLIENTS} concurrent clients × ${COMMANDS} commands each, one dev server and worker\n`);
    console.log('                       commands/s     p50 ms     p99 ms');
    console.log(`HTTP API             ${fmt(a.perSec)}   ${fmt(a.p50)}   ${fmt(a.p99)}`);
    console.log(`raw Temporal update  ${fmt(t.perSec)}   ${fmt(t.p50)}   ${fmt(t.p99)}`);
    console.log(`API / raw            ${fmt(a.perSec / t.perSec)}x  ${fmt(a.p50 / t.p50)}x  ${fmt(a.p99 / t.p99)}x\n`);
  } finally {
    await app.api?.close();
    server.closeAllConnections();
    server.close();
    worker.shutdown();
    await workerDone;
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
