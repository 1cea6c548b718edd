/**
 * Øygarden familielos: every path of the sluice from a worry at level 0 to familielos at level 3
 * and back, asserting level, step, holder, side effects and absolute timer due times.
 */
import {
  allowedEvents,
  applyEvent,
  capacityRoleFor,
  fireTimer,
  nextDueAt,
  openCase,
  reopenCase,
  type Actor,
  type CaseState,
} from '../../machines';
import { accepted, compileSeed, dueAt, dueTimes, rejected, timerKey } from './support';

const k = compileSeed('oygarden');
const laerer: Actor = { id: 'laerer-1', role: 'tjenesteyter' };
const forelder: Actor = { id: 'forelder-1', role: 'foresatt' };
const rt: Actor = { id: 'rt-1', role: 'ressursteam' };
const los: Actor = { id: 'los-1', role: 'familielos' };

const T0 = '2027-01-04T08:00:00.000Z'; // Monday 09:00 in Oslo

function open(alder = 14): CaseState {
  return accepted(
    openCase(k, {
      caseId: 'c-1',
      referralSource: 'skole',
      payload: { arena: 'skole', barnetsAlder: alder },
      actor: laerer,
      now: T0,
    }),
  ).state;
}

function send(state: CaseState, type: string, actor: Actor, now: string, payload?: unknown) {
  return applyEvent(k, state, { type, actor, payload }, now);
}

/** A case that has reached the clarification talk through a high score on the assessment tool. */
function atTalk(): CaseState {
  return accepted(
    send(open(), 'registrerVurdering', laerer, '2027-01-06T08:00:00.000Z', {
      risikofaktorer: { hoytFravaer: true, konflikterIHjemmet: true },
    }),
  ).state;
}

function withConsent(state: CaseState, now: string): CaseState {
  return accepted(send(state, 'registrerSamtykke', laerer, now, { gittAv: 'parent' })).state;
}

/** A case the talk referred to the resource team, with consent. */
function atResourceTeam(): CaseState {
  const s = withConsent(atTalk(), '2027-01-12T12:00:00.000Z');
  return accepted(
    send(s, 'registrerAvklaringssamtale', laerer, '2027-01-13T08:00:00.000Z', {
      utfall: 'ressursteam',
      ansvarlig: 'rt-1',
      samtaledukBrukt: true,
    }),
  ).state;
}

/** A case the resource team gave a familielos. */
function atFamilielos(): CaseState {
  return accepted(
    send(atResourceTeam(), 'registrerRessursteammote', rt, '2027-01-21T10:00:00.000Z', {
      utfall: 'familielos',
      barnetsStemme: true,
      ansvarlig: 'los-1',
      moteFrekvens: 'P1M',
      forsteFamilieteammote: '2027-02-10',
    }),
  ).state;
}

