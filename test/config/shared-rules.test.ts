/**
 * Rules said once, as the validator reads them: a shared-events group and a computed value are
 * accepted as written in the fixture, and each mistake is refused at its JSON path with a stable
 * code and a bokmål message.
 */
import type { ConfigError, KommuneConfig } from '../../config';
import { diffConfigs } from '../../store/config-diff';
import { diagramSize } from '../../server/visualizer/diagram-limits';
import sharedRules from '../workflows/fixtures/shared-rules.json';
import { refusalsAfterEdit } from './helpers/refusals';

type Editable = {
  sharedEvents: Record<string, Record<string, unknown>>;
  computed: Record<string, unknown>;
  steps: Record<string, { on?: Record<string, unknown>; level: number }>;
  consentTypes?: Record<string, unknown>;
};

const errorsOf = (edit: (c: Editable) => void): ConfigError[] =>
  refusalsAfterEdit(sharedRules, edit);

const group = (c: Editable) => c.sharedEvents.trekkSamtykke!;
const codesAt = (errors: ConfigError[]) => errors.map((e) => [e.code, e.path]);

test('when a group picks steps by level and a computed value is read in a gate and a result, then the config is valid', () => {
  expect(errorsOf(() => {})).toEqual([]);
});

test('when a group names its steps by id instead of a level range, then the config is valid', () => {
  expect(
    errorsOf((c) => {
      delete group(c).levels;
      group(c).steps = ['kartlegging', 'tverrfaglig'];
    }),
  ).toEqual([]);
});

test('when a group names a step that does not exist, then it is refused at that entry with a suggestion, in bokmål too', () => {
  const errors = errorsOf((c) => (group(c).exceptSteps = ['tverfaglig']));
  expect(errors).toEqual([
    expect.objectContaining({
      code: 'SHARED_EVENTS_UNKNOWN_STEP',
      path: '/sharedEvents/trekkSamtykke/exceptSteps/0',
      nb: 'Felleshendelsene «trekkSamtykke» viser til steget «tverfaglig», som ikke finnes',
      hint: 'did you mean "tverrfaglig"?',
    }),
  ]);
});

test('when a group picks no open step, then it is refused at the group', () => {
  // Level 0 has only "mottak", and it is left out.
  const errors = errorsOf((c) => {
    group(c).levels = [0];
    group(c).exceptSteps = ['mottak'];
  });
  expect(errors).toContainEqual(
    expect.objectContaining({
      code: 'SHARED_EVENTS_NO_STEPS',
      path: '/sharedEvents/trekkSamtykke',
      nb: 'Felleshendelsene «trekkSamtykke» gjelder ikke i noe steg: ingen åpne steg har disse nivåene eller er nevnt i «steps»',
    }),
  );
});

test('when a group names a final step, or a step that handles the event itself, then each is refused at its entry', () => {
  const errors = errorsOf((c) => {
    delete group(c).levels;
    group(c).steps = ['kartlegging', 'trukket', 'spesialist'];
  });
  expect(codesAt(errors)).toEqual([
    ['SHARED_EVENTS_FINAL_STEP', '/sharedEvents/trekkSamtykke/steps/1'],
    ['SHARED_EVENTS_STEP_HANDLES_ITSELF', '/sharedEvents/trekkSamtykke/steps/2'],
  ]);
  expect(errors.every((e) => e.nb && e.message)).toBe(true);
});

test('when a shared transition targets an unknown step, then it is refused once, at the group, not per step', () => {
  const errors = errorsOf((c) => (group(c).on = { trekkSamtykke: { target: 'trukkett' } }));
  // Three steps get the transition; its one place is named once ("trukket" is now unreachable).
  expect(errors.map((e) => e.path)).toEqual([
    '/sharedEvents/trekkSamtykke/on/trekkSamtykke/target',
    '/steps/trukket',
  ]);
});

test('when a group handles an event that is not declared, then it is refused at that event', () => {
  const errors = errorsOf((c) => (group(c).on = { trekkSamtykket: { target: 'trukket' } }));
  expect(codesAt(errors)).toContainEqual([
    'SHARED_EVENTS_UNKNOWN_EVENT',
    '/sharedEvents/trekkSamtykke/on/trekkSamtykket',
  ]);
});

