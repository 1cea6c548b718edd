/**
 * Who may see and do what. Every route goes through here before touching a case:
 *
 * - the token's kommune must be the path's kommune. For a case, another kommune's answer is
 *   exactly the "no such case" answer, so ids cannot be probed across kommuner;
 * - the token's role must be a role of that kommune's config;
 * - staff roles (those that hold a step, open or reopen cases, or are notified or escalated
 *   to) see every case of the kommune; any other role (e.g. a parent's `foresatt`) sees only
 *   cases it holds or is on the team of, and may not list all cases or read statistics.
 *
 * Which events a role may send is the machine's rule, checked in the workflow.
 *
 * @module
 */
import type { KommuneConfig } from '../config/types';
import type { CaseState } from '../machines/types';
import { ApiError, caseNotFound } from './api-error';
import type { Principal } from './authenticate';
import type { ConfigSource, VersionedConfig } from './config-source';

export interface KommuneAccess extends VersionedConfig {
  principal: Principal;
  /** True for roles that see every case of the kommune. */
  staff: boolean;
}

const staffCache = new WeakMap<KommuneConfig, Set<string>>();

/** Roles that work cases: holders, openers, reopeners, and those notified or escalated to. */
export function staffRoles(config: KommuneConfig): Set<string> {
  const cached = staffCache.get(config);
  if (cached) return cached;
  const roles = new Set<string>([...config.intake.roles, ...(config.reopen?.roles ?? [])]);
  const effects = [...(config.intake.effects ?? [])];
  for (const step of Object.values(config.steps)) {
    roles.add(step.holderRole);
    effects.push(...(step.onEnter ?? []));
    for (const timer of step.timers ?? []) effects.push(...timer.onExpiry);
    for (const gates of Object.values(step.on ?? {})) for (const gate of [gates].flat()) effects.push(...(gate.effects ?? []));
  }
  for (const effect of effects) {
    if ((effect.type === 'notify' || effect.type === 'escalate') && effect.role !== 'holder') roles.add(effect.role);
    if (effect.type === 'handover' && effect.role) roles.add(effect.role);
  }
  staffCache.set(config, roles);
  return roles;
}

/**
 * The caller's access to a kommune. `scope: 'case'` answers a foreign kommune with the
 * not-found of `caseId`; `'kommune'` with 403.
 */
export async function kommuneAccess(
  configs: ConfigSource,
  principal: Principal,
  kommune: string,
  scope: { caseId: string } | 'kommune',
): Promise<KommuneAccess> {
  if (principal.kommune !== kommune) {
    if (scope === 'kommune') {
      throw new ApiError('KOMMUNE_NOT_ALLOWED', `the token is for kommune "${principal.kommune}", not "${kommune}"`);
    }
    throw caseNotFound(kommune, scope.caseId);
  }
  const current = await configs.current(kommune);
  if (!current) throw new ApiError('KOMMUNE_NOT_FOUND', `no kommune "${kommune}" is configured`);
  if (!Object.hasOwn(current.config.roles, principal.role)) {
    throw new ApiError('ROLE_NOT_ALLOWED', `role "${principal.role}" is not a role of kommune "${kommune}"`);
  }
  return { ...current, principal, staff: staffRoles(current.config).has(principal.role) };
}

/** For staff-only reads (the full case list, statistics). */
export function requireStaff(access: KommuneAccess, what: string): void {
  if (!access.staff) throw new ApiError('ROLE_NOT_ALLOWED', `role "${access.principal.role}" may not read ${what}`);
}

/** Whether the caller may see this case; a non-staff caller only sees cases it is part of. */
export function maySeeCase(access: KommuneAccess, state: Pick<CaseState, 'holder' | 'team'>): boolean {
  if (access.staff) return true;
  const me = access.principal.sub;
  return state.holder?.id === me || state.team.some((m) => m.id === me);
}
