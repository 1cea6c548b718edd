/**
 * What the leaders' routes for people's own settings share (caseload limits, the staff
 * directory): only a leader of the kommune (a role that sees every case) reads or changes them,
 * and removing one person's setting answers whether there was one.
 *
 * @module
 */
import { z } from 'zod';
import type { AccessPolicy } from './access-policy';
import { ApiError } from './api-error';
import { NoQuery, PersonParams } from './api-schemas';
import type { Principal } from './authenticate';
import { defineRoute, type RouteDef } from './route-definition';

/** What a leader may do there, in English and bokmål ("read or change the staff directory"). */
export interface LeaderTask {
  en: string;
  nb: string;
}

/** Passes a leader of the kommune; anyone else is refused with `ROLE_NOT_ALLOWED`. */
export async function requireLeader(
  access: AccessPolicy,
  principal: Principal,
  kommune: string,
  may: LeaderTask,
): Promise<void> {
  if ((await access(principal, kommune, 'kommune')).sight !== 'kommune') {
    throw new ApiError(
      'ROLE_NOT_ALLOWED',
      `role "${principal.role}" may not ${may.en}; a role that sees every case of the kommune (a leader) may`,
      `Rollen «${principal.role}» kan ikke ${may.nb}; det kan en rolle som ser alle kommunens saker (en leder).`,
    );
  }
}

const Removed = z.object({ removed: z.boolean() });

/** `DELETE path` for a leader: removes one person's setting, audited by the store. */
export function personRemovalRoute(def: {
  path: string;
  operationId: string;
  summary: string;
  leader(principal: Principal, kommune: string): Promise<void>;
  remove(input: { kommune: string; personId: string; actor: string }): Promise<boolean>;
}): RouteDef {
  return defineRoute({
    method: 'delete',
    path: def.path,
    operationId: def.operationId,
    summary: def.summary,
    params: PersonParams,
    query: NoQuery,
    success: { status: 200, schema: Removed },
    errors: [404],
    handler: async ({ params, principal }) => {
      await def.leader(principal, params.kommune);
      return {
        removed: await def.remove({
          kommune: params.kommune,
          personId: params.personId,
          actor: principal.sub,
        }),
      };
    },
  });
}
