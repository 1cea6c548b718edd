/**
 * Timers after a publish and a migration, in skipped time: a case left on the old version
 * fires by the old rule, a migrated case by the new rule counted from when it entered the step.
 */
import type { Actor } from '../../machines';
import { migrateCaseUpdate } from '../../workflows';
import { DAY, timeSkippingCases } from '../workflows/case-harness';
import { testKommune } from './test-kommune';

jest.setTimeout(120_000);

const K = 'testby';
const koordinator: Actor = { id: 'k-1', role: 'koordinator' };
const owner: Actor = { id: 'po-1', role: 'prosesseier' };

const t = timeSkippingCases();

test('when the deadline is shortened from 14 to 3 days and one case is migrated, then it fires after 3 days and the unmigrated case only after 14', async () => {
  const { env, h } = t;
  const v2 = testKommune(K);
  v2.steps.mottak.timers![0] = { ...v2.steps.mottak.timers![0], after: 'P3D' } as never;

  const migrated = await h.open(K, {
    referralSource: 'skole',
    payload: {},
    actor: koordinator,
    config: testKommune(K),
  });
  const kept = await h.open(K, {
    referralSource: 'skole',
    payload: {},
    actor: koordinator,
    config: testKommune(K),
  });
  await env.sleep(DAY);

  const after = await migrated.handle.executeUpdate(migrateCaseUpdate, {
    args: [
      {
        config: v2,
        configVersion: 2,
        actor: owner,
        expectedRevision: migrated.view.state.revision,
      },
    ],
  });
  expect(after.state.configVersion).toBe(2);

  await env.sleep(2 * DAY + 3_600_000);
  const fired = (await h.history(migrated.handle)).filter((e) => e.kind === 'timer');
  expect(fired.map((e) => e.what)).toEqual([expect.stringMatching(/^mottak\/vurdering\//)]);
  expect((await h.history(kept.handle)).filter((e) => e.kind === 'timer')).toEqual([]);
  expect((await h.notifications(K, migrated.caseId)).map((n) => n.to)).toContain('leder');

  await env.sleep(11 * DAY);
  expect((await h.history(kept.handle)).filter((e) => e.kind === 'timer')).toHaveLength(1);
  expect((await h.view(kept.handle)).state.configVersion).toBe(1);
});
