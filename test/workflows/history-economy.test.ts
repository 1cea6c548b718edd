/**
 * A case lives for months and continues-as-new when its history grows: what a command writes
 * into that history should be what it changed, not a restarted timer or a repeated upsert.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { KommuneConfig } from '../../config/types';
import { nextDueAt } from '../../machines';
import { LOG_FLUSH_AFTER_MS } from '../../workflows/case-log-writer';
import type { HistoryEntry } from '../../workflows/case-messages';
import { DAY, timeSkippingCases } from './case-harness';

jest.setTimeout(120_000);

const t = timeSkippingCases();
const config = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'testkommune.json'), 'utf8'),
) as KommuneConfig;
const koordinator = { id: 'k-1', role: 'koordinator' };

/** A case of the test kommune (or `kommune`), opened by the coordinator. */
const openCase = (kommune: KommuneConfig = config) =>
  t.h.open(kommune.id, {
    referralSource: 'skole',
    payload: {},
    actor: koordinator,
    config: kommune,
  });

/** The search-attribute upserts in the case's history, oldest first. */
async function upsertsOf(handle: WorkflowHandle) {
  return ((await handle.fetchHistory()).events ?? [])
    .map((e) => e.upsertWorkflowSearchAttributesEventAttributes)
    .filter((u) => u !== undefined && u !== null);
}

/** The wake loop's timers: not the log's, which waits at most `LOG_FLUSH_AFTER_MS` to write what gathered. */
async function timersStarted(handle: WorkflowHandle): Promise<number> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).filter(
    (e) =>
      e.timerStartedEventAttributes &&
      Number(e.timerStartedEventAttributes.startToFireTimeout?.seconds) * 1000 !==
        LOG_FLUSH_AFTER_MS,
  ).length;
}

test('when commands leave the next due time where it is or move it later, then no timer is restarted, and the moved deadline still fires once, on time', async () => {
  const { caseId, handle } = await openCase();
  const start = await t.env.currentTimeMs();
  const fristPassert = async () =>
    (await t.h.notifications(config.id, caseId)).filter((n) => n.template === 'fristPassert')
      .length;

  await t.h.send(handle, 'settFrist', koordinator, {
    frist: new Date(start + 10 * DAY).toISOString(),
  });
  const armed = await timersStarted(handle);
  for (let i = 0; i < 3; i++) await t.h.send(handle, 'varsle', koordinator);
  await t.h.send(handle, 'settFrist', koordinator, {
    frist: new Date(start + 20 * DAY).toISOString(),
  });
  expect(await timersStarted(handle)).toBe(armed);

  // The kept timer rings at day 10, finds nothing due and arms the moved deadline.
  await t.env.sleep(11 * DAY);
  expect(await fristPassert()).toBe(0);
  await t.env.sleep(10 * DAY);
  expect(await fristPassert()).toBe(1);
  expect((await t.h.view(handle)).state.timers).toEqual([]);

  // Moving it earlier than anything armed does arm a new timer.
  const before = await timersStarted(handle);
  await t.h.send(handle, 'settFrist', koordinator, {
    frist: new Date((await t.env.currentTimeMs()) + DAY).toISOString(),
  });
  expect(await timersStarted(handle)).toBe(before + 1);
});

test('when commands come in the same hour, then they upsert nothing; a command an hour later upserts only the hour of last activity, and the list still reads every value', async () => {
  const { handle } = await openCase();
  await t.h.send(handle, 'settFrist', koordinator, {
    frist: new Date((await t.env.currentTimeMs()) + 10 * DAY).toISOString(),
  });
  const before = (await upsertsOf(handle)).length;
  await t.h.send(handle, 'varsle', koordinator);
  await t.h.send(handle, 'varsle', koordinator);
  expect(await upsertsOf(handle)).toHaveLength(before);

  await t.env.sleep(60 * 60_000);
  await t.h.send(handle, 'varsle', koordinator);
  const after = await upsertsOf(handle);
  expect(after).toHaveLength(before + 1);
  const last = after[after.length - 1];
  expect(Object.keys(last.searchAttributes?.indexedFields ?? {})).toEqual(['SluseLastActivityAt']);

  const listed = (await handle.describe()).searchAttributes;
  expect(listed).toMatchObject({
    SluseKommune: [config.id],
    SluseStep: ['venter'],
    SluseStatus: ['open'],
    SluseReferralSource: ['skole'],
  });
  // To the hour: last activity at its hour's start, the next due time at its hour's end.
  const [activity] = listed.SluseLastActivityAt as Date[];
  const [due] = listed.SluseNextDueAt as Date[];
  expect(activity.getTime() % (60 * 60_000)).toBe(0);
  expect(due.getTime() % (60 * 60_000)).toBe(0);
  const { state } = await t.h.view(handle);
  expect(activity.getTime()).toBeLessThanOrEqual(Date.parse(state.lastActivityAt));
  expect(activity.getTime()).toBeGreaterThan(Date.parse(state.lastActivityAt) - 60 * 60_000);
  expect(due.getTime()).toBeGreaterThanOrEqual(Date.parse(nextDueAt(state)!));
});

