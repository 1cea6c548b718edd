/**
 * The holder's tasks over HTTP: a family the case's message could not reach shows as an open
 * task in the snapshot and as a count in the holder's list; the holder completes it, refusals
 * answer with stable codes in bokmål, and the history records both.
 */
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, FileArchive, FileOutbox, type Notification } from '../../activities';
import { startApiStack, http, eventually, type ApiStack } from './api-stack';
import { CaseClient } from './case-client';
import { TEMPORAL_ENV } from '../support/shared-env';
import { workflowBundle } from '../support/temporal';

jest.setTimeout(120_000);

let stack: ApiStack;
let connection: NativeConnection;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  stack = await startApiStack({ noWorker: true });
  connection = await NativeConnection.connect({ address: process.env[TEMPORAL_ENV]! });
  const outbox = new FileOutbox(join(stack.dataDir, 'outbox'), stack.sealer);
  worker = await Worker.create({
    connection,
    namespace: stack.client.options.namespace,
    taskQueue: stack.taskQueue,
    workflowBundle: await workflowBundle(),
    dataConverter: stack.dataConverter,
    activities: createActivities({
      // The parents' channel refuses the message outright: it fails for good at once.
      outbox: {
        put: (n: Notification) =>
          n.to === 'foresatt'
            ? Promise.reject(ApplicationFailure.nonRetryable('no such number', 'RecipientRefused'))
            : outbox.put(n),
      },
      archive: new FileArchive(join(stack.dataDir, 'archive'), stack.sealer),
      caseLog: stack.caseLog,
      countOpenCases: async () => 0,
      log: () => undefined,
    }),
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await connection?.close();
  await stack?.stop();
});

interface Task {
  id: string;
  kind: string;
  title: string;
  about: { template: string; notification: string; to: string };
}

test("when the parents' invitation cannot be delivered, then the holder sees the task in the case and in their list, completes it, and a second completion is refused", async () => {
  const c = new CaseClient(stack, 'oygarden');
  await c.open('tjenesteyter', 'skole', { arena: 'skole', barnetsAlder: 14 }, 'laerer-1');
  await c.send(
    'tjenesteyter',
    'registrerVurdering',
    { risikofaktorer: { hoytFravaer: true, konflikterIHjemmet: true } },
    'laerer-1',
  );
  const holder = await stack.token('oygarden', 'tjenesteyter', 'laerer-1');
  const task = await eventually('the task', async () => {
    const res = await http(stack.baseUrl, 'GET', c.path, { token: holder });
    return (res.body.tasks as Task[])[0];
  });
  expect(task).toMatchObject({
    kind: 'unreachable',
    title: 'Familien kunne ikke nås',
    about: { template: 'invitasjonAvklaringssamtale', notification: 'notify', to: 'foresatt' },
  });
  const listed = (tasks: number) =>
    eventually(`the list showing ${tasks} open tasks`, async () => {
      const res = await http(stack.baseUrl, 'GET', '/api/v1/kommuner/oygarden/cases', {
        token: holder,
      });
      const item = res.body.cases.find((x: { caseId: string }) => x.caseId === c.caseId);
      return item?.openTasks === tasks ? item : undefined;
    });
  expect(await listed(1)).toMatchObject({ heldByYou: true });

  // The leader's incident list names the case the family could not be reached in.
  const leader = await stack.token('oygarden', 'leder', 'leder-1');
  const incident = await eventually(
    'the incident list naming the case',
    async () => {
      const res = await http(stack.baseUrl, 'GET', '/api/v1/kommuner/oygarden/live', {
        token: leader,
      });
      return (res.body.incidents as Array<{ caseId: string }>).find((i) => i.caseId === c.caseId);
      // The model is read at most every 15 s: a first read before the fact was stored waits that out.
    },
    40_000,
  );
  expect(incident).toMatchObject({ reasons: ['undelivered'] });

  const snapshot = await http(stack.baseUrl, 'GET', c.path, { token: holder });
  const complete = (token: string, taskId: string, expectedRevision: number) =>
    http(stack.baseUrl, 'POST', `${c.path}/tasks/${taskId}/complete`, {
      token,
      body: { expectedRevision },
    });

  // Someone who does not see the case learns nothing of it; a stale revision changes nothing.
  const stranger = await stack.token('oygarden', 'tjenesteyter', 'laerer-2');
  expect((await complete(stranger, task.id, snapshot.body.revision)).body.error.code).toBe(
    'CASE_NOT_FOUND',
  );
  const stale = await complete(holder, task.id, snapshot.body.revision - 1);
  expect([stale.status, stale.body.error.code]).toEqual([409, 'REVISION_CONFLICT']);
  const malformed = await complete(holder, 'not-a-task', snapshot.body.revision);
  expect([malformed.status, malformed.body.error.details[0].path]).toEqual([400, '/path/taskId']);

  const done = await complete(holder, task.id, snapshot.body.revision);
  expect(done.status).toBe(200);
  expect(done.body.tasks).toEqual([]);
  await listed(0);

  const again = await complete(holder, task.id, done.body.revision);
  expect(again.status).toBe(404);
  expect(again.body.error).toMatchObject({
    code: 'TASK_NOT_FOUND',
    nb: 'Oppgaven finnes ikke i saken, eller den er allerede gjort.',
  });

  const history = await http(stack.baseUrl, 'GET', `${c.path}/history`, { token: holder });
  const kinds = history.body.entries.map((e: { kind: string }) => e.kind);
  expect(kinds).toEqual(
    expect.arrayContaining(['notificationFailed', 'taskOpened', 'taskCompleted']),
  );
  const failed = history.body.entries.find(
    (e: { kind: string }) => e.kind === 'notificationFailed',
  );
  expect(failed.payload).toEqual({
    template: 'invitasjonAvklaringssamtale',
    error: 'RecipientRefused',
    retryState: 'NON_RETRYABLE_FAILURE',
  });
});
