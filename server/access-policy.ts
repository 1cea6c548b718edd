/**
 * Who may see and do what. Every route goes through here before touching a case:
 *
 * - the token's kommune must be the path's kommune. For a case, another kommune's answer is
 *   exactly the "no such case" answer, so ids cannot be probed across kommuner;
 * - the token's role must be a role of that kommune's config;
 * - staff roles see every case of the kommune. Roles that stand for the family (the parents'
 *   `foresatt`; the setting `ownCasesRoles`) see only cases they hold or are on the team of,
 *   list only cases they hold, and may not read statistics. Nothing in a config tells a
 *   family role from a staff role yet, hence the setting.
 *
 * Which events a role may send is the machine's rule, checked in the workflow.
 *
 * @module
 */
import type { CaseState } from '../machines/types';
import { ApiError, caseNotFound } from './api-error';
import type { Principal } from './authenticate';
import type { ConfigSource, VersionedConfig } from './config-source';

export interface KommuneAccess extends VersionedConfig {
  principal: Principal;
  /** True for roles that see every case of the kommune. */
  staff: boolean;
}

/**
 * The caller's access to a kommune. Scope `{ caseId }` answers a foreign kommune with the
 * not-found of that case; `'kommune'` with 403.
 */
export type AccessPolicy = (principal: Principal, kommune: string, scope: { caseId: string } | 'kommune') => Promise<KommuneAccess>;

export function createAccessPolicy(configs: ConfigSource, ownCasesRoles: readonly string[]): AccessPolicy {
  const familyRoles = new Set(ownCasesRoles);
  return (principal, kommune, scope) => kommuneAccess(configs, familyRoles, principal, kommune, scope);
}

async function kommuneAccess(
  configs: ConfigSource,
  ownCasesRoles: ReadonlySet<string>,
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
  return { ...current, principal, staff: !ownCasesRoles.has(principal.role) };
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
