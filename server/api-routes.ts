/**
 * Every route of the coordinators' API, as data (see `route-definition.ts`). Each parses its
 * input, calls one service function and answers; the services hold the rules.
 *
 * @module
 */
import { z } from 'zod';
import type { AccessPolicy, KommuneAccess } from './access-policy';
import { ApiError } from './api-error';
import {
  CaseHistory,
  CaseList,
  CaseParams,
  CaseSnapshot,
  CompleteTaskBody,
  ConfigVersionQuery,
  KommuneParams,
  KommuneStats,
  ListCasesQuery,
  StatsQuery,
  OpenCaseBody,
  ReopenBody,
  ReopenRequestBody,
  REOPEN_REQUEST_BODY_LIMIT_BYTES,
  SendEventBody,
  Statechart,
  TaskParams,
} from './api-schemas';
import { listCases } from './case-list';
import type { CaseLog } from '../store/case-log';
import type { CaseAccessLog } from '../store/case-access-log';
import type { CaseService, TemporalDeps } from './case-service';
import { kommuneStats } from './case-stats';
import { statsCsv } from './stats-csv';
import { createLiveModel, LiveModel } from './live-model';
import {
  BatchEventBody,
  BatchEventResponse,
  MAX_BATCH_CASES,
  sendBatchEvent,
} from './batch-events';
import { serveCaseStream, type StreamDeps } from './case-stream-route';
import { ConfigReadResponse } from './config-admin-schemas';
import type { Principal } from './authenticate';
import type { ConfigSource, VersionedConfig } from './config-source';
import { defineRoute, type RouteDef } from './route-definition';
import { toStatechart } from './statechart';
import type { CaseloadLimits } from '../store/caseload-limits';

export interface RoutesDeps {
  temporal: TemporalDeps;
  configs: ConfigSource;
  access: AccessPolicy;
  /** For list filters on the holder's and members' pseudonyms. */
  pseudonymKey: Uint8Array;
  cases: CaseService;
  caseLog: CaseLog;
  /** The statistics' clock (the end of a range still running); tests on the time-skipping server pass theirs. */
  now?: () => number | Promise<number>;
  stream: StreamDeps;
  liveModelCacheMs: number;
  /** Staff names by pseudonym (the staff directory), for families whose kommune shows who read. */
  staffNames?: (kommune: string) => Promise<Map<string, string>>;
  /** People's own caseload limits: the statistics show each holder's beside their caseload. */
  caseloadLimits?: Pick<CaseloadLimits, 'list'>;
  /** Who read each case (#19): the family's view says which roles looked. */
  caseReads?: Pick<CaseAccessLog, 'ofCase'>;
  /**
   * `GET …/config` from the versioned store (with who published it, and the process owner's
   * access); without one, the config source's version, read with the case roles' access.
   */
  publishedConfig?: (
    principal: Principal,
    kommune: string,
    version?: number,
  ) => Promise<VersionedConfig>;
}

type FiguresArgs = Parameters<CaseLog['facts']['figures']>;

const NoQuery = z.strictObject({});

/**
 * The largest body of a case command (opening, event, reopening), payload included. Every
 * accepted command is kept in the case, so this bounds what one command adds to it.
 */
export const CASE_COMMAND_BODY_LIMIT_BYTES = 64 * 1024;

