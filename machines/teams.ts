/**
 * Teams of a kind (`teams` in the config): which team a case is on, and whose meetings its
 * recurring timers follow. A team id comes from a payload, so it is looked up as an own property
 * only ("constructor" names no team).
 *
 * @module
 */
import type { Effect, KommuneConfig, RecurringTimer, TeamDef } from '../config/types';
import type { CaseState, Rejection } from './types';

/** The team `id` when it is of `kind`, else undefined. */
export function teamOfKind(config: KommuneConfig, id: unknown, kind: string): TeamDef | undefined {
  if (typeof id !== 'string' || !config.teams || !Object.hasOwn(config.teams, id)) return undefined;
  const team = config.teams[id];
  return team?.kind === kind ? team : undefined;
}

/** Team ids of `kind`, in config order. */
export function teamsOfKind(config: KommuneConfig, kind: string): string[] {
  return Object.entries(config.teams ?? {})
    .filter(([, team]) => team.kind === kind)
    .map(([id]) => id);
}

/**
 * The schedule a recurring timer follows: its case's team's meetings when the timer names a team
 * kind and the case is on a team of that kind, else the timer's own.
 */
export function meetingSchedule(
  config: KommuneConfig,
  def: RecurringTimer,
  state: CaseState,
): { every: string; anchorDate?: string; everyField?: string } {
  if (def.team !== undefined) {
    const team = teamOfKind(config, state.assignedTeams?.[def.team], def.team);
    if (team) return { every: team.meetings.every, anchorDate: team.meetings.anchorDate };
  }
  const own: { every: string; anchorDate?: string; everyField?: string } = { every: def.every };
  if (def.anchorDate !== undefined) own.anchorDate = def.anchorDate;
  if (def.everyField !== undefined) own.everyField = def.everyField;
  return own;
}

/** Did the case's team of `kind` change between `before` and `after`? */
export function teamChanged(before: CaseState, after: CaseState, kind: string): boolean {
  return before.assignedTeams?.[kind] !== after.assignedTeams?.[kind];
}

/**
 * A team chosen in a payload must be a team of the effect's kind. The form's `enum` says so
 * already where validation can see the form; a step's `onEnter` reads whichever event entered it,
 * so the engine checks too, before any effect runs.
 */
export function teamChoiceRejection(
  config: KommuneConfig,
  effects: readonly Effect[],
  payload: Record<string, unknown>,
): Rejection | null {
  for (const effect of effects) {
    if (effect.type !== 'assignTeam') continue;
    const value = payload[effect.from];
    // No team named is no change (an optional field), as a handover without a person.
    if (value === undefined || value === null || value === '') continue;
    if (teamOfKind(config, value, effect.kind)) continue;
    const allowed = teamsOfKind(config, effect.kind).join(', ');
    return {
      code: 'PAYLOAD_INVALID',
      message: `"${effect.from}" must name a team of kind "${effect.kind}"`,
      nb: `«${effect.from}» må være et av disse teamene: ${allowed}.`,
      details: [
        {
          path: `/${effect.from}`,
          message: `must be one of: ${allowed}`,
          nb: `Må være en av: ${allowed}.`,
        },
      ],
    };
  }
  return null;
}
