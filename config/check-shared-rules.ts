/**
 * Semantic check of the rules said once: `sharedEvents` groups (their steps exist, pick at least
 * one step, never name a final step or one that handles the event itself, handle known events,
 * and no two groups handle one event in one step) and `computed` values (no cycle, a bounded
 * chain). Targets, rules and effects inside a group are checked by the other checks, which see
 * a group's transitions as those of each step it picks (config-sites.ts).
 */
import type { ConfigError } from './config-error';
import type { KommuneConfig } from './types';
import { pointer } from './json-pointer';
import { didYouMean } from './did-you-mean';
import { computedReads, sharedSteps } from './shared-events';

/** How many computed values may stand on each other in one chain (`a` reads `b` reads `c` …). */
export const MAX_COMPUTED_CHAIN = 8;

export function checkSharedRules(config: KommuneConfig): ConfigError[] {
  return [...checkSharedEvents(config), ...checkComputed(config)];
}

function checkSharedEvents(config: KommuneConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const steps = config.steps;
  const stepIds = Object.keys(steps);
  /** `step event` → the group that handles it there first. */
  const handledBy = new Map<string, string>();
  for (const [group, def] of Object.entries(config.sharedEvents ?? {})) {
    const events = Object.keys(def.on);
    for (const list of ['steps', 'exceptSteps'] as const) {
      (def[list] ?? []).forEach((id, i) => {
        const at = pointer('sharedEvents', group, list, i);
        if (!Object.hasOwn(steps, id)) {
          const guess = didYouMean(id, stepIds);
          errors.push({
            code: 'SHARED_EVENTS_UNKNOWN_STEP',
            path: at,
            message: `shared events "${group}" name step "${id}", which does not exist`,
            nb: `Felleshendelsene «${group}» viser til steget «${id}», som ikke finnes`,
            hint: guess ? `did you mean "${guess}"?` : `steps: ${stepIds.join(', ')}`,
          });
          return;
        }
        if (list === 'exceptSteps') return;
        const step = steps[id]!;
        if (step.final) {
          errors.push({
            code: 'SHARED_EVENTS_FINAL_STEP',
            path: at,
            message: `shared events "${group}" name the final step "${id}", where the case has ended and no event is handled`,
            nb: `Felleshendelsene «${group}» viser til sluttsteget «${id}»; der er saken avsluttet, og ingen hendelser kan sendes`,
            hint: 'remove it from "steps"; to let a closed case come back, configure "reopen"',
          });
          return;
        }
        const own = events.filter((e) => step.on && Object.hasOwn(step.on, e));
        if (own.length > 0) {
          errors.push({
            code: 'SHARED_EVENTS_STEP_HANDLES_ITSELF',
            path: at,
            message: `shared events "${group}" name step "${id}", which handles ${own.map((e) => `"${e}"`).join(', ')} itself: its own handler would win, so naming it says nothing`,
            nb: `Felleshendelsene «${group}» viser til steget «${id}», som selv håndterer ${own.map((e) => `«${e}»`).join(', ')}; stegets egen overgang gjelder, så det er uklart hva som er ment`,
            hint: `remove "${id}" from "steps", or remove ${own.map((e) => `"${e}"`).join(', ')} from /steps/${id}/on`,
          });
        }
      });
    }

    const picked = sharedSteps(steps, def);
    if (picked.length === 0) {
      errors.push({
        code: 'SHARED_EVENTS_NO_STEPS',
        path: pointer('sharedEvents', group),
        message: `shared events "${group}" apply in no step: no open step is on its levels or named in its "steps"`,
        nb: `Felleshendelsene «${group}» gjelder ikke i noe steg: ingen åpne steg har disse nivåene eller er nevnt i «steps»`,
        hint: 'give "levels" (e.g. {"from": 1, "to": 3}) or "steps", and check "exceptSteps"',
      });
    }

    for (const [event, handler] of Object.entries(def.on)) {
      const at = pointer('sharedEvents', group, 'on', event);
      if (!Object.hasOwn(config.events, event)) {
        const guess = didYouMean(event, Object.keys(config.events));
        errors.push({
          code: 'SHARED_EVENTS_UNKNOWN_EVENT',
          path: at,
          message: `shared events "${group}" handle "${event}", which is not an event in "events"`,
          nb: `Felleshendelsene «${group}» håndterer «${event}», som ikke er en hendelse under «events»`,
          hint: guess ? `did you mean "${guess}"?` : 'declare it in "events"',
        });
      }
      if (Array.isArray(handler)) {
        const open = handler.findIndex((t) => t.when === undefined || t.when === true);
        if (open >= 0 && open < handler.length - 1) {
          errors.push({
            code: 'SHARED_EVENTS_BRANCH_NEVER_TAKEN',
            path: pointer('sharedEvents', group, 'on', event, open + 1),
            message: `this gate branch is never taken: branch ${open} before it has no condition`,
            nb: `Denne grenen blir aldri valgt: grenen foran (nr. ${open}) har ingen betingelse`,
            hint: 'put the branch without "when" last',
          });
        }
      }
      for (const step of picked) {
        if (steps[step]!.on && Object.hasOwn(steps[step]!.on!, event)) continue;
        const first = handledBy.get(`${step} ${event}`);
        if (first === undefined) {
          handledBy.set(`${step} ${event}`, group);
        } else {
          errors.push({
            code: 'SHARED_EVENTS_TWICE',
            path: at,
            message: `step "${step}" gets "${event}" from both shared events "${first}" and "${group}"`,
            nb: `Steget «${step}» får «${event}» fra både felleshendelsene «${first}» og «${group}»`,
            hint: 'let each step get an event from one group: narrow "levels", or use "exceptSteps"',
          });
        }
      }
    }
  }
  return errors;
}

