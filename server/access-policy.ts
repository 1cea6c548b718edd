/**
 * Who may see and do what. Every route goes through here before touching a case:
 *
 * - the token's kommune must be the path's kommune. For a case, another kommune's answer is
 *   exactly the "no such case" answer, so ids cannot be probed across kommuner;
 * - the token's role must be a role of that kommune's config;
 * - what the role sees is the config's word (`roles.<id>.sees`, `roles.<id>.family`; see
 *   machines/case-visibility.ts): the whole kommune, or only the cases the person holds or is
 *   on the team of (family roles: their own family's cases). No role name means anything here.
 *   Statistics count every case of the kommune, so only roles that see it all may read them.
 *
 * Which events a role may send is the machine's rule, checked in the workflow.
 *
 * @module
 */
import { roleSight, type CaseSight } from '../machines/case-visibility';
import { ApiError, caseNotFound } from './api-error';
import type { Principal } from './authenticate';
import type { ConfigSource, VersionedConfig } from './config-source';

export interface KommuneAccess extends VersionedConfig {
  principal: Principal;
  /** Which cases the caller sees, from the current config. */
  sight: CaseSight;
}

/**
 * The caller's access to a kommune. Scope `{ caseId }` answers a foreign kommune with the
 * not-found of that case; `'kommune'` with 403.
 */
export type AccessPolicy = (
  principal: Principal,
  kommune: string,
  scope: { caseId: string } | 'kommune',
) => Promise<KommuneAccess>;

export function createAccessPolicy(configs: ConfigSource): AccessPolicy {
  return async (principal, kommune, scope) => {
    if (principal.kommune !== kommune) {
      if (scope === 'kommune') {
        throw new ApiError(
          'KOMMUNE_NOT_ALLOWED',
          `the token is for kommune "${principal.kommune}", not "${kommune}"`,
          `Du er logget inn for ${principal.kommune}, ikke ${kommune}.`,
        );
      }
      throw caseNotFound(kommune, scope.caseId);
    }
    const current = await configs.current(kommune);
    if (!current)
      throw new ApiError(
        'KOMMUNE_NOT_FOUND',
        `no kommune "${kommune}" is configured`,
        `Kommunen «${kommune}» finnes ikke her.`,
      );
    const sight = roleSight(current.config, principal.role);
    if (sight === null) {
      throw new ApiError(
        'ROLE_NOT_ALLOWED',
        `role "${principal.role}" is not a role of kommune "${kommune}"`,
        `Rollen «${principal.role}» finnes ikke i slusemodellen for ${kommune}.`,
      );
    }
    return { ...current, principal, sight };
  };
}

/** For reads over every case of the kommune (statistics). */
export function requireKommuneSight(access: KommuneAccess, what: string): void {
  if (access.sight !== 'kommune') {
    throw new ApiError(
      'ROLE_NOT_ALLOWED',
      `role "${access.principal.role}" sees only its own cases and may not read ${what}`,
      `Rollen «${access.principal.role}» ser bare egne saker og har ikke tilgang til dette.`,
    );
  }
}

/** The person a case must belong to for the caller to see it; undefined when the caller sees the whole kommune. */
export function memberToBe(access: KommuneAccess): string | undefined {
  return access.sight === 'kommune' ? undefined : access.principal.sub;
}
