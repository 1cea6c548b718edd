/**
 * "Only the stafettholder acts": an event or a whole step may be limited to the case's holder or
 * its team, beyond the role; rules read the acting person's relation to the case (holder, on the
 * team, role), never who they are.
 */
import { validateConfig } from '../../config';
import type { KommuneConfig } from '../../config/types';
import {
  allowedEvents,
  applyEvent,
  compileKommune,
  openCase,
  type Actor,
  type CaseState,
} from '../../machines';
import { caseView } from '../../machines/case-view';
import holderOnly from '../workflows/fixtures/holder-only.json';
import { accepted, rejected } from './support';

const config = holderOnly as KommuneConfig;
const k = compileKommune(config, 1);
const holder: Actor = { id: 'koordinator-1', role: 'koordinator' };
const colleague: Actor = { id: 'koordinator-2', role: 'koordinator' };
const teamMember: Actor = { id: 'koordinator-3', role: 'koordinator' };
const leder: Actor = { id: 'leder-1', role: 'leder' };
const T0 = '2027-03-01T08:00:00.000Z';
const T1 = '2027-03-02T08:00:00.000Z';

function withTeam(): CaseState {
  const open = accepted(
    openCase(k, { caseId: 'c-1', referralSource: 'skole', actor: holder, now: T0 }),
  );
  return accepted(
    applyEvent(
      k,
      open.state,
      { type: 'leggTilTeam', actor: holder, payload: { medlemmer: [{ id: teamMember.id }] } },
      T0,
    ),
  ).state;
}

const send = (state: CaseState, type: string, actor: Actor, payload?: unknown) =>
  applyEvent(k, state, { type, actor, payload }, T1);

test('when the holder registers a meeting in a holder-only step, then it is accepted', () => {
  expect(send(withTeam(), 'registrerMote', holder).ok).toBe(true);
});

test('when a colleague with the same role registers a meeting in a holder-only step, then it is refused with ACTOR_NOT_ALLOWED and what they may send', () => {
  const r = rejected(send(withTeam(), 'registrerMote', colleague));
  expect(r.code).toBe('ACTOR_NOT_ALLOWED');
  expect(r.message).toBe(
    `"Registrer møte" may be sent in step "Oppfølging" only by the case's holder`,
  );
  expect(r.allowedEvents).toEqual(['byttKoordinator', 'avslutt']);
});

test('when a team member writes a note the event opens to the team, then it is accepted; a colleague off the team is refused', () => {
  const state = withTeam();
  expect(send(state, 'skrivNotat', teamMember).ok).toBe(true);
  const r = rejected(send(state, 'skrivNotat', colleague));
  expect(r.code).toBe('ACTOR_NOT_ALLOWED');
  expect(r.message).toMatch(/only by the case's holder or a person on its team$/);
});

test('when an event says "role" in a holder-only step, then anyone with the role may send it', () => {
  const r = accepted(send(withTeam(), 'byttKoordinator', colleague, { ansvarlig: colleague.id }));
  expect(r.state.holder?.id).toBe(colleague.id);
  // The former holder is now just a colleague.
  expect(rejected(send(r.state, 'registrerMote', holder)).code).toBe('ACTOR_NOT_ALLOWED');
});

test('when a rule reads the actor: the holder and a leader may close, a colleague is told why not', () => {
  const state = withTeam();
  expect(accepted(send(state, 'avslutt', holder)).state.status).toBe('closed');
  expect(accepted(send(state, 'avslutt', leder)).state.status).toBe('closed');
  const r = rejected(send(state, 'avslutt', colleague));
  expect(r.code).toBe('NO_GATE_MATCHED');
  expect(r.details[0]?.message).toMatch(/Bare stafettholderen eller en leder/);
});

test('when each person reads the case, then they are offered only the events they may send', () => {
  const state = withTeam();
  const offered = (actor: Actor) => caseView(k, state, actor).allowedEvents.map((e) => e.type);
  expect(offered(holder)).toEqual([
    'registrerMote',
    'skrivNotat',
    'leggTilTeam',
    'byttKoordinator',
    'avslutt',
  ]);
  expect(offered(teamMember)).toEqual(['skrivNotat', 'byttKoordinator', 'avslutt']);
  expect(offered(colleague)).toEqual(['byttKoordinator', 'avslutt']);
  // A reader whose person is unknown is never offered a holder's event.
  expect(allowedEvents(k, state, { role: 'koordinator' }).map((e) => e.type)).toEqual([
    'byttKoordinator',
    'avslutt',
  ]);
});

test('when a case has no holder yet, then anyone with the role may act so someone can take it', () => {
  const open = accepted(
    openCase(k, { caseId: 'c-2', referralSource: 'skole', actor: holder, now: T0 }),
  );
  const unheld = { ...open.state, holder: null };
  expect(send(unheld, 'registrerMote', colleague).ok).toBe(true);
});

test('when a rule reads a fact about the actor that does not exist (their id), then the config is refused at that rule', () => {
  const copy = structuredClone(holderOnly) as {
    steps: { oppfolging: { on: { avslutt: object } } };
  };
  copy.steps.oppfolging.on.avslutt = {
    target: 'avsluttet',
    when: { '==': [{ var: 'actor.id' }, 'koordinator-1'] },
  };
  const result = validateConfig(copy);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.errors).toEqual([
    expect.objectContaining({
      path: '/steps/oppfolging/on/avslutt/when/==/0/var',
      message: '"actor.id" is not a fact about the acting person',
    }),
  ]);
});

test('when "actedBy" names something else than holder, team or role, then the config is refused at that path', () => {
  const copy = structuredClone(holderOnly) as { events: { skrivNotat: { actedBy: string } } };
  copy.events.skrivNotat.actedBy = 'stafettholder';
  const result = validateConfig(copy);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.errors.map((e) => e.path)).toEqual(['/events/skrivNotat/actedBy']);
});
