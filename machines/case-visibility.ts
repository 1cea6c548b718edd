/**
 * Who may see a case: the one rule behind every read, list and live stream. A role sees the
 * whole kommune, or only the cases its person is part of (holds, or is on the team of). Family
 * roles (parents, youth) are of the second kind, so a family sees only its own family's cases.
 * The config says which role is which; no role name means anything here.
 *
 * Pure, so the workflow decides membership inside its query and a case that is not yours
 * never leaves the worker.
 *
 * @module
 */
import type { KommuneConfig, RoleId } from '../config/types';
import type { CaseState } from './types';

export const CaseSights = ['kommune', 'own', 'family'] as const;
/** What a role sees: every case of the kommune, its own cases, or its own family's cases. */
export type CaseSight = (typeof CaseSights)[number];

/**
 * The sight of `role` in `config`; `null` for a role the config does not have.
 *
 * @example
 * roleSight(config, 'supervisor') // 'kommune'
 */
export function roleSight(config: KommuneConfig, role: RoleId): CaseSight | null {
  if (!Object.hasOwn(config.roles, role)) return null;
  const def = config.roles[role];
  if (def.family) return 'family';
  return def.sees === 'kommune' ? 'kommune' : 'own';
}

/**
 * The people a case belongs to: its holder, then its team, each once.
 *
 * @example
 * caseMembers(state) // ['los-1', 'forelder-1', 'nav-2']
 */
export function caseMembers(state: Pick<CaseState, 'holder' | 'team'>): string[] {
  const ids = state.holder ? [state.holder.id] : [];
  return [...new Set([...ids, ...state.team.map((m) => m.id)])];
}

/**
 * Whether a person who sees only their own (or their family's) cases may see this one.
 *
 * @example
 * isCaseMember(state, 'forelder-1') // true once added to the family team
 */
export function isCaseMember(state: Pick<CaseState, 'holder' | 'team'>, personId: string): boolean {
  return state.holder?.id === personId || state.team.some((m) => m.id === personId);
}
