/**
 * The coordinators' API as one express router: `/api/v1/...`, `/openapi.json`, and — only
 * while no external issuer is configured — the development issuer's key set at
 * `/dev-issuer/.well-known/jwks.json`. Order per request: access log, timeout, header check,
 * bearer token, per-token rate limit, the route's body (its own limit, strict JSON), the route
 * (parse → service → answer), errors.
 *
 * @module
 */
import cookieParser from 'cookie-parser';
import express from 'express';
import type { Client } from '@temporalio/client';
import type {
  CaseLog,
  CaseloadLimits,
  ConfigStore,
  EndedSessions,
  FeedbackStore,
  ScreeningCounts,
  StaffDirectory,
} from '../store';
import { pseudonym } from '../machines/pseudonym';
import { loadKeyRing } from '../runtime/key-ring';
import { logger as defaultLogger, type Logger } from '../runtime/logger';
import { accessLog } from './access-log';
import { createAccessPolicy } from './access-policy';
import { apiRoutes, type RoutesDeps } from './api-routes';
import type { AuthSettings } from './auth-settings';
import {
  authenticate,
  createTokenVerifier,
  type Principal,
  type VerifyToken,
} from './authenticate';
import { createCaseService } from './case-service';
import { configAdminRoutes } from './config-admin-routes';
import { caseloadRoutes } from './caseload-routes';
import { staffDirectoryRoutes } from './staff-directory-routes';
import { familyRoutes } from './family/family-view-route';
import { caseExportRoutes } from './case-export-routes';
import { screeningStatsRoutes } from './family/screening-stats';
import { createConfigAdminService, type ConfigAdminService } from './config-admin-service';
import { CaseStreamHub } from './case-stream';
import {
  createCpuPool,
  defaultCpuPoolOptions,
  type CpuPool,
  type CpuPoolOptions,
} from './cpu-pool/cpu-pool';
import type { ConfigSource } from './config-source';
import { loadDevIssuer, type DevIssuer } from './dev-issuer';
import { NotFoundPacer } from './not-found-pacing';
import { errorHandler, notFoundHandler } from './error-handler';
import { createFamilyRouter, type FamilyProvider } from './family/family-router';
import {
  createFamilySessions,
  createSessionSealer,
  type FamilySessions,
} from './family/family-session';
import { refuseUnsafeHeaders } from './header-check';
import { jsonBody } from './json-body';
import { openApiDocument } from './openapi';
import { PROCESS_OWNER_ROLE, requireProcessOwner } from './process-owner-access';
import { perTokenRateLimit } from './rate-limit';
import { feedbackStatsRoutes } from './family/feedback-stats';
import { partnerSurveyRoutes } from './partner-survey-routes';
import { accessLogRoutes, deletionRoutes } from './access-log-routes';
import type { CaseAccessLog } from '../store/case-access-log';
import type { CaseRetention } from '../store/case-retention';
import { requestTimeout } from './request-timeout';
import { assertUniqueRoutes, toHandler, type RouteDef } from './route-definition';
import type { ConfigReferences } from '../runtime/config-references';

export interface ApiOptions {
  /** Deadline of one Temporal call. */
  temporalTimeoutMs: number;
  /** Answer 503 when a request takes longer (streams excepted). */
  requestTimeoutMs: number;
  bodyLimitBytes: number;
  rateLimit: { limit: number; windowMs: number };
  /** Requests per IP to the feedback forms, GET and POST together (no sign-in to count by). */
  feedbackRateLimit: { limit: number; windowMs: number };
  stream: { pollMs: number; heartbeatMs: number };
  /** The least time a case-404 takes (see not-found-pacing.ts). */
  notFoundMinMs: number;
  /**
   * How long a new case's log, and the facts the statistics read, may gather in the workflow
   * before it is written to the store (ms); unset, the workflow's 10 minutes. Tests lower it.
   */
  caseLogFlushMs?: number;
  /** How long a kommune's live model is reused before visibility is listed again (ms). */
  liveModelCacheMs: number;
  /** The worker threads for layout and draft validation. */
  cpu: CpuPoolOptions;
  /** The visualizer's diagrams: limits checked before any layout work. */
  diagram: { bodyLimitBytes: number; maxSteps: number; maxTransitions: number };
}