describe('Øygarden familielos: level 0, the worry', () => {
  it('when a teacher reports a worry, then the case opens at level 0 with the teacher as stafettholder and a 10-working-day decision deadline', () => {
    const r = accepted(
      openCase(k, {
        caseId: 'c-1',
        referralSource: 'skole',
        payload: { arena: 'skole', barnetsAlder: 14 },
        actor: laerer,
        now: T0,
      }),
    );
    expect(r.state).toMatchObject({
      step: 'undring',
      level: 0,
      status: 'open',
      revision: 1,
      referralSource: 'skole',
      path: ['undring'],
    });
    expect(r.state.holder).toEqual({ id: 'laerer-1', role: 'tjenesteyter', since: T0 });
    expect(r.state.data).toEqual({ arena: 'skole', barnetsAlder: 14 });
    // 10 working days from Monday 4 January is Monday 18 January; the reminder 3 working days before.
    expect(dueTimes(r.state)).toEqual({
      beslutningsfrist: '2027-01-18T08:00:00.000Z',
      paminnelseBeslutning: '2027-01-13T08:00:00.000Z',
    });
    expect(nextDueAt(r.state)).toBe('2027-01-13T08:00:00.000Z');
    expect(r.transition).toEqual({ from: null, to: 'undring', event: 'sluse.intake' });
  });

  it('when someone outside the intake roles or with an unknown source opens a case, then it is rejected', () => {
    expect(
      rejected(
        openCase(k, {
          caseId: 'c',
          referralSource: 'skole',
          payload: { arena: 'skole', barnetsAlder: 3 },
          actor: los,
          now: T0,
        }),
      ).code,
    ).toBe('ROLE_NOT_ALLOWED');
    expect(
      rejected(
        openCase(k, {
          caseId: 'c',
          referralSource: 'naboen',
          payload: { arena: 'skole', barnetsAlder: 3 },
          actor: laerer,
          now: T0,
        }),
      ).code,
    ).toBe('REFERRAL_SOURCE_UNKNOWN');
    const bad = rejected(
      openCase(k, {
        caseId: 'c',
        referralSource: 'skole',
        payload: { arena: 'kino' },
        actor: laerer,
        now: T0,
      }),
    );
    expect(bad.code).toBe('PAYLOAD_INVALID');
    expect(bad.details.map((d) => d.path).sort()).toEqual(['/arena', '/barnetsAlder']);
  });

  it('when the assessment tool scores below the threshold, then the case stays at level 0 with the score recorded', () => {
    const r = accepted(
      send(open(), 'registrerVurdering', laerer, '2027-01-05T08:00:00.000Z', {
        risikofaktorer: { atferdsendring: true },
      }),
    );
    expect(r.state).toMatchObject({
      step: 'undring',
      level: 0,
      revision: 2,
      lastActivityAt: '2027-01-05T08:00:00.000Z',
    });
    expect(r.state.data.risikoskaar).toBe(1);
    expect(dueTimes(r.state).beslutningsfrist).toBe('2027-01-18T08:00:00.000Z');
    expect(r.effects).toEqual([]);
  });

  it('when weighted risk factors reach the threshold, then the case goes to a clarification talk at level 1 and the parents are invited', () => {
    const r = accepted(
      send(open(), 'registrerVurdering', laerer, '2027-01-06T08:00:00.000Z', {
        risikofaktorer: { hoytFravaer: true, konflikterIHjemmet: true },
      }),
    );
    expect(r.state).toMatchObject({
      step: 'avklaringssamtale',
      level: 1,
      path: ['undring', 'avklaringssamtale'],
    });
    expect(r.state.holder?.id).toBe('laerer-1');
    expect(r.state.data.risikoskaar).toBe(4);
    expect(r.effects).toEqual([
      {
        type: 'notify',
        role: 'foresatt',
        template: 'invitasjonAvklaringssamtale',
        reason: 'entered step avklaringssamtale',
      },
    ]);
    expect(dueTimes(r.state)).toEqual({ samtaleFrist: '2027-01-27T08:00:00.000Z' });
  });

  it('when parents send the online self-assessment with a high score, then the case goes to the clarification talk and the holder is told', () => {
    const r = accepted(
      send(open(), 'sendEgenvurdering', forelder, '2027-01-05T18:00:00.000Z', {
        risikofaktorer: { foresatteUnderPress: true, rusEllerPsykiskSykdomHosForesatte: true },
      }),
    );
    expect(r.state).toMatchObject({ step: 'avklaringssamtale', level: 1 });
    expect(r.state.data.egenvurderingSkaar).toBe(5);
    expect(r.effects.map((e) => e.type === 'notify' && `${e.role}:${e.template}`)).toEqual([
      'holder:nyEgenvurdering',
      'foresatt:invitasjonAvklaringssamtale',
    ]);
  });

  it('when parents send a low self-assessment, then it is recorded and the case stays at level 0', () => {
    const r = accepted(
      send(open(), 'sendEgenvurdering', forelder, '2027-01-05T18:00:00.000Z', {
        risikofaktorer: { sprakutfordringer: true },
      }),
    );
    expect(r.state).toMatchObject({ step: 'undring', level: 0 });
    expect(r.state.data.egenvurderingSkaar).toBe(1);
  });

  it('when nobody decides within 10 working days, then the reminder comes first and the deadline marks the case overdue', () => {
    let s = open();
    const reminder = accepted(
      fireTimer(k, s, timerKey(s, 'paminnelseBeslutning'), '2027-01-13T08:00:00.000Z'),
    );
    expect(reminder.effects).toEqual([
      {
        type: 'notify',
        role: 'holder',
        template: 'paminnelseFristNiva0',
        reason: 'timer paminnelseBeslutning in step undring',
      },
    ]);
    s = reminder.state;
    expect(Object.keys(dueTimes(s))).toEqual(['beslutningsfrist']);
    const deadline = accepted(
      fireTimer(k, s, timerKey(s, 'beslutningsfrist'), '2027-01-18T08:00:00.000Z'),
    );
    expect(deadline.state).toMatchObject({
      overdue: true,
      step: 'undring',
      revision: 3,
      timers: [],
    });
    expect(deadline.transition).toEqual({
      from: 'undring',
      to: 'undring',
      event: 'sluse.timer.beslutningsfrist',
    });
  });

  it('when a timer is fired before it is due or is not armed, then the engine refuses', () => {
    const s = open();
    expect(
      rejected(fireTimer(k, s, timerKey(s, 'beslutningsfrist'), '2027-01-10T08:00:00.000Z')).code,
    ).toBe('EVENT_NOT_ALLOWED');
    expect(rejected(fireTimer(k, s, 'undring/nope/2027', '2027-01-20T08:00:00.000Z')).code).toBe(
      'EVENT_NOT_ALLOWED',
    );
  });

  it('when the worry is cleared at level 0, then the case closes', () => {
    const r = accepted(
      send(open(), 'avsluttSak', laerer, '2027-01-08T08:00:00.000Z', {
        arsak: 'ingen_grunn_til_bekymring',
      }),
    );
    expect(r.state).toMatchObject({
      step: 'avsluttet_sak',
      status: 'closed',
      closedAt: '2027-01-08T08:00:00.000Z',
      timers: [],
    });
    expect(r.state.data.avslutningsarsak).toBe('ingen_grunn_til_bekymring');
  });
});

