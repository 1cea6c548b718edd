import { diffConfigs, describeDuration } from '../../store';
import { testKommune } from './test-kommune';
import { seedConfig } from './helpers';

const K = 'testby';

function changed(edit: (c: ReturnType<typeof testKommune>) => void) {
  const after = testKommune(K);
  edit(after);
  return diffConfigs(testKommune(K), after);
}

describe('diff of two configs in words a process owner reads', () => {
  test('when nothing changed but the order of keys, then there is no change to report', () => {
    const reordered = Object.fromEntries(Object.entries(seedConfig('oygarden')).reverse());
    expect(diffConfigs(seedConfig('oygarden'), reordered as never)).toEqual([]);
  });

  test('when a step is added, removed and changed, then each is said with its title, level and holder', () => {
    const changes = changed((c) => {
      c.steps.ressursteam = { title: 'Ressursteam', level: 2, holderRole: 'leder' };
      delete c.steps.kartlegging;
      c.steps.mottak.title = 'Innkommet';
      c.steps.mottak.level = 1;
      c.steps.mottak.holderRole = 'leder';
    });
    expect(changes.map((c) => [c.kind, c.area, c.path, c.step, c.message])).toEqual(
      expect.arrayContaining([
        [
          'added',
          'step',
          '/steps/ressursteam',
          'ressursteam',
          'Nytt steg «Ressursteam» (ressursteam) på nivå 2, holdt av «Leder» (leder).',
        ],
        [
          'removed',
          'step',
          '/steps/kartlegging',
          'kartlegging',
          'Steget «Kartlegging» (kartlegging) er fjernet. Saker som står der må flyttes til et annet steg når de migreres.',
        ],
        [
          'changed',
          'step',
          '/steps/mottak/title',
          'mottak',
          'Steget «Innkommet» (mottak): tittelen er endret fra «Mottak».',
        ],
        [
          'changed',
          'step',
          '/steps/mottak/level',
          'mottak',
          'Steget «Innkommet» (mottak): BTI-nivået er endret fra 0 til 1.',
        ],
        [
          'changed',
          'step',
          '/steps/mottak/holderRole',
          'mottak',
          'Steget «Innkommet» (mottak): stafettholderen har nå rollen «Leder» (leder) (før: «Koordinator» (koordinator)).',
        ],
      ]),
    );
  });

  test('when gates change, then the new and the old way out of the step are both shown', () => {
    const changes = changed((c) => {
      c.steps.mottak.on!.henvis = [
        { target: 'kartlegging', when: { '==': [{ var: 'payload.haster' }, true] } },
        { target: 'avsluttet' },
      ];
      delete c.steps.mottak.on!.avslutt;
      c.steps.kartlegging.on!.henvis = { target: 'mottak' };
    });
    expect(changes.map((c) => c.message)).toEqual(
      expect.arrayContaining([
        'I steget «Mottak» (mottak) fører «Henvis til kartlegging» (henvis) nå til «Kartlegging» (kartlegging) når «haster» er ja, ellers til «Avsluttet» (avsluttet) (før: til «Kartlegging» (kartlegging)).',
        'I steget «Mottak» (mottak) kan «Avslutt» (avslutt) ikke lenger sendes (før: til «Avsluttet» (avsluttet)).',
        'I steget «Kartlegging» (kartlegging) kan «Henvis til kartlegging» (henvis) nå sendes: til «Mottak» (mottak).',
      ]),
    );
    expect(changes.every((c) => c.area === 'gate' && c.step !== undefined)).toBe(true);
  });

  test('when a step is set to start over on an event, then the owner reads that it starts over instead of staying', () => {
    const before = testKommune(K);
    before.steps.kartlegging.on!.henvis = {};
    const after = testKommune(K);
    after.steps.kartlegging.on!.henvis = { target: 'kartlegging', reenter: true };
    expect(diffConfigs(before, after).map((c) => c.message)).toEqual([
      'I steget «Kartlegging» (kartlegging) fører «Henvis til kartlegging» (henvis) nå til at steget starter på nytt (før: saken blir i steget).',
    ]);
  });

  test('when timers change, then the owner reads the old and new rule in days, weeks or working days', () => {
    const changes = changed((c) => {
      c.steps.mottak.timers = [
        {
          id: 'vurdering',
          kind: 'deadline',
          title: 'Vurdering',
          after: 'P2W',
          days: 'working',
          onExpiry: [{ type: 'notify', role: 'leder', template: 'frist' }],
        },
        {
          id: 'minne',
          kind: 'reminder',
          timer: 'vurdering',
          before: 'P1D',
          onExpiry: [{ type: 'notify', role: 'holder', template: 'frist' }],
        },
      ];
      c.steps.kartlegging.timers = [];
    });
    expect(changes.map((c) => [c.kind, c.path, c.message])).toEqual([
      [
        'changed',
        '/steps/mottak/timers/0',
        'I steget «Mottak» (mottak): fristen «Vurdering» (vurdering) går nå 2 uker etter at saken kom inn i steget (før: 14 dager etter at saken kom inn i steget).',
      ],
      [
        'added',
        '/steps/mottak/timers/1',
        'I steget «Mottak» (mottak) er påminnelsen «minne» lagt til: 1 dag før «vurdering».',
      ],
      [
        'removed',
        '/steps/kartlegging/timers/0',
        'I steget «Kartlegging» (kartlegging) er stillstandsvarselet «stillstand» fjernet (var: når saken har stått stille i 30 dager).',
      ],
    ]);
  });

  test('when roles and events change, then who may send what is said role by role', () => {
    const changes = changed((c) => {
      c.roles.foresatt = { title: 'Foresatt' };
      delete c.roles.leder;
      c.events.avslutt.roles = ['leder'];
      c.events.henvis.title = 'Send videre';
      c.intake.step = 'kartlegging';
    });
    expect(changes.map((c) => c.message)).toEqual(
      expect.arrayContaining([
        'Ny rolle «Foresatt» (foresatt).',
        'Rollen «Leder» (leder) er fjernet.',
        '«leder» kan nå sende «Avslutt» (avslutt).',
        '«Koordinator» (koordinator) kan ikke lenger sende «Avslutt» (avslutt).',
        'Hendelsen «Send videre» (henvis): tittelen er endret fra «Henvis til kartlegging».',
        'Nye saker starter nå i «Kartlegging» (kartlegging) (før: «Mottak» (mottak)).',
      ]),
    );
  });

  test('when a role is given another view of the cases, then the diff says which cases it sees now and before', () => {
    const changes = changed((c) => {
      c.roles.koordinator.sees = 'kommune';
      c.roles.leder = { ...c.roles.leder, sees: 'own' };
    });
    expect(changes.map((c) => [c.path, c.message])).toEqual([
      [
        '/roles/koordinator',
        'Rollen «Koordinator» (koordinator) ser nå alle saker i kommunen (før: bare saker den holder eller er i teamet til).',
      ],
      [
        '/roles/leder',
        'Rollen «Leder» (leder) ser nå bare saker den holder eller er i teamet til (før: alle saker i kommunen).',
      ],
    ]);
  });

  test('when something without its own sentence changes, then it is still reported', () => {
    const changes = changed((c) => {
      (c.steps.mottak as unknown as Record<string, unknown>).notat = 'x';
      c.capacity = [{ role: 'koordinator', maxOpenCases: 5, whenFull: 'reject' }];
    });
    expect(changes.map((c) => c.path)).toEqual(['/steps/mottak/notat', '/capacity']);
  });

  test('when a shared-events group changes, then it is said once for the group, and per step only where the step runs the group’s handler', () => {
    const base = seedConfig('oygarden');
    // ressursteam (level 2) has a withdraw handler of its own, which wins over the group's.
    const ownWithdraw = { effects: [{ type: 'withdrawConsent', consent: 'deling_ressursteam' }] };
    base.steps.ressursteam!.on!.trekkSamtykke = ownWithdraw as never;
    const after = JSON.parse(JSON.stringify(base)) as typeof base;
    after.sharedEvents!.trekkSamtykke!.on.trekkSamtykke = ownWithdraw as never;
    const changes = diffConfigs(base, after);
    expect(changes.map((c) => [c.path, c.step, c.message])).toEqual([
      ['/sharedEvents/trekkSamtykke', undefined, 'Felleshendelsene «trekkSamtykke» er endret.'],
      ...['avklaringssamtale', 'lavterskeltiltak', 'familielos'].map((step) => [
        '/sharedEvents/trekkSamtykke/on/trekkSamtykke',
        step,
        expect.stringMatching(/fra felleshendelsene «trekkSamtykke» endret\.$/),
      ]),
    ]);
  });

  test('when only a shared-events group’s description changes, then the group is reported and no step', () => {
    const base = seedConfig('oygarden');
    const after = seedConfig('oygarden');
    after.sharedEvents!.trekkSamtykke!.description = 'Ny forklaring.';
    expect(diffConfigs(base, after).map((c) => [c.path, c.step])).toEqual([
      ['/sharedEvents/trekkSamtykke', undefined],
    ]);
  });

  test('when durations are described, then units read naturally in Norwegian', () => {
    expect(describeDuration('P1Y6M')).toBe('1 år og 6 måneder');
    expect(describeDuration('P1D', 'working')).toBe('1 virkedag');
    expect(describeDuration('PT12H')).toBe('12 timer');
  });

  test("when the online self-assessment's questions or results change, or an age band goes, then each age band's change is said", () => {
    const before = seedConfig('oygarden');
    const after = seedConfig('oygarden');
    const [small, school] = after.screening!.ageBands;
    small.questions[0].options[2].weight = 3;
    school.results[0].offers = [];
    after.screening!.ageBands.pop();
    expect(diffConfigs(before, after).map((c) => [c.kind, c.area, c.path, c.message])).toEqual([
      [
        'changed',
        'screening',
        '/screening/ageBands/0',
        'Aldersgruppen «Barn 0–5 år» i egenvurderingen har endret spørsmål, svar eller vekter.',
      ],
      [
        'changed',
        'screening',
        '/screening/ageBands/1',
        'Aldersgruppen «Barn 6–12 år» i egenvurderingen har endret resultater eller tilbud.',
      ],
      [
        'removed',
        'screening',
        '/screening/ageBands/2',
        'Aldersgruppen «Ungdom 13–18 år» er fjernet fra egenvurderingen.',
      ],
    ]);
  });
});
