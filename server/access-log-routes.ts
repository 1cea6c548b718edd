/**
 * Who read a case (#19), for a kommune's leaders: the reads of one case, or the reads by one
 * person, newest first (store/case-access-log.ts). Readers are shown as the pseudonyms and roles
 * the log keeps; a leader asks about a person by their user id, which is turned into the same
 * pseudonym here and never stored.
 *
 * @module
 */
import { z } from 'zod';
import { pseudonym } from '../machines';
import { CaseReads, type CaseAccessLog } from '../store/case-access-log';
import type { AccessPolicy } from './access-policy';
import { CaseParams, KommuneParams, PersonId } from './api-schemas';
import { requireLeader } from './leader-routes';
import { defineRoute, type RouteDef } from './route-definition';

const Entries = z.object({
  entries: z.array(
    z.object({
      caseId: z.string(),
      reader: z.string().describe("The reader's pseudonym (a keyed hash of the user id)"),
      role: z.string(),
      what: z.enum(CaseReads),
      at: z.string(),
    }),
  ),
});

export function accessLogRoutes(
  access: AccessPolicy,
  log: Pick<CaseAccessLog, 'ofCase' | 'ofReader'>,
  pseudonymKey: Uint8Array,
): RouteDef[] {
  const may = { en: 'read who read the cases', nb: 'se hvem som har lest sakene' };
  const shown = (entries: Awaited<ReturnType<CaseAccessLog['ofCase']>>) => ({
    entries: entries.map(({ caseId, reader, role, what, at }) => ({
      caseId,
      reader,
      role,
      what,
      at,
    })),
  });
  return [
    defineRoute({
      method: 'get',
      path: '/kommuner/:kommune/cases/:caseId/access-log',
      operationId: 'getCaseAccessLog',
      summary: 'Who read this case, newest first (leaders)',
      description:
        'Every read of the case through the API (snapshot, log, live stream) with the reader as a pseudonym and role; at most the 200 newest.',
      params: CaseParams,
      query: z.strictObject({}),
      success: { status: 200, schema: Entries },
      errors: [404],
      handler: async ({ params, principal }) => {
        await requireLeader(access, principal, params.kommune, may);
        return shown(await log.ofCase(params.kommune, params.caseId));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/kommuner/:kommune/access-log',
      operationId: 'getPersonAccessLog',
      summary: 'Which cases one person read, newest first (leaders)',
      params: KommuneParams,
      query: z.strictObject({ person: PersonId }),
      success: { status: 200, schema: Entries },
      errors: [404],
      handler: async ({ params, principal, query }) => {
        await requireLeader(access, principal, params.kommune, may);
        return shown(await log.ofReader(params.kommune, pseudonym(pseudonymKey, query.person)));
      },
    }),
  ];
}
