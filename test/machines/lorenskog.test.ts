/**
 * Lørenskog Familieveiviseren: one way in for anyone, veivisersak or a decision on
 * barnekoordinator/koordinator, status updates when a case stands still, the feedback link at
 * close, the yearly survey and the quick way back.
 */
import {
  applyEvent,
  fireTimer,
  openCase,
  reopenCase,
  type Actor,
  type CaseState,
} from '../../machines';
import { accepted, compileSeed, dueTimes, loadSeed, rejected, timerKey } from './support';

const k = compileSeed('lorenskog');
const veiviser: Actor = { id: 'veiviser-1', role: 'veiviser' };
const saksbehandler: Actor = { id: 'sb-1', role: 'saksbehandler' };
const koordinator: Actor = { id: 'koord-1', role: 'koordinator' };

const T0 = '2027-03-01T08:00:00.000Z'; // Monday 09:00 in Oslo

function open(referralSource = 'krisesenter'): CaseState {
  return accepted(
    openCase(k, {
      caseId: 'l-1',
      referralSource,
      payload: { henvendelsesgjelder: 'familie' },
      actor: veiviser,
      now: T0,
    }),
  ).state;
}

function send(state: CaseState, type: string, actor: Actor, now: string, payload?: unknown) {
  return applyEvent(k, state, { type, actor, payload }, now);
}

function veiviserSak(): CaseState {
  return accepted(
    send(open(), 'avklarSakstype', veiviser, '2027-03-02T08:00:00.000Z', {
      sakstype: 'koble_tjenester',
    }),
  ).state;
}

describe('Lørenskog Familieveiviseren: one way in', () => {
  it('when anyone from any of the referral sources gets in touch, then the case opens with that source recorded for statistics', () => {
    for (const source of Object.keys(loadSeed('lorenskog').referralSources)) {
      const s = open(source);
      expect(s).toMatchObject({
        referralSource: source,
        step: 'mottak',
        level: 1,
        holder: { id: 'veiviser-1', role: 'veiviser' },
      });
    }
    expect(Object.keys(loadSeed('lorenskog').referralSources)).toEqual(
      expect.arrayContaining([
        'innbygger',
        'barnehage_skole_ppt',
        'barnevern',
        'helsetjenester',
        'nav',
        'fastlege',
        'politi',
        'krisesenter',
        'sykehus',
      ]),
    );
  });

  it('when a new contact is not clarified in five working days, then the veiviser is reminded', () => {
    const s = open();
    expect(dueTimes(s)).toEqual({ avklaringsfrist: '2027-03-08T08:00:00.000Z' });
    const r = accepted(fireTimer(k, s, timerKey(s, 'avklaringsfrist'), '2027-03-08T08:00:00.000Z'));
    expect(r.effects).toEqual([
      {
        type: 'notify',
        role: 'holder',
        template: 'kartleggingStarStille',
        reason: 'timer avklaringsfrist in step mottak',
      },
    ]);
  });
});