export const defaultApiOptions: ApiOptions = {
  temporalTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  bodyLimitBytes: 256 * 1024,
  rateLimit: { limit: 600, windowMs: 60_000 },
  feedbackRateLimit: { limit: 60, windowMs: 60_000 },
  stream: { pollMs: 500, heartbeatMs: 15_000 },
  notFoundMinMs: 10,
  // The live model lists every running case of the kommune: at most once per 15 s.
  liveModelCacheMs: 15_000,
  cpu: defaultCpuPoolOptions,
  // A kommune's model has tens of steps (the seeds 6–9); far past that, a layout only burns time.
  diagram: { bodyLimitBytes: 1024 * 1024, maxSteps: 200, maxTransitions: 800 },
};

export interface ApiDeps {
  client: Client;
  taskQueue: string;
  configs: ConfigSource;
  /** The client's codec that sends published configs as references; without it they go inline. */
  configReferences?: ConfigReferences;
  /** The versioned config store; with it the process owners' config routes are served (issue 7). */
  configStore?: ConfigStore;
  /** The cases' logs (the stafettlogg) in the store; the worker writes them, and the statistics' facts with them. */
  caseLog: CaseLog;
  /** The statistics' clock; tests on the time-skipping server pass the server's. */
  now?: () => number | Promise<number>;
  /** People's own caseload limits; with it the leaders' caseload-limit routes are served. */
  caseloadLimits?: CaseloadLimits;
  /** The anonymous counts of online self-assessments; with it the public screening pages and their statistics are served. */
  screeningCounts?: ScreeningCounts;
  /** How staff are reached by messages; with it the leaders' staff-directory routes are served. */
  staffDirectory?: StaffDirectory;
  /** Feedback links and their anonymous answers; with it the forms (/tilbakemelding/…) and their statistics are served. */
  feedback?: FeedbackStore;
  /** Where every read of a case is recorded (#19); with it the leaders' access-log routes are served. */
  accessLog?: CaseAccessLog;
  /** Deletion records of the retention sweep (#19); with it the leaders' deletions route is served. */
  deletions?: Pick<CaseRetention, 'deletions'>;
  auth: AuthSettings;
  /** Where the development issuer keeps its key pair (the data folder). */
  dataDir: string;
  /** Key of the pseudonyms of user ids in search attributes; by default the key ring's in `dataDir`. */
  pseudonymKey?: Uint8Array;
  options?: Partial<ApiOptions>;
  logger?: Logger;
  /**
   * The families' identity provider; with it the families' door (/familie/...) is served. Its
   * sessions signed out are kept in the store, shared by every API process.
   */
  family?: { provider: FamilyProvider; endedSessions: EndedSessions };
}

export interface Api {
  router: express.Router;
  /**
   * What every API request passes before its route, for other routers' endpoints (the
   * visualizer's): the header check, the bearer token and the per-token rate limit, the same
   * instances as the API's, so one token has one budget.
   */
  signedIn: express.RequestHandler[];
  /** Passes anyone who works in the principal's kommune: a role of its config, or its process owner. */
  authorizeKommune(principal: Principal): Promise<void>;
  /** The worker threads for work whose cost a user controls. */
  cpu: CpuPool;
  options: ApiOptions;
  logger: Logger;
  /**
   * The families' door: its routes; its sessions (`ensure(req, res)` gives a page its CSRF
   * token: `(await sessions.ensure(req, res)).csrf`); and `signedIn`, what puts a signed-in
   * family member's principal on `req.principal` for other family routes (after it, no
   * principal means not signed in; state-changing requests need the CSRF token).
   */
  family?: {
    router: express.Router;
    sessions: FamilySessions;
    signedIn: express.RequestHandler[];
  };
  /** Ends live streams and the worker threads; resolves when none of their work is in flight. */
  close(): Promise<void>;
}

