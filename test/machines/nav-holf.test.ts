/**
 * NAV HOLF: inclusion and exclusion as data rules, voluntary consent, family mapping with one
 * section per child, the family plan, FGE meetings, the 14-day collaboration meeting and exits.
 */
import {
  applyEvent,
  capacityRoleFor,
  fireTimer,
  openCase,
  type Actor,
  type CaseState,
} from '../../machines';
import { accepted, compileSeed, dueTimes, rejected, timerKey } from './support';

const k = compileSeed('nav-holf');
const veileder: Actor = { id: 'veileder-1', role: 'nav_veileder' };
const fk: Actor = { id: 'fk-1', role: 'familiekoordinator' };

const T0 = '2027-05-03T07:00:00.000Z'; // Monday 09:00 in Oslo (summer time)
const noIncome = {
  langvarigSosialhjelp: false,
  gjentattSosialhjelp: false,
  aapMedSosialhjelp: false,
  dagpengerMedSosialhjelp: false,
  kvpMedSosialhjelp: false,
};
const noExclusion = {
  iTilsvarendeOppfolging: false,
  iBehandlingPsykiskLidelseEllerRus: false,
  barnUnderBarnevernetsOmsorg: false,
};
const fge = {
  forberedelse: 'Mål: bli enige om familieplanen',
  gjennomforing: 'Meny-agenda, åpne spørsmål',
  etterrefleksjon: 'Familien deltok aktivt',
};

function open(overrides: Record<string, unknown> = {}): CaseState {
  const payload = {
    inntekt: { ...noIncome, langvarigSosialhjelp: true },
    antallBarnUnder18Hjemme: 2,
    eksklusjon: noExclusion,
    familiekoordinator: 'fk-1',
    ...overrides,
  };
  return accepted(
    openCase(k, {
      caseId: 'h-1',
      referralSource: 'nav_sosialtjeneste',
      payload,
      actor: veileder,
      now: T0,
    }),
  ).state;
}

function send(state: CaseState, type: string, actor: Actor, now: string, payload?: unknown) {
  return applyEvent(k, state, { type, actor, payload }, now);
}

function inFollowUp(): CaseState {
  let s = accepted(send(open(), 'vurderInklusjon', fk, '2027-05-04T07:00:00.000Z')).state;
  s = accepted(
    send(s, 'registrerSamtykke', fk, '2027-05-10T07:00:00.000Z', { gittAv: 'parent' }),
  ).state;
  s = accepted(
    send(s, 'registrerKartlegging', fk, '2027-05-20T07:00:00.000Z', {
      kartlegging: {
        arbeid: { situasjon: 'Mor i språkpraksis, far uten arbeid' },
        okonomi: { situasjon: 'Gjeld' },
        bolig: { situasjon: 'Trangbodd' },
        barn: [
          { barnRef: 'b1', alder: 7, situasjon: 'Trives på skolen' },
          { barnRef: 'b2', alder: 12, situasjon: 'Ønsker fotball', omrader: ['fritid'] },
        ],
      },
    }),
  ).state;
  return accepted(
    send(s, 'registrerFamilieplan', fk, '2027-06-01T07:00:00.000Z', {
      familieplan: {
        mal: [
          {
            familiemedlem: 'far',
            malomrade: 'arbeid',
            mal: 'Fast jobb',
            delmal: ['CV', 'Jobbintervju'],
          },
          { familiemedlem: 'b2', malomrade: 'barn', mal: 'Begynne på fotball' },
        ],
      },
      aktiviteter: [
        { title: 'Søke fritidskort', responsible: 'mor', due: '2027-06-15' },
        { title: 'Avtale med arbeidsgiver', responsible: 'fk-1' },
      ],
    }),
  ).state;
}

