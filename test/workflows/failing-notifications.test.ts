/**
 * A notification channel that is down for good must never hold a case back: commands and
 * timers go on, the case history says which message could not be delivered, and the holder gets
 * a task for it («Familien kunne ikke nås») and a message about that task, never a loop of them.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities, type Notification } from '../../activities';
import type { Actor } from '../../machines';
import { CaseSnapshot } from '../../server/api-schemas';
import { toCaseSnapshot } from '../../server/case-snapshot';
import { completeTaskUpdate, type caseWorkflow } from '../../workflows';
import { UNREACHABLE_TEMPLATE } from '../../workflows/case-delivery';
import { caseSearchAttributes } from '../../workflows/search-attributes';
import { startTimeSkippingEnv, workflowBundle } from '../support/temporal';
import { CaseHarness, DAY, rejectionOf } from './case-harness';
import { recordHistory } from './record-history';

jest.setTimeout(180_000);

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startTimeSkippingEnv();
});

afterAll(async () => {
  await env?.teardown();
});

/** A worker whose channel hands each message to `put`: throw to fail it, else the harness's outbox. */
async function workerWith(h: CaseHarness, put: (n: Notification) => Promise<unknown>) {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue: h.taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities({
      outbox: { put: put as (n: Notification) => Promise<'stored'> },
      archive: h.archive,
      caseLog: h.caseLog,
      countOpenCases: async () => 0,
      log: () => undefined,
    }),
  });
}

async function openTasks(handle: WorkflowHandle): Promise<number | undefined> {
  return (await handle.describe()).typedSearchAttributes.get(caseSearchAttributes.openTasks);
}

function completeTask(
  handle: WorkflowHandle<typeof caseWorkflow>,
  actor: Actor,
  taskId: string,
  expectedRevision: number,
) {
  return handle.executeUpdate(completeTaskUpdate, {
    args: [{ taskId, actor, expectedRevision }],
  });
}

/**
 * Ends a case whose worker stops with its test: timers of a case no worker serves would hold the
 * server's skipping of time in the next test.
 */
async function endCase(handle: WorkflowHandle): Promise<void> {
  await handle.terminate('test over');
}

const laerer: Actor = { id: 'laerer-1', role: 'tjenesteyter' };

