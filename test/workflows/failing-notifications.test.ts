/**
 * A notification channel that is down for good must never hold a case back: commands and
 * timers go on, and the case history says which message could not be delivered.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import type { Actor } from '../../machines';
import { startTimeSkippingEnv, workflowBundle } from '../support/temporal';
import { CaseHarness, DAY } from './case-harness';

jest.setTimeout(120_000);

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startTimeSkippingEnv();
});

afterAll(async () => {
  await env?.teardown();
});

test('when every notification fails, then the case still moves and fires its timers, and the failure is in its history', async () => {
  const h = await CaseHarness.create(env.client);
  let attempts = 0;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: h.taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities({
      outbox: {
        async put() {
          attempts++;
          throw new Error('the message channel is down');
        },
      },
      archive: h.archive,
      caseLog: h.caseLog,
      countOpenCases: async () => 0,
      log: () => undefined,
    }),
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
    const failed = history.filter((e) => e.kind === 'notificationFailed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ what: 'notify', to: 'holder' });
    expect(attempts).toBeGreaterThan(5);
  });
  await h.close();
});