describe('NAV HOLF: inclusion and exclusion', () => {
  it('when a NAV adviser proposes a family, then the named family coordinator holds the case from the start with a 14-day deadline', () => {
    const s = open();
    expect(s).toMatchObject({
      step: 'vurdering',
      level: 0,
      holder: { id: 'fk-1', role: 'familiekoordinator', since: T0 },
      referralSource: 'nav_sosialtjeneste',
    });
    expect(dueTimes(s)).toEqual({ vurderingsfrist: '2027-05-17T07:00:00.000Z' });
    expect(capacityRoleFor(k, s)).toEqual({
      role: 'familiekoordinator',
      maxOpenCases: 10,
      whenFull: 'wait',
    });
  });

  it('when a family has long-term social assistance and two children at home, then the family itself is invited to voluntary participation', () => {
    const r = accepted(send(open(), 'vurderInklusjon', fk, '2027-05-04T07:00:00.000Z'));
    expect(r.state).toMatchObject({ step: 'invitasjon', level: 1 });
    expect(r.effects).toEqual([
      {
        type: 'notify',
        role: 'family',
        template: 'invitasjonHolf',
        reason: 'vurderInklusjon in step vurdering',
      },
    ]);
  });

  it.each([
    ['AAP topped up with social assistance', { inntekt: { ...noIncome, aapMedSosialhjelp: true } }],
    ['dagpenger topped up', { inntekt: { ...noIncome, dagpengerMedSosialhjelp: true } }],
    ['KVP topped up', { inntekt: { ...noIncome, kvpMedSosialhjelp: true } }],
    [
      'repeated social assistance and four children',
      { inntekt: { ...noIncome, gjentattSosialhjelp: true }, antallBarnUnder18Hjemme: 4 },
    ],
  ])('when the family has %s, then it is included', (_label, overrides) => {
    expect(
      accepted(send(open(overrides), 'vurderInklusjon', fk, '2027-05-04T07:00:00.000Z')).state.step,
    ).toBe('invitasjon');
  });

  it.each([
    ['no qualifying income', { inntekt: noIncome }],
    ['no children at home', { antallBarnUnder18Hjemme: 0 }],
    ['five children', { antallBarnUnder18Hjemme: 5 }],
    ['similar follow-up already', { eksklusjon: { ...noExclusion, iTilsvarendeOppfolging: true } }],
    [
      'a parent in treatment for serious mental illness or substance abuse',
      { eksklusjon: { ...noExclusion, iBehandlingPsykiskLidelseEllerRus: true } },
    ],
    [
      'children in child-welfare care',
      { eksklusjon: { ...noExclusion, barnUnderBarnevernetsOmsorg: true } },
    ],
  ])('when the family has %s, then the case closes as not included', (_label, overrides) => {
    const r = accepted(send(open(overrides), 'vurderInklusjon', fk, '2027-05-04T07:00:00.000Z'));
    expect(r.state).toMatchObject({ step: 'ikke_inkludert', status: 'closed' });
  });

  it('when the facts are corrected before the assessment, then the gate reads the corrected facts', () => {
    let s = open({ antallBarnUnder18Hjemme: 5 });
    s = accepted(
      send(s, 'korrigerOpplysninger', fk, '2027-05-04T07:00:00.000Z', {
        antallBarnUnder18Hjemme: 3,
      }),
    ).state;
    expect(s.data.antallBarnUnder18Hjemme).toBe(3);
    expect(s.data.inntekt).toMatchObject({ langvarigSosialhjelp: true });
    expect(accepted(send(s, 'vurderInklusjon', fk, '2027-05-04T08:00:00.000Z')).state.step).toBe(
      'invitasjon',
    );
  });
});

