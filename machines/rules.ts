/**
 * Gate rules, recorded values and the config's named `computed` values: JSON Logic (json-logic-js) evaluated against the facts a
 * config may read, never `eval`. A rule that throws on odd data is a rule that does not hold,
 * so a bad value in a case can never crash the machine.
 *
 * @module
 */
import jsonLogic from 'json-logic-js';
import type { Rule } from '../config/types';
import type { Actor, CaseState } from './types';
import { actorFacts, type ActorFacts } from './case-actors';
import { isConsentValid } from './consents';

/** What `{ "var": "…" }` can reach in a rule. */
export interface RuleFacts {
  data: Record<string, unknown>;
  payload: unknown;
  /** Consent type → true while the consent is given, not withdrawn and not expired. */
  consents: Record<string, boolean>;
  case: {
    level: number;
    step: string;
    referralSource: string;
    openedAt: string;
    /** Team kind → the id of the team the case is on. */
    teams: Record<string, string>;
  };
  /** The acting person's relation to the case, never their identity. */
  actor: ActorFacts;
  /** The config's named values (`computed`), each evaluated when a rule first reads it. */
  computed: Record<string, unknown>;
}

/**
 * The facts of a case at `now`, with the event's payload and who acts (none: the engine).
 *
 * @example
 * evaluateRule({ '>=': [{ var: 'payload.score' }, 4] }, ruleFacts(state, { score: 5 }, now)) // true
 */
export function ruleFacts(
  state: CaseState,
  payload: unknown,
  now: string,
  actor?: Actor,
  computed?: Readonly<Record<string, Rule>>,
): RuleFacts {
  const consents: Record<string, boolean> = {};
  for (const [type, consent] of Object.entries(state.consents)) {
    consents[type] = isConsentValid(consent, now);
  }
  const facts: RuleFacts = {
    data: state.data,
    payload: payload ?? {},
    consents,
    case: {
      level: state.level,
      step: state.step,
      referralSource: state.referralSource,
      openedAt: state.openedAt,
      teams: state.assignedTeams ?? {},
    },
    actor: actorFacts(state, actor),
    computed: {},
  };
  if (computed) facts.computed = computedValues(computed, facts);
  return facts;
}

/** Where a `computed` object keeps its facts and what it has evaluated (no rule reaches a symbol). */
const STATE = Symbol('computed');

interface ComputedState {
  facts: RuleFacts;
  known?: Map<string, unknown>;
  evaluating?: Set<string>;
}

/**
 * The getters of a config's named values, made once per `computed` object of a config (a
 * WeakMap, so it lives as long as the config): defining them on every facts object was a
 * tenth of a command. No `Object.prototype` below it, so `computed.constructor` reads nothing.
 */
const getters = new WeakMap<Readonly<Record<string, Rule>>, object>();

function gettersOf(defs: Readonly<Record<string, Rule>>): object {
  let proto = getters.get(defs);
  if (proto) return proto;
  proto = Object.create(null) as object;
  for (const name of Object.keys(defs)) {
    Object.defineProperty(proto, name, {
      enumerable: true,
      get(this: { [STATE]: ComputedState }) {
        const state = this[STATE];
        const known = (state.known ??= new Map());
        if (known.has(name)) return known.get(name);
        const evaluating = (state.evaluating ??= new Set());
        if (evaluating.has(name)) return null;
        evaluating.add(name);
        const outcome = evaluateRule(defs[name]!, state.facts);
        evaluating.delete(name);
        const value = outcome.ok ? outcome.value : null;
        known.set(name, value);
        return value;
      },
    });
  }
  getters.set(defs, proto);
  return proto;
}

/**
 * The named values as lazy properties of one facts object: a rule pays only for the values it
 * reads, each once. The validator refuses cycles; should one slip through, the value read inside
 * its own evaluation is null rather than a loop.
 */
function computedValues(
  defs: Readonly<Record<string, Rule>>,
  facts: RuleFacts,
): Record<string, unknown> {
  const values = Object.create(gettersOf(defs)) as Record<string | symbol, unknown>;
  values[STATE] = { facts } satisfies ComputedState;
  return values as Record<string, unknown>;
}

export type RuleOutcome = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * The value of a rule (for `record` effects), or the error it raised.
 *
 * @example
 * evaluateRule({ '+': [1, { var: 'data.x' }] }, facts) // { ok: true, value: 3 } when data.x is 2
 */
export function evaluateRule(rule: Rule, facts: RuleFacts): RuleOutcome {
  try {
    return { ok: true, value: jsonLogic.apply(rule as jsonLogic.RulesLogic, facts) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Whether a gate's rule holds; a missing rule always holds, and JSON Logic truthiness applies
 * (so an empty array does not hold).
 *
 * @example
 * ruleHolds(undefined, facts) // true
 */
export function ruleHolds(rule: Rule | undefined, facts: RuleFacts): boolean {
  if (rule === undefined) return true;
  const outcome = evaluateRule(rule, facts);
  return outcome.ok && jsonLogic.truthy(outcome.value);
}
