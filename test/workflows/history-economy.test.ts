/**
 * A case lives for months and continues-as-new when its history grows: what a command writes
 * into that history should be what it changed, not a restarted timer or a repeated upsert.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { KommuneConfig } from '../../config/types';
import { DAY, timeSkippingCases } from './case-harness';

jest.setTimeout(120_000);

const t = timeSkippingCases();
const config = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'testkommune.json'), 'utf8'),
) as KommuneConfig;
const koordinator = { id: 'k-1', role: 'koordinator' };

async function timersStarted(handle: WorkflowHandle): Promise<number> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).filter((e) => e.timerStartedEventAttributes).length;
}

test('when commands leave the next due time where it is or move it later, then no timer is restarted, and the moved deadline still fires once, on time', async () => {
  const { caseId, handle } = await t.h.open(config.id, {
    referralSource: 'skole',
    payload: {},
    actor: koordinator,
    config,
  });
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

test('when a command changes only the last activity, then only that search attribute is upserted, and the list still reads every value', async () => {
  const { handle } = await t.h.open(config.id, {
    referralSource: 'skole',
    payload: {},
    actor: koordinator,
    config,
  });
  await t.h.send(handle, 'settFrist', koordinator, {
    frist: new Date((await t.env.currentTimeMs()) + 10 * DAY).toISOString(),
  });
  await t.env.sleep(60_000);
  await t.h.send(handle, 'varsle', koordinator);

  const upserts = ((await handle.fetchHistory()).events ?? []).filter(
    (e) => e.upsertWorkflowSearchAttributesEventAttributes,
  );
  const last = upserts[upserts.length - 1].upsertWorkflowSearchAttributesEventAttributes!;
  expect(Object.keys(last.searchAttributes?.indexedFields ?? {})).toEqual(['SluseLastActivityAt']);

  const listed = (await handle.describe()).searchAttributes;
  expect(listed).toMatchObject({
    SluseKommune: [config.id],
    SluseStep: ['venter'],
    SluseStatus: ['open'],
    SluseReferralSource: ['skole'],
  });
  expect(listed.SluseNextDueAt).toHaveLength(1);
});

test('when a case is opened and sent commands, then its history asks one patch, writes the log in the same workflow tasks, and keeps answers without the forms of every event', async () => {
  const { handle } = await t.h.open(config.id, {
    referralSource: 'skole',
    payload: {},
    actor: koordinator,
    config,
  });
  const answer = await t.h.send(handle, 'settFrist', koordinator, {
    frist: new Date((await t.env.currentTimeMs()) + 10 * DAY).toISOString(),
  });
  await t.h.send(handle, 'varsle', koordinator);

  const events = (await handle.fetchHistory()).events ?? [];
  const markers = events.map((e) => e.markerRecordedEventAttributes?.markerName).filter(Boolean);
  // One marker for every change the workflow ever made, not one (and an upsert) per change.
  expect(markers.filter((m) => m === 'core_patch')).toHaveLength(1);
  // The log is written by local activities: markers in the command's own task, no activity task.
  expect(markers).toContain('core_local_activity');
  const activities = events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name);
  expect(activities).not.toContain('appendCaseLog');
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
