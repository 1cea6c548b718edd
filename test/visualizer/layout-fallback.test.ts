/**
 * elkjs 0.12 throws on some graphs (an IndexOutOfBoundsException or a TypeError from its
 * translated Java): the diagram is then laid out a simpler way, and only when no way works is
 * the answer a clear 422. Real elkjs, on generated models it is known to crash on.
 */
import type { Box, Diagram } from '../../server/visualizer/diagram-types';
import {
  layoutAttempts,
  layoutDiagram,
  type LayoutAttempt,
} from '../../server/visualizer/layout-diagram';
import { statechartGraph } from '../../server/visualizer/statechart-graph';
import { generatedConfig } from './support/generated-config';

jest.setTimeout(60_000);

/** The smallest generated model found on which elkjs's first layout throws (also 35, 45, 130, 150, 300). */
const CRASHING_STEPS = 30;

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** What a reader needs to see the model: every step placed apart, every transition routed. */
function expectDrawable(d: Diagram, steps: number): void {
  expect(d.nodes.filter((n) => n.kind === 'step')).toHaveLength(steps + 1);
  for (const [i, a] of d.nodes.entries()) {
    expect(a.width).toBeGreaterThan(0);
    for (const b of d.nodes.slice(i + 1))
      expect([a.id, b.id, overlaps(a, b)]).toEqual([a.id, b.id, false]);
  }
  for (const e of d.edges) expect([e.id, e.points.length >= 2]).toEqual([e.id, true]);
  // Levels stay top to bottom, so the bands do not overlap.
  const bands = d.bands.map((b) => [b.y, b.y + b.height]);
  for (let i = 1; i < bands.length; i++)
    expect(bands[i][0]).toBeGreaterThanOrEqual(bands[i - 1][1]);
}

const failing: LayoutAttempt = () =>
  Promise.reject(new Error('java.lang.IndexOutOfBoundsException: index (-2)'));

test('when elkjs crashes on a model, then the diagram is still drawn with every step and transition', async () => {
  const outcomes: string[] = [];
  const recorded = layoutAttempts.map(
    (attempt, i): LayoutAttempt =>
      (root) =>
        attempt(root).then(
          (laid) => (outcomes.push(`${i}: drawn`), laid),
          (err: unknown) => {
            outcomes.push(`${i}: threw`);
            throw err;
          },
        ),
  );
  const d = await layoutDiagram(statechartGraph(generatedConfig(CRASHING_STEPS)), new Map(), {
    attempts: recorded,
  });
  // The crash is real: elk's usual way throws on this model; a simpler one draws it.
  expect(outcomes[0]).toBe('0: threw');
  expect(outcomes.at(-1)).toMatch(/drawn$/);
  expectDrawable(d, CRASHING_STEPS);
});

test('when every elkjs layout fails, then our own placement draws the levels top to bottom', async () => {
  const graph = statechartGraph(generatedConfig(CRASHING_STEPS));
  const d = await layoutDiagram(graph, new Map(), {
    attempts: [failing, failing, layoutAttempts.at(-1)!],
  });
  expectDrawable(d, CRASHING_STEPS);
  const levelTops = [0, 1, 2, 3].map((l) =>
    Math.min(...d.nodes.filter((n) => n.level === l && n.id !== 'avsluttet').map((n) => n.y)),
  );
  expect([...levelTops].sort((a, b) => a - b)).toEqual(levelTops);
  for (const e of d.edges) expect(e.label?.lines.join(' ')).toMatch(/\S/);
});

test('when no way of laying out succeeds, then 422 DIAGRAM_LAYOUT_FAILED in bokmål, not an internal error', async () => {
  const graph = statechartGraph(generatedConfig(3));
  await expect(layoutDiagram(graph, new Map(), { attempts: [failing] })).rejects.toMatchObject({
    status: 422,
    code: 'DIAGRAM_LAYOUT_FAILED',
    nb: 'Diagrammet kunne ikke tegnes. Modellen kan likevel kontrolleres og publiseres.',
  });
});

test('when elkjs fails on a model too late for another try before the time limit, then our own placement draws it at once', async () => {
  const tried: string[] = [];
  const slowCrash: LayoutAttempt = async () => {
    tried.push('elk');
    // Elk's crash on a large model comes after seconds; here the limit has passed when it does.
    throw new Error('java.lang.IndexOutOfBoundsException');
  };
  const retry: LayoutAttempt = (root) => (tried.push('retry'), layoutAttempts[1](root));
  const own: LayoutAttempt = (root) => (tried.push('own'), layoutAttempts.at(-1)!(root));
  const d = await layoutDiagram(statechartGraph(generatedConfig(CRASHING_STEPS)), new Map(), {
    attempts: [slowCrash, retry, own],
    deadline: Date.now() - 1,
  });
  expect(tried).toEqual(['elk', 'own']);
  expectDrawable(d, CRASHING_STEPS);
});