describe('Lørenskog Familieveiviseren: veivisersak', () => {
  it('when the veiviser classifies the contact as a short case, then it becomes a veivisersak at level 2 with status-update timers', () => {
    const s = veiviserSak();
    expect(s).toMatchObject({ step: 'veivisersak', level: 2, holder: { id: 'veiviser-1' } });
    expect(s.data.sakstype).toBe('koble_tjenester');
    // Three weeks; six weeks crosses into summer time, so 09:00 Oslo is 07:00 UTC.
    expect(dueTimes(s)).toEqual({
      statusoppdatering: '2027-03-23T08:00:00.000Z',
      stillstand: '2027-04-13T07:00:00.000Z',
    });
  });

  it('when a case has little contact for three weeks, then the veiviser is asked to send a status update; an activity starts the clock again', () => {
    let s = veiviserSak();
    const r = accepted(
      fireTimer(k, s, timerKey(s, 'statusoppdatering'), '2027-03-23T08:00:00.000Z'),
    );
    expect(r.effects).toEqual([
      {
        type: 'notify',
        role: 'holder',
        template: 'statusoppdatering',
        reason: 'timer statusoppdatering in step veivisersak',
      },
    ]);
    expect(Object.keys(dueTimes(r.state))).toEqual(['stillstand']);
    s = accepted(
      send(r.state, 'sendStatusoppdatering', veiviser, '2027-03-24T08:00:00.000Z', {
        dato: '2027-03-24',
      }),
    ).state;
    expect(s.data.sisteStatusoppdatering).toBe('2027-03-24');
    expect(dueTimes(s)).toEqual({
      statusoppdatering: '2027-04-14T07:00:00.000Z',
      stillstand: '2027-05-05T07:00:00.000Z',
    });
  });

  it('when a case stands still for six weeks, then a leader takes hold of it', () => {
    const s = veiviserSak();
    const r = accepted(fireTimer(k, s, timerKey(s, 'stillstand'), '2027-04-13T07:00:00.000Z'));
    expect(r.state).toMatchObject({ overdue: true, escalatedTo: ['leder'] });
    expect(r.effects).toEqual([
      {
        type: 'escalate',
        role: 'leder',
        template: 'sakenStarStille',
        reason: 'timer stillstand in step veivisersak',
      },
    ]);
  });

  it('when a veivisersak closes, then the feedback form link is always sent to the citizen', () => {
    const r = accepted(
      send(veiviserSak(), 'avsluttVeivisersak', veiviser, '2027-04-01T08:00:00.000Z', {
        arsak: 'tjenester_koblet',
      }),
    );
    expect(r.state).toMatchObject({ step: 'avsluttet_veivisersak', status: 'closed', timers: [] });
    expect(r.effects).toEqual([
      { type: 'sendFeedbackLink', template: 'tilbakemeldingsskjema', survey: 'veivisersak' },
    ]);
  });

  it('when a question is answered at first contact, then the short case closes with the feedback link too', () => {
    const r = accepted(
      send(open(), 'avsluttVeivisersak', veiviser, '2027-03-01T10:00:00.000Z', {
        arsak: 'rad_gitt',
      }),
    );
    expect(r.effects).toEqual([
      { type: 'sendFeedbackLink', template: 'tilbakemeldingsskjema', survey: 'veivisersak' },
    ]);
  });

  it('when the family comes back within six months, then the veiviser reopens the case quickly; later it is refused', () => {
    const closed = accepted(
      send(veiviserSak(), 'avsluttVeivisersak', veiviser, '2027-04-01T08:00:00.000Z', {
        arsak: 'familien_klarer_seg_selv',
      }),
    ).state;
    const back = accepted(
      reopenCase(k, closed, { actor: veiviser, now: '2027-06-01T08:00:00.000Z' }),
    );
    expect(back.state).toMatchObject({
      step: 'veivisersak',
      level: 2,
      status: 'open',
      holder: { id: 'veiviser-1', role: 'veiviser' },
    });
    expect(dueTimes(back.state)).toEqual({
      statusoppdatering: '2027-06-22T08:00:00.000Z',
      stillstand: '2027-07-13T08:00:00.000Z',
    });
    expect(
      rejected(reopenCase(k, closed, { actor: veiviser, now: '2027-10-02T08:00:00.000Z' })).code,
    ).toBe('REOPEN_NOT_ALLOWED');
  });
});

