/**
 * Read-only questions about a case: what an actor may do now, when the case next needs
 * attention, and which capacity rule binds its holder.
 *
 * @module
 */
import type { CapacityRule, EventId, KommuneConfig, Transition } from '../config/types';
import type { CompiledKommune } from './compile-kommune';
import { withSharedEvents } from '../config/shared-events';
import { actedBy, mayAct } from './case-actors';
import { EMPTY_PAYLOAD_SCHEMA } from './payload-validation';
import { earliestDue } from './timers';
import { SYSTEM_ROLE, type AllowedEvent, type CaseState } from './types';

/**
 * The event ids `actor` may send in the case's current step: by role, and by their relation to
 * the case where the config limits an event to its holder or team (without an id, such events
 * are left out). The engine may send any.
 */
export function allowedEventTypes(
  config: KommuneConfig,
  state: CaseState,
  actor: ViewingActor,
): EventId[] {
  if (state.status !== 'open') return [];
  const on = withSharedEvents(config).steps[state.step]?.on ?? {};
  const { role } = actor;
  return Object.keys(on).filter((type) => {
    const def = Object.hasOwn(config.events, type) ? config.events[type] : undefined;
    if (def === undefined) return false;
    if (role === SYSTEM_ROLE) return true;
    return def.roles.includes(role) && mayAct(actedBy(config, state.step, type), state, actor);
  });
}

/** Who asks what they may do: a role, and the person when known. */
export type ViewingActor = { role: string; id?: string };

/**
 * The events `actor` may send now, each with its form and the steps its gates lead to
 * (the current step for a gate that stays), for "tell me and show me what will happen".
 *
 * @example
 * allowedEvents(k, state, { role: 'teacher', id: 'u-1' }).map((e) => e.type)
 */
export function allowedEvents(
  k: CompiledKommune,
  state: CaseState,
  actor: ViewingActor,
): AllowedEvent[] {
  const { config } = k;
  return allowedEventTypes(config, state, actor).map((type) => {
    const def = config.events[type]!;
    const gates: Transition[] = [withSharedEvents(config).steps[state.step]!.on![type]!].flat();
    const event: AllowedEvent = {
      type,
      title: def.title,
      payloadSchema: k.eventForms.get(type) ?? EMPTY_PAYLOAD_SCHEMA,
      targets: [...new Set(gates.map((g) => g.target ?? state.step))],
    };
    if (def.description !== undefined) event.description = def.description;
    return event;
  });
}

/**
 * When the case next needs attention: the earliest armed timer, or `null`.
 *
 * @example
 * nextDueAt(state) // '2027-01-18T08:00:00.000Z'
 */
export function nextDueAt(state: CaseState): string | null {
  return earliestDue(state.timers);
}

/**
 * The earliest due time of the case's open action points, or `null`. A due date without a time
 * counts to the end of that day (UTC: at most two hours after Oslo's midnight, fine for a flag).
 *
 * @example
 * actionPointDueAt(state) // '2027-01-15T23:59:59.999Z'
 */
export function actionPointDueAt(state: Pick<CaseState, 'actionPoints'>): string | null {
  let earliest: number | null = null;
  for (const p of state.actionPoints) {
    if (p.status !== 'open' || p.due === undefined) continue;
    const at = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(p.due) ? `${p.due}T23:59:59.999Z` : p.due);
    if (Number.isFinite(at) && (earliest === null || at < earliest)) earliest = at;
  }
  return earliest === null ? null : new Date(earliest).toISOString();
}

/**
 * The capacity rule that binds the case's current holder, for the workflow to count open cases
 * per holder (that needs I/O, so it is not done here). `null` when none applies.
 *
 * @example
 * capacityRoleFor(k, state) // { role: 'coordinator', maxOpenCases: 10, whenFull: 'reject' }
 */
export function capacityRoleFor(k: CompiledKommune, state: CaseState): CapacityRule | null {
  if (state.status !== 'open' || !state.holder) return null;
  const role = state.holder.role;
  return k.config.capacity?.find((rule) => rule.role === role) ?? null;
}
