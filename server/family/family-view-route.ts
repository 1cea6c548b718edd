/**
 * `GET …/cases/{caseId}/family`: the family's own view of their case (machines/family-view.ts),
 * for the family roles of that case only. Staff get 403 before any case is read (they read the
 * case snapshot instead), so the answer says nothing about whether the case exists; for a family
 * member, a case that is not theirs and a missing one give the same 404, in the same time (the
 * case service's reads decide both).
 *
 * @module
 */
import { z } from 'zod';
import { familyView, norwegianDate } from '../../machines/family-view';
import type { AccessPolicy } from '../access-policy';
import { ApiError } from '../api-error';
import { CaseParams, REOPEN_REQUEST_BODY_LIMIT_BYTES, ReopenRequestBody } from '../api-schemas';
import type { Principal } from '../authenticate';
import type { CaseService } from '../case-service';
import type { CaseAccessLog } from '../../store/case-access-log';
import { configOfCase, type ConfigSource } from '../config-source';
import { defineRoute, type RouteDef } from '../route-definition';

export interface FamilyRoutesDeps {
  access: AccessPolicy;
  cases: CaseService;
  configs: ConfigSource;
  /** Who read the case (#19); with it the family's view says which roles looked, and when. */
  caseReads?: Pick<CaseAccessLog, 'ofCase'>;
  /** Staff names by pseudonym, for a kommune whose config shows readers' names to the family. */
  staffNames?: (kommune: string) => Promise<Map<string, string>>;
}

/** The staff reads a family sees at most, newest first. */
const READS_SHOWN = 20;

const FamilyDate = z.object({
  at: z.string().describe('ISO 8601 instant, UTC'),
  text: z.string().describe('The Oslo date in Norwegian, e.g. "12. mars 2027"'),
});

export const FamilyCaseView = z
  .object({
    caseId: z.string(),
    kommune: z.string().describe("The kommune's name"),
    open: z.boolean(),
    status: z.enum(['open', 'closed', 'handed_over', 'withdrawn']),
    step: z.object({ title: z.string(), text: z.string() }),
    upcoming: z.array(z.object({ label: z.string(), due: FamilyDate })),
    holder: z
      .object({ role: z.string(), since: FamilyDate, you: z.boolean() })
      .nullable()
      .describe("The stafettholder's role title (there is no staff directory yet)"),
    contact: z
      .object({
        name: z.string(),
        text: z.string().optional(),
        phone: z.string().optional(),
        email: z.string().optional(),
        url: z.string().optional(),
      })
      .nullable()
      .describe("How to reach the service, from the config's familyTexts.contact"),
    team: z.array(z.object({ role: z.string(), you: z.boolean() })),
    consents: z.array(
      z.object({
        type: z.string(),
        title: z.string(),
        text: z.string(),
        state: z.enum(['given', 'withdrawn', 'expired', 'missing']),
        givenBy: z.string().optional(),
        givenAt: FamilyDate.optional(),
        expiresAt: FamilyDate.optional(),
        withdrawnAt: FamilyDate.optional(),
        giveEvent: z.string().optional().describe('Send this event (no payload) to consent now'),
        withdrawEvent: z.string().optional().describe('Send this event (no payload) to withdraw'),
      }),
    ),
    log: z.array(z.object({ at: FamilyDate, text: z.string() })),
    readBy: z
      .array(
        z.object({
          role: z.string().describe('A role title'),
          name: z
            .string()
            .optional()
            .describe(
              "The reader's name, only where the config says so (familyTexts.showReaderNames)",
            ),
          at: FamilyDate,
        }),
      )
      .describe('Staff who read the case, as role titles, newest first (at most 20)'),
    reopenUntil: FamilyDate.nullable(),
    reopenRequest: z
      .object({
        state: z.enum(['sent', 'declined']),
        at: FamilyDate,
        declinedAt: FamilyDate.optional(),
        decider: z.string().describe('Who decides, as a role title (the last holder)'),
      })
      .nullable()
      .describe('The family asked to reopen the closed case: waiting (sent) or declined'),
    mayRequestReopen: z
      .boolean()
      .describe('Within the reopen window and no request waiting: POST …/reopen-request may ask'),
    revision: z.number().int().describe('Send as expectedRevision with an event'),
  })
  .describe("The family's own view of their case, in plain words from the config");

