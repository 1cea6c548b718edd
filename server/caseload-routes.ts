/**
 * Caseload limits per person (`/kommuner/{kommune}/caseload-limits`): a leader gives one person
 * a limit of their own (a part-time los follows fewer families), overriding their role's
 * capacity rule at the next handover to them. Leaders are the kommune's roles that see every
 * case (`sees: "kommune"`); no one else reads or changes limits. Each change is audited.
 *
 * @module
 */
import { z } from 'zod';
import {
  MAX_CASELOAD_LIMIT,
  MAX_CASELOAD_LIMITS_PER_KOMMUNE,
  type CaseloadLimits,
} from '../store/caseload-limits';
import type { AccessPolicy } from './access-policy';
import { ApiError } from './api-error';
import { KommuneParams, NoQuery, PersonParams } from './api-schemas';
import type { Principal } from './authenticate';
import { personRemovalRoute, requireLeader } from './leader-routes';
import { defineRoute, type RouteDef } from './route-definition';

const base = '/kommuner/:kommune/caseload-limits';
const LimitBody = z.strictObject({
  maxOpenCases: z.number().int().min(0).max(MAX_CASELOAD_LIMIT),
});
const Limit = z.object({
  personId: z.string(),
  maxOpenCases: z.number().int(),
  setBy: z.string(),
  setAt: z.string(),
});
const LimitList = z.object({ limits: z.array(Limit) });

export function caseloadRoutes(access: AccessPolicy, limits: CaseloadLimits): RouteDef[] {
  const leader = (principal: Principal, kommune: string) =>
    requireLeader(access, principal, kommune, {
      en: "read or set people's caseload limits",
      nb: 'se eller endre personers sakstak',
    });
  return [
    defineRoute({
      method: 'get',
      path: base,
      operationId: 'listCaseloadLimits',
      summary: "People's own caseload limits (leaders)",
      params: KommuneParams,
      query: NoQuery,
      success: { status: 200, schema: LimitList },
      errors: [404],
      handler: async ({ params, principal }) => {
        await leader(principal, params.kommune);
        return { limits: await limits.list(params.kommune) };
      },
    }),
    defineRoute({
      method: 'put',
      path: `${base}/:personId`,
      operationId: 'setCaseloadLimit',
      summary: "Set one person's own caseload limit, overriding their role's (leaders)",
      description: `The limit applies from the next handover to the person; cases they hold stay. At most ${MAX_CASELOAD_LIMITS_PER_KOMMUNE} people per kommune have a limit of their own.`,
      params: PersonParams,
      query: NoQuery,
      body: LimitBody,
      success: { status: 200, schema: Limit },
      errors: [404, 422],
      handler: async ({ params, body, principal }) => {
        await leader(principal, params.kommune);
        const set = await limits.set({
          kommune: params.kommune,
          personId: params.personId,
          maxOpenCases: body.maxOpenCases,
          actor: principal.sub,
        });
        if (!set) {
          throw new ApiError(
            'CASELOAD_LIMITS_FULL',
            `kommune "${params.kommune}" already has ${MAX_CASELOAD_LIMITS_PER_KOMMUNE} people with limits of their own; remove one first`,
            `Kommunen har allerede ${MAX_CASELOAD_LIMITS_PER_KOMMUNE} personer med eget sakstak. Fjern én først.`,
          );
        }
        return set;
      },
    }),
    personRemovalRoute({
      path: `${base}/:personId`,
      operationId: 'removeCaseloadLimit',
      summary: "Remove one person's own caseload limit; their role's applies again (leaders)",
      leader,
      remove: (input) => limits.remove(input),
    }),
  ];
}
