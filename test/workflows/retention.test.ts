/**
 * Deletion on time (#19), over two months of virtual time on the time-skipping server: the
 * nightly retention workflow deletes a closed case on the Oslo day its retention ends (by the
 * exit step it closed in), with its archived record, stafettlogg and sent messages, leaves a
 * deletion record with no content, keeps the statistics as they were, and keeps a case that was
 * reopened in time. Old reads leave the access log. (The time-skipping server cannot delete
 * workflow histories; test/server/case-history-deletion.test.ts deletes them on the dev server.)
 */
import { Worker } from '@temporalio/worker';
import type { Actor } from '../../machines';
import { deletionDay } from '../../machines/retention';
import { formatDate, fromOsloLocal, parseDateOnly, toOsloLocal } from '../../machines/oslo-time';
import { sweepRetention, type RetentionDeps } from '../../activities/retention-sweep';
import { CaseAccessLog } from '../../store/case-access-log';
import { CaseFacts } from '../../store/case-facts';
import { CaseRetention } from '../../store/case-retention';
import type { KommuneConfig } from '../../config/types';
import { caseWorkflowId, RETENTION_WORKFLOW_ID } from '../../workflows/search-attributes';
import { loadSeed } from '../machines/support';
import { startTimeSkippingEnv } from '../support/temporal';
import { CaseHarness, DAY, dateAfter } from './case-harness';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

jest.setTimeout(180_000);

const veiviser: Actor = { id: 'veiviser-1', role: 'veiviser' };
const saksbehandler: Actor = { id: 'sb-1', role: 'saksbehandler' };
const koordinator: Actor = { id: 'koord-1', role: 'koordinator' };

/** Lørenskog with a week to reopen, a month for a veivisersak and two months for the rest. */
const config: KommuneConfig = {
  ...loadSeed('lorenskog'),
  reopen: { ...loadSeed('lorenskog').reopen!, within: 'P7D' },
  retention: {
    closedCases: 'P60D',
    byFinalStep: { avsluttet_veivisersak: 'P30D' },
    accessLog: 'P45D',
  },
};

let env: TestWorkflowEnvironment;
let h: CaseHarness;
let worker: Worker;
let running: Promise<void>;
/** Workflows the sweep asked Temporal to delete (this server cannot; the dev server test does). */
const historiesDeleted: string[] = [];

beforeAll(async () => {
  env = await startTimeSkippingEnv();
  h = await CaseHarness.create(env.client);
  const retention: RetentionDeps = {
    retentionOf: async () => [{ kommune: 'lorenskog', retention: config.retention }],
    store: new CaseRetention(h.db),
    archive: h.archive,
    outbox: h.outbox,
    async deleteHistory(workflowId) {
      const { status } = await env.client.workflow.getHandle(workflowId).describe();
      if (status.name === 'RUNNING') return { running: true };
      historiesDeleted.push(workflowId);
      return { running: false, runs: 1 };
    },
    log: () => undefined,
  };
  worker = await h.worker(env.nativeConnection, undefined, retention);
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await h?.close();
  await env?.teardown();
});

const logRows = async (caseId: string) =>
  (
    await h.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM case_log WHERE kommune = $1 AND case_id = $2',
      ['lorenskog', caseId],
    )
  )[0].n;

/** The virtual clock moved on to `hour`:00 Oslo time on the Oslo day `day` (YYYY-MM-DD). */
async function sleepUntilOslo(day: string, hour: number): Promise<void> {
  const at = fromOsloLocal({ ...parseDateOnly(day)!, timeOfDay: hour * 3_600_000 });
  await env.sleep(Math.max(0, at - (await env.currentTimeMs())));
}