describe('Øygarden familielos: level 1, the clarification talk', () => {
  it('when the talk agrees on low-threshold measures, then a follow-up talk is set on the chosen date with a reminder three days before', () => {
    const r = accepted(
      send(atTalk(), 'registrerAvklaringssamtale', laerer, '2027-01-12T12:00:00.000Z', {
        utfall: 'lavterskeltiltak',
        oppfolgingsdato: '2027-02-15',
        tiltak: ['Ekstra voksenstøtte i friminuttene'],
      }),
    );
    expect(r.state).toMatchObject({ step: 'lavterskeltiltak', level: 1 });
    expect(r.state.holder?.id).toBe('laerer-1');
    // The date has passed at midnight Oslo time after 15 February.
    expect(dueTimes(r.state)).toEqual({
      oppfolgingssamtale: '2027-02-15T23:00:00.000Z',
      paminnelseOppfolging: '2027-02-12T23:00:00.000Z',
    });
  });

  it('when low-threshold measures are chosen without a follow-up date, then the form points at the missing date', () => {
    const rej = rejected(
      send(atTalk(), 'registrerAvklaringssamtale', laerer, '2027-01-12T12:00:00.000Z', {
        utfall: 'lavterskeltiltak',
      }),
    );
    expect(rej.code).toBe('PAYLOAD_INVALID');
    expect(rej.details.map((d) => d.path)).toEqual(
      expect.arrayContaining(['/oppfolgingsdato', '/tiltak']),
    );
  });

  it('when the follow-up date passes with no talk held, then the holder is reminded and the case is overdue; a new date re-arms the timer', () => {
    let s = accepted(
      send(atTalk(), 'registrerAvklaringssamtale', laerer, '2027-01-12T12:00:00.000Z', {
        utfall: 'lavterskeltiltak',
        oppfolgingsdato: '2027-02-15',
        tiltak: ['Tiltak'],
      }),
    ).state;
    const fired = accepted(
      fireTimer(k, s, timerKey(s, 'oppfolgingssamtale'), '2027-02-15T23:00:00.000Z'),
    );
    expect(fired.effects).toEqual([
      {
        type: 'notify',
        role: 'holder',
        template: 'oppfolgingssamtaleForfalt',
        reason: 'timer oppfolgingssamtale in step lavterskeltiltak',
      },
    ]);
    expect(fired.state.overdue).toBe(true);
    s = fired.state;
    const partly = accepted(
      send(s, 'registrerOppfolgingssamtale', laerer, '2027-02-17T09:00:00.000Z', {
        bedring: 'delvis',
        nyOppfolgingsdato: '2027-03-15',
      }),
    );
    expect(partly.state).toMatchObject({ step: 'lavterskeltiltak', level: 1 });
    expect(dueTimes(partly.state)).toEqual({
      oppfolgingssamtale: '2027-03-15T23:00:00.000Z',
      paminnelseOppfolging: '2027-03-12T23:00:00.000Z',
    });
  });

  it('when the follow-up talk finds improvement, then the case closes', () => {
    const s = accepted(
      send(atTalk(), 'registrerAvklaringssamtale', laerer, '2027-01-12T12:00:00.000Z', {
        utfall: 'lavterskeltiltak',
        oppfolgingsdato: '2027-02-15',
        tiltak: ['Tiltak'],
      }),
    ).state;
    const r = accepted(
      send(s, 'registrerOppfolgingssamtale', laerer, '2027-02-15T10:00:00.000Z', { bedring: 'ja' }),
    );
    expect(r.state).toMatchObject({
      step: 'avsluttet_sak',
      status: 'closed',
      outcomeReason: expect.stringContaining('avklart'),
      timers: [],
    });
  });

  it('when there is no improvement and no consent, then going to the resource team is refused; with consent it goes ahead (a → b)', () => {
    const s = accepted(
      send(atTalk(), 'registrerAvklaringssamtale', laerer, '2027-01-12T12:00:00.000Z', {
        utfall: 'lavterskeltiltak',
        oppfolgingsdato: '2027-02-15',
        tiltak: ['Tiltak'],
      }),
    ).state;
    const noConsent = rejected(
      send(s, 'registrerOppfolgingssamtale', laerer, '2027-02-15T10:00:00.000Z', {
        bedring: 'nei',
        ansvarlig: 'rt-1',
      }),
    );
    expect(noConsent.code).toBe('CONSENT_MISSING');
    expect(noConsent.message).toContain('ressursteam');
    const r = accepted(
      send(
        withConsent(s, '2027-02-15T10:00:00.000Z'),
        'registrerOppfolgingssamtale',
        laerer,
        '2027-02-15T10:05:00.000Z',
        { bedring: 'nei', ansvarlig: 'rt-1' },
      ),
    );
    expect(r.state).toMatchObject({
      step: 'ressursteam',
      level: 2,
      holder: { id: 'rt-1', role: 'ressursteam', since: '2027-02-15T10:05:00.000Z' },
    });
    expect(r.state.data.stafettloggApnet).toBe(true);
  });

  it('when a 14-year-old tries to consent alone, then no gate lets it through and the reason is given', () => {
    const rej = rejected(
      send(atTalk(), 'registrerSamtykke', laerer, '2027-01-12T12:00:00.000Z', { gittAv: 'youth' }),
    );
    expect(rej.code).toBe('NO_GATE_MATCHED');
    expect(rej.details[0]!.message).toContain('15 år');
  });

  it('when a 15-year-old consents, then the consent is recorded as given by the youth and expires after two years', () => {
    const s = accepted(
      send(open(15), 'registrerVurdering', laerer, '2027-01-06T08:00:00.000Z', {
        risikofaktorer: { tegnPaOmsorgssvikt: true, atferdsendring: true },
      }),
    ).state;
    const r = accepted(
      send(s, 'registrerSamtykke', laerer, '2027-01-12T12:00:00.000Z', { gittAv: 'youth' }),
    );
    expect(r.state.consents.deling_ressursteam).toEqual({
      givenBy: 'youth',
      givenAt: '2027-01-12T12:00:00.000Z',
      expiresAt: '2029-01-12T12:00:00.000Z',
      via: 'staff',
      recordedBy: { role: 'tjenesteyter', relation: 'holder' },
    });
  });

  it('when consent is withdrawn before the referral, then the referral is refused again', () => {
    let s = withConsent(atTalk(), '2027-01-12T12:00:00.000Z');
    const w = accepted(send(s, 'trekkSamtykke', laerer, '2027-01-12T13:00:00.000Z'));
    expect(w.effects).toEqual([
      {
        type: 'notify',
        role: 'holder',
        template: 'samtykkeTrukket',
        reason: 'trekkSamtykke in step avklaringssamtale',
      },
    ]);
    s = w.state;
    expect(
      rejected(
        send(s, 'registrerAvklaringssamtale', laerer, '2027-01-12T14:00:00.000Z', {
          utfall: 'ressursteam',
          ansvarlig: 'rt-1',
        }),
      ).code,
    ).toBe('CONSENT_MISSING');
  });

  it('when the talk finds no need for more, then the case closes at level 1', () => {
    const r = accepted(
      send(atTalk(), 'registrerAvklaringssamtale', laerer, '2027-01-12T12:00:00.000Z', {
        utfall: 'ingen_videre_tiltak',
      }),
    );
    expect(r.state).toMatchObject({ step: 'avsluttet_sak', status: 'closed' });
  });
});

