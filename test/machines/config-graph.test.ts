/**
 * The graph of a config is walked once (machines/config-graph.ts): the API's statechart and the
 * visualizer's diagram are two drawings of the same transitions, and they agree on every seed.
 * A broken draft still gives every transition whose ends exist.
 */
import { withSharedEvents } from '../../config/shared-events';
import { EngineEvents } from '../../machines';
import { configTransitions } from '../../machines/config-graph';
import { toStatechart } from '../../server/statechart';
import { statechartGraph } from '../../server/visualizer/statechart-graph';
import { loadSeed, seedIds } from './support';

test.each(seedIds())(
  'the statechart and the diagram of %s show the same moves between steps',
  (id) => {
    const config = loadSeed(id);
    const chart = toStatechart({ kommune: id, version: 1, config });
    const diagram = statechartGraph(config);
    const chartMoves = new Set(
      chart.edges
        .filter((e) => !e.stays)
        .map((e) => `${e.kind === 'reopen' ? 'reopen' : 'transition'} ${e.from}->${e.to}`),
    );
    const diagramMoves = new Set(
      diagram.edges.filter((e) => e.kind !== 'intake').map((e) => `${e.kind} ${e.from}->${e.to}`),
    );
    expect(diagramMoves).toEqual(chartMoves);
    const chartStays = new Set(
      chart.edges.filter((e) => e.stays).map((e) => `${e.from} ${e.event}`),
    );
    const diagramStays = new Set(
      diagram.nodes.flatMap((n) => n.stayEvents.map((e) => `${n.id} ${e.event}`)),
    );
    expect(diagramStays).toEqual(chartStays);
    // Every gate branch of the config is an edge of the statechart, shared events in each step.
    const branches = Object.values(withSharedEvents(config).steps).flatMap((s) =>
      Object.values(s.on ?? {}).flatMap((h) => [h].flat()),
    );
    expect(chart.edges.filter((e) => e.kind === 'event')).toHaveLength(branches.length);
  },
);

test('a broken draft gives the transitions whose ends exist, the target defaulting to the step itself', () => {
  const draft = {
    steps: {
      a: {
        on: {
          GO: [
            { target: 'b', when: { '==': [1, 1] }, description: 'hvis' },
            { target: 'nowhere' },
            'junk',
            {},
          ],
        },
      },
      b: { final: { outcome: 'closed' } },
      c: 7,
    },
    reopen: { step: 'a', within: 'P30D' },
  };
  expect(configTransitions(draft)).toEqual([
    {
      from: 'a',
      to: 'b',
      kind: 'event',
      event: 'GO',
      index: 0,
      of: 4,
      when: { '==': [1, 1] },
      description: 'hvis',
    },
    {
      from: 'a',
      to: 'a',
      kind: 'event',
      event: 'GO',
      index: 3,
      of: 4,
      when: undefined,
      description: undefined,
    },
    { from: 'b', to: 'a', kind: 'reopen', event: EngineEvents.reopen, index: 0, of: 1 },
  ]);
  expect(configTransitions(null)).toEqual([]);
  expect(configTransitions({ steps: { a: {} }, reopen: { step: 'gone' } })).toEqual([]);
});
