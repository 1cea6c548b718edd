/**
 * A kommune config as an XState v5 machine: one state per step (final steps `type: 'final'`),
 * each gate a guarded transition with the named guard `rule`, each effect list a named action
 * with params. The machine config stays plain data, like the kommune config it comes from; the
 * implementations are bound by name in `setup`. The context is the `CaseState` itself.
 *
 * @module
 */
import { assign, setup } from 'xstate';
import type { Effect, KommuneConfig, Rule, StepId, Transition } from '../config/types';
import { applyStateEffects, enterStep, sideEffectsOf } from './effects';
import { ruleFacts, ruleHolds } from './rules';
import type { Actor, CaseState, SideEffect } from './types';

/** The machine of one kommune config. */
export type CaseMachine = ReturnType<typeof compileMachine>;

/** What the machine receives: the config's event plus the facts its actions need. */
export interface MachineEvent {
  type: string;
  payload: Record<string, unknown>;
  actor: Actor;
  now: string;
}

/** The input of `initialTransition`: the case before it enters its first step. */
export interface MachineInput {
  state: CaseState;
  payload: Record<string, unknown>;
  now: string;
}

/** The name of the action that carries a side effect out of `transition` as data. */
export const SIDE_EFFECT_ACTION = 'sideEffect';

type InitEvent = { type: string; input?: MachineInput };

/** The payload and time of whatever triggered an action, including the initial entry. */
function triggerOf(event: MachineEvent | InitEvent): { payload: Record<string, unknown>; now: string } {
  if ('now' in event) return { payload: event.payload, now: event.now };
  if (event.input) return { payload: event.input.payload, now: event.input.now };
  throw new Error(`machine action triggered by "${event.type}" without a time`);
}

/**
 * Compiles a config into a machine. Pure: the same config gives an equal machine.
 *
 * @example
 * const machine = compileMachine(config);
 * const [snapshot] = initialTransition(machine, { state, payload, now });
 */
export function compileMachine(config: KommuneConfig) {
  const states: Record<string, object> = {};
  for (const [stepId, step] of Object.entries(config.steps)) {
    const on: Record<string, object[]> = {};
    for (const [eventId, gates] of Object.entries(step.on ?? {})) {
      on[eventId] = (Array.isArray(gates) ? gates : [gates]).map((gate) => compileGate(stepId, eventId, gate));
    }
    states[stepId] = {
      ...(step.final ? { type: 'final' } : {}),
      entry: [{ type: 'enterStep', params: { step: stepId } }, ...effectActions(step.onEnter, stepId, `entered step ${stepId}`)],
      on,
    };
  }

  return setup({
    types: {
      context: {} as CaseState,
      events: {} as MachineEvent,
      input: {} as MachineInput,
    },
    guards: {
      rule: ({ context, event }, params: { rule: Rule }) => ruleHolds(params.rule, ruleFacts(context, event.payload, event.now)),
    },
    actions: {
      enterStep: assign(({ context, event }, params: { step: StepId }) =>
        enterStep(config, context, params.step, triggerOf(event).now),
      ),
      applyEffects: assign(({ context, event }, params: { effects: Effect[]; holderStep: StepId }) => {
        const { payload, now } = triggerOf(event);
        return applyStateEffects(config, context, params.effects, { payload, now, holderStep: params.holderStep });
      }),
      // Never executed: `transition` hands it back and the workflow runs the effect as an activity.
      [SIDE_EFFECT_ACTION]: (_: unknown, _params: { effect: SideEffect }) => undefined,
    },
  }).createMachine({
    id: config.id,
    initial: config.intake.step,
    context: ({ input }) => input.state,
    // Built from data, so the step names are not known to the type system.
    states: states as never,
  });
}

function compileGate(stepId: StepId, eventId: string, gate: Transition): object {
  const target = gate.target !== undefined && gate.target !== stepId ? gate.target : undefined;
  return {
    ...(target ? { target } : {}),
    ...(gate.when !== undefined ? { guard: { type: 'rule', params: { rule: gate.when } } } : {}),
    actions: effectActions(gate.effects, target ?? stepId, `${eventId} in step ${stepId}`),
  };
}

function effectActions(effects: readonly Effect[] | undefined, holderStep: StepId, reason: string): object[] {
  if (!effects || effects.length === 0) return [];
  return [
    { type: 'applyEffects', params: { effects, holderStep } },
    ...sideEffectsOf(effects, reason).map((effect) => ({ type: SIDE_EFFECT_ACTION, params: { effect } })),
  ];
}
