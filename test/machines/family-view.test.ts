/**
 * The family's own view of their case (machines/family-view.ts), from Lørenskog's and Øygarden's
 * seeds run through the pure engine: plain words from the config, dates as Norwegians write
 * them in Oslo time, consents with who gave them and the button the engine allows, only the log
 * lines meant for the family, and nothing of the staff's snapshot (field ids, timer ids, forms).
 */
import {
  allowedEvents,
  applyEvent,
  declineReopen,
  openCase,
  reopenCase,
  requestReopen,
  type Actor,
  type CaseState,
} from '../../machines';
import { familyView, norwegianDate, type LogLine } from '../../machines/family-view';
import { accepted, compileSeed, loadSeed, rejected } from './support';

const k = compileSeed('lorenskog');
const config = loadSeed('lorenskog');
const veiviser: Actor = { id: 'veiviser-1', role: 'veiviser' };
const forelder: Actor = { id: 'foresatt-1', role: 'foresatt' };
const T0 = '2027-03-01T08:00:00.000Z';

function walk(): { state: CaseState; log: LogLine[] } {
  const log: LogLine[] = [{ at: T0, kind: 'opened', what: 'opened' }];
  let state = accepted(
    openCase(k, {
      caseId: 'l-1',
      referralSource: 'innbygger',
      payload: { henvendelsesgjelder: 'barn', barnetsAlder: 9 },
      actor: veiviser,
      now: T0,
    }),
  ).state;
  const steps: Array<[string, Actor, unknown, string]> = [
    ['avklarSakstype', veiviser, { sakstype: 'koordinator' }, '2027-03-02T08:00:00.000Z'],
    [
      'leggTilFamilie',
      veiviser,
      { familiemedlem: { id: 'foresatt-1', role: 'foresatt' } },
      '2027-03-02T09:00:00.000Z',
    ],
    ['giSamtykke', forelder, {}, '2027-03-03T10:00:00.000Z'],
  ];
  for (const [type, actor, payload, now] of steps) {
    state = accepted(applyEvent(k, state, { type, actor, payload }, now)).state;
    log.push({ at: now, kind: 'event', what: type });
  }
  log.push({ at: '2027-03-03T10:00:01.000Z', kind: 'notified', what: 'notify' });
  return { state, log };
}

function viewAs(state: CaseState, log: LogLine[], actor: Actor, now = '2027-03-04T08:00:00.000Z') {
  return familyView({
    config,
    state,
    log,
    viewer: actor,
    allowedEvents: allowedEvents(k, state, actor).map((e) => e.type),
    now,
  });
}

test('when a parent opens their case, then they read the step, the deadline and the holder in plain words with Norwegian dates', () => {
  const { state, log } = walk();
  const view = viewAs(state, log, forelder);
  expect(view.step).toEqual(config.familyTexts!.steps!.vurdering_koordinator);
  expect(view.upcoming).toEqual([
    {
      label: 'Svar på om dere får koordinator, senest',
      due: { at: expect.any(String), text: '23. mars 2027' },
    },
  ]);
  expect(view.holder).toEqual({
    role: 'Familieveiviser',
    since: { at: T0, text: '1. mars 2027' },
    you: false,
  });
  expect(view.contact?.name).toBe('Familieveiviseren i Lørenskog kommune');
  expect(view.team).toEqual([{ role: 'Forelder/foresatt', you: true }]);
});

test('when a parent has consented, then the consent says who gave it and when, and offers withdrawal, not giving again', () => {
  const { state, log } = walk();
  const [consent] = viewAs(state, log, forelder).consents;
  expect(consent).toEqual({
    type: 'tverrfaglig_samarbeid',
    title: 'Samtykke til at tjenestene samarbeider',
    text: expect.stringContaining('barneverntjenesten'),
    state: 'given',
    givenBy: 'en forelder',
    givenAt: { at: '2027-03-03T10:00:00.000Z', text: '3. mars 2027' },
    withdrawEvent: 'trekkSamtykke',
  });
  const withdrawn = accepted(
    applyEvent(k, state, { type: 'trekkSamtykke', actor: forelder }, '2027-03-05T10:00:00.000Z'),
  ).state;
  const after = viewAs(withdrawn, log, forelder).consents[0];
  expect(after).toMatchObject({ state: 'withdrawn', giveEvent: 'giSamtykke' });
  expect(after.withdrawEvent).toBeUndefined();
});

test('when the log is read, then only lines with a family sentence show, newest first', () => {
  const { state, log } = walk();
  expect(viewAs(state, log, forelder).log.map((l) => l.text)).toEqual([
    'Dere ga samtykke til at tjenestene kan samarbeide.',
    'Et familiemedlem ble lagt til i saken.',
    'Veiviseren har funnet ut hva slags hjelp dere trenger.',
    'Vi tok imot henvendelsen.',
  ]);
});