test('when a closed case has been kept as long as its exit step says, then the nightly sweep deletes its record, log and messages on that day, keeps a deletion record and the statistics, and keeps a case reopened in time', async () => {
  const open = () =>
    h.open('lorenskog', {
      referralSource: 'politi',
      payload: { henvendelsesgjelder: 'familie' },
      actor: veiviser,
      config,
    });
  // A: a veivisersak closed at once (kept 30 days). B: the same, reopened three days later.
  const a = await open();
  await h.send(a.handle, 'avsluttVeivisersak', veiviser, { arsak: 'rad_gitt' });
  const b = await open();
  await h.send(b.handle, 'avsluttVeivisersak', veiviser, { arsak: 'rad_gitt' });
  // C: a coordinator's case, closed in another exit step (kept 60 days).
  const c = await open();
  await h.send(c.handle, 'avklarSakstype', veiviser, { sakstype: 'koordinator' });
  await h.send(c.handle, 'fattVedtak', saksbehandler, {
    vedtak: 'barnekoordinator',
    vedtaksdato: dateAfter(await env.currentTimeMs(), 0),
    koordinator: koordinator.id,
  });
  const closedC = await h.send(c.handle, 'avsluttKoordinatorsak', koordinator, {
    arsak: 'flyttet',
  });
  expect(closedC.state).toMatchObject({ status: 'closed', step: 'avsluttet_koordinator' });
  const closedA = (await h.view(a.handle)).state;
  expect(closedA).toMatchObject({ status: 'closed', step: 'avsluttet_veivisersak' });

  // Someone read A today: the read is kept 45 days.
  const accessLog = new CaseAccessLog(h.db);
  await accessLog.record({
    kommune: 'lorenskog',
    caseId: a.caseId,
    reader: 'pseudonym-1',
    role: 'veiviser',
    what: 'snapshot',
  });

  await env.sleep(3 * DAY);
  const reopened = await h.reopen(b.handle, veiviser);
  expect(reopened.state).toMatchObject({ status: 'open', step: 'veivisersak' });

  // Past the week to reopen, A and C are archived and their workflows end.
  await env.sleep(6 * DAY);
  expect(await h.archive.get('lorenskog', a.caseId)).not.toBeNull();
  expect(await h.archive.get('lorenskog', c.caseId)).not.toBeNull();
  const entriesOfA = await logRows(a.caseId);
  expect(entriesOfA).toBeGreaterThan(1);
  expect((await h.notifications('lorenskog', a.caseId)).length).toBeGreaterThan(0);

  const facts = new CaseFacts(h.db);
  const range = {
    from: new Date(Date.parse(closedA.closedAt!) - 2 * DAY).toISOString(),
    to: new Date(Date.parse(closedA.closedAt!) + 2 * DAY).toISOString(),
    asOf: new Date(Date.parse(closedA.closedAt!) + 2 * DAY).toISOString(),
  };
  const figuresBefore = await facts.figures('lorenskog', range, {});
  expect(figuresBefore.outcomes.reduce((n, o) => n + o.count, 0)).toBe(3);

  // The nightly sweep runs from now on.
  await env.client.workflow.start('retentionWorkflow', {
    workflowId: RETENTION_WORKFLOW_ID,
    taskQueue: h.taskQueue,
  });
  const store = new CaseRetention(h.db);

  // Noon the day before A's day: all kept.
  const dayA = deletionDay(Date.parse(closedA.closedAt!), 'P30D');
  await sleepUntilOslo(dayA, -12);
  expect(await h.archive.get('lorenskog', a.caseId)).not.toBeNull();
  expect(await store.deletions('lorenskog')).toEqual([]);

  // 03:00 on A's day: the 02:00 sweep has deleted A and nothing else.
  await sleepUntilOslo(dayA, 3);
  expect(await h.archive.get('lorenskog', a.caseId)).toBeNull();
  expect(await logRows(a.caseId)).toBe(0);
  expect(await h.notifications('lorenskog', a.caseId)).toEqual([]);
  expect(historiesDeleted).toEqual([caseWorkflowId('lorenskog', a.caseId)]);
  expect(await store.deletions('lorenskog')).toEqual([
    {
      kommune: 'lorenskog',
      caseId: a.caseId,
      finalStep: 'avsluttet_veivisersak',
      closedOn: formatDate(toOsloLocal(Date.parse(closedA.closedAt!))),
      keptFor: 'P30D',
      deletedAt: expect.any(String),
      logEntries: entriesOfA,
      messages: expect.any(Number),
      archivedRecord: true,
      workflowRuns: 1,
    },
  ]);
  expect((await store.deletions('lorenskog'))[0].messages).toBeGreaterThan(0);
  expect(await h.archive.get('lorenskog', c.caseId)).not.toBeNull();
  expect(await accessLog.ofCase('lorenskog', a.caseId)).toHaveLength(1);

  // C's day (60 days): C goes too; B, reopened, stays with everything it had.
  const dayC = deletionDay(Date.parse(closedC.state.closedAt!), 'P60D');
  await sleepUntilOslo(dayC, 3);
  expect(await h.archive.get('lorenskog', c.caseId)).toBeNull();
  expect(await logRows(c.caseId)).toBe(0);
  expect(
    (await store.deletions('lorenskog')).map((d) => [d.caseId, d.finalStep, d.keptFor]),
  ).toEqual([
    [c.caseId, 'avsluttet_koordinator', 'P60D'],
    [a.caseId, 'avsluttet_veivisersak', 'P30D'],
  ]);
  expect((await h.view(b.handle)).state).toMatchObject({ status: 'open' });
  expect(await logRows(b.caseId)).toBeGreaterThan(0);
  expect(historiesDeleted).not.toContain(caseWorkflowId('lorenskog', b.caseId));
  // The read of A is older than 45 days by now: pruned.
  expect(await accessLog.ofCase('lorenskog', a.caseId)).toEqual([]);

  // The statistics count the same as before anything was deleted.
  expect(await facts.figures('lorenskog', range, {})).toEqual(figuresBefore);
});

test('when the sweep runs again (a retry, the next night), then nothing is deleted twice and the records stay as written', async () => {
  const store = new CaseRetention(h.db);
  const before = await store.deletions('lorenskog');
  const deps: RetentionDeps = {
    retentionOf: async () => [{ kommune: 'lorenskog', retention: config.retention }],
    store,
    archive: h.archive,
    outbox: h.outbox,
    deleteHistory: async () => ({ running: false, runs: 0 }),
    log: () => undefined,
  };
  const result = await sweepRetention(deps, new Date(await env.currentTimeMs()).toISOString());
  expect(result).toMatchObject({ deleted: 0, more: false });
  expect(await store.deletions('lorenskog')).toEqual(before);
});
