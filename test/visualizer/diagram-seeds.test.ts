/**
 * The three seed models' diagrams, and generated ones of a kommune's size and more, as the server
 * lays them out (real elkjs): what a reader of the diagram sees, checked on the geometry the
 * browser draws as it is, with the font's own character widths (`text-metrics.ts`).
 */
import type { Box, Diagram } from '../../server/visualizer/diagram-types';
import { layoutDiagram, NodeMetrics, sameRow } from '../../server/visualizer/layout-diagram';
import { textWidth } from '../../server/visualizer/text-metrics';
import { statechartGraph } from '../../server/visualizer/statechart-graph';
import { loadSeed, seedIds } from '../machines/support';
import { generatedConfig } from './support/generated-config';

jest.setTimeout(60_000);

const diagrams = new Map<string, Diagram>();

beforeAll(async () => {
  for (const id of seedIds()) diagrams.set(id, await layoutDiagram(statechartGraph(loadSeed(id))));
  // Kommune-sized and larger: 20 steps, and 30, on which elkjs's first layout crashes.
  for (const steps of [20, 30])
    diagrams.set(`generert-${steps}`, await layoutDiagram(statechartGraph(generatedConfig(steps))));
});

test('when a seed model is drawn, then each band carries that kommune’s own name for its level', () => {
  for (const id of seedIds()) {
    const levels = loadSeed(id).levels ?? {};
    const bands = diagrams.get(id)!.bands;
    expect(bands.length).toBeGreaterThan(1);
    for (const b of bands)
      expect([id, b.level, b.title]).toEqual([id, b.level, levels[b.level]?.title]);
    for (const b of bands) expect(b.description).toBe(levels[b.level]?.description);
  }
  // HOLF's first level is its inclusion, not another kommune's "undring".
  expect(diagrams.get('nav-holf')!.bands[0]).toMatchObject({ level: 0, title: 'Inklusjon' });
});

test('when a model names no levels, then its bands are called “Nivå N”', async () => {
  const d = await layoutDiagram(statechartGraph(generatedConfig(8)));
  expect(d.bands.map((b) => b.title)).toEqual(['Nivå 0', 'Nivå 1', 'Nivå 2', 'Nivå 3']);
});

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Names of the pairs of boxes that overlap, for a readable failure. */
function overlapping(a: Array<[string, Box]>, b: Array<[string, Box]> = a): string[] {
  const hits: string[] = [];
  for (const [i, [na, ba]] of a.entries())
    for (const [j, [nb, bb]] of b.entries())
      if ((a !== b || j > i) && na !== nb && overlaps(ba, bb)) hits.push(`${na} × ${nb}`);
  return hits;
}

test.each(['lorenskog', 'nav-holf', 'oygarden', 'generert-20', 'generert-30'])(
  'when %s’s diagram is drawn, then no two transition labels overlap and none lies on a step',
  (id) => {
    const d = diagrams.get(id)!;
    const labels = d.edges.flatMap((e): Array<[string, Box]> =>
      e.label ? [[e.label.lines.join(' '), e.label]] : [],
    );
    const steps = d.nodes.map((n): [string, Box] => [n.lines.join(' '), n]);
    expect(labels.length).toBeGreaterThan(5);
    expect(overlapping(labels)).toEqual([]);
    expect(overlapping(labels, steps)).toEqual([]);
  },
);

test.each(['lorenskog', 'nav-holf', 'oygarden', 'generert-20', 'generert-30'])(
  'when %s’s diagram is drawn, then every title line fits inside its step box and every label line inside its label',
  (id) => {
    const d = diagrams.get(id)!;
    const tooWide: string[] = [];
    for (const n of d.nodes.filter((n) => n.kind === 'step'))
      for (const line of n.lines)
        if (textWidth(line, NodeMetrics.titlePx, true) > n.width - 2 * NodeMetrics.titleInset)
          tooWide.push(line);
    for (const e of d.edges)
      for (const line of e.label?.lines ?? [])
        if (textWidth(line, NodeMetrics.labelPx) > e.label!.width - 2 * NodeMetrics.labelInset)
          tooWide.push(line);
    expect(tooWide).toEqual([]);
    // Whole words where they fit: a title is cut only when it is longer than three lines.
    for (const n of d.nodes) expect(n.lines.join(' ').replace(/-/g, '')).not.toMatch(/…$/);
  },
);

test.each(['lorenskog', 'nav-holf', 'oygarden', 'generert-20', 'generert-30'])(
  'when %s’s diagram is drawn, then its bands run top to bottom without gaps and everything drawn lies within the width they span',
  (id) => {
    const d = diagrams.get(id)!;
    let y = 0;
    for (const b of d.bands) {
      expect(b.y).toBeCloseTo(y);
      y = b.y + b.height;
    }
    expect(y).toBeCloseTo(d.height);
    const boxes: Box[] = [...d.nodes, ...d.edges.flatMap((e) => (e.label ? [e.label] : []))];
    for (const b of boxes) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width).toBeLessThanOrEqual(d.width);
    }
    for (const p of d.edges.flatMap((e) => e.points)) expect(p.x).toBeLessThanOrEqual(d.width);
    for (const n of d.nodes) {
      const band = d.bands.find((b) => b.level === n.level)!;
      expect([n.id, n.y >= band.y && n.y + n.height <= band.y + band.height]).toEqual([n.id, true]);
    }
  },
);

test.each(['lorenskog', 'nav-holf', 'oygarden', 'generert-20'])(
  'when %s’s steps are visited in order (Tab, a screen reader), then they go top to bottom, and left to right within a row',
  (id) => {
    const nodes = diagrams.get(id)!.nodes;
    const backwards = nodes
      .slice(1)
      .map((b, i) => [nodes[i], b] as const)
      .filter(([a, b]) => (sameRow(a, b) ? b.x < a.x : b.y + b.height / 2 < a.y + a.height / 2))
      .map(([a, b]) => `${a.id} → ${b.id}`);
    expect(backwards).toEqual([]);
  },
);