describe('Øygarden familielos: level 2 resource team and level 3 familielos, end to end', () => {
  it('when the talk refers the case with consent (b), then the stafettlogg opens, the resource team holds it and its fixed meeting dates are armed', () => {
    const s = withConsent(atTalk(), '2027-01-12T12:00:00.000Z');
    const r = accepted(
      send(s, 'registrerAvklaringssamtale', laerer, '2027-01-13T08:00:00.000Z', {
        utfall: 'ressursteam',
        ansvarlig: 'rt-1',
      }),
    );
    expect(r.state).toMatchObject({
      step: 'ressursteam',
      level: 2,
      holder: { id: 'rt-1', role: 'ressursteam' },
    });
    expect(r.state.data).toMatchObject({ stafettloggApnet: true, samtaledukBrukt: false });
    expect(r.effects).toEqual([
      {
        type: 'notify',
        role: 'holder',
        template: 'ressursteammote',
        reason: 'entered step ressursteam',
      },
    ]);
    // Every other Thursday from 8 January 2026: the next is Thursday 21 January 2027, Oslo midnight.
    expect(dueTimes(r.state)).toEqual({
      ressursteammote: '2027-01-20T23:00:00.000Z',
      invitasjonFamilie: '2027-01-13T23:00:00.000Z',
      stillstand: '2027-02-24T08:00:00.000Z',
      // The two-year consent lapses here: the case then leaves the levels that need it.
      'consent:deling_ressursteam': '2029-01-12T12:00:00.000Z',
    });
  });

  it('when a meeting date comes, then the family is invited a week before and the next fixed date is armed after the meeting', () => {
    let s = atResourceTeam();
    const invite = accepted(
      fireTimer(k, s, timerKey(s, 'invitasjonFamilie'), '2027-01-13T23:00:00.000Z'),
    );
    expect(invite.effects).toEqual([
      {
        type: 'notify',
        role: 'foresatt',
        template: 'invitasjonRessursteam',
        reason: 'timer invitasjonFamilie in step ressursteam',
      },
    ]);
    s = invite.state;
    const meeting = accepted(
      fireTimer(k, s, timerKey(s, 'ressursteammote'), '2027-01-20T23:00:00.000Z'),
    );
    expect(meeting.effects.map((e) => e.type)).toEqual(['notify']);
    expect(dueTimes(meeting.state)).toEqual({
      ressursteammote: '2027-02-03T23:00:00.000Z',
      invitasjonFamilie: '2027-01-27T23:00:00.000Z',
      stillstand: '2027-02-24T08:00:00.000Z',
      // The two-year consent lapses here: the case then leaves the levels that need it.
      'consent:deling_ressursteam': '2029-01-12T12:00:00.000Z',
    });
  });

  it('when the case stands still in the resource team for six weeks, then a leader is escalated to', () => {
    const s = atResourceTeam();
    const r = accepted(fireTimer(k, s, timerKey(s, 'stillstand'), '2027-02-24T08:00:00.000Z'));
    expect(r.state.escalatedTo).toEqual(['leder']);
    expect(r.effects).toEqual([
      {
        type: 'escalate',
        role: 'leder',
        template: 'sakenStarStille',
        reason: 'timer stillstand in step ressursteam',
      },
    ]);
  });

  it('when the team agrees on measures and keeps the case (a), then the measures become action points at level 2', () => {
    const r = accepted(
      send(atResourceTeam(), 'registrerRessursteammote', rt, '2027-01-21T10:00:00.000Z', {
        utfall: 'tiltak',
        videre: 'bli_pa_niva_2',
        barnetsStemme: true,
        tiltak: [
          { title: 'Samtaler med helsesykepleier', responsible: 'helsestasjon', due: '2027-03-01' },
        ],
      }),
    );
    expect(r.state).toMatchObject({ step: 'ressursteam', level: 2 });
    expect(r.state.actionPoints).toEqual([
      {
        id: 'ap-1',
        title: 'Samtaler med helsesykepleier',
        responsible: 'helsestasjon',
        due: '2027-03-01',
        status: 'open',
        createdAt: '2027-01-21T10:00:00.000Z',
      },
    ]);
    // Activity starts the six weeks of standing still over.
    expect(dueTimes(r.state).stillstand).toBe('2027-03-04T10:00:00.000Z');
  });

  it('when the team agrees on measures and the case goes down (a), then a named school contact holds it at level 1 with a follow-up date', () => {
    const r = accepted(
      send(atResourceTeam(), 'registrerRessursteammote', rt, '2027-01-21T10:00:00.000Z', {
        utfall: 'tiltak',
        videre: 'ned_til_niva_1',
        barnetsStemme: true,
        ansvarlig: 'laerer-2',
        oppfolgingsdato: '2027-03-01',
        tiltak: [{ title: 'Tilrettelegging i klassen', responsible: 'skole' }],
      }),
    );
    expect(r.state).toMatchObject({
      step: 'lavterskeltiltak',
      level: 1,
      holder: { id: 'laerer-2', role: 'tjenesteyter' },
    });
    expect(dueTimes(r.state).oppfolgingssamtale).toBe('2027-03-01T23:00:00.000Z');
  });

  it('when the team sees a need for specialist health services (b), then the case is fast-tracked there and handed over', () => {
    const r = accepted(
      send(atResourceTeam(), 'registrerRessursteammote', rt, '2027-01-21T10:00:00.000Z', {
        utfall: 'spesialisthelse',
        barnetsStemme: false,
      }),
    );
    expect(r.state).toMatchObject({
      step: 'hurtigspor_spesialisthelse',
      status: 'handed_over',
      level: 2,
      timers: [],
    });
    expect(r.state.outcomeReason).toContain('spesialisthelsetjenesten');
  });

  it('when the whole familielos journey runs (c), then meetings recur, an overdue meeting reminds and escalates, phase-out warns at 6 months, the 12-month limit closes the case and the short way back reopens it', () => {
    // c) Familielos: the los takes over the stafettlogg at level 3.
    let r = accepted(
      send(atResourceTeam(), 'registrerRessursteammote', rt, '2027-01-21T10:00:00.000Z', {
        utfall: 'familielos',
        barnetsStemme: true,
        ansvarlig: 'los-1',
        moteFrekvens: 'P1M',
        forsteFamilieteammote: '2027-02-10',
      }),
    );
    expect(r.state).toMatchObject({
      step: 'familielos',
      level: 3,
      holder: { id: 'los-1', role: 'familielos', since: '2027-01-21T10:00:00.000Z' },
      escalatedTo: [],
      overdue: false,
    });
    expect(r.effects).toEqual([
      {
        type: 'notify',
        role: 'foresatt',
        template: 'informasjonFamilielos',
        reason: 'registrerRessursteammote in step ressursteam',
      },
    ]);
    expect(dueTimes(r.state)).toEqual({
      innkalling: '2027-02-21T10:00:00.000Z',
      familieteammote: '2027-02-10T23:00:00.000Z',
      paminnelseFamilieteammote: '2027-02-07T23:00:00.000Z',
      utfasingVarsel: '2027-07-21T09:00:00.000Z', // 11:00 Oslo, now summer time
      maksVarighet: '2028-01-21T10:00:00.000Z',
      // The two-year consent lapses here: the case then leaves the levels that need it.
      'consent:deling_ressursteam': '2029-01-12T12:00:00.000Z',
    });
    expect(capacityRoleFor(k, r.state)).toEqual({
      role: 'familielos',
      maxOpenCases: 10,
      whenFull: 'reject',
    });

    // The los and the family invite a trusted person to the family team.
    r = accepted(
      send(r.state, 'leggTilIFamilieteam', los, '2027-01-22T10:00:00.000Z', {
        medlem: { id: 'nabo-1', title: 'Nabo' },
      }),
    );
    expect(r.state.team).toEqual([{ id: 'nabo-1', title: 'Nabo' }]);

    // First family-team meeting: action points with responsible persons, next date, rarer meetings.
    r = accepted(
      send(r.state, 'registrerFamilieteammote', los, '2027-02-10T12:00:00.000Z', {
        aksjonspunkter: [
          { title: 'Søke om støttekontakt', responsible: 'mor', due: '2027-03-01' },
          { title: 'Kontakte PPT', responsible: 'skole' },
        ],
        nesteMote: '2027-03-10',
        moteFrekvens: 'P2M',
      }),
    );
    expect(r.state.actionPoints.map((p) => [p.id, p.responsible, p.status])).toEqual([
      ['ap-1', 'mor', 'open'],
      ['ap-2', 'skole', 'open'],
    ]);
    expect(r.state.data.moteFrekvens).toBe('P2M');
    expect(dueTimes(r.state)).toMatchObject({
      innkalling: '2027-03-21T10:00:00.000Z',
      familieteammote: '2027-03-10T23:00:00.000Z',
      paminnelseFamilieteammote: '2027-03-07T23:00:00.000Z',
    });

    // The next meeting is not held: a reminder before, then overdue with an escalation to a leader.
    r = accepted(
      fireTimer(
        k,
        r.state,
        timerKey(r.state, 'paminnelseFamilieteammote'),
        '2027-03-07T23:00:00.000Z',
      ),
    );
    expect(r.effects.map((e) => e.type === 'notify' && e.template)).toEqual([
      'paminnelseFamilieteammote',
    ]);
    r = accepted(
      fireTimer(k, r.state, timerKey(r.state, 'familieteammote'), '2027-03-10T23:00:00.000Z'),
    );
    expect(r.state).toMatchObject({ overdue: true, escalatedTo: ['leder'] });
    expect(r.effects).toEqual([
      {
        type: 'notify',
        role: 'holder',
        template: 'familieteammoteForfalt',
        reason: 'timer familieteammote in step familielos',
      },
      {
        type: 'escalate',
        role: 'leder',
        template: 'familieteammoteEskalert',
        reason: 'timer familieteammote in step familielos',
      },
    ]);

    // The meeting is held late; the first action point is done and the next date set.
    r = accepted(
      send(r.state, 'registrerFamilieteammote', los, '2027-03-12T12:00:00.000Z', {
        fullforteAksjonspunkter: ['ap-1'],
        nesteMote: '2027-05-12',
      }),
    );
    expect(r.state.actionPoints.find((p) => p.id === 'ap-1')).toMatchObject({
      status: 'done',
      doneAt: '2027-03-12T12:00:00.000Z',
    });
    expect(dueTimes(r.state).familieteammote).toBe('2027-05-12T22:00:00.000Z');

    // The recurring call-in fires and re-arms two months on.
    r = accepted(
      fireTimer(k, r.state, timerKey(r.state, 'innkalling'), '2027-03-21T10:00:00.000Z'),
    );
    expect(dueTimes(r.state).innkalling).toBe('2027-05-21T09:00:00.000Z');

    // Phase-out warning after six months goes to the los and a leader.
    r = accepted(
      fireTimer(k, r.state, timerKey(r.state, 'utfasingVarsel'), '2027-07-21T09:00:00.000Z'),
    );
    expect(r.effects.map((e) => e.type === 'notify' && e.role)).toEqual(['holder', 'leder']);

    // The hard limit at twelve months: escalation, and the engine closes the case.
    const beforeLimit = r.state;
    r = accepted(
      fireTimer(k, beforeLimit, timerKey(beforeLimit, 'maksVarighet'), '2028-01-21T10:00:00.000Z'),
    );
    expect(r.state).toMatchObject({
      step: 'avsluttet_sak',
      status: 'closed',
      closedAt: '2028-01-21T10:00:00.000Z',
      timers: [],
      revision: beforeLimit.revision + 1,
    });
    expect(r.state.data.avslutningsarsak).toBe('familielosperiode_utlopt');
    expect(r.transition).toEqual({
      from: 'familielos',
      to: 'avsluttet_sak',
      event: 'familielosperiodeUtlopt',
    });
    expect(r.effects).toEqual([
      {
        type: 'escalate',
        role: 'leder',
        template: 'familielosperiodeUtlopt',
        reason: 'timer maksVarighet in step familielos',
      },
    ]);
    expect(allowedEvents(k, r.state, { role: 'familielos' })).toEqual([]);
    expect(
      rejected(
        send(r.state, 'registrerFamilieteammote', los, '2028-01-22T10:00:00.000Z', {
          nesteMote: '2028-02-01',
        }),
      ).code,
    ).toBe('CASE_CLOSED');
    const closed = r.state;

    // The short way back: within six months the los reopens straight into familielos.
    const back = accepted(
      reopenCase(k, closed, {
        actor: los,
        payload: { nesteFamilieteammote: '2028-03-15' },
        now: '2028-03-01T09:00:00.000Z',
      }),
    );
    expect(back.state).toMatchObject({
      step: 'familielos',
      level: 3,
      status: 'open',
      holder: { id: 'los-1', role: 'familielos' },
      revision: closed.revision + 1,
    });
    expect(back.state.closedAt).toBeUndefined();
    expect(back.transition).toEqual({
      from: 'avsluttet_sak',
      to: 'familielos',
      event: 'sluse.reopen',
    });
    expect(dueTimes(back.state)).toMatchObject({
      familieteammote: '2028-03-15T23:00:00.000Z',
      maksVarighet: '2029-03-01T09:00:00.000Z',
    });

    // After six months the way back is closed, and other roles never had it.
    const late = rejected(
      reopenCase(k, closed, {
        actor: los,
        payload: { nesteFamilieteammote: '2028-09-01' },
        now: '2028-07-22T10:00:00.000Z',
      }),
    );
    expect(late.code).toBe('REOPEN_NOT_ALLOWED');
    expect(late.message).toContain('2028-07-21T09:00:00.000Z'); // 11:00 Oslo summer time
    expect(
      rejected(
        reopenCase(k, closed, {
          actor: laerer,
          payload: { nesteFamilieteammote: '2028-03-15' },
          now: '2028-03-01T09:00:00.000Z',
        }),
      ).code,
    ).toBe('REOPEN_NOT_ALLOWED');
    expect(
      rejected(
        reopenCase(k, back.state, {
          actor: los,
          payload: { nesteFamilieteammote: '2028-03-15' },
          now: '2028-03-02T09:00:00.000Z',
        }),
      ).code,
    ).toBe('REOPEN_NOT_ALLOWED');
  });

  it('when the family recovers, then the los moves the case down to level 2 with a named resource-team holder', () => {
    const r = accepted(
      send(atFamilielos(), 'nedINiva', los, '2027-06-01T10:00:00.000Z', {
        niva: 2,
        ansvarlig: 'rt-2',
      }),
    );
    expect(r.state).toMatchObject({
      step: 'ressursteam',
      level: 2,
      holder: { id: 'rt-2', role: 'ressursteam' },
    });
    expect(r.state.path).toEqual([
      'undring',
      'avklaringssamtale',
      'ressursteam',
      'familielos',
      'ressursteam',
    ]);
  });

  it('when the family recovers further, then the los moves the case down to level 1 with a follow-up date', () => {
    const r = accepted(
      send(atFamilielos(), 'nedINiva', los, '2027-06-01T10:00:00.000Z', {
        niva: 1,
        ansvarlig: 'laerer-1',
        oppfolgingsdato: '2027-08-20',
      }),
    );
    expect(r.state).toMatchObject({
      step: 'lavterskeltiltak',
      level: 1,
      holder: { id: 'laerer-1', role: 'tjenesteyter' },
    });
    expect(dueTimes(r.state).oppfolgingssamtale).toBe('2027-08-20T22:00:00.000Z');
  });

  it('when the goals are reached, then the los closes the case', () => {
    const r = accepted(
      send(atFamilielos(), 'avsluttFamilielos', los, '2027-09-01T10:00:00.000Z', {
        arsak: 'mal_nadd',
      }),
    );
    expect(r.state).toMatchObject({ step: 'avsluttet_sak', status: 'closed' });
  });

  it('when the wrong role or an unknown event is sent, then the rejection says what may be sent instead', () => {
    const s = atFamilielos();
    const role = rejected(
      send(s, 'registrerFamilieteammote', laerer, '2027-02-01T10:00:00.000Z', {
        nesteMote: '2027-03-01',
      }),
    );
    expect(role.code).toBe('ROLE_NOT_ALLOWED');
    // The step's own events first, then those it shares with other steps (sharedEvents).
    expect(role.allowedEvents).toEqual([
      'registrerSamtykke',
      'byttStafettholder',
      'leggTilForesatt',
      'trekkSamtykke',
    ]);
    const wrongStep = rejected(
      send(s, 'registrerVurdering', laerer, '2027-02-01T10:00:00.000Z', { risikofaktorer: {} }),
    );
    expect(wrongStep.code).toBe('EVENT_NOT_ALLOWED');
    expect(rejected(send(s, 'hackTheCase', los, '2027-02-01T10:00:00.000Z')).code).toBe(
      'EVENT_UNKNOWN',
    );
    expect(allowedEvents(k, s, { role: 'familielos' }).map((e) => e.type)).toEqual([
      'registrerFamilieteammote',
      'leggTilIFamilieteam',
      'nedINiva',
      'avsluttFamilielos',
      'registrerSamtykke',
      'byttStafettholder',
      'leggTilForesatt',
      'trekkSamtykke',
    ]);
    expect(
      allowedEvents(k, s, { role: 'familielos' }).find((e) => e.type === 'nedINiva')?.targets,
    ).toEqual(['ressursteam', 'lavterskeltiltak']);
  });

  it('when only the engine may send an event, then a person cannot send it but a system actor can', () => {
    const s = atFamilielos();
    expect(rejected(send(s, 'familielosperiodeUtlopt', los, '2027-02-01T10:00:00.000Z')).code).toBe(
      'ROLE_NOT_ALLOWED',
    );
    const r = accepted(
      send(
        s,
        'familielosperiodeUtlopt',
        { id: 'engine', role: 'system' },
        '2027-02-01T10:00:00.000Z',
      ),
    );
    expect(r.state.status).toBe('closed');
  });

  it('when the stafettholder hands the case on, then the new holder is recorded with the time', () => {
    const r = accepted(
      send(atFamilielos(), 'byttStafettholder', los, '2027-02-01T10:00:00.000Z', {
        stafettholder: 'los-2',
      }),
    );
    expect(r.state.holder).toEqual({
      id: 'los-2',
      role: 'familielos',
      since: '2027-02-01T10:00:00.000Z',
    });
  });
});

