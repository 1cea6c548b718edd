/**
 * Every place in a config where a transition, an effect or a rule sits, with its JSON path and
 * what payload it can read. The semantic checks walk these lists instead of each re-walking the
 * config's nesting.
 */
import type { Effect, EventId, JsonSchema, KommuneConfig, Rule, StepId, Transition } from './types';
import { pointer } from './json-pointer';
import { computedReads, sharedOn } from './shared-events';

/**
 * What `payload` means where an effect or rule runs: an event's (or the intake's) form, nothing
 * (timers fire without a payload), or any of several events' (a step's `onEnter`). `owner` names
 * where it runs in error messages (`event "X"`), `nbOwner` the same in bokmål (`hendelsen «X»`).
 */
export type PayloadScope =
  | { kind: 'form'; owner: string; nbOwner: string; schema: JsonSchema | undefined }
  | { kind: 'none'; owner: string; nbOwner: string }
  | { kind: 'unknown' };

export interface TransitionSite {
  step: StepId;
  event: EventId;
  /** Position in a gate; 0 for a single transition. */
  index: number;
  transition: Transition;
  path: string;
}

export interface EffectSite {
  effect: Effect;
  path: string;
  scope: PayloadScope;
  /** Set when the effect runs on a timer's expiry. */
  timer?: { step: StepId; index: number };
}

export interface RuleSite {
  rule: Rule;
  path: string;
  scope: PayloadScope;
}

export function transitionsOf(handler: Transition | Transition[]): Transition[] {
  return Array.isArray(handler) ? handler : [handler];
}

export function transitionSites(config: KommuneConfig): TransitionSite[] {
  const sites: TransitionSite[] = [];
  for (const [step, def] of Object.entries(config.steps)) {
    for (const [event, handler] of Object.entries(def.on ?? {})) {
      const gate = Array.isArray(handler);
      transitionsOf(handler).forEach((transition, index) => {
        const path = gate
          ? pointer('steps', step, 'on', event, index)
          : pointer('steps', step, 'on', event);
        sites.push({ step, event, index, transition, path });
      });
    }
  }
  // A shared event is a transition of each step it applies in, found at its one place in the
  // group: every check sees it as if written in the step, and names the group's path.
  for (const [step, handlers] of sharedOn(config)) {
    for (const [event, { group, handler }] of handlers) {
      const gate = Array.isArray(handler);
      transitionsOf(handler as Transition | Transition[]).forEach((transition, index) => {
        const path = gate
          ? pointer('sharedEvents', group, 'on', event, index)
          : pointer('sharedEvents', group, 'on', event);
        sites.push({ step, event, index, transition, path });
      });
    }
  }
  return sites;
}

export function eventScope(config: KommuneConfig, event: EventId): PayloadScope {
  const def = Object.hasOwn(config.events, event) ? config.events[event] : undefined;
  return def
    ? {
        kind: 'form',
        owner: `event "${event}"`,
        nbOwner: `hendelsen «${event}»`,
        schema: def.payload,
      }
    : { kind: 'unknown' };
}

export function effectSites(config: KommuneConfig): EffectSite[] {
  const sites: EffectSite[] = [];
  const add = (
    effects: Effect[] | undefined,
    base: string,
    scope: PayloadScope,
    timer?: EffectSite['timer'],
  ) =>
    (effects ?? []).forEach((effect, i) =>
      sites.push({ effect, path: `${base}/${i}`, scope, timer }),
    );

  add(config.intake.effects, pointer('intake', 'effects'), {
    kind: 'form',
    owner: 'the intake',
    nbOwner: 'inntaket',
    schema: config.intake.payload,
  });
  add(config.selfReferral?.effects, pointer('selfReferral', 'effects'), {
    kind: 'none',
    owner: "the family's own request",
    nbOwner: 'familiens egen henvendelse',
  });
  for (const [step, def] of Object.entries(config.steps)) {
    add(def.onEnter, pointer('steps', step, 'onEnter'), { kind: 'unknown' });
    (def.timers ?? []).forEach((timer, index) =>
      add(
        timer.onExpiry,
        pointer('steps', step, 'timers', index, 'onExpiry'),
        { kind: 'none', owner: `timer "${timer.id}"`, nbOwner: `fristen «${timer.id}»` },
        { step, index },
      ),
    );
  }
  for (const site of transitionSites(config)) {
    add(site.transition.effects, `${site.path}/effects`, eventScope(config, site.event));
  }
  return sites;
}

export function ruleSites(config: KommuneConfig): RuleSite[] {
  const sites: RuleSite[] = [];
  for (const site of transitionSites(config)) {
    if (site.transition.when !== undefined) {
      sites.push({
        rule: site.transition.when,
        path: `${site.path}/when`,
        scope: eventScope(config, site.event),
      });
    }
  }
  for (const site of effectSites(config)) {
    if (site.effect.type === 'record') {
      sites.push({ rule: site.effect.value, path: `${site.path}/value`, scope: site.scope });
    }
  }
  // A named value sees the payload of wherever it is read: it is checked once per such place
  // (findings at its one path), so a misspelt form property is caught as if written there.
  const defs = config.computed ?? {};
  const readIn = new Map<string, Map<string, PayloadScope>>();
  for (const site of sites) {
    for (const name of computedClosure(site.rule, defs)) {
      const scopes = readIn.get(name) ?? new Map<string, PayloadScope>();
      scopes.set(site.scope.kind === 'unknown' ? '' : site.scope.owner, site.scope);
      readIn.set(name, scopes);
    }
  }
  for (const [name, rule] of Object.entries(defs)) {
    const scopes = readIn.get(name) ?? new Map([['', { kind: 'unknown' } as PayloadScope]]);
    for (const scope of scopes.values())
      sites.push({ rule, path: pointer('computed', name), scope });
  }
  return sites;
}

/**
 * The names a `payload.X` reference may use in `scope`, or `null` when they cannot be known
 * (the form declares no `properties`, or several events may be the cause). A missing form is
 * an empty object, so it allows no names.
 */
export function payloadProperties(scope: PayloadScope): Set<string> | null {
  if (scope.kind === 'unknown') return null;
  if (scope.kind === 'none' || scope.schema === undefined) return new Set();
  const props = scope.schema.properties;
  if (typeof props !== 'object' || props === null) return null;
  return new Set(Object.keys(props));
}

/** Case fields: those declared in `fields`, plus the intake form's properties (recorded at intake). */
export function caseFieldNames(config: KommuneConfig): Set<string> {
  const names = new Set(Object.keys(config.fields ?? {}));
  const intakeProps = config.intake.payload?.properties;
  if (typeof intakeProps === 'object' && intakeProps !== null) {
    for (const name of Object.keys(intakeProps)) names.add(name);
  }
  return names;
}

/** The computed values a rule reads, directly or through other computed values. */
function computedClosure(rule: Rule, defs: Record<string, Rule>): Set<string> {
  const seen = new Set<string>();
  const queue = [...computedReads(rule)];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name) || !Object.hasOwn(defs, name)) continue;
    seen.add(name);
    queue.push(...computedReads(defs[name]));
  }
  return seen;
}
