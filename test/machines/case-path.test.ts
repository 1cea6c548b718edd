/**
 * A case's path stays bounded however long the case runs (a re-assessment every four weeks for
 * years, a case bouncing between two steps), and what its readers show stays what the whole path
 * would show: the steps ever entered (the `SlusePath` search attribute, statistics' funnel, the
 * visualizer's visited steps), the moves ever made (the visualizer's edges taken) and the latest
 * steps in order.
 */
import type { KommuneConfig } from '../../config/types';
import { validateConfig } from '../../config';
import { applyEvent, compileKommune, openCase, type Actor, type CaseState } from '../../machines';
import { PATH_MAX_ENTRIES, visitedSteps, withStepEntered } from '../../machines/case-path';
import { caseView } from '../../machines/case-view';
import { CaseSnapshot } from '../../server/api-schemas';
import { toCaseSnapshot } from '../../server/case-snapshot';
import { statechartGraph } from '../../server/visualizer/statechart-graph';
import { marksOf } from '../../server/visualizer/case-marks';
import type { Diagram } from '../../server/visualizer/diagram-types';
import reassessment from '../workflows/fixtures/reassessment.json';
import { accepted } from './support';

const koordinator: Actor = { id: 'koordinator-1', role: 'koordinator' };
const T0 = Date.parse('2027-03-01T08:00:00.000Z');

/** The re-assessment fixture with a second step to bounce to and back. */
function bouncing(): KommuneConfig {
  const c = structuredClone(reassessment) as unknown as KommuneConfig;
  c.steps.vurdering.on = { ...c.steps.vurdering.on, tilOppfolging: { target: 'oppfolging' } };
  c.steps.oppfolging = {
    title: 'Oppfølging',
    level: 1,
    holderRole: 'koordinator',
    on: { tilbakeTilVurdering: { target: 'vurdering' } },
  } as KommuneConfig['steps'][string];
  c.events.tilOppfolging = { title: 'Til oppfølging', roles: ['koordinator'] };
  c.events.tilbakeTilVurdering = { title: 'Tilbake til vurdering', roles: ['koordinator'] };
  return c;
}

const distinctMoves = (path: string[]) => new Set(path.slice(1).map((b, i) => `${path[i]}->${b}`));

test('when a case re-enters its step 10,000 times after one early detour, then its path stays within the cap and still shows every step and move it made', () => {
  const config = bouncing();
  expect(validateConfig(config)).toMatchObject({ ok: true });
  const k = compileKommune(config, 1);
  let at = T0;
  const now = () => new Date((at += 60_000)).toISOString();
  let state: CaseState = accepted(
    openCase(k, { caseId: 'c-1', referralSource: 'skole', actor: koordinator, now: now() }),
  ).state;
  const full = [...state.path];
  const send = (type: string) => {
    state = accepted(applyEvent(k, state, { type, actor: koordinator }, now())).state;
    full.push(state.step);
  };
  send('tilOppfolging');
  send('tilbakeTilVurdering');
  for (let i = 0; i < 10_000; i++) {
    send('registrerVurdering');
    expect(state.path.length).toBeLessThanOrEqual(PATH_MAX_ENTRIES);
  }

  expect(full).toHaveLength(10_003);
  expect(state.path).toHaveLength(PATH_MAX_ENTRIES);
  expect(state.path[0]).toBe('vurdering');
  expect(state.path.slice(1)).toEqual(full.slice(-(PATH_MAX_ENTRIES - 1)));
  expect(state.pathDropped?.count).toBe(full.length - PATH_MAX_ENTRIES);
  // The detour to "oppfolging" fell out of the path, and is still what the readers show.
  expect(state.path).not.toContain('oppfolging');
  expect(visitedSteps(state)).toEqual(['vurdering', 'oppfolging']);
  expect(new Set(state.pathDropped?.moves.map(([a, b]) => `${a}->${b}`))).toEqual(
    distinctMoves(full),
  );

  const snapshot = toCaseSnapshot(caseView(k, state));
  expect(CaseSnapshot.parse(snapshot)).toEqual(snapshot);
  expect(snapshot.path).toEqual(state.path);
  expect(snapshot.pathDropped).toEqual(state.pathDropped);
  expect(JSON.stringify(snapshot).length).toBeLessThan(8_000);

  const diagram = { edges: statechartGraph(config).edges } as unknown as Diagram;
  const marks = marksOf(snapshot, diagram);
  const wholePath = marksOf({ ...snapshot, path: full, pathDropped: undefined }, diagram);
  expect(marks.visited).toEqual(wholePath.visited);
  expect(marks.taken).toEqual(wholePath.taken);
  expect(marks.taken).toEqual(
    new Set([
      'intake:__start__->vurdering',
      'transition:vurdering->oppfolging',
      'transition:oppfolging->vurdering',
    ]),
  );
});

test('when a case from before the cap with a 500-step path moves on, then its path is cut to the cap at once, keeping every step and move', () => {
  const long = ['a', ...Array.from({ length: 499 }, (_, i) => ['b', 'c', 'd'][i % 3])];
  const next = withStepEntered({ path: long }, 'e');
  const full = [...long, 'e'];
  expect(next.path).toEqual(['a', ...full.slice(-(PATH_MAX_ENTRIES - 1))]);
  expect(next.pathDropped?.count).toBe(full.length - PATH_MAX_ENTRIES);
  expect(visitedSteps(next)).toEqual(['a', 'b', 'c', 'd', 'e']);
  const kept = new Set([
    ...(next.pathDropped?.moves ?? []).map(([a, b]) => `${a}->${b}`),
    ...distinctMoves(next.path.slice(1)),
  ]);
  expect(kept).toEqual(distinctMoves(full));
});

test('when a path is within the cap, then it is every step in order and nothing is summed up', () => {
  const next = withStepEntered({ path: ['a', 'b'] }, 'a');
  expect(next).toEqual({ path: ['a', 'b', 'a'] });
  expect('pathDropped' in next).toBe(false);
  expect(visitedSteps(next)).toEqual(['a', 'b']);
});
