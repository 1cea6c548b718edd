/**
 * The family's page for their case, `/familie/{kommune}/sak/{caseId}`: one HTML document and its
 * script and style. The document carries no case data; the script reads the family's view
 * (`GET /api/v1/…/family`) and the live stream over fetch, signed in as the API is (see
 * `authHeaders` in static/family-case.js, the one place that says how). So nothing personal is
 * ever in the HTML, a URL or a server log.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import cookieParser from 'cookie-parser';
import express, { type Response } from 'express';
import type { FamilySessions } from './family-session';
import { escapeHtml, SELF_ONLY_CSP } from '../html';

/** Kommune ids and case ids are plain tokens; anything else in their place is a 404. */
const KOMMUNE_ID = /^[a-z0-9-]{1,64}$/;
const CASE_ID = /^[A-Za-z0-9_-]{1,80}$/;

/** `csrf`: the family session's token, for the script's state-changing calls (cookie sign-in). */
export function familyCaseShell(kommune: string, caseId: string, csrf?: string): string {
  return `<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
${csrf ? `<meta name="csrf-token" content="${escapeHtml(csrf)}">` : ''}
<title>Saken din</title>
<link rel="stylesheet" href="/familie/assets/family-case.css">
<script type="module" src="/familie/assets/family-case.js"></script>
</head>
<body data-kommune="${escapeHtml(kommune)}" data-case-id="${escapeHtml(caseId)}">
<a class="skip-link" href="#innhold">Hopp til innholdet</a>
<header class="top"><p class="service" id="tjeneste">Saken din</p></header>
<main id="innhold" tabindex="-1">
<h1>Saken din</h1>
<p id="melding" role="status" aria-live="polite"></p>
<div id="sak"><p>Henter saken …</p></div>
</main>
<noscript>Siden trenger JavaScript.</noscript>
</body>
</html>`;
}

/** `sessions`: the families' sign-in, when served; the page then works with its cookie. */
export function createFamilyCasePageRouter(sessions?: FamilySessions): express.Router {
  const router = express.Router();
  const dir = join(__dirname, 'static');
  const js = readFileSync(join(dir, 'family-case.js'), 'utf8');
  const css = readFileSync(join(dir, 'family-case.css'), 'utf8');
  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', SELF_ONLY_CSP);
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  const notFound = (res: Response) =>
    void res.status(404).type('text/plain; charset=utf-8').send('Siden finnes ikke.');
  const readSession: express.RequestHandler[] = sessions ? [cookieParser(), sessions.read] : [];
  router.get('/:kommune/sak/:caseId', readSession, (req: express.Request, res: Response) => {
    const { kommune, caseId } = req.params as { kommune: string; caseId: string };
    if (!KOMMUNE_ID.test(kommune) || !CASE_ID.test(caseId)) return notFound(res);
    res.type('html').send(familyCaseShell(kommune, caseId, req.familySession?.csrf));
  });
  router.get('/assets/family-case.js', (_req, res) => void res.type('text/javascript').send(js));
  router.get('/assets/family-case.css', (_req, res) => void res.type('text/css').send(css));
  return router;
}