/**
 * Every route the API serves: the case routes, and with a config store the process owners'
 * config routes. Each method and path, and each operationId, is declared once (checked here).
 */
export function routeTable(
  routesDeps: Omit<RoutesDeps, 'publishedConfig'>,
  admin?: ConfigAdminService,
  caseloadLimits?: CaseloadLimits,
  screeningCounts?: Pick<ScreeningCounts, 'list'>,
  staffDirectory?: StaffDirectory,
  feedback?: Pick<FeedbackStore, 'stats'>,
  caseReads?: Pick<CaseAccessLog, 'ofCase' | 'ofReader'>,
  deletions?: Pick<CaseRetention, 'deletions'>,
): RouteDef[] {
  const routes = [
    ...apiRoutes({ ...routesDeps, publishedConfig: admin?.published }),
    ...(admin ? configAdminRoutes(admin) : []),
    ...(caseloadLimits ? caseloadRoutes(routesDeps.access, caseloadLimits) : []),
    ...familyRoutes(routesDeps),
    ...caseExportRoutes(routesDeps),
    ...(screeningCounts ? screeningStatsRoutes(routesDeps.access, screeningCounts) : []),
    ...(staffDirectory
      ? staffDirectoryRoutes(routesDeps.access, staffDirectory, routesDeps.pseudonymKey)
      : []),
    ...(staffDirectory
      ? partnerSurveyRoutes({
          access: routesDeps.access,
          configs: routesDeps.configs,
          temporal: routesDeps.temporal,
          staff: staffDirectory,
        })
      : []),
    ...(feedback ? feedbackStatsRoutes(routesDeps.access, routesDeps.configs, feedback) : []),
    ...(caseReads ? accessLogRoutes(routesDeps.access, caseReads, routesDeps.pseudonymKey) : []),
    ...(deletions ? deletionRoutes(routesDeps.access, deletions) : []),
  ];
  assertUniqueRoutes(routes);
  return routes;
}

