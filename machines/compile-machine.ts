/**
 * A kommune config as an XState v5 machine: one state per step (final steps `type: 'final'`),
 * each gate a guarded transition with the named guard `rule`, each effect list a named action
 * with params. The machine config stays plain data, like the kommune config it comes from; the
 * implementations are bound by name in `setup`. The context is the `CaseState` itself.
 *
 * @module
 */
import {
  assign,
  createActor,
  setup,
  type ActorScope,
  type ExecutableActionObject,
  type AnyStateNode,
} from 'xstate';
import type { Effect, KommuneConfig, Rule, StepId, Transition } from '../config/types';
import { withSharedEvents } from '../config/shared-events';
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
  /**
   * Whether a gate's rule holds, as the engine found when it chose the gate: the same facts
   * (the case before the event), so the guard need not build them and run the rule again.
   */
  rules?: { holds(rule: Rule): boolean };
}

/** The input of `initialTransition`: the case before it enters its first step. */
export interface MachineInput {
  state: CaseState;
  payload: Record<string, unknown>;
  now: string;
  actor?: Actor;
}

/** The name of the action that carries a side effect out of `transition` as data. */
export const SIDE_EFFECT_ACTION = 'sideEffect';

type InitEvent = { type: string; input?: MachineInput };

/** The payload and time of whatever triggered an action, including the initial entry. */
function triggerOf(event: MachineEvent | InitEvent): {
  payload: Record<string, unknown>;
  now: string;
  actor?: Actor;
} {
  if ('now' in event) return { payload: event.payload, now: event.now, actor: event.actor };
  if (event.input)
    return { payload: event.input.payload, now: event.input.now, actor: event.input.actor };
  throw new Error(`machine action triggered by "${event.type}" without a time`);
}

/**
 * Compiles a config into a machine. Pure: the same config gives an equal machine.
 *
 * @example
 * const machine = compileMachine(config);
 * const [snapshot] = initialTransition(machine, { state, payload, now });
 */
export function compileMachine(config: KommuneConfig, initial: StepId = config.intake.step) {
  const steps = withSharedEvents(config).steps;
  const states: Record<string, object> = {};
  // Shared events compile into each step they apply in, as if written there.
  for (const [stepId, step] of Object.entries(steps)) {
    const on: Record<string, object[]> = {};
    for (const [eventId, gates] of Object.entries(step.on ?? {})) {
      on[eventId] = (Array.isArray(gates) ? gates : [gates]).map((gate) =>
        compileGate(steps, stepId, eventId, gate),
      );
    }
    states[stepId] = { ...(step.final ? { type: 'final' } : {}), on };
  }
  // Entering a step is no entry action of the step but part of each transition into it (and
  // of the machine's start), so a gate's effects, the entry and the step's own effects are one
  // assign: xstate copies the case and the snapshot on every assign.
  const entry = enterActions(steps, initial, undefined, '');

  // The assigns' functions, also run by `stepMachine` on the transition xstate selects.
  const assigners: Assigners = {
    enterStep: ({ context, event }, params) => {
      const { step, gateEffects, onEnter } = params as EnterParams;
      const { payload, now, actor } = triggerOf(event);
      const input = { payload, now, holderStep: step, actor };
      const before = applyStateEffects(config, context, gateEffects, input);
      const entered = enterStep(config, before, step, now, payload);
      return applyStateEffects(config, entered, onEnter, input);
    },
    applyEffects: ({ context, event }, params) => {
      const { effects, holderStep } = params as { effects: Effect[]; holderStep: StepId };
      const { payload, now, actor } = triggerOf(event);
      return applyStateEffects(config, context, effects, { payload, now, holderStep, actor });
    },
  };

  const machine = setup({
    types: {
      context: {} as CaseState,
      events: {} as MachineEvent,
      input: {} as MachineInput,
    },
    guards: {
      rule: ({ context, event }, params: { rule: Rule }) =>
        event.rules
          ? event.rules.holds(params.rule)
          : ruleHolds(
              params.rule,
              ruleFacts(context, event.payload, event.now, event.actor, config.computed),
            ),
    },
    actions: {
      enterStep: assign((args, params: EnterParams) => assigners.enterStep(args, params)),
      applyEffects: assign((args, params: { effects: Effect[]; holderStep: StepId }) =>
        assigners.applyEffects(args, params),
      ),
      // Never executed: `transition` hands it back and the workflow runs the effect as an activity.
      [SIDE_EFFECT_ACTION]: (_: unknown, _params: { effect: SideEffect }) => undefined,
    },
  }).createMachine({
    id: config.id,
    initial,
    context: ({ input }) => input.state,
    // Built from data, like the states.
    entry: entry as never,
    // Built from data, so the step names are not known to the type system.
    states: states as never,
  });
  if (isFlat(machine)) directly.set(machine, assigners);
  return machine;
}