describe('Lørenskog Familieveiviseren: barnekoordinator/koordinator', () => {
  function toDecision(now = '2027-03-17T08:00:00.000Z'): CaseState {
    return accepted(send(open(), 'avklarSakstype', veiviser, now, { sakstype: 'koordinator' }))
      .state;
  }

  it('when a family may have a right to a coordinator, then the decision is due in 15 working days, skipping Easter', () => {
    const s = toDecision();
    expect(s).toMatchObject({ step: 'vurdering_koordinator', level: 2 });
    // From Wednesday 17 March: Easter 25–29 March is skipped; 09:00 Oslo is 07:00 UTC in April.
    expect(dueTimes(s)).toEqual({
      vedtaksfrist: '2027-04-12T07:00:00.000Z',
      paminnelseVedtak: '2027-04-07T07:00:00.000Z',
    });
  });

  it('when the decision is late, then the caseworker is reminded and a leader is escalated to', () => {
    let s = toDecision();
    const reminder = accepted(
      fireTimer(k, s, timerKey(s, 'paminnelseVedtak'), '2027-04-07T07:00:00.000Z'),
    );
    expect(reminder.effects).toEqual([
      {
        type: 'notify',
        role: 'saksbehandler',
        template: 'paminnelseVedtak',
        reason: 'timer paminnelseVedtak in step vurdering_koordinator',
      },
    ]);
    s = reminder.state;
    const late = accepted(fireTimer(k, s, timerKey(s, 'vedtaksfrist'), '2027-04-12T07:00:00.000Z'));
    expect(late.state).toMatchObject({ overdue: true, escalatedTo: ['leder'] });
  });

  it('when a veiviser tries to make the formal decision, then only the caseworker role may', () => {
    const rej = rejected(
      send(toDecision(), 'fattVedtak', veiviser, '2027-03-20T08:00:00.000Z', {
        vedtak: 'koordinator',
        vedtaksdato: '2027-03-20',
        koordinator: 'koord-1',
      }),
    );
    expect(rej.code).toBe('ROLE_NOT_ALLOWED');
    expect(rej.allowedEvents).toContain('byttVeiviser');
    expect(rej.allowedEvents).not.toContain('fattVedtak');
  });

  it('when barnekoordinator is granted, then the coordinator takes over at level 3 and the yearly survey is armed', () => {
    const r = accepted(
      send(toDecision(), 'fattVedtak', saksbehandler, '2027-04-01T08:00:00.000Z', {
        vedtak: 'barnekoordinator',
        vedtaksdato: '2027-04-01',
        koordinator: 'koord-1',
      }),
    );
    expect(r.state).toMatchObject({
      step: 'koordinatorsak',
      level: 3,
      holder: { id: 'koord-1', role: 'koordinator', since: '2027-04-01T08:00:00.000Z' },
    });
    expect(r.state.data).toMatchObject({
      vedtak: 'barnekoordinator',
      vedtaksdato: '2027-04-01',
      sakstype: 'koordinator',
    });
    expect(r.effects).toEqual([
      {
        type: 'notify',
        role: 'holder',
        template: 'nyKoordinator',
        reason: 'fattVedtak in step vurdering_koordinator',
      },
    ]);
    expect(dueTimes(r.state)).toEqual({
      arligUndersokelse: '2028-04-01T08:00:00.000Z',
      statusoppdatering: '2027-05-01T08:00:00.000Z',
    });
  });

  it('when a coordinator case has run a year, then the family gets the yearly survey, and again the year after', () => {
    let s = accepted(
      send(toDecision(), 'fattVedtak', saksbehandler, '2027-04-01T08:00:00.000Z', {
        vedtak: 'koordinator',
        vedtaksdato: '2027-04-01',
        koordinator: 'koord-1',
      }),
    ).state;
    const r = accepted(
      fireTimer(k, s, timerKey(s, 'arligUndersokelse'), '2028-04-01T08:00:00.000Z'),
    );
    expect(r.effects).toEqual([
      { type: 'sendSurvey', template: 'arligSporreundersokelse', survey: 'koordinatorArlig' },
    ]);
    s = r.state;
    expect(dueTimes(s).arligUndersokelse).toBe('2029-04-01T08:00:00.000Z');
  });

  it('when the coordinator case closes, then no feedback link is sent (the yearly survey covers it)', () => {
    const s = accepted(
      send(toDecision(), 'fattVedtak', saksbehandler, '2027-04-01T08:00:00.000Z', {
        vedtak: 'koordinator',
        vedtaksdato: '2027-04-01',
        koordinator: 'koord-1',
      }),
    ).state;
    const r = accepted(
      send(s, 'avsluttKoordinatorsak', koordinator, '2028-06-01T08:00:00.000Z', {
        arsak: 'behovet_er_borte',
      }),
    );
    expect(r.state).toMatchObject({ step: 'avsluttet_koordinator', status: 'closed' });
    expect(r.effects).toEqual([]);
  });

  it('when the application is refused, then the veiviser follows up as a veivisersak', () => {
    const r = accepted(
      send(toDecision(), 'fattVedtak', saksbehandler, '2027-04-01T08:00:00.000Z', {
        vedtak: 'avslag',
        vedtaksdato: '2027-04-01',
      }),
    );
    expect(r.state).toMatchObject({ step: 'veivisersak', level: 2, holder: { id: 'veiviser-1' } });
    expect(r.state.data).toMatchObject({ vedtak: 'avslag', sakstype: 'langvarig_oppfolging' });
  });

  it('when a granted decision names no coordinator, then the form says who is missing', () => {
    const rej = rejected(
      send(toDecision(), 'fattVedtak', saksbehandler, '2027-04-01T08:00:00.000Z', {
        vedtak: 'koordinator',
        vedtaksdato: '2027-04-01',
      }),
    );
    expect(rej).toMatchObject({ code: 'PAYLOAD_INVALID', details: [{ path: '/koordinator' }] });
  });

  it('when a veivisersak turns out to need a coordinator, then it moves to the decision step', () => {
    const r = accepted(send(veiviserSak(), 'sokKoordinator', veiviser, '2027-03-10T08:00:00.000Z'));
    expect(r.state).toMatchObject({ step: 'vurdering_koordinator', level: 2 });
  });
});
