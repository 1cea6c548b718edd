/**
 * A case's path (the steps it entered, in order), kept bounded.
 *
 * Every transition adds a step, and a case that re-enters a step every four weeks for years, or
 * bounces between two steps, would carry an ever longer path in its state, every snapshot and
 * its continue-as-new input. So the path keeps its first entry and the latest ones; what falls
 * out between them is summed up in `pathDropped`: how many entries, and each move (from → to)
 * among them once. Readers want exactly what that keeps: the steps ever entered (the `SlusePath`
 * search attribute, statistics' funnel, the visualizer's visited steps) and the moves ever made
 * (the visualizer's edges taken), and the recent order. Distinct moves are bounded by the
 * transitions of the config (and the migrations of the case), however long the case runs.
 *
 * Pure: the same path whenever the same steps are entered, so a replay gets the same state.
 */
import type { StepId } from '../config/types';
import type { CaseState } from './types';

/**
 * Most entries a path keeps (the first plus the latest 99). Far above what a case's course
 * needs to be read (a journey is some 5–30 steps) and small in a snapshot (a few KB).
 */
export const PATH_MAX_ENTRIES = 100;

type PathPart = Pick<CaseState, 'path' | 'pathDropped'>;

/**
 * The path and its summary after entering `stepId`.
 *
 * @example
 * withStepEntered({ path: ['a', 'b'] }, 'c') // { path: ['a', 'b', 'c'] }
 */
export function withStepEntered(state: PathPart, stepId: StepId): PathPart {
  const path = [...state.path, stepId];
  if (path.length <= PATH_MAX_ENTRIES)
    return state.pathDropped ? { path, pathDropped: state.pathDropped } : { path };
  // Drop path[1] until the path fits (a case from before the cap may carry a long one): the move
  // into it (only the first time; later its source was dropped before, which kept that move as
  // its way out) and the move out of it are kept.
  let count = state.pathDropped?.count ?? 0;
  const moves = [...(state.pathDropped?.moves ?? [])];
  const keep = (a: StepId, b: StepId) => {
    if (!moves.some(([x, y]) => x === a && y === b)) moves.push([a, b]);
  };
  const excess = path.length - PATH_MAX_ENTRIES;
  for (let i = 1; i <= excess; i++) {
    if (count === 0) keep(path[0], path[i]);
    keep(path[i], path[i + 1]);
    count++;
  }
  return { path: [path[0], ...path.slice(1 + excess)], pathDropped: { count, moves } };
}

/**
 * Every step the case entered, each once, in the order first entered.
 *
 * @example
 * visitedSteps({ path: ['a', 'b', 'a'] }) // ['a', 'b']
 */
export function visitedSteps(state: PathPart): StepId[] {
  const moves = state.pathDropped?.moves ?? [];
  return [...new Set([...state.path.slice(0, 1), ...moves.flat(), ...state.path.slice(1)])];
}
