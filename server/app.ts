import express from 'express';
import { createApi, type Api, type ApiDeps } from './api-router';
import { createScreeningRouter, familyNotFound } from './family/screening-pages';
import { checkHealth, type HealthSources } from './health';
import { createVisualizerRouter } from './visualizer/visualizer-router';
import { createFamilyCasePageRouter } from './family/case-page';
import { createFeedbackRouter } from './family/feedback-pages';
import type { TrustProxy } from './trust-proxy';
import { countRequests, metricsHandler } from './metrics-route';
import type { PayloadCodec } from '@temporalio/common';
import { createCodecRouter } from './codec-routes';

export interface AppDeps {
  health: HealthSources;
  /** The coordinators' API; left out, the app serves /health only. */
  api?: ApiDeps;
  /** Proxies believed about the client's address (`TRUST_PROXY`); default none. */
  trustProxy?: TrustProxy;
  /** With `METRICS_TOKEN`: `/metrics` is served (see server/metrics-route.ts). */
  metrics?: { token: string; sdkUrl?: string; caseCountsTtlMs?: number };
  /** With `CODEC_UI_ORIGIN`: the Temporal Web UI's codec endpoint (server/codec-routes.ts). */
  codec?: { origin: string; codec: PayloadCodec };
}

export type SluseApp = express.Express & { api?: Api };

/** The HTTP app: health, the coordinators' API and the visualizer pages. */
export function createApp(deps: AppDeps): SluseApp {
  const app: SluseApp = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? false);
  app.use(countRequests);
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  // Answers that carry case or config data are never kept by a browser or a proxy.
  app.use(['/api', '/visualizer/api'], (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  // Ready: 200 when Temporal answers and the worker polls; 503 with the same body otherwise, so
  // load balancers and people read the same report. `/health` is the same check.
  const ready: express.RequestHandler = async (_req, res) => {
    const report = await checkHealth(deps.health);
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  };
  app.get(['/health', '/health/ready'], ready);
  // Live: the process answers at all. A Temporal outage makes it not ready, never "dead": a
  // restart would not bring Temporal back, and would cut the requests in flight.
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });

  if (deps.metrics)
    app.get(
      '/metrics',
      metricsHandler({
        ...deps.metrics,
        cases: deps.api && { client: deps.api.client, configs: deps.api.configs },
      }),
    );

  if (deps.api) {
    const api = (app.api = createApi(deps.api));
    // The families' door (sign-in, ask for contact); its own pages, before the API's not-found.
    if (api.family) app.use(api.family.router);
    // Before the API router, whose not-found handler would otherwise answer the pages' paths.
    app.use(
      '/visualizer',
      createVisualizerRouter({
        signedIn: api.signedIn,
        authorizeKommune: api.authorizeKommune,
        cpu: api.cpu,
        logger: api.logger,
        options: api.options,
      }),
    );
    app.use('/familie', createFamilyCasePageRouter(api.family?.sessions));
    // The families' public self-assessment: no token, no cookie (#13).
    if (deps.api.screeningCounts)
      app.use(
        '/familie',
        createScreeningRouter({
          configs: deps.api.configs,
          counts: deps.api.screeningCounts,
          logger: api.logger,
        }),
      );
    // Feedback forms behind single-use links: the token is the capability (#14).
    if (deps.api.feedback)
      app.use(
        '/tilbakemelding',
        createFeedbackRouter({
          configs: deps.api.configs,
          store: deps.api.feedback,
          logger: api.logger,
          rateLimit: api.options.feedbackRateLimit,
        }),
      );
    // Each use goes to the audit trail, which lives in the config store.
    const store = deps.api.configStore;
    if (deps.codec && store)
      app.use(
        createCodecRouter({
          ...deps.codec,
          signedIn: api.signedIn,
          audit: (entry) => store.recordAudit(entry),
          logger: api.logger,
        }),
      );
    app.get('/', (_req, res) => res.redirect('/visualizer/'));
    app.use(api.router);
    // Last: the family routers above let an unknown kommune through to this bokmål page.
    app.use('/familie', familyNotFound);
  }

  return app;
}
