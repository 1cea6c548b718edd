/**
 * What effects do to a case. State effects return a new `CaseState` (never mutating the old
 * one); side effects become data for the workflow to run as activities. Entering a step is
 * here too, so XState actions, timers and reopening all share one implementation.
 *
 * @module
 */
import type { Effect, KommuneConfig, StepId } from '../config/types';
import { withStepEntered } from './case-path';
import { contactDetailsOf } from './contact';
import { giveConsent, withdrawConsent } from './consent-givers';
import { evaluateRule, ruleFacts } from './rules';
import { teamOfKind } from './teams';
import { extendTimer } from './timers';
import type { ActionPoint, Actor, CaseState, Holder, SideEffect, TeamMember } from './types';

/** The event facts state effects may read. */
export interface EffectInput {
  payload: Record<string, unknown>;
  now: string;
  /** The step whose holder role a `handover` without its own `role` takes: the target step. */
  holderStep: StepId;
  /** Who acts, for rules reading `actor.…`; none for the engine's own (timers). */
  actor?: Actor;
}

/**
 * Applies the state part of effects in order, so a later `record` sees an earlier one.
 * `send` is not a state effect: timers handle it (see `fireTimer`).
 *
 * @example
 * applyStateEffects(config, state, [{ type: 'markOverdue' }], input).overdue // true
 */
export function applyStateEffects(
  config: KommuneConfig,
  state: CaseState,
  effects: readonly Effect[] | undefined,
  input: EffectInput,
): CaseState {
  let next = state;
  for (const effect of effects ?? []) next = applyStateEffect(config, next, effect, input);
  return next;
}

function applyStateEffect(
  config: KommuneConfig,
  state: CaseState,
  effect: Effect,
  input: EffectInput,
): CaseState {
  const { payload, now } = input;
  switch (effect.type) {
    case 'record': {
      const outcome = evaluateRule(
        effect.value,
        ruleFacts(state, payload, now, input.actor, config.computed),
      );
      const data = { ...state.data };
      // A rule that yields nothing clears the field: recorded data never holds null/undefined.
      if (!outcome.ok || outcome.value === null || outcome.value === undefined)
        delete data[effect.field];
      else data[effect.field] = outcome.value;
      return { ...state, data };
    }
    case 'setLevel':
      return { ...state, level: effect.level };
    case 'handover': {
      const id = payload[effect.holderField];
      // No person named: nothing to hand over (an optional field in an intake form).
      if (typeof id !== 'string' || id === '') return state;
      const role = effect.role ?? config.steps[input.holderStep]?.holderRole ?? state.holder?.role;
      if (role === undefined) return state;
      const holder: Holder = { id, role, since: now };
      return { ...state, holder };
    }
    case 'addTeamMember': {
      const value = payload[effect.from];
      const members = (Array.isArray(value) ? value : [value]).filter(isTeamMember);
      if (members.length === 0) return state;
      const ids = new Set(members.map((m) => m.id));
      return {
        ...state,
        team: [...state.team.filter((m) => !ids.has(m.id)), ...members.map(copyMember)],
      };
    }
    case 'addActionPoints': {
      const value = payload[effect.from];
      if (!Array.isArray(value)) return state;
      const added: ActionPoint[] = [];
      for (const item of value) {
        if (!isActionPointInput(item)) continue;
        // Sequential ids keep the machine deterministic and are easy to refer to in later forms.
        const point: ActionPoint = {
          id: `ap-${state.actionPoints.length + added.length + 1}`,
          title: item.title,
          responsible: item.responsible,
          status: 'open',
          createdAt: now,
        };
        if (typeof item.due === 'string') point.due = item.due;
        added.push(point);
      }
      return added.length === 0
        ? state
        : { ...state, actionPoints: [...state.actionPoints, ...added] };
    }
    case 'completeActionPoints': {
      const value = payload[effect.from];
      if (!Array.isArray(value)) return state;
      const ids = new Set(value.filter((v): v is string => typeof v === 'string'));
      return {
        ...state,
        actionPoints: state.actionPoints.map((p) =>
          ids.has(p.id) && p.status === 'open' ? { ...p, status: 'done', doneAt: now } : p,
        ),
      };
    }
    case 'giveConsent':
      return giveConsent(config, state, effect, payload, now, input.actor);
    case 'withdrawConsent':
      return withdrawConsent(config, state, effect, now, input.actor);
    case 'escalate':
      return state.escalatedTo.includes(effect.role)
        ? state
        : { ...state, escalatedTo: [...state.escalatedTo, effect.role] };
    case 'markOverdue':
      return state.overdue ? state : { ...state, overdue: true };
    case 'extendTimer':
      return extendTimer(config, state, effect);
    case 'assignTeam': {
      const id = payload[effect.from];
      // No team named: no change. The engine refused a team not of this kind before any effect
      // ran (`teamChoiceRejection`).
      if (typeof id !== 'string' || !teamOfKind(config, id, effect.kind)) return state;
      if (state.assignedTeams?.[effect.kind] === id) return state;
      return { ...state, assignedTeams: { ...state.assignedTeams, [effect.kind]: id } };
    }
    case 'notify':
    case 'send':
    case 'sendFeedbackLink':
    case 'sendSurvey':
      return state;
  }
}

