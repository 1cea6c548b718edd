/**
 * Benchmark: N cases with M commands each through the case workflow, next to a bare no-op
 * workflow and update on the same local dev server in the same run. The ratio is our overhead.
 *
 *   npx tsx bench/case-bench.ts [cases=40] [commandsPerCase=10] [concurrency=8]
 */
import { WithStartWorkflowOperation, Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigDir } from '../config';
import { bundlerLogger } from '../runtime/bundler-logger';
import { startEphemeralDevServer } from '../runtime/dev-server';
import { createSealer, loadKeyRing } from '../runtime/key-ring';
import { createCaseWorker, workflowsPath } from '../runtime/worker';
import { CaseLog, openDatabase } from '../store';
import { caseWorkflow, openCaseUpdate, sendEventUpdate } from '../workflows';
import { caseWorkflowId } from '../workflows/search-attributes';
import { noopOpenUpdate, noopUpdate, noopWorkflow } from './noop-workflow';
import { printTable, runConcurrent, summarize, type Measured } from './stats';

const [cases, commandsPerCase, concurrency] = [40, 10, 8].map((d, i) => Number(process.argv[2 + i] ?? d));

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const server = await startEphemeralDevServer();
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const native = await NativeConnection.connect({ address: server.address });
  // As `npm start` has them: keys in the data folder, the cases' logs in PGlite.
  const dataDir = mkdtempSync(join(tmpdir(), 'sluse-bench-'));
  const sealer = createSealer(loadKeyRing(dataDir));
  const db = await openDatabase({ databaseUrl: '', pgliteDir: 'memory' });
  const caseWorker = await createCaseWorker({
    connection: native, client, namespace: 'default', taskQueue: 'bench-cases', dataDir, sealer, caseLog: new CaseLog(db, sealer),
    workflowBundle: await bundleWorkflowCode({ workflowsPath, logger: bundlerLogger }),
  });
  const noopWorker = await Worker.create({
    connection: native, taskQueue: 'bench-noop',
    workflowBundle: await bundleWorkflowCode({ workflowsPath: require.resolve('./noop-workflow'), logger: bundlerLogger }),
  });
  const config = loadConfigDir().configs.get('lorenskog')!;
  const veiviser = { id: 'bench-veiviser', role: 'veiviser' };
  const run = `${Date.now().toString(36)}`;

  const measure = async () => {
    const opens: number[] = [];
    const commands: number[] = [];
    const timed = async <T>(into: number[], fn: () => Promise<T>): Promise<T> => {
      const s = performance.now();
      const r = await fn();
      into.push(performance.now() - s);
      return r;
    };

    const sluse = await runConcurrent(
      Array.from({ length: cases }, (_, i) => async () => {
        const caseId = `${run}-${i}`;
        let view = await timed(opens, () =>
          client.workflow.executeUpdateWithStart(openCaseUpdate, {
            args: [{ referralSource: 'nav', payload: { henvendelsesgjelder: 'familie' }, actor: veiviser }],
            startWorkflowOperation: new WithStartWorkflowOperation(caseWorkflow, {
              workflowId: caseWorkflowId('lorenskog', caseId), taskQueue: 'bench-cases',
              args: [{ kommune: 'lorenskog', caseId, config, configVersion: 1 }], workflowIdConflictPolicy: 'FAIL',
            }),
          }),
        );
        const handle = client.workflow.getHandle(caseWorkflowId('lorenskog', caseId));
        for (let c = 0; c < commandsPerCase; c++) {
          const [type, payload] = c === 0 ? ['avklarSakstype', { sakstype: 'koble_tjenester' }] : ['registrerAktivitet', { aktivitet: 'mote' }];
          view = await timed(commands, () => handle.executeUpdate(sendEventUpdate, { args: [{ type, payload, actor: veiviser, expectedRevision: view.state.revision }] }));
        }
      }),
      concurrency,
    );
    const sluseSeconds = sluse.seconds;

    const rawOpens: number[] = [];
    const rawCommands: number[] = [];
    const raw = await runConcurrent(
      Array.from({ length: cases }, (_, i) => async () => {
        let revision = await timed(rawOpens, () =>
          client.workflow.executeUpdateWithStart(noopOpenUpdate, {
            startWorkflowOperation: new WithStartWorkflowOperation(noopWorkflow, {
              workflowId: `noop-${run}-${i}`, taskQueue: 'bench-noop', workflowIdConflictPolicy: 'FAIL',
            }),
          }),
        );
        const handle = client.workflow.getHandle(`noop-${run}-${i}`);
        for (let c = 0; c < commandsPerCase; c++) {
          revision = await timed(rawCommands, () => handle.executeUpdate(noopUpdate, { args: [revision] }));
        }
      }),
      concurrency,
    );
    const rows: Measured[] = [
      { label: 'sluse: open case (update-with-start)', count: cases, seconds: sluseSeconds, latencies: opens },
      { label: 'sluse: case command (update)', count: cases * commandsPerCase, seconds: sluseSeconds, latencies: commands },
      { label: 'raw: no-op update-with-start', count: cases, seconds: raw.seconds, latencies: rawOpens },
      { label: 'raw: no-op update', count: cases * commandsPerCase, seconds: raw.seconds, latencies: rawCommands },
    ];
    return rows.map(summarize);
  };

  console.log(`case workflow benchmark: ${cases} cases × ${commandsPerCase} commands, ${concurrency} cases in flight, local dev server`);
  const rows = await Promise.all([caseWorker.runUntil(noopWorker.runUntil(measure()))]).then(([r]) => r);
  printTable(rows, {
    'sluse: open case (update-with-start)': 'raw: no-op update-with-start',
    'sluse: case command (update)': 'raw: no-op update',
  });
  console.log('(throughput is per whole run; a ratio of 0.80 means Sluse does 80 % of raw Temporal\'s work per second)');
  await native.close();
  await connection.close();
  await server.stop();
  await db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