describe('NAV HOLF: consent, mapping and family plan', () => {
  it('when the parents say no, then the case ends as withdrawn', () => {
    const s = accepted(send(open(), 'vurderInklusjon', fk, '2027-05-04T07:00:00.000Z')).state;
    expect(accepted(send(s, 'takkerNei', fk, '2027-05-06T07:00:00.000Z')).state).toMatchObject({
      step: 'avsluttet_trukket',
      status: 'withdrawn',
    });
  });

  it('when the parents consent, then mapping starts at level 3 with a six-week deadline; a youth cannot give this consent', () => {
    const s = accepted(send(open(), 'vurderInklusjon', fk, '2027-05-04T07:00:00.000Z')).state;
    expect(
      rejected(send(s, 'registrerSamtykke', fk, '2027-05-10T07:00:00.000Z', { gittAv: 'youth' }))
        .details[0]!.path,
    ).toBe('/gittAv');
    const r = accepted(
      send(s, 'registrerSamtykke', fk, '2027-05-10T07:00:00.000Z', { gittAv: 'parent' }),
    );
    expect(r.state).toMatchObject({ step: 'familiekartlegging', level: 3 });
    expect(r.state.consents.deltakelse_holf).toEqual({
      givenBy: 'parent',
      givenAt: '2027-05-10T07:00:00.000Z',
      via: 'staff',
      recordedBy: { role: 'familiekoordinator', relation: 'holder' },
    });
    expect(dueTimes(r.state)).toEqual({ kartleggingsfrist: '2027-06-21T07:00:00.000Z' });
  });

  it('when the mapping lacks a goal area, then the form points at it; with all four areas and one section per child it moves on to the plan', () => {
    let s = accepted(send(open(), 'vurderInklusjon', fk, '2027-05-04T07:00:00.000Z')).state;
    s = accepted(
      send(s, 'registrerSamtykke', fk, '2027-05-10T07:00:00.000Z', { gittAv: 'parent' }),
    ).state;
    const rej = rejected(
      send(s, 'registrerKartlegging', fk, '2027-05-20T07:00:00.000Z', {
        kartlegging: {
          arbeid: { situasjon: 'x' },
          okonomi: { situasjon: 'y' },
          barn: [{ barnRef: 'b1', alder: 3 }],
        },
      }),
    );
    expect(rej.details.map((d) => d.path).sort()).toEqual([
      '/kartlegging/barn/0/situasjon',
      '/kartlegging/bolig',
    ]);
    const r = accepted(
      send(s, 'registrerKartlegging', fk, '2027-05-20T07:00:00.000Z', {
        kartlegging: {
          arbeid: { situasjon: 'x' },
          okonomi: { situasjon: 'y' },
          bolig: { situasjon: 'z' },
          barn: [{ barnRef: 'b1', alder: 3, situasjon: 'Barnehage' }],
        },
      }),
    );
    expect(r.state).toMatchObject({ step: 'familieplan', level: 3 });
    expect((r.state.data.kartlegging as { barn: unknown[] }).barn).toHaveLength(1);
  });

  it('when the family plan is made, then its activities become action points with responsible persons', () => {
    const s = inFollowUp();
    expect(s).toMatchObject({ step: 'oppfolging', level: 3 });
    expect(s.actionPoints.map((p) => [p.id, p.title, p.responsible, p.due])).toEqual([
      ['ap-1', 'Søke fritidskort', 'mor', '2027-06-15'],
      ['ap-2', 'Avtale med arbeidsgiver', 'fk-1', undefined],
    ]);
    expect(dueTimes(s)).toEqual({ ingenMote: '2027-06-29T07:00:00.000Z' });
  });
});