function checkComputed(config: KommuneConfig): ConfigError[] {
  const defs = config.computed ?? {};
  const reads = new Map<string, string[]>(
    Object.entries(defs).map(([name, rule]) => [
      name,
      [...computedReads(rule)].filter((n) => Object.hasOwn(defs, n)),
    ]),
  );
  const errors: ConfigError[] = [];
  // Depth-first from each name; names is at most the schema's maxProperties, so this is small.
  for (const name of reads.keys()) {
    const cycle = findCycle(name, reads);
    if (cycle) {
      const chain = cycle.map((n) => `"${n}"`).join(' → ');
      errors.push({
        code: 'COMPUTED_CYCLE',
        path: pointer('computed', name),
        message: `computed value "${name}" depends on itself: ${chain}`,
        nb: `Den beregnede verdien «${name}» avhenger av seg selv: ${cycle.map((n) => `«${n}»`).join(' → ')}`,
        hint: 'write one of them without reading the other',
      });
      continue;
    }
    const depth = chainDepth(name, reads);
    if (depth > MAX_COMPUTED_CHAIN) {
      errors.push({
        code: 'COMPUTED_CHAIN_TOO_LONG',
        path: pointer('computed', name),
        message: `computed value "${name}" stands on a chain of ${depth} computed values; at most ${MAX_COMPUTED_CHAIN}`,
        nb: `Den beregnede verdien «${name}» bygger på en kjede av ${depth} beregnede verdier; høyst ${MAX_COMPUTED_CHAIN} er tillatt`,
        hint: 'write the value more directly, reading fields instead of other computed values',
      });
    }
  }
  return errors;
}

/** A path from `start` back to itself, or undefined. */
function findCycle(start: string, reads: Map<string, string[]>): string[] | undefined {
  const seen = new Set<string>();
  const walk = (name: string, path: string[]): string[] | undefined => {
    for (const next of reads.get(name) ?? []) {
      if (next === start) return [...path, next];
      if (seen.has(next)) continue;
      seen.add(next);
      const found = walk(next, [...path, next]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(start, [start]);
}

/** How many computed values the longest chain from `name` passes through (itself included). */
function chainDepth(
  name: string,
  reads: Map<string, string[]>,
  memo = new Map<string, number>(),
): number {
  const known = memo.get(name);
  if (known !== undefined) return known;
  memo.set(name, 1); // only reached for names without a cycle
  const depth = 1 + Math.max(0, ...(reads.get(name) ?? []).map((n) => chainDepth(n, reads, memo)));
  memo.set(name, depth);
  return depth;
}