/**
 * The side effects among `effects`, in order, each with a reason for the case history.
 *
 * @example
 * sideEffectsOf([{ type: 'notify', role: 'holder', template: 't' }], 'timer x')
 * // [{ type: 'notify', role: 'holder', template: 't', reason: 'timer x' }]
 */
export function sideEffectsOf(
  effects: readonly Effect[] | undefined,
  reason: string,
): SideEffect[] {
  const out: SideEffect[] = [];
  for (const e of effects ?? []) {
    if (e.type === 'notify')
      out.push({ type: 'notify', role: e.role, template: e.template, reason });
    else if (e.type === 'escalate')
      out.push({ type: 'escalate', role: e.role, template: e.template, reason });
    else if (e.type === 'sendFeedbackLink' || e.type === 'sendSurvey')
      out.push({ type: e.type, template: e.template, survey: e.survey });
  }
  return out;
}

/**
 * The case as it enters `stepId`: level, path, entry time; overdue and escalation belong to the
 * step left behind, so they are cleared; a final step closes the case with its outcome and
 * reason (chosen in the entering event's form when the step says so), keeping the case's level
 * when it says so. Timers are armed separately (see `timersOnEntry`).
 *
 * @example
 * enterStep(config, state, 'team-meeting', now).level // the step's BTI level
 */
export function enterStep(
  config: KommuneConfig,
  state: CaseState,
  stepId: StepId,
  now: string,
  payload: Record<string, unknown> = {},
): CaseState {
  return { ...state, ...stepEntry(config, state, stepId, now, payload) };
}

/** What entering `stepId` changes in the case (see `enterStep`). */
function stepEntry(
  config: KommuneConfig,
  state: CaseState,
  stepId: StepId,
  now: string,
  payload: Record<string, unknown> = {},
): Partial<CaseState> {
  const step = config.steps[stepId];
  if (!step) throw new Error(`enterStep: step "${stepId}" is not in config "${config.id}"`);
  const entry: Partial<CaseState> = {
    step: stepId,
    level: step.final?.keepLevel ? state.level : step.level,
    stepEnteredAt: now,
    ...withStepEntered(state, stepId),
    overdue: false,
    escalatedTo: [],
  };
  if (step.final) {
    const chosen = step.final.reasonField ? payload[step.final.reasonField] : undefined;
    entry.status = step.final.outcome;
    entry.outcomeReason = typeof chosen === 'string' && chosen !== '' ? chosen : step.final.reason;
    entry.closedAt = now;
  }
  return entry;
}

function isTeamMember(value: unknown): value is TeamMember {
  return (
    typeof value === 'object' && value !== null && typeof (value as TeamMember).id === 'string'
  );
}

function copyMember(m: TeamMember): TeamMember {
  const member: TeamMember = { id: m.id };
  if (typeof m.role === 'string') member.role = m.role;
  if (typeof m.title === 'string') member.title = m.title;
  // A form's member holds the fields flat; a member copied from a case holds them in `contact`.
  const contact = contactDetailsOf(m) ?? contactDetailsOf(m.contact);
  if (contact) member.contact = contact;
  return member;
}

function isActionPointInput(
  value: unknown,
): value is { title: string; responsible: string; due?: unknown } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.title === 'string' && typeof v.responsible === 'string';
}
