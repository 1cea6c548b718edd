/**
 * Who read a case (#19), for a kommune's leaders and its privacy role: the reads of one case, or
 * the reads by one person, newest first (store/case-access-log.ts). Readers are shown as the
 * pseudonyms and roles the log keeps; a person is asked about by their user id, which is turned
 * into the same pseudonym here and never stored. And which closed cases were deleted when their
 * retention ended (store/case-retention.ts), with no content.
 *
 * @module
 */
import { z } from 'zod';
import { pseudonym } from '../machines';
import { CaseReads, type CaseAccessLog } from '../store/case-access-log';
import type { CaseRetention } from '../store/case-retention';
import type { AccessPolicy } from './access-policy';
import { CaseParams, KommuneParams, PersonId } from './api-schemas';
import { ApiError } from './api-error';
import type { Principal } from './authenticate';
import { defineRoute, type RouteDef } from './route-definition';

/**
 * Leaders (roles that see the whole kommune) and the kommune's privacy role (`auditsAccess` in
 * the config, e.g. a personvernombud, who sees no case by that) read the access log and the
 * deletion records.
 */
async function requireAuditor(
  access: AccessPolicy,
  principal: Principal,
  kommune: string,
  may: { en: string; nb: string },
): Promise<void> {
  const { sight, config } = await access(principal, kommune, 'kommune');
  if (sight === 'kommune' || config.roles[principal.role]?.auditsAccess === true) return;
  throw new ApiError(
    'ROLE_NOT_ALLOWED',
    `role "${principal.role}" may not ${may.en}; a leader or the kommune's privacy role (auditsAccess) may`,
    `Rollen «${principal.role}» kan ikke ${may.nb}; det kan en leder eller kommunens personvernrolle.`,
  );
}

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
      summary: 'Who read this case, newest first (leaders and the privacy role)',
      description:
        'Every read of the case through the API (snapshot, log, live stream) with the reader as a pseudonym and role; at most the 200 newest.',
      params: CaseParams,
      query: z.strictObject({}),
      success: { status: 200, schema: Entries },
      errors: [404],
      handler: async ({ params, principal }) => {
        await requireAuditor(access, principal, params.kommune, may);
        return shown(await log.ofCase(params.kommune, params.caseId));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/kommuner/:kommune/access-log',
      operationId: 'getPersonAccessLog',
      summary: 'Which cases one person read, newest first (leaders and the privacy role)',
      params: KommuneParams,
      query: z.strictObject({ person: PersonId }),
      success: { status: 200, schema: Entries },
      errors: [404],
      handler: async ({ params, principal, query }) => {
        await requireAuditor(access, principal, params.kommune, may);
        return shown(await log.ofReader(params.kommune, pseudonym(pseudonymKey, query.person)));
      },
    }),
  ];
}

const Deletions = z.object({
  deletions: z.array(
    z.object({
      caseId: z.string(),
      finalStep: z.string().describe('The exit step the case closed in'),
      closedOn: z.string().describe('The Oslo day the case closed'),
      keptFor: z.string().describe('The retention that applied (ISO 8601 duration)'),
      deletedAt: z.string(),
      logEntries: z.number().int().describe('Stafettlogg entries deleted'),
      messages: z.number().int().describe('Sent messages deleted'),
      archivedRecord: z.boolean(),
      workflowRuns: z.number().int().describe('Workflow runs deleted from Temporal'),
    }),
  ),
});

export function deletionRoutes(
  access: AccessPolicy,
  deletions: Pick<CaseRetention, 'deletions'>,
): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/kommuner/:kommune/deletions',
      operationId: 'getCaseDeletions',
      summary:
        'Closed cases deleted when their retention ended, newest first (leaders and the privacy role)',
      description:
        "The deletion records of the nightly retention sweep (the config's `retention`): which case, the exit step and day it closed in, the rule, and how much was deleted; nothing of the case's content. At most the 200 newest.",
      params: KommuneParams,
      query: z.strictObject({}),
      success: { status: 200, schema: Deletions },
      errors: [404],
      handler: async ({ params, principal }) => {
        await requireAuditor(access, principal, params.kommune, {
          en: 'read which cases were deleted',
          nb: 'se hvilke saker som er slettet',
        });
        const records = await deletions.deletions(params.kommune);
        return { deletions: records.map(({ kommune: _kommune, ...d }) => d) };
      },
    }),
  ];
}
