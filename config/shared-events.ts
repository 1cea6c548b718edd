/**
 * Events handled in many steps, said once: `sharedEvents` groups pick steps by BTI level
 * and/or by id and give them an `on` map, as if it were written in each picked step. A step's
 * own handler for the same event wins over a group's (a level range can then leave one step
 * its own way out); final steps are never picked. The engine, the allowed events, the statechart
 * and the validator all read steps through `withSharedEvents`, so none can tell the difference.
 *
 * Tolerant readers: the visualizer draws unchecked drafts with the same selection.
 *
 * @module
 */
import type { KommuneConfig, StepDef, StepId } from './types';

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The levels a group's `levels` names: a list, or an inclusive range `{ from, to }`. */
export function sharedLevels(levels: unknown): Set<number> {
  if (Array.isArray(levels)) return new Set(levels.filter((l) => typeof l === 'number'));
  if (!isDict(levels)) return new Set();
  const from = typeof levels.from === 'number' ? levels.from : 0;
  const to = typeof levels.to === 'number' ? levels.to : 3;
  const out = new Set<number>();
  // BTI levels are 0–3: the loop is bounded whatever the numbers say.
  for (let l = Math.max(0, from); l <= Math.min(3, to); l++) out.add(l);
  return out;
}

/**
 * The steps a group picks, in the config's order: open steps on one of its levels or named in
 * its `steps`, less `exceptSteps`. Final steps never handle events, so they are not picked.
 *
 * @example
 * sharedSteps(config.steps, { levels: { from: 1, to: 3 }, on: {} }) // ['kartlegging', 'tiltak']
 */
export function sharedSteps(steps: unknown, group: unknown): StepId[] {
  if (!isDict(steps) || !isDict(group)) return [];
  const levels = sharedLevels(group.levels);
  const named = new Set(Array.isArray(group.steps) ? group.steps : []);
  const except = new Set(Array.isArray(group.exceptSteps) ? group.exceptSteps : []);
  return Object.keys(steps).filter((id) => {
    const step = steps[id];
    if (!isDict(step) || step.final !== undefined || except.has(id)) return false;
    return named.has(id) || (typeof step.level === 'number' && levels.has(step.level));
  });
}

/** The events a group handles, with their transition or gate, tolerant of a draft's shape. */
export function sharedHandlers(group: unknown): Array<[string, unknown]> {
  return isDict(group) && isDict(group.on) ? Object.entries(group.on) : [];
}

/**
 * For each step, the handlers it gets from groups (its own handler for an event wins; between
 * groups, the first wins — the validator refuses two groups handling one event in one step).
 */
export function sharedOn(
  config: unknown,
): Map<StepId, Map<string, { group: string; handler: unknown }>> {
  const out = new Map<StepId, Map<string, { group: string; handler: unknown }>>();
  if (!isDict(config) || !isDict(config.sharedEvents)) return out;
  const steps = config.steps;
  for (const [group, def] of Object.entries(config.sharedEvents)) {
    const handlers = sharedHandlers(def);
    if (handlers.length === 0) continue;
    for (const stepId of sharedSteps(steps, def)) {
      const ownOn = isDict(steps) && isDict(steps[stepId]) ? (steps[stepId] as Dict).on : undefined;
      for (const [event, handler] of handlers) {
        if (isDict(ownOn) && Object.hasOwn(ownOn, event)) continue;
        let byEvent = out.get(stepId);
        if (!byEvent) out.set(stepId, (byEvent = new Map()));
        if (!byEvent.has(event)) byEvent.set(event, { group, handler });
      }
    }
  }
  return out;
}

const expanded = new WeakMap<KommuneConfig, KommuneConfig>();

/**
 * The config with every group's handlers written into the steps it picks. Memoised per config
 * object (configs are read-only); the same object when there are no groups. The handlers are
 * the group's own objects, not copies.
 *
 * @example
 * withSharedEvents(config).steps.tiltak.on.SAMTYKKE_TRUKKET // the group's transition
 */
export function withSharedEvents(config: KommuneConfig): KommuneConfig {
  if (!config.sharedEvents || Object.keys(config.sharedEvents).length === 0) return config;
  const known = expanded.get(config);
  if (known) return known;
  const steps: Record<StepId, StepDef> = { ...config.steps };
  for (const [stepId, handlers] of sharedOn(config)) {
    const step = steps[stepId]!;
    const on = { ...(step.on ?? {}) };
    for (const [event, { handler }] of handlers)
      on[event] = handler as NonNullable<StepDef['on']>[string];
    steps[stepId] = { ...step, on };
  }
  const result: KommuneConfig = { ...config, steps };
  expanded.set(config, result);
  return result;
}

/** The computed values a rule reads (`{"var": "computed.x"}`, with or without a default). */
export function computedReads(rule: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(rule)) {
    for (const item of rule) computedReads(item, out);
  } else if (typeof rule === 'object' && rule !== null) {
    for (const [op, args] of Object.entries(rule)) {
      const name: unknown = op === 'var' ? (Array.isArray(args) ? args[0] : args) : undefined;
      if (typeof name === 'string' && name.startsWith('computed.')) {
        out.add(name.slice('computed.'.length).split('.')[0]!);
      }
      computedReads(args, out);
    }
  }
  return out;
}
