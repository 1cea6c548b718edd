/**
 * Where a case stands on its statechart, and where it has been. No DOM here, so the server's
 * tests can check the marks against the engine's bounded path.
 */
import type { CaseSnapshot } from '../api-schemas';
import { START_NODE, type Diagram } from './diagram-types';

/** As `DiagramMarks` (diagram-view.ts) wants them. */
export interface CaseMarks {
  current: string;
  visited: ReadonlySet<string>;
  next: ReadonlySet<string>;
  /** Edge ids along the path taken. */
  taken: ReadonlySet<string>;
}

/** Current step, steps visited, possible next steps and the edges of the path taken. */
export function marksOf(c: CaseSnapshot, d: Diagram): CaseMarks {
  const ids = new Set(d.edges.map((e) => e.id));
  const taken = new Set<string>();
  if (c.path.length > 0) taken.add(`intake:${START_NODE}->${c.path[0]}`);
  // A long path keeps its first and latest steps; the moves dropped between them come along.
  const moves = [...(c.pathDropped?.moves ?? [])];
  for (let i = c.pathDropped ? 2 : 1; i < c.path.length; i++)
    moves.push([c.path[i - 1], c.path[i]]);
  for (const [a, b] of moves)
    for (const id of [`transition:${a}->${b}`, `reopen:${a}->${b}`]) if (ids.has(id)) taken.add(id);
  const next = new Set(
    d.edges
      .filter(
        (e) =>
          e.from === c.step &&
          (c.status === 'open' ? e.kind === 'transition' : e.kind === 'reopen'),
      )
      .map((e) => e.to),
  );
  return {
    current: c.step,
    visited: new Set([START_NODE, ...c.path, ...moves.flat()]),
    next,
    taken,
  };
}
