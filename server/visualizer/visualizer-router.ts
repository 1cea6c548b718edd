/**
 * The visualizer, mounted at /visualizer: the pages, their assets, and two small endpoints the
 * pages need beside the coordinators' API (who am I; lay out a config or a draft).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { buildClientBundle, type ClientBundle } from './client-bundle';
import { draftDiagram } from './draft-diagram';
import { pageShell, Pages } from './page-shell';
import type { Authenticate, Principal } from './principal';

export interface VisualizerDeps {
  authenticate: Authenticate;
}

// Self-hosted means self-hosted: the browser may load and connect to this origin only.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** A case id is random and carries no personal data; anything else in its place is a 404. */
const CASE_ID = /^[A-Za-z0-9_-]{1,80}$/;

function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message, details: [] } });
}

export function createVisualizerRouter(deps: VisualizerDeps): express.Router {
  const router = express.Router();
  let bundle: Promise<ClientBundle> | undefined;
  const css = readFileSync(join(__dirname, 'static', 'visualizer.css'), 'utf8');

  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });

  const html = (res: Response, body: string) => {
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(body);
  };
  router.get('/', (_req, res) => html(res, pageShell(Pages.signIn)));
  router.get('/saker', (_req, res) => html(res, pageShell(Pages.caseList)));
  router.get('/saker/:caseId', (req, res) => {
    if (!CASE_ID.test(req.params.caseId)) return void sendError(res, 404, 'NOT_FOUND', 'ukjent sak');
    html(res, pageShell(Pages.casePage, { 'case-id': req.params.caseId }));
  });
  router.get('/konfig', (_req, res) => html(res, pageShell(Pages.config)));

  router.get('/assets/app.js', async (_req, res, next) => {
    try {
      bundle ??= buildClientBundle();
      res.type('text/javascript').send((await bundle).js);
    } catch (err) {
      bundle = undefined;
      next(err);
    }
  });
  router.get('/assets/visualizer.css', (_req, res) => void res.type('text/css').send(css));

  const requirePrincipal = async (req: Request, res: Response, next: NextFunction) => {
    const principal = await deps.authenticate(req.headers.authorization);
    if (!principal) return void sendError(res, 401, 'UNAUTHENTICATED', 'logg inn med et gyldig token');
    res.locals.principal = principal;
    next();
  };

  router.get('/api/me', requirePrincipal, (_req, res) => {
    const { sub, kommune, role } = res.locals.principal as Principal;
    res.json({ sub, kommune, role });
  });

  router.post('/api/diagram', requirePrincipal, express.json({ limit: '1mb' }), async (req, res, next) => {
    const principal = res.locals.principal as Principal;
    const body = req.body as { config?: unknown; text?: unknown } | undefined;
    const source = typeof body?.text === 'string' ? { text: body.text } : body?.config !== undefined ? { config: body.config } : null;
    if (!source) return void sendError(res, 400, 'BAD_REQUEST', 'send {"config": {…}} or {"text": "…"}');
    try {
      const result = await draftDiagram(source);
      // A draft may be of this kommune only: the same isolation as everything else it sees.
      if (result.kommune.id !== null && result.kommune.id !== principal.kommune) {
        return void sendError(res, 403, 'KOMMUNE_NOT_ALLOWED', `du er logget inn for ${principal.kommune}, ikke ${result.kommune.id}`);
      }
      res.json(result);
    } catch (err) {
      next(err);
    }
  });

  return router;
}
