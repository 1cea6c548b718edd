/**
 * A family's own request for contact (`selfReferral`): a parent or youth role opens the case in
 * the configured step, which need not be the intake step — its timers start as on any entry —
 * with the answers as the payload and the asker on the team, so a family role sees it. Staff,
 * other referral sources and answers of the wrong shape are refused, and a config's
 * `selfReferral` is checked where it is written.
 */
import { validateConfig } from '../../config';
import type { KommuneConfig } from '../../config/types';
import { compileKommune, isCaseMember, openCase } from '../../machines';
import { minimalConfig } from '../config/helpers/fixtures';
import { accepted, rejected } from './support';

const NOW = '2026-03-02T09:00:00.000Z';

function withSelfReferral(edit: (c: KommuneConfig) => void = () => {}): KommuneConfig {
  const c = minimalConfig();
  c.roles.parent = { title: 'Forelder', family: true, consentsAs: 'parent' };
  c.roles.youth = { title: 'Ungdom', family: true, consentsAs: 'youth' };
  c.referralSources.family = { title: 'Familien selv' };
  c.selfReferral = { step: 'talk', referralSource: 'family' };
  edit(c);
  return c;
}

const open = (config: KommuneConfig, input: Partial<Parameters<typeof openCase>[1]> = {}) =>
  openCase(compileKommune(config, 1), {
    caseId: 'c-1',
    referralSource: 'family',
    payload: { answers: { q1: 'often' }, ageBand: 'barn6_12' },
    actor: { id: 'fam-abc', role: 'parent' },
    now: NOW,
    selfReferral: true,
    ...input,
  });

test('a parent asking for contact opens the case in the self-referral step, on its team, with the answers', () => {
  const { state, transition } = accepted(open(withSelfReferral()));
  expect(transition).toMatchObject({ from: null, to: 'talk' });
  expect(state).toMatchObject({
    step: 'talk',
    level: 1,
    referralSource: 'family',
    holder: null,
    data: { answers: { q1: 'often' }, ageBand: 'barn6_12' },
  });
  expect(state.team).toEqual([{ id: 'fam-abc', role: 'parent' }]);
  expect(isCaseMember(state, 'fam-abc')).toBe(true);
  // The step's timers start as when a case enters it any other way.
  expect(state.timers.length).toBeGreaterThan(0);
});

test('a youth role may ask for themselves; a staff role, or a kommune without selfReferral, may not', () => {
  expect(
    accepted(open(withSelfReferral(), { actor: { id: 'fam-y', role: 'youth' } })).state.team,
  ).toEqual([{ id: 'fam-y', role: 'youth' }]);
  expect(rejected(open(withSelfReferral(), { actor: { id: 't-1', role: 'teacher' } })).code).toBe(
    'ROLE_NOT_ALLOWED',
  );
  expect(rejected(open(withSelfReferral((c) => delete c.selfReferral))).nb).toBe(
    'Kommunen tar ikke imot henvendelser direkte fra familier her.',
  );
});

test('another referral source, or answers that are not question id → option id, are refused', () => {
  expect(rejected(open(withSelfReferral(), { referralSource: 'school' })).code).toBe(
    'REFERRAL_SOURCE_UNKNOWN',
  );
  for (const payload of [
    { answers: { q1: 3 } },
    { answers: { 'q 1': 'a' } },
    { answers: {}, name: 'Kari' },
    { answers: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`q${i}`, 'a'])) },
  ])
    expect(rejected(open(withSelfReferral(), { payload })).code).toBe('PAYLOAD_INVALID');
});

test('selfReferral in a config: an unknown or final step, an unknown source and no parent role are refused where written', () => {
  const codes = (c: KommuneConfig) => {
    const result = validateConfig(c);
    return result.ok ? [] : result.errors.map((e) => [e.code, e.path]);
  };
  expect(codes(withSelfReferral())).toEqual([]);
  expect(codes(withSelfReferral((c) => (c.selfReferral!.step = 'nowhere')))).toEqual([
    ['UNKNOWN_STEP', '/selfReferral/step'],
  ]);
  expect(codes(withSelfReferral((c) => (c.selfReferral!.step = 'closed')))).toEqual([
    ['SELF_REFERRAL_FINAL_STEP', '/selfReferral/step'],
  ]);
  expect(codes(withSelfReferral((c) => (c.selfReferral!.referralSource = 'nobody')))).toEqual([
    ['SELF_REFERRAL_UNKNOWN_SOURCE', '/selfReferral/referralSource'],
  ]);
  expect(codes(withSelfReferral((c) => delete c.roles.parent))).toEqual([
    ['SELF_REFERRAL_NO_PARENT_ROLE', '/selfReferral'],
  ]);
});

test("a youth asking for themselves brings their age from sign-in: it becomes the case's age the consent reads; a parent's age, or a youth below the kommune's age, is refused", () => {
  const youth = { id: 'fam-y', role: 'youth' };
  const { state } = accepted(
    open(withSelfReferral(), { actor: youth, payload: { answers: {}, age: 15 } }),
  );
  // Recorded where the consent type reads the age (minimal's `childAge`), not as `age`.
  expect(state.data).toEqual({ answers: {}, childAge: 15 });
  expect(rejected(open(withSelfReferral(), { payload: { answers: {}, age: 40 } })).code).toBe(
    'PAYLOAD_INVALID',
  );
  expect(
    rejected(open(withSelfReferral(), { actor: youth, payload: { answers: {}, age: 14 } })).nb,
  ).toBe('Du må være minst 15 år for å be om kontakt selv.');
});

test("the family's own request sends the messages selfReferral names (nobody holds the case yet); a wrong template or effect kind there is refused where written", () => {
  const config = withSelfReferral((c) => {
    c.selfReferral!.effects = [{ type: 'notify', role: 'leader', template: 'reminder' }];
  });
  expect(accepted(open(config)).effects).toEqual([
    expect.objectContaining({ type: 'notify', role: 'leader', template: 'reminder' }),
  ]);
  // Staff opening a case the ordinary way send none of them.
  const staff = openCase(compileKommune(config, 1), {
    caseId: 'c-2',
    referralSource: 'school',
    payload: { childAge: 9 },
    actor: { id: 't-1', role: 'teacher' },
    now: NOW,
  });
  expect(accepted(staff).effects).not.toContainEqual(
    expect.objectContaining({ template: 'reminder', role: 'leader' }),
  );

  const codes = (c: KommuneConfig) => {
    const result = validateConfig(c);
    return result.ok ? [] : result.errors.map((e) => [e.code, e.path]);
  };
  expect(
    codes(
      withSelfReferral((c) => {
        c.selfReferral!.effects = [{ type: 'notify', role: 'leader', template: 'nothing' }];
      }),
    ),
  ).toEqual([['UNKNOWN_TEMPLATE', '/selfReferral/effects/0/template']]);
  expect(
    codes(
      withSelfReferral((c) => {
        (c.selfReferral as { effects: unknown[] }).effects = [{ type: 'markOverdue' }];
      }),
    ).map(([, path]) => path),
  ).toContain('/selfReferral/effects/0/type');
});
