import type { KommuneConfig } from '../../config/types';
import { addDuration, compileKommune, migrateCase, openCase, type Actor } from '../../machines';
import { accepted, loadSeed, rejected } from './support';

const T0 = '2027-03-01T08:00:00.000Z';
const veiviser: Actor = { id: 'v-1', role: 'veiviser' };

function openOnV1() {
  const k1 = compileKommune(loadSeed('lorenskog'), 1);
  return accepted(
    openCase(k1, {
      caseId: 'm-1',
      referralSource: 'nav',
      payload: { henvendelsesgjelder: 'barn' },
      actor: veiviser,
      now: T0,
    }),
  ).state;
}

/** Version 2 of Lørenskog with the intake step's standing-still timer changed from 5 to 10 days. */
function v2(change: (c: KommuneConfig) => void = () => undefined) {
  const c = loadSeed('lorenskog');
  const timer = c.steps.mottak.timers!.find((t) => t.id === 'avklaringsfrist') as { after: string };
  timer.after = 'P10D';
  change(c);
  return compileKommune(c, 2);
}

describe('migrating a running case to a newer config version', () => {
  test('when the step exists in the new version, then the case moves and its timers follow the new rules from the original start', () => {
    const s = openOnV1();
    const r = accepted(migrateCase(v2(), s, { now: '2027-03-02T08:00:00.000Z' }));
    expect(r.state).toMatchObject({ configVersion: 2, step: 'mottak', revision: s.revision + 1 });
    const days = loadSeed('lorenskog').steps.mottak.timers!.find(
      (t) => t.id === 'avklaringsfrist',
    )!.days;
    expect(r.state.timers.find((t) => t.timerId === 'avklaringsfrist')!.dueAt).toBe(
      addDuration(s.lastActivityAt, 'P10D', days),
    );
    expect(r.transition).toEqual({ from: 'mottak', to: 'mottak', event: 'sluse.migrate' });
  });

  test('when the case step is gone in the new version and no mapping is given, then the migration is refused with the reason', () => {
    const k2 = v2((c) => {
      c.steps.inntak = c.steps.mottak;
      delete c.steps.mottak;
      c.intake.step = 'inntak';
    });
    const rej = rejected(migrateCase(k2, openOnV1(), { now: T0 }));
    expect(rej.code).toBe('MIGRATION_REFUSED');
    expect(rej.message).toMatch(/"mottak" is not in version 2/);
    const ok = accepted(
      migrateCase(k2, openOnV1(), { now: T0, stepMapping: { mottak: 'inntak' } }),
    );
    expect(ok.state.step).toBe('inntak');
  });

  test('when the version is not newer than the case, then the migration is refused', () => {
    const s = openOnV1();
    expect(
      rejected(migrateCase(compileKommune(loadSeed('lorenskog'), 1), s, { now: T0 })).code,
    ).toBe('MIGRATION_REFUSED');
  });
});
