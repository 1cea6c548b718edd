/**
 * Payload forms as the engine enforces them inside the workflow sandbox: patterns run on RE2
 * (a catastrophic-backtracking pattern answers at once) and free text has a default bound.
 */
import { Worker } from '@temporalio/worker';
import { validateConfig, type KommuneConfig } from '../../config';
import { FormLimits } from '../../config/form-bounds';
import type { Actor } from '../../machines';
import { minimalConfig } from '../config/helpers/fixtures';
import { workflowBundle } from '../support/temporal';
import { rejectionOf, timeSkippingCases } from './case-harness';

jest.setTimeout(120_000);

const ctx = timeSkippingCases();
const teacher: Actor = { id: 'teacher-1', role: 'teacher' };

/** The minimal kommune, its ASSESS form with a backtracking pattern and a free-text note. */
function patternKommune(): KommuneConfig {
  const config = minimalConfig();
  config.events.ASSESS.payload = {
    type: 'object',
    additionalProperties: false,
    required: ['score'],
    properties: {
      score: { type: 'integer', minimum: 0 },
      kode: { type: 'string', pattern: '^(a+)+$' },
      note: { type: 'string' },
    },
  };
  const checked = validateConfig(config);
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  return config;
}

test('when a payload is sent against a form with a backtracking pattern, then the case answers at once, is not changed, and its history replays', async () => {
  const { h } = ctx;
  const { handle } = await h.open('minimal', {
    referralSource: 'school',
    payload: { childAge: 9 },
    actor: teacher,
    config: patternKommune(),
  });
  const before = await h.view(handle);

  const started = Date.now();
  const refused = await rejectionOf(
    h.send(handle, 'ASSESS', teacher, { score: 5, kode: `${'a'.repeat(40)}!` }),
  );
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(refused).toMatchObject({
    code: 'PAYLOAD_INVALID',
    details: [expect.objectContaining({ path: '/kode' })],
  });

  const tooLong = await rejectionOf(
    h.send(handle, 'ASSESS', teacher, { score: 5, note: 'x'.repeat(FormLimits.textLength + 1) }),
  );
  expect(tooLong).toMatchObject({
    code: 'PAYLOAD_INVALID',
    details: [
      { path: '/note', message: `must NOT have more than ${FormLimits.textLength} characters` },
    ],
  });
  expect((await h.view(handle)).state).toEqual(before.state);

  const moved = await h.send(handle, 'ASSESS', teacher, {
    score: 5,
    kode: 'aaa',
    note: 'x'.repeat(FormLimits.textLength),
  });
  expect(moved.state.step).toBe('talk');

  // The same run replays on the current code: RE2 and the bounds are deterministic in the sandbox.
  await Worker.runReplayHistory(
    { workflowBundle: await workflowBundle() },
    await handle.fetchHistory(),
    handle.workflowId,
  );
});

test('when a case is read, then each allowed event carries its form with the default bound the engine enforces', async () => {
  const { h } = ctx;
  const { handle } = await h.open('minimal', {
    referralSource: 'school',
    payload: {},
    actor: teacher,
    config: patternKommune(),
  });
  const assess = (await h.view(handle, 'teacher')).allowedEvents.find((e) => e.type === 'ASSESS');
  expect(assess?.payloadSchema).toMatchObject({
    properties: {
      kode: { type: 'string', pattern: '^(a+)+$', maxLength: FormLimits.textLength },
      note: { type: 'string', maxLength: FormLimits.textLength },
      score: { type: 'integer', minimum: 0 },
    },
  });
});
