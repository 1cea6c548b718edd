/**
 * Who may change a kommune's config: the `prosesseier` (process owner) of that kommune. It is an
 * admin role outside the config's own roles, which are the roles that work cases. Another
 * kommune's config is answered exactly like a kommune that does not exist.
 *
 * @module
 */
import { ApiError } from './api-error';
import type { Principal } from './authenticate';

export const PROCESS_OWNER_ROLE = 'prosesseier';

export function kommuneHidden(kommune: string): ApiError {
  return new ApiError(
    'KOMMUNE_NOT_FOUND',
    `no kommune "${kommune}" is configured`,
    `Kommunen «${kommune}» finnes ikke her.`,
  );
}

/**
 * Passes a process owner of `kommune` whose kommune exists; 404 for another kommune or an
 * unknown one, 403 for any other role of the kommune.
 */
export async function requireProcessOwner(
  principal: Principal,
  kommune: string,
  exists: (kommune: string) => Promise<boolean>,
): Promise<void> {
  if (principal.kommune !== kommune || !(await exists(kommune))) throw kommuneHidden(kommune);
  if (principal.role !== PROCESS_OWNER_ROLE) {
    throw new ApiError(
      'ROLE_NOT_ALLOWED',
      `only the ${PROCESS_OWNER_ROLE} role may read or change the config's versions and drafts; the token's role is "${principal.role}"`,
      `Bare prosesseieren kan se og endre slusemodellens versjoner og utkast; du er logget inn som «${principal.role}».`,
    );
  }
}