describe('Øygarden: a case never sits at a level that needs the consent it has lost', () => {
  it('when consent is withdrawn at level 2, then the case goes back to level 1 in the same command and the holder is told both', () => {
    const r = accepted(send(atResourceTeam(), 'trekkSamtykke', rt, '2027-02-01T10:00:00.000Z'));
    expect(r.state).toMatchObject({ step: 'lavterskeltiltak', level: 1, status: 'open' });
    expect(r.transition).toEqual({
      from: 'ressursteam',
      to: 'lavterskeltiltak',
      event: 'trekkSamtykke',
    });
    expect(r.effects.map((e) => e.type === 'notify' && e.template)).toEqual([
      'samtykkeTrukket',
      'samtykkeBortfalt',
    ]);
    expect(Object.keys(dueTimes(r.state))).not.toContain('consent:deling_ressursteam');
  });

  it('when consent is withdrawn at level 1, where no step needs it, then the case stays', () => {
    const s = withConsent(atTalk(), '2027-01-12T12:00:00.000Z');
    const r = accepted(send(s, 'trekkSamtykke', laerer, '2027-01-13T08:00:00.000Z'));
    expect(r.state.step).toBe('avklaringssamtale');
  });

  it('when the two-year consent lapses at level 3, then the engine takes the case to level 1 at that moment', () => {
    const s = atFamilielos();
    const lapse = dueAt(s, 'consent:deling_ressursteam');
    expect(lapse).toBe('2029-01-12T12:00:00.000Z');
    expect(
      rejected(
        fireTimer(k, s, timerKey(s, 'consent:deling_ressursteam'), '2029-01-12T11:59:00.000Z'),
      ).code,
    ).toBe('EVENT_NOT_ALLOWED');
    const r = accepted(fireTimer(k, s, timerKey(s, 'consent:deling_ressursteam'), lapse));
    expect(r.state).toMatchObject({ step: 'lavterskeltiltak', level: 1 });
    expect(r.transition).toEqual({
      from: 'familielos',
      to: 'lavterskeltiltak',
      event: 'samtykkeBortfalt',
    });
  });

  it('when consent is given again at level 3, then its lapse moves two years on from then', () => {
    const s = accepted(
      send(atFamilielos(), 'registrerSamtykke', los, '2027-06-01T10:00:00.000Z', {
        gittAv: 'parent',
      }),
    ).state;
    expect(dueAt(s, 'consent:deling_ressursteam')).toBe('2029-06-01T10:00:00.000Z');
    expect(s.timers.filter((t) => t.kind === 'consentLapse')).toHaveLength(1);
  });
});