/** An assign's function: the case's next context from the one before and the event. */
type Assigner = (
  args: { context: CaseState; event: MachineEvent | InitEvent },
  params: unknown,
) => CaseState;
type Assigners = Record<'enterStep' | 'applyEffects', Assigner>;

/**
 * Machines `stepMachine` steps itself, with their assigns' functions: one level of steps with
 * no entry, exit, eventless or delayed transitions of their own (entering a step is part of
 * each transition into it), which is what `compileMachine` builds.
 */
const directly = new WeakMap<object, Assigners>();

function isFlat(machine: { root: { states: Record<string, AnyStateNode> } }): boolean {
  return Object.values(machine.root.states).every(
    (node) =>
      Object.keys(node.states).length === 0 &&
      node.entry.length === 0 &&
      node.exit.length === 0 &&
      node.always === undefined &&
      node.after.length === 0 &&
      node.type !== 'history',
  );
}

function compileGate(
  steps: KommuneConfig['steps'],
  stepId: StepId,
  eventId: string,
  gate: Transition,
): object {
  // XState's own re-entry: exit and enter the step again, as entering any step does.
  const target = gate.reenter === true ? stepId : gate.target !== stepId ? gate.target : undefined;
  const reason = `${eventId} in step ${stepId}`;
  return {
    ...(target ? { target } : {}),
    ...(gate.reenter === true ? { reenter: true } : {}),
    ...(gate.when !== undefined ? { guard: { type: 'rule', params: { rule: gate.when } } } : {}),
    actions: target
      ? enterActions(steps, target, gate.effects, reason)
      : effectActions(gate.effects, stepId, reason),
  };
}

/** What `enterStep` is given: the gate's effects, then entering `step`, then its own effects. */
interface EnterParams {
  step: StepId;
  gateEffects: readonly Effect[];
  onEnter: readonly Effect[];
}

/** The actions of entering `step` by a gate with `gateEffects` (none at the start). */
function enterActions(
  steps: KommuneConfig['steps'],
  step: StepId,
  gateEffects: readonly Effect[] | undefined,
  gateReason: string,
): object[] {
  const onEnter = steps[step]?.onEnter ?? [];
  const params: EnterParams = { step, gateEffects: gateEffects ?? [], onEnter };
  return [
    { type: 'enterStep', params },
    ...sideEffectActions(gateEffects ?? [], gateReason),
    ...sideEffectActions(onEnter, `entered step ${step}`),
  ];
}

/** Effects `applyStateEffects` leaves the case as it is for: the workflow runs them. */
const MESSAGE_EFFECTS: ReadonlySet<Effect['type']> = new Set([
  'notify',
  'send',
  'sendFeedbackLink',
  'sendSurvey',
]);

function effectActions(
  effects: readonly Effect[] | undefined,
  holderStep: StepId,
  reason: string,
): object[] {
  if (!effects || effects.length === 0) return [];
  // A list of messages only changes nothing in the case: no assign, which copies the whole case.
  const changesState = effects.some((e) => !MESSAGE_EFFECTS.has(e.type));
  return [
    ...(changesState ? [{ type: 'applyEffects', params: { effects, holderStep } }] : []),
    ...sideEffectActions(effects, reason),
  ];
}

function sideEffectActions(effects: readonly Effect[], reason: string): object[] {
  return sideEffectsOf(effects, reason).map((effect) => ({
    type: SIDE_EFFECT_ACTION,
    params: { effect },
  }));
}

/** What one step of the machine gives back: the next snapshot and the actions it did not run. */
export type MachineStep = [
  snapshot: ReturnType<CaseMachine['resolveState']>,
  actions: ExecutableActionObject[],
];

/**
 * xstate's `transition` and `initialTransition` build a throwaway actor on every call, whose
 * construction runs the context factory without input (a TypeError, caught) — most of a
 * command's time. The machine has no children, delays or inspection, so one inert scope per
 * machine does the same work; only the action collector is per call. A module-level WeakMap is
 * safe in a workflow: the scope holds no case data between calls.
 */
const scopes = new WeakMap<CaseMachine, ActorScope<never, MachineEvent>>();

function inertScope(machine: CaseMachine): ActorScope<never, MachineEvent> {
  let scope = scopes.get(machine);
  if (!scope) {
    // Restored from a snapshot, so constructing `self` runs no context factory and no actions;
    // it is never started.
    const snapshot = machine.resolveState({
      value: machine.config.initial as string,
      context: {} as CaseState,
    });
    // The input type is required, but a restored actor never reads it.
    const self = createActor(machine, { snapshot, input: undefined as never });
    scope = {
      self,
      id: '',
      sessionId: '',
      logger: () => {},
      defer: () => {},
      emit: () => {},
      stopChild: () => {},
      system: self.system,
      actionExecutor: () => {},
    } as unknown as ActorScope<never, MachineEvent>;
    scopes.set(machine, scope);
  }
  return scope;
}