test("when a case is opened and sent commands, then its history asks one patch, writes no log in the commands' tasks, and keeps answers without the forms of every event", async () => {
  const { handle } = await openCase();
  const answer = await t.h.send(handle, 'settFrist', koordinator, {
    frist: new Date((await t.env.currentTimeMs()) + 10 * DAY).toISOString(),
  });
  await t.h.send(handle, 'varsle', koordinator);
  // The message `varsle` sends is logged when delivered, a moment after the command answered.
  const logged = async () => (await t.h.history(handle)).map((e) => e.what);
  const deliveredBy = Date.now() + 30_000;
  while (!(await logged()).includes('notify') && Date.now() < deliveredBy)
    await new Promise((r) => setTimeout(r, 100));

  const events = (await handle.fetchHistory()).events ?? [];
  const markers = events.map((e) => e.markerRecordedEventAttributes?.markerName).filter(Boolean);
  // One marker for every change the workflow ever made, not one (and an upsert) per change; and
  // the opening's one local write of its log (the next test), none in the commands' tasks.
  expect(markers).toEqual(['core_patch', 'core_local_activity']);
  // The log gathers in the workflow (readers add it); no activity task writes it either.
  const activities = events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name);
  expect(activities).not.toContain('appendCaseLog');
  expect(await logged()).toEqual(['opened', '— → k-1', 'settFrist', 'varsle', 'notify']);
  // The caller has the config and computes what the sender may do next.
  expect(answer.state.revision).toBe(2);
  expect(answer.allowedEvents).toBeUndefined();
  const answers = events
    .map((e) => e.workflowExecutionUpdateCompletedEventAttributes?.outcome?.success?.payloads?.[0])
    .filter((p) => p !== undefined)
    .map((p) => Buffer.from(p.data!).toString('utf8'));
  expect(answers).toHaveLength(3);
  for (const a of answers) expect(a).not.toContain('payloadSchema');
});

test('when an opened case is left alone, then its log is in the store when the opening answers, and it runs no workflow task in the eleven minutes after', async () => {
  const { handle, caseId } = await openCase();
  // Read at once: the opening answered after its task wrote the entries, not ten minutes later.
  expect((await t.h.caseLog.read<HistoryEntry>(config.id, caseId)).map((e) => e.what)).toEqual([
    'opened',
    '— → k-1',
  ]);
  const tasks = async () =>
    ((await handle.fetchHistory()).events ?? []).filter(
      (e) => e.workflowTaskCompletedEventAttributes,
    ).length;
  const before = await tasks();
  // Past `LOG_FLUSH_AFTER_MS`: a case with nothing gathered has no reason to wake (and replay,
  // once out of the worker's cache) before its first deadline.
  await t.env.sleep(LOG_FLUSH_AFTER_MS + 60_000);
  expect(await tasks()).toBe(before);
  expect((await handle.describe()).status.name).toBe('RUNNING');
});

test('when commands gather sixteen log entries, then they are written to the store in one local activity, and the rest when the case wakes for its deadline and when it closes', async () => {
  const { handle, caseId } = await openCase();
  const stored = async () => (await t.h.caseLog.read(config.id, caseId)).length;
  const localWrites = async () =>
    ((await handle.fetchHistory()).events ?? []).filter(
      (e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity',
    ).length;
  const frist = new Date((await t.env.currentTimeMs()) + 2 * DAY).toISOString();
  // Opening writes its two entries (opened, and the handover to the opener); each settFrist
  // logs one.
  for (let i = 0; i < 15; i++) await t.h.send(handle, 'settFrist', koordinator, { frist });
  expect(await stored()).toBe(2);
  expect(await t.h.history(handle)).toHaveLength(17);
  await t.h.send(handle, 'settFrist', koordinator, { frist });
  await waitFor(async () => (await stored()) === 18);
  expect(await localWrites()).toBe(2);

  await t.h.send(handle, 'settFrist', koordinator, { frist });
  await t.env.sleep(3 * DAY);
  await waitFor(async () => (await t.h.history(handle)).some((e) => e.kind === 'timer'));
  // Written up to the deadline's own entry (what its notice adds later waits for the next write).
  const deadline = (await t.h.history(handle)).find((e) => e.kind === 'timer')!;
  await waitFor(async () => (await stored()) >= deadline.seq);

  await t.h.send(handle, 'avslutt', koordinator);
  const all = await t.h.history(handle);
  expect(all.map((e) => e.seq)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
  await waitFor(async () => (await stored()) === all.length);
});

test('when a command escalates a case within the hour of its last activity, then the list shows it escalated at once, with no other attribute written', async () => {
  const escalating: KommuneConfig = structuredClone(config);
  escalating.id = 'testkommune-eskalering';
  escalating.events.eskaler = { title: 'Eskaler', roles: ['koordinator'] };
  escalating.steps.venter.on!.eskaler = {
    effects: [{ type: 'escalate', role: 'koordinator', template: 'notat' }],
  };
  const { handle } = await openCase(escalating);
  await t.h.send(handle, 'varsle', koordinator);
  expect((await handle.describe()).searchAttributes.SluseEscalated).toEqual([false]);
  const before = (await upsertsOf(handle)).length;

  await t.h.send(handle, 'eskaler', koordinator);
  expect((await handle.describe()).searchAttributes.SluseEscalated).toEqual([true]);
  const after = await upsertsOf(handle);
  // The list's change, and the patch's own TemporalChangeVersion the first time it is asked.
  const written = after
    .slice(before)
    .flatMap((u) => Object.keys(u.searchAttributes?.indexedFields ?? {}));
  expect(written.filter((k) => k !== 'TemporalChangeVersion')).toEqual(['SluseEscalated']);
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('waited 10 s');
}
