/**
 * The one HTML document every visualizer page starts from; the bundled browser code reads
 * `data-page` and draws the page. Nothing personal is ever rendered here: data arrives later over
 * fetch with the bearer token, so URLs and server logs never carry it.
 */
import { escapeHtml } from '../html';

export const Pages = {
  signIn: { id: 'logg-inn', title: 'Logg inn' },
  caseList: { id: 'saker', title: 'Saker' },
  casePage: { id: 'sak', title: 'Sak' },
  config: { id: 'konfig', title: 'Slusemodell' },
  stats: { id: 'statistikk', title: 'Statistikk' },
} as const;
export type PageId = (typeof Pages)[keyof typeof Pages]['id'];

export function pageShell(
  page: (typeof Pages)[keyof typeof Pages],
  params: Record<string, string> = {},
): string {
  const data = Object.entries(params)
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  return `<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${page.title} – Sluse</title>
<link rel="stylesheet" href="/visualizer/assets/visualizer.css">
<script type="module" src="/visualizer/assets/app.js"></script>
</head>
<body data-page="${page.id}"${data}>
<a class="skip-link" href="#innhold">Hopp til innholdet</a>
<div id="app"><p class="loading">Laster …</p></div>
<noscript>Visualiseringen trenger JavaScript.</noscript>
</body>
</html>`;
}
