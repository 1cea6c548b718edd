/**
 * Several resource teams, each meeting on its own days: a case's meeting timer (and the reminder
 * before it) follows the team the case was sent to, moves when the case changes team, and falls
 * back to the timer's own interval while the case has no team.
 */
import { validateConfig } from '../../config';
import type { KommuneConfig } from '../../config/types';
import { applyEvent, compileKommune, openCase, type Actor, type CaseState } from '../../machines';
import resourceTeams from '../workflows/fixtures/resource-teams.json';
import { accepted, compileSeed, dueAt, rejected } from './support';

const k = compileKommune(resourceTeams as KommuneConfig, 1);
const koordinator: Actor = { id: 'koordinator-1', role: 'koordinator' };
// Monday 1 March 2027, 09:00 in Oslo.
const T0 = '2027-03-01T08:00:00.000Z';
const T1 = '2027-03-01T09:00:00.000Z';
// Nord meets every other Thursday from 7 January: 4 March; sør every other Tuesday from
// 12 January: 9 March. Meeting days start at Oslo midnight (winter time: 23:00 UTC the day before).
const NORD_4_MARCH = '2027-03-03T23:00:00.000Z';
const SOR_9_MARCH = '2027-03-08T23:00:00.000Z';

function sentTo(team: string | undefined) {
  const open = accepted(
    openCase(k, { caseId: 'c-1', referralSource: 'skole', actor: koordinator, now: T0 }),
  );
  const payload = team === undefined ? {} : { ressursteam: team };
  return accepted(
    applyEvent(k, open.state, { type: 'sendTilRessursteam', payload, actor: koordinator }, T0),
  ).state;
}

test('when two cases go to two resource teams, then each meets on its own team’s next meeting day, with the invitation a week before', () => {
  const nord = sentTo('ressursteam-nord');
  const sor = sentTo('ressursteam-sor');
  expect(nord.assignedTeams).toEqual({ ressursteam: 'ressursteam-nord' });
  expect(sor.assignedTeams).toEqual({ ressursteam: 'ressursteam-sor' });
  expect(dueAt(nord, 'mote')).toBe(NORD_4_MARCH);
  expect(dueAt(sor, 'mote')).toBe(SOR_9_MARCH);
  // A week before 4 March has passed already: no late invitation. 2 March is a week before 9 March.
  expect(dueAt(nord, 'innkalling')).toBe('(not armed)');
  expect(dueAt(sor, 'innkalling')).toBe('2027-03-01T23:00:00.000Z');
});

test('when a case changes resource team, then its next meeting moves to the new team’s day and its invitation with it', () => {
  const nord = sentTo('ressursteam-nord');
  const moved = accepted(
    applyEvent(
      k,
      nord,
      { type: 'byttRessursteam', payload: { ressursteam: 'ressursteam-sor' }, actor: koordinator },
      T1,
    ),
  ).state;
  expect(moved.assignedTeams).toEqual({ ressursteam: 'ressursteam-sor' });
  expect(dueAt(moved, 'mote')).toBe(SOR_9_MARCH);
  expect(moved.timers.find((t) => t.timerId === 'mote')?.key).toBe(
    `ressursteam/mote/${SOR_9_MARCH}`,
  );
  expect(dueAt(moved, 'innkalling')).toBe('2027-03-01T23:00:00.000Z');
});

test('when a case changes to the team it is already on, then its meeting stays as it was', () => {
  const nord = sentTo('ressursteam-nord');
  const same = accepted(
    applyEvent(
      k,
      nord,
      { type: 'byttRessursteam', payload: { ressursteam: 'ressursteam-nord' }, actor: koordinator },
      T1,
    ),
  ).state;
  expect(same.timers).toEqual(nord.timers);
});

test('when a case is sent to the resource team step without a team, then its meetings follow the timer’s own interval from entering the step', () => {
  const none = sentTo(undefined);
  expect(none.assignedTeams).toBeUndefined();
  // P4W from 1 March 09:00 in Oslo: 29 March 09:00, summer time.
  expect(dueAt(none, 'mote')).toBe('2027-03-29T07:00:00.000Z');
});

test('when the team is chosen on entering the step and the form names a team that is not a resource team, then the event is refused with the teams allowed, in Norwegian too', () => {
  // A step's entry effects read whichever event entered it, so validation cannot see that form's
  // choices: the engine checks the value itself.
  const variant = structuredClone(resourceTeams) as unknown as KommuneConfig & {
    steps: Record<string, { on?: Record<string, { effects?: unknown[] }>; onEnter?: unknown[] }>;
    events: Record<string, { payload?: { properties?: Record<string, unknown> } }>;
  };
  delete variant.steps.kartlegging!.on!.sendTilRessursteam!.effects;
  variant.steps.ressursteam!.onEnter = [
    { type: 'assignTeam', kind: 'ressursteam', from: 'ressursteam' },
  ];
  variant.events.sendTilRessursteam!.payload!.properties!.ressursteam = {
    type: 'string',
    maxLength: 64,
  };
  expect(validateConfig(variant).ok).toBe(true);
  const kv = compileKommune(variant, 1);
  const open = accepted(
    openCase(kv, { caseId: 'c-1', referralSource: 'skole', actor: koordinator, now: T0 }),
  );
  const r = rejected(
    applyEvent(
      kv,
      open.state,
      { type: 'sendTilRessursteam', payload: { ressursteam: 'familieteam' }, actor: koordinator },
      T1,
    ),
  );
  expect(r).toEqual({
    code: 'PAYLOAD_INVALID',
    message: '"ressursteam" must name a team of kind "ressursteam"',
    nb: '«ressursteam» må være et av disse teamene: ressursteam-nord, ressursteam-sor.',
    details: [
      {
        path: '/ressursteam',
        message: 'must be one of: ressursteam-nord, ressursteam-sor',
        nb: 'Må være en av: ressursteam-nord, ressursteam-sor.',
      },
    ],
  });
  const nord = accepted(
    applyEvent(
      kv,
      open.state,
      {
        type: 'sendTilRessursteam',
        payload: { ressursteam: 'ressursteam-nord' },
        actor: koordinator,
      },
      T1,
    ),
  ).state;
  expect(dueAt(nord, 'mote')).toBe(NORD_4_MARCH);
});