test("when the family's channel stays down past the retries, then the case goes on, the holder gets a task and a message about it, and completing it removes it and is recorded", async () => {
  const h = await CaseHarness.create(env.client);
  let familyAttempts = 0;
  const worker = await workerWith(h, async (n) => {
    if (n.to !== 'foresatt') return h.outbox.put(n);
    familyAttempts++;
    throw new Error('the SMS gateway is down');
  });
  await worker.runUntil(async () => {
    const { caseId, handle } = await h.open('oygarden', {
      referralSource: 'skole',
      payload: { arena: 'skole', barnetsAlder: 14 },
      actor: laerer,
    });
    // Entering the clarifying talk invites the parents: that message cannot be delivered.
    let v = await h.send(handle, 'registrerVurdering', laerer, {
      risikofaktorer: { hoytFravaer: true, konflikterIHjemmet: true },
    });
    expect(v.state.step).toBe('avklaringssamtale');
    // Commands go on while the invitation is retried.
    v = await h.send(handle, 'registrerSamtykke', laerer, { gittAv: 'parent' });
    expect(v.state.tasks ?? []).toEqual([]);

    await env.sleep(2 * DAY);
    expect(familyAttempts).toBeGreaterThan(5);
    const snapshot = CaseSnapshot.parse(toCaseSnapshot(await h.view(handle)));
    expect(snapshot.tasks).toEqual([
      {
        id: expect.stringMatching(/^task-\d+$/),
        kind: 'unreachable',
        title: 'Familien kunne ikke nås',
        about: { template: 'invitasjonAvklaringssamtale', notification: 'notify', to: 'foresatt' },
        at: expect.any(String),
      },
    ]);
    const taskId = snapshot.tasks[0].id;
    expect(await openTasks(handle)).toBe(1);

    // The holder is told through the normal path.
    const toHolder = (await h.notifications('oygarden', caseId)).filter(
      (n) => n.template === UNREACHABLE_TEMPLATE,
    );
    expect(toHolder).toHaveLength(1);
    expect(toHolder[0]).toMatchObject({
      to: 'holder',
      toId: 'laerer-1',
      title: 'Familien kunne ikke nås',
    });
    expect(toHolder[0].body).toContain('invitasjonAvklaringssamtale');

    let history = await h.history(handle);
    const failed = history.filter((e) => e.kind === 'notificationFailed');
    expect(failed).toEqual([
      expect.objectContaining({
        what: 'notify',
        to: 'foresatt',
        payload: {
          template: 'invitasjonAvklaringssamtale',
          error: 'Error',
          retryState: 'MAXIMUM_ATTEMPTS_REACHED',
        },
      }),
    ]);
    // No channel's error text (it may hold an address) reaches the history.
    expect(JSON.stringify(history)).not.toContain('SMS gateway');
    expect(history.filter((e) => e.kind === 'taskOpened')).toEqual([
      expect.objectContaining({
        what: 'unreachable',
        payload: { taskId, about: snapshot.tasks[0].about },
      }),
    ]);
    expect(history.filter((e) => e.kind === 'notified' && e.to === 'holder')).toHaveLength(1);

    // Timers still fire: three weeks without the talk marks the case overdue and tells the holder.
    await env.sleep(20 * DAY);
    v = await h.view(handle);
    expect(v.state.overdue).toBe(true);
    expect((await h.notifications('oygarden', caseId)).map((n) => n.template)).toContain(
      'samtaleIkkeHoldt',
    );

    // A family role may not complete it; the holder does.
    const family = await rejectionOf(
      completeTask(handle, { id: 'fam-1', role: 'foresatt' }, taskId, v.state.revision),
    );
    expect(family.code).toBe('ROLE_NOT_ALLOWED');
    const done = await completeTask(handle, laerer, taskId, v.state.revision);
    expect(done.state.tasks).toEqual([]);
    expect(done.state.revision).toBe(v.state.revision + 1);
    expect(await openTasks(handle)).toBe(0);
    history = await h.history(handle);
    expect(history.filter((e) => e.kind === 'taskCompleted')).toEqual([
      expect.objectContaining({ actor: laerer, what: 'unreachable', payload: { taskId } }),
    ]);

    // Done once: a second completion finds no such task.
    const again = await completeTask(handle, laerer, taskId, done.state.revision).catch(
      (e: unknown) => e,
    );
    expect(again).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(((again as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe(
      'TASK_NOT_FOUND',
    );
    await recordHistory(handle, 'oygarden-unreachable-family-task');
    await endCase(handle);
  });
  await h.close();
});

test('when every message reaches its recipient, then the case gets no task', async () => {
  const h = await CaseHarness.create(env.client);
  const worker = await workerWith(h, (n) => h.outbox.put(n));
  await worker.runUntil(async () => {
    const { caseId, handle } = await h.open('oygarden', {
      referralSource: 'skole',
      payload: { arena: 'skole', barnetsAlder: 14 },
      actor: laerer,
    });
    await h.send(handle, 'registrerVurdering', laerer, {
      risikofaktorer: { hoytFravaer: true, konflikterIHjemmet: true },
    });
    await env.sleep(2 * DAY);
    const v = await h.view(handle);
    expect(CaseSnapshot.parse(toCaseSnapshot(v)).tasks).toEqual([]);
    expect(await openTasks(handle)).toBeUndefined();
    const history = await h.history(handle);
    expect(history.filter((e) => e.kind === 'notified')).toEqual([
      expect.objectContaining({ what: 'notify', to: 'foresatt' }),
    ]);
    expect(history.some((e) => e.kind === 'taskOpened' || e.kind === 'notificationFailed')).toBe(
      false,
    );
    expect((await h.notifications('oygarden', caseId)).map((n) => n.template)).toEqual([
      'invitasjonAvklaringssamtale',
    ]);
    await endCase(handle);
  });
  await h.close();
});

test('when every notification fails, then the case still moves and fires its timers, the failure is in its history, and the one task it makes sends no second task', async () => {
  const h = await CaseHarness.create(env.client);
  let attempts = 0;
  const worker = await workerWith(h, () => {
    attempts++;
    throw ApplicationFailure.create({
      message: 'the message channel is down',
      type: 'ChannelDown',
    });
  });
  const veiviser: Actor = { id: 'veiviser-1', role: 'veiviser' };
  await worker.runUntil(async () => {
    const { handle } = await h.open('lorenskog', {
      referralSource: 'nav',
      payload: { henvendelsesgjelder: 'familie' },
      actor: veiviser,
    });
    await h.send(handle, 'avklarSakstype', veiviser, { sakstype: 'koble_tjenester' });
    // Three weeks standing still: the status-update prompt is due but cannot be delivered.
    await env.sleep(22 * DAY);
    const v = await h.send(handle, 'registrerAktivitet', veiviser, { aktivitet: 'mote' });
    expect(v.state.step).toBe('veivisersak');
    await env.sleep(3 * DAY);
    const history = await h.history(handle);
    expect(history.filter((e) => e.kind === 'timer').length).toBeGreaterThanOrEqual(1);
    // The prompt, then the holder's message about the task it made: both fail, one task only.
    const failed = history.filter((e) => e.kind === 'notificationFailed');
    expect(failed.map((e) => [e.what, e.to, (e.payload as { template: string }).template])).toEqual(
      [
        ['notify', 'holder', 'statusoppdatering'],
        ['notify', 'holder', UNREACHABLE_TEMPLATE],
      ],
    );
    expect(failed[0].payload).toMatchObject({ error: 'ChannelDown' });
    expect(history.filter((e) => e.kind === 'taskOpened')).toHaveLength(1);
    expect((await h.view(handle)).state.tasks).toEqual([
      expect.objectContaining({ title: 'Stafettholderen kunne ikke nås' }),
    ]);
    expect(attempts).toBeGreaterThan(5);
  });
  await h.close();
});