/** Runs `fn` with the machine's scope collecting the actions it would execute. */
function collecting<T>(
  machine: CaseMachine,
  fn: (scope: ActorScope<never, MachineEvent>) => T,
): [T, ExecutableActionObject[]] {
  const scope = inertScope(machine);
  const actions: ExecutableActionObject[] = [];
  scope.actionExecutor = (action) => {
    actions.push(action);
  };
  try {
    return [fn(scope), actions];
  } finally {
    scope.actionExecutor = () => {};
  }
}

/**
 * A snapshot in each step without its context, made once: `resolveState` walks the state
 * nodes on every call. A snapshot is a plain object, so one in `step` with the case's context
 * is this one with `context` (and fresh `children` and `historyValue`, which xstate may fill).
 * At most one per step of a compiled config.
 */
const inStep = new WeakMap<CaseMachine, Map<StepId, ReturnType<CaseMachine['resolveState']>>>();

function snapshotIn(machine: CaseMachine, step: StepId): ReturnType<CaseMachine['resolveState']> {
  let bySteps = inStep.get(machine);
  if (!bySteps) inStep.set(machine, (bySteps = new Map()));
  let snapshot = bySteps.get(step);
  if (!snapshot) {
    snapshot = machine.resolveState({ value: step, context: {} as CaseState });
    // Only steps the machine has are kept: resolveState throws for any other name.
    bySteps.set(step, snapshot);
  }
  return snapshot;
}

/**
 * The case's first step, as xstate's `initialTransition(machine, input)`.
 *
 * @example
 * const [snapshot, actions] = enterFirstStep(machine, { state, payload, now });
 */
export function enterFirstStep(machine: CaseMachine, input: MachineInput): MachineStep {
  return (
    enterDirectly(machine, input) ??
    collecting(machine, (scope) => machine.getInitialSnapshot(scope as never, input))
  );
}

/**
 * xstate's first macrostep for a flat machine (see `directly`): the context from the input
 * (copied, as xstate's context factory is an assign), then the machine's entry actions.
 */
function enterDirectly(machine: CaseMachine, input: MachineInput): MachineStep | undefined {
  const initial = machine.root.initial?.target;
  if (initial?.length !== 1 || initial[0]!.parent !== machine.root) return undefined;
  const event: InitEvent = { type: 'xstate.init', input };
  return runDirectly(machine, initial[0]!.key, machine.root.entry, { ...input.state }, event);
}

/**
 * One event on a case in `step`, as xstate's `transition(machine, snapshot, event)`.
 *
 * @example
 * const [next, actions] = stepMachine(machine, state.step, state, event);
 */
export function stepMachine(
  machine: CaseMachine,
  step: StepId,
  context: CaseState,
  event: MachineEvent,
): MachineStep {
  const snapshot = { ...snapshotIn(machine, step), context, children: {}, historyValue: {} };
  return (
    stepDirectly(machine, step, snapshot, event) ??
    collecting(machine, (scope) => machine.transition(snapshot, event, scope as never))
  );
}

/**
 * xstate's macrostep for a flat machine (see `directly`), which was most of a command: xstate
 * selects the transition and its guard decides as always; its actions then run in order, each
 * assign's context copied as xstate's assign copies it, and the side effects handed back. With
 * no entry or exit actions and no eventless or raised events there is nothing else to run.
 * `undefined` for anything else, which xstate's own `transition` steps.
 */
function stepDirectly(
  machine: CaseMachine,
  step: StepId,
  snapshot: ReturnType<CaseMachine['resolveState']>,
  event: MachineEvent,
): MachineStep | undefined {
  if (!directly.has(machine)) return undefined;
  const selected = machine.getTransitionData(snapshot, event);
  if (selected.length !== 1) return undefined;
  const chosen = selected[0]!;
  const target = chosen.target;
  if (target !== undefined && (target.length !== 1 || target[0]!.parent !== machine.root))
    return undefined;
  const next = target === undefined ? step : target[0]!.key;
  return runDirectly(machine, next, chosen.actions, snapshot.context, event);
}

/** Runs a flat machine's actions on `context`, ending in step `next` (see `stepDirectly`). */
function runDirectly(
  machine: CaseMachine,
  next: StepId,
  run: readonly unknown[],
  before: CaseState,
  event: MachineEvent | InitEvent,
): MachineStep | undefined {
  const assigners = directly.get(machine);
  if (!assigners) return undefined;
  let context = before;
  const actions: ExecutableActionObject[] = [];
  for (const action of run) {
    if (typeof action !== 'object' || action === null || !('type' in action)) return undefined;
    const { type, params } = action as { type: string; params?: unknown };
    if (typeof params === 'function') return undefined;
    if (type === 'enterStep' || type === 'applyEffects') {
      // As xstate's assign: the function's result over a copy of the context.
      context = Object.assign({}, context, assigners[type]({ context, event }, params));
    } else if (type === SIDE_EFFECT_ACTION) {
      actions.push({ type, info: { context, event } as never, params, exec: undefined });
    } else return undefined;
  }
  return [{ ...snapshotIn(machine, next), context, children: {}, historyValue: {} }, actions];
}