test('when two groups give one step the same event, then the second is refused at its event', () => {
  const errors = errorsOf(
    (c) =>
      (c.sharedEvents.ogsaa = {
        steps: ['tverrfaglig'],
        on: { trekkSamtykke: { target: 'avsluttet' } },
      }),
  );
  expect(errors).toEqual([
    expect.objectContaining({
      code: 'SHARED_EVENTS_TWICE',
      path: '/sharedEvents/ogsaa/on/trekkSamtykke',
      nb: 'Steget «tverrfaglig» får «trekkSamtykke» fra både felleshendelsene «trekkSamtykke» og «ogsaa»',
    }),
  ]);
});

test('when a consent is lost in a step that only a shared event leads out of, then the consent check accepts the shared handler, and refuses the step left out', () => {
  const lostIn = (c: Editable) => {
    c.consentTypes = {
      samarbeid: { title: 'Samarbeid', givenBy: ['parent'], whenLost: 'trekkSamtykke' },
    };
    (c.steps.tverrfaglig as Record<string, unknown>).requiresConsent = ['samarbeid'];
  };
  expect(errorsOf(lostIn)).toEqual([]);
  const leftOut = errorsOf((c) => {
    lostIn(c);
    group(c).exceptSteps = ['tverrfaglig'];
  });
  expect(leftOut.map((e) => e.path)).toEqual(['/steps/tverrfaglig/on']);
});

test('when a rule reads a computed value that is not defined, then it is refused at the var with a suggestion', () => {
  const errors = errorsOf(
    (c) => (c.computed.trengerTeam = { '>=': [{ var: 'computed.sjeklisteskaar' }, 5] }),
  );
  expect(errors).toEqual([
    expect.objectContaining({
      code: 'COMPUTED_UNKNOWN',
      path: '/computed/trengerTeam/>=/0/var',
      hint: 'did you mean "computed.sjekklisteskaar"?',
    }),
  ]);
});

test('when computed values read each other in a circle, then each is refused at its name, with the circle', () => {
  const errors = errorsOf((c) => {
    c.computed.sjekklisteskaar = { '+': [{ var: 'computed.trengerTeam' }, 1] };
  });
  expect(codesAt(errors)).toEqual([
    ['COMPUTED_CYCLE', '/computed/sjekklisteskaar'],
    ['COMPUTED_CYCLE', '/computed/trengerTeam'],
  ]);
  expect(errors[0]?.nb).toBe(
    'Den beregnede verdien «sjekklisteskaar» avhenger av seg selv: «sjekklisteskaar» → «trengerTeam» → «sjekklisteskaar»',
  );
});

test('when a chain of computed values is deeper than 8, then the top of it is refused', () => {
  const errors = errorsOf((c) => {
    for (let i = 0; i < 9; i++)
      c.computed[`v${i}`] = i === 0 ? true : { var: `computed.v${i - 1}` };
  });
  expect(codesAt(errors)).toEqual([['COMPUTED_CHAIN_TOO_LONG', '/computed/v8']]);
});

test('when a group has a key the schema does not know, then the schema refuses it at that key', () => {
  const errors = errorsOf((c) => (group(c).nivaer = [1]));
  expect(errors.map((e) => e.path)).toEqual(['/sharedEvents/trekkSamtykke/nivaer']);
});

test('when a group narrows its levels, then the diff names the group once and the one step that lost its handler, and a changed computed value once', () => {
  const before = structuredClone(sharedRules) as unknown as KommuneConfig;
  const after = structuredClone(sharedRules) as unknown as Editable;
  group(after).levels = { from: 2, to: 3 };
  after.computed.trengerTeam = { '>=': [{ var: 'computed.sjekklisteskaar' }, 6] };
  const changes = diffConfigs(before, after as unknown as KommuneConfig);
  // tverrfaglig keeps the group's handler, and spesialist has its own: neither changed.
  expect(
    changes
      .filter((c) => c.path.startsWith('/sharedEvents/trekkSamtykke'))
      .map((c) => [c.kind, c.path, c.step]),
  ).toEqual([
    ['changed', '/sharedEvents/trekkSamtykke', undefined],
    ['removed', '/sharedEvents/trekkSamtykke/on/trekkSamtykke', 'kartlegging'],
  ]);
  expect(changes).toContainEqual({
    kind: 'changed',
    area: 'gate',
    path: '/computed/trengerTeam',
    message:
      'Den beregnede verdien «trengerTeam» er endret: nå «sjekklisteskaar» (beregnet) er minst 6 (før: «sjekklisteskaar» (beregnet) er minst 5).',
  });
});

test("when the diagram's size is counted, then a group counts once in each step it picks", () => {
  const own = structuredClone(sharedRules) as unknown as Editable;
  delete (own as Partial<Editable>).sharedEvents;
  expect(diagramSize(sharedRules).transitions - diagramSize(own).transitions).toBe(3);
});
