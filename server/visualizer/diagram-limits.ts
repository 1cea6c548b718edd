/**
 * What may be laid out, checked before any layout work: the steps and transitions of the
 * submitted config counted as loosely as the diagram reads drafts (a draft may be broken), in
 * time linear in its size.
 *
 * @module
 */
import { ApiError } from '../api-error';
import { sharedHandlers, sharedSteps } from '../../config/shared-events';

export interface DiagramLimits {
  maxSteps: number;
  maxTransitions: number;
}

const isDict = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Steps, and transitions (gated alternatives of one event counted one by one). */
export function diagramSize(config: unknown): { steps: number; transitions: number } {
  const steps = isDict(config) && isDict(config.steps) ? Object.values(config.steps) : [];
  let transitions = 0;
  for (const step of steps) {
    if (!isDict(step) || !isDict(step.on)) continue;
    for (const t of Object.values(step.on)) transitions += Array.isArray(t) ? t.length : 1;
  }
  // A shared-events group is drawn in every step it picks: its branches times those steps.
  const groups = isDict(config) && isDict(config.sharedEvents) ? config.sharedEvents : {};
  for (const group of Object.values(groups)) {
    let branches = 0;
    for (const [, t] of sharedHandlers(group)) branches += Array.isArray(t) ? t.length : 1;
    if (branches > 0)
      transitions += branches * sharedSteps(isDict(config) ? config.steps : {}, group).length;
  }
  return { steps: steps.length, transitions };
}

/** Refuses a config too large to lay out: 413 DIAGRAM_TOO_LARGE, naming the limit; `path` points at the config in the request. */
export function checkDiagramSize(config: unknown, limits: DiagramLimits, path: string): void {
  const { steps, transitions } = diagramSize(config);
  const details = [
    ...(steps > limits.maxSteps
      ? [
          {
            path,
            message: `${steps} steps; at most ${limits.maxSteps} can be drawn`,
            nb: `${steps} steg; høyst ${limits.maxSteps} kan tegnes.`,
          },
        ]
      : []),
    ...(transitions > limits.maxTransitions
      ? [
          {
            path,
            message: `${transitions} transitions; at most ${limits.maxTransitions} can be drawn`,
            nb: `${transitions} overganger; høyst ${limits.maxTransitions} kan tegnes.`,
          },
        ]
      : []),
  ];
  if (details.length > 0)
    throw new ApiError(
      'DIAGRAM_TOO_LARGE',
      'the model is too large to draw',
      'Modellen er for stor til å tegnes.',
      details,
    );
}