describe('Øygarden: a familielos period extended for one family, within the limit', () => {
  const leder: Actor = { id: 'leder-1', role: 'leder' };
  const extend = (s: CaseState, now: string) =>
    send(s, 'forlengFamilielos', leder, now, { begrunnelse: 'Familien trenger mer tid' });

  it('when the leader extends the period twice, then the 12-month close moves three months each time, and a third is refused at the limit', () => {
    const s = atFamilielos();
    expect(dueAt(s, 'maksVarighet')).toBe('2028-01-21T10:00:00.000Z');
    const once = accepted(extend(s, '2027-12-01T10:00:00.000Z')).state;
    expect(dueAt(once, 'maksVarighet')).toBe('2028-04-21T09:00:00.000Z'); // 11:00 Oslo, summer time
    const twice = accepted(extend(once, '2028-04-01T10:00:00.000Z')).state;
    expect(dueAt(twice, 'maksVarighet')).toBe('2028-07-21T09:00:00.000Z');
    const third = rejected(extend(twice, '2028-07-01T10:00:00.000Z'));
    expect(third.code).toBe('EVENT_NOT_ALLOWED');
    expect(third.message).toMatch(
      /already as late as the config allows \(2028-07-21T09:00:00.000Z\)/,
    );
  });

  it('when the period has been extended, then only the new time is armed, and the case ends then', () => {
    const s = accepted(extend(atFamilielos(), '2027-12-01T10:00:00.000Z')).state;
    expect(s.timers.filter((t) => t.timerId === 'maksVarighet').map((t) => t.dueAt)).toEqual([
      '2028-04-21T09:00:00.000Z',
    ]);
    const r = accepted(fireTimer(k, s, timerKey(s, 'maksVarighet'), '2028-04-21T09:00:00.000Z'));
    expect(r.state.status).not.toBe('open');
  });

  it('when the holder (not a leader) tries to extend, then it is refused by role', () => {
    expect(
      rejected(
        send(atFamilielos(), 'forlengFamilielos', los, '2027-12-01T10:00:00.000Z', {
          begrunnelse: 'x',
        }),
      ).code,
    ).toBe('ROLE_NOT_ALLOWED');
  });
});
