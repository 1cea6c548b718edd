/**
 * On a real dev server: a worker process killed with SIGKILL mid-flight loses nothing (the
 * worker processes and this test share the cases' logs in PostgreSQL, as separate processes
 * must: PGlite belongs to one process); the API and a worker started as processes of their own
 * (`npm run api`, `npm run worker`) run cases together; two
 * coordinators racing on one revision get one success and one conflict; the capacity rule
 * refuses a holder who is full.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Client,
  Connection,
  WorkflowUpdateFailedError,
  WorkflowUpdateStage,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { KommuneConfig } from '../../config/types';
import { pseudonym } from '../../machines/pseudonym';
import { freePort } from '../../runtime/dev-server';
import { loadKeyRing } from '../../runtime/key-ring';
import { projectRoot } from '../../runtime/temporal-settings';
import { DEFAULT_AUDIENCE } from '../../server/auth-settings';
import { loadDevIssuer } from '../../server/dev-issuer';
import { Client as PgClient } from 'pg';
import { createCaseWorker } from '../../runtime/worker';
import { CaseFailures, sendEventUpdate, type SendEventInput } from '../../workflows';
import { caseWorkflowId } from '../../workflows/search-attributes';
import { startTestPostgres, type TestPostgres } from '../support/postgres-server';
import { spawnLogged, waitFor, type Started } from '../support/processes';
import { connectDrainable, type DrainableConnection } from '../support/drainable-connection';
import { testNamespace, workflowBundle, type TestTemporal } from '../support/temporal';
import { CaseHarness } from './case-harness';

jest.setTimeout(180_000);

const config = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'testkommune.json'), 'utf8'),
) as KommuneConfig;
const kommune = config.id;
const koordinator = { id: 'k-1', role: 'koordinator' };

let server: TestTemporal;
let connection: Connection;
let drainable: DrainableConnection;
let client: Client;

beforeAll(async () => {
  server = await testNamespace();
  drainable = await connectDrainable(server.address);
  connection = drainable.connection;
  client = new Client({ connection, namespace: server.namespace });
});

afterAll(async () => {
  await drainable?.close();
});

function startWorkerProcess(h: CaseHarness, databaseUrl: string, slowOutboxMs: number): Started {
  return spawnLogged(
    process.execPath,
    ['--import', 'tsx', join(projectRoot, 'test/support/worker-process.ts')],
    {
      cwd: projectRoot,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_NAMESPACE: server.namespace,
        TASK_QUEUE: h.taskQueue,
        SLUSE_DATA_DIR: h.dataDir,
        DATABASE_URL: databaseUrl,
        SLOW_OUTBOX_MS: String(slowOutboxMs),
      },
    },
  );
}

function failureType(err: unknown): string | undefined {
  return err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure
    ? (err.cause.type ?? undefined)
    : undefined;
}

test('when the worker is killed while an activity runs and a timer is pending, then after restart the timer fires once, the effect exists once and no accepted command is lost', async () => {
  const postgres: TestPostgres = await startTestPostgres();
  const h = await CaseHarness.create(client, {
    dataDir: mkdtempSync(join(tmpdir(), 'sluse-crash-')),
    databaseUrl: postgres.url,
  });
  let worker = startWorkerProcess(h, postgres.url, 4000);
  await waitFor(
    'worker ready',
    async () => (worker.output().includes('worker-ready') ? true : undefined),
    60_000,
  );

  const { caseId, handle } = await h.open(kommune, {
    referralSource: 'skole',
    payload: {},
    actor: koordinator,
    config,
  });
  const dueAt = new Date(Date.now() + 20_000).toISOString();
  await h.send(handle, 'settFrist', koordinator, { frist: dueAt });
  const accepted = await h.send(handle, 'varsle', koordinator);
  expect(accepted.state.revision).toBe(3);

  // The notification activity is running (held 4 s in the outbox): kill the worker for real.
  await waitFor(
    'activity to start',
    async () => (worker.output().includes('activity-started') ? true : undefined),
    20_000,
  );
  process.kill(worker.child.pid!, 'SIGKILL');
  await worker.exited;

  // A coordinator's command sent while no worker runs is not lost: it completes after restart.
  const lateCommand = h.send(handle, 'byttKoordinator', koordinator, { ansvarlig: 'k-2' });
  await new Promise((r) => setTimeout(r, 1000));
  worker = startWorkerProcess(h, postgres.url, 0);
  try {
    const afterRestart = await lateCommand;
    // Accepted after the restart; whether the timer fired just before it depends on how long the
    // new worker takes to start, so its revision is 4 or 5 — the final count below is exact.
    expect(afterRestart.state.holder).toMatchObject({ id: 'k-2' });
    expect(afterRestart.state.revision).toBeGreaterThanOrEqual(4);

    // The due date passes while the activity is retried after its timeout.
    const sent = await waitFor(
      'both notifications in the outbox',
      async () => {
        const all = await h.notifications(kommune, caseId);
        return all.some((n) => n.template === 'notat') &&
          all.some((n) => n.template === 'fristPassert')
          ? all
          : undefined;
      },
      60_000,
    );
    expect(sent.filter((n) => n.template === 'notat')).toHaveLength(1);
    expect(sent.filter((n) => n.template === 'fristPassert')).toHaveLength(1);

    const history = await h.history(handle);
    expect(history.filter((e) => e.kind === 'timer')).toHaveLength(1);
    expect(history.filter((e) => e.kind === 'event').map((e) => e.what)).toEqual([
      'settFrist',
      'varsle',
      'byttKoordinator',
    ]);
    const view = await h.view(handle);
    expect(view.state.revision).toBe(5);
    expect(view.state.timers).toEqual([]);
  } finally {
    process.kill(worker.child.pid!, 'SIGKILL');
    await worker.exited;
    await h.close();
    await postgres.stop();
  }
});

test('when the API and a worker run as processes of their own (npm run api, npm run worker) on one Temporal and one PostgreSQL, then a case opened over HTTP is run by the worker and its log, written by the worker, reads back through the API, and each process serves its own metrics', async () => {
  const postgres = await startTestPostgres();
  const dataDir = mkdtempSync(join(tmpdir(), 'sluse-apart-'));
  // Both processes read the keys made here once (payloads, logs, tokens): made by both at the
  // same moment, they would differ.
  loadKeyRing(dataDir);
  const issuer = await loadDevIssuer(dataDir);
  const port = await freePort();
  const metricsPort = await freePort();
  const metricsToken = randomUUID() + randomUUID();
  const env = {
    ...process.env,
    METRICS_TOKEN: metricsToken,
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_NAMESPACE: server.namespace,
    DATABASE_URL: postgres.url,
    SLUSE_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
  const api = spawnLogged('npm', ['run', '--silent', 'api'], {
    cwd: projectRoot,
    env: { ...env, PORT: String(port) },
  });
  const worker = spawnLogged('npm', ['run', '--silent', 'worker'], {
    cwd: projectRoot,
    env: { ...env, LOG_LEVEL: 'info', METRICS_PORT: String(metricsPort) },
  });
  const base = `http://127.0.0.1:${port}/api/v1/kommuner/lorenskog`;
  const token = await issuer.sign({
    sub: 'u-veiviser',
    kommune: 'lorenskog',
    role: 'veiviser',
    audience: DEFAULT_AUDIENCE,
  });
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  try {
    await waitFor(
      `the API process; its output:\n${api.output()}`,
      async () => ((await fetch(`http://127.0.0.1:${port}/health`)).ok ? true : undefined),
      120_000,
    );
    await waitFor(
      `the worker process; its output:\n${worker.output()}`,
      async () => (worker.output().includes('worker polling') ? true : undefined),
      120_000,
    );
    // The API process runs no worker: the worker process runs the case.
    const opened = await fetch(`${base}/cases`, {
      method: 'POST',
      headers: { ...headers, 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({
        referralSource: 'barnehage_skole_ppt',
        payload: { henvendelsesgjelder: 'barn' },
      }),
    });
    expect(opened.status).toBe(201);
    const { caseId } = (await opened.json()) as { caseId: string };
    const history = await fetch(`${base}/cases/${caseId}/history`, { headers });
    expect(
      ((await history.json()) as { entries: { kind: string }[] }).entries.map((e) => e.kind),
    ).toEqual(['opened', 'handover']);
    // Closing makes the case write its whole log (commands' entries otherwise gather a while).
    const closed = await fetch(`${base}/cases/${caseId}/events`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        type: 'avsluttVeivisersak',
        payload: { arsak: 'rad_gitt' },
        expectedRevision: 1,
      }),
    });
    expect(closed.status).toBe(200);
    // The worker process writes the log into PostgreSQL, where every process reads it.
    const db = new PgClient({ connectionString: postgres.url });
    await db.connect();
    try {
      const stored = await waitFor(
        'the log in PostgreSQL',
        async () => {
          const { rows } = await db.query<{ seq: number }>(
            'SELECT seq FROM case_log WHERE kommune = $1 AND case_id = $2 ORDER BY seq',
            ['lorenskog', caseId],
          );
          // Opened, handover, closed (and what the feedback link's delivery logs).
          return rows.length >= 3 ? rows.map((r) => Number(r.seq)) : undefined;
        },
        30_000,
      );
      expect(stored).toEqual(stored.map((_, i) => i + 1));
    } finally {
      await db.end();
    }
    // Each process its own figures: the API counts the commands it took, the worker reports the
    // Temporal SDK's task slots; neither without the token.
    const scrape = async (url: string) => {
      expect((await fetch(url)).status).toBe(401);
      const res = await fetch(url, { headers: { Authorization: `Bearer ${metricsToken}` } });
      expect(res.status).toBe(200);
      return res.text();
    };
    const apiMetrics = await scrape(`http://127.0.0.1:${port}/metrics`);
    expect(apiMetrics).toContain(
      'sluse_commands_total{kommune="lorenskog",command="sendEvent",result="accepted"} 1',
    );
    expect(apiMetrics).not.toMatch(/^temporal_/m);
    const workerMetrics = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(workerMetrics).toMatch(/^temporal_worker_task_slots_available\{/m);
    expect(workerMetrics).toMatch(/^sluse_process_cpu_seconds_total /m);
  } finally {
    // A process that already exited has no group to signal; the failure above is the one to see.
    for (const p of [api, worker])
      if (p.child.exitCode === null && p.child.signalCode === null)
        process.kill(-p.child.pid!, 'SIGTERM');
    await Promise.all([api.exited, worker.exited]);
    await postgres.stop();
  }
});

describe('with an in-process worker', () => {
  let h: CaseHarness;
  let worker: Worker;
  let running: Promise<void>;
  let native: NativeConnection;

  beforeAll(async () => {
    h = await CaseHarness.create(client);
    native = await NativeConnection.connect({ address: server.address });
    worker = await createCaseWorker({
      connection: native,
      client,
      namespace: server.namespace,
      taskQueue: h.taskQueue,
      dataDir: h.dataDir,
      sealer: h.sealer,
      caseLog: h.caseLog,
      workflowBundle: await workflowBundle(),
      pseudonymKey: h.pseudonymKey,
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker.shutdown();
    await running;
    await native.close();
    await h.close();
  });

  test('when two coordinators send a command on the same revision at once, then exactly one is applied and the other gets a conflict', async () => {
    const { handle, view } = await h.open(kommune, {
      referralSource: 'skole',
      payload: {},
      actor: koordinator,
      config,
    });
    const send = () =>
      handle.executeUpdate(sendEventUpdate, {
        args: [{ type: 'varsle', actor: koordinator, expectedRevision: view.state.revision }],
      });
    const results = await Promise.allSettled([send(), send()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failureType(failed.reason)).toBe(CaseFailures.conflict);
    expect((await h.view(handle)).state.revision).toBe(view.state.revision + 1);
  });

  test('when a command arrives while a handover waits for its capacity count, then it waits its turn: the handover is applied and the later command gets a conflict', async () => {
    const { handle, view } = await h.open(kommune, {
      referralSource: 'skole',
      payload: {},
      actor: koordinator,
      config,
    });
    const command = (type: string, payload?: Record<string, unknown>) => ({
      args: [{ type, payload, actor: koordinator, expectedRevision: view.state.revision }] as [
        SendEventInput,
      ],
    });
    // Accepted: its validator passed and its handler awaits the count of k-2's open cases.
    const handover = await handle.startUpdate(sendEventUpdate, {
      ...command('byttKoordinator', { ansvarlig: 'k-2' }),
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    });
    const later = await handle
      .executeUpdate(sendEventUpdate, command('varsle'))
      .catch((e: unknown) => e);
    expect((await handover.result()).state.holder?.id).toBe('k-2');
    expect(failureType(later)).toBe(CaseFailures.conflict);
    const after = await h.view(handle);
    expect(after.state.revision).toBe(view.state.revision + 1);
    expect(after.state.holder?.id).toBe('k-2');
  });

  test('when a handover would give a coordinator more open cases than the capacity rule allows, then it is refused and the case is unchanged', async () => {
    const full = { id: 'full-1', role: 'koordinator' };
    await h.open(kommune, { referralSource: 'skole', payload: {}, actor: full, config });
    await h.open(kommune, { referralSource: 'skole', payload: {}, actor: full, config });
    const { handle } = await h.open(kommune, {
      referralSource: 'skole',
      payload: {},
      actor: koordinator,
      config,
    });
    const before = await h.view(handle);
    // Visibility is eventually consistent; wait until both of full-1's cases are counted.
    await waitFor(
      'visibility to count full-1',
      async () => {
        const { count } = await client.workflow.count(
          `SluseHolder = '${pseudonym(h.pseudonymKey, 'full-1')}' AND SluseStatus = 'open'`,
        );
        return count === 2 ? true : undefined;
      },
      20_000,
    );
    const err = await h
      .send(handle, 'byttKoordinator', koordinator, { ansvarlig: 'full-1' })
      .catch((e: unknown) => e);
    expect(failureType(err)).toBe(CaseFailures.capacityFull);
    expect((err as WorkflowUpdateFailedError).cause?.message).toMatch(
      /full-1 already holds 2 open cases; the limit for role koordinator is 2/,
    );
    const after = await h.view(handle);
    expect(after.state).toEqual(before.state);

    // Opening a case straight into full-1's hands is refused, and the started workflow ends.
    const refused = await h
      .open(kommune, {
        referralSource: 'skole',
        payload: {},
        actor: full,
        config,
        caseId: 'refused-1',
      })
      .catch((e: unknown) => e);
    expect(failureType(refused)).toBe(CaseFailures.capacityFull);
    expect(
      await client.workflow.getHandle(caseWorkflowId(kommune, 'refused-1')).result(),
    ).toBeNull();
  });

  test('when the capacity rule says wait, then the handover is accepted but waits, and completes by itself once the new holder has room', async () => {
    const waiting = {
      ...config,
      capacity: [{ role: 'koordinator', maxOpenCases: 1, whenFull: 'wait' as const }],
    };
    const busy = { id: 'busy-1', role: 'koordinator' };
    const other = { id: 'other-1', role: 'koordinator' };
    const first = await h.open(kommune, {
      referralSource: 'skole',
      payload: {},
      actor: busy,
      config: waiting,
    });
    const { handle } = await h.open(kommune, {
      referralSource: 'skole',
      payload: {},
      actor: other,
      config: waiting,
      capacityRecheckMs: 1000,
    });
    await waitFor(
      'visibility to count busy-1',
      async () => {
        const { count } = await client.workflow.count(
          `SluseHolder = '${pseudonym(h.pseudonymKey, 'busy-1')}' AND SluseStatus = 'open' AND ExecutionStatus = 'Running'`,
        );
        return count === 1 ? true : undefined;
      },
      20_000,
    );

    const v = await h.send(handle, 'byttKoordinator', other, { ansvarlig: 'busy-1' });
    expect(v.state.holder?.id).toBe('other-1');
    expect(v.state.capacityWait).toMatchObject({ holderId: 'busy-1', role: 'koordinator' });

    // busy-1 closes their other case; the waiting handover completes without anyone asking.
    await h.send(first.handle, 'avslutt', busy);
    const done = await waitFor(
      'the waiting handover to complete',
      async () => {
        const now = await h.view(handle);
        return now.state.holder?.id === 'busy-1' ? now : undefined;
      },
      30_000,
    );
    expect(done.state.capacityWait).toBeUndefined();
    expect(
      (await h.history(handle)).some((e) => e.kind === 'handover' && e.actor.role === 'system'),
    ).toBe(true);
  });
});
