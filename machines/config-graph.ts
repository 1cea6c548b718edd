/**
 * A config read as a graph: every transition from one step to another (or back to itself), as
 * `compile-machine.ts` compiles it: each gate branch with its place in the gate list, its rule and
 * description, the target defaulting to the step itself; and the short way back, from every final
 * step into the reopen step. The API's statechart (server/statechart.ts) and the visualizer's
 * diagram (server/visualizer/statechart-graph.ts) both draw from this one walk.
 *
 * Tolerant on purpose: a process owner's unsaved draft may be broken, and the diagram still shows
 * every transition whose ends exist. For a valid config nothing is left out.
 *
 * @module
 */
import { EngineEvents } from './engine-names';
import { sharedOn } from '../config/shared-events';

export interface ConfigTransition {
  from: string;
  to: string;
  /** A config event, or the engine's reopening (`EngineEvents.reopen`). */
  kind: 'event' | 'reopen';
  event: string;
  /** Place in the gate list; 0 of 1 for a single transition. */
  index: number;
  of: number;
  /** The gate's rule (`when`), when it has one. */
  when?: unknown;
  description?: string;
}

/** Tolerant readers of an unchecked config (a draft may be anything), shared with the diagram. */
export type Dict = Record<string, unknown>;
export const isDict = (v: unknown): v is Dict =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const own = (d: Dict, key: string): unknown => (Object.hasOwn(d, key) ? d[key] : undefined);

/** Every transition of a config, valid or not, steps in their order, reopenings last. */
export function configTransitions(config: unknown): ConfigTransition[] {
  const c = isDict(config) ? config : {};
  const steps = isDict(c.steps) ? c.steps : {};
  const isStep = (id: string | undefined): id is string =>
    id !== undefined && isDict(own(steps, id));
  const out: ConfigTransition[] = [];
  const shared = sharedOn(c);
  for (const [from, raw] of Object.entries(steps)) {
    const on = isDict(raw) && isDict(raw.on) ? raw.on : {};
    // A step's shared events are drawn as its own: the engine runs them so.
    const handlers: Array<[string, unknown]> = [
      ...Object.entries(on),
      ...[...(shared.get(from) ?? [])].map(([event, s]): [string, unknown] => [event, s.handler]),
    ];
    for (const [event, handler] of handlers) {
      const list = Array.isArray(handler) ? handler : [handler];
      list.forEach((t: unknown, index) => {
        if (!isDict(t)) return;
        const to = str(t.target) ?? from;
        if (!isStep(to)) return;
        out.push({
          from,
          to,
          kind: 'event',
          event,
          index,
          of: list.length,
          when: t.when,
          description: str(t.description),
        });
      });
    }
  }
  // The engine lets a case ended in any final step come back by the short way.
  const reopenStep = isDict(c.reopen) ? str(c.reopen.step) : undefined;
  if (isStep(reopenStep)) {
    for (const [from, raw] of Object.entries(steps)) {
      if (isDict(raw) && isDict(raw.final))
        out.push({
          from,
          to: reopenStep,
          kind: 'reopen',
          event: EngineEvents.reopen,
          index: 0,
          of: 1,
        });
    }
  }
  return out;
}