describe('Øygarden, with two resource teams', () => {
  const oy = compileSeed('oygarden');
  const laerer: Actor = { id: 'laerer-1', role: 'tjenesteyter' };
  const send = (state: CaseState, type: string, now: string, payload?: unknown) =>
    accepted(applyEvent(oy, state, { type, actor: laerer, payload }, now)).state;

  /** A case the clarification talk on Wednesday 13 January 2027 refers to a resource team. */
  function referred(team?: string): CaseState {
    let s = accepted(
      openCase(oy, {
        caseId: 'c-1',
        referralSource: 'skole',
        payload: { arena: 'skole', barnetsAlder: 14 },
        actor: laerer,
        now: '2027-01-04T08:00:00.000Z',
      }),
    ).state;
    s = send(s, 'registrerVurdering', '2027-01-06T08:00:00.000Z', {
      risikofaktorer: { hoytFravaer: true, konflikterIHjemmet: true },
    });
    s = send(s, 'registrerSamtykke', '2027-01-12T12:00:00.000Z', { gittAv: 'parent' });
    return send(s, 'registrerAvklaringssamtale', '2027-01-13T08:00:00.000Z', {
      utfall: 'ressursteam',
      ansvarlig: 'rt-1',
      ...(team === undefined ? {} : { ressursteam: team }),
    });
  }

  test('when the talk refers one case to ressursteam sør and one to nord, then sør’s case meets on a Tuesday and nord’s on a Thursday', () => {
    expect(dueAt(referred('ressursteam-sor'), 'ressursteammote')).toBe('2027-01-25T23:00:00.000Z');
    expect(dueAt(referred('ressursteam-nord'), 'ressursteammote')).toBe('2027-01-20T23:00:00.000Z');
  });

  test('when the resource team moves a case from nord to sør, then its next meeting moves to sør’s Tuesday; a teacher may not move it', () => {
    const nord = referred('ressursteam-nord');
    const move = (actor: Actor) =>
      applyEvent(
        oy,
        nord,
        { type: 'byttRessursteam', payload: { ressursteam: 'ressursteam-sor' }, actor },
        '2027-01-14T08:00:00.000Z',
      );
    const moved = accepted(move({ id: 'rt-1', role: 'ressursteam' })).state;
    expect(moved.step).toBe('ressursteam');
    expect(moved.assignedTeams).toEqual({ ressursteam: 'ressursteam-sor' });
    expect(dueAt(moved, 'ressursteammote')).toBe('2027-01-25T23:00:00.000Z');
    expect(rejected(move(laerer)).code).toBe('ROLE_NOT_ALLOWED');
  });

  test('when the talk names no team, then the case keeps the kommune’s every-other-Thursday meetings', () => {
    const s = referred();
    expect(s.assignedTeams).toBeUndefined();
    expect(dueAt(s, 'ressursteammote')).toBe('2027-01-20T23:00:00.000Z');
  });
});

test('when a gate reads the case’s team, then a case on resource team nord may close and one on sør is refused, in Norwegian too', () => {
  const config = structuredClone(resourceTeams) as unknown as KommuneConfig;
  config.steps.ressursteam!.on!.avslutt = [
    {
      when: { '==': [{ var: 'case.teams.ressursteam' }, 'ressursteam-nord'] },
      target: 'avsluttet',
      description: 'Bare ressursteam nord avslutter selv',
    },
  ];
  expect(validateConfig(config)).toEqual({ ok: true, config });
  const gated = compileKommune(config, 1);
  const on = (team: string) => {
    const open = accepted(
      openCase(gated, { caseId: 'c-1', referralSource: 'skole', actor: koordinator, now: T0 }),
    ).state;
    const payload = { ressursteam: team };
    const event = { type: 'sendTilRessursteam', payload, actor: koordinator };
    return accepted(applyEvent(gated, open, event, T0)).state;
  };
  const close = { type: 'avslutt', payload: {}, actor: koordinator };
  expect(accepted(applyEvent(gated, on('ressursteam-nord'), close, T1)).state.status).toBe(
    'closed',
  );
  const refused = rejected(applyEvent(gated, on('ressursteam-sor'), close, T1));
  expect(refused.code).toBe('NO_GATE_MATCHED');
  expect(refused.nb).toMatch(/^Ingen av vilkårene for «.+» i steget «Ressursteam» er oppfylt\.$/);
});
