/**
 * Deleting a finished case's workflow history (#19) on a real Temporal server (the run's dev
 * server; the time-skipping server cannot delete): every run of its chain of continue-as-new is
 * gone, and a case that still runs is left as it is.
 */
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { KommuneConfig } from '../../config/types';
import type { Actor } from '../../machines';
import { caseHistoryDeleter } from '../../runtime/case-history-deletion';
import { testNamespace, type TestTemporal } from '../support/temporal';
import { CaseHarness } from './case-harness';

jest.setTimeout(120_000);

const holder: Actor = { id: 'k-1', role: 'koordinator' };

/** One step with notes, and an end with no way back: a closed case's workflow ends at once. */
const notes = {
  id: 'notatsak',
  name: 'Notatsak',
  description: 'Notes, then the end.',
  roles: { koordinator: { title: 'Koordinator' } },
  referralSources: { skole: { title: 'Skole' } },
  fields: {},
  intake: { step: 'oppfolging', roles: ['koordinator'] },
  steps: {
    oppfolging: {
      title: 'Oppfølging',
      level: 1,
      holderRole: 'koordinator',
      on: { notat: {}, avslutt: { target: 'avsluttet' } },
    },
    avsluttet: {
      title: 'Avsluttet',
      level: 1,
      holderRole: 'koordinator',
      final: { outcome: 'closed', reason: 'Ferdig' },
    },
  },
  events: {
    notat: { title: 'Notat', roles: ['koordinator'] },
    avslutt: { title: 'Avslutt', roles: ['koordinator'] },
  },
} as unknown as KommuneConfig;

let server: TestTemporal;
let connection: Connection;
let native: NativeConnection;
let client: Client;
let h: CaseHarness;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  server = await testNamespace();
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection, namespace: server.namespace });
  native = await NativeConnection.connect({ address: server.address });
  h = await CaseHarness.create(client);
  worker = await h.worker(native);
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await h?.close();
  await native?.close();
  await connection?.close();
});

const open = () =>
  h.open('notatsak', {
    referralSource: 'skole',
    payload: {},
    actor: holder,
    config: notes,
    historyLimit: 30,
  });

/**
 * Whether Temporal still has this run after up to a minute: it deletes in the background, an
 * earlier run of the chain in up to ~15 s on the dev server.
 */
async function runExists(workflowId: string, runId: string): Promise<boolean> {
  for (let i = 0; i < 600; i++) {
    try {
      await client.workflow.getHandle(workflowId, runId).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

test("when a finished case's history is deleted, then every run of it is gone from Temporal, and a running case is left alone", async () => {
  const deleteHistory = caseHistoryDeleter(client, server.namespace);
  const done = await open();
  const runs = [(await done.handle.describe()).runId];
  // Enough notes for the case to continue as new twice.
  for (let i = 0; runs.length < 3 && i < 60; i++) {
    await h.send(done.handle, 'notat', holder);
    const { runId } = await done.handle.describe();
    if (runId !== runs.at(-1)) runs.push(runId);
  }
  expect(runs).toHaveLength(3);
  await h.send(done.handle, 'avslutt', holder);
  await done.handle.result();
  const still = await open();

  expect(await deleteHistory(still.handle.workflowId)).toEqual({ running: true });
  expect((await still.handle.describe()).status.name).toBe('RUNNING');

  expect(await deleteHistory(done.handle.workflowId)).toEqual({ running: false, runs: 3 });
  for (const runId of runs) expect(await runExists(done.handle.workflowId, runId)).toBe(false);
  // Asked again (a retried sweep), there is nothing left to delete.
  expect(await deleteHistory(done.handle.workflowId)).toEqual({ running: false, runs: 0 });
  expect((await still.handle.describe()).status.name).toBe('RUNNING');
  await still.handle.terminate('test over');
});
