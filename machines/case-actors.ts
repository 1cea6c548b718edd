/**
 * Who may act on a case beyond their role: its holder (the stafettholder), its team (the holder
 * counts) or anyone with the role, as the event or its step says. And the acting person's
 * relation to the case as rules read it: never who they are, only whether they hold the case,
 * are on its team, and their role.
 *
 * @module
 */
import type { ActedBy, EventId, KommuneConfig, StepId } from '../config/types';
import { SYSTEM_ROLE, type Actor, type CaseState } from './types';

/** `{ "var": "actor.…" }` in a rule. The engine, acting from a timer, is neither holder nor team. */
export interface ActorFacts {
  role: string;
  isHolder: boolean;
  onTeam: boolean;
}

export function actorFacts(state: Pick<CaseState, 'holder' | 'team'>, actor?: Actor): ActorFacts {
  if (!actor) return { role: SYSTEM_ROLE, isHolder: false, onTeam: false };
  return {
    role: actor.role,
    isHolder: state.holder?.id === actor.id,
    onTeam: state.team.some((m) => m.id === actor.id),
  };
}

/** Who may send `event` in `step`: the event's own word, else the step's, else anyone with the role. */
export function actedBy(config: KommuneConfig, step: StepId, event: EventId): ActedBy {
  return config.events[event]?.actedBy ?? config.steps[step]?.actedBy ?? 'role';
}

/**
 * Whether `actor` (whose role may send the event) may send it on this case. A case with no
 * holder is open to the role, so someone can take it on; the engine always may.
 *
 * @example
 * mayAct('holder', state, { id: 'u-2', role: 'coordinator' }) // false unless u-2 holds it
 */
export function mayAct(
  who: ActedBy,
  state: Pick<CaseState, 'holder' | 'team'>,
  actor: Pick<Actor, 'role'> & { id?: string },
): boolean {
  if (who === 'role' || actor.role === SYSTEM_ROLE || !state.holder) return true;
  if (actor.id === undefined) return false;
  if (state.holder.id === actor.id) return true;
  return who === 'team' && state.team.some((m) => m.id === actor.id);
}
