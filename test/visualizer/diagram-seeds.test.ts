/**
 * The three seed models' diagrams as the server lays them out (real elkjs): what a reader of the
 * diagram sees, checked on the geometry the browser draws as it is.
 */
import type { Diagram } from '../../server/visualizer/diagram-types';
import { layoutDiagram } from '../../server/visualizer/layout-diagram';
import { statechartGraph } from '../../server/visualizer/statechart-graph';
import { loadSeed, seedIds } from '../machines/support';
import { generatedConfig } from './support/generated-config';

jest.setTimeout(60_000);

const diagrams = new Map<string, Diagram>();

beforeAll(async () => {
  for (const id of seedIds()) diagrams.set(id, await layoutDiagram(statechartGraph(loadSeed(id))));
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