export function createApi(deps: ApiDeps): Api {
  const options = { ...defaultApiOptions, ...deps.options };
  const logger = deps.logger ?? defaultLogger;
  const temporal = {
    client: deps.client,
    taskQueue: deps.taskQueue,
    timeoutMs: options.temporalTimeoutMs,
  };
  const access = createAccessPolicy(deps.configs);
  const pseudonymKey = deps.pseudonymKey ?? loadKeyRing(deps.dataDir).pseudonymKey;
  const cases = createCaseService({
    ...temporal,
    access,
    pseudonymKey,
    notFound: new NotFoundPacer(options.notFoundMinMs),
    caseLog: deps.caseLog,
    configs: deps.configs,
    accessLog: deps.accessLog,
    caseLogFlushMs: options.caseLogFlushMs,
    configReferences: deps.configReferences,
  });
  const cpu = createCpuPool(options.cpu, logger);
  const hub = new CaseStreamHub(cases.readSnapshot, {
    pollMs: options.stream.pollMs,
    closedSlowdown: 10,
  });

  // The dev issuer's key pair is loaded on first use, so creating the app stays synchronous.
  let devIssuer: Promise<DevIssuer> | undefined;
  const getDevIssuer = () => (devIssuer ??= loadDevIssuer(deps.dataDir));
  let verifier: Promise<VerifyToken> | undefined;
  const verify: VerifyToken = async (token) => {
    verifier ??=
      deps.auth.kind === 'dev'
        ? getDevIssuer().then((issuer) => createTokenVerifier(deps.auth, issuer))
        : Promise.resolve(createTokenVerifier(deps.auth));
    return (await verifier)(token);
  };

  const admin = deps.configStore
    ? createConfigAdminService({
        ...temporal,
        store: deps.configStore,
        access,
        validateDraft: cpu.validateDraft,
      })
    : undefined;
  const routes = routeTable(
    {
      temporal,
      configs: deps.configs,
      access,
      pseudonymKey,
      cases,
      caseLog: deps.caseLog,
      now: deps.now,
      stream: { hub, heartbeatMs: options.stream.heartbeatMs },
      liveModelCacheMs: options.liveModelCacheMs,
      caseReads: deps.accessLog,
      caseloadLimits: deps.caseloadLimits,
      staffNames: deps.staffDirectory && staffNamesByPseudonym(deps.staffDirectory, pseudonymKey),
    },
    admin,
    deps.caseloadLimits,
    deps.screeningCounts,
    deps.staffDirectory,
    deps.feedback,
    deps.accessLog,
    deps.deletions,
  );

  const familySessions = deps.family
    ? createFamilySessions(createSessionSealer(pseudonymKey), deps.family.endedSessions)
    : undefined;
  const signedIn = [
    refuseUnsafeHeaders(),
    // A family session cookie stands in for a bearer token (server/family/family-session.ts).
    ...(familySessions ? [cookieParser(), familySessions.read, familySessions.principal] : []),
    // Token first: a body from someone unknown is never parsed.
    authenticate(verify),
    perTokenRateLimit(options.rateLimit),
  ];
  const kommuneExists = async (kommune: string) =>
    (await deps.configs.current(kommune)) !== undefined;
  const authorizeKommune = async (principal: Principal): Promise<void> => {
    if (principal.role === PROCESS_OWNER_ROLE)
      await requireProcessOwner(principal, principal.kommune, kommuneExists);
    else await access(principal, principal.kommune, 'kommune');
  };

  const router = express.Router();
  router.use(accessLog(logger));
  router.get('/openapi.json', async (_req, res, next) => {
    res.locals.route = '/openapi.json';
    try {
      res.json(openApiDocument(routes, await deps.configs.kommuner(), { version: '1.0.0' }));
    } catch (err) {
      next(err);
    }
  });
  if (deps.auth.kind === 'dev') {
    router.get('/dev-issuer/.well-known/jwks.json', async (_req, res, next) => {
      res.locals.route = '/dev-issuer/.well-known/jwks.json';
      try {
        res.json((await getDevIssuer()).jwks);
      } catch (err) {
        next(err);
      }
    });
  }

  const v1 = express.Router();
  v1.use(requestTimeout(options.requestTimeoutMs));
  v1.use(...signedIn);
  // Each route reads its own body, within its own limit; a route without one reads none.
  for (const def of routes) {
    const body = def.body ? [jsonBody(def.bodyLimitBytes ?? options.bodyLimitBytes)] : [];
    const named: express.RequestHandler = (_req, res, next) => {
      res.locals.route = def.path;
      next();
    };
    v1[def.method](def.path, named, ...body, toHandler(def));
  }
  v1.use(notFoundHandler());
  router.use('/api/v1', v1, errorHandler(logger));

  const family =
    deps.family && familySessions
      ? {
          sessions: familySessions,
          signedIn: [cookieParser(), familySessions.read, familySessions.principal],
          router: express
            .Router()
            .use('/familie', accessLog(logger), cookieParser(), familySessions.read)
            .use(
              createFamilyRouter({
                provider: deps.family.provider,
                sessions: familySessions,
                configs: deps.configs,
                cases,
                pseudonymKey,
                logger,
              }),
            ),
        }
      : undefined;

  return {
    router,
    signedIn,
    family,
    authorizeKommune,
    cpu,
    options,
    logger,
    close: async () => {
      await Promise.all([hub.close(), cpu.close()]);
    },
  };
}

/** The staff directory's names by the pseudonym the access log keeps for each reader. */
function staffNamesByPseudonym(directory: Pick<StaffDirectory, 'names'>, key: Uint8Array) {
  return async (kommune: string) =>
    new Map(
      (await directory.names(kommune)).map((n) => [pseudonym(key, n.personId), n.displayName]),
    );
}
