/**
 * The visualizer, mounted at /visualizer: the pages, their assets, and two small endpoints the
 * pages need beside the coordinators' API (who am I; lay out a config or a draft). It shares the
 * API's plumbing: the same header check, bearer tokens, per-token rate limit and kommune/role
 * authorization (`Api.signedIn`, `Api.authorizeKommune`), request timeout, access log (no URLs,
 * no bodies) and JSON errors from the one error table, so no answer is ever an HTML page with a
 * stack trace.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type RequestHandler, type Response } from 'express';
import type { Logger } from '../../runtime/logger';
import { accessLog } from '../access-log';
import { ApiError } from '../api-error';
import type { ApiOptions } from '../api-router';
import type { Principal } from '../authenticate';
import type { CpuPool } from '../cpu-pool/cpu-pool';
import { errorHandler, notFoundHandler } from '../error-handler';
import { requestTimeout } from '../request-timeout';
import { buildClientBundle, CHUNK_FILE } from './client-bundle';
import { LayoutCache } from './layout-cache';
import { sendAsset, staticAsset, type StaticAsset } from './static-asset';
import { jsonBytes } from '../json-body';
import { pageShell, Pages } from './page-shell';
import { SELF_ONLY_CSP, selfOnlyCsp } from '../html';

export interface VisualizerDeps {
  /** The API's own checks before a route: header check, bearer token, per-token rate limit. */
  signedIn: RequestHandler[];
  /** The API's authorization: the caller works in their token's kommune (a config role or its process owner). */
  authorizeKommune(principal: Principal): Promise<void>;
  /** Where layouts run: never on the event loop. */
  cpu: CpuPool;
  logger: Logger;
  options: Pick<ApiOptions, 'requestTimeoutMs' | 'diagram'>;
}

/** A case id is random and carries no personal data; anything else in its place is a 404. */
const CASE_ID = /^[A-Za-z0-9_-]{1,80}$/;

/** The route pattern for the access log, set before anything can fail. */
const route =
  (pattern: string): express.RequestHandler =>
  (_req, res, next) => {
    res.locals.route = `/visualizer${pattern}`;
    next();
  };

export function createVisualizerRouter(deps: VisualizerDeps): express.Router {
  const { options } = deps;
  const router = express.Router();
  /**
   * The built script's files by name, each compressed when first asked for: the source maps and
   * the statistics page's Chart.js are most of the bytes and few requests ever fetch them, and
   * compressing all of it at brotli's best took about 4 s of CPU before the first page could load.
   */
  let bundle: Promise<Map<string, () => Promise<StaticAsset>>> | undefined;
  const layouts = new LayoutCache();
  const css = staticAsset(
    'text/css',
    readFileSync(join(__dirname, 'static', 'visualizer.css'), 'utf8'),
  );

  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', SELF_ONLY_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  router.use(accessLog(deps.logger));
  router.use(requestTimeout(options.requestTimeoutMs));

  const html = (res: Response, body: string) => {
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(body);
  };
  router.get('/', route('/'), (_req, res) => html(res, pageShell(Pages.signIn)));
  router.get('/saker', route('/saker'), (_req, res) => html(res, pageShell(Pages.caseList)));
  router.get('/saker/:caseId', route('/saker/:caseId'), (req, res) => {
    const caseId = String(req.params.caseId);
    if (!CASE_ID.test(caseId)) throw new ApiError('NOT_FOUND', 'no such case', 'Ukjent sak.');
    html(res, pageShell(Pages.casePage, { 'case-id': caseId }));
  });
  router.get('/konfig', route('/konfig'), (_req, res) => {
    // The draft's editor adds its own <style> elements: allowed with this response's nonce only.
    const styleNonce = randomBytes(18).toString('base64');
    res.setHeader('Content-Security-Policy', selfOnlyCsp(styleNonce));
    html(res, pageShell(Pages.config, { 'style-nonce': styleNonce }));
  });
  router.get('/statistikk', route('/statistikk'), (_req, res) => html(res, pageShell(Pages.stats)));

  const clientFiles = () =>
    (bundle ??= buildClientBundle().then(
      ({ js, map, chunks }) =>
        new Map(
          [['app.js', js] as const, ['app.js.map', map] as const, ...chunks].map(([name, text]) => [
            name,
            retriedOnFailure(() =>
              staticAsset(name.endsWith('.map') ? 'application/json' : 'text/javascript', text),
            ),
          ]),
        ),
    ));
  const clientAsset = async (name: string): Promise<StaticAsset> => {
    let files: Map<string, () => Promise<StaticAsset>>;
    try {
      files = await clientFiles();
    } catch (err) {
      bundle = undefined;
      throw err;
    }
    const asset = files.get(name);
    if (!asset) throw new ApiError('NOT_FOUND', 'no such asset', 'Finnes ikke.');
    return asset();
  };
  router.get('/assets/app.js', route('/assets/app.js'), async (req, res) => {
    sendAsset(req, res, await clientAsset('app.js'));
  });
  router.get('/assets/app.js.map', route('/assets/app.js.map'), async (req, res) => {
    sendAsset(req, res, await clientAsset('app.js.map'));
  });
  // Code split off for one page (Chart.js for the statistics): loaded by that page only.
  router.get('/assets/:chunk', route('/assets/:chunk'), async (req, res, next) => {
    const name = String(req.params.chunk);
    if (!CHUNK_FILE.test(name)) return next();
    sendAsset(req, res, await clientAsset(name));
  });
  router.get('/assets/visualizer.css', route('/assets/visualizer.css'), async (req, res) => {
    sendAsset(req, res, await css);
  });

  // The API's checks (token first), the role, then the body's type and size; everything else,
  // parsing included, on a worker thread.
  const authorized: RequestHandler = (req, _res, next) =>
    void deps.authorizeKommune(req.principal!).then(() => next(), next);
  const signedIn = [...deps.signedIn, authorized];
  router.get('/api/me', route('/api/me'), ...signedIn, (req, res) => {
    const { sub, kommune, role } = req.principal!;
    res.json({ sub, kommune, role });
  });
  router.post(
    '/api/diagram',
    route('/api/diagram'),
    ...signedIn,
    // The API's body checks (UTF-8 JSON only, its size as read); the bytes are parsed, and
    // nesting, duplicate keys, kommune and the model's size checked, on the layout thread.
    jsonBytes(options.diagram.bodyLimitBytes),
    async (req, res, next) => {
      const body: Uint8Array = Buffer.isBuffer(req.body) ? req.body : new Uint8Array();
      const kommune = req.principal!.kommune;
      const key = LayoutCache.key(kommune, body);
      const cached = layouts.get(key);
      if (cached !== undefined) {
        res.type('json').send(cached);
        return;
      }
      const { maxSteps, maxTransitions } = options.diagram;
      // A caller that leaves (or times out) frees its thread at once.
      const gone = new AbortController();
      res.once('close', () => gone.abort());
      try {
        const json = await deps.cpu.diagram(
          { body, kommune, limits: { maxSteps, maxTransitions } },
          gone.signal,
        );
        // Only a laid-out answer is kept; a refusal is cheap to give again.
        layouts.set(key, json);
        res.type('json').send(json);
      } catch (err) {
        if (!gone.signal.aborted) next(err);
      }
    },
  );

  router.use(notFoundHandler());
  router.use(errorHandler(deps.logger));
  return router;
}

/** `make`'s promise, made once; made again on the next call if it failed. */
function retriedOnFailure<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () =>
    (made ??= make().catch((err: unknown) => {
      made = undefined;
      throw err;
    }));
}