export function apiRoutes(deps: RoutesDeps): RouteDef[] {
  const { cases, configs } = deps;
  const listDeps = {
    ...deps.temporal,
    access: deps.access,
    pseudonymKey: deps.pseudonymKey,
    caseLog: deps.caseLog,
  };
  const liveModel = createLiveModel({
    ...deps.temporal,
    cacheMs: deps.liveModelCacheMs,
    access: deps.access,
    exists: async (kommune) => (await configs.current(kommune)) !== undefined,
    undelivered: (kommune, since, limit) => deps.caseLog.facts.undelivered(kommune, since, limit),
    missedDeadlines: (kommune, caseIds) => deps.caseLog.facts.missedDeadlines(kommune, caseIds),
  });
  // Read when a request comes: building the table only closes over its dependencies.
  const statsDeps = {
    access: deps.access,
    facts: { figures: (...args: FiguresArgs) => deps.caseLog.facts.figures(...args) },
    now: deps.now,
    limits: deps.caseloadLimits && {
      list: (kommune: string) => deps.caseloadLimits!.list(kommune),
      pseudonymKey: deps.pseudonymKey,
    },
  };
  /** The version asked for, else the current one; cases on older versions read theirs this way. */
  const versionOf = async (
    access: KommuneAccess,
    version: number | undefined,
  ): Promise<VersionedConfig> => {
    if (version === undefined || version === access.version) return access;
    const versioned = await configs.version(access.kommune, version);
    if (!versioned)
      throw new ApiError(
        'CONFIG_VERSION_NOT_FOUND',
        `kommune "${access.kommune}" has no config version ${version}`,
        `${access.kommune} har ingen versjon ${version} av slusemodellen.`,
      );
    return versioned;
  };
  return [
    defineRoute({
      method: 'post',
      path: '/kommuner/:kommune/cases',
      operationId: 'openCase',
      summary: 'Open a case',
      description:
        'Opens a case in the intake step. With an `Idempotency-Key` the same key never opens two cases: a retry ' +
        'answers with the case it opened, the same key with another body is 409 IDEMPOTENCY_KEY_REUSED.',
      params: KommuneParams,
      query: NoQuery,
      body: OpenCaseBody,
      bodyLimitBytes: CASE_COMMAND_BODY_LIMIT_BYTES,
      idempotent: true,
      success: { status: 201, schema: CaseSnapshot },
      errors: [404, 409, 413, 415, 422],
      handler: async ({ params, body, principal, idempotencyKey, res }) => {
        const snapshot = await cases.openCase(principal, params.kommune, body, idempotencyKey);
        res.setHeader('Location', `/api/v1/kommuner/${params.kommune}/cases/${snapshot.caseId}`);
        return snapshot;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/kommuner/:kommune/cases',
      operationId: 'listCases',
      summary: 'List and filter cases',
      description:
        'From Temporal visibility (eventually consistent, about a second behind). Paged with `cursor`.',
      params: KommuneParams,
      query: ListCasesQuery,
      success: { status: 200, schema: CaseList },
      errors: [404],
      handler: ({ params, query, principal }) =>
        listCases(listDeps, principal, params.kommune, query),
    }),
    defineRoute({
      method: 'get',
      path: '/kommuner/:kommune/cases/:caseId',
      operationId: 'getCase',
      summary: 'A case snapshot, with the events your role may send now',
      params: CaseParams,
      query: NoQuery,
      success: { status: 200, schema: CaseSnapshot },
      errors: [404],
      handler: ({ params, principal }) => cases.getCase(principal, params.kommune, params.caseId),
    }),
    defineRoute({
      method: 'post',
      path: '/kommuner/:kommune/cases/:caseId/events',
      operationId: 'sendEvent',
      summary: 'Send an event to a case',
      description:
        '`expectedRevision` is the revision you last saw; if the case moved on since, the answer is 409 ' +
        'REVISION_CONFLICT and nothing changed. An optional `Idempotency-Key` makes a retry return the first answer.',
      params: CaseParams,
      query: NoQuery,
      body: SendEventBody,
      bodyLimitBytes: CASE_COMMAND_BODY_LIMIT_BYTES,
      idempotent: true,
      success: { status: 200, schema: CaseSnapshot },
      errors: [404, 409, 413, 415, 422],
      handler: ({ params, body, principal, idempotencyKey }) =>
        cases.sendEvent(principal, params.kommune, params.caseId, body, idempotencyKey),
    }),
    defineRoute({
      method: 'post',
      path: '/kommuner/:kommune/batch-events',
      operationId: 'sendBatchEvent',
      summary: 'Send one event to many cases: a new holder or a closing for each, with a dry run',
      description:
        `At most ${MAX_BATCH_CASES} cases. Each case goes the way of \`POST …/events\` as the signed-in person, ` +
        'at the revision just read (read again on a conflict), and answers for itself: `sent`, or `refused` with ' +
        'the code and bokmål sending it by hand gives. With `dryRun` the engine decides each case (`wouldSend`) ' +
        'and nothing is sent; only the holder’s caseload limit shows first when sent.',
      params: KommuneParams,
      query: NoQuery,
      body: BatchEventBody,
      bodyLimitBytes: CASE_COMMAND_BODY_LIMIT_BYTES,
      success: { status: 200, schema: BatchEventResponse },
      errors: [404, 413, 415],
      handler: async ({ params, body, principal }) => {
        // A role or kommune that may not work cases here is refused once, not per case.
        await deps.access(principal, params.kommune, 'kommune');
        return sendBatchEvent(cases, principal, params.kommune, body);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/kommuner/:kommune/cases/:caseId/reopen',
      operationId: 'reopenCase',
      summary: 'Reopen a closed case (the short way back)',
      params: CaseParams,
      query: NoQuery,
      body: ReopenBody,
      bodyLimitBytes: CASE_COMMAND_BODY_LIMIT_BYTES,
      idempotent: true,
      success: { status: 200, schema: CaseSnapshot },
      errors: [404, 409, 413, 415, 422],
      handler: ({ params, body, principal, idempotencyKey }) =>
        cases.reopenCase(principal, params.kommune, params.caseId, body, idempotencyKey),
    }),
    defineRoute({
      method: 'post',
      path: '/kommuner/:kommune/cases/:caseId/tasks/:taskId/complete',
      operationId: 'completeTask',
      summary: 'Mark an open task of the case done (e.g. «Familien kunne ikke nås»)',
      description:
        'For the holder and staff who may act on the case, never a family role. Recorded in the history as ' +
        '`taskCompleted`. 404 TASK_NOT_FOUND when the case has no such open task; 409 as for events.',
      params: TaskParams,
      query: NoQuery,
      body: CompleteTaskBody,
      idempotent: true,
      success: { status: 200, schema: CaseSnapshot },
      errors: [404, 409, 413, 415, 422],
      handler: ({ params, body, principal, idempotencyKey }) =>
        cases.completeTask(
          principal,
          params.kommune,
          params.caseId,
          params.taskId,
          body,
          idempotencyKey,
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/kommuner/:kommune/cases/:caseId/reopen-request/decline',
      operationId: 'declineReopenRequest',
      summary: "Decline the family's request to reopen a closed case",
      description:
        'For the roles that may reopen the case (`reopen.roles`). The case stays closed and the family ' +
        'page says the request was declined; to say yes, reopen the case (`…/reopen`), which clears the request.',
      params: CaseParams,
      query: NoQuery,
      body: ReopenRequestBody,
      bodyLimitBytes: REOPEN_REQUEST_BODY_LIMIT_BYTES,
      idempotent: true,
      success: { status: 200, schema: CaseSnapshot },
      errors: [404, 409, 413, 415, 422],
      handler: ({ params, body, principal, idempotencyKey }) =>
        cases.declineReopen(principal, params.kommune, params.caseId, body, idempotencyKey),
    }),
    defineRoute({
      method: 'get',
      path: '/kommuner/:kommune/cases/:caseId/history',
      operationId: 'getCaseHistory',
      summary: 'Who did what and when',
      params: CaseParams,
      query: NoQuery,
      success: { status: 200, schema: CaseHistory },
      errors: [404],
      handler: ({ params, principal }) =>
        cases.caseHistory(principal, params.kommune, params.caseId),
    }),
    defineRoute({
      method: 'get',
      path: '/kommuner/:kommune/cases/:caseId/stream',
      operationId: 'streamCase',
      summary: 'Live snapshots (server-sent events)',
      description:
        'Sends `event: snapshot` with the case snapshot (`id:` its revision) at once and on every change, and a ' +
        'comment line as heartbeat. `Last-Event-ID` skips the first snapshot when the case has not moved on. ' +
        '`event: gone` ends the stream when the case is no longer visible.',
      params: CaseParams,
      query: NoQuery,
      success: { status: 200, stream: true },
      errors: [404],
      handler: ({ params, principal, req, res }) =>
        serveCaseStream(deps.stream, cases, principal, params, req, res),
    }),
    defineRoute({
      method: 'get',
      path: '/kommuner/:kommune/stats',
      operationId: 'getStats',
      summary:
        'Figures: new cases per referral source and month, open per level and step, funnel, time in step, overdue',
      description:
        'Counted from the case facts in the store, never from Temporal, so closed cases count after its ' +
        'retention. `from`/`to` are Oslo calendar days (default the year up to today, at most 5 years); ' +
        'the filters pick cases by where they stand at the end of the range. For roles that see the whole kommune.',
      params: KommuneParams,
      query: StatsQuery,
      success: { status: 200, schema: KommuneStats },
      errors: [404],
      handler: ({ params, query, principal }) =>
        kommuneStats(statsDeps, principal, params.kommune, query),
    }),
    defineRoute({
      method: 'get',
      path: '/kommuner/:kommune/live',
      operationId: 'getLiveModel',
      summary:
        'Open cases on each step now, with how many are late or escalated, and the cases that need attention (the live model)',
      description:
        'From Temporal visibility, read at most every 15 s per kommune. For roles that see the whole kommune ' +
        'and the process owner. List a step’s cases with `GET …/cases?step=…`.',
      params: KommuneParams,
      query: NoQuery,
      success: { status: 200, schema: LiveModel },
      errors: [404],
      handler: ({ params, principal }) => liveModel(principal, params.kommune),
    }),
    defineRoute({
      method: 'get',
      path: '/kommuner/:kommune/stats.csv',
      operationId: 'getStatsCsv',
      summary: 'The same figures as CSV, for a spreadsheet',
      description:
        'One row per figure: `figure,key,key2,measure,value` (UTF-8 with a byte-order mark, comma-separated). ' +
        'A cell that a spreadsheet would take for a formula starts with an apostrophe.',
      params: KommuneParams,
      query: StatsQuery,
      success: {
        status: 200,
        stream: true,
        mediaType: 'text/csv',
        description: 'The figures as CSV',
      },
      errors: [404],
      handler: async ({ params, query, principal, res }) => {
        const stats = await kommuneStats(statsDeps, principal, params.kommune, query);
        // The name is ours (a kebab-case kommune id and two dates): quoted, nothing to escape.
        const name = `statistikk-${params.kommune}-${stats.range.from}-${stats.range.to}.csv`;
        res
          .status(200)
          .type('text/csv; charset=utf-8')
          .setHeader('Content-Disposition', `attachment; filename="${name}"`)
          .send(statsCsv(stats));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/kommuner/:kommune/config',
      operationId: 'getConfig',
      summary:
        'The config new cases start on (the latest published version), or with `version` any published version, with who published it, when and why',
      description:
        'Case roles may read any version too: a running case keeps the version it started on until it is migrated.',
      params: KommuneParams,
      query: ConfigVersionQuery,
      success: { status: 200, schema: ConfigReadResponse },
      errors: [404],
      handler: async ({ params, query, principal }) => {
        if (deps.publishedConfig)
          return deps.publishedConfig(principal, params.kommune, query.version);
        const { kommune, version, config } = await versionOf(
          await deps.access(principal, params.kommune, 'kommune'),
          query.version,
        );
        return { kommune, version, config };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/kommuner/:kommune/config/statechart',
      operationId: 'getStatechart',
      summary: 'The statechart of a config version as a JSON graph (default: the current version)',
      params: KommuneParams,
      query: ConfigVersionQuery,
      success: { status: 200, schema: Statechart },
      errors: [404],
      handler: async ({ params, query, principal }) =>
        toStatechart(
          await versionOf(await deps.access(principal, params.kommune, 'kommune'), query.version),
        ),
    }),
  ];
}
