/**
 * The families' server-rendered pages (the online screening, the feedback form): plain HTML
 * with one inline style allowed by its hash, so no other style, script or resource loads, no
 * referrer, not kept and not framed.
 */
import { createHash } from 'node:crypto';
import type express from 'express';
import { escapeHtml } from '../html';

export interface PlainPage {
  status: number;
  title: string;
  kommuneName?: string;
  body: string;
}

export interface PlainPageOptions {
  style: string;
  /** The header line when the page knows no kommune. */
  heading: string;
  /** `img-src 'self'` for pages that show images of this origin. */
  images?: boolean;
  /** Pages whose address is a secret (a token) are not indexed. */
  noindex?: boolean;
}

export function plainPageSender(
  options: PlainPageOptions,
): (res: express.Response, page: PlainPage) => void {
  const csp = [
    "default-src 'none'",
    `style-src 'sha256-${createHash('sha256').update(options.style).digest('base64')}'`,
    ...(options.images ? ["img-src 'self'"] : []),
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return (res, page) => {
    res.status(page.status);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('Referrer-Policy', 'no-referrer');
    // Pages carry answers or a token; none is worth keeping anyway.
    res.setHeader('Cache-Control', 'no-store');
    if (options.noindex) res.setHeader('X-Robots-Tag', 'noindex');
    res.setHeader('X-Frame-Options', 'DENY');
    res.send(`<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${options.noindex ? '<meta name="robots" content="noindex">\n' : ''}<title>${escapeHtml(page.title)}</title>
<style>${options.style}</style>
</head>
<body>
<header><p>${escapeHtml(page.kommuneName ?? options.heading)}</p></header>
<main>
${page.body}
</main>
</body>
</html>`);
  };
}