export function familyRoutes(deps: FamilyRoutesDeps): RouteDef[] {
  /** The kommune's access for a family role; staff are refused before any case is read. */
  async function familyAccess(principal: Principal, params: { kommune: string; caseId: string }) {
    const access = await deps.access(principal, params.kommune, { caseId: params.caseId });
    const role = Object.hasOwn(access.config.roles, principal.role)
      ? access.config.roles[principal.role]
      : undefined;
    if (role?.family !== true)
      throw new ApiError(
        'ROLE_NOT_ALLOWED',
        `role "${principal.role}" is not a family role; staff read the case snapshot`,
        `Dette er familiens side. Rollen «${role?.title ?? principal.role}» leser saken i saksvisningen.`,
      );
    return access;
  }

  async function view(principal: Principal, params: { kommune: string; caseId: string }) {
    const access = await familyAccess(principal, params);
    const snapshot = await deps.cases.getCase(principal, params.kommune, params.caseId);
    const history = await deps.cases.caseHistory(principal, params.kommune, params.caseId);
    // The case speaks in the words of the config version it runs on.
    const config = await configOfCase(deps.configs, access, snapshot.configVersion);
    // Which staff roles looked at the case and when (#19): names only where the config says so.
    const reads = deps.caseReads ? await deps.caseReads.ofCase(params.kommune, params.caseId) : [];
    const shown = reads
      .filter((r) => Object.hasOwn(config.roles, r.role) && !config.roles[r.role].family)
      .slice(0, READS_SHOWN);
    const names =
      shown.length > 0 && access.config.familyTexts?.showReaderNames === true && deps.staffNames
        ? await deps.staffNames(params.kommune)
        : undefined;
    const readBy = shown.map((r) => {
      const name = names?.get(r.reader);
      return {
        role: config.roles[r.role].title,
        ...(name ? { name } : {}),
        at: { at: r.at, text: norwegianDate(r.at) },
      };
    });
    return {
      readBy,
      ...familyView({
        config,
        state: snapshot,
        log: history.entries,
        viewer: { id: principal.sub, role: principal.role },
        allowedEvents: snapshot.allowedEvents.map((e) => e.type),
        now: new Date().toISOString(),
      }),
      revision: snapshot.revision,
    };
  }

  return [
    defineRoute({
      method: 'get',
      path: '/kommuner/:kommune/cases/:caseId/family',
      operationId: 'getFamilyCaseView',
      summary: "The family's own view of their case, in plain words",
      description:
        'For family roles of the case only: where the case is and what happens next, deadlines that concern ' +
        'the family, the stafettholder and how to reach the service, the team as roles, consents with the ' +
        'events that give or withdraw them, and the log lines meant for the family. Never field ids, timer ' +
        'ids or forms. Staff roles get 403 (they read the case itself); a case that is not yours reads as missing.',
      params: CaseParams,
      query: z.strictObject({}),
      success: { status: 200, schema: FamilyCaseView },
      errors: [404],
      handler: ({ params, principal }) => view(principal, params),
    }),
    defineRoute({
      method: 'post',
      path: '/kommuner/:kommune/cases/:caseId/reopen-request',
      operationId: 'requestReopen',
      summary: 'A family member asks to reopen their closed case',
      description:
        'For family roles of the case only, within the reopen window of a closed case. The last holder is ' +
        'notified and decides: they reopen the case or decline the request. At most one request waits at a ' +
        'time; asking again meanwhile, outside the window or on an open case is refused (422) and changes ' +
        'nothing. Staff roles get 403; a case that is not yours reads as missing. Answers with the family view.',
      params: CaseParams,
      query: z.strictObject({}),
      body: ReopenRequestBody,
      bodyLimitBytes: REOPEN_REQUEST_BODY_LIMIT_BYTES,
      idempotent: true,
      success: { status: 200, schema: FamilyCaseView },
      errors: [404, 409, 413, 415, 422],
      handler: async ({ params, body, principal, idempotencyKey }) => {
        // Checked on the family's own view first: a case past its window has been archived, and
        // the engine could no longer say why (the workflow has ended). The engine checks again.
        const before = await view(principal, params);
        if (!before.mayRequestReopen)
          throw new ApiError(
            'REOPEN_NOT_ALLOWED',
            before.open
              ? 'the case is still open'
              : before.reopenRequest?.state === 'sent'
                ? 'a request to reopen the case is already waiting'
                : 'the short way back for this case has ended',
            before.open
              ? 'Saken er fortsatt åpen, så den trenger ikke åpnes igjen.'
              : before.reopenRequest?.state === 'sent'
                ? `Dere ba om å åpne saken igjen ${before.reopenRequest.at.text}. ${before.reopenRequest.decider} avgjør det.`
                : 'Fristen for å be om å åpne saken igjen har gått ut. Ta kontakt med kommunen hvis dere trenger hjelp.',
          );
        await deps.cases.requestReopen(
          principal,
          params.kommune,
          params.caseId,
          body,
          idempotencyKey,
        );
        return view(principal, params);
      },
    }),
  ];
}