describe('NAV HOLF: meetings, collaboration meetings and exits', () => {
  it('when a meeting is prepared, held and reflected on (FGE), then it is recorded and activities can be completed', () => {
    const r = accepted(
      send(inFollowUp(), 'registrerMote', fk, '2027-06-10T07:00:00.000Z', {
        dato: '2027-06-10',
        fge,
        fullforteAktiviteter: ['ap-1'],
      }),
    );
    expect(r.state.data.sisteMote).toBe('2027-06-10');
    expect(r.state.actionPoints[0]).toMatchObject({ status: 'done' });
    expect(dueTimes(r.state)).toEqual({ ingenMote: '2027-07-08T07:00:00.000Z' });
    expect(
      rejected(
        send(inFollowUp(), 'registrerMote', fk, '2027-06-10T07:00:00.000Z', {
          dato: '2027-06-10',
          fge: { forberedelse: 'x' },
        }),
      ).code,
    ).toBe('PAYLOAD_INVALID');
  });

  it('when the action network is called in, then it must meet within 14 days, with a reminder three days before', () => {
    const r = accepted(
      send(inFollowUp(), 'kallInnSamarbeidsmote', fk, '2027-06-10T07:00:00.000Z', {
        deltakere: [
          { id: 'skole-1', role: 'skole', title: 'Kontaktlærer' },
          { id: 'bolig-1', title: 'Boligkontoret' },
        ],
      }),
    );
    expect(r.state).toMatchObject({ step: 'samarbeidsmote', level: 3 });
    expect(r.state.team.map((m) => m.id)).toEqual(['skole-1', 'bolig-1']);
    expect(dueTimes(r.state)).toEqual({
      motefrist: '2027-06-24T07:00:00.000Z',
      paminnelse: '2027-06-21T07:00:00.000Z',
    });
  });

  it('when the collaboration meeting is not held within 14 days, then a leader is escalated to; holding it returns to follow-up and clears the flags', () => {
    let s = accepted(
      send(inFollowUp(), 'kallInnSamarbeidsmote', fk, '2027-06-10T07:00:00.000Z', {
        deltakere: [{ id: 'skole-1' }],
      }),
    ).state;
    const missed = accepted(fireTimer(k, s, timerKey(s, 'motefrist'), '2027-06-24T07:00:00.000Z'));
    expect(missed.state).toMatchObject({ overdue: true, escalatedTo: ['leder'], timers: [] });
    expect(missed.effects).toEqual([
      {
        type: 'escalate',
        role: 'leder',
        template: 'samarbeidsmoteForsinket',
        reason: 'timer motefrist in step samarbeidsmote',
      },
    ]);
    s = missed.state;
    const held = accepted(
      send(s, 'registrerSamarbeidsmote', fk, '2027-06-28T07:00:00.000Z', {
        dato: '2027-06-28',
        fge,
        tiltak: [{ title: 'Boligsøknad', responsible: 'bolig-1' }],
      }),
    );
    expect(held.state).toMatchObject({ step: 'oppfolging', overdue: false, escalatedTo: [] });
    expect(held.state.actionPoints.at(-1)).toMatchObject({
      title: 'Boligsøknad',
      responsible: 'bolig-1',
    });
  });

  it('when the services disagree, then it is escalated to leader level without leaving the step', () => {
    const r = accepted(
      send(inFollowUp(), 'meldUenighet', fk, '2027-06-12T07:00:00.000Z', { tema: 'ansvar' }),
    );
    expect(r.state).toMatchObject({ step: 'oppfolging', escalatedTo: ['leder'] });
    expect(r.effects).toEqual([
      {
        type: 'escalate',
        role: 'leder',
        template: 'uenighet',
        reason: 'meldUenighet in step oppfolging',
      },
    ]);
  });

  it('when the coordinator judges the follow-up complete, then the case closes', () => {
    const r = accepted(
      send(inFollowUp(), 'avsluttOppfolging', fk, '2028-05-01T07:00:00.000Z', {
        arsak: 'i_arbeid',
      }),
    );
    expect(r.state).toMatchObject({
      step: 'avsluttet_fullfort',
      status: 'closed',
      outcomeReason: expect.stringContaining('fullført'),
    });
  });

  it('when the family withdraws, then the case ends as withdrawn and the consent is withdrawn', () => {
    const r = accepted(send(inFollowUp(), 'trekkDeltakelse', fk, '2027-07-01T07:00:00.000Z'));
    expect(r.state).toMatchObject({ step: 'avsluttet_trukket', status: 'withdrawn' });
    expect(r.state.consents.deltakelse_holf?.withdrawnAt).toBe('2027-07-01T07:00:00.000Z');
  });

  it('when a leader hands the family to another coordinator, then the new holder is recorded', () => {
    const r = accepted(
      send(
        inFollowUp(),
        'byttFamiliekoordinator',
        { id: 'leder-1', role: 'leder' },
        '2027-07-01T07:00:00.000Z',
        { familiekoordinator: 'fk-2' },
      ),
    );
    expect(r.state.holder).toEqual({
      id: 'fk-2',
      role: 'familiekoordinator',
      since: '2027-07-01T07:00:00.000Z',
    });
  });
});