test('when the view is serialised, then no field id, timer id, form, person id or staff description is in it', () => {
  const { state, log } = walk();
  // Every key and string value of the view, each checked whole: "vedtak" is a field id and a word.
  const strings = new Set<string>();
  JSON.stringify(viewAs(state, log, forelder), (key, value: unknown) => {
    strings.add(key);
    if (typeof value === 'string') strings.add(value);
    return value;
  });
  const forbidden = [
    ...Object.keys(config.fields ?? {}),
    ...state.timers.map((t) => t.timerId),
    ...state.timers.map((t) => t.key),
    'veiviser-1',
    'foresatt-1',
    'payloadSchema',
    'data',
    'vurdering_koordinator',
    config.steps.vurdering_koordinator.description!,
  ];
  expect(forbidden.filter((word) => strings.has(word))).toEqual([]);
});

test('when a case closed within the reopen window, then the family reads until when they may ask to reopen; after it, not', () => {
  const { log } = walk();
  const closed = accepted(
    applyEvent(
      k,
      accepted(
        openCase(k, {
          caseId: 'l-2',
          referralSource: 'innbygger',
          payload: { henvendelsesgjelder: 'familie' },
          actor: veiviser,
          now: T0,
        }),
      ).state,
      { type: 'avsluttVeivisersak', actor: veiviser, payload: { arsak: 'rad_gitt' } },
      '2027-03-10T10:00:00.000Z',
    ),
  ).state;
  const view = viewAs(closed, log, forelder, '2027-04-01T08:00:00.000Z');
  expect(view).toMatchObject({ open: false, step: { title: 'Saken er avsluttet' } });
  expect(view.reopenUntil).toEqual({
    // Six months on the Oslo clock: 11:00 in winter time is 09:00 UTC in summer time.
    at: '2027-09-10T09:00:00.000Z',
    text: '10. september 2027',
  });
  expect(viewAs(closed, log, forelder, '2027-09-11T08:00:00.000Z').reopenUntil).toBeNull();
});

test('when a date falls just after midnight in Oslo, then it is that Oslo date, not the UTC one', () => {
  expect(norwegianDate('2027-06-30T22:30:00.000Z')).toBe('1. juli 2027');
});

test('when a parent asks to reopen within the window, then the page says who decides, a second ask and the staff are refused, a no lets them ask again, and reopening clears it', () => {
  const { log } = walk();
  const closed = accepted(
    applyEvent(
      k,
      accepted(
        openCase(k, {
          caseId: 'l-3',
          referralSource: 'innbygger',
          payload: { henvendelsesgjelder: 'familie' },
          actor: veiviser,
          now: T0,
        }),
      ).state,
      { type: 'avsluttVeivisersak', actor: veiviser, payload: { arsak: 'rad_gitt' } },
      '2027-03-10T10:00:00.000Z',
    ),
  ).state;
  const asked = '2027-04-01T08:00:00.000Z';
  expect(viewAs(closed, log, forelder, asked)).toMatchObject({
    reopenRequest: null,
    mayRequestReopen: true,
  });
  // Still open: nothing to ask for; staff reopen themselves.
  expect(rejected(requestReopen(k, walk().state, { actor: forelder, now: asked })).nb).toBe(
    'Saken er fortsatt åpen, så den trenger ikke åpnes igjen.',
  );
  expect(rejected(requestReopen(k, closed, { actor: veiviser, now: asked })).code).toBe(
    'ROLE_NOT_ALLOWED',
  );

  const sent = accepted(requestReopen(k, closed, { actor: forelder, now: asked }));
  expect(sent.state.reopenRequest).toEqual({ at: asked, by: 'foresatt' });
  expect(sent.effects).toEqual([
    expect.objectContaining({ type: 'notify', role: 'holder', template: 'reopenRequested' }),
  ]);
  expect(viewAs(sent.state, log, forelder, asked)).toMatchObject({
    reopenRequest: { state: 'sent', at: { text: '1. april 2027' }, decider: 'Familieveiviser' },
    mayRequestReopen: false,
  });
  expect(rejected(requestReopen(k, sent.state, { actor: forelder, now: asked })).nb).toBe(
    'Dere ba om å åpne saken igjen 01.04.2027. Familieveiviser avgjør det.',
  );

  const declined = accepted(
    declineReopen(k, sent.state, { actor: veiviser, now: '2027-04-02T08:00:00.000Z' }),
  ).state;
  expect(viewAs(declined, log, forelder, asked)).toMatchObject({
    reopenRequest: { state: 'declined', declinedAt: { text: '2. april 2027' } },
    mayRequestReopen: true,
  });
  const again = accepted(requestReopen(k, declined, { actor: forelder, now: asked })).state;
  const reopened = accepted(reopenCase(k, again, { actor: veiviser, now: asked })).state;
  expect(reopened.status).toBe('open');
  expect(reopened.reopenRequest).toBeUndefined();

  const late = rejected(
    requestReopen(k, closed, { actor: forelder, now: '2027-09-11T08:00:00.000Z' }),
  );
  expect(late.nb).toMatch(
    /^Saken ble avsluttet 10\.03\.2027, og fristen for å be om å åpne den igjen gikk ut 10\.09\.2027\./,
  );
});
